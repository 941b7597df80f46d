//! Text encodings: detect what a file is written in, refuse what is not text, decode in chunks.
//!
//! Order of evidence: a byte-order mark; the NUL pattern of UTF-16 without a BOM (chardetng does
//! not detect UTF-16 at all); binary signatures and control bytes; valid UTF-8; then chardetng,
//! given the top-level-domain hint of the UI language (`cn` for zh-CN), because without it
//! chardetng calls a short GBK file EUC-KR and says it is sure. The hint is so strong that a
//! Big5 file comes out as GBK in the zh-CN UI (and GBK as Big5 in zh-TW), so last the header
//! row arbitrates: GBK or Big5 wins over the detector's pick when more of the first line's cells
//! then name known columns (客户编号, 銷售額 …), and the guess is marked unsure.
//!
//! A few NUL bytes (padding at the end, a stray one in a cell) do not make a file binary; the
//! decoder drops them, as no cell means a NUL.
//!
//! UTF-8 and UTF-16 are decoded by [`super::utf`], the other ("legacy") encodings by encoding_rs,
//! whose tables for them (GBK, Big5, Shift_JIS, EUC-KR …) and chardetng's are most of the data of
//! a bundle that links them. Built without the `legacy-encodings` feature (the import worker:
//! `src/bin/worker.rs`, and the app), the engine reads UTF-8 and UTF-16 only and answers
//! [`Error::LegacyEncoding`] for other text: the page then sends an orders file to the reader
//! worker and has a small file it reads itself decoded by the analysis worker
//! ([`super::decode_text`]), both built with every encoding.

#[cfg(feature = "legacy-encodings")]
use encoding_rs::{Decoder, DecoderResult, GB18030};
use encoding_rs::{Encoding, BIG5, GBK, UTF_16BE, UTF_16LE, UTF_8};
use serde::{Deserialize, Serialize};

#[cfg(feature = "legacy-encodings")]
use super::columns::names_a_role;
use super::utf::{Utf16Decoder, Utf8Decoder};
use crate::engine::error::{BinaryKind, Error, Result};

/// The language the user works in; used as the detector's prior.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LanguageHint {
    /// Simplified Chinese users: GBK/GB18030 is the likely legacy encoding.
    #[default]
    SimplifiedChinese,
    /// Traditional Chinese users: Big5.
    TraditionalChinese,
    /// Everyone else: windows-1252 and friends.
    Other,
}

/// How the encoding was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EncodingEvidence {
    /// A byte-order mark at the start of the file.
    ByteOrderMark,
    /// NUL bytes at every other position: UTF-16 without a BOM.
    NulPattern,
    /// The bytes are valid UTF-8.
    ValidUtf8,
    /// The statistical detector (chardetng) was sure.
    DetectorConfident,
    /// The statistical detector was not sure: the user should check.
    DetectorUnsure,
    /// The user chose it.
    UserChoice,
}

/// The detected (or chosen) encoding of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncodingGuess {
    /// WHATWG name of the encoding, e.g. `UTF-8`, `GBK`, `UTF-16LE`, `Big5`.
    pub name: String,
    /// How it was decided.
    pub evidence: EncodingEvidence,
    /// Length of the byte-order mark to skip (0 when none).
    pub bom_len: usize,
}

/// The encodings offered in the override menu, by WHATWG name.
pub const OFFERED_ENCODINGS: [&str; 8] = [
    "UTF-8",
    "GBK",
    "gb18030",
    "Big5",
    "UTF-16LE",
    "UTF-16BE",
    "windows-1252",
    "Shift_JIS",
];

/// Looks up an encoding by its WHATWG label.
pub fn encoding_by_name(name: &str) -> Result<&'static Encoding> {
    Encoding::for_label(name.as_bytes()).ok_or_else(|| Error::UnknownEncoding(name.to_string()))
}

/// Recognises files that are certainly not text, by their first bytes.
pub fn binary_signature(head: &[u8]) -> Option<BinaryKind> {
    const SIGNATURES: [(&[u8], BinaryKind); 13] = [
        (b"\x89PNG\r\n\x1a\n", BinaryKind::Png),
        (b"\xff\xd8\xff", BinaryKind::Jpeg),
        (b"GIF87a", BinaryKind::Gif),
        (b"GIF89a", BinaryKind::Gif),
        (b"%PDF-", BinaryKind::Pdf),
        (b"PK\x03\x04", BinaryKind::ZipOrXlsx),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", BinaryKind::XlsOrOffice),
        (b"\x1f\x8b", BinaryKind::Gzip),
        (b"Rar!", BinaryKind::Rar),
        (b"7z\xbc\xaf\x27\x1c", BinaryKind::SevenZip),
        (b"\x00asm", BinaryKind::WebAssembly),
        (b"SQLite format 3\x00", BinaryKind::Sqlite),
        (b"PAR1", BinaryKind::Parquet),
    ];
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(BinaryKind::WebP);
    }
    SIGNATURES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|&(_, what)| what)
}

/// UTF-16 without a BOM: text whose code units are mostly ASCII has a NUL in every other byte.
fn utf16_by_nul_pattern(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // Chinese text has few NULs (CJK code units have no zero byte), but delimiters, digits and
    // line ends do; 20 % of one parity and almost none of the other is a safe mark.
    if odd_nul * 5 >= pairs && even_nul * 50 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 5 >= pairs && odd_nul * 50 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when `bytes` is valid UTF-8, allowing a multi-byte sequence cut off at the end.
fn is_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none() && bytes.len() - error.valid_up_to() < 4,
    }
}

/// Detects the encoding of a file from its first bytes (`head`, ideally 64 KiB or more).
///
/// `is_whole_file` tells the detector that `head` is all there is.
pub fn detect_encoding(
    head: &[u8],
    is_whole_file: bool,
    hint: LanguageHint,
) -> Result<EncodingGuess> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return Ok(EncodingGuess {
            name: encoding.name().to_string(),
            evidence: EncodingEvidence::ByteOrderMark,
            bom_len,
        });
    }
    if let Some(what) = binary_signature(head) {
        return Err(Error::Binary { what });
    }
    if let Some(encoding) = utf16_by_nul_pattern(head) {
        return Ok(EncodingGuess {
            name: encoding.name().to_string(),
            evidence: EncodingEvidence::NulPattern,
            bom_len: 0,
        });
    }
    let sample = &head[..head.len().min(1 << 16)];
    // NUL padding after the last line is not content.
    let sample = &sample[..sample.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)];
    let control_count = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a))
        .count();
    // Random bytes are ~10 % control bytes; text has none, or a stray few.
    if control_count * 100 > sample.len().max(800) {
        return Err(Error::Binary {
            what: BinaryKind::Unknown,
        });
    }
    if is_utf8_prefix(head) {
        return Ok(EncodingGuess {
            name: UTF_8.name().to_string(),
            evidence: EncodingEvidence::ValidUtf8,
            bom_len: 0,
        });
    }
    guess_legacy(head, is_whole_file, hint)
}

/// A file that is not UTF-8: chardetng's guess, given the interface language, then the header
/// row's word between GBK and Big5.
#[cfg(feature = "legacy-encodings")]
fn guess_legacy(head: &[u8], is_whole_file: bool, hint: LanguageHint) -> Result<EncodingGuess> {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, is_whole_file);
    let tld: Option<&[u8]> = match hint {
        LanguageHint::SimplifiedChinese => Some(b"cn"),
        LanguageHint::TraditionalChinese => Some(b"tw"),
        LanguageHint::Other => None,
    };
    let (mut encoding, mut confident) = detector.guess_assess(tld, false);
    // GB18030 is a superset of GBK that decodes every GBK file; name it GBK as users know it,
    // but decode with GB18030 so the rare four-byte characters survive.
    if encoding == GB18030 {
        encoding = GBK;
    }
    let by_header = encoding_naming_more_columns(head, encoding);
    if by_header != encoding {
        encoding = by_header;
        confident = false;
    }
    Ok(EncodingGuess {
        name: encoding.name().to_string(),
        evidence: if confident {
            EncodingEvidence::DetectorConfident
        } else {
            EncodingEvidence::DetectorUnsure
        },
        bom_len: 0,
    })
}

/// Built without the legacy encodings: the reader worker is to read this file.
#[cfg(not(feature = "legacy-encodings"))]
fn guess_legacy(_: &[u8], _: bool, _: LanguageHint) -> Result<EncodingGuess> {
    Err(Error::LegacyEncoding { name: None })
}

/// Of `guess`, GBK and Big5: the encoding under which the most cells of the first non-blank
/// line name a known column; `guess` on a tie.
///
/// GBK and Big5 decode each other's bytes mostly without errors, so errors cannot tell them
/// apart, but mojibake never reads `客户编号` or `銷售額`.
#[cfg(feature = "legacy-encodings")]
fn encoding_naming_more_columns(head: &[u8], guess: &'static Encoding) -> &'static Encoding {
    // Neither encoding uses CR or LF inside a character, so the line can be cut on bytes.
    let Some(line) = head
        .split(|&b| b == b'\n' || b == b'\r')
        .find(|line| !line.iter().all(u8::is_ascii_whitespace))
    else {
        return guess;
    };
    let line = &line[..line.len().min(4096)];
    let named = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(line);
        text.split([',', ';', '\t', '|'])
            .flat_map(|cell| {
                // Whitespace-aligned headers, and quoted names.
                let cell = cell.trim().trim_matches('"');
                std::iter::once(cell).chain(cell.split_whitespace())
            })
            .filter(|cell| names_a_role(cell))
            .count()
    };
    chinese_encoding_reading_most(guess, named)
}

/// Of `guess`, GBK and Big5: the encoding with the largest `count` (of words it reads in the
/// file's head); `guess` on a tie. GBK and Big5 decode each other's bytes without errors, but
/// mojibake never reads a known word, so the import (column names) and the SWOT import (its
/// column and quadrant names) tell them apart this way.
pub fn chinese_encoding_reading_most(
    guess: &'static Encoding,
    count: impl Fn(&'static Encoding) -> usize,
) -> &'static Encoding {
    let mut best = (count(guess), guess);
    for candidate in [GBK, BIG5] {
        if candidate != guess {
            let words = count(candidate);
            if words > best.0 {
                best = (words, candidate);
            }
        }
    }
    best.1
}

/// A streaming decoder: feeds byte chunks of any size, yields UTF-8 text.
///
/// Multi-byte sequences cut by a chunk boundary are carried over. Bytes that are not valid in the
/// encoding become U+FFFD; the count is kept so the import can reject those rows. NUL characters
/// are dropped (padding written by some exporters; no cell means one).
pub struct ChunkDecoder {
    decoder: TextDecoder,
    bom_to_skip: usize,
    replacements: u64,
}

/// The decoder of one encoding.
enum TextDecoder {
    Utf8(Utf8Decoder),
    Utf16(Utf16Decoder),
    #[cfg(feature = "legacy-encodings")]
    Legacy(Box<Decoder>),
}

impl ChunkDecoder {
    /// A decoder for the encoding named `name` (WHATWG label), skipping `bom_len` leading bytes.
    ///
    /// # Errors
    /// [`Error::UnknownEncoding`] for a name that is no encoding's label;
    /// [`Error::LegacyEncoding`] for an encoding other than UTF-8 and UTF-16 when built without
    /// the `legacy-encodings` feature.
    pub fn new(name: &str, bom_len: usize) -> Result<Self> {
        let encoding = encoding_by_name(name)?;
        let decoder = if encoding == UTF_8 {
            TextDecoder::Utf8(Utf8Decoder::default())
        } else if encoding == UTF_16LE || encoding == UTF_16BE {
            TextDecoder::Utf16(Utf16Decoder::new(encoding == UTF_16BE))
        } else {
            legacy_decoder(encoding)?
        };
        Ok(ChunkDecoder {
            decoder,
            bom_to_skip: bom_len,
            replacements: 0,
        })
    }

    /// Decodes `chunk`, appending to `out`. Pass `last = true` with the final chunk (may be empty).
    pub fn decode(&mut self, mut chunk: &[u8], last: bool, out: &mut String) {
        if self.bom_to_skip > 0 {
            let skip = self.bom_to_skip.min(chunk.len());
            chunk = &chunk[skip..];
            self.bom_to_skip -= skip;
        }
        let before = out.len();
        // The decoders report each malformed sequence, so the count is exact: a U+FFFD that was
        // already in the file is text, not a replacement (counting U+FFFD in the output, as
        // before, depended on where the chunks were cut).
        self.replacements += match &mut self.decoder {
            TextDecoder::Utf8(decoder) => decoder.decode(chunk, last, out),
            TextDecoder::Utf16(decoder) => decoder.decode(chunk, last, out),
            #[cfg(feature = "legacy-encodings")]
            TextDecoder::Legacy(decoder) => decode_legacy(decoder, chunk, last, out),
        };
        if out[before..].contains('\0') {
            let kept: String = out[before..].chars().filter(|&c| c != '\0').collect();
            out.truncate(before);
            out.push_str(&kept);
        }
    }

    /// Number of replacement characters produced so far.
    pub fn replacements(&self) -> u64 {
        self.replacements
    }
}

/// encoding_rs's decoder of a legacy encoding (GBK read as GB18030, its superset, so the rare
/// four-byte characters survive).
#[cfg(feature = "legacy-encodings")]
fn legacy_decoder(mut encoding: &'static Encoding) -> Result<TextDecoder> {
    if encoding == GBK {
        encoding = GB18030;
    }
    Ok(TextDecoder::Legacy(Box::new(
        encoding.new_decoder_without_bom_handling(),
    )))
}

#[cfg(not(feature = "legacy-encodings"))]
fn legacy_decoder(encoding: &'static Encoding) -> Result<TextDecoder> {
    Err(Error::LegacyEncoding {
        name: Some(encoding.name().to_string()),
    })
}

/// Decodes `chunk` with encoding_rs; returns the number of malformed sequences replaced.
#[cfg(feature = "legacy-encodings")]
fn decode_legacy(decoder: &mut Decoder, mut chunk: &[u8], last: bool, out: &mut String) -> u64 {
    let mut replaced = 0;
    loop {
        let needed = decoder
            .max_utf8_buffer_length_without_replacement(chunk.len())
            .unwrap_or(chunk.len() * 3 + 16);
        out.reserve(needed);
        let (result, read) = decoder.decode_to_string_without_replacement(chunk, out, last);
        chunk = &chunk[read..];
        match result {
            DecoderResult::InputEmpty => return replaced,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(..) => {
                out.push('\u{FFFD}');
                replaced += 1;
            }
        }
    }
}

/// Decodes a whole byte slice in one go.
pub fn decode_all(bytes: &[u8], guess: &EncodingGuess) -> Result<String> {
    let mut decoder = ChunkDecoder::new(&guess.name, guess.bom_len)?;
    let mut out = String::new();
    decoder.decode(bytes, true, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn short_gbk_header_is_gbk_with_the_chinese_hint() {
        // Regression: chardetng alone says EUC-KR, confidently, for a GBK header row.
        let bytes = encode("客户编号,日期,金额\n", GBK);
        let guess = detect_encoding(&bytes, true, LanguageHint::SimplifiedChinese).unwrap();
        assert_eq!(guess.name, "GBK");
        let text = decode_all(&bytes, &guess).unwrap();
        assert_eq!(text, "客户编号,日期,金额\n");
    }

    #[test]
    fn boms_win() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("a,b\n".as_bytes());
        let guess = detect_encoding(&bytes, true, LanguageHint::Other).unwrap();
        assert_eq!((guess.name.as_str(), guess.bom_len), ("UTF-8", 3));
        assert_eq!(decode_all(&bytes, &guess).unwrap(), "a,b\n");

        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16le("客户\t金额\n"));
        let guess = detect_encoding(&bytes, true, LanguageHint::Other).unwrap();
        assert_eq!(guess.name, "UTF-16LE");
        assert_eq!(decode_all(&bytes, &guess).unwrap(), "客户\t金额\n");
    }

    #[test]
    fn utf16_without_bom_by_nul_pattern() {
        let bytes = utf16le("customer\tamount\nc1\t12.5\n");
        let guess = detect_encoding(&bytes, true, LanguageHint::Other).unwrap();
        assert_eq!(
            (guess.name.as_str(), guess.evidence),
            ("UTF-16LE", EncodingEvidence::NulPattern)
        );
        let be: Vec<u8> = "customer,amount\nc1,1\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(
            detect_encoding(&be, true, LanguageHint::Other)
                .unwrap()
                .name,
            "UTF-16BE"
        );
    }

    #[test]
    fn big5_with_the_traditional_hint() {
        let bytes = encode(
            "客戶編號,訂單日期,銷售額\nC001,2024/1/5,100\nC002,2024/1/6,200\n",
            BIG5,
        );
        let guess = detect_encoding(&bytes, true, LanguageHint::TraditionalChinese).unwrap();
        assert_eq!(guess.name, "Big5");
    }

    #[test]
    fn big5_and_gbk_are_decided_by_the_header_whatever_the_interface_language() {
        // Regression: under the zh-CN prior chardetng read Big5 as GBK (mojibake headers, and it
        // said it was sure); under zh-TW, GBK as Big5.
        let big5 = encode(
            "客戶編號,訂單日期,銷售額\nT001,2024/1/5,100\nT002,2024/1/6,200\n",
            BIG5,
        );
        let gbk = encode(
            "客户编号,订单日期,实付金额\nC001,2024年1月5日,100\nC002,2024年1月6日,200\n",
            GBK,
        );
        let cases = [
            (&big5, LanguageHint::SimplifiedChinese, "Big5"),
            (&big5, LanguageHint::TraditionalChinese, "Big5"),
            (&gbk, LanguageHint::SimplifiedChinese, "GBK"),
            (&gbk, LanguageHint::TraditionalChinese, "GBK"),
        ];
        for (bytes, hint, expected) in cases {
            let guess = detect_encoding(bytes, true, hint).unwrap();
            assert_eq!(guess.name, expected, "{hint:?}");
        }
    }

    #[test]
    fn a_few_nul_bytes_do_not_make_a_file_binary() {
        // Regression: one NUL anywhere (padding, a stray byte in a cell) refused the file.
        let bytes = b"customer,amount\nc1,5\x00\nc2,6\n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
        let guess = detect_encoding(bytes, true, LanguageHint::Other).unwrap();
        assert_eq!(guess.name, "UTF-8");
        assert_eq!(
            decode_all(bytes, &guess).unwrap(),
            "customer,amount\nc1,5\nc2,6\n"
        );
    }

    #[test]
    fn replacements_count_invalid_bytes_not_replacement_characters_in_the_file() {
        // Regression: U+FFFD was counted in the decoded text of chunks that had an error, so a
        // U+FFFD already in the file counted or not depending on where the chunks were cut.
        let bytes = "a\u{FFFD},b\n"
            .bytes()
            .chain([0xFF, b'\n', 0xC3])
            .collect::<Vec<u8>>();
        for size in [1, 2, 5, bytes.len()] {
            let mut decoder = ChunkDecoder::new("UTF-8", 0).unwrap();
            let mut out = String::new();
            for chunk in bytes.chunks(size) {
                decoder.decode(chunk, false, &mut out);
            }
            decoder.decode(&[], true, &mut out);
            assert_eq!(out, "a\u{FFFD},b\n\u{FFFD}\n\u{FFFD}", "chunks of {size}");
            assert_eq!(decoder.replacements(), 2, "chunks of {size}");
        }
    }

    #[test]
    fn binary_files_are_refused() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(matches!(
            detect_encoding(png, true, LanguageHint::Other),
            Err(Error::Binary { .. })
        ));
        let junk = [0u8, 1, 2, 3, 200, 201, 0, 0, 7, 8, 0, 9, 250];
        assert!(matches!(
            detect_encoding(&junk, true, LanguageHint::Other),
            Err(Error::Binary { .. })
        ));
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00";
        let error = detect_encoding(xlsx, true, LanguageHint::Other).unwrap_err();
        assert!(error.to_string().contains("Excel"), "{error}");
    }

    #[test]
    fn chunk_boundaries_inside_characters() {
        let bytes = encode("客户编号,金额\n张三,100\n", GBK);
        let guess = EncodingGuess {
            name: "GBK".into(),
            evidence: EncodingEvidence::UserChoice,
            bom_len: 0,
        };
        let mut decoder = ChunkDecoder::new(&guess.name, 0).unwrap();
        let mut out = String::new();
        for byte in &bytes {
            decoder.decode(std::slice::from_ref(byte), false, &mut out);
        }
        decoder.decode(&[], true, &mut out);
        assert_eq!(out, "客户编号,金额\n张三,100\n");
        assert_eq!(decoder.replacements(), 0);
    }
}
