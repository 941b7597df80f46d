//! Customer attributes and breakdowns (维度分析, issue 20): extra columns of the order file
//! mapped as **customer attributes** (region 地区, industry 行业, salesperson 销售员, channel 渠道,
//! customer type 客户类型 …), kept per customer as interned codes, and the analyses'
//! results cut by one of them ([`breakdown`]).
//!
//! # How a customer's value is chosen
//! Every accepted row carries the cell of each attribute column (an empty cell is the value
//! "blank", kept as a value of its own). A customer takes the value of its **latest row by order
//! date**; rows of the same day are taken in file order, so the later row wins (without a date
//! column, the last row of the file). A customer whose rows do not all carry the same value is
//! counted in [`Attribute::changed`], for the UI to say how many customers took their latest
//! value.
//!
//! # Memory
//! Values are interned per attribute ([`Attribute::values`]): a customer costs 4 bytes per
//! attribute in the result, and the aggregator keeps the day, code and first code of each
//! customer while it streams (12 bytes per customer and attribute, plus 4 per customer for the
//! day): 10 million rows of a million customers with two attributes add some 28 MB at the peak,
//! whatever the number of rows.
//!
//! What the design leaves ready for later parts of issue 20: line attributes (product,
//! category, SKU) are another [`AttributeKind`] family whose codes would live per row or per
//! purchase day rather than per customer; a customer master file would fill a
//! [`CustomerAttributes`] from a second file keyed by customer id (same shape, `changed` 0); a
//! filter is a predicate on [`Attribute::codes`], which are parallel to the customer table.

pub mod breakdown;
pub mod filter;
pub mod lines;
pub mod packed;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::calendar::{Day, NO_DAY};

pub use lines::{
    line_keys, product_mix, LineAttribute, LineAttributes, LineBuilder, LineColumn, LineKind,
    LineSpec, MatchingLines, MixCell, MixRow, MixSteps, MixValue, ProductMix, LINE_LIMIT,
};

pub use breakdown::{
    breakdown, breakdown_in_deciles, breakdown_values, sales_deciles, Breakdown, BreakdownConfig,
    BreakdownSteps, BreakdownValue, Cell, ValueLabel, SMALL_CELL, TOP_VALUES,
};

/// What a customer attribute column means. The kind gives the attribute its machine name
/// ([`AttributeKind::as_str`], used in `data-metric` names) and its label; values are free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttributeKind {
    /// Region, province or city (地区, 省份, 城市).
    Region,
    /// Industry (行业).
    Industry,
    /// Salesperson or account manager (销售员, 业务员).
    Salesperson,
    /// Sales channel (渠道).
    Channel,
    /// Customer type (客户类型).
    CustomerType,
    /// Any other customer attribute the user marks.
    Other,
    /// Age in years (年龄): a number, banded in the profiles.
    Age,
    /// Year of birth, or a company's founding year (出生年份, 成立年份): a number, banded as an age.
    BirthYear,
}

impl AttributeKind {
    /// All kinds, in the order the mapping offers them.
    pub const ALL: [AttributeKind; 8] = [
        AttributeKind::Region,
        AttributeKind::Industry,
        AttributeKind::Salesperson,
        AttributeKind::Channel,
        AttributeKind::CustomerType,
        AttributeKind::Other,
        AttributeKind::Age,
        AttributeKind::BirthYear,
    ];

    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::Region => "region",
            AttributeKind::Industry => "industry",
            AttributeKind::Salesperson => "salesperson",
            AttributeKind::Channel => "channel",
            AttributeKind::CustomerType => "customer_type",
            AttributeKind::Other => "attribute",
            AttributeKind::Age => "age",
            AttributeKind::BirthYear => "birth_year",
        }
    }

    /// True for the kinds whose values are numbers (an age or a year), which the profiles band
    /// and correlate as numbers; the breakdowns still treat every value as a category.
    pub fn is_numeric(self) -> bool {
        matches!(self, AttributeKind::Age | AttributeKind::BirthYear)
    }

    /// The kind whose [`AttributeKind::as_str`] is `name`.
    pub fn from_name(name: &str) -> Option<AttributeKind> {
        AttributeKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One column mapped as a customer attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AttributeColumn {
    /// The column (zero-based).
    pub column: usize,
    /// What it means.
    pub kind: AttributeKind,
}

/// The machine names of attribute columns, in their order: the kind's name, with `_2`, `_3` …
/// for the second and later columns of the same kind (`region`, `region_2`).
pub fn attribute_keys(columns: &[AttributeColumn]) -> Vec<String> {
    numbered_keys(columns.iter().map(|c| c.kind.as_str()))
}

/// Machine names from kind names in column order: the name, with `_2`, `_3` … for its second
/// and later columns (shared by the customer and the line attributes).
pub(crate) fn numbered_keys<'k>(names: impl Iterator<Item = &'k str>) -> Vec<String> {
    let names: Vec<&str> = names.collect();
    let mut keys = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let before = names
            .get(..i)
            .unwrap_or_default()
            .iter()
            .filter(|n| *n == name)
            .count();
        keys.push(match before {
            0 => name.to_string(),
            n => format!("{name}_{}", n + 1),
        });
    }
    keys
}

/// One attribute of every customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Machine name ([`attribute_keys`]).
    pub key: String,
    /// What it means (`None` only for data that did not say).
    pub kind: Option<AttributeKind>,
    /// The column's header, as the file wrote it.
    pub name: String,
    /// The distinct values, by code (the empty string is the blank value).
    pub values: Vec<String>,
    /// Per customer of the table, in its order: the code of its value (an index into `values`).
    pub codes: Vec<u32>,
    /// Customers whose rows did not all carry the same value (they took their latest).
    pub changed: u64,
}

impl Attribute {
    /// The value of customer `index` (`""` for blank, or for an index or code out of range).
    pub fn value_of(&self, index: usize) -> &str {
        self.codes
            .get(index)
            .and_then(|&code| self.values.get(code as usize))
            .map_or("", String::as_str)
    }

    /// The value of `code` (`""` for a code out of range).
    pub fn value_of_code(&self, code: usize) -> &str {
        self.values.get(code).map_or("", String::as_str)
    }

    /// True when every code names a value.
    pub fn check(&self) -> bool {
        let n = self.values.len();
        self.codes.iter().all(|&c| (c as usize) < n)
    }
}

/// The customer attributes of a data set, each parallel to the customer table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerAttributes {
    /// The attributes, in mapping order.
    pub attributes: Vec<Attribute>,
}

impl CustomerAttributes {
    /// The attribute named `key`.
    pub fn get(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
    }

    /// True when every attribute has `customers` codes, each naming a value.
    pub fn fits(&self, customers: usize) -> bool {
        self.attributes
            .iter()
            .all(|a| a.codes.len() == customers && a.check())
    }

    /// True when every attribute has `customers` codes: [`CustomerAttributes::fits`] without
    /// reading the codes, for attributes checked where they came in (the hand-off, a workspace
    /// file) and read often after (every reader takes a code that names no value as blank).
    pub fn shaped_for(&self, customers: usize) -> bool {
        self.attributes.iter().all(|a| a.codes.len() == customers)
    }
}

/// What an attribute is called, for the builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeSpec {
    /// Machine name.
    pub key: String,
    /// What it means.
    pub kind: AttributeKind,
    /// Header.
    pub name: String,
}

/// A code that names no value: a customer not met yet.
const NONE: u32 = u32::MAX;

/// Interned values of one attribute.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Dictionary {
    values: Vec<String>,
    #[serde(skip)]
    index: FxHashMap<Box<str>, u32>,
}

impl Dictionary {
    /// The code of `value`, given when new.
    pub(crate) fn code(&mut self, value: &str) -> u32 {
        if let Some(&code) = self.index.get(value) {
            return code;
        }
        let code = u32::try_from(self.values.len()).unwrap_or(NONE - 1);
        self.values.push(value.to_string());
        self.index.insert(value.into(), code);
        code
    }

    fn value(&self, code: u32) -> &str {
        self.values.get(code as usize).map_or("", String::as_str)
    }

    /// The values, by code.
    pub(crate) fn into_values(self) -> Vec<String> {
        self.values
    }
}

/// Per-customer attribute codes gathered while the rows stream ([`crate::engine::customers::Aggregator`]):
/// customers by slot (order of appearance), attributes side by side.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeBuilder {
    specs: Vec<AttributeSpec>,
    dictionaries: Vec<Dictionary>,
    /// Per slot, the day of the row the codes come from ([`NO_DAY`] for an undated row).
    days: Vec<Day>,
    /// Per slot × attribute: the latest code, the first code, and whether another was met.
    codes: Vec<u32>,
    first: Vec<u32>,
    changed: Vec<bool>,
}

impl AttributeBuilder {
    /// A builder for the attributes `specs`.
    pub fn new(specs: Vec<AttributeSpec>) -> Self {
        let dictionaries = vec![Dictionary::default(); specs.len()];
        AttributeBuilder {
            specs,
            dictionaries,
            ..Default::default()
        }
    }

    /// Number of attributes.
    pub fn width(&self) -> usize {
        self.specs.len()
    }

    /// Codes the values of one row (one per attribute, in order) into `out`.
    pub(crate) fn intern<'v>(
        &mut self,
        values: impl IntoIterator<Item = &'v str>,
        out: &mut Vec<u32>,
    ) {
        for (dictionary, value) in self.dictionaries.iter_mut().zip(values) {
            out.push(dictionary.code(value));
        }
    }

    fn grow(&mut self, slot: usize) {
        let width = self.width();
        if self.days.len() <= slot {
            self.days.resize(slot + 1, NO_DAY);
            self.codes.resize((slot + 1) * width, NONE);
            self.first.resize((slot + 1) * width, NONE);
            self.changed.resize((slot + 1) * width, false);
        }
    }

    /// Reads the customer's cells in `slot` (its day, and its first code, code and change
    /// flag of the first attribute), for nothing but to have them fetched: a batch's customers
    /// are touched in a loop of their own before their rows are added, so that at a million
    /// customers the processor waits for their cache misses side by side.
    pub(crate) fn touch(&self, slot: u32) -> u32 {
        let (slot, width) = (slot as usize, self.width());
        let day = self.days.get(slot).map_or(0, |d| d.epoch_days() as u32);
        let at = slot * width;
        let first = self.first.get(at).copied().unwrap_or(0);
        let code = self.codes.get(at).copied().unwrap_or(0);
        let changed = self.changed.get(at).copied().map_or(0, u32::from);
        day.wrapping_add(first)
            .wrapping_add(code)
            .wrapping_add(changed)
    }

    /// Takes one row's codes (from [`AttributeBuilder::intern`]) for the customer in `slot`:
    /// they replace the customer's when the row's day is not before theirs (rows come in file
    /// order, so a later row of the same day wins).
    pub(crate) fn add(&mut self, slot: u32, day: Option<Day>, codes: &[u32]) {
        let width = self.width();
        if width == 0 || codes.len() != width {
            return;
        }
        let slot = slot as usize;
        self.grow(slot);
        let day = day.unwrap_or(NO_DAY);
        let at = slot * width;
        let newer = self.days.get(slot).is_some_and(|&d| day >= d);
        for (i, &code) in codes.iter().enumerate() {
            let first = self.first.get_mut(at + i);
            match first {
                Some(first) if *first == NONE => *first = code,
                Some(first) if *first != code => {
                    if let Some(changed) = self.changed.get_mut(at + i) {
                        *changed = true;
                    }
                }
                _ => {}
            }
            if newer {
                if let Some(c) = self.codes.get_mut(at + i) {
                    *c = code;
                }
            }
        }
        if newer {
            if let Some(d) = self.days.get_mut(slot) {
                *d = day;
            }
        }
    }

    /// Merges what another builder gathered for the customer `index` of `part` (from rows after
    /// this builder's) into the customer in `slot`.
    pub(crate) fn absorb_customer(&mut self, slot: u32, part: &AttributeBuilder, index: usize) {
        let width = self.width();
        if width == 0 || part.width() != width || part.days.len() <= index {
            return;
        }
        let from = index * width;
        let day = part.days.get(index).copied().unwrap_or(NO_DAY);
        let mut codes = Vec::with_capacity(width);
        let mut firsts = Vec::with_capacity(width);
        for i in 0..width {
            let dictionary = part.dictionaries.get(i);
            let mut map = |code: Option<&u32>| match (code, dictionary) {
                (Some(&code), Some(d)) if code != NONE => {
                    let value = d.value(code).to_string();
                    self.dictionaries
                        .get_mut(i)
                        .map_or(NONE, |own| own.code(&value))
                }
                _ => NONE,
            };
            codes.push(map(part.codes.get(from + i)));
            firsts.push(map(part.first.get(from + i)));
        }
        if codes.contains(&NONE) {
            return;
        }
        let slot_index = slot as usize;
        self.grow(slot_index);
        let at = slot_index * width;
        let met = self.first.get(at).is_some_and(|&f| f != NONE);
        let newer = !met || self.days.get(slot_index).is_some_and(|&d| day >= d);
        for i in 0..width {
            let part_changed = part.changed.get(from + i).copied().unwrap_or(false);
            let (first, code) = (firsts[i], codes[i]);
            if let Some(own_first) = self.first.get_mut(at + i) {
                let differs = *own_first != NONE && *own_first != first;
                if *own_first == NONE {
                    *own_first = first;
                }
                if let Some(changed) = self.changed.get_mut(at + i) {
                    *changed |= part_changed || differs;
                }
            }
            if newer {
                if let Some(c) = self.codes.get_mut(at + i) {
                    *c = code;
                }
            }
        }
        if newer {
            if let Some(d) = self.days.get_mut(slot_index) {
                *d = day;
            }
        }
    }

    /// The attributes of the customers in `slots` order (the table's order); a customer never
    /// met (no row carried it) is blank.
    pub(crate) fn finish(self, slots: &[u32]) -> CustomerAttributes {
        let width = self.width();
        let mut attributes = Vec::with_capacity(width);
        for (i, (spec, mut dictionary)) in self.specs.into_iter().zip(self.dictionaries).enumerate()
        {
            let mut blank = None;
            let mut codes = Vec::with_capacity(slots.len());
            let mut changed = 0u64;
            for &slot in slots {
                let at = slot as usize * width + i;
                let code = match self.codes.get(at).copied() {
                    Some(code) if code != NONE => code,
                    _ => *blank.get_or_insert_with(|| dictionary.code("")),
                };
                codes.push(code);
                changed += u64::from(self.changed.get(at).copied().unwrap_or(false));
            }
            attributes.push(Attribute {
                key: spec.key,
                kind: Some(spec.kind),
                name: spec.name,
                values: dictionary.values,
                codes,
                changed,
            });
        }
        CustomerAttributes { attributes }
    }
}

#[cfg(test)]
mod tests;
