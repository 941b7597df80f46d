//! The CDNOW files of the `lifetimes` wheel, read for the oracle tests.

/// A CDNOW file of the `lifetimes` wheel through the aggregator the import uses
/// (whitespace-aligned: customer, [transaction id when `with_id`], yyyymmdd, CDs, dollars; a
/// row is an order; the header line is skipped): the customers, their purchase days and the
/// number of data lines read.
pub fn load_cdnow(
    path: &std::path::Path,
    with_id: bool,
) -> (
    valuelens::engine::customers::CustomerTable,
    valuelens::engine::history::PurchaseHistory,
    usize,
) {
    use valuelens::engine::calendar::Day;
    use valuelens::engine::customers::{Aggregator, Columns, Transaction};
    let text = std::fs::read_to_string(path).unwrap();
    let mut aggregator = Aggregator::new(Columns {
        order: false,
        date: true,
        profit: false,
        quantity: true,
    });
    let mut lines = 0;
    for line in text.lines() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let fields = match (with_id, &cells[..]) {
            (true, [customer, _id, date, cds, dollars]) => (customer, date, cds, dollars),
            (false, [customer, date, cds, dollars]) => (customer, date, cds, dollars),
            _ => continue,
        };
        let (customer, date, cds, dollars) = fields;
        let parse = |range: std::ops::Range<usize>| date.get(range)?.parse::<u32>().ok();
        let (Some(y), Some(m), Some(d)) = (parse(0..4), parse(4..6), parse(6..8)) else {
            continue; // the header
        };
        aggregator.add(&Transaction {
            customer,
            order: None,
            day: Day::from_civil(y as i32, m, d),
            amount: dollars.parse().unwrap(),
            profit: None,
            quantity: Some(cds.parse().unwrap()),
        });
        lines += 1;
    }
    let (table, history) = aggregator.finish_with_history();
    (table, history, lines)
}
