//! Export (导出): CSV text that Excel opens correctly and safely.
//!
//! UTF-8 with a byte-order mark (so Excel on Chinese Windows shows Chinese), CRLF line ends,
//! quoting per RFC 4180, and every text cell that starts with `=`, `+`, `-`, `@`, tab, CR or LF
//! prefixed with `'` so no spreadsheet runs it as a formula. Real numbers such as `-12.5` are
//! left as numbers. Multi-line cells are checked on their first character, like any other.

/// The UTF-8 byte-order mark, as text.
pub const BOM: &str = "\u{feff}";

fn is_plain_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Neutralises a text cell against formula injection; numbers pass unchanged.
///
/// # Examples
/// ```
/// use valuelens::engine::export::neutralize;
/// assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralize("-12.5"), "-12.5");
/// assert_eq!(neutralize("@SUM(A1)\nnote"), "'@SUM(A1)\nnote");
/// ```
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') if !is_plain_number(cell) => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

/// Quotes a cell when it holds a delimiter, quote or line break.
pub fn quote(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\"")).into()
    } else {
        cell.into()
    }
}

/// Builds a CSV file: BOM, header, rows; every cell neutralised and quoted.
pub fn csv_document<'a, R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = std::borrow::Cow<'a, str>>,
{
    let mut out = String::from(BOM);
    let write_row =
        |out: &mut String, cells: &mut dyn Iterator<Item = std::borrow::Cow<'a, str>>| {
            let mut first = true;
            for cell in cells {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&quote(&neutralize(&cell)));
            }
            out.push_str("\r\n");
        };
    write_row(
        &mut out,
        &mut header
            .iter()
            .map(|h| std::borrow::Cow::Owned(h.to_string())),
    );
    for row in rows {
        write_row(&mut out, &mut row.into_iter());
    }
    out
}

/// Formats a number for CSV: plain digits, `.` decimal, no grouping, at most `decimals` places.
pub fn number_cell(value: f64, decimals: usize) -> std::borrow::Cow<'static, str> {
    if !value.is_finite() {
        return "".into();
    }
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The rejected rows as CSV: line, column, reason, then the row's original cells.
///
/// `labels` names the first three columns in the UI language; `describe` words the reason.
pub fn rejected_rows_csv(
    rejected: &[super::ingest::RejectedRow],
    headers: &[String],
    labels: [&str; 3],
    describe: &dyn Fn(&super::error::RowError) -> String,
) -> String {
    let mut header: Vec<&str> = labels.to_vec();
    header.extend(headers.iter().map(String::as_str));
    let rows = rejected.iter().map(|row| {
        let mut cells: Vec<std::borrow::Cow<'_, str>> = vec![
            row.error.line.to_string().into(),
            row.error.column.clone().into(),
            describe(&row.error).into(),
        ];
        cells.extend(
            row.cells
                .iter()
                .map(|c| std::borrow::Cow::Borrowed(c.as_str())),
        );
        cells
    });
    csv_document(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_injection_is_neutralised_and_numbers_stay_numbers() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+1", "+1"),
            ("+cmd", "'+cmd"),
            ("-12.5", "-12.5"),
            ("-1e3", "-1e3"),
            ("-x", "'-x"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("=1+1\nnote", "'=1+1\nnote"),
            ("张三", "张三"),
            ("", ""),
        ];
        for (cell, expected) in cases {
            assert_eq!(neutralize(cell), expected, "cell {cell:?}");
        }
    }

    #[test]
    fn documents_have_bom_crlf_and_quotes() {
        let rows = vec![
            vec!["a,b".into(), "say \"hi\"".into(), "multi\nline".into()],
            vec![number_cell(-12.5, 2), "=x".into(), "".into()],
        ];
        let text = csv_document(&["客户", "note", "n"], rows);
        assert_eq!(
            text,
            "\u{feff}客户,note,n\r\n\"a,b\",\"say \"\"hi\"\"\",\"multi\nline\"\r\n-12.5,'=x,\r\n"
        );
    }

    #[test]
    fn number_cells() {
        assert_eq!(number_cell(1234.5, 2), "1234.5");
        assert_eq!(number_cell(-0.001, 2), "0");
        assert_eq!(number_cell(3.0, 2), "3");
        assert_eq!(number_cell(f64::NAN, 2), "");
    }
}
