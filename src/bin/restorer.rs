//! The restore worker (工作区读取线程): reads a saved workspace — a workspace file the user
//! opened, or the page's record of its last session after a reload — off the page's thread
//! (`Request::Restore`, `valuelens::protocol::restore`): the JSON parsed, checked and made
//! customers here, answered with the workspace's small part and, with a data set, the finished
//! import's `Done` frame, which the page decodes as it decodes an import's. One request per
//! worker; it ends after answering.
//!
//! A bundle of its own (`valuelens::import_worker::start_restorer`): in the import worker the
//! workspace reader was 180 KB of a gzipped bundle every page loads at start, and in the reader
//! worker the restore waited on that bundle's 3 MB of wasm being compiled.

fn main() {
    #[cfg(target_arch = "wasm32")]
    valuelens::import_worker::start_restorer();
}
