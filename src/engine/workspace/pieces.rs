//! A data set's JSON written a piece at a time ([`DataJson`]): the same text as
//! `serde_json::to_string` of the [`WorkspaceData`], but its customer columns in slices of a
//! few thousand values, so that the page can keep its last session (a hundred thousand
//! customers are ~15 MB of JSON and a third of a second of work) without a long task.

use serde::Serialize;

use std::collections::VecDeque;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

use super::{format_error, WorkspaceData, WorkspaceHistory};
use crate::engine::customers::CustomerColumns;
use crate::engine::dimensions::{LineAttribute, LineAttributes};
use crate::engine::error::{FormatProblem, Result};
use crate::engine::history::PurchaseHistory;

/// The customer columns' JSON keys after `columns`, in the order serde writes the fields.
const ARRAYS: [&str; 13] = [
    "ids",
    "rows",
    "orders",
    "returns",
    "sales",
    "profit",
    "quantity",
    "first",
    "last",
    "month_counts",
    "months",
    "month_sales",
    "month_profit",
];

/// [`WorkspaceData`]'s compact JSON, written by [`DataJson::step`] a slice of a customer column
/// or of the purchase days at a time; [`DataJson::finish`] gives the text.
#[derive(Debug)]
pub struct DataJson {
    customers: CustomerColumns,
    history: Option<WorkspaceHistory>,
    /// The purchase days whose base64 text is written a slice at a time
    /// ([`DataJson::with_days`]; `history`'s own text is empty then).
    days: Option<Arc<PurchaseHistory>>,
    lines: Option<LineAttributes>,
    out: String,
    /// What is still to be written, in order, and how far the first part is.
    parts: VecDeque<Part>,
    at: usize,
}

/// A part of [`DataJson`]'s text.
#[derive(Debug)]
enum Part {
    Text(String),
    /// The values of an array whose brackets are in the texts around it.
    Values(Array),
    /// The purchase days' base64 text (no character of it needs escaping in JSON).
    Bytes,
}

/// An array written in slices.
#[derive(Debug, Clone, Copy)]
enum Array {
    /// The customers' array `k` of [`ARRAYS`].
    Customers(usize),
    /// The purchase days' lengths.
    Lengths,
    /// Array `field` of [`LINE_ARRAYS`] of line attribute `line`.
    Line { line: usize, field: usize },
}

/// Values of one of the arrays, whatever their type.
trait Values {
    fn count(&self) -> usize;
    /// The JSON array of the values `range`.
    fn json(&self, range: std::ops::Range<usize>) -> Result<String>;
}

impl<T: Serialize> Values for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }

    fn json(&self, range: std::ops::Range<usize>) -> Result<String> {
        to_json(self.get(range).unwrap_or_default())
    }
}

/// No values.
static NONE: Vec<u32> = Vec::new();

/// A line attribute's per-pair arrays (and where its pairs start), in the order serde writes
/// them.
const LINE_ARRAYS: [&str; 5] = ["starts", "codes", "sales", "profit", "orders"];

impl DataJson {
    /// Starts the JSON of `data`: everything but the customers' arrays and the purchase days is
    /// written now.
    ///
    /// # Errors
    /// [`Error::Format`](crate::engine::error::Error::Format) when a part cannot be written.
    pub fn new(mut data: WorkspaceData) -> Result<DataJson> {
        let customers = std::mem::take(&mut data.customers);
        let history = data.history.take();
        let lines = data.lines.take();
        // The places of the long parts hold their like without values, whose text shows
        // where the values go.
        let empty_history = history.as_ref().map(|h| WorkspaceHistory {
            profit: h.profit,
            quantity: h.quantity,
            lengths: Vec::new(),
            bytes: String::new(),
        });
        let empty_lines = lines.as_ref().map(|l| LineAttributes {
            lines: l
                .lines
                .iter()
                .map(|line| LineAttribute {
                    key: line.key.clone(),
                    kind: line.kind,
                    name: line.name.clone(),
                    values: line.values.clone(),
                    ..LineAttribute::default()
                })
                .collect(),
        });
        data.history = empty_history.clone();
        data.lines = empty_lines.clone();
        let shell = to_json(&data)?;
        let placeholder = format!("\"customers\":{}", to_json(&CustomerColumns::default())?);
        // The first key after `file_name`, whose text is escaped: a placeholder's quotes cannot
        // appear unescaped inside a text, so each is found where serde wrote it.
        let at = shell
            .find(&placeholder)
            .ok_or_else(|| unwritable("no customers in the data's JSON"))?;
        let (head, tail) = shell.split_at(at);
        let tail = tail.get(placeholder.len()..).unwrap_or_default();
        let mut out = String::with_capacity(shell.len() + 64 * customers.ids.len());
        out.push_str(head);
        out.push_str("\"customers\":{\"columns\":");
        out.push_str(&to_json(&customers.columns)?);
        let mut parts = VecDeque::new();
        for (k, name) in ARRAYS.iter().enumerate() {
            parts.push_back(Part::Text(format!(",\"{name}\":[")));
            parts.push_back(Part::Values(Array::Customers(k)));
            parts.push_back(Part::Text("]".into()));
        }
        parts.push_back(Part::Text("}".into()));
        // The rest, its long parts (in the order serde writes them) in slices.
        let mut long = Vec::new();
        if let Some(empty) = &empty_history {
            let text = format!("\"history\":{}", to_json(empty)?);
            let mut expanded = Vec::new();
            let rest = split_arrays(&text, &["lengths"], |_| Array::Lengths, &mut expanded)?;
            // `"bytes":""`: the text goes between the quotes.
            let quote = rest
                .rfind("\"\"")
                .ok_or_else(|| unwritable("no bytes in the history's JSON"))?;
            expanded.push(Part::Text(rest.get(..quote + 1).unwrap_or_default().into()));
            expanded.push(Part::Bytes);
            expanded.push(Part::Text(rest.get(quote + 1..).unwrap_or_default().into()));
            long.push((text, expanded));
        }
        if let Some(empty) = &empty_lines {
            let text = format!("\"lines\":{}", to_json(empty)?);
            let mut expanded = Vec::new();
            let mut rest = text.as_str();
            for line in 0..empty.lines.len() {
                rest = split_arrays(
                    rest,
                    &LINE_ARRAYS,
                    |field| Array::Line { line, field },
                    &mut expanded,
                )?;
            }
            expanded.push(Part::Text(rest.into()));
            long.push((text, expanded));
        }
        let mut rest = tail;
        for (text, expanded) in long {
            let at = rest
                .find(&text)
                .ok_or_else(|| unwritable("a long part is missing from the data's JSON"))?;
            parts.push_back(Part::Text(rest.get(..at).unwrap_or_default().into()));
            parts.extend(expanded);
            rest = rest.get(at + text.len()..).unwrap_or_default();
        }
        parts.push_back(Part::Text(rest.into()));
        Ok(DataJson {
            customers,
            history,
            days: None,
            lines,
            out,
            parts,
            at: 0,
        })
    }

    /// [`DataJson::new`] of `data` whose purchase days' text is left empty, the text written
    /// from `days` a slice at a time instead (the base64 text of ten million rows' days is
    /// 60 MB: encoding it is not one task's work). Gives the text `data` would give with the
    /// days' text in it ([`WorkspaceHistory::from_history`]).
    ///
    /// # Errors
    /// As [`DataJson::new`].
    pub fn with_days(data: WorkspaceData, days: Arc<PurchaseHistory>) -> Result<DataJson> {
        let mut json = DataJson::new(data)?;
        json.days = Some(days);
        Ok(json)
    }

    /// Writes up to about `values` more values (at least one; base64 text counts eight
    /// characters a value); true when everything is written.
    ///
    /// # Errors
    /// As [`DataJson::new`].
    pub fn step(&mut self, values: usize) -> Result<bool> {
        let mut budget = values.max(1);
        while budget > 0 {
            let Some(part) = self.parts.front() else {
                return Ok(true);
            };
            let done = match part {
                Part::Text(text) => {
                    self.out.push_str(text);
                    true
                }
                Part::Values(array) => {
                    let values = self.values(*array);
                    let len = values.count();
                    let end = len.min(self.at.saturating_add(budget));
                    let slice = values.json(self.at..end)?;
                    self.push_values(&slice, end - self.at, &mut budget);
                    self.at = end;
                    end >= len
                }
                Part::Bytes if self.days.is_some() => {
                    let days = self.days.as_ref().map(|d| d.parts().3).unwrap_or_default();
                    // Whole groups of three bytes, whose text is that of the whole's there.
                    let end = days
                        .len()
                        .min(self.at.saturating_add(budget.saturating_mul(6)));
                    let slice = days.get(self.at..end).unwrap_or_default();
                    BASE64.encode_string(slice, &mut self.out);
                    budget = budget.saturating_sub((end - self.at).div_ceil(6).max(1));
                    self.at = end;
                    end >= days.len()
                }
                Part::Bytes => {
                    let bytes = self.history.as_ref().map_or("", |h| h.bytes.as_str());
                    let end = bytes
                        .len()
                        .min(self.at.saturating_add(budget.saturating_mul(8)));
                    self.out
                        .push_str(bytes.get(self.at..end).unwrap_or_default());
                    budget = budget.saturating_sub((end - self.at).div_ceil(8).max(1));
                    self.at = end;
                    end >= bytes.len()
                }
            };
            if done {
                self.parts.pop_front();
                self.at = 0;
            }
        }
        Ok(self.parts.is_empty())
    }

    /// The values of `array`.
    fn values(&self, array: Array) -> &dyn Values {
        let c = &self.customers;
        match array {
            Array::Customers(k) => match k {
                0 => &c.ids,
                1 => &c.rows,
                2 => &c.orders,
                3 => &c.returns,
                4 => &c.sales,
                5 => &c.profit,
                6 => &c.quantity,
                7 => &c.first,
                8 => &c.last,
                9 => &c.month_counts,
                10 => &c.months,
                11 => &c.month_sales,
                12 => &c.month_profit,
                _ => &NONE,
            },
            Array::Lengths => self.history.as_ref().map_or(&NONE, |h| &h.lengths),
            Array::Line { line, field } => {
                match self.lines.as_ref().and_then(|l| l.lines.get(line)) {
                    Some(l) => match field {
                        0 => &l.starts,
                        1 => &l.codes,
                        2 => &l.sales,
                        3 => &l.profit,
                        4 => &l.orders,
                        _ => &NONE,
                    },
                    None => &NONE,
                }
            }
        }
    }

    /// Appends the values of `slice` (a JSON array of `count` values written from `self.at`).
    fn push_values(&mut self, slice: &str, count: usize, budget: &mut usize) {
        // A slice's JSON is `[a,b]`: its values go on after those written before.
        let inner = slice
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or_default();
        if self.at > 0 && !inner.is_empty() {
            self.out.push(',');
        }
        self.out.push_str(inner);
        *budget = budget.saturating_sub(count.max(1));
    }

    /// The text written since the last call (or since the start), taken out: a caller may pass
    /// the text on a piece at a time instead of holding it whole ([`DataJson::finish`] then
    /// gives what was written after the last piece taken).
    pub fn take_written(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// The text, once [`DataJson::step`] said everything is written (what is not written yet
    /// is written now).
    ///
    /// # Errors
    /// As [`DataJson::new`].
    pub fn finish(mut self) -> Result<String> {
        while !self.step(usize::MAX)? {}
        Ok(self.out)
    }
}

/// Splits `text` at its empty arrays `"NAME":[]` of `names` (found in this order): the text up
/// to and with each `[` and an array part (`array(i)` for `names[i]`) go to `parts`; returns
/// the rest, from the `]` of the last.
fn split_arrays<'t>(
    text: &'t str,
    names: &[&str],
    array: impl Fn(usize) -> Array,
    parts: &mut Vec<Part>,
) -> Result<&'t str> {
    let mut rest = text;
    for (i, name) in names.iter().enumerate() {
        let key = format!("\"{name}\":[]");
        let at = rest
            .find(&key)
            .ok_or_else(|| unwritable("an array is missing from the data's JSON"))?;
        let open = at + key.len() - 1;
        parts.push(Part::Text(rest.get(..open).unwrap_or_default().into()));
        parts.push(Part::Values(array(i)));
        rest = rest.get(open..).unwrap_or_default();
    }
    Ok(rest)
}

fn unwritable(detail: &str) -> crate::engine::error::Error {
    format_error(FormatProblem::Unwritable {
        detail: detail.to_string(),
    })
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| unwritable(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::workspace::DataApart;

    fn data_of(csv: &str) -> WorkspaceData {
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        WorkspaceData::from_outcome("订单 \"x\".csv", &outcome)
    }

    /// The pieces make the text serde writes, whatever the slices, for data with and without
    /// dates, months, attributes and line attributes, and for no customers.
    #[test]
    fn the_pieces_are_serdes_text() {
        let mut next = crate::engine::test_support::xorshift(77);
        let mut dated = String::from("customer,order,date,amount,profit,region,category,product\n");
        for row in 0..500u64 {
            dated.push_str(&format!(
                "C{},O{},2024-{:02}-1{},{}.{},1.5,r{},c{},p{}\n",
                next() % 60,
                row / 2,
                1 + next() % 12,
                next() % 9,
                next() % 900,
                next() % 100,
                next() % 4,
                next() % 7,
                next() % 3
            ));
        }
        let plain = "客户,金额\n\"A,1\",5\nB,-2.25\nB,1e3\n";
        let mut sets = vec![data_of(&dated), data_of(plain)];
        let mut empty = data_of(plain);
        empty.customers = CustomerColumns::default();
        sets.push(empty);
        assert_eq!(sets[0].lines.as_ref().map(|l| l.lines.len()), Some(2));
        assert!(sets[0].attributes.is_some() && sets[0].history.is_some());
        for data in sets {
            let want = serde_json::to_string(&data).unwrap();
            for values in [1, 7, 64, 1000, usize::MAX] {
                let mut json = DataJson::new(data.clone()).unwrap();
                let mut steps = 0;
                while !json.step(values).unwrap() {
                    steps += 1;
                }
                assert_eq!(json.finish().unwrap(), want, "{values} values a step");
                if values == 1 {
                    assert!(steps >= data.customers.ids.len());
                }
            }
            // Read back, it is the same data.
            let back: WorkspaceData = serde_json::from_str(&want).unwrap();
            assert_eq!(back, data);
        }
    }

    /// The purchase days' base64 text written from the days a slice at a time
    /// ([`GatherData::finish_json`]) is the text of the data gathered at once, whatever the
    /// slices (which cut the days' bytes at any group of six).
    #[test]
    fn the_days_text_written_in_slices_is_the_whole_text() {
        use crate::engine::workspace::GatherData;
        let mut csv = String::from("customer,order,date,amount,profit,quantity\n");
        for row in 0..700u32 {
            csv.push_str(&format!(
                "C{},O{},2023-{:02}-{:02},{}.{},{},{}\n",
                row % 41,
                row / 3,
                1 + row % 12,
                1 + row % 28,
                row % 300,
                row % 100,
                row % 11,
                row % 5
            ));
        }
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let days = outcome.purchase_history().unwrap().parts().3.len();
        assert!(days > 1000, "{days} bytes of days");
        let want = serde_json::to_string(&WorkspaceData::from_outcome("x.csv", &outcome)).unwrap();
        for values in [1, 2, 5, 64, 1000, usize::MAX] {
            let mut json = GatherData::new(&outcome)
                .finish_json("x.csv", &outcome, None)
                .unwrap();
            let mut text = String::new();
            while !json.step(values).unwrap() {
                text.push_str(&json.take_written());
            }
            text.push_str(&json.finish().unwrap());
            assert_eq!(text, want, "{values} values a step");
        }
        // Without a date column there are no days to write.
        let undated =
            import_bytes(b"customer,amount\nA,5\nB,7\n", &InspectOptions::default()).unwrap();
        let json = GatherData::new(&undated)
            .finish_json("y.csv", &undated, None)
            .unwrap();
        let want = serde_json::to_string(&WorkspaceData::from_outcome("y.csv", &undated)).unwrap();
        assert_eq!(json.finish().unwrap(), want);
    }

    /// The data's own JSON (the session's record) reads back as the import it was written from,
    /// checked once; data cut off or out of range is refused as in a workspace file.
    #[test]
    fn data_kept_apart_comes_back_checked() {
        let data =
            data_of("customer,date,amount\nA,2024-01-05,5\nB,2024-02-01,7.25\nA,2024-03-01,1\n");
        let json = DataJson::new(data.clone()).unwrap().finish().unwrap();
        let back = DataApart::from_record(&json).unwrap();
        let (file_name, want) = data.clone().into_outcome().unwrap();
        assert_eq!(
            (back.file_name, back.outcome, back.master),
            (file_name, want, None)
        );
        assert!(DataApart::from_record(&json[..json.len() / 2]).is_err());
        let mut bad = data;
        bad.customers.rows[0] = 0;
        let bad = DataJson::new(bad).unwrap().finish().unwrap();
        assert!(DataApart::from_record(&bad).is_err());
    }
}
