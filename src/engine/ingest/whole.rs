//! A small file read whole, for the files read on the page beside the orders (a satisfaction
//! survey, a customer master, a monthly table): the order import's encoding detection (or the
//! user's encoding), Excel's `sep=` line and the delimiter sniffer (or the user's delimiter),
//! then every non-blank record with its line.

use super::default_column_name;
use super::dialect::{sniff_delimiter, Delimiter, RecordSplitter};
use super::encoding::{
    decode_all, detect_encoding, encoding_by_name, EncodingEvidence, EncodingGuess,
};
use super::{sep_line_delimiter, InspectOptions};
use crate::engine::error::{Error, Result, RowError, RowProblem};
use crate::engine::numeric::truncate_chars;

/// A file read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct WholeFile {
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
    /// The delimiter.
    pub delimiter: Delimiter,
    /// Every non-blank record with its first line, the `sep=` line left out.
    pub records: Vec<(u64, Vec<String>)>,
}

/// Reads `bytes` whole with `options`' encoding, delimiter, quotes and language prior (each
/// guessed when not set).
///
/// # Errors
/// [`Error::EmptyFile`] for a file of white space (or one that decodes to it), and those of the
/// encoding detection ([`Error::Binary`], [`Error::UnknownEncoding`]).
pub fn read_whole(bytes: &[u8], options: &InspectOptions) -> Result<WholeFile> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile);
    }
    let encoding = match &options.encoding {
        Some(name) => {
            let chosen = encoding_by_name(name)?;
            let bom_len = match encoding_rs::Encoding::for_bom(bytes) {
                Some((bom, len)) if bom == chosen => len,
                _ => 0,
            };
            EncodingGuess {
                name: chosen.name().to_string(),
                evidence: EncodingEvidence::UserChoice,
                bom_len,
            }
        }
        None => detect_encoding(bytes, true, options.hint)?,
    };
    let text = decode_all(bytes, &encoding)?;
    if text.trim().is_empty() {
        return Err(Error::EmptyFile);
    }
    let delimiter = options
        .delimiter
        .or_else(|| sep_line_delimiter(&text))
        .unwrap_or_else(|| sniff_delimiter(&text[..text.floor_char_boundary(64 * 1024)]));
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    let mut splitter = RecordSplitter::with_quotes(delimiter, options.quotes);
    let mut first = true;
    splitter.feed(&text, true, &mut |record| {
        if record.is_blank() {
            return true;
        }
        if std::mem::take(&mut first) && record.is_sep_line() {
            return true;
        }
        records.push((record.line, record.to_vec()));
        true
    });
    Ok(WholeFile {
        encoding,
        delimiter,
        records,
    })
}

/// A rejected cell of a file read whole: its line, the column's header (the default name past
/// the header) and the start of its value (its first line, at most 80 characters).
pub fn cell_error(
    line: u64,
    headers: &[String],
    column: usize,
    problem: RowProblem,
    value: &str,
) -> RowError {
    RowError {
        line,
        column: headers
            .get(column)
            .cloned()
            .unwrap_or_else(|| default_column_name(column)),
        value: truncate_chars(value.split(['\n', '\r']).next().unwrap_or(""), 80),
        problem,
    }
}
