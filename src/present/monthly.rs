//! The monthly table read back next to a per-customer summary (每月明细, issue 17): what the
//! data view says about it — read and used, or not used and why (the rejected rows with line and
//! column, the customers whose months do not add up), each count a `data-metric`.

use crate::engine::monthly::readback::{MonthlyColumn, MonthlyError, MonthlyReadBack};
use crate::i18n::{error_text, format_money, format_number, row_error_text, Lang, Text};
use crate::present::{sentence, Metric};

/// The most rejected rows and mismatched customers listed (the counts say how many in all).
pub const LISTED: usize = 20;

/// What the data view shows after a monthly table was read.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyNotice {
    /// True when the months are used.
    pub applied: bool,
    /// The one-sentence outcome.
    pub sentence: String,
    /// The counts: `monthly_rows`, `monthly_customers`, `monthly_rejected`, `monthly_mismatches`.
    pub metrics: Vec<Metric>,
    /// The first rejected rows and mismatched customers, one sentence each.
    pub problems: Vec<String>,
}

fn column_word(column: MonthlyColumn) -> Text {
    match column {
        MonthlyColumn::Customer => Text::MonthlyColCustomer,
        MonthlyColumn::Month => Text::MonthlyColMonth,
        MonthlyColumn::Sales => Text::MonthlyColSales,
        MonthlyColumn::Profit => Text::MonthlyColProfit,
    }
}

/// The notice for a read monthly table, or for a file that is no monthly table.
pub fn monthly_notice(
    file_name: &str,
    read: &Result<MonthlyReadBack, MonthlyError>,
    lang: Lang,
) -> MonthlyNotice {
    let read = match read {
        Ok(read) => read,
        Err(error) => {
            let sentence = match error {
                MonthlyError::Read(error) => sentence(
                    Text::MonthlyUnreadable.get(lang),
                    &[file_name.to_string(), error_text(error, lang)],
                ),
                MonthlyError::MissingColumns(columns) => {
                    let words: Vec<&str> =
                        columns.iter().map(|&c| column_word(c).get(lang)).collect();
                    sentence(
                        Text::MonthlyMissingColumns.get(lang),
                        &[
                            file_name.to_string(),
                            words.join(Text::MonthlyColumnSeparator.get(lang)),
                        ],
                    )
                }
                MonthlyError::NoRows => {
                    sentence(Text::MonthlyNoRows.get(lang), &[file_name.to_string()])
                }
            };
            return MonthlyNotice {
                applied: false,
                sentence,
                metrics: Vec::new(),
                problems: Vec::new(),
            };
        }
    };
    let count = |name: &'static str, value: u64| {
        Metric::new(name, name, value as f64, format_number(value as f64, 0))
    };
    let metrics = vec![
        count("monthly_rows", read.rows),
        count("monthly_customers", read.customers as u64),
        count("monthly_rejected", read.rows_rejected),
        count("monthly_mismatches", read.mismatches.len() as u64),
    ];
    let applied = read.accepted();
    let outcome = if applied {
        sentence(
            Text::MonthlyApplied.get(lang),
            &[
                file_name.to_string(),
                format_number(read.rows as f64, 0),
                format_number(read.customers as f64, 0),
            ],
        )
    } else {
        sentence(
            Text::MonthlyRefused.get(lang),
            &[
                file_name.to_string(),
                format_number(read.rows_rejected as f64, 0),
                format_number(read.mismatches.len() as f64, 0),
            ],
        )
    };
    let problems = read
        .rejected
        .iter()
        .take(LISTED)
        .map(|e| row_error_text(e, lang))
        .chain(read.mismatches.iter().take(LISTED).map(|m| {
            let text = if m.profit {
                Text::MonthlyMismatchProfit
            } else {
                Text::MonthlyMismatchSales
            };
            sentence(
                text.get(lang),
                &[
                    m.customer.clone(),
                    format_money(m.summary),
                    format_money(m.months),
                ],
            )
        }))
        .collect();
    MonthlyNotice {
        applied,
        sentence: outcome,
        metrics,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::{Columns, Customer, CustomerTable};
    use crate::engine::ingest::encoding::LanguageHint;
    use crate::engine::monthly::readback::read_monthly;

    fn table() -> CustomerTable {
        CustomerTable {
            customers: vec![Customer {
                id: "c1".into(),
                sales: 30.0,
                ..Default::default()
            }],
            columns: Columns {
                date: true,
                ..Default::default()
            },
        }
    }

    #[test]
    fn the_notice_says_what_was_used_and_what_was_not_in_both_languages() {
        let good = read_monthly(
            b"customer,month,sales\nc1,2024-01,30\n",
            "m.csv",
            &table(),
            LanguageHint::Other,
        );
        let bad = read_monthly(
            b"customer,month,sales\nc1,2024-01,20\nc2,2024-01,1\n",
            "m.csv",
            &table(),
            LanguageHint::Other,
        );
        let missing = read_monthly(
            b"customer,sales\nc1,30\n",
            "m.csv",
            &table(),
            LanguageHint::Other,
        );
        for lang in [Lang::Zh, Lang::En] {
            let n = monthly_notice("m.csv", &good, lang);
            assert!(n.applied && n.problems.is_empty(), "{n:?}");
            assert!(n.sentence.contains("m.csv"));
            let n = monthly_notice("m.csv", &bad, lang);
            assert!(!n.applied);
            assert_eq!(n.problems.len(), 2, "{n:?}");
            assert!(n.problems[0].contains('3'), "{n:?}");
            assert!(n.problems[1].contains("c1"), "{n:?}");
            let values: Vec<f64> = n.metrics.iter().map(|m| m.value).collect();
            assert_eq!(values, [2.0, 1.0, 1.0, 1.0]);
            let n = monthly_notice("m.csv", &missing, lang);
            assert!(
                n.sentence
                    .contains(column_word(MonthlyColumn::Month).get(lang)),
                "{n:?}"
            );
        }
    }
}
