//! Parquet against CSV natively (原生基准：Parquet 与 CSV):
//! `cargo run --profile bench-native --example bench-parquet -- ORDERS.csv ORDERS.parquet`.
//!
//! The same rows twice, each the way the page imports it: the CSV inspected from its first
//! 256 KiB and fed to an [`Importer`] in 4 MiB chunks (as `src/bin/worker.rs` does); the
//! Parquet file opened from its last 64 KiB, its head read for `inspect_table`, then each row
//! group decoded from its own byte range into [`Importer::push_row`] (as the reader worker
//! does). Prints the wall time of each, rows per second, and checks that both give the same
//! customers and sums. The files come from `bench/generate.rs` and DuckDB (see BENCHMARKS.md).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::process::ExitCode;
    use std::time::Instant;

    use valuelens::engine::formats::parquet::{Opened, ParquetFile};
    use valuelens::engine::formats::{TableHead, TableLayout};
    use valuelens::engine::ingest::{
        inspect, inspect_table, ImportOutcome, Importer, InspectOptions, TableSource, PREVIEW_ROWS,
    };
    use valuelens::engine::Error;
    use valuelens::protocol::{IMPORT_CHUNK_BYTES, INSPECT_BYTES};

    /// The tail the worker reads first.
    const TAIL: usize = 64 * 1024;

    fn import_csv(bytes: &[u8]) -> Result<ImportOutcome, Error> {
        let head = &bytes[..bytes.len().min(INSPECT_BYTES as usize)];
        let preview = inspect(head, head.len() == bytes.len(), &InspectOptions::default())?;
        let mut importer = Importer::new(preview.settings())?;
        for chunk in bytes.chunks(IMPORT_CHUNK_BYTES as usize) {
            importer.push(chunk);
        }
        importer.finish()
    }

    fn import_parquet(bytes: &[u8]) -> Result<(ImportOutcome, usize), Error> {
        let len = bytes.len() as u64;
        let tail = |n: usize| &bytes[bytes.len().saturating_sub(n)..];
        let file = match ParquetFile::open(len, tail(TAIL))? {
            Opened::Ready(file) => file,
            Opened::NeedTail(n) => match ParquetFile::open(len, tail(n))? {
                Opened::Ready(file) => file,
                Opened::NeedTail(_) => return Err(Error::NoData),
            },
        };
        let slice = |i: usize| {
            let range = file.row_group_bytes(i);
            &bytes[range.start as usize..range.end as usize]
        };
        let head = TableHead {
            names: file.column_names(),
            rows: if file.row_groups() > 0 {
                file.head_rows(slice(0), PREVIEW_ROWS)?
            } else {
                Vec::new()
            },
            complete: file.rows() <= PREVIEW_ROWS as u64,
            layout: TableLayout::default(),
        };
        let preview = inspect_table(&head, TableSource::Parquet, &InspectOptions::default())?;
        let mut importer = Importer::new_table(preview.settings())?;
        for i in 0..file.row_groups() {
            let group = slice(i);
            file.read_row_group(i, group, &mut |line, cells| importer.push_row(line, cells))?;
            importer.add_bytes(group.len() as u64);
        }
        Ok((importer.finish()?, file.row_groups()))
    }

    /// Decodes every row group to text cells and drops them: the reader's own share.
    fn decode_only(bytes: &[u8]) -> Result<u64, Error> {
        let len = bytes.len() as u64;
        let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
        let Opened::Ready(file) = ParquetFile::open(len, tail)? else {
            return Err(Error::NoData);
        };
        let mut cells = 0u64;
        for i in 0..file.row_groups() {
            let range = file.row_group_bytes(i);
            let group = &bytes[range.start as usize..range.end as usize];
            file.read_row_group(i, group, &mut |_, row| cells += row.len() as u64)?;
        }
        Ok(cells)
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let [csv_path, parquet_path] = args.as_slice() else {
            eprintln!("usage: bench-parquet ORDERS.csv ORDERS.parquet");
            return ExitCode::FAILURE;
        };
        let (Ok(csv), Ok(parquet)) = (std::fs::read(csv_path), std::fs::read(parquet_path)) else {
            eprintln!("cannot read {csv_path} or {parquet_path}");
            return ExitCode::FAILURE;
        };
        let started = Instant::now();
        let from_csv = match import_csv(&csv) {
            Ok(outcome) => outcome,
            Err(e) => {
                eprintln!("CSV: {e}");
                return ExitCode::FAILURE;
            }
        };
        let csv_ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let (from_parquet, groups) = match import_parquet(&parquet) {
            Ok(outcome) => outcome,
            Err(e) => {
                eprintln!("Parquet: {e}");
                return ExitCode::FAILURE;
            }
        };
        let parquet_ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let decoded = decode_only(&parquet);
        let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
        let rows = from_csv.report.rows_read;
        let per_second = |ms: f64| rows as f64 / (ms / 1000.0);
        println!(
            "CSV     {:>12} bytes  {:>9.0} ms  {:>12.0} rows/s",
            csv.len(),
            csv_ms,
            per_second(csv_ms)
        );
        println!(
            "Parquet {:>12} bytes  {:>9.0} ms  {:>12.0} rows/s  ({groups} row groups)",
            parquet.len(),
            parquet_ms,
            per_second(parquet_ms)
        );
        if let Ok(cells) = decoded {
            println!("Parquet decoding alone (cells as text, no import): {decode_ms:.0} ms, {cells} cells");
        }
        println!(
            "rows {rows}, customers {}, Parquet/CSV time {:.2}",
            from_csv.table.customers.len(),
            parquet_ms / csv_ms
        );
        let same = from_csv.table == from_parquet.table
            && from_csv.report.rows_rejected == from_parquet.report.rows_rejected
            && from_csv.report.rows_read == from_parquet.report.rows_read;
        if !same {
            eprintln!("the two imports differ");
            return ExitCode::FAILURE;
        }
        println!("same customers, sums and rejected rows");
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
