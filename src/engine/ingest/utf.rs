//! Streaming UTF-8 and UTF-16 decoders of the WHATWG Encoding Standard, without encoding_rs's
//! decoders: these need no tables, so the import worker, which reads every UTF-8 and UTF-16 file,
//! links none of the legacy encodings' tables (the reader worker decodes those files; see
//! [`super::encoding`]). Errors are replaced as the standard says, one U+FFFD per maximal invalid
//! subpart (UTF-8) or per unpaired surrogate and per odd byte at the end (UTF-16), which is what
//! encoding_rs does: the property tests below compare the two on any bytes, cut anywhere.

/// Appends the text of UTF-8 bytes fed in chunks; a sequence cut by a chunk's end waits for the
/// next one.
#[derive(Debug, Default)]
pub(super) struct Utf8Decoder {
    /// The start of a sequence cut at the end of the last chunk (at most 3 bytes).
    pending: Vec<u8>,
}

impl Utf8Decoder {
    /// Decodes `chunk` onto `out`; returns the number of replacement characters written.
    pub(super) fn decode(&mut self, mut chunk: &[u8], last: bool, out: &mut String) -> u64 {
        let mut replaced = 0;
        // Finish the sequence the last chunk cut, a byte at a time.
        while !self.pending.is_empty() {
            let Some(&byte) = chunk.first() else {
                break;
            };
            self.pending.push(byte);
            match std::str::from_utf8(&self.pending) {
                Ok(text) => {
                    out.push_str(text);
                    self.pending.clear();
                    chunk = &chunk[1..];
                }
                Err(error) if error.error_len().is_none() => chunk = &chunk[1..],
                Err(_) => {
                    // The bytes before `byte` were a sequence's valid start: one error, and
                    // `byte` is read again as the start of what follows.
                    out.push('\u{FFFD}');
                    replaced += 1;
                    self.pending.clear();
                }
            }
        }
        let mut pieces = chunk.utf8_chunks().peekable();
        while let Some(piece) = pieces.next() {
            out.push_str(piece.valid());
            let invalid = piece.invalid();
            if invalid.is_empty() {
                continue;
            }
            let cut_at_the_end = !last
                && pieces.peek().is_none()
                && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none());
            if cut_at_the_end {
                self.pending.extend_from_slice(invalid);
            } else {
                out.push('\u{FFFD}');
                replaced += 1;
            }
        }
        if last && !self.pending.is_empty() {
            out.push('\u{FFFD}');
            replaced += 1;
            self.pending.clear();
        }
        replaced
    }
}

/// Appends the text of UTF-16 bytes (little- or big-endian) fed in chunks.
#[derive(Debug)]
pub(super) struct Utf16Decoder {
    big_endian: bool,
    /// The first byte of a code unit cut by a chunk's end.
    lead_byte: Option<u8>,
    /// A high surrogate waiting for its low one.
    lead_surrogate: Option<u16>,
}

impl Utf16Decoder {
    pub(super) fn new(big_endian: bool) -> Self {
        Utf16Decoder {
            big_endian,
            lead_byte: None,
            lead_surrogate: None,
        }
    }

    /// Decodes `chunk` onto `out`; returns the number of replacement characters written.
    pub(super) fn decode(&mut self, mut chunk: &[u8], last: bool, out: &mut String) -> u64 {
        let mut replaced = 0;
        out.reserve(chunk.len() / 2 * 3 / 2);
        if let (Some(first), Some(&second)) = (self.lead_byte, chunk.first()) {
            self.lead_byte = None;
            chunk = &chunk[1..];
            replaced += self.unit(self.unit_of([first, second]), out);
        }
        let mut pairs = chunk.chunks_exact(2);
        for pair in &mut pairs {
            replaced += self.unit(self.unit_of([pair[0], pair[1]]), out);
        }
        if let [odd] = pairs.remainder() {
            self.lead_byte = Some(*odd);
        }
        if last && (self.lead_byte.is_some() || self.lead_surrogate.is_some()) {
            // The standard: one error for whatever was left half read.
            self.lead_byte = None;
            self.lead_surrogate = None;
            out.push('\u{FFFD}');
            replaced += 1;
        }
        replaced
    }

    fn unit_of(&self, bytes: [u8; 2]) -> u16 {
        if self.big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        }
    }

    /// Takes one code unit; returns the replacement characters written (0, 1).
    fn unit(&mut self, unit: u16, out: &mut String) -> u64 {
        let mut replaced = 0;
        if let Some(high) = self.lead_surrogate.take() {
            if (0xDC00..=0xDFFF).contains(&unit) {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                return 0;
            }
            // A high surrogate alone: an error, and `unit` is read as usual.
            out.push('\u{FFFD}');
            replaced += 1;
        }
        match unit {
            0xD800..=0xDBFF => self.lead_surrogate = Some(unit),
            0xDC00..=0xDFFF => {
                out.push('\u{FFFD}');
                replaced += 1;
            }
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}')),
        }
        replaced
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
    use proptest::prelude::*;

    /// encoding_rs's decode of `bytes` (no BOM handling), and its count of errors.
    fn reference(encoding: &'static Encoding, bytes: &[u8]) -> (String, u64) {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(bytes.len() * 3 + 16);
        let mut rest = bytes;
        let mut errors = 0;
        loop {
            let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
            rest = &rest[read..];
            match result {
                encoding_rs::DecoderResult::InputEmpty => break,
                encoding_rs::DecoderResult::OutputFull => out.reserve(rest.len() * 3 + 16),
                encoding_rs::DecoderResult::Malformed(..) => {
                    out.push('\u{FFFD}');
                    errors += 1;
                }
            }
        }
        (out, errors)
    }

    /// Ours, fed `bytes` in chunks cut at `cuts` (offsets, any order, any value).
    fn ours(encoding: &'static Encoding, bytes: &[u8], cuts: &[usize]) -> (String, u64) {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut out = String::new();
        let mut errors = 0;
        let mut utf8 = Utf8Decoder::default();
        let mut utf16 = Utf16Decoder::new(encoding == UTF_16BE);
        let mut feed = |chunk: &[u8], last: bool, out: &mut String| {
            if encoding == UTF_8 {
                utf8.decode(chunk, last, out)
            } else {
                utf16.decode(chunk, last, out)
            }
        };
        let mut from = 0;
        for cut in cuts {
            errors += feed(&bytes[from..cut], false, &mut out);
            from = cut;
        }
        errors += feed(&bytes[from..], false, &mut out);
        errors += feed(&[], true, &mut out);
        (out, errors)
    }

    /// Bytes that hit the decoders' edges often: ASCII, UTF-8 lead and trail bytes, surrogates.
    fn edgy_bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                any::<u8>(),
                Just(b'a'),
                0x80u8..0xC0,
                0xC0u8..0xF8,
                Just(0xD8u8),
                Just(0xDCu8),
                Just(0xED),
                Just(0xF4),
            ],
            0..64,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn utf8_as_encoding_rs_however_cut(bytes in edgy_bytes(), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
            prop_assert_eq!(ours(UTF_8, &bytes, &cuts), reference(UTF_8, &bytes));
        }

        #[test]
        fn utf16le_as_encoding_rs_however_cut(bytes in edgy_bytes(), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
            prop_assert_eq!(ours(UTF_16LE, &bytes, &cuts), reference(UTF_16LE, &bytes));
        }

        #[test]
        fn utf16be_as_encoding_rs_however_cut(bytes in edgy_bytes(), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
            prop_assert_eq!(ours(UTF_16BE, &bytes, &cuts), reference(UTF_16BE, &bytes));
        }

        #[test]
        fn valid_text_round_trips(text in "\\PC{0,40}", cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
            let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            prop_assert_eq!(ours(UTF_8, text.as_bytes(), &cuts), (text.clone(), 0));
            prop_assert_eq!(ours(UTF_16LE, &utf16le, &cuts), (text, 0));
        }
    }

    #[test]
    fn every_chunk_size_of_mixed_text() {
        let text = "客户编号,金额\n张三,100\n😀,\u{FFFD}\n";
        let mut bytes = text.as_bytes().to_vec();
        bytes.extend_from_slice(&[0xF0, 0x9F, 0x98, b'\n', 0xE2, 0x82]);
        for size in 1..bytes.len() {
            let cuts: Vec<usize> = (size..bytes.len()).step_by(size).collect();
            assert_eq!(
                ours(UTF_8, &bytes, &cuts),
                reference(UTF_8, &bytes),
                "{size}"
            );
        }
    }
}
