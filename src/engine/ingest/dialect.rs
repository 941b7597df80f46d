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
    fields: &'a [u8],
    ends: &'a [usize],
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
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        // The input is UTF-8 and csv-core only removes ASCII quotes, so fields are UTF-8.
        std::str::from_utf8(&self.fields[start..end]).unwrap_or("")
    }

    /// True when every field is empty or white space (a blank line, or `,,,`).
    pub fn is_blank(&self) -> bool {
        // Fast path on the raw bytes: any byte that is not ASCII white space means content,
        // except non-ASCII bytes, which may be Unicode white space (U+3000) and are checked.
        if self.fields.iter().all(u8::is_ascii_whitespace) {
            return true;
        }
        if self.fields.is_ascii() {
            return false;
        }
        (0..self.len()).all(|i| self.field(i).trim().is_empty())
    }

    /// True when a field holds U+FFFD, the decoder's mark for bytes invalid in the encoding.
    /// ASCII records (most rows) are answered without a search.
    pub fn has_replacement_char(&self) -> bool {
        const MARK: &[u8] = "\u{FFFD}".as_bytes();
        if self.fields.is_ascii() {
            return false;
        }
        // CJK text hardly ever has the mark's first byte (0xEF: only full-width forms do).
        let mut rest = self.fields;
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

    /// The fields as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.field(i).to_string()).collect()
    }
}

/// Splits decoded text, fed in chunks of any size, into records with their line numbers.
pub struct RecordSplitter {
    delimiter: Delimiter,
    core: csv_core::Reader,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
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

impl RecordSplitter {
    /// A splitter for `delimiter`.
    pub fn new(delimiter: Delimiter) -> Self {
        let core = ReaderBuilder::new()
            .delimiter(delimiter.byte().unwrap_or(b','))
            .build();
        RecordSplitter {
            delimiter,
            core,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            ends_len: 0,
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

    /// Counts line terminators in `consumed`, and notes where a record starts.
    fn account(&mut self, consumed: &[u8]) {
        for &b in consumed {
            match b {
                b'\r' => {
                    self.lines += 1;
                    self.prev_cr = true;
                }
                b'\n' => {
                    if !self.prev_cr {
                        self.lines += 1;
                    }
                    self.prev_cr = false;
                }
                _ => {
                    self.prev_cr = false;
                    if self.start_line.is_none() {
                        self.start_line = Some(self.lines + 1);
                    }
                }
            }
        }
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
        if self.delimiter == Delimiter::Whitespace {
            return self.feed_whitespace(text, last, on_record);
        }
        let mut input = text.as_bytes();
        loop {
            // An empty input tells csv-core that the data has ended: only give it one at the end.
            if input.is_empty() && !last {
                return true;
            }
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            let (consumed, rest) = input.split_at(nin);
            self.account(consumed);
            input = rest;
            self.out_len += nout;
            self.ends_len += nend;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !input.is_empty() {
                        continue;
                    }
                    if !last {
                        return true;
                    }
                    // An empty read tells csv-core the input has ended; it then yields the final record.
                }
                ReadRecordResult::OutputFull => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::Record => {
                    let record = Record {
                        line: self.start_line.unwrap_or(self.lines.max(1)),
                        fields: &self.out[..self.out_len],
                        ends: &self.ends[..self.ends_len],
                    };
                    let keep_going = on_record(&record);
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.start_line = None;
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
        let mut fields_buf: Vec<u8> = Vec::new();
        let mut ends_buf: Vec<usize> = Vec::new();
        let mut emit =
            |line_text: &str, line: u64, on_record: &mut dyn FnMut(&Record) -> bool| -> bool {
                fields_buf.clear();
                ends_buf.clear();
                for word in line_text.split_whitespace() {
                    fields_buf.extend_from_slice(word.as_bytes());
                    ends_buf.push(fields_buf.len());
                }
                if ends_buf.is_empty() {
                    return true;
                }
                on_record(&Record {
                    line,
                    fields: &fields_buf,
                    ends: &ends_buf,
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
            let keep = if self.pending.is_empty() {
                emit(line_text, line, on_record)
            } else {
                let mut joined = std::mem::take(&mut self.pending);
                joined.push_str(line_text);
                emit(&joined, line, on_record)
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
        self.pending.push_str(rest);
        if last {
            let remaining = std::mem::take(&mut self.pending);
            self.done = true;
            return emit(&remaining, self.pending_line, on_record);
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
