//! The import engine as wasm, without a browser (wasm 基准): compute time only, for comparing
//! two builds of the engine on a machine whose other work makes browser timings noisy.
//!
//! ```sh
//! cargo build --profile web-release --target wasm32-unknown-unknown --example engine-wasm
//! wasm-bindgen --target nodejs --out-dir OUT target/wasm32-unknown-unknown/web-release/examples/engine-wasm.wasm
//! node bench/engine-wasm.mjs FILE OUT [OTHER_OUT …]
//! ```
//!
//! `import_file` does what the import worker does with a file's bytes, in one thread: inspect
//! the head, import the bytes in pieces, finish; `bench/engine-wasm.mjs` times it (wall and the
//! process's processor time) in Node's V8, builds alternating.
//!
//! `import_parquet` does what the reader worker does with a Parquet file (`src/bin/reader.rs`):
//! open the footer, inspect the first row group's head, import each row group's typed cells;
//! `decode_parquet` only decodes them (the reader's own share). `node bench/engine-wasm.mjs
//! FILE.parquet OUT --mode parquet` (or `--mode decode`) times them.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use valuelens::engine::formats::parquet::{Opened, ParquetFile, TableRow};
    use valuelens::engine::formats::{TableHead, TableLayout};
    use valuelens::engine::ingest::{
        inspect, inspect_table, Importer, InspectOptions, TableSource, PREVIEW_ROWS,
    };
    use valuelens::protocol::INSPECT_BYTES;
    use wasm_bindgen::prelude::*;

    /// Imports `bytes` in pieces of `piece` bytes; the number of customers, or -1 on an error.
    #[wasm_bindgen]
    pub fn import_file(bytes: &[u8], piece: usize) -> f64 {
        let end = bytes.len().min(INSPECT_BYTES as usize);
        let head = bytes.get(..end).unwrap_or_default();
        let Ok(preview) = inspect(head, end == bytes.len(), &InspectOptions::default()) else {
            return -1.0;
        };
        let Ok(mut importer) = Importer::new(preview.settings()) else {
            return -1.0;
        };
        bytes
            .chunks(piece.max(1))
            .for_each(|chunk| importer.push(chunk));
        match importer.finish() {
            Ok(outcome) => outcome.table.customers.len() as f64,
            Err(_) => -1.0,
        }
    }

    /// A Parquet file opened from its last 64 KiB, with the importer the default mapping gives.
    fn open_parquet(bytes: &[u8]) -> Option<(ParquetFile, Importer)> {
        let tail = |n: usize| bytes.get(bytes.len().saturating_sub(n)..);
        let file = match ParquetFile::open(bytes.len() as u64, tail(64 * 1024)?).ok()? {
            Opened::Ready(file) => file,
            Opened::NeedTail(n) => match ParquetFile::open(bytes.len() as u64, tail(n)?).ok()? {
                Opened::Ready(file) => file,
                Opened::NeedTail(_) => return None,
            },
        };
        let range = file.row_group_bytes(0);
        let group = bytes.get(range.start as usize..range.end as usize)?;
        let head = TableHead {
            names: file.column_names(),
            rows: file.head_rows(group, PREVIEW_ROWS).ok()?,
            complete: file.rows() <= PREVIEW_ROWS as u64,
            layout: TableLayout::default(),
        };
        let preview =
            inspect_table(&head, TableSource::Parquet, &InspectOptions::default()).ok()?;
        let importer = Importer::new_table(preview.settings()).ok()?;
        Some((file, importer))
    }

    /// Imports a Parquet file as the reader worker does (typed cells of the mapped columns);
    /// the number of customers, or -1 on an error.
    #[wasm_bindgen]
    pub fn import_parquet(bytes: &[u8]) -> f64 {
        let Some((file, mut importer)) = open_parquet(bytes) else {
            return -1.0;
        };
        let Some(uses) = importer.column_uses(file.column_names().len()) else {
            return -1.0;
        };
        for i in 0..file.row_groups() {
            let range = file.row_group_bytes(i);
            let Some(group) = bytes.get(range.start as usize..range.end as usize) else {
                return -1.0;
            };
            let read = file.read_row_group_typed(i, group, &uses, &mut |line, row| match row {
                TableRow::Typed {
                    cells,
                    undecoded_bytes,
                } => importer.push_typed_row(cells, undecoded_bytes),
                TableRow::Text(cells) => {
                    importer.push_row(line, cells);
                    true
                }
            });
            if read.is_err() {
                return -1.0;
            }
        }
        match importer.finish() {
            Ok(outcome) => outcome.table.customers.len() as f64,
            Err(_) => -1.0,
        }
    }

    /// Decodes a Parquet file's typed cells as [`import_parquet`] does and drops them: the
    /// rows decoded, or -1 on an error.
    #[wasm_bindgen]
    pub fn decode_parquet(bytes: &[u8]) -> f64 {
        let Some((file, importer)) = open_parquet(bytes) else {
            return -1.0;
        };
        let Some(uses) = importer.column_uses(file.column_names().len()) else {
            return -1.0;
        };
        let mut rows = 0u64;
        for i in 0..file.row_groups() {
            let range = file.row_group_bytes(i);
            let Some(group) = bytes.get(range.start as usize..range.end as usize) else {
                return -1.0;
            };
            let read = file.read_row_group_typed(i, group, &uses, &mut |_, _| {
                rows += 1;
                true
            });
            if read.is_err() {
                return -1.0;
            }
        }
        rows as f64
    }
}

fn main() {}
