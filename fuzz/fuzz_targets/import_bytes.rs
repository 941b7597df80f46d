//! Arbitrary bytes through the import as the worker runs it: `inspect` on the head, then an
//! `Importer` fed the whole file at once and in chunks. Nothing may panic, chunking must not
//! change the outcome, and every row read must be accepted or rejected.
//!
//! The first input byte picks the language hint, whether the head is the whole file, and the
//! chunk size; the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use valuelens::engine::ingest::encoding::LanguageHint;
use valuelens::engine::ingest::{inspect, ImportOutcome, ImportSettings, Importer, InspectOptions};
use valuelens::engine::Error;

const CHUNK_SIZES: [usize; 6] = [1, 2, 3, 7, 64, 4096];

fn import<'a>(
    settings: &ImportSettings,
    chunks: impl Iterator<Item = &'a [u8]>,
) -> Result<ImportOutcome, Error> {
    let mut importer = Importer::new(settings.clone())?;
    for chunk in chunks {
        importer.push(chunk);
    }
    importer.finish()
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, file)) = data.split_first() else {
        return;
    };
    let hint = match control % 3 {
        0 => LanguageHint::SimplifiedChinese,
        1 => LanguageHint::TraditionalChinese,
        _ => LanguageHint::Other,
    };
    let whole_file = control & 0x80 == 0;
    let chunk_size = CHUNK_SIZES[usize::from(control >> 2) % CHUNK_SIZES.len()];
    let options = InspectOptions {
        hint,
        ..InspectOptions::default()
    };
    // A cut-off head as well as the whole file.
    let head = if whole_file {
        file
    } else {
        &file[..file.len() / 2]
    };
    let Ok(preview) = inspect(head, whole_file, &options) else {
        return;
    };
    let mut settings = preview.settings();
    // Reach the importer even when a required role was not found.
    let last = settings.headers.len().saturating_sub(1);
    settings.mapping.customer.get_or_insert(0);
    settings.mapping.amount.get_or_insert(last.min(1));

    let whole = import(&settings, std::iter::once(file));
    let chunked = import(&settings, file.chunks(chunk_size));
    assert_eq!(
        whole, chunked,
        "chunks of {chunk_size} differ from the whole file"
    );
    if let Ok(outcome) = &whole {
        let report = &outcome.report;
        assert_eq!(
            report.rows_read,
            report.rows_accepted + report.rows_rejected
        );
        assert!(outcome
            .table
            .customers
            .iter()
            .all(|c| c.sales.is_finite() && c.profit.is_finite() && c.quantity.is_finite()));
    }
});
