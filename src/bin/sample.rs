//! Prints the built-in sample data set as CSV: `cargo run --bin sample -- zh|en`.
//! The browser tests compute their expected figures from this text with their own code.

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use valuelens::engine::sample::{sample_csv, SampleLanguage};
        let language = match std::env::args().nth(1).as_deref() {
            Some("en") => SampleLanguage::English,
            _ => SampleLanguage::Chinese,
        };
        print!("{}", sample_csv(language));
    }
}
