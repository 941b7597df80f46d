//! Property tests of the workspace reader (native only: proptest does not build for wasm32).
//!
//! A valid workspace with data (orders with dates, profit, quantity, a return and a rejected
//! row; SWOT boards with weights and several respondents) is saved as JSON; then one node of
//! the document — any field, at any depth, including the customer columns, the months and the
//! SWOT boards — is replaced by an arbitrary JSON value (numbers at the edges of every type,
//! texts, arrays, objects, null, booleans, nested) or repeated into a long array. Reading it
//! back ([`Workspace::from_json`]), rebuilding the data ([`WorkspaceData::into_outcome`]) and,
//! when that succeeds, running the analyses on it (the lifecycle analysis on its purchase days,
//! which the document carries too) must give `Ok` or a typed error, never a panic, within
//! [`TIME_BOUND`].
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde_json::{json, Value};

use valuelens::charts::monthly::render_monthly_sales_svg;
use valuelens::charts::ChartStyle;
use valuelens::engine::deciles::analyse_deciles;
use valuelens::engine::ingest::{import_bytes, InspectOptions};
use valuelens::engine::lifecycle::{analyse_lifecycle, LifecycleConfig};
use valuelens::engine::monthly::monthly_sales;
use valuelens::engine::rfm::analyse_rfm;
use valuelens::engine::summary::summarize;
use valuelens::engine::swot::{board_totals, comparison, Quadrant, Workbench};
use valuelens::engine::workspace::{Workspace, WorkspaceData};
use valuelens::i18n::Lang;

/// How long reading, rebuilding and analysing one edited workspace may take (debug build). Not a
/// speed target (those live in the benchmarks): a guard against work that grows without bound
/// with a hostile value, set well above what a loaded 2-core machine takes for the largest
/// repetition (about 2 s while other builds ran), so that only such growth trips it.
const TIME_BOUND: Duration = Duration::from_secs(10);

const ORDERS: &str = "customer,order,date,amount,profit,quantity\n\
                      C1,O1,2023-12-30,100,10,1\n\
                      C1,O2,2024-01-05,250.5,30,2\n\
                      C1,O2,2024-01-05,-20,-2,1\n\
                      C2,O3,2024-03-07,80,8,\n\
                      C3,O4,2024-03-08,oops,1,1\n\
                      C4,O5,2025-06-01,1e6,1e5,3\n";

/// The valid document every case edits.
fn base() -> Value {
    let outcome = import_bytes(ORDERS.as_bytes(), &InspectOptions::default()).unwrap();
    let mut swot = Workbench::default();
    let us = swot.us.id;
    let strength = swot.add_item(us, Quadrant::Strengths, "品牌", 8.0).unwrap();
    swot.set_scores(strength, &[8.0, 9.5, 7.0]).unwrap();
    swot.set_weight(strength, Some(0.3)).unwrap();
    swot.add_item(us, Quadrant::Threats, "price war", 6.0)
        .unwrap();
    let rival = swot.competitors[0].id;
    swot.add_item(rival, Quadrant::Weaknesses, "slow", 4.0)
        .unwrap();
    let workspace = Workspace {
        saved_at: "2024-05-01T10:00:00Z".into(),
        settings: Some(outcome.report.settings.clone()),
        swot,
        data: Some(WorkspaceData::from_outcome("orders.csv", &outcome)),
        ..Workspace::default()
    };
    let text = workspace.to_json().unwrap();
    assert!(
        Workspace::from_json(&text).is_ok(),
        "the base document is valid"
    );
    serde_json::from_str(&text).unwrap()
}

/// A step into a JSON document.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    At(usize),
}

/// Every node of `value` (the root included), as the steps to it.
fn paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                here.push(Step::Key(key.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Step::At(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(key) => &mut v[key.as_str()],
        Step::At(i) => &mut v[*i],
    })
}

/// Numbers at the edges of what the fields hold.
fn edge_numbers() -> impl Strategy<Value = Value> {
    select(vec![
        json!(0),
        json!(-1),
        json!(1),
        json!(i32::MIN),
        json!(i32::MAX),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u32::MAX),
        json!(u64::from(u32::MAX) + 1),
        json!(u64::MAX),
        json!(1e308),
        json!(-1e308),
        json!(1.7e308),
        json!(1e15),
        json!(1e15 + 1.0),
        json!(-1e15),
        json!(9_007_199_254_740_993_u64),
        json!(0.5),
        json!(-0.0),
        json!(5e-324),
        json!(2_932_896),
        json!(2_932_897),
        json!(-719_162),
        json!(-719_163),
        json!(24_287),
        json!(119_999),
    ])
}

/// Any JSON value, weighted towards the edges.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        edge_numbers(),
        edge_numbers(),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        select(vec!["", " ", "C1", "Us", "我方", "S", "2024-01-05"]).prop_map(Value::from),
        (1usize..3_000).prop_map(|n| Value::from("x".repeat(n))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What is done to the chosen node.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace it by this value.
    Replace(Value),
    /// Make it an array of this many copies of itself (of its first element, if an array).
    Repeat(usize),
}

fn edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => any_json().prop_map(Edit::Replace),
        1 => (2usize..25_000).prop_map(Edit::Repeat),
    ]
}

/// Reads, rebuilds and analyses a document (the results do not matter, only that it returns).
fn read_and_use(text: &str) {
    let Ok(workspace) = Workspace::from_json(text) else {
        return;
    };
    let _ = comparison(&workspace.swot);
    workspace.swot.boards().for_each(|b| {
        board_totals(b);
    });
    let Some(data) = workspace.data else {
        return;
    };
    let Ok((_, outcome)) = data.into_outcome() else {
        return;
    };
    summarize(&outcome.table, &outcome.report);
    // The month series is sized by the span of the months: i32::MIN to i32::MAX was a
    // "capacity overflow" in wasm (issue 18, item 4).
    let series = monthly_sales(&outcome.table);
    let _ = render_monthly_sales_svg(&series, &ChartStyle::new(Lang::En));
    let _ = analyse_deciles(&outcome.table, &workspace.decile_config);
    let _ = analyse_rfm(&outcome.table, &workspace.rfm_config, &workspace.rfm_rules);
    // The purchase days the workspace carries (issue 14), through the lifecycle analysis.
    if let Some(history) = outcome.purchase_history() {
        let _ = analyse_lifecycle(&outcome.table, history, &LifecycleConfig::default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_json_in_any_field_gives_ok_or_a_typed_error_in_time(
        at in any::<Index>(),
        edit in edits(),
    ) {
        let mut document = base();
        let mut all = Vec::new();
        paths(&document, &mut Vec::new(), &mut all);
        let path = at.get(&all).clone();
        let target = node(&mut document, &path);
        match &edit {
            Edit::Replace(value) => *target = value.clone(),
            Edit::Repeat(n) => {
                let one = match &*target {
                    Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
                    other => other.clone(),
                };
                *target = Value::Array(vec![one; *n]);
            }
        }
        let text = document.to_string();
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| read_and_use(&text)));
        let elapsed = started.elapsed();
        prop_assert!(outcome.is_ok(), "panicked at {path:?} with {edit:?}");
        prop_assert!(elapsed < TIME_BOUND, "took {elapsed:?} at {path:?} with {edit:?}");
    }
}

/// The edits the issue reported, through the same reader: extreme months, sums beyond f64 and
/// 20,000 competitors are typed errors, fast.
#[test]
fn the_reported_files_are_typed_errors_in_time() {
    let cases: [(&[&str], Value); 3] = [
        (
            &["data", "customers", "months"],
            json!([i32::MIN, 24_287, i32::MAX, 24_305]),
        ),
        (
            &["data", "customers", "month_sales"],
            json!(vec![1.7e308; 4]),
        ),
        (
            &["swot", "competitors"],
            Value::Array(
                (0..20_000)
                    .map(|k| json!({"id": 100 + k, "name": format!("R{k}"), "items": []}))
                    .collect(),
            ),
        ),
    ];
    for (path, value) in cases {
        let mut document = base();
        document["swot"]["next_id"] = json!(1_000_000);
        let steps: Vec<Step> = path.iter().map(|k| Step::Key(k.to_string())).collect();
        *node(&mut document, &steps) = value;
        let started = Instant::now();
        let result = Workspace::from_json(&document.to_string());
        assert!(
            matches!(result, Err(valuelens::engine::Error::Workspace(_))),
            "{path:?}: {result:?}"
        );
        assert!(started.elapsed() < TIME_BOUND);
    }
}
