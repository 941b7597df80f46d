//! The scored-customer CSV (导出); its headers and names come from the caller
//! (`i18n::rfm_csv_labels`).

use super::*;

/// Which of a rule's names the export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NameLanguage {
    /// `name_en`.
    #[default]
    English,
    /// `name_zh` (the English name when empty).
    Chinese,
}

/// Column headers and names of the scored-customer CSV, in the UI's language
/// ([`scored_customers_csv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmCsvLabels<'a> {
    /// Customer id.
    pub customer: &'a str,
    /// Last purchase (ISO date).
    pub last_purchase: &'a str,
    /// R in days.
    pub recency_days: &'a str,
    /// F.
    pub frequency: &'a str,
    /// M.
    pub monetary: &'a str,
    /// R score.
    pub r_score: &'a str,
    /// F score.
    pub f_score: &'a str,
    /// M score.
    pub m_score: &'a str,
    /// RFM code ([`CustomerScore::code`]).
    pub rfm_code: &'a str,
    /// Segment.
    pub segment: &'a str,
    /// Value tier.
    pub value_tier: &'a str,
    /// Which rule name to write.
    pub language: NameLanguage,
    /// The name of the "Other" segment.
    pub other: &'a str,
    /// The names of the value tiers: high, medium, low.
    pub tiers: [&'a str; 3],
}

impl Default for RfmCsvLabels<'static> {
    fn default() -> Self {
        RfmCsvLabels {
            customer: "customer",
            last_purchase: "last purchase",
            recency_days: "recency days",
            frequency: "frequency",
            monetary: "monetary",
            r_score: "R",
            f_score: "F",
            m_score: "M",
            rfm_code: "RFM code",
            segment: "segment",
            value_tier: "value tier",
            language: NameLanguage::English,
            other: OTHER_EN,
            tiers: ["high value", "medium value", "low value"],
        }
    }
}

/// The scored customers as CSV (via [`csv_document`]: UTF-8 BOM, CRLF, RFC 4180 quoting, and
/// formula injection neutralised, so an id like `=cmd` is written `'=cmd`; numbers such as
/// `-12.5` stay numbers).
///
/// Columns: customer, last purchase (`YYYY-MM-DD`), recency days, frequency, monetary (at most 6
/// decimals, trailing zeros dropped, so re-importing gives the same values to a millionth), R,
/// F, M, RFM code, segment (in `labels.language`), value tier. Rows follow
/// [`RfmScores::customers`] (table order, by id); undated customers are not in it.
pub fn scored_customers_csv(
    table: &CustomerTable,
    analysis: &RfmAnalysis,
    labels: &RfmCsvLabels<'_>,
) -> String {
    let header = [
        labels.customer,
        labels.last_purchase,
        labels.recency_days,
        labels.frequency,
        labels.monetary,
        labels.r_score,
        labels.f_score,
        labels.m_score,
        labels.rfm_code,
        labels.segment,
        labels.value_tier,
    ];
    let bins = analysis.scores.config.bins;
    let rules = &analysis.segmentation.rules.rules;
    let rows = analysis
        .scores
        .customers
        .iter()
        .zip(&analysis.segmentation.assignments)
        .filter_map(|(score, assigned)| {
            let customer = table.customers.get(score.index)?;
            let segment: Cow<'_, str> = match assigned.and_then(|i| rules.get(usize::from(i))) {
                Some(rule) => match labels.language {
                    NameLanguage::English => rule.name_en.trim().into(),
                    NameLanguage::Chinese => rule.display_zh().trim().into(),
                },
                None => labels.other.into(),
            };
            let tier = match score.tier {
                ValueTier::High => labels.tiers[0],
                ValueTier::Medium => labels.tiers[1],
                ValueTier::Low => labels.tiers[2],
            };
            let cells: Vec<Cow<'_, str>> = vec![
                customer.id.as_str().into(),
                customer.last.map_or(String::new(), Day::iso).into(),
                score.recency_days.to_string().into(),
                score.frequency.to_string().into(),
                number_cell(score.monetary, 6),
                score.r.to_string().into(),
                score.f.to_string().into(),
                score.m.to_string().into(),
                score.code(bins).to_string().into(),
                segment,
                tier.into(),
            ];
            Some(cells)
        });
    csv_document(&header, rows)
}
