//! Showing text that came from the user's files (customer ids, file names, column headers, cell
//! values, SWOT items) without letting it take the page over: cut to a bounded number of
//! characters (the full text stays available on hover), bidirectional text isolated so that a
//! right-to-left override cannot reorder what follows it, and the mapping table limited to a
//! bounded number of columns. Pure functions, tested natively; the UI only lays them out.

use crate::engine::error::RowError;

/// Characters of a customer id shown in a table cell.
pub const ID_CHARS: usize = 48;
/// Characters of a file name shown.
pub const FILE_NAME_CHARS: usize = 80;
/// Characters of a column header or a cell of the mapping preview or the rejected rows.
pub const CELL_CHARS: usize = 40;
/// Characters of a SWOT item or a board name in the report.
pub const ITEM_CHARS: usize = 200;
/// Characters of a user-made RFM segment name in a table, a chart or a sentence.
pub const SEGMENT_CHARS: usize = 40;
/// Characters of the full text kept for the hover title (a 20 MB cell is not put in an attribute).
pub const TITLE_CHARS: usize = 2_000;
/// Columns the mapping step shows at most (a file may have thousands).
pub const MAPPING_COLUMNS: usize = 50;

/// The ellipsis that marks a cut.
pub const ELLIPSIS: char = '…';

/// Text as shown: possibly cut, with the (bounded) full text for the hover title when it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clipped {
    /// What the page shows: at most `max` characters, the last one `…` when cut.
    pub shown: String,
    /// The full text (itself cut at [`TITLE_CHARS`]) when `shown` is not all of it.
    pub title: Option<String>,
}

/// The first `max` characters of `text` (at least one), the last replaced by `…` when `text`
/// is longer. Control characters that could disturb the layout (line breaks, tabs) become spaces.
pub fn clip(text: &str, max: usize) -> Clipped {
    let max = max.max(1);
    let mut chars = text.char_indices();
    let cut = chars
        .nth(max - 1)
        .and_then(|_| chars.next())
        .map(|(i, _)| i);
    match cut {
        None => Clipped {
            shown: tame(text),
            title: None,
        },
        Some(_) => {
            let keep: String = text.chars().take(max - 1).collect();
            let mut shown = tame(&keep);
            shown.push(ELLIPSIS);
            let title = if text.chars().nth(TITLE_CHARS).is_some() {
                let mut title: String = text.chars().take(TITLE_CHARS - 1).collect();
                title.push(ELLIPSIS);
                title
            } else {
                text.to_string()
            };
            Clipped {
                shown,
                title: Some(title),
            }
        }
    }
}

fn tame(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` cut to `max` characters and, when it holds right-to-left letters or bidi controls,
/// wrapped in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE: for user text inside a sentence
/// (where no element can isolate it), so that a right-to-left override in it ends at its end
/// instead of reversing the rest of the sentence. Other text is left as it is (the invisible
/// marks would only travel along when the sentence is copied).
pub fn isolated(text: &str, max: usize) -> String {
    let shown = clip(text, max).shown;
    if needs_isolation(&shown) {
        format!("\u{2068}{shown}\u{2069}")
    } else {
        shown
    }
}

/// True when `text` has a character that can change the order of the text around it: a bidi
/// control (marks, embeddings, overrides, isolates) or a letter of a right-to-left script.
pub fn needs_isolation(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'
            | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
    })
}

/// Which columns the mapping step shows of `total`: the first [`MAPPING_COLUMNS`], plus any
/// column a role is mapped to beyond them (so a choice made by number is seen), in order.
pub fn shown_columns(total: usize, mapped: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut columns: Vec<usize> = (0..total.min(MAPPING_COLUMNS)).collect();
    let mut extra: Vec<usize> = mapped
        .into_iter()
        .filter(|&c| c >= MAPPING_COLUMNS && c < total)
        .collect();
    extra.sort_unstable();
    extra.dedup();
    columns.extend(extra);
    columns
}

/// A column number as the user types it (1-based) to an index; `None` when empty or out of range.
pub fn column_from_input(text: &str, total: usize) -> Option<usize> {
    let n: usize = text.trim().parse().ok()?;
    (1..=total).contains(&n).then(|| n - 1)
}

/// A rejected row as it is to be told in a sentence: its column name and cell cut and isolated.
pub fn shown_row_error(error: &RowError) -> RowError {
    RowError {
        column: isolated(&error.column, CELL_CHARS),
        value: if error.value.is_empty() {
            String::new()
        } else {
            isolated(&error.value, CELL_CHARS * 2)
        },
        ..error.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::error::RowProblem;

    #[test]
    fn rejected_rows_are_told_with_cut_and_isolated_text() {
        let error = RowError {
            line: 3,
            column: "\u{202E}vsc.tnuoma".into(),
            value: "z".repeat(80),
            problem: RowProblem::NotANumber,
        };
        let shown = shown_row_error(&error);
        assert_eq!(shown.column, "\u{2068}\u{202E}vsc.tnuoma\u{2069}");
        assert_eq!(shown.value, "z".repeat(80));
        assert_eq!(shown.line, 3);
        let empty = RowError {
            value: String::new(),
            ..error
        };
        assert_eq!(shown_row_error(&empty).value, "");
    }

    #[test]
    fn short_text_is_shown_whole() {
        assert_eq!(
            clip("C001", 5),
            Clipped {
                shown: "C001".into(),
                title: None
            }
        );
        assert_eq!(clip("12345", 5).title, None);
        assert_eq!(clip("", 5).shown, "");
    }

    #[test]
    fn long_text_is_cut_in_characters_with_the_full_text_for_the_title() {
        let c = clip("客户编号很长很长", 5);
        assert_eq!(c.shown, "客户编号…");
        assert_eq!(c.shown.chars().count(), 5);
        assert_eq!(c.title.as_deref(), Some("客户编号很长很长"));
        let long = "x".repeat(10_000);
        let c = clip(&long, ID_CHARS);
        assert_eq!(c.shown.chars().count(), ID_CHARS);
        assert!(c.shown.ends_with(ELLIPSIS));
        let title = c.title.unwrap();
        assert_eq!(title.chars().count(), TITLE_CHARS);
        assert!(title.ends_with(ELLIPSIS));
        assert_eq!(clip("abc", 0).shown, "…");
    }

    #[test]
    fn line_breaks_do_not_reach_the_layout() {
        assert_eq!(clip("a\nb\tc", 10).shown, "a b c");
    }

    #[test]
    fn bidi_overrides_are_isolated_in_sentences() {
        let s = isolated("\u{202E}gnp.exe", FILE_NAME_CHARS);
        assert!(s.starts_with('\u{2068}') && s.ends_with('\u{2069}'));
        assert!(s.contains("\u{202E}gnp.exe"));
        assert_eq!(isolated(&"\u{202E}y".repeat(50), 10).chars().count(), 12);
        assert_eq!(isolated("שלום.csv", 80), "\u{2068}שלום.csv\u{2069}");
        // Left-to-right text stays as it is.
        assert_eq!(isolated("订单 orders.csv", 80), "订单 orders.csv");
        assert_eq!(isolated(&"y".repeat(500), 10).chars().count(), 10);
        assert!(!needs_isolation("C001 «Müller» 张三"));
    }

    #[test]
    fn the_mapping_shows_a_bounded_number_of_columns() {
        assert_eq!(shown_columns(3, []), vec![0, 1, 2]);
        let cols = shown_columns(3_000, [2_998, 3, 2_999, 2_998, 5_000]);
        assert_eq!(cols.len(), MAPPING_COLUMNS + 2);
        assert_eq!(&cols[MAPPING_COLUMNS..], &[2_998, 2_999]);
        assert_eq!(shown_columns(52_000, []).len(), MAPPING_COLUMNS);
    }

    #[test]
    fn column_numbers_are_one_based_and_bounded() {
        assert_eq!(column_from_input(" 3000 ", 3_000), Some(2_999));
        assert_eq!(column_from_input("1", 3_000), Some(0));
        assert_eq!(column_from_input("0", 3_000), None);
        assert_eq!(column_from_input("3001", 3_000), None);
        assert_eq!(column_from_input("", 3_000), None);
        assert_eq!(column_from_input("x", 3_000), None);
    }
}
