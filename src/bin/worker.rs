//! The import worker (导入线程): reads a dropped text file (CSV, TSV, TXT) in chunks, decodes,
//! parses and aggregates per customer, and posts progress and the result back to the page. Its
//! body is `valuelens::import_worker`, shared with the reader worker of table files
//! (`src/bin/reader.rs`); this bundle links no table reader, so it stays small. It is built
//! without the `legacy-encodings` feature (index.html): it reads UTF-8 and UTF-16 text, and
//! answers a file in another encoding (GBK, Big5 …) with `Error::LegacyEncoding`, on which the
//! page sends the file to the reader worker.

fn main() {
    #[cfg(target_arch = "wasm32")]
    valuelens::import_worker::start(valuelens::import_worker::Extras::default());
}
