//! CSV dialects: which delimiter a file uses, and a streaming record splitter that knows on which
//! line of the file each record starts.
//!
//! Line numbers are counted from the text itself (LF, CRLF and lone CR each end a line, quoted
//! newlines included), because the `csv` crate's `Position::line()` is wrong for CRLF and CR files.

use csv_core::{ReadRecordResult, ReaderBuilder};
use serde::{Deserialize, Serialize};

/// The field separator of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Delimiter {
    /// `,`
    Comma,
    /// `;` (continental Excel)
    Semicolon,
    /// tab (Excel "Unicode text", copied cells)
    Tab,
    /// `|`
    Pipe,
    /// runs of spaces, as in whitespace-aligned exports (`00001 19970101  1  11.77`); no quoting
    Whitespace,
}

/// What a double quote means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Quotes {
    /// RFC 4180: a field that starts with `"` runs to the next lone `"`, delimiters and line
    /// breaks included; `""` inside is one quote.
    #[default]
    Standard,
    /// A quote is a character like any other: fields end at every delimiter and every line
    /// ends a record. For files with stray quotes (an opening quote never closed), offered when
    /// a quoted field runs over many lines.
    Literal,
}

/// The longest record read, in bytes of text (delimiters and quotes included): longer ones,
/// such as a quote left open to the end of a big file or a 20 MB line, are rejected whole
/// ([`Record::overflow`]) instead of being kept in memory.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

impl Delimiter {
    /// All delimiters, in the order the sniffer prefers them on a tie.
    pub const ALL: [Delimiter; 5] = [
        Delimiter::Tab,
        Delimiter::Semicolon,
        Delimiter::Comma,
        Delimiter::Pipe,
        Delimiter::Whitespace,
    ];

    /// The byte, for single-byte delimiters.
    pub fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Comma => Some(b','),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Tab => Some(b'\t'),
            Delimiter::Pipe => Some(b'|'),
            Delimiter::Whitespace => None,
        }
    }

    /// A stable machine name (`comma`, `semicolon`, `tab`, `pipe`, `whitespace`).
    pub fn as_str(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Tab => "tab",
            Delimiter::Pipe => "pipe",
            Delimiter::Whitespace => "whitespace",
        }
    }

    /// Parses [`Delimiter::as_str`] back.
    pub fn from_name(name: &str) -> Option<Delimiter> {
        Delimiter::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// Counts `delimiter` outside double quotes in each of the first lines of `sample`.
fn counts_per_line(sample: &str, delimiter: u8) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut in_quotes = false;
    let mut count = 0usize;
    let mut line_has_content = false;
    for &b in sample.as_bytes() {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                line_has_content = true;
            }
            b'\n' | b'\r' if !in_quotes => {
                if line_has_content {
                    counts.push(count);
                }
                count = 0;
                line_has_content = false;
                if counts.len() >= 200 {
                    break;
                }
            }
            _ if b == delimiter && !in_quotes => {
                count += 1;
                line_has_content = true;
            }
            _ => line_has_content = true,
        }
    }
    if line_has_content {
        counts.push(count);
    }
    counts
}

/// The most frequent value and the share of lines that have it.
fn mode_and_consistency(counts: &[usize]) -> (usize, f64) {
    if counts.is_empty() {
        return (0, 0.0);
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_run, mut run) = (sorted[0], 0usize, 0usize);
    for i in 0..sorted.len() {
        run = if i > 0 && sorted[i] == sorted[i - 1] {
            run + 1
        } else {
            1
        };
        if run > best_run || (run == best_run && sorted[i] > best) {
            best_run = run;
            best = sorted[i];
        }
    }
    (best, best_run as f64 / counts.len() as f64)
}

/// Guesses the delimiter from the start of the decoded text.
///
/// The candidate whose per-line count is the same on most lines wins; ties go to the larger count
/// and then to [`Delimiter::ALL`] order. Runs of spaces win only when no single-byte delimiter occurs.
pub fn sniff_delimiter(sample: &str) -> Delimiter {
    // Drop a possibly cut-off last line.
    let sample = match sample.rfind(['\n', '\r']) {
        Some(end) if end + 1 < sample.len() && sample.len() > 4096 => &sample[..end],
        _ => sample,
    };
    let mut best: Option<(Delimiter, f64, usize)> = None;
    for delimiter in Delimiter::ALL {
        let Some(byte) = delimiter.byte() else {
            continue;
        };
        let counts = counts_per_line(sample, byte);
        let (mode, consistency) = mode_and_consistency(&counts);
        if mode == 0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((_, c, m)) => {
                consistency > c + 1e-9 || ((consistency - c).abs() <= 1e-9 && mode > m)
            }
        };
        if better {
            best = Some((delimiter, consistency, mode));
        }
    }
    match best {
        Some((delimiter, consistency, _)) if consistency >= 0.5 => delimiter,
        _ => {
            let fields: Vec<usize> = sample
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(200)
                .map(|l| l.split_whitespace().count())
                .collect();
            let (mode, consistency) = mode_and_consistency(&fields);
            if mode >= 2 && consistency >= 0.5 {
                Delimiter::Whitespace
            } else {
                best.map(|b| b.0).unwrap_or(Delimiter::Comma)
            }
        }
    }
}

/// One record of the file, borrowed from the splitter.
pub struct Record<'a> {
    /// 1-based line on which the record starts.
    pub line: u64,
    /// How many lines the record spans (1, more when a quoted field holds line breaks).
    pub lines: u64,
    /// The record is longer than [`MAX_RECORD_BYTES`]: only its start was kept, its fields are
    /// incomplete.
    pub overflow: bool,
    /// The fields one after the other (as csv-core writes them), or, with a `separator`, the
    /// line itself: the fields with that byte between them.
    text: &'a str,
    /// Where each field ends in `text`.
    ends: &'a [usize],
    /// The delimiter between the fields in `text`, when it is there.
    separator: Option<u8>,
}

impl<'a> Record<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i` as text, or `""` when the record is shorter.
    pub fn field(&self, i: usize) -> &'a str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = match i.checked_sub(1).and_then(|before| self.ends.get(before)) {
            Some(&previous) => previous + usize::from(self.separator.is_some()),
            None => 0,
        };
        // Fields end where csv-core dropped an ASCII byte (delimiter, quote, line end), or at a
        // delimiter of the line: always on a character boundary, so this never fails.
        self.text.get(start..end).unwrap_or("")
    }

    /// True when every field is empty or white space (a blank line, or `,,,`).
    pub fn is_blank(&self) -> bool {
        // Fast path on the raw bytes: the first byte that is neither ASCII white space nor a
        // delimiter between fields decides, unless it is not ASCII: it may start Unicode white
        // space (U+3000), so the fields are checked.
        let separator = self.separator;
        match self
            .text
            .bytes()
            .find(|&b| !b.is_ascii_whitespace() && Some(b) != separator)
        {
            None => true,
            Some(b) if b.is_ascii() => false,
            Some(_) => (0..self.len()).all(|i| self.field(i).trim().is_empty()),
        }
    }

    /// True when a field holds U+FFFD, the decoder's mark for bytes invalid in the encoding.
    /// ASCII records (most rows) are answered without a search.
    pub fn has_replacement_char(&self) -> bool {
        const MARK: &[u8] = "\u{FFFD}".as_bytes();
        if self.text.is_ascii() {
            return false;
        }
        // CJK text hardly ever has the mark's first byte (0xEF: only full-width forms do).
        // Delimiters are ASCII, so a mark is never found across two fields.
        let mut rest = self.text.as_bytes();
        while let Some(i) = rest.iter().position(|&b| b == MARK[0]) {
            if rest[i..].starts_with(MARK) {
                return true;
            }
            rest = &rest[i + 1..];
        }
        false
    }

    /// True for Excel's `sep=;` first line (split by any delimiter: `sep=;`, or `sep=` and an
    /// empty field); the caller skips it when it is the first record.
    pub fn is_sep_line(&self) -> bool {
        let name = self.field(0);
        let Some(prefix) = name.get(..4) else {
            return false;
        };
        if !prefix.eq_ignore_ascii_case("sep=") {
            return false;
        }
        match self.len() {
            1 => matches!(&name[4..], "," | ";" | "\t" | "|"),
            2 => name.len() == 4 && self.field(1).is_empty(),
            _ => false,
        }
    }

    /// A record of a table file's row (cells already apart, see
    /// [`Importer::push_row`](super::Importer::push_row)): `text` holds the fields one after
    /// the other, `ends` where each ends; on `line`, one line long.
    pub(crate) fn of_table(line: u64, text: &'a str, ends: &'a [usize]) -> Record<'a> {
        Record {
            line,
            lines: 1,
            overflow: text.len() > MAX_RECORD_BYTES,
            text,
            ends,
            separator: None,
        }
    }

    /// The fields as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.field(i).to_string()).collect()
    }
}

/// Line terminators in `text` (LF, CRLF and a lone CR each count once).
pub(crate) fn line_breaks(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut count = 0;
    for at in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        let lf_after_cr = bytes[at] == b'\n' && at > 0 && bytes[at - 1] == b'\r';
        if !lf_after_cr {
            count += 1;
        }
    }
    count
}

/// Splits decoded text, fed in chunks of any size, into records with their line numbers.
///
/// Lines without a double quote, the vast majority, are split here at the delimiter, which is
/// what csv-core makes of them, only without copying them; csv-core reads every record that has
/// a quote, and every line that the text fed so far does not finish.
pub struct RecordSplitter {
    delimiter: Delimiter,
    quotes: Quotes,
    /// Bytes of text the record csv-core is reading took so far.
    record_bytes: usize,
    /// That record is longer than [`MAX_RECORD_BYTES`]: csv-core's output is thrown away.
    overflow: bool,
    /// The last byte csv-core took was a line terminator.
    took_terminator: bool,
    /// Where csv-core writes while `overflow` holds.
    scratch: Vec<u8>,
    scratch_ends: Vec<usize>,
    core: csv_core::Reader,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Field ends of a line split without csv-core.
    line_ends: Vec<usize>,
    /// Split unquoted lines without csv-core (off only to test that path against csv-core's).
    plain_lines: bool,
    /// Line terminators seen so far.
    lines: u64,
    prev_cr: bool,
    start_line: Option<u64>,
    /// Whitespace mode: the unfinished last line.
    pending: String,
    pending_line: u64,
    done: bool,
    /// Nothing but byte-order marks seen yet.
    at_start: bool,
}

/// A word of eight copies of `byte`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The high bit of each byte of `word` that is zero (exact: no carry runs between bytes).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn zero_bytes(word: u64) -> u64 {
    const LOW_7: u64 = splat(0x7F);
    !(((word & LOW_7) + LOW_7) | word) & splat(0x80)
}

/// Bytes looked at together by [`SpecialBytes`]: one bit each in a `u64`.
const BLOCK: usize = 64;

/// One bit per byte of `block` (bit `i` for byte `i`) that is the delimiter, CR, LF or `"`:
/// eight bytes a word, each word's eight high bits gathered by one multiplication.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn block_mask(block: &[u8; BLOCK], delimiter: u8) -> u64 {
    let delimiter = splat(delimiter);
    let mut mask = 0u64;
    for (i, word) in block.chunks_exact(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let word = u64::from_le_bytes(bytes);
        let high = zero_bytes(word ^ delimiter)
            | zero_bytes(word ^ splat(b'\r'))
            | zero_bytes(word ^ splat(b'\n'))
            | zero_bytes(word ^ splat(b'"'));
        // Bit 7 of byte k moves to bit 56 + k: the multiplier has one bit per byte, and no
        // two products land on the same bit.
        let gathered = (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask |= gathered << (8 * i);
    }
    mask
}

/// One bit per byte of `block` (bit `i` for byte `i`) that is the delimiter, CR, LF or `"`:
/// sixteen bytes at a time with wasm's SIMD128 (the build enables it, `.cargo/config.toml`).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn block_mask(block: &[u8; BLOCK], delimiter: u8) -> u64 {
    use core::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_eq, u8x16_splat, v128_or};
    let (delimiter, cr) = (u8x16_splat(delimiter), u8x16_splat(b'\r'));
    let (lf, quote) = (u8x16_splat(b'\n'), u8x16_splat(b'"'));
    let mut mask = 0u64;
    for (i, part) in block.chunks_exact(16).enumerate() {
        let mut low = [0u8; 8];
        let mut high = [0u8; 8];
        low.copy_from_slice(&part[..8]);
        high.copy_from_slice(&part[8..]);
        let v = u64x2(u64::from_le_bytes(low), u64::from_le_bytes(high));
        let hits = v128_or(
            v128_or(u8x16_eq(v, delimiter), u8x16_eq(v, cr)),
            v128_or(u8x16_eq(v, lf), u8x16_eq(v, quote)),
        );
        mask |= u64::from(u8x16_bitmask(hits)) << (16 * i);
    }
    mask
}

/// Positions of the bytes a plain line ends or splits at (the delimiter, CR, LF) or that make
/// it not plain (`"`), in order, [`BLOCK`] bytes at a time.
struct SpecialBytes<'a> {
    bytes: &'a [u8],
    delimiter: u8,
    /// Start of the block `mask` belongs to.
    block_start: usize,
    /// One bit for each special byte of that block not yet returned.
    mask: u64,
}

impl<'a> SpecialBytes<'a> {
    fn new(bytes: &'a [u8], delimiter: u8) -> Self {
        let mut specials = SpecialBytes {
            bytes,
            delimiter,
            block_start: 0,
            mask: 0,
        };
        specials.mask = specials.mask_at(0);
        specials
    }

    /// The special bytes of the block at `start` (zero bytes past the end, which are not
    /// special: the delimiter is never one).
    fn mask_at(&self, start: usize) -> u64 {
        match self.bytes.get(start..start + BLOCK) {
            Some(full) => {
                let mut block = [0u8; BLOCK];
                block.copy_from_slice(full);
                block_mask(&block, self.delimiter)
            }
            None => {
                let mut block = [0u8; BLOCK];
                let tail = self.bytes.get(start..).unwrap_or_default();
                block.iter_mut().zip(tail).for_each(|(b, &t)| *b = t);
                block_mask(&block, self.delimiter)
            }
        }
    }
}

impl Iterator for SpecialBytes<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block_start += BLOCK;
            if self.block_start >= self.bytes.len() {
                return None;
            }
            self.mask = self.mask_at(self.block_start);
        }
        let bit = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.block_start + bit)
    }
}

impl RecordSplitter {
    /// A splitter for `delimiter`.
    pub fn new(delimiter: Delimiter) -> Self {
        Self::with_quotes(delimiter, Quotes::Standard)
    }

    /// A splitter for `delimiter` that reads double quotes as `quotes` says.
    pub fn with_quotes(delimiter: Delimiter, quotes: Quotes) -> Self {
        let mut core = ReaderBuilder::new()
            .delimiter(delimiter.byte().unwrap_or(b','))
            .quoting(quotes == Quotes::Standard)
            .build();
        // csv-core drops a byte-order mark at the start of the first input it reads. This
        // splitter drops those itself, so csv-core's first input never starts with one; but
        // with unquoted lines split here, csv-core may first read a line in the middle of the
        // text. A line feed, which it skips, makes every later read a read after the first.
        core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        RecordSplitter {
            delimiter,
            quotes,
            record_bytes: 0,
            overflow: false,
            took_terminator: false,
            scratch: Vec::new(),
            scratch_ends: Vec::new(),
            core,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
            line_ends: Vec::with_capacity(64),
            plain_lines: true,
            lines: 0,
            prev_cr: false,
            start_line: None,
            pending: String::new(),
            pending_line: 1,
            done: false,
            at_start: true,
        }
    }

    /// The text to come does not start the file (a later part of it): a U+FEFF there is text,
    /// not a byte-order mark.
    pub fn continue_mid_file(&mut self) {
        self.at_start = false;
    }

    /// Line terminators taken so far (a CR LF pair counts once).
    pub fn lines_seen(&self) -> u64 {
        self.lines
    }

    /// True when no record is half read: the last text fed ended a record (or a blank line).
    pub fn at_record_boundary(&self) -> bool {
        if self.delimiter == Delimiter::Whitespace {
            self.pending.is_empty()
        } else {
            self.out_len == 0 && self.ends_len == 0 && self.start_line.is_none()
        }
    }

    /// Counts one line terminator (a LF right after a CR is not one).
    fn count_terminator(&mut self, byte: u8) {
        if byte == b'\r' {
            self.lines += 1;
            self.prev_cr = true;
        } else {
            if !self.prev_cr {
                self.lines += 1;
            }
            self.prev_cr = false;
        }
    }

    /// Counts line terminators in `consumed`, and notes where a record starts.
    fn account(&mut self, consumed: &[u8]) {
        if let Some(&last) = consumed.last() {
            self.took_terminator = last == b'\r' || last == b'\n';
        }
        let mut rest = consumed;
        if self.start_line.is_none() {
            let Some(first) = rest.iter().position(|&b| b != b'\r' && b != b'\n') else {
                rest.iter().for_each(|&b| self.count_terminator(b));
                return;
            };
            let (terminators, record) = rest.split_at(first);
            terminators.iter().for_each(|&b| self.count_terminator(b));
            self.start_line = Some(self.lines + 1);
            self.prev_cr = false;
            rest = record;
        }
        // Inside a record: only the line ends matter (quoted ones included).
        let mut from = 0;
        for at in memchr::memchr2_iter(b'\r', b'\n', rest) {
            if at > from {
                self.prev_cr = false;
            }
            if let Some(&byte) = rest.get(at) {
                self.count_terminator(byte);
            }
            from = at + 1;
        }
        if from < rest.len() {
            self.prev_cr = false;
        }
    }

    /// At a record boundary: emits the complete lines at the start of `text` that have no
    /// double quote, split at `delimiter`, as csv-core would (blank lines skipped). Returns how
    /// many bytes were taken (up to the first line left to csv-core), and `false` when
    /// `on_record` asked to stop.
    fn split_plain_lines(
        &mut self,
        text: &str,
        delimiter: u8,
        on_record: &mut dyn FnMut(&Record) -> bool,
    ) -> (usize, bool) {
        let bytes = text.as_bytes();
        // Start of the current line (just after the last terminator taken).
        let mut start = 0;
        self.line_ends.clear();
        for at in SpecialBytes::new(bytes, delimiter) {
            let Some(&byte) = bytes.get(at) else {
                break;
            };
            if byte == delimiter {
                self.line_ends.push(at - start);
                continue;
            }
            if byte == b'"' {
                if self.quotes == Quotes::Literal {
                    continue;
                }
                // Quoted: csv-core reads this record.
                return (start, true);
            }
            if at == start {
                // A blank line, or the LF of a CR LF.
                self.count_terminator(byte);
                start = at + 1;
                continue;
            }
            self.line_ends.push(at - start);
            let overflow = at - start > MAX_RECORD_BYTES;
            if overflow {
                // As csv-core's output would be: the fields that start within the limit.
                let keep = self
                    .line_ends
                    .iter()
                    .position(|&end| end > MAX_RECORD_BYTES)
                    .map_or(self.line_ends.len(), |i| i + 1);
                self.line_ends.truncate(keep);
            }
            let record = Record {
                line: self.lines + 1,
                lines: 1,
                overflow,
                text: text.get(start..at).unwrap_or_default(),
                ends: &self.line_ends,
                separator: Some(delimiter),
            };
            let keep_going = on_record(&record);
            self.line_ends.clear();
            self.prev_cr = false;
            self.count_terminator(byte);
            start = at + 1;
            if !keep_going {
                return (start, false);
            }
        }
        // The line is not finished in this text: csv-core keeps it until it is.
        self.line_ends.clear();
        (start, true)
    }

    /// Feeds the next piece of text. `last` marks the end of the input. Calls `on_record` for every
    /// complete record; returns early (with `false`) when `on_record` returns `false`.
    ///
    /// Byte-order marks at the start of the text (a doubled BOM included) are dropped here:
    /// csv-core strips one only when its first input holds all of it, and takes an input that
    /// held nothing else for the end of the data.
    pub fn feed(
        &mut self,
        mut text: &str,
        last: bool,
        on_record: &mut dyn FnMut(&Record) -> bool,
    ) -> bool {
        if self.done {
            return true;
        }
        if self.at_start {
            text = text.trim_start_matches('\u{feff}');
            self.at_start = text.is_empty();
        }
        let delimiter = match self.delimiter.byte() {
            Some(byte) => byte,
            None => return self.feed_whitespace(text, last, on_record),
        };
        // What is left of `text` starts at `pos`.
        let mut pos = 0;
        loop {
            // Between records (csv-core has taken nothing of the next one): plain lines first.
            // `pos` is then just after a line end, or at the start: a character boundary.
            if self.plain_lines && self.start_line.is_none() {
                if let Some(rest) = text.get(pos..) {
                    let (taken, keep_going) = self.split_plain_lines(rest, delimiter, on_record);
                    if !keep_going {
                        return false;
                    }
                    pos += taken;
                }
            }
            let input = text.as_bytes().get(pos..).unwrap_or_default();
            // An empty input tells csv-core that the data has ended: only give it one at the end.
            if input.is_empty() && !last {
                return true;
            }
            let output = match self.overflow {
                // Past the limit: csv-core goes on reading the record, its output is dropped.
                true => &mut self.scratch[..],
                false => &mut self.out[self.out_len..],
            };
            let ends = match self.overflow {
                true => &mut self.scratch_ends[..],
                false => &mut self.ends[self.ends_len..],
            };
            let (result, nin, nout, nend) = self.core.read_record(input, output, ends);
            self.account(input.get(..nin).unwrap_or_default());
            self.record_bytes = self.record_bytes.saturating_add(nin);
            pos += nin;
            if !self.overflow {
                self.out_len += nout;
                self.ends_len += nend;
                if self.record_bytes > MAX_RECORD_BYTES
                    && result != ReadRecordResult::Record
                    && result != ReadRecordResult::End
                {
                    self.overflow = true;
                    self.scratch.resize(64 * 1024, 0);
                    self.scratch_ends.resize(1024, 0);
                }
            }
            match result {
                ReadRecordResult::InputEmpty => {
                    if pos < text.len() {
                        continue;
                    }
                    if !last {
                        return true;
                    }
                    // An empty read tells csv-core the input has ended; it then yields the final record.
                }
                // Past the limit the scratch buffers are written over again.
                ReadRecordResult::OutputFull if !self.overflow => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull if !self.overflow => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record => {
                    // csv-core removes ASCII bytes only (quotes, delimiters, line ends) from UTF-8
                    // text, so what it writes is UTF-8 too; an overflowing record may end
                    // inside a character, which is cut off.
                    let fields = self.out.get(..self.out_len).unwrap_or_default();
                    let text = match std::str::from_utf8(fields) {
                        Ok(text) => text,
                        Err(e) => std::str::from_utf8(&fields[..e.valid_up_to()]).unwrap_or(""),
                    };
                    let line = self.start_line.unwrap_or(self.lines.max(1));
                    // The terminators csv-core took since the record started, its own last one
                    // included when it had one (not at the end of a file without a final line
                    // break). A quote open to the end of the file holds the final line break:
                    // that is the record's end too.
                    let own_end = u64::from(!self.took_terminator);
                    let lines = (self.lines + 1 + own_end).saturating_sub(line).max(1);
                    let ends = self.ends.get(..self.ends_len).unwrap_or_default();
                    let record = Record {
                        line,
                        lines,
                        overflow: self.overflow,
                        text,
                        ends: match self.overflow {
                            // Only the fields that ended before the limit.
                            true => {
                                let keep = ends.iter().take_while(|&&e| e <= text.len()).count();
                                &ends[..keep]
                            }
                            false => ends,
                        },
                        separator: None,
                    };
                    let keep_going = on_record(&record);
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.start_line = None;
                    self.record_bytes = 0;
                    self.overflow = false;
                    if !keep_going {
                        return false;
                    }
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return true;
                }
            }
        }
    }

    fn feed_whitespace(
        &mut self,
        text: &str,
        last: bool,
        on_record: &mut dyn FnMut(&Record) -> bool,
    ) -> bool {
        // A chunk that decoded to nothing (half a UTF-16 code unit) must not forget a pending CR.
        if text.is_empty() && !last {
            return true;
        }
        let mut fields_buf = String::new();
        let mut ends_buf: Vec<usize> = Vec::new();
        let mut emit = |line_text: &str,
                        line: u64,
                        overflow: bool,
                        on_record: &mut dyn FnMut(&Record) -> bool|
         -> bool {
            fields_buf.clear();
            ends_buf.clear();
            let overflow = overflow || line_text.len() > MAX_RECORD_BYTES;
            let line_text = match overflow {
                true => &line_text[..line_text.floor_char_boundary(MAX_RECORD_BYTES)],
                false => line_text,
            };
            for word in line_text.split_whitespace() {
                fields_buf.push_str(word);
                ends_buf.push(fields_buf.len());
            }
            if ends_buf.is_empty() {
                return true;
            }
            on_record(&Record {
                line,
                lines: 1,
                overflow,
                text: &fields_buf,
                ends: &ends_buf,
                separator: None,
            })
        };
        let mut rest = text;
        if self.prev_cr && rest.starts_with('\n') {
            rest = &rest[1..];
        }
        self.prev_cr = false;
        while let Some(pos) = rest.find(['\n', '\r']) {
            let line_text = &rest[..pos];
            let line = self.pending_line;
            let keep = if self.pending.is_empty() && !self.overflow {
                emit(line_text, line, false, on_record)
            } else {
                let mut joined = std::mem::take(&mut self.pending);
                joined.push_str(line_text);
                let overflow = std::mem::take(&mut self.overflow);
                emit(&joined, line, overflow, on_record)
            };
            self.pending_line += 1;
            self.lines += 1;
            let terminator_len = if rest[pos..].starts_with("\r\n") {
                2
            } else {
                1
            };
            if rest.as_bytes()[pos] == b'\r' && pos + 1 == rest.len() {
                self.prev_cr = true;
            }
            rest = &rest[pos + terminator_len..];
            if !keep {
                return false;
            }
        }
        // An unfinished line is kept up to the limit; past it, only that it overflowed.
        let room = (MAX_RECORD_BYTES + 1).saturating_sub(self.pending.len());
        if rest.len() > room {
            self.pending
                .push_str(&rest[..rest.floor_char_boundary(room)]);
            self.overflow = true;
        } else {
            self.pending.push_str(rest);
        }
        if last {
            let remaining = std::mem::take(&mut self.pending);
            self.done = true;
            let overflow = std::mem::take(&mut self.overflow);
            return emit(&remaining, self.pending_line, overflow, on_record);
        }
        true
    }
}

/// Splits a whole text into records (for previews and tests).
pub fn split_all(text: &str, delimiter: Delimiter) -> Vec<(u64, Vec<String>)> {
    let mut rows = Vec::new();
    let mut splitter = RecordSplitter::new(delimiter);
    splitter.feed(text, true, &mut |record| {
        rows.push((record.line, record.to_vec()));
        true
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, delimiter: Delimiter) -> Vec<(u64, Vec<String>)> {
        split_all(text, delimiter)
    }

    #[test]
    fn line_numbers_for_every_line_ending() {
        // Regression: the csv crate reports line 1 for the first data record of a CRLF file.
        let cases = [
            ("h1,h2\na,1\nb,2\n", vec![1, 2, 3]),
            ("h1,h2\r\na,1\r\nb,2\r\n", vec![1, 2, 3]),
            ("h1,h2\ra,1\rb,2\r", vec![1, 2, 3]),
            ("h1,h2\n\na,1\n\n\nb,2", vec![1, 3, 6]),
            ("h1,h2\r\n\"multi\r\nline\",1\r\nb,2\r\n", vec![1, 2, 4]),
            ("h1,h2\n\"x\ny\nz\",1\nb,2\n", vec![1, 2, 5]),
        ];
        for (text, expected) in cases {
            let got: Vec<u64> = lines_of(text, Delimiter::Comma)
                .into_iter()
                .map(|(line, _)| line)
                .collect();
            assert_eq!(got, expected, "text {text:?}");
        }
    }

    #[test]
    fn lines_spanned_by_each_record_however_the_text_is_cut() {
        let cases: [(&str, &[(u64, u64)]); 6] = [
            ("h1,h2\n\"x\ny\nz\",1\nb,2\n", &[(1, 1), (2, 3), (5, 1)]),
            ("h\r\n\"a\r\nb\"\r\nc\r\n", &[(1, 1), (2, 2), (4, 1)]),
            ("a,\"b\n\"", &[(1, 2)]),
            ("a,\"b\nc\n", &[(1, 2)]),
            ("a,\"b\nc", &[(1, 2)]),
            ("a\n\n\"b\n\n\",c\n\nd", &[(1, 1), (3, 3), (7, 1)]),
        ];
        for (text, expected) in cases {
            for size in [1, 2, 3, text.len()] {
                let mut splitter = RecordSplitter::new(Delimiter::Comma);
                let mut got = Vec::new();
                let mut push = |r: &Record| {
                    got.push((r.line, r.lines));
                    true
                };
                for piece in text.as_bytes().chunks(size) {
                    splitter.feed(std::str::from_utf8(piece).unwrap(), false, &mut push);
                }
                splitter.feed("", true, &mut push);
                assert_eq!(got, expected, "{text:?} in pieces of {size}");
            }
        }
    }

    #[test]
    fn chunked_feeding_gives_the_same_records() {
        let text = "客户,金额\r\n\"张,三\",\"1,234.5\"\r\n\"李\"\"四\"\"\",\"多\n行\"\r\nw,5";
        let whole = lines_of(text, Delimiter::Comma);
        for chunk_size in 1..8 {
            let mut splitter = RecordSplitter::new(Delimiter::Comma);
            let mut rows = Vec::new();
            let chars: Vec<char> = text.chars().collect();
            for piece in chars.chunks(chunk_size) {
                let piece: String = piece.iter().collect();
                splitter.feed(&piece, false, &mut |r| {
                    rows.push((r.line, r.to_vec()));
                    true
                });
            }
            splitter.feed("", true, &mut |r| {
                rows.push((r.line, r.to_vec()));
                true
            });
            assert_eq!(rows, whole, "chunk size {chunk_size}");
        }
        assert_eq!(whole[1].1, vec!["张,三", "1,234.5"]);
        assert_eq!(whole[2].1, vec!["李\"四\"", "多\n行"]);
        assert_eq!(whole[3].0, 5);
    }

    #[test]
    fn a_doubled_byte_order_mark_neither_ends_the_input_nor_shifts_lines() {
        // Regression: a chunk holding only U+FEFF made csv-core see an empty input, take it for
        // the end of the data and drop every later row; a whole-text BOM put record 2 on line 1.
        let text = "\u{feff}\u{feff}\nh,a\r\nc1,1\n";
        let expected = vec![
            (2, vec!["h".to_string(), "a".into()]),
            (3, vec!["c1".into(), "1".into()]),
        ];
        assert_eq!(split_all(text, Delimiter::Comma), expected);
        for delimiter in [Delimiter::Comma, Delimiter::Whitespace] {
            let mut splitter = RecordSplitter::new(delimiter);
            let mut lines = Vec::new();
            for piece in ["\u{feff}", "", "\u{feff}", "\nh,a\r", "\nc1,1\n"] {
                splitter.feed(piece, false, &mut |r| {
                    lines.push(r.line);
                    true
                });
            }
            splitter.feed("", true, &mut |r| {
                lines.push(r.line);
                true
            });
            assert_eq!(lines, vec![2, 3], "{delimiter:?}");
        }
    }

    #[test]
    fn whitespace_splitter_keeps_a_cr_across_an_empty_chunk() {
        // Regression: a chunk that decoded to nothing (half a UTF-16 code unit) reset the pending
        // CR, so the LF after it counted as one more line.
        let mut splitter = RecordSplitter::new(Delimiter::Whitespace);
        let mut lines = Vec::new();
        for piece in ["a 1\r", "", "\nb 2\r", "", "\n", "c 3"] {
            splitter.feed(piece, false, &mut |r| {
                lines.push(r.line);
                true
            });
        }
        splitter.feed("", true, &mut |r| {
            lines.push(r.line);
            true
        });
        assert_eq!(lines, vec![1, 2, 3]);
    }

    #[test]
    fn whitespace_aligned_records() {
        let text =
            "00001 19970101  1  11.77\r\n00002 19970112  1  12.00\n\n00003 19970102  2  20.76";
        let rows = lines_of(text, Delimiter::Whitespace);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            (
                1,
                vec![
                    "00001".into(),
                    "19970101".into(),
                    "1".into(),
                    "11.77".into()
                ]
            )
        );
        assert_eq!(rows[2].0, 4);
    }

    #[test]
    fn sniffing() {
        let cases = [
            ("a,b,c\n1,2,3\n4,5,6\n", Delimiter::Comma),
            ("a;b;c\n1,5;2;3\n4,25;5;6\n", Delimiter::Semicolon),
            ("a\tb\n1\t2\n", Delimiter::Tab),
            ("a|b\n1|2\n", Delimiter::Pipe),
            (
                "00001 19970101  1  11.77\n00002 19970112  1  12.00\n",
                Delimiter::Whitespace,
            ),
            ("name,note\n\"x, y\",\"a;b\"\nz,w\n", Delimiter::Comma),
            ("single\ncolumn\n", Delimiter::Comma),
        ];
        for (text, expected) in cases {
            assert_eq!(sniff_delimiter(text), expected, "text {text:?}");
        }
    }
}

/// The splitter against csv-core alone: lines without quotes are split without csv-core, which
/// must change nothing, for any text cut into any pieces.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod plain_lines {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// What a splitter makes of `pieces`: each record's line and fields, and after each piece
    /// whether it stands between records and how many lines it has seen.
    #[allow(clippy::type_complexity)]
    fn split(
        pieces: &[&str],
        delimiter: Delimiter,
        plain_lines: bool,
        stop_after: usize,
    ) -> (Vec<(u64, Vec<String>)>, Vec<(bool, u64)>) {
        let mut splitter = RecordSplitter::new(delimiter);
        splitter.plain_lines = plain_lines;
        let (mut records, mut states) = (Vec::new(), Vec::new());
        let mut on_record = |record: &Record| {
            assert_eq!(
                record.is_blank(),
                (0..record.len()).all(|i| record.field(i).trim().is_empty())
            );
            records.push((record.line, record.to_vec()));
            records.len() < stop_after
        };
        for (i, piece) in pieces.iter().enumerate() {
            if !splitter.feed(piece, i + 1 == pieces.len(), &mut on_record) {
                break;
            }
            states.push((splitter.at_record_boundary(), splitter.lines_seen()));
        }
        (records, states)
    }

    /// CSV-like text: fields with and without quotes (doubled ones, delimiters and line ends
    /// inside), every delimiter, CR, LF, CR LF, blank lines, white space, CJK, U+FEFF.
    fn text() -> impl Strategy<Value = String> {
        vec(
            select(vec![
                "a",
                "42",
                "-3.5",
                "客户",
                " ",
                "\t",
                ",",
                ";",
                "|",
                "\"",
                "\"\"",
                "\"x,y\"",
                "\"two\nlines\"",
                "\"cr\rx\"",
                "\r",
                "\n",
                "\r\n",
                "\n\n",
                "\u{feff}",
                "é",
            ]),
            0..60,
        )
        .prop_map(|tokens| tokens.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn plain_lines_split_as_csv_core_splits_them(
            text in text(),
            delimiter in select(vec![Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab, Delimiter::Pipe]),
            cuts in vec(any::<usize>(), 0..8),
            stop_after in 1..40usize,
        ) {
            let mut points: Vec<usize> = cuts
                .iter()
                .map(|c| text.floor_char_boundary(c % (text.len() + 1)))
                .chain([0, text.len()])
                .collect();
            points.sort_unstable();
            let pieces: Vec<&str> = points.windows(2).map(|w| &text[w[0]..w[1]]).collect();
            let expected = split(&pieces, delimiter, false, stop_after);
            prop_assert_eq!(&split(&pieces, delimiter, true, stop_after), &expected, "text {:?}", text);
            // Whole, and with an empty piece at the end.
            let whole = split(&[text.as_str(), ""], delimiter, false, usize::MAX);
            prop_assert_eq!(&split(&[text.as_str(), ""], delimiter, true, usize::MAX), &whole);
        }

        /// The block scanner finds exactly the delimiters, CRs, LFs and quotes of any bytes,
        /// at any length (a last block shorter than [`BLOCK`] included).
        #[test]
        fn special_bytes_are_found_exactly(
            bytes in vec(select(vec![b'a', b',', b';', b'\t', b'|', b'\r', b'\n', b'"', 0, 0x80, 0xFF, 0x2C ^ 0x80, b' ']), 0..300),
            delimiter in select(vec![b',', b';', b'\t', b'|']),
        ) {
            let expected: Vec<usize> = (0..bytes.len())
                .filter(|&i| matches!(bytes[i], b'\r' | b'\n' | b'"') || bytes[i] == delimiter)
                .collect();
            let found: Vec<usize> = SpecialBytes::new(&bytes, delimiter).collect();
            prop_assert_eq!(found, expected);
        }
    }
}
