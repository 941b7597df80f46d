//! Customer profiles (客户画像, METHODS §6, document `002`, issue 20): how the customers spread
//! over each customer attribute, age bands for an age or a birth/founding year, the
//! correlation between the customer variables ([`correlation`]), and the clusters of the RFM
//! view cut by an attribute ([`cluster_dimension`]).
//!
//! # Distributions
//! One [`Breakdown`] per attribute ([`crate::engine::dimensions::breakdown_values`]: without the
//! deciles and the RFM part): its values, top 10 then "Other", the blank value kept, with customers, share of
//! customers and share of net sales. The rules are the breakdown's, not repeated here; `n` is
//! every customer of the table.
//!
//! # Age bands ([`AgeBand`])
//! For an attribute of kind [`AttributeKind::Age`] or [`AttributeKind::BirthYear`]: under 25,
//! 25–34, 35–44, 45–54, 55–64, 65 and over, and **unknown**, which is counted and shown.
//! - An age is the cell read as a number ([`attribute_number`]), cut to whole years (`34.9` is
//!   34).
//! - A birth year must be a whole number; the age is the **reference year** minus it. The
//!   reference year is the year of the latest purchase in the data ([`reference_year`]), so a
//!   file of 2023 orders reads ages as of 2023 whenever it is opened. Without a date column there
//!   is no reference year and no bands.
//! - A founding year (成立年份, the same kind) is read the same way: the bands are then *years
//!   since founding*, and the view says so in the attribute's label.
//! - Unknown: a blank cell, a cell that is not a number, and an impossible age (below 0 or above
//!   [`MAX_AGE`], including a birth year after the reference year).
//!
//! Shares are of all customers and of the signed total net sales (the zero rule of
//! [`crate::engine::numeric`]: a zero total gives `None`).

pub mod correlation;

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::clusters::ClusterAnalysis;
use super::customers::CustomerTable;
use super::dimensions::{
    breakdown_values, Attribute, AttributeKind, Breakdown, BreakdownConfig, CustomerAttributes,
    ValueLabel,
};
use super::error::{Error, FormatProblem, FormatSubject, Result};
use super::numeric::Sum;
use super::rfm::RfmScores;

pub use correlation::{
    correlations, CorrelationSteps, Correlations, Measure, Pair, Variable, VariableKind,
};

/// The highest age taken as possible (years); older is unknown.
pub const MAX_AGE: f64 = 120.0;

/// An age band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgeBand {
    /// Below 25.
    Under25,
    /// 25 to 34.
    From25To34,
    /// 35 to 44.
    From35To44,
    /// 45 to 54.
    From45To54,
    /// 55 to 64.
    From55To64,
    /// 65 and over.
    From65,
    /// Blank, not a number, or impossible.
    Unknown,
}

impl AgeBand {
    /// Every band, youngest first, unknown last.
    pub const ALL: [AgeBand; 7] = [
        AgeBand::Under25,
        AgeBand::From25To34,
        AgeBand::From35To44,
        AgeBand::From45To54,
        AgeBand::From55To64,
        AgeBand::From65,
        AgeBand::Unknown,
    ];

    /// A stable machine name (`under_25`, `25_34` … `65_plus`, `unknown`), used in `data-metric`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under25 => "under_25",
            AgeBand::From25To34 => "25_34",
            AgeBand::From35To44 => "35_44",
            AgeBand::From45To54 => "45_54",
            AgeBand::From55To64 => "55_64",
            AgeBand::From65 => "65_plus",
            AgeBand::Unknown => "unknown",
        }
    }

    /// The band of a whole age in years (unknown below 0 or above [`MAX_AGE`]).
    pub fn of_age(age: Option<f64>) -> AgeBand {
        match age {
            Some(a) if !(0.0..=MAX_AGE).contains(&a) => AgeBand::Unknown,
            Some(a) if a < 25.0 => AgeBand::Under25,
            Some(a) if a < 35.0 => AgeBand::From25To34,
            Some(a) if a < 45.0 => AgeBand::From35To44,
            Some(a) if a < 55.0 => AgeBand::From45To54,
            Some(a) if a < 65.0 => AgeBand::From55To64,
            Some(_) => AgeBand::From65,
            None => AgeBand::Unknown,
        }
    }

    fn index(self) -> usize {
        AgeBand::ALL.iter().position(|&b| b == self).unwrap_or(6)
    }
}

/// A cell of an attribute read as a number: trimmed, then Rust's float syntax (`35`, `35.0`,
/// `1980`); `None` for a blank, for anything else and for an infinite or NaN value.
pub fn attribute_number(value: &str) -> Option<f64> {
    let text = value.trim();
    if text.is_empty() {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// How the cells of a numeric attribute become ages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgeBasis {
    /// The cell is the age in years.
    Age,
    /// The cell is a birth (or founding) year; the age is `reference_year` minus it.
    BirthYear {
        /// The year ages are counted to.
        reference_year: i32,
    },
}

impl AgeBasis {
    /// The basis of `attribute` (`None` for a kind that is not an age or a year, or a year
    /// without a reference year).
    pub fn of(attribute: &Attribute, reference_year: Option<i32>) -> Option<AgeBasis> {
        match attribute.kind? {
            AttributeKind::Age => Some(AgeBasis::Age),
            AttributeKind::BirthYear => {
                reference_year.map(|reference_year| AgeBasis::BirthYear { reference_year })
            }
            _ => None,
        }
    }

    /// The age a cell stands for, in whole years (`None`: blank, not a number, a year that is
    /// not whole, or an age below 0 or above [`MAX_AGE`]).
    pub fn age(self, value: &str) -> Option<f64> {
        let number = attribute_number(value)?;
        let age = match self {
            AgeBasis::Age => number.floor(),
            AgeBasis::BirthYear { reference_year } => {
                if number.fract() != 0.0 {
                    return None;
                }
                f64::from(reference_year) - number
            }
        };
        (0.0..=MAX_AGE).contains(&age).then_some(age)
    }

    /// The band of a cell.
    pub fn band(self, value: &str) -> AgeBand {
        AgeBand::of_age(self.age(value))
    }
}

/// The year of the latest purchase of any customer (`None` without dates).
pub fn reference_year(table: &CustomerTable) -> Option<i32> {
    table
        .customers
        .iter()
        .filter_map(|c| c.last)
        .max()
        .map(|day| day.civil().0)
}

/// One age band of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BandRow {
    /// The band.
    pub band: AgeBand,
    /// Customers in it.
    pub customers: usize,
    /// Their net sales.
    pub sales: f64,
    /// Share of all customers.
    pub customer_share: Option<f64>,
    /// Share of total net sales (`None` for a zero total).
    pub sales_share: Option<f64>,
}

/// The age bands of one attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgeBands {
    /// The attribute's machine name.
    pub key: String,
    /// How its cells became ages.
    pub basis: AgeBasis,
    /// Every band of [`AgeBand::ALL`], in that order (empty bands included).
    pub rows: Vec<BandRow>,
    /// All customers.
    pub customers: usize,
}

fn mismatch() -> Error {
    Error::Format {
        what: FormatSubject::ImportResult,
        reason: FormatProblem::Handoff {
            detail: "attribute codes do not match the customers".into(),
        },
    }
}

/// Per code of `attribute`, its band.
fn bands_of_codes(attribute: &Attribute, basis: AgeBasis) -> Vec<AgeBand> {
    attribute.values.iter().map(|v| basis.band(v)).collect()
}

/// The age bands of `attribute` (`Ok(None)` when it is not an age or a year, or a year without
/// a reference year).
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when the codes do not fit the table.
pub fn age_bands(
    table: &CustomerTable,
    attribute: &Attribute,
    reference_year: Option<i32>,
) -> Result<Option<AgeBands>> {
    let customers = &table.customers;
    if customers.is_empty() {
        return Err(Error::NoData);
    }
    if attribute.codes.len() != customers.len() || !attribute.check() {
        return Err(mismatch());
    }
    let Some(basis) = AgeBasis::of(attribute, reference_year) else {
        return Ok(None);
    };
    let of_code = bands_of_codes(attribute, basis);
    let mut counts = [(0usize, 0.0f64); 7];
    let mut total = Sum::default();
    for (customer, &code) in customers.iter().zip(&attribute.codes) {
        let band = of_code
            .get(code as usize)
            .copied()
            .unwrap_or(AgeBand::Unknown);
        if let Some(slot) = counts.get_mut(band.index()) {
            slot.0 += 1;
            slot.1 += customer.sales;
        }
        total.add(customer.sales);
    }
    let n = customers.len();
    let rows = AgeBand::ALL
        .iter()
        .zip(counts)
        .map(|(&band, (count, sales))| BandRow {
            band,
            customers: count,
            sales,
            customer_share: Some(count as f64 / n as f64),
            sales_share: total.share(sales),
        })
        .collect();
    Ok(Some(AgeBands {
        key: attribute.key.clone(),
        basis,
        rows,
        customers: n,
    }))
}

/// The parameters of the profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProfileConfig {
    /// Values shown per attribute before "Other", and the small-cell mark.
    pub breakdown: BreakdownConfig,
    /// The day recency is counted to (`None`: the day after the latest purchase, as the RFM
    /// analysis's default).
    pub analysis_day: Option<Day>,
}

/// One attribute's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Its distribution (the breakdown's values, totals and shares).
    pub distribution: Breakdown,
    /// Its age bands, for an age or a birth/founding year.
    pub ages: Option<AgeBands>,
    /// True for a kind whose values are numbers ([`AttributeKind::is_numeric`]).
    pub numeric: bool,
}

/// The profiles of a data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profiles {
    /// All customers (the `n` of every distribution).
    pub customers: usize,
    /// The year ages are counted to ([`reference_year`]).
    pub reference_year: Option<i32>,
    /// One profile per attribute, in mapping order.
    pub profiles: Vec<Profile>,
    /// The correlation table over the attributes and recency, frequency, monetary and profit.
    pub correlations: Correlations,
}

/// The profiles of `table` over `attributes`: [`ProfileSteps`] at once.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when an attribute does not fit the
/// table.
pub fn analyse_profiles(
    table: &CustomerTable,
    attributes: &CustomerAttributes,
    config: &ProfileConfig,
) -> Result<Profiles> {
    ProfileSteps::new(table, attributes, config)?.finish(table, attributes)
}

/// [`analyse_profiles`] in pieces ([`ProfileSteps::step`]: the reference year, an attribute's
/// distribution and age bands, or a piece of the correlations ([`CorrelationSteps`]) each), so
/// that the page's thread can do other work between them: at a million customers the whole
/// analysis takes most of a second there.
///
/// Every call must be given the same table and attributes, unchanged.
pub struct ProfileSteps {
    config: ProfileConfig,
    customers: usize,
    year: Option<Option<i32>>,
    profiles: Vec<Profile>,
    /// The first error met (the steps stop there).
    failed: Option<Error>,
    correlations: CorrelationSteps,
}

impl ProfileSteps {
    /// The steps of the profiles; nothing computed yet.
    ///
    /// # Errors
    /// Those of [`analyse_profiles`].
    pub fn new(
        table: &CustomerTable,
        attributes: &CustomerAttributes,
        config: &ProfileConfig,
    ) -> Result<ProfileSteps> {
        Ok(ProfileSteps {
            config: *config,
            customers: table.customers.len(),
            year: None,
            profiles: Vec::with_capacity(attributes.attributes.len()),
            failed: None,
            correlations: CorrelationSteps::new(table, attributes, config.analysis_day)?,
        })
    }

    /// Computes the next piece; false when none is left (or one failed, or `table` is not the
    /// table the steps began with).
    pub fn step(&mut self, table: &CustomerTable, attributes: &CustomerAttributes) -> bool {
        if self.failed.is_some() || table.customers.len() != self.customers {
            return false;
        }
        let Some(year) = self.year else {
            self.year = Some(reference_year(table));
            return true;
        };
        if let Some(attribute) = attributes.attributes.get(self.profiles.len()) {
            let profile = breakdown_values(table, attribute, self.config.breakdown).and_then(
                |distribution| {
                    Ok(Profile {
                        distribution,
                        ages: age_bands(table, attribute, year)?,
                        numeric: attribute.kind.is_some_and(AttributeKind::is_numeric),
                    })
                },
            );
            match profile {
                Ok(profile) => self.profiles.push(profile),
                Err(error) => self.failed = Some(error),
            }
            return self.failed.is_none();
        }
        self.correlations.step(table, attributes)
    }

    /// The profiles: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// Those of [`analyse_profiles`]; [`Error::NoData`] when `table` is not the table the steps
    /// began with.
    pub fn finish(
        mut self,
        table: &CustomerTable,
        attributes: &CustomerAttributes,
    ) -> Result<Profiles> {
        while self.profiles.len() < attributes.attributes.len() && self.step(table, attributes) {}
        if let Some(error) = self.failed {
            return Err(error);
        }
        if table.customers.len() != self.customers
            || self.profiles.len() != attributes.attributes.len()
        {
            return Err(Error::NoData);
        }
        Ok(Profiles {
            customers: self.customers,
            reference_year: self.year.flatten(),
            profiles: self.profiles,
            correlations: self.correlations.finish(table, attributes)?,
        })
    }
}

/// A column of a cluster × attribute table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Group {
    /// A value of the attribute (or "Other", "blank"), with the distinct values it stands for.
    Value {
        /// The value.
        label: ValueLabel,
        /// Distinct values merged in it.
        distinct: usize,
    },
    /// An age band (ages and birth/founding years).
    Band(AgeBand),
}

impl Group {
    /// The machine form used in `data-metric` names: the value, `(blank)`, `(other)`, or the
    /// band's name.
    pub fn key(&self) -> &str {
        match self {
            Group::Value { label, .. } => label.key(),
            Group::Band(band) => band.as_str(),
        }
    }
}

/// Customers per cluster and attribute value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterDimension {
    /// The attribute's machine name.
    pub key: String,
    /// The columns: the breakdown's values (top 10 of all customers, then "Other"), or the age
    /// bands for an age or a year.
    pub groups: Vec<Group>,
    /// Per cluster (in [`ClusterAnalysis::clusters`] order), customers per column.
    pub counts: Vec<Vec<usize>>,
}

/// Per code of `attribute`, its column among `groups` (the value's own, else "Other" or the
/// last column).
fn columns_of_codes(attribute: &Attribute, groups: &[Group]) -> Vec<usize> {
    let last = groups.len().saturating_sub(1);
    let other = groups.iter().position(|g| {
        matches!(
            g,
            Group::Value {
                label: ValueLabel::Other,
                ..
            }
        )
    });
    attribute
        .values
        .iter()
        .map(|value| {
            groups
                .iter()
                .position(|g| match g {
                    Group::Value {
                        label: ValueLabel::Value(v),
                        ..
                    } => v == value,
                    Group::Value {
                        label: ValueLabel::Blank,
                        ..
                    } => value.is_empty(),
                    _ => false,
                })
                .or(other)
                .unwrap_or(last)
        })
        .collect()
}

/// The clusters of `clusters` (found on the scored customers of `scores`) cut by `attribute`:
/// the age bands for an age or a year (with a reference year), else the attribute's breakdown
/// values. Every row sums to its cluster's size.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when the attribute does not fit the
/// table or the clusters do not fit the scores.
pub fn cluster_dimension(
    table: &CustomerTable,
    clusters: &ClusterAnalysis,
    scores: &RfmScores,
    attribute: &Attribute,
    config: BreakdownConfig,
) -> Result<ClusterDimension> {
    if clusters.assignments.len() != scores.customers.len() {
        return Err(mismatch());
    }
    let (groups, column_of) = match AgeBasis::of(attribute, reference_year(table)) {
        Some(basis) => {
            if attribute.codes.len() != table.customers.len() || !attribute.check() {
                return Err(mismatch());
            }
            let groups: Vec<Group> = AgeBand::ALL.into_iter().map(Group::Band).collect();
            let columns = bands_of_codes(attribute, basis)
                .into_iter()
                .map(AgeBand::index)
                .collect();
            (groups, columns)
        }
        None => {
            let b = breakdown_values(table, attribute, config)?;
            let groups: Vec<Group> = b
                .values
                .into_iter()
                .map(|v| Group::Value {
                    label: v.label,
                    distinct: v.distinct,
                })
                .collect();
            let columns = columns_of_codes(attribute, &groups);
            (groups, columns)
        }
    };
    let mut counts = vec![vec![0usize; groups.len()]; clusters.clusters.len()];
    for (score, &cluster) in scores.customers.iter().zip(&clusters.assignments) {
        let column = attribute
            .codes
            .get(score.index)
            .and_then(|&code| column_of.get(code as usize))
            .copied();
        if let Some(cell) = column.and_then(|c| {
            counts
                .get_mut(usize::from(cluster))
                .and_then(|row| row.get_mut(c))
        }) {
            *cell += 1;
        }
    }
    Ok(ClusterDimension {
        key: attribute.key.clone(),
        groups,
        counts,
    })
}

#[cfg(test)]
mod tests;
