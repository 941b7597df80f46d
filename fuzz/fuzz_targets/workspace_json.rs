//! Arbitrary text through the workspace reader, as a file the user opens or the session the
//! page restores at load: `Workspace::from_json`, then, for a workspace it accepts, the rebuild
//! of the data and everything the views compute from it (the month series, deciles, RFM, the
//! SWOT comparison, and the lifecycle analysis on the purchase days the base workspace carries).
//! Nothing may panic, and a workspace `from_json` accepted must rebuild.
//!
//! The first input byte picks the mode. Odd: the rest is the whole file. Even: the rest edits a
//! valid workspace with data (the sample orders and SWOT boards): two bytes give a position in
//! it, one byte how many bytes to cut there, and the remaining bytes are put in their place, so
//! the fuzzer reaches the checks of every field instead of stopping at the JSON syntax.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use valuelens::engine::monthly::monthly_sales;
use valuelens::engine::deciles::analyse_deciles;
use valuelens::engine::ingest::{import_bytes, InspectOptions};
use valuelens::engine::lifecycle::{analyse_lifecycle, LifecycleConfig};
use valuelens::engine::rfm::analyse_rfm;
use valuelens::engine::sample::{sample_csv, SampleLanguage};
use valuelens::engine::swot::{comparison, Quadrant, Workbench};
use valuelens::engine::workspace::{Workspace, WorkspaceData};

/// A valid workspace with data, as saved.
fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let csv = sample_csv(SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default())
            .expect("the sample imports");
        let mut swot = Workbench::default();
        let us = swot.us.id;
        let item = swot
            .add_item(us, Quadrant::Strengths, "brand", 8.0)
            .expect("a valid item");
        swot.set_scores(item, &[8.0, 9.0]).expect("valid scores");
        let workspace = Workspace {
            settings: Some(outcome.report.settings.clone()),
            swot,
            data: Some(WorkspaceData::from_outcome("sample.csv", &outcome)),
            ..Workspace::default()
        };
        workspace.to_json().expect("a valid workspace saves")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let text = if control % 2 == 1 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let [a, b, cut, insert @ ..] = rest else {
            return;
        };
        let mut bytes = base().as_bytes().to_vec();
        let at = usize::from(u16::from_le_bytes([*a, *b])) * bytes.len() / 65_536;
        let end = (at + usize::from(*cut)).min(bytes.len());
        bytes.splice(at..end, insert.iter().copied());
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let Ok(workspace) = Workspace::from_json(&text) else {
        return;
    };
    let _ = comparison(&workspace.swot);
    let Some(data) = workspace.data else {
        return;
    };
    let (_, outcome) = data
        .into_outcome()
        .expect("a workspace from_json accepted rebuilds");
    let _ = monthly_sales(&outcome.table);
    let _ = analyse_deciles(&outcome.table, &workspace.decile_config);
    let _ = analyse_rfm(&outcome.table, &workspace.rfm_config, &workspace.rfm_rules);
    if let Some(history) = outcome.purchase_history() {
        let _ = analyse_lifecycle(&outcome.table, history, &LifecycleConfig::default());
    }
});
