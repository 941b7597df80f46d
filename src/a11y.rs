//! Accessibility helpers that need no browser: colour contrast (WCAG 2.1), the text alternative of
//! a chart SVG (`role="img"`, `<title>`, `<desc>`), the data table a chart comes with, and where
//! keyboard focus goes when an import changes state. Pure, tested natively; the UI applies them.

/// WCAG 2.1 minimum contrast of normal text (1.4.3 AA).
pub const TEXT_CONTRAST: f64 = 4.5;
/// WCAG 2.1 minimum contrast of large text, of chart marks that carry meaning and of focus rings
/// (1.4.3 and 1.4.11 AA).
pub const GRAPHIC_CONTRAST: f64 = 3.0;

/// An sRGB colour from `#rgb` or `#rrggbb` (the `#` optional).
pub fn parse_hex(color: &str) -> Option<[u8; 3]> {
    let hex = color.trim().trim_start_matches('#');
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    match hex.len() {
        3 => {
            let b = hex.as_bytes();
            Some([digit(b[0])? * 17, digit(b[1])? * 17, digit(b[2])? * 17])
        }
        6 => {
            let b = hex.as_bytes();
            Some([
                digit(b[0])? * 16 + digit(b[1])?,
                digit(b[2])? * 16 + digit(b[3])?,
                digit(b[4])? * 16 + digit(b[5])?,
            ])
        }
        _ => None,
    }
}

/// Relative luminance of an sRGB colour (WCAG 2.1 definition).
pub fn relative_luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// Contrast ratio of two colours, 1 to 21, whichever is lighter.
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Escapes text for an XML text node or attribute.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The element ids of a chart's `<title>` and `<desc>`: `vl-chart-{name}-title` and `-desc`.
pub fn chart_ids(name: &str) -> (String, String) {
    let stem: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    (
        format!("vl-chart-{stem}-title"),
        format!("vl-chart-{stem}-desc"),
    )
}

/// The SVG with a text alternative: its root gets `role="img"`, `aria-labelledby` and
/// `aria-describedby`, and a `<title>` and a `<desc>` as its first children (what a screen reader
/// says, and what a downloaded SVG keeps). Markup without an `<svg` root is returned unchanged.
pub fn svg_with_text_alternative(svg: &str, name: &str, title: &str, desc: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>').map(|i| start + i) else {
        return svg.to_string();
    };
    let self_closing = svg[..end].ends_with('/');
    let attrs_end = if self_closing { end - 1 } else { end };
    let (title_id, desc_id) = chart_ids(name);
    let mut out = String::with_capacity(svg.len() + title.len() + desc.len() + 160);
    out.push_str(&svg[..attrs_end]);
    out.push_str(&format!(
        r#" role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}">"#
    ));
    out.push_str(&format!(
        r#"<title id="{title_id}">{}</title><desc id="{desc_id}">{}</desc>"#,
        escape_xml(title),
        escape_xml(desc)
    ));
    if self_closing {
        out.push_str("</svg>");
        out.push_str(&svg[end + 1..]);
    } else {
        out.push_str(&svg[end + 1..]);
    }
    out
}

/// Fills a sentence template from `crate::i18n`: `{0}`, `{1}` … become `values[0]`, `values[1]` …
/// (a placeholder without a value stays as it is).
pub fn fill(template: &str, values: &[String]) -> String {
    let mut out = template.to_string();
    for (i, value) in values.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), value);
    }
    out
}

/// A chart's description: what it shows, then what it says (when there is a finding).
pub fn describe(what: &str, finding: Option<String>) -> String {
    match finding {
        Some(finding) if !finding.is_empty() => format!("{what} {finding}"),
        _ => what.to_string(),
    }
}

/// The figures a chart is drawn from, as a table one click away from the chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartTable {
    /// Column headers.
    pub header: Vec<String>,
    /// Rows; the first cell names the row.
    pub rows: Vec<Vec<String>>,
}

impl ChartTable {
    /// A table with these column headers and no rows yet.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        ChartTable {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (cells past the header's width are dropped, missing ones left empty).
    pub fn row<S: Into<String>>(mut self, cells: impl IntoIterator<Item = S>) -> Self {
        let mut row: Vec<String> = cells
            .into_iter()
            .map(Into::into)
            .take(self.header.len())
            .collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
        self
    }
}

/// What an import is doing, as far as keyboard focus cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobPhase {
    /// Nothing running (data shown, or none yet).
    Idle,
    /// Reading the head of a file.
    Inspecting,
    /// Waiting for the user to confirm the mapping.
    Mapping,
    /// Importing.
    Importing,
    /// The import failed.
    Failed,
    /// The user cancelled.
    Cancelled,
}

/// Where keyboard focus goes after an import changes state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusTarget {
    /// The results heading: the import finished and its figures are shown.
    Results,
    /// The mapping step: the file needs the user's confirmation.
    Mapping,
    /// The error message: the import failed.
    Error,
}

/// Focus follows the import: to the results when it finishes, to the mapping step when it
/// stops there, to the error when it fails. Nothing moves otherwise (progress, cancel, idle).
pub fn focus_after(previous: JobPhase, next: JobPhase) -> Option<FocusTarget> {
    use JobPhase::*;
    match (previous, next) {
        (Inspecting | Importing, Idle) => Some(FocusTarget::Results),
        (Inspecting, Mapping) => Some(FocusTarget::Mapping),
        (p, Failed) if p != Failed => Some(FocusTarget::Error),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_the_wcag_examples() {
        let white = parse_hex("#fff").unwrap();
        let black = parse_hex("000000").unwrap();
        assert!((contrast_ratio(white, black) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the well-known 4.54:1.
        let grey = parse_hex("#767676").unwrap();
        assert!((contrast_ratio(grey, white) - 4.54).abs() < 0.01);
        assert_eq!(parse_hex("#12345"), None);
        assert_eq!(parse_hex("#zzzzzz"), None);
    }

    #[test]
    fn the_svg_gets_role_title_and_desc() {
        let svg = r#"<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let out = svg_with_text_alternative(svg, "lorenz", "A & B <c>", "One sentence.");
        assert_eq!(
            out,
            r#"<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="vl-chart-lorenz-title" aria-describedby="vl-chart-lorenz-desc"><title id="vl-chart-lorenz-title">A &amp; B &lt;c&gt;</title><desc id="vl-chart-lorenz-desc">One sentence.</desc><rect/></svg>"#
        );
        let empty = svg_with_text_alternative("<svg/>", "x y", "t", "d");
        assert_eq!(
            empty,
            r#"<svg role="img" aria-labelledby="vl-chart-x-y-title" aria-describedby="vl-chart-x-y-desc"><title id="vl-chart-x-y-title">t</title><desc id="vl-chart-x-y-desc">d</desc></svg>"#
        );
        assert_eq!(
            svg_with_text_alternative("<p>no</p>", "a", "t", "d"),
            "<p>no</p>"
        );
    }

    #[test]
    fn sentences_are_filled_in() {
        let values = ["47.7%".to_string(), "66.5%".to_string()];
        assert_eq!(
            fill("top {0}, then {1}; {2}", &values),
            "top 47.7%, then 66.5%; {2}"
        );
        assert_eq!(describe("Bars.", Some("Big.".into())), "Bars. Big.");
        assert_eq!(describe("Bars.", None), "Bars.");
    }

    #[test]
    fn chart_tables_keep_the_header_width() {
        let table = ChartTable::new(["a", "b"]).row(["1"]).row(["1", "2", "3"]);
        assert_eq!(
            table.rows,
            vec![
                vec!["1".to_string(), String::new()],
                vec!["1".into(), "2".into()]
            ]
        );
    }

    #[test]
    fn focus_follows_the_import() {
        use JobPhase::*;
        assert_eq!(focus_after(Importing, Idle), Some(FocusTarget::Results));
        assert_eq!(focus_after(Inspecting, Idle), Some(FocusTarget::Results));
        assert_eq!(focus_after(Inspecting, Mapping), Some(FocusTarget::Mapping));
        assert_eq!(focus_after(Importing, Failed), Some(FocusTarget::Error));
        assert_eq!(focus_after(Inspecting, Failed), Some(FocusTarget::Error));
        assert_eq!(focus_after(Idle, Failed), Some(FocusTarget::Error));
        assert_eq!(focus_after(Failed, Failed), None);
        assert_eq!(focus_after(Importing, Importing), None);
        assert_eq!(focus_after(Importing, Cancelled), None);
        assert_eq!(focus_after(Idle, Idle), None);
        assert_eq!(focus_after(Mapping, Importing), None);
    }
}
