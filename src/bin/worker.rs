//! The import worker (导入线程): reads a dropped text file (CSV, TSV, TXT) in chunks, decodes,
//! parses and aggregates per customer, and posts progress and the result back to the page. Its
//! body is `valuelens::import_worker`, shared with the reader worker of table files
//! (`src/bin/reader.rs`); this bundle links no table reader, so it stays small.

fn main() {
    #[cfg(target_arch = "wasm32")]
    valuelens::import_worker::start(None, None);
}
