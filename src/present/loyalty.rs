//! The loyalty analysis as shown (忠诚度与满意度, issue 16): the survey's facts (scale, how
//! duplicates were combined, match rate), the headline figures, the satisfaction distribution,
//! the satisfaction × loyalty matrix with each type's meaning and suggested action, the six
//! loyalty classes with their rules, churn by satisfaction with Wilson intervals and its plain
//! sentence, NPS and satisfaction by RFM segment and by decile, the respondents not found in the
//! orders and the survey rows not read — with their CSVs and the report's sentences.
//!
//! Figures the page carries for automation (`data-metric`), as in
//! [`LoyaltyAnalysis::figures`]: `survey_rows`, `survey_matched`, `nps` ([`headline`]);
//! `loyalty_type:<apostle|loyalist|hostage|mercenary|defector|terrorist>` ([`matrix_rows`]);
//! `loyalty_class:<1..6>` ([`class_rows`]); `churn_by_satisfaction:<level>` (rate) and
//! `churn_by_satisfaction_n:<level>` (customers) ([`churn_rows`]). Parameters (`data-param`):
//! `scale`, `combine`, `satisfaction_cuts`, `loyal_min_orders`, `loyal_min_tenure_days`,
//! `long_term_days`, `long_term_min_orders`, `high_value_deciles`, `lapse_days`; the survey's
//! file input carries `data-input="survey-file"` ([`SURVEY_INPUT`]).

use crate::a11y::ChartTable;
use crate::charts::loyalty::{
    render_churn_svg, render_matrix_svg, ChurnBar, ChurnWords, MatrixCell, MatrixWords,
};
use crate::charts::ChartStyle;
use crate::display::{isolated, ID_CHARS};
use crate::engine::customers::CustomerTable;
use crate::engine::ingest::columns::GuessSource;
use crate::engine::loyalty::{
    Behaviour, GroupFigures, LoyaltyAnalysis, LoyaltyConfig, LoyaltyType, Nps,
};
use crate::engine::rfm::RfmAnalysis;
use crate::engine::survey::{Combine, Decided, Scale, Survey, SurveyRole};
use crate::i18n::{format_money, format_number, format_percent, row_error_text, Lang, Text};

use super::lifecycle::{Cell, CellTable};
use super::report::Note;
use super::{number, optional, sentence, share, Csv, Figure, Metric, Notice, Table};

/// The `data-input` name of the survey's file input.
pub const SURVEY_INPUT: &str = "survey-file";

/// Customers listed on screen per list (the CSV has them all).
pub const LISTED: usize = 25;

fn header(texts: &[Text], lang: Lang) -> Vec<String> {
    texts.iter().map(|t| t.get(lang).to_string()).collect()
}

fn count(n: usize) -> String {
    format_number(n as f64, 0)
}

/// The name of a scale.
pub fn scale_text(scale: Scale) -> Text {
    match scale {
        Scale::Labels => Text::LyScaleLabels,
        Scale::OneToFive => Text::LyScale15,
        Scale::OneToSeven => Text::LyScale17,
        Scale::OneToTen => Text::LyScale110,
        Scale::ZeroToTen => Text::LyScale010,
    }
}

/// How several responses were combined, in words.
pub fn combine_text(combine: Combine) -> Text {
    match combine {
        Combine::Latest => Text::LyCombineLatest,
        Combine::Mean => Text::LyCombineMean,
    }
}

/// A level as the user knows it: the label word on the label scale (非常满意 …), else the
/// number.
pub fn level_label(scale: Scale, level: u8, lang: Lang) -> String {
    let word = match (scale, level) {
        (Scale::Labels, 1) => Text::LyLevel1,
        (Scale::Labels, 2) => Text::LyLevel2,
        (Scale::Labels, 3) => Text::LyLevel3,
        (Scale::Labels, 4) => Text::LyLevel4,
        (Scale::Labels, 5) => Text::LyLevel5,
        _ => return level.to_string(),
    };
    word.get(lang).to_string()
}

/// The name of a matrix type (热心追随者 …).
pub fn type_text(kind: LoyaltyType) -> Text {
    match kind {
        LoyaltyType::Apostle => Text::LyApostle,
        LoyaltyType::Loyalist => Text::LyLoyalist,
        LoyaltyType::Hostage => Text::LyHostage,
        LoyaltyType::Mercenary => Text::LyMercenary,
        LoyaltyType::Defector => Text::LyDefector,
        LoyaltyType::Terrorist => Text::LyTerrorist,
    }
}

/// What a type means (document `001`).
pub fn type_meaning(kind: LoyaltyType) -> Text {
    match kind {
        LoyaltyType::Apostle => Text::LyMeanApostle,
        LoyaltyType::Loyalist => Text::LyMeanLoyalist,
        LoyaltyType::Hostage => Text::LyMeanHostage,
        LoyaltyType::Mercenary => Text::LyMeanMercenary,
        LoyaltyType::Defector => Text::LyMeanDefector,
        LoyaltyType::Terrorist => Text::LyMeanTerrorist,
    }
}

/// The suggested action for a type.
pub fn type_action(kind: LoyaltyType) -> Text {
    match kind {
        LoyaltyType::Apostle => Text::LyActApostle,
        LoyaltyType::Loyalist => Text::LyActLoyalist,
        LoyaltyType::Hostage => Text::LyActHostage,
        LoyaltyType::Mercenary => Text::LyActMercenary,
        LoyaltyType::Defector => Text::LyActDefector,
        LoyaltyType::Terrorist => Text::LyActTerrorist,
    }
}

/// The name of a loyalty class (1–6).
pub fn class_text(class: u8) -> Text {
    match class {
        1 => Text::LyClass1,
        2 => Text::LyClass2,
        3 => Text::LyClass3,
        4 => Text::LyClass4,
        5 => Text::LyClass5,
        _ => Text::LyClass6,
    }
}

/// The rule of a loyalty class (1–6), with the configuration's values.
pub fn class_rule(class: u8, config: &LoyaltyConfig, lang: Lang) -> String {
    let rule = match class {
        1 => Text::LyRule1,
        2 => Text::LyRule2,
        3 => Text::LyRule3,
        4 => Text::LyRule4,
        5 => Text::LyRule5,
        _ => Text::LyRule6,
    };
    sentence(
        rule.get(lang),
        &[
            config.long_term_days.to_string(),
            config.long_term_min_orders.to_string(),
        ],
    )
}

/// The name of a survey column role.
pub fn survey_role_text(role: SurveyRole) -> Text {
    match role {
        SurveyRole::Customer => Text::CustomerId,
        SurveyRole::Satisfaction => Text::LyLevel,
        SurveyRole::Recommend => Text::LyRecommend,
        SurveyRole::Repurchase => Text::LyIntent,
        SurveyRole::Date => Text::LySurveyDate,
    }
}

/// The column mapping as shown: per role, the column's header (empty when unmapped), the
/// confidence of the guess and why (empty when the mapping was given).
pub fn mapping_rows(survey: &Survey, lang: Lang) -> Table {
    let mut table = Table::new(
        [
            (Text::LyRole, false),
            (Text::LyColumn, false),
            (Text::LyConfidence, true),
            (Text::LyRule, false),
        ]
        .map(|(t, numeric)| (t.get(lang).to_string(), numeric)),
    );
    for role in SurveyRole::ALL {
        let column = survey.mapping.get(role);
        let guess = survey
            .guesses
            .iter()
            .find(|g| g.role == role && Some(g.column) == column);
        let source = guess.map(|g| match g.source {
            GuessSource::HeaderExact => Text::LySourceHeaderExact,
            GuessSource::HeaderPartial => Text::LySourceHeaderPartial,
            GuessSource::Values => Text::LySourceValues,
        });
        table.push([
            survey_role_text(role).get(lang).to_string(),
            column
                .and_then(|c| survey.headers.get(c))
                .map(|h| isolated(h, ID_CHARS))
                .unwrap_or_default(),
            guess.map_or_else(String::new, |g| format_percent(f64::from(g.confidence), 0)),
            source.map_or_else(String::new, |t| t.get(lang).to_string()),
        ]);
    }
    table
}

/// The survey's facts: the scale (detected or given) and how several responses were combined.
pub fn scale_facts(survey: &Survey, lang: Lang) -> String {
    let decided = match survey.scale_decided {
        Decided::Detected => Text::LyScaleDetected,
        Decided::Given => Text::LyScaleGiven,
    };
    sentence(
        Text::LyScaleFacts.get(lang),
        &[
            scale_text(survey.scale).get(lang).to_string(),
            decided.get(lang).to_string(),
            combine_text(survey.combine).get(lang).to_string(),
        ],
    )
}

/// The headline figures: `survey_rows`, `survey_matched` (with the match rate; only with
/// orders) and `nps` (with the promoters, passives and detractors).
pub fn headline(analysis: &LoyaltyAnalysis, lang: Lang) -> Vec<Metric> {
    let mut out = vec![Metric::count(
        "survey_rows",
        Text::LySurveyRows.get(lang),
        analysis.survey_rows,
    )];
    if let Some(join) = &analysis.join {
        out.push(
            Metric::count(
                "survey_matched",
                Text::LySurveyMatched.get(lang),
                join.matched as u64,
            )
            .note(sentence(
                Text::LyMatchNote.get(lang),
                &[
                    share(join.match_rate),
                    count(join.matched),
                    count(analysis.respondents),
                ],
            )),
        );
    }
    out.push(nps_metric(&analysis.nps, lang));
    out
}

fn nps_display(nps: &Nps) -> String {
    nps.score
        .map_or_else(|| "–".into(), |s| format_number(s, 1))
}

fn nps_metric(nps: &Nps, lang: Lang) -> Metric {
    let metric = Metric::new(
        "nps",
        Text::LyNps.get(lang),
        nps.score.unwrap_or(f64::NAN),
        nps_display(nps),
    )
    .note(sentence(
        Text::LyNpsNote.get(lang),
        &[
            count(nps.promoters),
            count(nps.passives),
            count(nps.detractors),
            count(nps.respondents),
        ],
    ));
    match nps.score {
        Some(s) if s < 0.0 => metric.tone("warn"),
        Some(s) if s >= 50.0 => metric.tone("good"),
        _ => metric,
    }
}

/// The match, stated up front: matched, respondents not in the orders, customers without a
/// response; `None` for a survey alone.
pub fn match_sentence(analysis: &LoyaltyAnalysis, lang: Lang) -> Option<String> {
    let join = analysis.join.as_ref()?;
    Some(sentence(
        Text::LyMatchSentence.get(lang),
        &[
            share(join.match_rate),
            count(join.matched),
            count(analysis.respondents),
            count(join.unmatched.len()),
            count(join.customers_without_response),
        ],
    ))
}

/// What the view should say besides the figures: a survey alone, orders without dates, no
/// lapse threshold.
pub fn notices(analysis: &LoyaltyAnalysis, lang: Lang) -> Vec<Notice> {
    let mut out = Vec::new();
    if analysis.join.is_none() {
        out.push(Notice::new("survey-alone", Text::LySurveyAlone.get(lang)));
    } else if analysis.behaviour.is_none() {
        out.push(Notice::new("no-dates", Text::LyNoDates.get(lang)));
    }
    if let Some(b) = &analysis.behaviour {
        if b.lapse_days.is_none() {
            out.push(Notice::new("no-threshold", Text::LyNoThreshold.get(lang)));
        }
        let terrorists = b
            .customers
            .iter()
            .filter(|c| c.high_value_terrorist)
            .count();
        if terrorists > 0 {
            out.push(Notice::new(
                "high-value-terrorists",
                sentence(Text::LyHighValueTerrorists.get(lang), &[count(terrorists)]),
            ));
        }
    }
    out
}

/// Respondents per satisfaction level (every level of the scale) and their share.
pub fn distribution_rows(analysis: &LoyaltyAnalysis, lang: Lang) -> CellTable {
    let total: usize = analysis.distribution.iter().map(|d| d.respondents).sum();
    let mut table = CellTable {
        header: header(
            &[Text::LyLevel, Text::LyRespondents, Text::CustomerShare],
            lang,
        ),
        ..CellTable::default()
    };
    for d in &analysis.distribution {
        let part = (total > 0).then(|| d.respondents as f64 / total as f64);
        table.rows.push(vec![
            Cell::text(level_label(analysis.scale, d.level, lang)),
            Cell::text(count(d.respondents)),
            Cell::text(share(part)),
        ]);
        table.marked.push(false);
    }
    table
}

/// The matrix's rules in one sentence.
pub fn matrix_facts(analysis: &LoyaltyAnalysis, lang: Lang) -> String {
    let config = &analysis.config;
    let cuts = analysis.cuts;
    let scale = analysis.scale;
    sentence(
        Text::LyMatrixFacts.get(lang),
        &[
            config.loyal_min_orders.to_string(),
            config.loyal_min_tenure_days.to_string(),
            level_label(scale, cuts.satisfied, lang),
            level_label(scale, cuts.top, lang),
            level_label(scale, cuts.bottom, lang),
            config.high_value_deciles.to_string(),
        ],
    )
}

/// The matrix: per type, customers (`loyalty_type:<type>`), share, sales, the high-value
/// ones, its meaning and suggested action. Empty without behaviour figures.
pub fn matrix_rows(analysis: &LoyaltyAnalysis, lang: Lang) -> CellTable {
    let mut table = CellTable {
        header: header(
            &[
                Text::LyType,
                Text::Customers,
                Text::CustomerShare,
                Text::Sales,
                Text::LyHighValue,
                Text::LyMeaning,
                Text::LyAction,
            ],
            lang,
        ),
        ..CellTable::default()
    };
    let Some(b) = &analysis.behaviour else {
        return table;
    };
    for t in &b.types {
        let part = (b.in_matrix > 0).then(|| t.customers as f64 / b.in_matrix as f64);
        table.rows.push(vec![
            Cell::text(type_text(t.kind).get(lang).to_string()),
            Cell::figure(
                format!("loyalty_type:{}", t.kind.as_str()),
                Some(t.customers as f64),
                count(t.customers),
            ),
            Cell::text(share(part)),
            Cell::text(format_money(t.sales)),
            Cell::text(count(t.high_value)),
            Cell::text(type_meaning(t.kind).get(lang).to_string()),
            Cell::text(type_action(t.kind).get(lang).to_string()),
        ]);
        table.marked.push(false);
    }
    table
}

/// Matched customers left out of the matrix (no satisfaction answer, no purchase).
pub fn matrix_uncounted(analysis: &LoyaltyAnalysis, lang: Lang) -> Option<String> {
    let b = analysis.behaviour.as_ref()?;
    (b.no_satisfaction + b.no_purchase > 0).then(|| {
        sentence(
            Text::LyMatrixUncounted.get(lang),
            &[count(b.no_satisfaction), count(b.no_purchase)],
        )
    })
}

fn customer_id(table: &CustomerTable, index: usize) -> &str {
    table.customers.get(index).map_or("", |c| c.id.as_str())
}

/// The customers of one type, most valuable first: the first [`LISTED`] (ids cut and
/// isolated) and how many more there are.
pub fn type_members(
    analysis: &LoyaltyAnalysis,
    table: &CustomerTable,
    kind: LoyaltyType,
) -> (Vec<String>, usize) {
    let Some(b) = &analysis.behaviour else {
        return (Vec::new(), 0);
    };
    let Some(t) = b.types.iter().find(|t| t.kind == kind) else {
        return (Vec::new(), 0);
    };
    let listed = t
        .members
        .iter()
        .take(LISTED)
        .filter_map(|&m| b.customers.get(m))
        .map(|c| isolated(customer_id(table, c.index), ID_CHARS))
        .collect();
    (listed, t.members.len().saturating_sub(LISTED))
}

fn yes_no(value: bool, lang: Lang) -> String {
    match value {
        true => Text::LyYes.get(lang).to_string(),
        false => Text::LyNo.get(lang).to_string(),
    }
}

/// Every matched customer with its level, behaviour, type and flags, as a CSV (type names
/// are machine names: `apostle` …; empty when not in the matrix).
pub fn customers_csv(
    analysis: &LoyaltyAnalysis,
    table: &CustomerTable,
    file: &str,
    lang: Lang,
) -> Csv {
    let header = header(
        &[
            Text::CustomerId,
            Text::LyLevel,
            Text::Orders,
            Text::LyTenure,
            Text::LyRecency,
            Text::LyLapsed,
            Text::LyLoyal,
            Text::LyDecile,
            Text::Sales,
            Text::LyType,
            Text::LyHighValueFlag,
        ],
        lang,
    );
    let rows = analysis
        .behaviour
        .as_ref()
        .map(|b: &Behaviour| {
            b.customers
                .iter()
                .map(|c| {
                    vec![
                        customer_id(table, c.index).to_string(),
                        c.level.map(|l| l.to_string()).unwrap_or_default(),
                        c.orders.to_string(),
                        c.tenure_days.map(|d| d.to_string()).unwrap_or_default(),
                        c.recency_days.map(|d| d.to_string()).unwrap_or_default(),
                        yes_no(c.lapsed, lang),
                        yes_no(c.loyal, lang),
                        c.decile.to_string(),
                        number(c.sales),
                        c.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                        yes_no(c.high_value_terrorist, lang),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    Csv {
        file: file.into(),
        header,
        rows,
    }
}

/// The six classes: class, rule, respondents (`loyalty_class:<n>`), sales.
pub fn class_rows(analysis: &LoyaltyAnalysis, lang: Lang) -> CellTable {
    let mut table = CellTable {
        header: header(
            &[
                Text::LyClass,
                Text::LyRule,
                Text::LyRespondents,
                Text::Sales,
            ],
            lang,
        ),
        ..CellTable::default()
    };
    let Some(b) = &analysis.behaviour else {
        return table;
    };
    for c in &b.classes {
        table.rows.push(vec![
            Cell::text(format!("{}. {}", c.class, class_text(c.class).get(lang))),
            Cell::text(class_rule(c.class, &analysis.config, lang)),
            Cell::figure(
                format!("loyalty_class:{}", c.class),
                Some(c.respondents as f64),
                count(c.respondents),
            ),
            Cell::text(format_money(c.sales)),
        ]);
        table.marked.push(false);
    }
    table
}

/// The customers of the orders left out of the classes (no response).
pub fn classes_note(analysis: &LoyaltyAnalysis, lang: Lang) -> Option<String> {
    let join = analysis.join.as_ref()?;
    Some(sentence(
        Text::LyClassesNote.get(lang),
        &[count(join.customers_without_response)],
    ))
}

fn interval_text(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(l), Some(h)) => format!("{} – {}", format_percent(l, 1), format_percent(h, 1)),
        _ => "–".into(),
    }
}

/// Churn per satisfaction level: level, customers (`churn_by_satisfaction_n:<level>`),
/// lapsed, rate (`churn_by_satisfaction:<level>`), 95 % interval.
pub fn churn_rows(analysis: &LoyaltyAnalysis, lang: Lang) -> CellTable {
    let mut table = CellTable {
        header: header(
            &[
                Text::LyLevel,
                Text::Customers,
                Text::LyLapsed,
                Text::LyChurnRate,
                Text::LyInterval,
            ],
            lang,
        ),
        ..CellTable::default()
    };
    let Some(b) = &analysis.behaviour else {
        return table;
    };
    for c in &b.churn {
        table.rows.push(vec![
            Cell::text(level_label(analysis.scale, c.level, lang)),
            Cell::figure(
                format!("churn_by_satisfaction_n:{}", c.level),
                Some(c.customers as f64),
                count(c.customers),
            ),
            Cell::text(count(c.lapsed)),
            Cell::figure(
                format!("churn_by_satisfaction:{}", c.level),
                c.rate,
                share(c.rate),
            ),
            Cell::text(interval_text(c.low, c.high)),
        ]);
        // Few customers: the interval is wide.
        table.marked.push(c.customers < 30);
    }
    table
}

/// The items of the churn sentence, joined: every level with a rate, lowest first.
fn churn_items(analysis: &LoyaltyAnalysis, lang: Lang) -> Option<String> {
    let b = analysis.behaviour.as_ref()?;
    let items: Vec<String> = b
        .churn
        .iter()
        .filter_map(|c| Some((c, c.rate?)))
        .enumerate()
        .map(|(i, (c, rate))| {
            let template = if i == 0 {
                Text::LyChurnItem
            } else {
                Text::LyChurnMore
            };
            sentence(
                template.get(lang),
                &[
                    level_label(analysis.scale, c.level, lang),
                    format_percent(rate, 0),
                    count(c.customers),
                ],
            )
        })
        .collect();
    (!items.is_empty()).then(|| items.join(Text::LySep.get(lang)))
}

/// The plain sentence of `004`: "customers who rated 一般 churned at 42% (n = 310), 非常满意
/// at 20% (n = 512)", every level with customers, lowest first; `None` without rates.
pub fn churn_sentence(analysis: &LoyaltyAnalysis, lang: Lang) -> Option<String> {
    let items = churn_items(analysis, lang)?;
    Some(sentence(Text::LyChurnSentence.get(lang), &[items]))
}

/// The satisfaction × loyalty matrix drawn as `001` draws it (`render_matrix_svg`): each
/// type's customers, share of the matrix and sales; `None` without the purchase history.
pub fn matrix_chart(
    analysis: &LoyaltyAnalysis,
    name: &'static str,
    style: &ChartStyle,
) -> Option<Figure> {
    let lang = style.lang;
    let b = analysis.behaviour.as_ref()?;
    let total = b.in_matrix.max(1) as f64;
    let cells: Vec<MatrixCell> = LoyaltyType::ALL
        .iter()
        .map(|&kind| {
            let figures = b.types.iter().find(|t| t.kind == kind);
            let (customers, sales) = figures.map_or((0, 0.0), |t| (t.customers, t.sales));
            MatrixCell {
                label: type_text(kind).get(lang).to_string(),
                customers,
                share: customers as f64 / total,
                detail: format_money(sales),
            }
        })
        .collect();
    let table = cells.iter().fold(
        ChartTable::new([
            Text::LyType.get(lang),
            Text::Customers.get(lang),
            Text::CustomerShare.get(lang),
            Text::Sales.get(lang),
        ]),
        |t, c| {
            t.row([
                c.label.clone(),
                count(c.customers),
                format_percent(c.share, 1),
                c.detail.clone(),
            ])
        },
    );
    let words = MatrixWords {
        satisfaction: Text::LyAxisSatisfaction.get(lang).into(),
        loyalty: Text::LyAxisLoyalty.get(lang).into(),
        low: Text::LyAxisLow.get(lang).into(),
        high: Text::LyAxisHigh.get(lang).into(),
    };
    Some(Figure::new(
        name,
        Text::LyMatrixTitle.get(lang).into(),
        Text::DescLyMatrix.get(lang),
        None,
        table,
        render_matrix_svg(&cells, &words, style),
        lang,
    ))
}

/// The churn chart: a bar per level with a rate and its interval, the plain sentence as its
/// finding; `None` without behaviour figures.
pub fn churn_chart(
    analysis: &LoyaltyAnalysis,
    name: &'static str,
    style: &ChartStyle,
) -> Option<Figure> {
    let lang = style.lang;
    let b = analysis.behaviour.as_ref()?;
    let rated: Vec<_> = b.churn.iter().filter(|c| c.rate.is_some()).collect();
    let bars: Vec<ChurnBar> = rated
        .iter()
        .map(|c| ChurnBar {
            label: level_label(analysis.scale, c.level, lang),
            rate: c.rate.unwrap_or(0.0),
            low: c.low.unwrap_or(0.0),
            high: c.high.unwrap_or(0.0),
        })
        .collect();
    let table = rated.iter().fold(
        ChartTable::new([
            Text::LyLevel.get(lang),
            Text::Customers.get(lang),
            Text::LyChurnRate.get(lang),
            Text::LyInterval.get(lang),
        ]),
        |t, c| {
            t.row([
                level_label(analysis.scale, c.level, lang),
                count(c.customers),
                share(c.rate),
                interval_text(c.low, c.high),
            ])
        },
    );
    let words = ChurnWords {
        title: Text::LyChurnTitle.get(lang).into(),
        rate: Text::LyChurnRate.get(lang).into(),
        level: Text::LyLevel.get(lang).into(),
    };
    Some(Figure::new(
        name,
        Text::LyChurnTitle.get(lang).into(),
        Text::DescLyChurn.get(lang),
        churn_sentence(analysis, lang),
        table,
        render_churn_svg(&bars, &words, style),
        lang,
    ))
}

/// The lapse rule used for the churn figures.
pub fn churn_rule(analysis: &LoyaltyAnalysis, lang: Lang) -> Option<String> {
    let days = analysis.behaviour.as_ref()?.lapse_days?;
    Some(sentence(Text::LyChurnRule.get(lang), &[days.to_string()]))
}

/// Churn per level as a CSV (raw rates and bounds).
pub fn churn_csv(analysis: &LoyaltyAnalysis, file: &str, lang: Lang) -> Csv {
    let mut header = header(
        &[
            Text::LyLevel,
            Text::Customers,
            Text::LyLapsed,
            Text::LyChurnRate,
        ],
        lang,
    );
    header.push(format!("{} low", Text::LyInterval.get(lang)));
    header.push(format!("{} high", Text::LyInterval.get(lang)));
    let rows = analysis
        .behaviour
        .as_ref()
        .map(|b| {
            b.churn
                .iter()
                .map(|c| {
                    vec![
                        level_label(analysis.scale, c.level, lang),
                        c.customers.to_string(),
                        c.lapsed.to_string(),
                        optional(c.rate),
                        optional(c.low),
                        optional(c.high),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    Csv {
        file: file.into(),
        header,
        rows,
    }
}

/// What a group table is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// RFM segments (English names as keys).
    Segment,
    /// Sales deciles 1–10.
    Decile,
}

/// NPS and mean satisfaction per group: key, respondents, promoters, passives, detractors,
/// NPS, mean satisfaction. Segment names are shown as the engine has them (the RFM view's
/// names in the user's language come from the rule table).
pub fn group_rows(groups: &[GroupFigures], by: GroupBy, lang: Lang) -> Table {
    let first = match by {
        GroupBy::Segment => Text::LySegment,
        GroupBy::Decile => Text::LyDecile,
    };
    let mut table = Table::new(
        [
            (first, false),
            (Text::LyRespondents, true),
            (Text::LyPromoters, true),
            (Text::LyPassives, true),
            (Text::LyDetractors, true),
            (Text::LyNps, true),
            (Text::LyMeanSatisfaction, true),
        ]
        .map(|(t, numeric)| (t.get(lang).to_string(), numeric)),
    );
    for g in groups {
        table.push([
            g.key.clone(),
            count(g.respondents),
            count(g.nps.promoters),
            count(g.nps.passives),
            count(g.nps.detractors),
            nps_display(&g.nps),
            g.mean_satisfaction
                .map_or_else(|| "–".into(), |m| format_number(m, 2)),
        ]);
    }
    table
}

/// NPS and mean satisfaction per RFM segment ([`group_rows`]) with the segments named as the
/// rule table names them in `lang` (`Other` as 其他 / Other).
pub fn segment_rows(analysis: &LoyaltyAnalysis, rfm: &RfmAnalysis, lang: Lang) -> Table {
    let Some(b) = &analysis.behaviour else {
        return group_rows(&[], GroupBy::Segment, lang);
    };
    let named: Vec<GroupFigures> = b
        .by_segment
        .iter()
        .map(|g| {
            let summary = rfm
                .segmentation
                .segments
                .iter()
                .find(|s| s.name_en == g.key);
            let key = match (summary, lang) {
                (Some(s), Lang::Zh) if !s.name_zh.is_empty() => s.name_zh.clone(),
                _ => g.key.clone(),
            };
            GroupFigures {
                key: isolated(&key, ID_CHARS),
                ..g.clone()
            }
        })
        .collect();
    group_rows(&named, GroupBy::Segment, lang)
}

/// The respondents not found in the orders (ids, cut and isolated), the first [`LISTED`],
/// and how many more.
pub fn unmatched_ids(analysis: &LoyaltyAnalysis, survey: &Survey) -> (Vec<String>, usize) {
    let Some(join) = &analysis.join else {
        return (Vec::new(), 0);
    };
    let listed = join
        .unmatched
        .iter()
        .take(LISTED)
        .filter_map(|&k| survey.respondents.get(k))
        .map(|r| isolated(&r.id, ID_CHARS))
        .collect();
    (listed, join.unmatched.len().saturating_sub(LISTED))
}

/// Every respondent not found in the orders, with its answers, as a CSV.
pub fn unmatched_csv(analysis: &LoyaltyAnalysis, survey: &Survey, file: &str, lang: Lang) -> Csv {
    let header = header(
        &[
            Text::CustomerId,
            Text::LyLevel,
            Text::LyRecommend,
            Text::LyIntent,
        ],
        lang,
    );
    let rows = analysis
        .join
        .as_ref()
        .map(|join| {
            join.unmatched
                .iter()
                .filter_map(|&k| survey.respondents.get(k))
                .map(|r| {
                    vec![
                        r.id.clone(),
                        optional(r.satisfaction),
                        optional(r.recommend),
                        r.intent.map(|i| i.as_str().to_string()).unwrap_or_default(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    Csv {
        file: file.into(),
        header,
        rows,
    }
}

/// The survey rows not read, one message each (line, column, reason, value), in `lang`.
pub fn rejected_messages(survey: &Survey, lang: Lang) -> Vec<String> {
    survey
        .rejected
        .iter()
        .map(|e| row_error_text(e, lang))
        .collect()
}

/// The report's sentence: the NPS and, with churn figures, the churn by satisfaction.
pub fn report_summary(analysis: &LoyaltyAnalysis, lang: Lang) -> String {
    let respondents = count(analysis.nps.respondents);
    let nps = nps_display(&analysis.nps);
    match churn_items(analysis, lang) {
        Some(items) => sentence(Text::LyReportSummary.get(lang), &[respondents, nps, items]),
        None => sentence(Text::LyReportNps.get(lang), &[respondents, nps]),
    }
}

/// The report's method note: scale, duplicates, loyalty rule and lapse threshold.
pub fn method_note(analysis: &LoyaltyAnalysis, survey: &Survey, lang: Lang) -> Note {
    let config = &analysis.config;
    Note {
        label: Text::LyTitle.get(lang).to_string(),
        value: sentence(
            Text::LyReportNote.get(lang),
            &[
                scale_text(analysis.scale).get(lang).to_string(),
                combine_text(survey.combine).get(lang).to_string(),
                config.loyal_min_orders.to_string(),
                config.loyal_min_tenure_days.to_string(),
                analysis
                    .behaviour
                    .as_ref()
                    .and_then(|b| b.lapse_days)
                    .map_or_else(|| "–".into(), |d| d.to_string()),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lifecycle::LifecycleConfig;
    use crate::engine::loyalty::{analyse_loyalty, Orders};
    use crate::engine::survey::{import_survey, SurveyOptions};
    use crate::engine::test_support::survey_orders as orders;

    const GBK: &[u8] = include_bytes!("../../tests/fixtures/survey/satisfaction_gbk.csv");

    /// The hand-checked fixture with a 60-day lapse threshold and long-term from 120 days.
    fn analysed() -> (LoyaltyAnalysis, Survey, CustomerTable) {
        let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
        let (table, history) = orders();
        let config = LoyaltyConfig {
            lifecycle: LifecycleConfig {
                lapse_days: Some(60),
                ..LifecycleConfig::default()
            },
            long_term_days: 120,
            ..LoyaltyConfig::default()
        };
        let orders = Orders {
            table: &table,
            history: &history,
            rfm: None,
        };
        let analysis = analyse_loyalty(&survey, Some(orders), &config).unwrap();
        (analysis, survey, table)
    }

    fn data(table: &CellTable) -> Vec<(String, String)> {
        table
            .rows
            .iter()
            .flatten()
            .filter_map(|c| c.data.as_ref())
            .map(|d| (d.metric.clone(), d.raw()))
            .collect()
    }

    #[test]
    fn headline_figures_carry_the_contract_names() {
        let (analysis, _, _) = analysed();
        let metrics = headline(&analysis, Lang::En);
        let names: Vec<&str> = metrics.iter().map(|m| m.name).collect();
        assert_eq!(names, ["survey_rows", "survey_matched", "nps"]);
        assert_eq!(metrics[0].raw(), "16");
        assert_eq!(metrics[1].raw(), "10");
        assert_eq!(
            metrics[1].note.as_deref(),
            Some("Match rate 83.3% (10 of 12 respondents)")
        );
        assert_eq!(metrics[2].display, "-16.7");
        assert_eq!(metrics[2].tone, Some("warn"));
        assert_eq!(
            metrics[2].note.as_deref(),
            Some("4 promoters, 2 passives, 6 detractors (of 12)")
        );
    }

    #[test]
    fn the_plain_churn_sentence_in_both_languages() {
        let (analysis, _, _) = analysed();
        assert_eq!(
            churn_sentence(&analysis, Lang::Zh).unwrap(),
            "评价“非常不满意”的客户流失率为 100%（n = 1），“不满意”的客户 50%（n = 2），\
             “一般”的客户 67%（n = 3），“满意”的客户 0%（n = 2），“非常满意”的客户 0%（n = 2）。"
        );
        assert_eq!(
            churn_sentence(&analysis, Lang::En).unwrap(),
            "customers who rated Very dissatisfied churned at 100% (n = 1), Dissatisfied at 50% \
             (n = 2), Neutral at 67% (n = 3), Satisfied at 0% (n = 2), Very satisfied at 0% (n = 2)."
        );
    }

    #[test]
    fn tables_carry_the_contract_figures() {
        let (analysis, _, _) = analysed();
        let matrix = data(&matrix_rows(&analysis, Lang::Zh));
        assert_eq!(
            matrix,
            [
                ("loyalty_type:apostle", "2"),
                ("loyalty_type:loyalist", "1"),
                ("loyalty_type:hostage", "1"),
                ("loyalty_type:mercenary", "1"),
                ("loyalty_type:defector", "4"),
                ("loyalty_type:terrorist", "1"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let classes = data(&class_rows(&analysis, Lang::En));
        let counts: Vec<&str> = classes.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(counts, ["3", "3", "2", "2", "1", "1"]);
        assert_eq!(classes[0].0, "loyalty_class:1");
        let churn = data(&churn_rows(&analysis, Lang::En));
        assert!(churn.contains(&("churn_by_satisfaction_n:3".into(), "3".into())));
        assert!(churn.contains(&("churn_by_satisfaction:2".into(), "0.5".into())));
        let rows = matrix_rows(&analysis, Lang::Zh);
        assert_eq!(rows.rows[5][0].display, "恐惧分子");
        assert_eq!(rows.rows[0][6].display, Text::LyActApostle.get(Lang::Zh));
    }

    #[test]
    fn csvs_hold_every_customer_and_respondent() {
        let (analysis, survey, table) = analysed();
        let csv = customers_csv(&analysis, &table, "loyalty", Lang::En);
        assert_eq!(csv.rows.len(), 10);
        let c06 = csv.rows.iter().find(|r| r[0] == "C06").unwrap();
        assert_eq!(c06.join(","), "C06,1,3,163,122,yes,no,1,1500,terrorist,yes");
        let unmatched = unmatched_csv(&analysis, &survey, "unmatched", Lang::En);
        let ids: Vec<&str> = unmatched.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids, ["P01", "P02"]);
        assert_eq!(
            unmatched_ids(&analysis, &survey),
            (vec!["P01".to_string(), "P02".into()], 0)
        );
        let churn = churn_csv(&analysis, "churn", Lang::En);
        assert_eq!(churn.rows[2][..4], ["Neutral", "3", "2", "0.666667"]);
    }

    #[test]
    fn facts_and_sentences_name_what_was_decided() {
        let (analysis, survey, _) = analysed();
        assert_eq!(
            scale_facts(&survey, Lang::En),
            "Satisfaction scale: five labels (very satisfied … very dissatisfied) (detected); \
             several responses of one customer: the latest by date."
        );
        assert_eq!(
            match_sentence(&analysis, Lang::En).unwrap(),
            "10 of the 12 respondents (83.3%) were found in the orders; 2 are not customers in \
             the orders (prospects or wrong ids), and 0 customers did not answer."
        );
        let names: Vec<&str> = notices(&analysis, Lang::Zh)
            .iter()
            .map(|n| n.name)
            .collect();
        assert_eq!(names, ["high-value-terrorists"]);
        assert_eq!(
            rejected_messages(&survey, Lang::Zh)[1],
            "第 17 行，列“客户编号”：单元格为空"
        );
        let summary = report_summary(&analysis, Lang::En);
        assert!(
            summary.starts_with("The NPS of the 12 respondents is -16.7; customers who rated"),
            "{summary}"
        );
        assert!(summary.ends_with("(n = 2)."), "{summary}");
        let note = method_note(&analysis, &survey, Lang::Zh);
        assert!(note.value.contains("流失阈值 60 天"), "{}", note.value);
        assert_eq!(level_label(Scale::ZeroToTen, 7, Lang::Zh), "7");
        assert!(class_rule(1, &analysis.config, Lang::En).contains("at least 120 days"));
    }

    #[test]
    fn the_churn_chart_and_its_table() {
        let (analysis, _, _) = analysed();
        let figure = churn_chart(&analysis, "churn", &ChartStyle::new(Lang::Zh)).unwrap();
        assert!(figure.svg.as_ref().unwrap().contains("<svg"));
        assert!(
            figure.desc.contains("“一般”的客户 67%（n = 3）"),
            "{}",
            figure.desc
        );
        let survey = import_survey(
            include_bytes!("../../tests/fixtures/survey/nps_en.csv"),
            &SurveyOptions::default(),
        )
        .unwrap();
        let alone = analyse_loyalty(&survey, None, &LoyaltyConfig::default()).unwrap();
        assert!(churn_chart(&alone, "churn", &ChartStyle::new(Lang::En)).is_none());
        assert_eq!(
            report_summary(&alone, Lang::En),
            "The NPS of the 6 respondents is 0.0."
        );
        let names: Vec<&str> = notices(&alone, Lang::En).iter().map(|n| n.name).collect();
        assert_eq!(names, ["survey-alone"]);
        let metrics: Vec<&str> = headline(&alone, Lang::En).iter().map(|m| m.name).collect();
        assert_eq!(metrics, ["survey_rows", "nps"]);
    }

    #[test]
    fn segment_names_follow_the_language() {
        use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
        let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
        let (table, history) = orders();
        let rfm = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
        let orders = Orders {
            table: &table,
            history: &history,
            rfm: Some(&rfm),
        };
        let analysis = analyse_loyalty(&survey, Some(orders), &LoyaltyConfig::default()).unwrap();
        let zh = segment_rows(&analysis, &rfm, Lang::Zh);
        let en = segment_rows(&analysis, &rfm, Lang::En);
        assert_eq!(zh.rows.len(), rfm.segmentation.segments.len());
        for ((z, e), s) in zh.rows.iter().zip(&en.rows).zip(&rfm.segmentation.segments) {
            assert_eq!(z[0], s.name_zh);
            assert_eq!(e[0], s.name_en);
        }
    }

    #[test]
    fn the_mapping_shows_each_role_with_its_confidence() {
        let (_, survey, _) = analysed();
        let table = mapping_rows(&survey, Lang::Zh);
        assert_eq!(table.rows[0], ["客户", "客户编号", "100%", "列名完全匹配"]);
        assert_eq!(
            table.rows[2],
            ["推荐意愿", "推荐意愿", "100%", "列名完全匹配"]
        );
        let nps = import_survey(
            include_bytes!("../../tests/fixtures/survey/nps_en.csv"),
            &SurveyOptions::default(),
        )
        .unwrap();
        let table = mapping_rows(&nps, Lang::En);
        assert_eq!(
            table.rows[2],
            [
                "Likelihood to recommend",
                "Likelihood to recommend (0-10)",
                "85%",
                "header contains a name"
            ]
        );
        assert_eq!(table.rows[1], ["Satisfaction", "", "", ""]);
    }

    #[test]
    fn group_tables_by_decile() {
        let (analysis, _, _) = analysed();
        let b = analysis.behaviour.as_ref().unwrap();
        let table = group_rows(&b.by_decile, GroupBy::Decile, Lang::En);
        assert_eq!(table.rows.len(), 10);
        assert_eq!(table.rows[0], ["1", "1", "0", "0", "1", "-100.0", "1.00"]);
    }
}
