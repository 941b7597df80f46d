//! Hints from customer data (数据提示): suggested items as kinds with their figures;
//! `i18n::swot_hint_text` words them.

use super::*;

/// What a [`SwotHint`] is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HintKind {
    /// Threat: a few customers make much of the sales.
    Concentration,
    /// Strength: sales are spread over many customers.
    BroadBase,
    /// Strength: a high repeat-purchase rate.
    LoyalCustomers,
    /// Weakness: a low repeat-purchase rate.
    FewRepeatCustomers,
    /// Strength: a high net margin.
    HighMargin,
    /// Weakness: a low (or negative) net margin.
    LowMargin,
    /// Weakness: many order lines are returns.
    Returns,
}

impl HintKind {
    /// A stable machine name, e.g. `concentration` (for remembering which hints were added).
    pub fn as_str(self) -> &'static str {
        match self {
            HintKind::Concentration => "concentration",
            HintKind::BroadBase => "broad_base",
            HintKind::LoyalCustomers => "loyal_customers",
            HintKind::FewRepeatCustomers => "few_repeat_customers",
            HintKind::HighMargin => "high_margin",
            HintKind::LowMargin => "low_margin",
            HintKind::Returns => "returns",
        }
    }
}

/// A suggested item derived from the loaded customer data: its kind and figure, which
/// `i18n::swot_hint_text` words (e.g. `The top 10 % of customers make 51 % of sales (customer
/// concentration)`). The UI offers it; it is added to our board only when the user clicks (e.g.
/// `add_item(us, hint.quadrant, &i18n::swot_hint_text(&hint, lang), hint.suggested_score)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwotHint {
    /// What it is derived from.
    pub kind: HintKind,
    /// The quadrant it belongs to.
    pub quadrant: Quadrant,
    /// A starting score for the user to adjust (fixed per kind, see [`hints_from_customers`]).
    pub suggested_score: f64,
    /// The figure it is derived from, as a fraction (0.51 = 51 %).
    pub value: f64,
}

/// The thresholds of [`hints_from_customers`]; shares and rates are fractions (0.5 = 50 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HintConfig {
    /// No hints below this many customers: too few to say anything (default 10).
    pub min_customers: usize,
    /// Threat when the top 10 % of customers make at least this share of sales (default 0.5).
    pub concentration_share: f64,
    /// Strength when they make at most this share (default 0.3; below `concentration_share`).
    pub broad_base_share: f64,
    /// Strength when the repeat-purchase rate is at least this (default 0.6).
    pub repeat_strong: f64,
    /// Weakness when the repeat-purchase rate is below this (default 0.3; at most
    /// `repeat_strong`).
    pub repeat_weak: f64,
    /// Strength when the net margin is at least this (default 0.3).
    pub margin_high: f64,
    /// Weakness when the net margin is below this (default 0.1; at most `margin_high`).
    pub margin_low: f64,
    /// Weakness when at least this share of accepted order lines are returns (default 0.1).
    pub returns_share: f64,
}

impl Default for HintConfig {
    fn default() -> Self {
        HintConfig {
            min_customers: 10,
            concentration_share: 0.5,
            broad_base_share: 0.3,
            repeat_strong: 0.6,
            repeat_weak: 0.3,
            margin_high: 0.3,
            margin_low: 0.1,
            returns_share: 0.1,
        }
    }
}

impl HintConfig {
    /// Checks the thresholds: shares and rates from 0 to 1, margins finite, each low threshold
    /// at most its high one (`broad_base_share` below `concentration_share`).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        let fraction = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
        let checks = [
            (
                "concentration_share",
                self.concentration_share,
                fraction(self.concentration_share),
            ),
            (
                "broad_base_share",
                self.broad_base_share,
                fraction(self.broad_base_share) && self.broad_base_share < self.concentration_share,
            ),
            (
                "repeat_strong",
                self.repeat_strong,
                fraction(self.repeat_strong),
            ),
            (
                "repeat_weak",
                self.repeat_weak,
                fraction(self.repeat_weak) && self.repeat_weak <= self.repeat_strong,
            ),
            (
                "margin_high",
                self.margin_high,
                self.margin_high.is_finite(),
            ),
            (
                "margin_low",
                self.margin_low,
                self.margin_low.is_finite() && self.margin_low <= self.margin_high,
            ),
            (
                "returns_share",
                self.returns_share,
                fraction(self.returns_share),
            ),
        ];
        match checks.into_iter().find(|(_, _, ok)| !ok) {
            Some((name, value, _)) => Err(parameter(name, ParameterProblem::OutOfRange { value })),
            None => Ok(()),
        }
    }
}

/// Suggested SWOT items from the loaded customer data, in this order (each only when its
/// figure exists and passes its threshold in `config`):
///
/// | kind | quadrant | when | score |
/// |---|---|---|---|
/// | [`HintKind::Concentration`] | threat | top 10 % of customers make ≥ 50 % of sales | 7 |
/// | [`HintKind::BroadBase`] | strength | they make ≤ 30 % | 6 |
/// | [`HintKind::LoyalCustomers`] | strength | repeat-purchase rate ≥ 60 % | 7 |
/// | [`HintKind::FewRepeatCustomers`] | weakness | repeat-purchase rate < 30 % | 7 |
/// | [`HintKind::HighMargin`] | strength | net margin ≥ 30 % | 6 |
/// | [`HintKind::LowMargin`] | weakness | net margin < 10 % | 6 |
/// | [`HintKind::Returns`] | weakness | ≥ 10 % of accepted order lines are returns | 5 |
///
/// `top10_sales_share` is the sales share of the first customer decile by sales
/// (`deciles::Decile::sales_share` of decile 1); the repeat rate is
/// [`Summary::repeat_rate`], the margin [`Summary::margin`] (no margin hint without a profit
/// column). Nothing is suggested below `config.min_customers` customers. The suggested score is
/// a fixed starting point per kind for the user to adjust.
///
/// # Errors
/// [`Error::Parameter`] from [`HintConfig::validate`].
pub fn hints_from_customers(
    summary: &Summary,
    top10_sales_share: Option<f64>,
    config: &HintConfig,
) -> Result<Vec<SwotHint>> {
    config.validate()?;
    let mut hints = Vec::new();
    if summary.customers < config.min_customers || summary.customers == 0 {
        return Ok(hints);
    }
    let mut hint = |kind, quadrant, value: f64, score| {
        hints.push(SwotHint {
            kind,
            quadrant,
            suggested_score: score,
            value,
        })
    };
    if let Some(share) = top10_sales_share.filter(|s| s.is_finite()) {
        if share >= config.concentration_share {
            hint(HintKind::Concentration, Quadrant::Threats, share, 7.0);
        } else if share <= config.broad_base_share {
            hint(HintKind::BroadBase, Quadrant::Strengths, share, 6.0);
        }
    }
    let repeat = summary.repeat_rate();
    if repeat >= config.repeat_strong {
        hint(HintKind::LoyalCustomers, Quadrant::Strengths, repeat, 7.0);
    } else if repeat < config.repeat_weak {
        hint(
            HintKind::FewRepeatCustomers,
            Quadrant::Weaknesses,
            repeat,
            7.0,
        );
    }
    if let Some(margin) = summary.margin().filter(|m| m.is_finite()) {
        if margin >= config.margin_high {
            hint(HintKind::HighMargin, Quadrant::Strengths, margin, 6.0);
        } else if margin < config.margin_low {
            hint(HintKind::LowMargin, Quadrant::Weaknesses, margin, 6.0);
        }
    }
    let accepted = summary.rows_read.saturating_sub(summary.rows_rejected);
    if accepted > 0 {
        let share = summary.return_rows as f64 / accepted as f64;
        if share >= config.returns_share {
            hint(HintKind::Returns, Quadrant::Weaknesses, share, 5.0);
        }
    }
    Ok(hints)
}
