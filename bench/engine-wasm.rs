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

#[cfg(target_arch = "wasm32")]
mod wasm {
    use valuelens::engine::ingest::{inspect, Importer, InspectOptions};
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
}

fn main() {}
