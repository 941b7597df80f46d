//! The filter as shown (筛选, issue 20): the choices of the filter bar and the sentence that
//! heads every analysis view and the report, "All N customers" or "Filtered: region = 广东 —
//! n of N customers; scores from all customers (kept)".
//!
//! Figures the page carries for automation: `filter_customers` (the customers the analyses
//! read: n, or N without a filter) and `population_customers` (all customers, N).

use crate::display::{isolated, ID_CHARS};
use crate::engine::dimensions::filter::{line_value_counts, value_counts, FilterMode};
use crate::engine::dimensions::{Attribute, LineAttribute};
use crate::i18n::{format_number, Lang, Text};

/// Values named in the sentence before "…".
pub const NAMED_VALUES: usize = 5;

/// Values offered as checkboxes (the most customers first).
pub const OFFERED_VALUES: usize = 200;

/// One value the filter bar offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterChoice {
    /// The value as the file wrote it (`""` for blank): what the filter keeps.
    pub value: String,
    /// The value for the eye: cut and isolated, or "(blank)", with its customers.
    pub label: String,
    /// Customers with this value.
    pub customers: usize,
}

/// The values of `attribute` to choose from, the most customers first (at most
/// [`OFFERED_VALUES`]).
pub fn filter_choices(attribute: &Attribute, lang: Lang) -> Vec<FilterChoice> {
    choices(value_counts(attribute), lang)
}

/// The values of the line attribute `line` to choose from, the most customers first (a
/// customer buying several values counts in each).
pub fn line_filter_choices(line: &LineAttribute, lang: Lang) -> Vec<FilterChoice> {
    choices(line_value_counts(line), lang)
}

fn choices(counts: Vec<(String, usize)>, lang: Lang) -> Vec<FilterChoice> {
    counts
        .into_iter()
        .take(OFFERED_VALUES)
        .map(|(value, customers)| FilterChoice {
            label: format!(
                "{} ({})",
                shown_value(&value, lang),
                format_number(customers as f64, 0)
            ),
            value,
            customers,
        })
        .collect()
}

fn shown_value(value: &str, lang: Lang) -> String {
    match value {
        "" => Text::DimBlank.get(lang).to_string(),
        value => isolated(value, ID_CHARS),
    }
}

/// A piece of the sentence: text, or a figure with its `data-metric` name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotePart {
    /// Plain text.
    Text(String),
    /// A count the page marks for automation.
    Figure {
        /// `filter_customers` or `population_customers`.
        metric: &'static str,
        /// The raw count.
        value: usize,
        /// The count as shown.
        shown: String,
        /// Carried for automation but not shown (the customers read, in the unfiltered
        /// sentence, where they are all of them).
        hidden: bool,
    },
}

/// What a filter chose, for the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen<'a> {
    /// The attribute's label ([`crate::present::dimensions::attribute_label`]).
    pub label: &'a str,
    /// The chosen values as the file wrote them.
    pub values: &'a [String],
    /// Customers chosen.
    pub customers: usize,
    /// Keep or re-score.
    pub mode: FilterMode,
    /// The attribute is a line attribute (product, category, SKU): re-scoring then reads the
    /// matching lines, which the sentence says.
    pub lines: bool,
}

/// The sentence over `population` customers, filtered by `chosen` when there is a filter; the
/// customers the analyses read (n, or N without a filter) is a hidden figure in the
/// unfiltered sentence, so the page always carries both.
pub fn filter_note(population: usize, chosen: Option<&Chosen<'_>>, lang: Lang) -> Vec<NotePart> {
    let figure = |metric, value: usize| NotePart::Figure {
        metric,
        value,
        shown: format_number(value as f64, 0),
        hidden: false,
    };
    let Some(chosen) = chosen else {
        let mut parts = split(
            Text::FilterNoteAll.get(lang),
            vec![Some(figure("population_customers", population))],
        );
        parts.push(NotePart::Figure {
            metric: "filter_customers",
            value: population,
            shown: String::new(),
            hidden: true,
        });
        return parts;
    };
    let mut named: Vec<String> = chosen
        .values
        .iter()
        .take(NAMED_VALUES)
        .map(|v| shown_value(v, lang))
        .collect();
    if chosen.values.len() > NAMED_VALUES {
        named.push("…".into());
    }
    let values = named.join(Text::FilterValueSeparator.get(lang));
    let mode = match chosen.mode {
        FilterMode::Keep => Text::FilterNoteKept,
        FilterMode::Rescore if chosen.lines => Text::FilterNoteRescoredLines,
        FilterMode::Rescore => Text::FilterNoteRescored,
    };
    split(
        Text::FilterNoteFiltered.get(lang),
        vec![
            Some(NotePart::Text(chosen.label.to_string())),
            Some(NotePart::Text(values)),
            Some(figure("filter_customers", chosen.customers)),
            Some(figure("population_customers", population)),
            Some(NotePart::Text(mode.get(lang).to_string())),
        ],
    )
}

/// `template` with `{0}`, `{1}` … replaced by `parts` (read once, left to right, so a value
/// that looks like a placeholder stays as it is).
fn split(template: &str, mut parts: Vec<Option<NotePart>>) -> Vec<NotePart> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        let (before, after) = rest.split_at(at);
        text.push_str(before);
        let digits: String = after
            .chars()
            .skip(1)
            .take_while(char::is_ascii_digit)
            .collect();
        let closes = after
            .get(1 + digits.len()..)
            .is_some_and(|r| r.starts_with('}'));
        let part = digits
            .parse::<usize>()
            .ok()
            .filter(|_| closes)
            .and_then(|i| parts.get_mut(i))
            .and_then(Option::take);
        match part {
            Some(NotePart::Text(value)) => text.push_str(&value),
            Some(figure) => {
                if !text.is_empty() {
                    out.push(NotePart::Text(std::mem::take(&mut text)));
                }
                out.push(figure);
            }
            None => {
                text.push('{');
                rest = after.get(1..).unwrap_or_default();
                continue;
            }
        }
        rest = after.get(digits.len() + 2..).unwrap_or_default();
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(NotePart::Text(text));
    }
    out
}

/// The sentence as plain text (for the report's text and tests).
pub fn note_text(parts: &[NotePart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            NotePart::Text(t) => t.as_str(),
            NotePart::Figure { shown, hidden, .. } => {
                if *hidden {
                    ""
                } else {
                    shown.as_str()
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_the_filter_and_both_counts() {
        let values = ["广东".to_string(), String::new()];
        let chosen = Chosen {
            label: "地区",
            values: &values,
            customers: 63,
            mode: FilterMode::Keep,
            lines: false,
        };
        let cases = [
            (None, Lang::En, "All 1,420 customers"),
            (None, Lang::Zh, "全部 1,420 位客户"),
            (
                Some(&chosen),
                Lang::En,
                "Filtered: 地区 = 广东, (blank) — 63 of 1,420 customers; scores from all customers (kept)",
            ),
        ];
        for (chosen, lang, text) in cases {
            let parts = filter_note(1420, chosen, lang);
            assert_eq!(note_text(&parts), text);
            assert!(parts.iter().any(|p| matches!(
                p,
                NotePart::Figure {
                    metric: "population_customers",
                    value: 1420,
                    ..
                }
            )));
            let n = if chosen.is_some() { 63 } else { 1420 };
            assert!(parts.iter().any(|p| matches!(
                p,
                NotePart::Figure { metric: "filter_customers", value, .. } if *value == n
            )));
        }
        let rescored = Chosen {
            mode: FilterMode::Rescore,
            lines: false,
            ..chosen
        };
        let parts = filter_note(1420, Some(&rescored), Lang::Zh);
        assert!(note_text(&parts).ends_with("评分在筛选范围内重新计算"));
        assert!(parts.iter().any(|p| matches!(
            p,
            NotePart::Figure {
                metric: "filter_customers",
                value: 63,
                ..
            }
        )));
    }

    #[test]
    fn a_value_like_a_placeholder_stays_as_written() {
        let values = ["{3}".to_string()];
        let chosen = Chosen {
            label: "{4}",
            values: &values,
            customers: 1,
            mode: FilterMode::Rescore,
            lines: false,
        };
        let text = note_text(&filter_note(2, Some(&chosen), Lang::En));
        assert!(text.starts_with("Filtered: {4} = {3} — 1 of 2"), "{text}");
        // Re-scored on a line attribute: the sentence says what M and F are.
        let lines = Chosen {
            lines: true,
            ..chosen
        };
        for lang in [Lang::Zh, Lang::En] {
            let text = note_text(&filter_note(2, Some(&lines), lang));
            assert!(
                text.contains(Text::FilterNoteRescoredLines.get(lang)),
                "{text}"
            );
        }
    }
}
