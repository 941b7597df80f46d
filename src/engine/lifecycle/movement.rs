//! Movement between two periods (客户流动): customer deciles of period A against period B as a
//! transition matrix with "new" and "lapsed", and the top-decile customers of A that are lapsed
//! in B with their value in A: the documents' "valuable customers we are losing".

use super::scan::{entries_of, entry_at, Entry};
use super::*;
use crate::engine::deciles::{decile_sizes, DECILES};
use crate::engine::numeric::{ascending_bits, snapped, AMOUNT_STEPS};

/// A row of the transition matrix: where a customer stood in A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum From {
    /// Decile 1 (largest net sales) to 10 of the customers active in A.
    Decile(u8),
    /// Not active in A, active in B.
    New,
}

/// A column of the transition matrix: where a customer stands in B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum To {
    /// Decile 1 to 10 of the customers active in B.
    Decile(u8),
    /// Active in A, not in B.
    Lapsed,
}

impl From {
    /// `1` … `10` or `new` (as in `decile_transition:<from>:<to>`).
    pub fn name(self) -> String {
        match self {
            From::Decile(d) => d.to_string(),
            From::New => "new".into(),
        }
    }
}

impl To {
    /// `1` … `10` or `lapsed`.
    pub fn name(self) -> String {
        match self {
            To::Decile(d) => d.to_string(),
            To::Lapsed => "lapsed".into(),
        }
    }
}

/// One cell of the transition matrix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// The row.
    pub from: From,
    /// The column.
    pub to: To,
    /// Customers.
    pub customers: usize,
    /// Their net sales in A.
    pub sales_a: f64,
    /// Their net sales in B.
    pub sales_b: f64,
}

/// A top customer of A not active in B.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LostTopCustomer {
    /// Index into the customer table.
    pub index: usize,
    /// Its decile in A.
    pub decile_a: u8,
    /// Net sales in A.
    pub sales_a: f64,
    /// Orders in A (on activity days).
    pub orders_a: u32,
    /// Net profit in A (0 without a profit column).
    pub profit_a: f64,
    /// Net sales in B (returns only, or 0).
    pub sales_b: f64,
}

/// Movement between A and B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    /// The two periods (A, then B).
    pub periods: Periods,
    /// Customers active in A, in B.
    pub active_a: usize,
    /// Customers active in B.
    pub active_b: usize,
    /// 11 × 11 cells: rows decile 1 … 10 then new, columns decile 1 … 10 then lapsed, row by
    /// row (the new × lapsed cell is always empty).
    pub matrix: Vec<Transition>,
    /// The customers of deciles 1 to `top_deciles` of A not active in B, largest sales in A
    /// first (ties by index).
    pub lost_top: Vec<LostTopCustomer>,
    /// How many deciles count as "top".
    pub top_deciles: u8,
}

impl Movement {
    /// The cell of `from` and `to`.
    pub fn cell(&self, from: From, to: To) -> Option<&Transition> {
        self.matrix.iter().find(|t| t.from == from && t.to == to)
    }
}

/// A customer active in A or in B, as the movement keeps it while it ranks them (24 bytes; at
/// ten million rows most of a million customers).
#[derive(Debug, Clone, Copy)]
struct Moved {
    /// Net sales in A when active there (else 0), and of all its days in B.
    sales_a: f64,
    sales_b: f64,
    index: usize,
    /// Active in A; active in B.
    active_a: bool,
    active_b: bool,
}

/// Each of `moved`'s decile (1–10, 0 for none) among those `sales` gives a value for: ranked by
/// that value, largest first, ties by index (`moved` is in index order; the table is sorted by
/// id).
fn deciles(moved: &[Moved], sales: impl Fn(&Moved) -> Option<f64>) -> (Vec<u8>, usize) {
    // Ascending keys for descending values, ordered as `f64::total_cmp` orders them.
    let mut ranked: Vec<(u64, usize)> = moved
        .iter()
        .enumerate()
        .filter_map(|(k, m)| Some((!ascending_bits(snapped(sales(m)?, AMOUNT_STEPS)), k)))
        .collect();
    ranked.sort_unstable();
    let members = ranked.len();
    let mut decile = vec![0u8; moved.len()];
    let mut ranked = ranked.into_iter();
    for (d, size) in (1u8..).zip(decile_sizes(members)) {
        for (_, k) in ranked.by_ref().take(size) {
            if let Some(slot) = decile.get_mut(k) {
                *slot = d;
            }
        }
    }
    (decile, members)
}

/// Movement between periods A and B (two custom ranges, B after A); `top_deciles` (1–10) says
/// which deciles of A count as top for [`Movement::lost_top`]. Activity follows
/// [`LifecycleConfig::returns_count_as_activity`]. O(days + n log n).
///
/// # Errors
/// Those of [`Periods::of_ranges`]; [`Error::Parameter`] (`top_deciles`) outside 1–10.
pub fn movement(
    history: &PurchaseHistory,
    window: &Window,
    a: DateRange,
    b: DateRange,
    top_deciles: u8,
    config: &LifecycleConfig,
) -> Result<Movement> {
    if !(1..=DECILES as u8).contains(&top_deciles) {
        return Err(parameter(
            "top_deciles",
            ParameterProblem::NotBetween {
                value: top_deciles.into(),
                min: 1,
                max: DECILES as i64,
                unit: None,
            },
        ));
    }
    let periods = Periods::of_ranges(a, b, window)?;
    let n = history.len();
    let mut entries: Vec<Entry> = Vec::new();
    let mut days = Vec::new();
    let mut read = |index: usize, entries: &mut Vec<Entry>| {
        days.clear();
        days.extend(
            history
                .days(index)
                .take_while(|d| d.day < window.analysis_day),
        );
        entries_of(&days, &periods, config.returns_count_as_activity, entries);
    };
    // Every customer active in A or B.
    let mut moved: Vec<Moved> = Vec::new();
    for index in 0..n {
        read(index, &mut entries);
        let active = |p: usize| entry_at(&entries, p).filter(|e| e.active);
        let (in_a, in_b) = (active(0), active(1));
        if in_a.is_some() || in_b.is_some() {
            moved.push(Moved {
                sales_a: in_a.map_or(0.0, |e| e.sales),
                sales_b: entry_at(&entries, 1).map_or(0.0, |e| e.sales),
                index,
                active_a: in_a.is_some(),
                active_b: in_b.is_some(),
            });
        }
    }
    let (decile_a, active_a) = deciles(&moved, |m| m.active_a.then_some(m.sales_a));
    let (decile_b, active_b) = deciles(&moved, |m| m.active_b.then_some(m.sales_b));
    let rows: Vec<From> = (1..=DECILES as u8)
        .map(From::Decile)
        .chain([From::New])
        .collect();
    let columns: Vec<To> = (1..=DECILES as u8)
        .map(To::Decile)
        .chain([To::Lapsed])
        .collect();
    let mut matrix: Vec<Transition> = rows
        .iter()
        .flat_map(|&from| {
            columns.iter().map(move |&to| Transition {
                from,
                to,
                customers: 0,
                sales_a: 0.0,
                sales_b: 0.0,
            })
        })
        .collect();
    let width = columns.len();
    let mut lost_top = Vec::new();
    for ((m, &da), &db) in moved.iter().zip(&decile_a).zip(&decile_b) {
        let row = if da > 0 { usize::from(da) - 1 } else { DECILES };
        let column = if db > 0 { usize::from(db) - 1 } else { DECILES };
        if let Some(cell) = matrix.get_mut(row * width + column) {
            cell.customers += 1;
            cell.sales_a += m.sales_a;
            cell.sales_b += m.sales_b;
        }
        if da > 0 && db == 0 && da <= top_deciles {
            // Its orders and profit in A: its days read again (a top customer lost: few).
            read(m.index, &mut entries);
            let a = entry_at(&entries, 0).copied().unwrap_or_default();
            lost_top.push(LostTopCustomer {
                index: m.index,
                decile_a: da,
                sales_a: a.sales,
                orders_a: a.orders,
                profit_a: a.profit,
                sales_b: m.sales_b,
            });
        }
    }
    lost_top.sort_by(|x, y| y.sales_a.total_cmp(&x.sales_a).then(x.index.cmp(&y.index)));
    Ok(Movement {
        periods,
        active_a,
        active_b,
        matrix,
        lost_top,
        top_deciles,
    })
}
