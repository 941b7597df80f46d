//! A small file read whole, for the files read on the page beside the orders (a satisfaction
//! survey, a customer master, a monthly table): the order import's encoding detection (or the
//! user's encoding), Excel's `sep=` line and the delimiter sniffer (or the user's delimiter),
//! then every non-blank record with its line.
//!
//! Decoding is a step of its own ([`decode_text`] → [`DecodedText`]): the page's bundle has no
//! legacy encodings (GBK, Big5 …), so for such a file the page gets [`Error::LegacyEncoding`]
//! from it and has the analysis worker, built with them, run the same step
//! (`AnalysisRequest::DecodeText`); each reader then reads the decoded text the same way
//! wherever it was decoded.

use super::default_column_name;
use super::dialect::{sniff_delimiter, Delimiter, RecordSplitter};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use super::encoding::{
    decode_all, detect_encoding, encoding_by_name, ChunkDecoder, EncodingEvidence, EncodingGuess,
    LanguageHint,
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

/// Which words of a small file's first lines decide between GBK and Big5 when the detector
/// guessed one of them (the two decode each other's bytes without errors, but mojibake never
/// reads a known word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeaderWords {
    /// The column names of the order import's roles (the survey, the master, a monthly table):
    /// what [`detect_encoding`] already weighs.
    Columns,
    /// The SWOT import's column and quadrant names, weighed after the detector.
    Swot,
}

/// How to decode a small file: the user's encoding or none, the detector's prior, and the
/// words that arbitrate between GBK and Big5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextOptions {
    /// The user's encoding (WHATWG label), or `None` to detect it.
    pub encoding: Option<String>,
    /// The detector's prior, from the UI language.
    pub hint: LanguageHint,
    /// The words that arbitrate between GBK and Big5.
    pub words: HeaderWords,
}

impl TextOptions {
    /// The decoding part of `options`, arbitrated by the order import's column names.
    pub fn of(options: &InspectOptions) -> Self {
        TextOptions {
            encoding: options.encoding.clone(),
            hint: options.hint,
            words: HeaderWords::Columns,
        }
    }
}

/// A small file's text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecodedText {
    /// The text, malformed sequences as U+FFFD, NUL characters dropped.
    pub text: String,
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
}

/// Decodes a small file whole with `options`.
///
/// # Errors
/// [`Error::EmptyFile`] for a file of white space; those of the encoding detection
/// ([`Error::Binary`], [`Error::UnknownEncoding`]); [`Error::LegacyEncoding`] for an encoding
/// other than UTF-8 and UTF-16 when built without the `legacy-encodings` feature (the page).
pub fn decode_text(bytes: &[u8], options: &TextOptions) -> Result<DecodedText> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile);
    }
    let encoding = match &options.encoding {
        Some(name) => chosen_encoding(bytes, name)?,
        None => {
            let guess = detect_encoding(bytes, true, options.hint)?;
            match options.words {
                HeaderWords::Columns => guess,
                HeaderWords::Swot => crate::engine::swot::arbitrate_encoding(bytes, guess),
            }
        }
    };
    let text = decode_all(bytes, &encoding)?;
    Ok(DecodedText { text, encoding })
}

/// The user's encoding `name` for `bytes`, its byte-order mark skipped when the file has one.
fn chosen_encoding(bytes: &[u8], name: &str) -> Result<EncodingGuess> {
    let chosen = encoding_by_name(name)?;
    let bom_len = match encoding_rs::Encoding::for_bom(bytes) {
        Some((bom, len)) if bom == chosen => len,
        _ => 0,
    };
    Ok(EncodingGuess {
        name: chosen.name().to_string(),
        evidence: EncodingEvidence::UserChoice,
        bom_len,
    })
}

/// How much of a file [`PieceDecoder::new`] tells its encoding from: all that
/// [`detect_encoding`] reads of a whole file but for its UTF-8 check.
const DETECT_HEAD_BYTES: usize = 1 << 16;

/// A small file's bytes decoded a piece at a time ([`PieceDecoder::decode`]) into the text
/// [`decode_text`] gives at once, so that the page decodes a 30 MB file over many short tasks
/// (at once, the UTF-8 check of the whole file and its copy took one task of 88 ms).
///
/// The encoding is told from the file's head as [`decode_text`] tells it from the whole file:
/// the user's, a byte-order mark, UTF-16's NUL pattern, or valid UTF-8. That last one holds for
/// the whole file only once every byte has been decoded without a malformed sequence; the first
/// one found ends the decoding with [`PieceDecoded::NotUtf8`], and the file must be read by
/// [`decode_text`] (which guesses another encoding, or, on the page, says
/// [`Error::LegacyEncoding`]). The text is never a guess that [`decode_text`] would not make.
pub struct PieceDecoder {
    bytes: Arc<Vec<u8>>,
    decoder: ChunkDecoder,
    encoding: EncodingGuess,
    /// Bytes decoded.
    read: usize,
    /// UTF-8 told from the head alone.
    provisional: bool,
}

impl std::fmt::Debug for PieceDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PieceDecoder")
            .field("bytes", &self.bytes.len())
            .field("encoding", &self.encoding)
            .field("read", &self.read)
            .field("provisional", &self.provisional)
            .finish_non_exhaustive()
    }
}

/// What a [`PieceDecoder::decode`] came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceDecoded {
    /// Bytes are left.
    More,
    /// Every byte is decoded: the text is [`decode_text`]'s.
    Done,
    /// A malformed sequence in a file whose head is UTF-8: it is not UTF-8 as a whole, and only
    /// [`decode_text`] can read it.
    NotUtf8,
}

impl PieceDecoder {
    /// A decoder of `bytes` with `options`, or `None` when only [`decode_text`] can decode them:
    /// their head is in neither UTF-8 nor UTF-16 (another encoding is guessed from the whole
    /// file), or the words of a SWOT table arbitrate the guess.
    ///
    /// # Errors
    /// As [`decode_text`]: [`Error::EmptyFile`], [`Error::Binary`], [`Error::UnknownEncoding`],
    /// [`Error::LegacyEncoding`] for a chosen legacy encoding without the decoders.
    pub fn new(bytes: Arc<Vec<u8>>, options: &TextOptions) -> Result<Option<PieceDecoder>> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::EmptyFile);
        }
        let (encoding, provisional) = match &options.encoding {
            Some(name) => (chosen_encoding(&bytes, name)?, false),
            None if options.words != HeaderWords::Columns => return Ok(None),
            None => {
                let whole = bytes.len() <= DETECT_HEAD_BYTES;
                let head = bytes.get(..DETECT_HEAD_BYTES).unwrap_or(&bytes);
                match detect_encoding(head, whole, options.hint) {
                    Ok(guess) => match guess.evidence {
                        EncodingEvidence::ByteOrderMark | EncodingEvidence::NulPattern => {
                            (guess, false)
                        }
                        EncodingEvidence::ValidUtf8 => (guess, !whole),
                        _ => return Ok(None),
                    },
                    Err(Error::LegacyEncoding { .. }) => return Ok(None),
                    Err(error) => return Err(error),
                }
            }
        };
        let decoder = ChunkDecoder::new(&encoding.name, encoding.bom_len)?;
        Ok(Some(PieceDecoder {
            bytes,
            decoder,
            encoding,
            read: 0,
            provisional,
        }))
    }

    /// Decodes about `count` more bytes (at least one), appending their text to `out`.
    pub fn decode(&mut self, count: usize, out: &mut String) -> PieceDecoded {
        let end = self.read.saturating_add(count.max(1)).min(self.bytes.len());
        let last = end >= self.bytes.len();
        let piece = self.bytes.get(self.read..end).unwrap_or_default();
        self.decoder.decode(piece, last, out);
        self.read = end;
        if self.provisional && self.decoder.replacements() > 0 {
            PieceDecoded::NotUtf8
        } else if last {
            PieceDecoded::Done
        } else {
            PieceDecoded::More
        }
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Arc<Vec<u8>> {
        &self.bytes
    }

    /// The encoding and how it was told.
    pub fn encoding(&self) -> &EncodingGuess {
        &self.encoding
    }

    /// The share of the bytes decoded, 0 to 1.
    pub fn fraction(&self) -> f64 {
        self.read as f64 / self.bytes.len().max(1) as f64
    }
}

/// Reads a small file's `decoded` text ([`decode_text`]) with `options`' delimiter and quotes
/// (guessed when not set): every non-blank record with its line.
///
/// # Errors
/// [`Error::EmptyFile`] for text of white space.
pub fn read_whole_text(decoded: DecodedText, options: &InspectOptions) -> Result<WholeFile> {
    let DecodedText { text, encoding } = decoded;
    if text.trim().is_empty() {
        return Err(Error::EmptyFile);
    }
    let delimiter = whole_delimiter(&text, options);
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

/// The delimiter of a small file's `text`: `options`' when set, else a `sep=` line's, else the
/// one its first 64 KiB suggest.
pub fn whole_delimiter(text: &str, options: &InspectOptions) -> Delimiter {
    options
        .delimiter
        .or_else(|| sep_line_delimiter(text))
        .unwrap_or_else(|| sniff_delimiter(&text[..text.floor_char_boundary(64 * 1024)]))
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
