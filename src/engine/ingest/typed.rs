//! Typed rows (类型化导入): the rows of a columnar file (Parquet) handed to the importer as the
//! values its reader decoded — a day, an integer, an exact decimal, a double — instead of text
//! that would be parsed again ([`Importer::push_typed_row`]).
//!
//! The contract is the text path's, to the bit: a typed row is taken only when the text of the
//! same cells (by the convention of [`crate::engine::formats`]) would be taken by
//! [`Importer::push_row`] with the same transaction, day, amounts and attributes. Whatever the
//! typed path cannot decide that way — a cell that would be rejected, an empty customer, a day
//! outside the years 0–9999, a decimal beyond 2^53 units or 22 places, a non-finite double, a
//! row that may be longer than a text row may be, a per-customer summary, quotes read as
//! characters — is answered `false` and nothing is counted: the caller hands that row (and the
//! rest of its batch) to the text path, which rejects or takes it as it always did, with the
//! same line and column. So the rejected-row report is the text path's by construction.
//!
//! Why the numbers agree: the text path reads a plain decimal `-?digits.digits` as the `f64`
//! nearest to it (its fast path divides two exact `f64`s, the standard parser rounds
//! correctly). An integer converted with `as` and an unscaled decimal of at most 2^53 divided
//! by an exact power of ten (10^0 … 10^22) are that nearest `f64` too. A double is written as
//! its shortest decimal that reads back to itself, so it reads back to itself. A day is written
//! `YYYY-MM-DD` (with the time of a timestamp after it), which the text path reads through
//! [`Day::from_civil`] of the same year, month and day.

use super::dialect::{Quotes, MAX_RECORD_BYTES};
use super::rows::{strip_text_marker, RowState};
use super::settings::ImportSettings;
use super::values::{
    parse_date, parse_number, trim_cell, DateOrder, DecimalSeparator, MAX_MAGNITUDE,
};
use super::Importer;
use crate::engine::calendar::Day;
use crate::engine::customers::Transaction;

/// One cell of a table row as its reader decoded it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TypedCell<'a> {
    /// No value (SQL `NULL`): the empty cell of the text path.
    Null,
    /// The cell as text, by the convention of [`crate::engine::formats`]: read exactly as
    /// [`Importer::push_row`] reads it.
    Text(&'a str),
    /// A signed integer (`INT32`, `INT64`).
    Int(i64),
    /// An unsigned integer (`UINT_8` … `UINT_64`).
    UInt(u64),
    /// An exact decimal: `unscaled` × 10^−`scale` (`DECIMAL` on `INT32` or `INT64`).
    Decimal {
        /// The stored integer.
        unscaled: i64,
        /// Digits after the point.
        scale: i32,
    },
    /// A double (`DOUBLE`), whose text is its shortest decimal.
    Double(f64),
    /// A day counted from 1970-01-01: a `DATE`, or the day of a timestamp's stored (UTC) clock,
    /// which is the day its text `YYYY-MM-DD HH:MM:SS` names.
    Day(i32),
}

/// The most bytes the text of one non-text [`TypedCell`] may have (a double's digits in full,
/// as `{}` writes `1e300`, are the longest: about 330).
pub const TYPED_TEXT_MAX: usize = 512;

/// What the typed path reads of a column ([`Importer::column_uses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUse {
    /// Not mapped: the reader need not decode it.
    Unused,
    /// Ids and attributes, and numbers or dates the typed path reads as text (a decimal comma):
    /// [`TypedCell::Text`] or [`TypedCell::Null`].
    Text,
    /// An amount, profit or quantity: any [`TypedCell`] but a day.
    Number,
    /// The order date: [`TypedCell::Day`], or text.
    Day,
}

impl Importer {
    /// What the typed path reads of each of a table's `width` columns, or `None` when these
    /// settings take no typed rows (a per-customer summary; quotes read as characters).
    pub fn column_uses(&self, width: usize) -> Option<Vec<ColumnUse>> {
        let settings = &self.settings;
        if settings.summary.is_some() || settings.quotes == Quotes::Literal {
            return None;
        }
        let mut uses = vec![ColumnUse::Unused; width];
        let mut set = |column: Option<usize>, want: ColumnUse| {
            if let Some(slot) = column.and_then(|c| uses.get_mut(c)) {
                *slot = match *slot {
                    ColumnUse::Unused => want,
                    same if same == want => want,
                    // A column in two roles of different kinds: as text, which both read.
                    _ => ColumnUse::Text,
                };
            }
        };
        let mapping = &settings.mapping;
        let numbers = match settings.decimal {
            DecimalSeparator::Point => ColumnUse::Number,
            // Numbers written with a point, read with a decimal comma: only the text says how.
            DecimalSeparator::Comma => ColumnUse::Text,
        };
        set(Some(mapping.customer.unwrap_or(0)), ColumnUse::Text);
        set(mapping.order, ColumnUse::Text);
        set(Some(mapping.amount.unwrap_or(0)), numbers);
        set(mapping.profit, numbers);
        set(mapping.quantity, numbers);
        set(mapping.date, ColumnUse::Day);
        for column in settings.attributes.iter().map(|a| a.column) {
            set(Some(column), ColumnUse::Text);
        }
        for column in settings.lines.iter().map(|l| l.column) {
            set(Some(column), ColumnUse::Text);
        }
        Some(uses)
    }

    /// Takes one row of a table file as typed cells (an accepted row needs no line: only a
    /// rejected one is named, and the text path rejects), when the typed path can take it exactly as
    /// [`Importer::push_row`] would take its text (see the module's contract); `false`, with
    /// nothing counted, otherwise: the caller then pushes the row's text.
    ///
    /// `cells` holds every column of the row in order (an unused column may be
    /// [`TypedCell::Null`]); `undecoded_bytes` bounds the text of the cells not decoded (so not
    /// in `cells`), for the text path's limit on a row's length.
    pub fn push_typed_row(&mut self, cells: &[TypedCell], undecoded_bytes: usize) -> bool {
        self.state
            .take_typed(cells, undecoded_bytes, &self.settings)
    }
}

impl RowState {
    fn take_typed(
        &mut self,
        cells: &[TypedCell],
        undecoded_bytes: usize,
        settings: &ImportSettings,
    ) -> bool {
        if !self.takes_typed(cells.len(), settings) {
            return false;
        }
        let Some(row) = typed_transaction(cells, undecoded_bytes, settings) else {
            return false;
        };
        self.take_transaction(&row.transaction, &row.attributes, &row.lines, settings);
        true
    }

    /// Whether a typed row of `width` cells may be taken now (its cells aside): the preamble is
    /// behind, and the settings read rows, not a summary, with quotes.
    pub(super) fn takes_typed(&self, width: usize, settings: &ImportSettings) -> bool {
        self.preamble.is_behind()
            && settings.summary.is_none()
            && settings.quotes != Quotes::Literal
            && width <= self.columns
    }

    /// Takes the transaction of a typed row ([`typed_transaction`]) that [`Self::takes_typed`]
    /// allows.
    pub(super) fn take_transaction(
        &mut self,
        row: &Transaction,
        attributes: &[&str],
        lines: &[&str],
        settings: &ImportSettings,
    ) {
        self.tally.rows_read += 1;
        self.accept(
            row,
            settings,
            attributes.iter().copied(),
            lines.iter().copied(),
        );
    }
}

/// A typed row as the importer takes it: its transaction, and its attribute and line
/// attribute cells as the text path reads them (trimmed text, a null blank), in the order of
/// the settings.
#[derive(Debug, Clone)]
pub struct TypedTransaction<'r> {
    /// The row's transaction.
    pub transaction: Transaction<'r>,
    /// The customer attribute cells, one per [`ImportSettings::attributes`].
    pub attributes: Vec<&'r str>,
    /// The line attribute cells, one per [`ImportSettings::lines`].
    pub lines: Vec<&'r str>,
}

/// The half of [`Importer::push_typed_row`] that depends on the row alone: its transaction and
/// attribute cells when the text path would take its text with exactly these, `None` when that
/// is not sure (the text path then decides). The other half, [`RowState::takes_typed`], asks
/// the importer's state.
pub fn typed_transaction<'r>(
    cells: &[TypedCell<'r>],
    undecoded_bytes: usize,
    settings: &ImportSettings,
) -> Option<TypedTransaction<'r>> {
    let text_bytes = cells
        .iter()
        .map(|cell| match cell {
            TypedCell::Null => 0,
            TypedCell::Text(text) => text.len(),
            _ => TYPED_TEXT_MAX,
        })
        .fold(undecoded_bytes, usize::saturating_add);
    if text_bytes > MAX_RECORD_BYTES {
        return None;
    }
    let transaction = typed_row(cells, settings)?;
    // The attribute and line-attribute cells as the text path reads them: trimmed text, a
    // null blank.
    let attribute = |column: usize| match cells.get(column) {
        Some(TypedCell::Text(text)) => Some(trim_cell(text)),
        Some(TypedCell::Null) | None => Some(""),
        Some(_) => None,
    };
    let attributes = settings
        .attributes
        .iter()
        .map(|a| attribute(a.column))
        .collect::<Option<Vec<_>>>()?;
    let lines = settings
        .lines
        .iter()
        .map(|l| attribute(l.column))
        .collect::<Option<Vec<_>>>()?;
    Some(TypedTransaction {
        transaction,
        attributes,
        lines,
    })
}

/// The text of an id, date or text-number cell as the text path's required cell reads it:
/// trimmed, not empty, without U+FFFD (which the text path rejects); `None` otherwise.
fn required_text<'r>(cell: Option<&TypedCell<'r>>) -> Option<&'r str> {
    match cell? {
        TypedCell::Text(text) => {
            let value = trim_cell(text);
            // Most ids are ASCII, which holds no U+FFFD: answered without a search.
            let marked = !value.is_ascii() && value.contains('\u{FFFD}');
            (!value.is_empty() && !marked).then_some(value)
        }
        _ => None,
    }
}

/// Powers of ten exact in `f64`.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number cell's value as [`parse_number`] reads its text, or `None` when that is not sure
/// (or the text would be rejected).
fn number(cell: Option<&TypedCell>, decimal: DecimalSeparator) -> Option<f64> {
    let value = match *cell? {
        TypedCell::Text(_) => return parse_number(required_text(cell)?, decimal),
        _ if decimal != DecimalSeparator::Point => return None,
        TypedCell::Int(x) => x as f64,
        TypedCell::UInt(x) => x as f64,
        TypedCell::Decimal { unscaled, scale } => {
            let magnitude = unscaled.unsigned_abs();
            if magnitude > 1 << 53 {
                return None;
            }
            let power = EXACT_POWERS_OF_TEN.get(usize::try_from(scale).ok()?)?;
            let value = magnitude as f64 / power;
            if unscaled < 0 {
                -value
            } else {
                value
            }
        }
        TypedCell::Double(x) if x.is_finite() => x,
        TypedCell::Double(_) | TypedCell::Null | TypedCell::Day(_) => return None,
    };
    (value.abs() <= MAX_MAGNITUDE).then_some(value)
}

/// A date cell's day as [`parse_date`] reads its text, or `None` when that is not sure.
fn day(cell: Option<&TypedCell>, order: DateOrder, serial: bool) -> Option<Day> {
    match *cell? {
        TypedCell::Text(_) => parse_date(required_text(cell)?, order, serial),
        TypedCell::Day(days) => {
            let (year, month, day) = Day::from_epoch_days(days).civil();
            // Four digits: the text is `YYYY-MM-DD`, read by the ISO fast path.
            if !(0..=9999).contains(&year) {
                return None;
            }
            Day::from_civil(year, month, day)
        }
        _ => None,
    }
}

/// The transaction of a typed row, as `rows::parse_row` reads its text; `None` when the text
/// path might read it otherwise or reject it.
fn typed_row<'r>(cells: &[TypedCell<'r>], settings: &ImportSettings) -> Option<Transaction<'r>> {
    let mapping = &settings.mapping;
    let decimal = settings.decimal;
    let customer = strip_text_marker(required_text(cells.get(mapping.customer.unwrap_or(0)))?);
    let amount = number(cells.get(mapping.amount.unwrap_or(0)), decimal)?;
    let day = match mapping.date {
        Some(index) => Some(day(
            cells.get(index),
            settings.date_order,
            settings.serial_dates,
        )?),
        None => None,
    };
    let profit = match mapping.profit {
        Some(index) => Some(number(cells.get(index), decimal)?),
        None => None,
    };
    let order = match mapping.order {
        Some(index) => Some(strip_text_marker(required_text(cells.get(index))?)),
        None => None,
    };
    let quantity = match mapping.quantity {
        Some(index) => match cells.get(index)? {
            TypedCell::Null => None,
            TypedCell::Text(text) if trim_cell(text).is_empty() => None,
            cell => Some(number(Some(cell), decimal)?),
        },
        None => None,
    };
    Some(Transaction {
        customer,
        order,
        day,
        amount,
        profit,
        quantity,
    })
}

/// Each typed cell against the text path on its text (the convention's own writers in
/// [`crate::engine::formats`]): the same value to the bit, or no typed value at all.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::formats::{decimal_text, epoch_days_text, float_text};

    const POINT: DecimalSeparator = DecimalSeparator::Point;

    /// The typed value, when there is one, is the text path's, bit for bit.
    fn agrees(cell: TypedCell, text: &str) {
        let typed = number(Some(&cell), POINT);
        let parsed = parse_number(text, POINT);
        if let Some(value) = typed {
            assert_eq!(
                Some(value.to_bits()),
                parsed.map(f64::to_bits),
                "{cell:?} as '{text}'"
            );
        }
    }

    #[test]
    fn decimals_of_every_scale_read_as_their_text() {
        let unscaled = [
            0i64,
            1,
            -1,
            5,
            -5,
            1230,
            -1230,
            371_121,
            -99_999_999,
            123_456_789_012,
            (1 << 53) - 1,
            1 << 53,
            (1 << 53) + 1,
            -(1 << 53),
            999_999_999_999_999_999,
            i64::MAX,
            i64::MIN,
        ];
        let mut typed = 0;
        for &u in &unscaled {
            for scale in -2..=25 {
                let cell = TypedCell::Decimal { unscaled: u, scale };
                agrees(cell, &decimal_text(i128::from(u), scale));
                typed += usize::from(number(Some(&cell), POINT).is_some());
            }
        }
        assert!(typed > 250, "most are typed: {typed}");
        // Beyond 2^53 units, or a negative scale, or past 22 places: the text decides.
        let cases = [((1 << 53) + 1, 2), (12, -2), (5, 23)];
        for (unscaled, scale) in cases {
            assert_eq!(
                number(Some(&TypedCell::Decimal { unscaled, scale }), POINT),
                None
            );
        }
        // Returns keep their sign; amounts past 10^15 are no numbers, as in a CSV.
        let value = |unscaled, scale| number(Some(&TypedCell::Decimal { unscaled, scale }), POINT);
        assert_eq!(value(-1230, 2), Some(-12.3));
        assert_eq!(value(1_000_000_000_000_001, 0), None);
        assert_eq!(value(-1_000_000_000_000_000, 0), Some(-1e15));
    }

    #[test]
    fn integers_and_doubles_read_as_their_text() {
        for x in [
            0i64,
            7,
            -7,
            1 << 53,
            (1 << 53) + 1,
            999_999_999_999_999,
            -1_000_000_000_000_001,
            i64::MAX,
            i64::MIN,
        ] {
            agrees(TypedCell::Int(x), &x.to_string());
        }
        for x in [0u64, 255, 1 << 60, u64::MAX] {
            agrees(TypedCell::UInt(x), &x.to_string());
        }
        let doubles = [
            0.0,
            -0.0,
            0.1,
            -12.3,
            1.37 * 4999.0 - 101.0,
            1e-7,
            5e-324,
            123_456_789.123_456_79,
            999_999_999_999_999.9,
            1e15,
            1e300,
            f64::MAX,
        ];
        for x in doubles {
            agrees(TypedCell::Double(x), &float_text(x));
        }
        assert_eq!(
            number(Some(&TypedCell::Double(-0.0)), POINT).map(f64::is_sign_negative),
            Some(true)
        );
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(number(Some(&TypedCell::Double(x)), POINT), None);
        }
        // Nulls and days are no numbers; with a decimal comma only text is read.
        assert_eq!(number(Some(&TypedCell::Null), POINT), None);
        assert_eq!(number(Some(&TypedCell::Day(3)), POINT), None);
        assert_eq!(
            number(Some(&TypedCell::Int(3)), DecimalSeparator::Comma),
            None
        );
        assert_eq!(
            number(Some(&TypedCell::Text("3,5")), DecimalSeparator::Comma),
            Some(3.5)
        );
    }

    #[test]
    fn days_read_as_their_text_within_four_digit_years() {
        for days in [
            -719_528,
            -719_162,
            -25_567,
            -1,
            0,
            1,
            19_358,
            2_932_896,
            2_932_897,
            i32::MIN,
            i32::MAX,
        ] {
            let typed = day(Some(&TypedCell::Day(days)), DateOrder::DayFirst, false);
            let text = epoch_days_text(i64::from(days));
            let parsed = parse_date(&text, DateOrder::DayFirst, false);
            if let Some(typed) = typed {
                assert_eq!(Some(typed), parsed, "{days} as '{text}'");
            }
            let (year, _, _) = Day::from_epoch_days(days).civil();
            assert_eq!(typed.is_some(), (0..=9999).contains(&year), "{days}");
        }
    }
}
