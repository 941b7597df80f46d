//! Issue 19: the design tokens (style/tokens.css) and the chart palette meet WCAG 2.1 AA contrast:
//! 4.5:1 for text on every surface it is shown on, 3:1 for chart marks that carry meaning and for
//! the keyboard focus ring.
use std::collections::HashMap;

use valuelens::a11y::{contrast_ratio, parse_hex, GRAPHIC_CONTRAST, TEXT_CONTRAST};
use valuelens::charts::palette;

fn tokens() -> HashMap<String, [u8; 3]> {
    let css =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/tokens.css")).unwrap();
    css.lines()
        .filter_map(|line| {
            let line = line.trim();
            let (name, value) = line.strip_prefix("--vl-color-")?.split_once(':')?;
            Some((
                name.trim().to_string(),
                parse_hex(value.trim().trim_end_matches(';'))?,
            ))
        })
        .collect()
}

fn check(pairs: &[(&str, &str)], minimum: f64) {
    let tokens = tokens();
    let color = |name: &str| -> [u8; 3] {
        if name == "white" {
            return [255, 255, 255];
        }
        *tokens
            .get(name)
            .unwrap_or_else(|| panic!("no token --vl-color-{name}"))
    };
    for (fg, bg) in pairs {
        let ratio = contrast_ratio(color(fg), color(bg));
        assert!(
            ratio >= minimum,
            "--vl-color-{fg} on --vl-color-{bg}: {ratio:.2}:1 < {minimum}:1"
        );
    }
}

#[test]
fn text_tokens_read_on_every_surface() {
    let surfaces = [
        "surface",
        "bg",
        "primary-soft",
        "accent-soft",
        "warn-soft",
        "bad-soft",
    ];
    let mut pairs = Vec::new();
    for fg in [
        "ink",
        "ink-soft",
        "ink-faint",
        "primary",
        "primary-strong",
        "bad",
    ] {
        for bg in surfaces {
            pairs.push((fg, bg));
        }
    }
    pairs.extend([
        ("warn", "warn-soft"),
        ("warn", "surface"),
        ("good", "surface"),
        ("good", "bg"),
        ("good", "good-soft"),
        ("bad", "bad-soft"),
    ]);
    // White text on the header and the primary buttons.
    pairs.extend([("white", "primary"), ("white", "primary-strong")]);
    check(&pairs, TEXT_CONTRAST);
}

#[test]
fn focus_ring_and_marks_stand_out() {
    check(
        &[
            ("focus", "surface"),
            ("focus", "bg"),
            ("focus", "primary-soft"),
            ("focus-on-dark", "primary-strong"),
            ("primary", "surface"),
            ("accent", "surface"),
            ("good", "surface"),
            ("bad", "surface"),
            ("warn", "surface"),
        ],
        GRAPHIC_CONTRAST,
    );
    let white = [255, 255, 255];
    for (name, c) in [
        ("PRIMARY", palette::PRIMARY),
        ("SECONDARY", palette::SECONDARY),
        ("NEGATIVE", palette::NEGATIVE),
        ("INK", palette::INK),
    ] {
        let ratio = contrast_ratio([c.0, c.1, c.2], white);
        assert!(
            ratio >= GRAPHIC_CONTRAST,
            "chart palette {name}: {ratio:.2}:1 on white"
        );
    }
}

/// Issue 12: the RFM charts' words and marks read on what they are drawn on.
#[test]
fn rfm_chart_text_and_marks_stand_out() {
    use valuelens::charts::rfm::{heatmap_colors, SEGMENT_BAR_COLORS, TREEMAP_COLORS};
    let rgb = |c: plotters::style::RGBColor| [c.0, c.1, c.2];
    let white = [255, 255, 255];
    // The treemap's labels are white on every tile colour.
    for (k, tile) in TREEMAP_COLORS.iter().enumerate() {
        let ratio = contrast_ratio(white, rgb(*tile));
        assert!(
            ratio >= TEXT_CONTRAST,
            "white on treemap colour {k}: {ratio:.2}:1"
        );
    }
    // Every heatmap cell, from the smallest mean M to the largest: its text on its fill.
    for step in 0..=200 {
        let t = f64::from(step) / 200.0;
        let (fill, ink) = heatmap_colors(Some(t));
        let ratio = contrast_ratio(rgb(ink), rgb(fill));
        assert!(ratio >= TEXT_CONTRAST, "heatmap at {t}: {ratio:.2}:1");
    }
    // The segment chart's two bars (customers, revenue) against the white plot.
    for (k, bar) in SEGMENT_BAR_COLORS.iter().enumerate() {
        let ratio = contrast_ratio(rgb(*bar), white);
        assert!(ratio >= GRAPHIC_CONTRAST, "segment bar {k}: {ratio:.2}:1");
    }
}

/// The lifecycle charts' words and marks read on what they are drawn on.
#[test]
fn lifecycle_chart_text_and_marks_stand_out() {
    use valuelens::charts::lifecycle::{
        cell_colors, ACTIVITY_COLORS, COHORT_COLORS, MARKER_COLORS, MUTED_TEXT, STATE_COLORS,
    };
    let rgb = |c: plotters::style::RGBColor| [c.0, c.1, c.2];
    let white = [255, 255, 255];
    // Bars, cohort lines and marker lines against the white plot.
    for (what, colors) in [
        ("activity bar", &ACTIVITY_COLORS[..]),
        ("cohort line", &COHORT_COLORS[..]),
        ("state", &STATE_COLORS[..]),
    ] {
        for (k, c) in colors.iter().enumerate() {
            let ratio = contrast_ratio(rgb(*c), white);
            assert!(ratio >= GRAPHIC_CONTRAST, "{what} {k}: {ratio:.2}:1");
        }
    }
    // Text on white: the marker labels (in their line's colour), notes and small cohorts.
    for (k, c) in MARKER_COLORS
        .iter()
        .chain([&MUTED_TEXT, &palette::INK])
        .enumerate()
    {
        let ratio = contrast_ratio(rgb(*c), white);
        assert!(ratio >= TEXT_CONTRAST, "text colour {k}: {ratio:.2}:1");
    }
    // White labels on the division parts.
    for (k, c) in STATE_COLORS.iter().enumerate() {
        let ratio = contrast_ratio(white, rgb(*c));
        assert!(ratio >= TEXT_CONTRAST, "white on state {k}: {ratio:.2}:1");
    }
    // Cohort and matrix cells, over the whole scale: their text on their fill.
    for step in 0..=200 {
        let t = f64::from(step) / 200.0;
        let (fill, ink) = cell_colors(t);
        let ratio = contrast_ratio(rgb(ink), rgb(fill));
        assert!(ratio >= TEXT_CONTRAST, "cell at {t}: {ratio:.2}:1");
    }
}
