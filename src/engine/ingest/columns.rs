//! Columns: which column holds the customer, order, date, amount, profit and quantity.
//!
//! Headers are matched against English, simplified and traditional Chinese names (客户编号,
//! 订单号, 下单时间, 实付金额, 毛利, 數量 …). Without a header, or where no name matches, the values
//! decide: all dates → order date; the left-most text or id column (text or leading zeros before
//! plain whole numbers) → customer; numbers with decimals → amount; small whole numbers →
//! quantity. Values only decide for columns filled in at least half of the sample rows, so one
//! ragged row with an extra cell cannot claim a role. Every guess carries a confidence in 0..=1.

use crate::engine::dimensions::{AttributeColumn, AttributeKind, LineColumn, LineKind};
use crate::engine::vocabulary::LINE_ALIASES;
use crate::engine::vocabulary::{ATTRIBUTE_ALIASES, HEADER_ALIASES, HEADER_FULL_WIDTH_SEPARATORS};
use serde::{Deserialize, Serialize};

use super::values::{parse_date, parse_number, DateOrder, DecimalSeparator};

/// What a column means to the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Customer id (required).
    Customer,
    /// Order id (optional; without it every row counts as one order).
    Order,
    /// Order date (needed for recency and period comparisons).
    Date,
    /// Amount of sales (required). Negative amounts are returns.
    Amount,
    /// Profit (optional; without it the profit views are off).
    Profit,
    /// Quantity (optional).
    Quantity,
}

impl Role {
    /// All roles, in mapping-table order.
    pub const ALL: [Role; 6] = [
        Role::Customer,
        Role::Order,
        Role::Date,
        Role::Amount,
        Role::Profit,
        Role::Quantity,
    ];

    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Order => "order",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::Profit => "profit",
            Role::Quantity => "quantity",
        }
    }

    /// True for roles the import cannot do without.
    pub fn is_required(self) -> bool {
        matches!(self, Role::Customer | Role::Amount)
    }
}

/// Which column (zero-based) plays which role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Customer id column.
    pub customer: Option<usize>,
    /// Order id column.
    pub order: Option<usize>,
    /// Order date column.
    pub date: Option<usize>,
    /// Amount (sales) column.
    pub amount: Option<usize>,
    /// Profit column.
    pub profit: Option<usize>,
    /// Quantity column.
    pub quantity: Option<usize>,
}

impl ColumnMapping {
    /// The column of `role`.
    pub fn get(&self, role: Role) -> Option<usize> {
        match role {
            Role::Customer => self.customer,
            Role::Order => self.order,
            Role::Date => self.date,
            Role::Amount => self.amount,
            Role::Profit => self.profit,
            Role::Quantity => self.quantity,
        }
    }

    /// Sets the column of `role`; a column holds at most one role, so it is taken from any other.
    pub fn set(&mut self, role: Role, column: Option<usize>) {
        if column.is_some() {
            for other in Role::ALL {
                if other != role && self.get(other) == column {
                    *self.slot(other) = None;
                }
            }
        }
        *self.slot(role) = column;
    }

    fn slot(&mut self, role: Role) -> &mut Option<usize> {
        match role {
            Role::Customer => &mut self.customer,
            Role::Order => &mut self.order,
            Role::Date => &mut self.date,
            Role::Amount => &mut self.amount,
            Role::Profit => &mut self.profit,
            Role::Quantity => &mut self.quantity,
        }
    }
}

/// Why a column was given a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuessSource {
    /// The header is a known name for the role.
    HeaderExact,
    /// The header contains a known name for the role.
    HeaderPartial,
    /// The values look like the role.
    Values,
}

/// The confidence of the weakest value guesses (an id column whose values never repeat, an
/// amount column of whole numbers): a required role guessed this low is for the user to check.
pub const LOW_CONFIDENCE: f32 = 0.4;

/// One guessed role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnGuess {
    /// The role.
    pub role: Role,
    /// The column (zero-based).
    pub column: usize,
    /// 0..=1: 1 for an exact header name, lower for partial names and value guesses.
    pub confidence: f32,
    /// Why.
    pub source: GuessSource,
}

/// Normalises a header for matching.
pub fn normalize_header(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| {
            !matches!(c, ' ' | '_' | '-' | '.' | '#' | '(' | ')' | ':')
                && !HEADER_FULL_WIDTH_SEPARATORS.contains(c)
        })
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn header_match(header: &str, role: Role) -> Option<(f32, GuessSource)> {
    let name = normalize_header(header);
    if name.is_empty() {
        return None;
    }
    let aliases = HEADER_ALIASES
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, a)| *a)
        .unwrap_or(&[]);
    if aliases.contains(&name.as_str()) {
        return Some((1.0, GuessSource::HeaderExact));
    }
    // Partial: the header contains an alias of at least two characters (CJK) or four (Latin).
    let best = aliases
        .iter()
        .filter(|alias| {
            let long_enough = if alias.is_ascii() {
                alias.len() >= 4
            } else {
                alias.chars().count() >= 2
            };
            long_enough && name.contains(*alias)
        })
        .map(|alias| alias.chars().count())
        .max()?;
    Some((
        (0.5 + 0.05 * best as f32).min(0.85),
        GuessSource::HeaderPartial,
    ))
}

/// True when `cell` is a known name for some role (exactly, or containing one), as a header would be.
#[cfg(feature = "legacy-encodings")]
pub(crate) fn names_a_role(cell: &str) -> bool {
    Role::ALL
        .iter()
        .any(|&role| header_match(cell, role).is_some_and(|m| m.0 >= 0.6))
}

/// The attribute kind whose known names include `header` exactly (after normalising).
pub fn attribute_kind_of(header: &str) -> Option<AttributeKind> {
    let name = normalize_header(header);
    ATTRIBUTE_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&name.as_str()))
        .map(|(kind, _)| *kind)
}

/// The customer attribute columns among `headers` (exact known names only), leaving out the
/// columns `mapping` gives a role.
pub fn guess_attributes(headers: &[String], mapping: &ColumnMapping) -> Vec<AttributeColumn> {
    headers
        .iter()
        .enumerate()
        .filter(|&(column, _)| Role::ALL.iter().all(|&r| mapping.get(r) != Some(column)))
        .filter_map(|(column, header)| {
            attribute_kind_of(header).map(|kind| AttributeColumn { column, kind })
        })
        .collect()
}

/// The line attribute kind whose known names include `header` exactly (after normalising).
pub fn line_kind_of(header: &str) -> Option<LineKind> {
    let name = normalize_header(header);
    LINE_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&name.as_str()))
        .map(|(kind, _)| *kind)
}

/// The line attribute columns among `headers` (exact known names only), leaving out the
/// columns `mapping` gives a role and those named as customer attributes.
pub fn guess_lines(headers: &[String], mapping: &ColumnMapping) -> Vec<LineColumn> {
    headers
        .iter()
        .enumerate()
        .filter(|&(column, _)| Role::ALL.iter().all(|&r| mapping.get(r) != Some(column)))
        .filter(|(_, header)| attribute_kind_of(header).is_none())
        .filter_map(|(column, header)| line_kind_of(header).map(|kind| LineColumn { column, kind }))
        .collect()
}

/// What a column's sample values look like.
#[derive(Debug, Clone, Default)]
struct Profile {
    non_empty: usize,
    numbers: usize,
    integers: usize,
    decimals: usize,
    negatives: usize,
    dates: usize,
    serial_dates: usize,
    leading_zeros: usize,
    distinct: usize,
    mean_abs: f64,
}

fn profile(rows: &[Vec<String>], column: usize, decimal: DecimalSeparator) -> Profile {
    let mut p = Profile::default();
    let mut seen = std::collections::HashSet::new();
    let mut sum = 0.0;
    for row in rows {
        let cell = row.get(column).map(|s| s.trim()).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        p.non_empty += 1;
        seen.insert(cell);
        if parse_date(cell, DateOrder::DayFirst, false).is_some()
            || parse_date(cell, DateOrder::MonthFirst, false).is_some()
        {
            p.dates += 1;
        }
        if let Some(value) = parse_number(cell, decimal) {
            p.numbers += 1;
            sum += value.abs();
            if value < 0.0 {
                p.negatives += 1;
            }
            if value.fract() == 0.0 && !cell.contains(['.', ',']) {
                p.integers += 1;
                if cell.len() > 1 && cell.starts_with('0') {
                    p.leading_zeros += 1;
                }
            } else {
                p.decimals += 1;
            }
            if (20_000.0..80_000.0).contains(&value) {
                p.serial_dates += 1;
            }
        }
    }
    p.distinct = seen.len();
    p.mean_abs = if p.numbers > 0 {
        sum / p.numbers as f64
    } else {
        0.0
    };
    p
}

/// True when the first row is a header rather than data.
///
/// A header if any cell names a known role (a partial name such as `企业客户` only counts when the
/// rows below do not repeat it), or if some column is text in the first row and numbers or dates
/// in most later rows.
pub fn looks_like_header(rows: &[Vec<String>], decimal: DecimalSeparator) -> bool {
    let Some(first) = rows.first() else {
        return false;
    };
    let rest = &rows[1..];
    // A partial match that recurs further down the column is data (`企业客户`, `个人客户`), not a name.
    let names_a_role = |column: usize, cell: &str| {
        Role::ALL
            .iter()
            .any(|&role| match header_match(cell, role) {
                Some((_, GuessSource::HeaderExact)) => true,
                Some((confidence, _)) if confidence >= 0.6 => !rest.iter().any(|row| {
                    row.get(column)
                        .is_some_and(|value| header_match(value, role).is_some())
                }),
                _ => false,
            })
    };
    if first
        .iter()
        .enumerate()
        .any(|(column, cell)| names_a_role(column, cell))
    {
        return true;
    }
    if rest.is_empty() {
        // A single row of pure text is more likely a header than data.
        return first.iter().all(|c| parse_number(c, decimal).is_none());
    }
    (0..first.len()).any(|column| {
        let head = first[column].trim();
        let head_is_value = head.is_empty()
            || parse_number(head, decimal).is_some()
            || parse_date(head, DateOrder::DayFirst, false).is_some();
        if head_is_value {
            return false;
        }
        let p = profile(rest, column, decimal);
        p.non_empty > 0 && (p.numbers.max(p.dates)) * 10 >= p.non_empty * 8
    })
}

/// Guesses the role of every column from the headers (if any) and the sample rows.
///
/// Returns the mapping and one [`ColumnGuess`] per mapped role.
pub fn guess_mapping(
    headers: Option<&[String]>,
    rows: &[Vec<String>],
    column_count: usize,
    decimal: DecimalSeparator,
) -> (ColumnMapping, Vec<ColumnGuess>) {
    let mut mapping = ColumnMapping::default();
    let mut guesses: Vec<ColumnGuess> = Vec::new();
    let mut taken = vec![false; column_count];

    // 1. Header names, best confidence first; a column named as a customer attribute
    // ([`guess_attributes`]) is left to it.
    if let Some(headers) = headers {
        let mut candidates: Vec<(f32, usize, Role, GuessSource)> = Vec::new();
        for (column, header) in headers.iter().enumerate().take(column_count) {
            if attribute_kind_of(header).is_some() || line_kind_of(header).is_some() {
                taken[column] = true;
                continue;
            }
            for role in Role::ALL {
                if let Some((confidence, source)) = header_match(header, role) {
                    candidates.push((confidence, column, role, source));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (confidence, column, role, source) in candidates {
            if taken[column] || mapping.get(role).is_some() {
                continue;
            }
            mapping.set(role, Some(column));
            taken[column] = true;
            guesses.push(ColumnGuess {
                role,
                column,
                confidence,
                source,
            });
        }
    }

    // 2. Values, for roles still open.
    let profiles: Vec<Profile> = (0..column_count)
        .map(|c| profile(rows, c, decimal))
        .collect();
    // A column filled in only a few rows (an extra cell of a ragged row) never gets a role by
    // its values: rows without it would all be rejected.
    let free = |taken: &[bool], c: usize| {
        !taken[c] && profiles[c].non_empty > 0 && profiles[c].non_empty * 2 >= rows.len()
    };
    let mostly = |count: usize, p: &Profile| p.non_empty > 0 && count * 10 >= p.non_empty * 9;

    let mut assign = |role: Role,
                      column: usize,
                      confidence: f32,
                      taken: &mut Vec<bool>,
                      mapping: &mut ColumnMapping| {
        mapping.set(role, Some(column));
        taken[column] = true;
        guesses.push(ColumnGuess {
            role,
            column,
            confidence,
            source: GuessSource::Values,
        });
    };

    if mapping.date.is_none() {
        // Dates: text dates, or 8-digit compact dates; not plain small numbers.
        if let Some(column) =
            (0..column_count).find(|&c| free(&taken, c) && mostly(profiles[c].dates, &profiles[c]))
        {
            assign(Role::Date, column, 0.7, &mut taken, &mut mapping);
        }
    }
    if mapping.customer.is_none() {
        // The left-most id column: text or leading zeros first, else plain whole numbers (ids in
        // a sample are often all different, so repetition cannot be required).
        let id_like = |c: usize| {
            let p = &profiles[c];
            free(&taken, c) && p.decimals == 0 && !mostly(p.dates, p)
        };
        let candidate = (0..column_count)
            .find(|&c| id_like(c) && (profiles[c].leading_zeros > 0 || profiles[c].numbers == 0))
            .or_else(|| (0..column_count).find(|&c| id_like(c)));
        if let Some(column) = candidate {
            let confidence = if profiles[column].distinct < profiles[column].non_empty {
                0.6
            } else {
                LOW_CONFIDENCE
            };
            assign(Role::Customer, column, confidence, &mut taken, &mut mapping);
        }
    }
    if mapping.amount.is_none() {
        // Numbers with decimals, largest mean first; else the largest whole-number column.
        let mut numeric: Vec<usize> = (0..column_count)
            .filter(|&c| free(&taken, c) && mostly(profiles[c].numbers, &profiles[c]))
            .collect();
        numeric.sort_by(|&a, &b| {
            (profiles[b].decimals > 0)
                .cmp(&(profiles[a].decimals > 0))
                .then(profiles[b].mean_abs.total_cmp(&profiles[a].mean_abs))
        });
        if let Some(&column) = numeric.first() {
            let confidence = if profiles[column].decimals > 0 {
                0.6
            } else {
                LOW_CONFIDENCE
            };
            assign(Role::Amount, column, confidence, &mut taken, &mut mapping);
        }
    }
    if mapping.quantity.is_none() {
        if let Some(column) = (0..column_count).find(|&c| {
            let p = &profiles[c];
            free(&taken, c) && mostly(p.integers, p) && p.mean_abs < 1000.0 && p.leading_zeros == 0
        }) {
            assign(
                Role::Quantity,
                column,
                LOW_CONFIDENCE,
                &mut taken,
                &mut mapping,
            );
        }
    }
    guesses.sort_by_key(|g| Role::ALL.iter().position(|&r| r == g.role));
    (mapping, guesses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn chinese_and_english_headers() {
        let cases: &[(&[&str], ColumnMapping)] = &[
            (
                &["客户编号", "订单号", "下单时间", "实付金额", "毛利", "数量"],
                ColumnMapping {
                    customer: Some(0),
                    order: Some(1),
                    date: Some(2),
                    amount: Some(3),
                    profit: Some(4),
                    quantity: Some(5),
                },
            ),
            (
                &[
                    "Order ID",
                    "Customer_ID",
                    "Order Date",
                    "Sales",
                    "Profit",
                    "Qty",
                ],
                ColumnMapping {
                    customer: Some(1),
                    order: Some(0),
                    date: Some(2),
                    amount: Some(3),
                    profit: Some(4),
                    quantity: Some(5),
                },
            ),
            (
                &["客戶編號", "訂單編號", "訂單日期", "銷售額", "利潤"],
                ColumnMapping {
                    customer: Some(0),
                    order: Some(1),
                    date: Some(2),
                    amount: Some(3),
                    profit: Some(4),
                    quantity: None,
                },
            ),
            (
                &["会员", "单号", "交易日期", "成交金额"],
                ColumnMapping {
                    customer: Some(0),
                    order: Some(1),
                    date: Some(2),
                    amount: Some(3),
                    profit: None,
                    quantity: None,
                },
            ),
        ];
        for (headers, expected) in cases {
            let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
            let (mapping, guesses) =
                guess_mapping(Some(&headers), &[], headers.len(), DecimalSeparator::Point);
            assert_eq!(&mapping, expected, "headers {headers:?}");
            assert!(guesses.iter().all(|g| g.confidence >= 0.99), "{guesses:?}");
        }
    }

    #[test]
    fn values_decide_without_a_header() {
        let data = rows(&[
            &["00001", "19970101", "1", "11.77"],
            &["00002", "19970112", "1", "12.00"],
            &["00002", "19970112", "5", "77.00"],
            &["00003", "19970102", "2", "20.76"],
        ]);
        assert!(!looks_like_header(&data, DecimalSeparator::Point));
        let (mapping, _) = guess_mapping(None, &data, 4, DecimalSeparator::Point);
        assert_eq!(
            mapping,
            ColumnMapping {
                customer: Some(0),
                order: None,
                date: Some(1),
                amount: Some(3),
                profit: None,
                quantity: Some(2)
            }
        );
    }

    #[test]
    fn header_detection() {
        let with_header = rows(&[
            &["id", "when", "value"],
            &["a", "2024-01-01", "1.5"],
            &["b", "2024-01-02", "2"],
        ]);
        assert!(looks_like_header(&with_header, DecimalSeparator::Point));
        let unknown_names = rows(&[&["x", "y"], &["a", "1.5"], &["b", "2"]]);
        assert!(looks_like_header(&unknown_names, DecimalSeparator::Point));
        let no_header = rows(&[&["a", "1.5"], &["b", "2"]]);
        assert!(!looks_like_header(&no_header, DecimalSeparator::Point));
    }

    #[test]
    fn an_extra_cell_in_one_row_claims_no_role() {
        // Regression: the `3` of one ragged row made column 4 the quantity, and every other row
        // was then rejected for having too few columns.
        let data = rows(&[
            &["c1", "2024-01-01", "10.5"],
            &["c2", "2024-01-02", "20.25", "3"],
            &["c3", "2024-01-03", "7"],
        ]);
        let headers: Vec<String> = ["customer", "date", "amount", "column 4"]
            .map(String::from)
            .to_vec();
        let (mapping, _) = guess_mapping(Some(&headers), &data, 4, DecimalSeparator::Point);
        assert_eq!(mapping.quantity, None);
    }

    #[test]
    fn unique_numeric_ids_are_the_customer_not_the_quantity() {
        // Regression: ids that do not repeat in the sample were passed over, and the repeating
        // quantity column became the customer.
        let data = rows(&[
            &["10001", "2023-05-01", "2", "120.00"],
            &["10002", "2023-05-02", "1", "35.50"],
            &["10003", "2023-05-02", "2", "80.00"],
        ]);
        let (mapping, guesses) = guess_mapping(None, &data, 4, DecimalSeparator::Point);
        assert_eq!(
            (mapping.customer, mapping.quantity, mapping.amount),
            (Some(0), Some(2), Some(3))
        );
        let customer = guesses.iter().find(|g| g.role == Role::Customer).unwrap();
        assert_eq!(customer.confidence, LOW_CONFIDENCE);
    }

    #[test]
    fn a_partial_name_repeated_in_the_column_is_data_not_a_header() {
        // Regression: `企业客户` contains 客户, so a headerless file lost its first row.
        let headerless = rows(&[
            &["C1", "企业客户", "2024-01-05", "12.5"],
            &["C2", "个人客户", "2024-01-06", "3.5"],
        ]);
        assert!(!looks_like_header(&headerless, DecimalSeparator::Point));
        let header = rows(&[&["编号", "客户类型", "日期"], &["1", "企业", "2024-01-05"]]);
        assert!(looks_like_header(&header, DecimalSeparator::Point));
    }

    #[test]
    fn one_column_one_role() {
        let mut mapping = ColumnMapping {
            customer: Some(0),
            amount: Some(1),
            ..Default::default()
        };
        mapping.set(Role::Profit, Some(1));
        assert_eq!(mapping.amount, None);
        assert_eq!(mapping.profit, Some(1));
    }
}
