//! The page's decile and RFM analyses computed in pieces, one a task, before their memos read
//! them (分片计算): at a million customers each analysis takes 250–400 ms of the page's thread at
//! once, a piece ([`DecileSteps::step`], [`RfmSteps::step`]) about 30 ms at most.
//!
//! A view's steps ([`crate::ui::components::view_parts::prepared`]) call [`step_deciles`] or
//! [`step_rfm`] until they return false, each call in a task of its own, then read the memo,
//! whose [`deciles`] or [`rfm`] finishes from the pieces computed (the same analysis to the bit
//! as computing it at once, which it does when no piece was computed for its data and
//! parameters). The pieces are kept for one data set and parameters at a time: the data set by
//! a weak pointer, so they never keep a replaced data set alive; once the memo has the analysis
//! the steps for the same data and parameters do nothing.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use crate::engine::deciles::{analyse_deciles, DecileAnalysis, DecileSteps, GroupConfig};
use crate::engine::error::Error;
use crate::engine::rfm::{analyse_rfm, RfmAnalysis, RfmConfig, RfmSteps, SegmentRules};
use crate::ui::state::LoadedData;

/// The pieces of one analysis: of which data and parameters, and the work (`None` once the
/// memo has the analysis, or when the parameters do not fit the data: the memo says why).
struct Entry<C, W> {
    data: Weak<LoadedData>,
    config: C,
    work: Option<W>,
}

impl<C: PartialEq, W> Entry<C, W> {
    fn is(&self, data: &Arc<LoadedData>, config: &C) -> bool {
        // The weak pointer keeps the allocation: no other data set can be at its address.
        std::ptr::eq(self.data.as_ptr(), Arc::as_ptr(data)) && self.config == *config
    }
}

type Slot<C, W> = RefCell<Option<Entry<C, W>>>;

thread_local! {
    static DECILES: Slot<GroupConfig, DecileSteps> = const { RefCell::new(None) };
    static RFM: Slot<(RfmConfig, SegmentRules), RfmSteps> = const { RefCell::new(None) };
}

/// The next piece of the work for `data` and `config` in `slot` (begun with `begin` when the
/// slot holds another's); false when none is left.
fn step_in<C: PartialEq + Clone, W>(
    slot: &Slot<C, W>,
    data: &Arc<LoadedData>,
    config: &C,
    begin: impl FnOnce() -> Option<W>,
    step: impl FnOnce(&mut W) -> bool,
) -> bool {
    let mut slot = slot.borrow_mut();
    if !slot.as_ref().is_some_and(|e| e.is(data, config)) {
        // Beginning is a piece of its own (the RFM's finds the dated customers: a pass).
        let work = begin();
        let begun = work.is_some();
        *slot = Some(Entry {
            data: Arc::downgrade(data),
            config: config.clone(),
            work,
        });
        return begun;
    }
    match slot.as_mut().and_then(|e| e.work.as_mut()) {
        Some(work) => step(work),
        None => false,
    }
}

/// The analysis of `data` and `config`: finished from the pieces in `slot` when they are of
/// them, else computed at once; the slot then says the memo has it.
fn finish_in<C: PartialEq + Clone, W, T>(
    slot: &Slot<C, W>,
    data: &Arc<LoadedData>,
    config: &C,
    finish: impl FnOnce(W) -> T,
    at_once: impl FnOnce() -> T,
) -> T {
    let work = {
        let mut slot = slot.borrow_mut();
        let work = match slot.as_mut() {
            Some(entry) if entry.is(data, config) => entry.work.take(),
            _ => None,
        };
        *slot = Some(Entry {
            data: Arc::downgrade(data),
            config: config.clone(),
            work: None,
        });
        work
    };
    match work {
        Some(work) => finish(work),
        None => at_once(),
    }
}

/// The next piece of the decile analysis of `data`'s table with `config`; false when none is
/// left.
pub fn step_deciles(data: &Arc<LoadedData>, config: &GroupConfig) -> bool {
    let table = &data.outcome.table;
    DECILES.with(|slot| {
        step_in(
            slot,
            data,
            config,
            || DecileSteps::new(table, config).ok(),
            |steps| steps.step(table),
        )
    })
}

/// The decile analysis of `data`'s table with `config` (what [`analyse_deciles`] gives).
pub fn deciles(data: &Arc<LoadedData>, config: &GroupConfig) -> Result<DecileAnalysis, Error> {
    let table = &data.outcome.table;
    DECILES.with(|slot| {
        finish_in(
            slot,
            data,
            config,
            |steps| steps.finish(table),
            || analyse_deciles(table, config),
        )
    })
}

/// The next piece of the RFM analysis of `data`'s table; false when none is left.
pub fn step_rfm(data: &Arc<LoadedData>, config: &RfmConfig, rules: &SegmentRules) -> bool {
    let table = &data.outcome.table;
    let key = (config.clone(), rules.clone());
    RFM.with(|slot| {
        step_in(
            slot,
            data,
            &key,
            || RfmSteps::new(table, config, rules).ok(),
            |steps| steps.step(table),
        )
    })
}

/// The RFM analysis of `data`'s table (what [`analyse_rfm`] gives).
pub fn rfm(
    data: &Arc<LoadedData>,
    config: &RfmConfig,
    rules: &SegmentRules,
) -> Result<RfmAnalysis, Error> {
    let table = &data.outcome.table;
    let key = (config.clone(), rules.clone());
    RFM.with(|slot| {
        finish_in(
            slot,
            data,
            &key,
            |steps| steps.finish(table),
            || analyse_rfm(table, config, rules),
        )
    })
}
