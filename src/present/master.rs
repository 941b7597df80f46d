//! The customer master file as shown (客户主数据, issue 20): the join's figures, the column
//! table, the duplicate warning, the lists of unmatched customers and prospects (潜在客户) with
//! their CSVs, and the report's line.
//!
//! Figures (`data-metric`): `master_rows`, `master_matched`, `master_unmatched`,
//! `master_match_rate` (a share, 0–1), `master_duplicates`, `master_prospects`,
//! `master_rejected`. The file input carries `data-input="master-file"` ([`MASTER_INPUT`]); the
//! id column `data-param="master-id"`, each attribute's kind `data-param="master-kind:<col>"`
//! (zero-based column).

use crate::display::{isolated, CELL_CHARS, FILE_NAME_CHARS, ID_CHARS};
use crate::engine::customers::CustomerTable;
use crate::engine::master::{CustomerMaster, MasterJoin};
use crate::i18n::{format_number, format_percent, row_error_text, Lang, Text};

use super::report::Note;
use super::{sentence, Csv, Metric};

/// The `data-input` name of the master's file input.
pub const MASTER_INPUT: &str = "master-file";

/// How many ids the lists show on screen (all are in the CSVs).
pub const LISTED: usize = 25;

/// How many duplicate lines the warning names.
const DUPLICATES_NAMED: usize = 10;

/// The CSV of the unmatched customers.
pub const UNMATCHED_CSV: &str = "master-unmatched-customers";

/// The CSV of the prospects.
pub const PROSPECTS_CSV: &str = "master-prospects";

fn count(n: u64) -> String {
    format_number(n as f64, 0)
}

/// The join's headline figures.
pub fn figures(master: &CustomerMaster, join: &MasterJoin, lang: Lang) -> Vec<Metric> {
    let warn = |mut m: Metric, n: u64| {
        if n > 0 {
            m.tone = Some("warn");
        }
        m
    };
    let rate = join.match_rate.unwrap_or(f64::NAN);
    vec![
        Metric::count(
            "master_rows",
            Text::MasterRows.get(lang),
            master.rows.len() as u64,
        ),
        Metric::count(
            "master_matched",
            Text::MasterMatched.get(lang),
            join.matched as u64,
        ),
        warn(
            Metric::count(
                "master_unmatched",
                Text::MasterUnmatched.get(lang),
                join.unmatched.len() as u64,
            ),
            join.unmatched.len() as u64,
        ),
        Metric::new(
            "master_match_rate",
            Text::MasterMatchRate.get(lang),
            rate,
            format_percent(rate, 1),
        ),
        warn(
            Metric::count(
                "master_duplicates",
                Text::MasterDuplicates.get(lang),
                master.duplicate_count,
            ),
            master.duplicate_count,
        ),
        Metric::count(
            "master_prospects",
            Text::MasterProspects.get(lang),
            join.prospects.len() as u64,
        ),
        warn(
            Metric::count(
                "master_rejected",
                Text::MasterRejected.get(lang),
                master.rejected_count,
            ),
            master.rejected_count,
        ),
    ]
}

/// The warning on duplicate ids (the first lines named), `None` without duplicates.
pub fn duplicate_warning(master: &CustomerMaster, lang: Lang) -> Option<String> {
    if master.duplicate_count == 0 {
        return None;
    }
    let named: Vec<String> = master
        .duplicates
        .iter()
        .take(DUPLICATES_NAMED)
        .map(|d| {
            sentence(
                Text::MasterDuplicateLine.get(lang),
                &[
                    d.line.to_string(),
                    isolated(&d.id, ID_CHARS),
                    d.first_line.to_string(),
                ],
            )
        })
        .collect();
    let mut list = named.join(Text::ListSeparator.get(lang));
    if master.duplicate_count > DUPLICATES_NAMED as u64 {
        list.push_str(" …");
    }
    Some(sentence(
        Text::MasterDuplicateWarning.get(lang),
        &[count(master.duplicate_count), list],
    ))
}

/// The rows not read, one sentence each.
pub fn rejected_messages(master: &CustomerMaster, lang: Lang) -> Vec<String> {
    master
        .rejected
        .iter()
        .map(|e| row_error_text(e, lang))
        .collect()
}

/// The first [`LISTED`] unmatched customers' ids (as shown), and how many more there are.
pub fn unmatched_ids(join: &MasterJoin, table: &CustomerTable) -> (Vec<String>, usize) {
    let listed = join
        .unmatched
        .iter()
        .take(LISTED)
        .filter_map(|&i| table.customers.get(i))
        .map(|c| isolated(&c.id, ID_CHARS))
        .collect();
    (listed, join.unmatched.len().saturating_sub(LISTED))
}

/// Every unmatched customer with its orders and sales, as a CSV.
pub fn unmatched_csv(join: &MasterJoin, table: &CustomerTable, lang: Lang) -> Csv {
    let header = [Text::CustomerId, Text::Orders, Text::Sales]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect();
    let rows = join
        .unmatched
        .iter()
        .filter_map(|&i| table.customers.get(i))
        .map(|c| vec![c.id.to_string(), c.orders.to_string(), c.sales.to_string()])
        .collect();
    Csv {
        file: UNMATCHED_CSV.to_string(),
        header,
        rows,
    }
}

/// The first [`LISTED`] prospects: the id and the values of every attribute (as shown), and
/// how many more there are.
pub fn prospect_rows(master: &CustomerMaster, join: &MasterJoin) -> (Vec<Vec<String>>, usize) {
    let listed = join
        .prospects
        .iter()
        .take(LISTED)
        .filter_map(|&i| master.rows.get(i))
        .map(|r| {
            std::iter::once(isolated(&r.id, ID_CHARS))
                .chain(r.values.iter().map(|v| isolated(v, CELL_CHARS)))
                .collect()
        })
        .collect();
    (listed, join.prospects.len().saturating_sub(LISTED))
}

/// The header of the prospects' table and CSV: the id column's and every attribute's header.
pub fn prospect_header(master: &CustomerMaster) -> Vec<String> {
    std::iter::once(master.id_column)
        .chain(master.columns.iter().map(|c| c.column))
        .map(|c| master.headers.get(c).cloned().unwrap_or_default())
        .collect()
}

/// Every prospect with its attributes, as a CSV (values as written).
pub fn prospects_csv(master: &CustomerMaster, join: &MasterJoin) -> Csv {
    let rows = join
        .prospects
        .iter()
        .filter_map(|&i| master.rows.get(i))
        .map(|r| {
            std::iter::once(r.id.clone())
                .chain(r.values.iter().cloned())
                .collect()
        })
        .collect();
    Csv {
        file: PROSPECTS_CSV.to_string(),
        header: prospect_header(master),
        rows,
    }
}

/// The report's line on the master file: its name, rows, match rate, prospects, duplicates.
pub fn report_note(
    file_name: &str,
    master: &CustomerMaster,
    join: &MasterJoin,
    lang: Lang,
) -> Note {
    Note {
        label: Text::MasterFile.get(lang).to_string(),
        value: sentence(
            Text::MasterReportValue.get(lang),
            &[
                isolated(file_name, FILE_NAME_CHARS),
                count(master.rows.len() as u64),
                format_percent(join.match_rate.unwrap_or(f64::NAN), 1),
                count(join.matched as u64),
                count(join.row_of.len() as u64),
                count(join.prospects.len() as u64),
                count(master.duplicate_count),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::master::{import_master, join_master, MasterOptions};

    #[test]
    fn figures_lists_csvs_and_the_report_line_in_both_languages() {
        let orders =
            "customer,date,amount\nC1,2024-01-05,100\nC2,2024-01-06,50\nC3,2024-02-01,30\n";
        let table = import_bytes(orders.as_bytes(), &InspectOptions::default())
            .unwrap()
            .table;
        let master_csv = "customer id,industry\nc1,retail\nＣ１,other\nP9,services\n,none\n";
        let master = import_master(master_csv.as_bytes(), &MasterOptions::default()).unwrap();
        let join = join_master(&master, &table);
        for lang in [Lang::Zh, Lang::En] {
            let got: Vec<(&str, f64)> = figures(&master, &join, lang)
                .iter()
                .map(|m| (m.name, m.value))
                .collect();
            assert_eq!(
                got,
                [
                    ("master_rows", 2.0),
                    ("master_matched", 1.0),
                    ("master_unmatched", 2.0),
                    ("master_match_rate", 1.0 / 3.0),
                    ("master_duplicates", 1.0),
                    ("master_prospects", 1.0),
                    ("master_rejected", 1.0),
                ]
            );
            let warning = duplicate_warning(&master, lang).unwrap();
            assert!(warning.contains('3') && warning.contains('2'), "{warning}");
            assert_eq!(rejected_messages(&master, lang).len(), 1);
            let note = report_note("master.csv", &master, &join, lang);
            assert!(note.value.contains("33.3"), "{}", note.value);
        }
        assert_eq!(
            unmatched_ids(&join, &table),
            (vec!["C2".into(), "C3".into()], 0)
        );
        assert_eq!(unmatched_csv(&join, &table, Lang::En).rows.len(), 2);
        let (rows, more) = prospect_rows(&master, &join);
        assert_eq!(
            (rows, more),
            (vec![vec!["P9".into(), "services".into()]], 0)
        );
        let csv = prospects_csv(&master, &join);
        assert_eq!(csv.header, ["customer id", "industry"]);
        assert_eq!(csv.rows, [["P9", "services"]]);
    }
}
