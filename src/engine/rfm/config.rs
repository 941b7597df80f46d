//! The configuration of an RFM analysis (RFM 配置): bins, the analysis day, the monetary basis.

use super::*;

/// What M measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Monetary {
    /// Net sales of the customer ([`Customer::sales`], returns netted; can be zero or negative).
    #[default]
    Total,
    /// Average order value: net sales / orders ([`Customer::average_order_value`]; 0 for a
    /// customer without orders).
    AverageOrderValue,
}

impl Monetary {
    /// The customer's M in currency units; `-0.0` reads as `0.0`.
    pub fn value(self, customer: &Customer) -> f64 {
        ScoredCustomer::of(customer).monetary(self)
    }

    /// Machine name: `total` or `average_order_value`.
    pub fn as_str(self) -> &'static str {
        match self {
            Monetary::Total => "total",
            Monetary::AverageOrderValue => "average_order_value",
        }
    }
}

/// The parameters of the scoring ([`score_rfm`]); every field is shown beside the result. A
/// field missing from JSON takes its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RfmConfig {
    /// Number of scores per axis: 3, 4, 5 (default, quintiles) or 10 ([`BIN_CHOICES`]).
    pub bins: u8,
    /// The day R is counted to (days since 1970-01-01). `None` (default): the day after the
    /// latest purchase of any customer. A given day must not lie before the latest purchase
    /// (R would be negative: the aggregated data cannot be cut back to an earlier day).
    pub analysis_day: Option<Day>,
    /// What M measures (default: net sales).
    pub monetary: Monetary,
}

impl Default for RfmConfig {
    fn default() -> Self {
        RfmConfig {
            bins: 5,
            analysis_day: None,
            monetary: Monetary::Total,
        }
    }
}

impl RfmConfig {
    /// Checks every field against its range (see the field docs; whether the analysis day lies
    /// after the latest purchase depends on the data and is checked by [`score_rfm`]).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        if !BIN_CHOICES.contains(&self.bins) {
            return Err(parameter(
                "bins",
                ParameterProblem::NotOneOf {
                    value: self.bins.into(),
                    choices: BIN_CHOICES.map(i64::from).to_vec(),
                },
            ));
        }
        if let Some(day) = self.analysis_day {
            if !day.in_range() {
                return Err(parameter("analysis_day", ParameterProblem::DayOutOfRange));
            }
        }
        Ok(())
    }
}
