//! The page's decile and RFM analyses computed in pieces, one a task, before their memos read
//! them (分片计算): at a million customers each analysis takes 250–400 ms of the page's thread at
//! once, a piece ([`DecileSteps::step`], [`RfmSteps::step`]) about 30 ms at most. So are every
//! customer's sales decile, which the breakdowns cut by ([`step_sales_deciles`]), and the product
//! mixes ([`step_mix`]: several are kept, the views' and the report's), and the profiles
//! ([`step_profiles`]), and the loyalty analysis of a survey joined to the orders
//! ([`step_loyalty`]: at ten million rows and 200,000 responses it took a second at once).
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

use crate::engine::calendar::Day;
use crate::engine::customers::CustomerTable;
use crate::engine::deciles::{
    analyse_deciles, analyse_deciles_within, CustomerDecileSteps, DecileAnalysis, DecileBasis,
    DecileSteps, DecileWithinSteps, GroupConfig,
};
use crate::engine::dimensions::filter::Subset;
use crate::engine::dimensions::{
    sales_deciles as cut_sales_deciles, LineAttribute, MixSteps, ProductMix,
};
use crate::engine::dimensions::{
    Attribute, Breakdown, BreakdownConfig, BreakdownSteps, CustomerAttributes,
};
use crate::engine::error::Error;
use crate::engine::loyalty::{
    analyse_loyalty, LoyaltyAnalysis, LoyaltyBase, LoyaltyConfig, LoyaltySteps, Orders,
};
use crate::engine::profiles::{analyse_profiles, ProfileConfig, ProfileSteps, Profiles};
use crate::engine::rfm::{
    analyse_rfm, RfmAnalysis, RfmConfig, RfmScores, RfmSteps, SegmentRules, Segmentation,
};
use crate::engine::survey::Survey;
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
    /// A filter's chosen customers' deciles under the whole table's scores.
    static WITHIN: Slot<(GroupConfig, Chosen), DecileWithinSteps> = const { RefCell::new(None) };
    static RFM: Slot<(RfmConfig, SegmentRules), RfmSteps> = const { RefCell::new(None) };
    /// The last RFM analysis finished: a filter that keeps the global scores reads the whole
    /// table's again (its memo dropped it when the population changed), which is seconds' worth
    /// of pieces at ten million rows.
    static RFM_DONE: Slot<(RfmConfig, SegmentRules), Result<Arc<RfmAnalysis>, Error>> = const { RefCell::new(None) };
    static SALES_DECILES: Slot<(), CustomerDecileSteps> = const { RefCell::new(None) };
    /// The last sales deciles finished (a filter that keeps the global scores reads the whole
    /// table's).
    static SALES_DONE: Slot<(), Result<Arc<Vec<u8>>, Error>> = const { RefCell::new(None) };
    static MIXES: RefCell<Vec<MixEntry>> = const { RefCell::new(Vec::new()) };
    static BREAKDOWNS: RefCell<Vec<BreakdownEntry>> = const { RefCell::new(Vec::new()) };
    static PROFILES: Slot<(ProfileConfig, Attributes), ProfileSteps> = const { RefCell::new(None) };
    /// The last profiles finished (the view's and the report's are the same).
    static PROFILES_DONE: Slot<(ProfileConfig, Attributes), Result<Arc<Profiles>, Error>> = const { RefCell::new(None) };
    static LOYALTY: Slot<LoyaltyKey, LoyaltySteps> = const { RefCell::new(None) };
    /// The last loyalty base made (what the rules do not change): an edited rule begins from
    /// it.
    static LOYALTY_BASE: Slot<BaseKey, Arc<LoyaltyBase>> = const { RefCell::new(None) };
}

/// A filter's chosen customers, compared by pointer (the weak pointer keeps the allocation,
/// not the customers).
#[derive(Clone)]
struct Chosen(Weak<Subset>);

impl PartialEq for Chosen {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0.as_ptr(), other.0.as_ptr())
    }
}

/// Attributes compared by pointer (the loaded data's, or a master file's joined onto them).
#[derive(Clone)]
struct Attributes(Weak<CustomerAttributes>);

impl PartialEq for Attributes {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0.as_ptr(), other.0.as_ptr())
    }
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

/// The next piece of the decile analysis of `subset`'s chosen customers in `data`'s table
/// under the whole table's scores (a filter that keeps them), `chosen` their own table; false
/// when none is left.
pub fn step_deciles_within(
    data: &Arc<LoadedData>,
    subset: &Arc<Subset>,
    chosen: &CustomerTable,
    config: &GroupConfig,
) -> bool {
    let table = &data.outcome.table;
    let key = (config.clone(), Chosen(Arc::downgrade(subset)));
    WITHIN.with(|slot| {
        step_in(
            slot,
            data,
            &key,
            || DecileWithinSteps::new(table, &subset.indices, chosen, config).ok(),
            |steps| steps.step(table, chosen),
        )
    })
}

/// The decile analysis of `subset`'s chosen customers in `data`'s table, `chosen` their own
/// table (what [`analyse_deciles_within`] gives), finished from the pieces computed.
pub fn deciles_within(
    data: &Arc<LoadedData>,
    subset: &Arc<Subset>,
    chosen: &CustomerTable,
    config: &GroupConfig,
) -> Result<DecileAnalysis, Error> {
    let table = &data.outcome.table;
    let key = (config.clone(), Chosen(Arc::downgrade(subset)));
    WITHIN.with(|slot| {
        finish_in(
            slot,
            data,
            &key,
            |steps| steps.finish(table, &subset.indices, chosen),
            || analyse_deciles_within(table, &subset.indices, chosen, config),
        )
    })
}

/// The next piece of the RFM analysis of `data`'s table; false when none is left.
pub fn step_rfm(data: &Arc<LoadedData>, config: &RfmConfig, rules: &SegmentRules) -> bool {
    let table = &data.outcome.table;
    let key = (config.clone(), rules.clone());
    if kept(&RFM_DONE, data, &key).is_some() {
        return false;
    }
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

/// The RFM analysis of `data`'s table (what [`analyse_rfm`] gives), kept for the next call.
pub fn rfm(
    data: &Arc<LoadedData>,
    config: &RfmConfig,
    rules: &SegmentRules,
) -> Result<Arc<RfmAnalysis>, Error> {
    let table = &data.outcome.table;
    let key = (config.clone(), rules.clone());
    if let Some(kept) = kept(&RFM_DONE, data, &key) {
        return kept;
    }
    let made = RFM
        .with(|slot| {
            finish_in(
                slot,
                data,
                &key,
                |steps| steps.finish(table),
                || analyse_rfm(table, config, rules),
            )
        })
        .map(Arc::new);
    keep(&RFM_DONE, data, key, made.clone());
    made
}

/// What `slot` keeps for `data` and `config`, if it is theirs (a slot of a data set gone is
/// emptied).
fn kept<C: PartialEq, T: Clone>(
    slot: &'static std::thread::LocalKey<Slot<C, T>>,
    data: &Arc<LoadedData>,
    config: &C,
) -> Option<T> {
    slot.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.as_ref().is_some_and(|e| e.data.strong_count() == 0) {
            *slot = None;
        }
        slot.as_ref()
            .filter(|e| e.is(data, config))
            .and_then(|e| e.work.clone())
    })
}

/// Keeps `made` in `slot` for `data` and `config`.
fn keep<C, T>(
    slot: &'static std::thread::LocalKey<Slot<C, T>>,
    data: &Arc<LoadedData>,
    config: C,
    made: T,
) {
    slot.with(|slot| {
        *slot.borrow_mut() = Some(Entry {
            data: Arc::downgrade(data),
            config,
            work: Some(made),
        });
    });
}

/// The next piece of every customer's sales decile in `data`'s table
/// ([`CustomerDecileSteps`]); false when none is left.
pub fn step_sales_deciles(data: &Arc<LoadedData>) -> bool {
    let table = &data.outcome.table;
    if kept(&SALES_DONE, data, &()).is_some() {
        return false;
    }
    SALES_DECILES.with(|slot| {
        step_in(
            slot,
            data,
            &(),
            || CustomerDecileSteps::new(table, DecileBasis::Sales).ok(),
            |steps| steps.step(table),
        )
    })
}

/// Every customer's sales decile in `data`'s table (what
/// [`crate::engine::dimensions::sales_deciles`] gives), kept for the next call.
pub fn sales_deciles(data: &Arc<LoadedData>) -> Result<Arc<Vec<u8>>, Error> {
    let table = &data.outcome.table;
    if let Some(kept) = kept(&SALES_DONE, data, &()) {
        return kept;
    }
    let made = SALES_DECILES
        .with(|slot| {
            finish_in(
                slot,
                data,
                &(),
                |steps| steps.finish(table),
                || cut_sales_deciles(table),
            )
        })
        .map(Arc::new);
    keep(&SALES_DONE, data, (), made.clone());
    made
}

/// Product mixes or breakdowns kept (the deciles view's, the RFM view's and the report's of
/// two attributes); the oldest is dropped.
const KEPT: usize = 6;

/// Work of one data set and key (its other inputs, each by pointer: weak, so that nothing
/// replaced is kept alive), in pieces or done.
struct KeptEntry<K, S, T> {
    data: Weak<LoadedData>,
    key: K,
    work: Work<S, T>,
}

enum Work<S, T> {
    Steps(Box<S>),
    Done(Result<Arc<T>, Error>),
}

/// The entry of `data` and `key` in `list`, last (begun with `begin` when there is none,
/// dropping the oldest beyond [`KEPT`]), and whether it was begun now.
fn kept_entry<'l, K: PartialEq, S, T>(
    list: &'l mut Vec<KeptEntry<K, S, T>>,
    data: &Arc<LoadedData>,
    key: K,
    begin: impl FnOnce() -> Result<S, Error>,
) -> Option<(&'l mut KeptEntry<K, S, T>, bool)> {
    list.retain(|e| e.data.strong_count() > 0);
    let found = list
        .iter()
        .position(|e| std::ptr::eq(e.data.as_ptr(), Arc::as_ptr(data)) && e.key == key);
    let begun = match found {
        Some(at) => {
            let entry = list.remove(at);
            list.push(entry);
            false
        }
        None => {
            let work = match begin() {
                Ok(steps) => Work::Steps(Box::new(steps)),
                Err(error) => Work::Done(Err(error)),
            };
            if list.len() >= KEPT {
                list.remove(0);
            }
            list.push(KeptEntry {
                data: Arc::downgrade(data),
                key,
                work,
            });
            true
        }
    };
    list.last_mut().map(|entry| (entry, begun))
}

/// The next piece of the entry's work (begun now, a piece of its own, when there was none);
/// false when none is left.
fn step_kept<K: PartialEq, S, T>(
    list: &mut Vec<KeptEntry<K, S, T>>,
    data: &Arc<LoadedData>,
    key: K,
    begin: impl FnOnce() -> Result<S, Error>,
    step: impl FnOnce(&mut S) -> bool,
) -> bool {
    let Some((entry, begun)) = kept_entry(list, data, key, begin) else {
        return false;
    };
    begun
        || match &mut entry.work {
            Work::Steps(steps) => step(steps),
            Work::Done(_) => false,
        }
}

/// The entry's result: finished from its pieces (computed at once when none was), and kept.
fn finish_kept<K: PartialEq, S, T>(
    list: &mut Vec<KeptEntry<K, S, T>>,
    data: &Arc<LoadedData>,
    key: K,
    begin: impl FnOnce() -> Result<S, Error>,
    finish: impl FnOnce(S) -> Result<T, Error>,
) -> Result<Arc<T>, Error> {
    let Some((entry, _)) = kept_entry(list, data, key, begin) else {
        return Err(Error::NoData);
    };
    let work = std::mem::replace(&mut entry.work, Work::Done(Err(Error::NoData)));
    let done = match work {
        Work::Steps(steps) => finish(*steps).map(Arc::new),
        Work::Done(done) => done,
    };
    entry.work = Work::Done(done.clone());
    done
}

/// What a product mix is of, besides its data set: the line attribute's key, the RFM analysis
/// and the deciles.
#[derive(PartialEq)]
struct MixKey {
    line: String,
    rfm: Ptr<RfmAnalysis>,
    deciles: Ptr<Vec<u8>>,
}

/// An optional input compared by pointer (weak: it keeps the allocation, not the value).
struct Ptr<T>(Option<Weak<T>>);

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        Ptr(self.0.clone())
    }
}

impl<T> Ptr<T> {
    fn of(given: Option<&Arc<T>>) -> Self {
        Ptr(given.map(Arc::downgrade))
    }

    /// Given, and dropped since.
    fn is_gone(&self) -> bool {
        self.0.as_ref().is_some_and(|w| w.strong_count() == 0)
    }
}

impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => std::ptr::eq(a.as_ptr(), b.as_ptr()),
            _ => false,
        }
    }
}

type MixEntry = KeptEntry<MixKey, MixSteps, ProductMix>;

/// What a product mix is of.
pub struct MixOf<'a> {
    /// The data set (the population the deciles are of).
    pub data: &'a Arc<LoadedData>,
    /// The line attribute, of `data`.
    pub line: &'a LineAttribute,
    /// The RFM analysis of `data` (the segments' rows), if any.
    pub rfm: Option<&'a Arc<RfmAnalysis>>,
    /// Every customer's sales decile ([`sales_deciles`], or a filter's kept deciles).
    pub deciles: &'a Arc<Vec<u8>>,
}

impl MixOf<'_> {
    fn key(&self) -> MixKey {
        MixKey {
            line: self.line.key.clone(),
            rfm: Ptr::of(self.rfm),
            deciles: Ptr::of(Some(self.deciles)),
        }
    }

    fn begin(&self) -> Result<MixSteps, Error> {
        let table = &self.data.outcome.table;
        let scored = self.rfm.map(|r| (&r.scores, &r.segmentation));
        MixSteps::new(table, self.line, self.deciles, scored)
    }
}

/// The next piece of the product mix `of` ([`MixSteps`]); false when none is left.
pub fn step_mix(of: &MixOf<'_>) -> bool {
    MIXES.with(|mixes| {
        let begin = || of.begin();
        step_kept(&mut mixes.borrow_mut(), of.data, of.key(), begin, |steps| {
            steps.step(of.line)
        })
    })
}

/// The product mix `of`: finished from its pieces (computed at once when none was), and kept.
pub fn mix(of: &MixOf<'_>) -> Result<Arc<ProductMix>, Error> {
    MIXES.with(|mixes| {
        let begin = || of.begin();
        finish_kept(&mut mixes.borrow_mut(), of.data, of.key(), begin, |steps| {
            steps.finish(of.line)
        })
    })
}

/// What a breakdown is of, besides its data set: the attributes and the attribute's key, the
/// RFM analysis (segments) and the deciles.
#[derive(PartialEq)]
struct BreakdownKey {
    attributes: Ptr<CustomerAttributes>,
    attribute: String,
    rfm: Ptr<RfmAnalysis>,
    deciles: Ptr<Vec<u8>>,
}

type BreakdownEntry = KeptEntry<BreakdownKey, BreakdownSteps, Breakdown>;

/// What a breakdown is of.
pub struct BreakdownOf<'a> {
    /// The data set (the population the deciles are of).
    pub data: &'a Arc<LoadedData>,
    /// Its customer attributes (the loaded data's, or with a master file's joined).
    pub attributes: &'a Arc<CustomerAttributes>,
    /// The attribute's key.
    pub key: &'a str,
    /// The RFM analysis of `data` (the segment × value table), if any.
    pub rfm: Option<&'a Arc<RfmAnalysis>>,
    /// Every customer's sales decile (the decile × value table), if any.
    pub deciles: Option<&'a Arc<Vec<u8>>>,
}

impl BreakdownOf<'_> {
    fn key(&self) -> BreakdownKey {
        BreakdownKey {
            attributes: Ptr::of(Some(self.attributes)),
            attribute: self.key.to_string(),
            rfm: Ptr::of(self.rfm),
            deciles: Ptr::of(self.deciles),
        }
    }

    fn scored(&self) -> Option<(&RfmScores, &Segmentation)> {
        self.rfm.map(|r| (&r.scores, &r.segmentation))
    }

    fn attribute(&self) -> Result<&Attribute, Error> {
        self.attributes.get(self.key).ok_or(Error::NoData)
    }

    fn begin(&self) -> Result<BreakdownSteps, Error> {
        let table = &self.data.outcome.table;
        let deciles = self.deciles.map(|d| d.as_slice());
        let config = BreakdownConfig::default();
        BreakdownSteps::new(table, self.attribute()?, self.scored(), deciles, config)
    }
}

/// The next piece of the breakdown `of` ([`BreakdownSteps`]); false when none is left.
pub fn step_breakdown(of: &BreakdownOf<'_>) -> bool {
    let (table, deciles) = (&of.data.outcome.table, of.deciles.map(|d| d.as_slice()));
    let Ok(attribute) = of.attribute() else {
        return false;
    };
    BREAKDOWNS.with(|list| {
        let begin = || of.begin();
        step_kept(&mut list.borrow_mut(), of.data, of.key(), begin, |steps| {
            steps.step(table, attribute, of.scored(), deciles)
        })
    })
}

/// The breakdown `of` (with [`BreakdownConfig::default`]): finished from its pieces (computed
/// at once when none was), and kept.
pub fn breakdown(of: &BreakdownOf<'_>) -> Result<Arc<Breakdown>, Error> {
    let (table, deciles) = (&of.data.outcome.table, of.deciles.map(|d| d.as_slice()));
    let attribute = of.attribute()?;
    BREAKDOWNS.with(|list| {
        let begin = || of.begin();
        finish_kept(&mut list.borrow_mut(), of.data, of.key(), begin, |steps| {
            steps.finish(table, attribute, of.scored(), deciles)
        })
    })
}

/// The next piece of the profiles of `data`'s table over `attributes` with `config`; false when
/// none is left.
pub fn step_profiles(
    data: &Arc<LoadedData>,
    attributes: &Arc<CustomerAttributes>,
    config: &ProfileConfig,
) -> bool {
    let table = &data.outcome.table;
    let key = (*config, Attributes(Arc::downgrade(attributes)));
    if kept(&PROFILES_DONE, data, &key).is_some() {
        return false;
    }
    PROFILES.with(|slot| {
        step_in(
            slot,
            data,
            &key,
            || ProfileSteps::new(table, attributes, config).ok(),
            |steps| steps.step(table, attributes),
        )
    })
}

/// The profiles of `data`'s table over `attributes` with `config` (what [`analyse_profiles`]
/// gives), kept for the next call.
pub fn profiles(
    data: &Arc<LoadedData>,
    attributes: &Arc<CustomerAttributes>,
    config: &ProfileConfig,
) -> Result<Arc<Profiles>, Error> {
    let table = &data.outcome.table;
    let key = (*config, Attributes(Arc::downgrade(attributes)));
    if let Some(kept) = kept(&PROFILES_DONE, data, &key) {
        return kept;
    }
    let made = PROFILES
        .with(|slot| {
            finish_in(
                slot,
                data,
                &key,
                |steps| steps.finish(table, attributes),
                || analyse_profiles(table, attributes, config),
            )
        })
        .map(Arc::new);
    keep(&PROFILES_DONE, data, key, made.clone());
    made
}

/// What a loyalty analysis is of, besides its data set: the parameters, the survey and the
/// RFM analysis (segments).
#[derive(Clone, PartialEq)]
struct LoyaltyKey {
    config: LoyaltyConfig,
    survey: Ptr<Survey>,
    rfm: Ptr<RfmAnalysis>,
}

/// What a loyalty base is of, besides its data set: the survey, the analysis day and what
/// counts as activity.
#[derive(Clone, PartialEq)]
struct BaseKey {
    survey: Ptr<Survey>,
    analysis_day: Option<Day>,
    returns_count: bool,
}

/// What a loyalty analysis is of.
pub struct LoyaltyOf<'a> {
    /// The data set (the population the analysis joins the survey to).
    pub data: &'a Arc<LoadedData>,
    /// The survey.
    pub survey: &'a Arc<Survey>,
    /// The RFM analysis of `data` (NPS by segment), if any.
    pub rfm: Option<&'a Arc<RfmAnalysis>>,
    /// The parameters.
    pub config: &'a LoyaltyConfig,
}

impl LoyaltyOf<'_> {
    fn orders(&self) -> Option<Orders<'_>> {
        self.data.history().map(|history| Orders {
            table: &self.data.outcome.table,
            history,
            rfm: self.rfm.map(|r| &**r),
        })
    }

    fn key(&self) -> LoyaltyKey {
        LoyaltyKey {
            config: self.config.clone(),
            survey: Ptr::of(Some(self.survey)),
            rfm: Ptr::of(self.rfm),
        }
    }

    fn base_key(&self) -> BaseKey {
        BaseKey {
            survey: Ptr::of(Some(self.survey)),
            analysis_day: self.config.lifecycle.analysis_day,
            returns_count: self.config.lifecycle.returns_count_as_activity,
        }
    }

    /// The steps, from the base kept when it is of the same data, survey and settings.
    fn begin(&self) -> Option<LoyaltySteps> {
        let base = kept(&LOYALTY_BASE, self.data, &self.base_key());
        LoyaltySteps::new(self.survey, self.orders(), self.config, base).ok()
    }

    /// Keeps the base of `steps` once it is made.
    fn keep_base(&self, steps: &LoyaltySteps) {
        let key = self.base_key();
        if kept(&LOYALTY_BASE, self.data, &key).is_none() {
            if let Some(base) = steps.base() {
                keep(&LOYALTY_BASE, self.data, key, base);
            }
        }
    }
}

/// The next piece of the loyalty analysis `of` ([`LoyaltySteps`]); false when none is left
/// (or the data has no purchase days: the analysis is then of the survey alone, at once).
pub fn step_loyalty(of: &LoyaltyOf<'_>) -> bool {
    if of.data.history().is_none() {
        return false;
    }
    LOYALTY.with(|slot| {
        step_in(
            slot,
            of.data,
            &of.key(),
            || of.begin(),
            |steps| {
                let more = steps.step(of.survey, of.orders());
                of.keep_base(steps);
                more
            },
        )
    })
}

/// The loyalty analysis `of` (what [`analyse_loyalty`] gives): finished from its pieces,
/// else computed at once from the base kept when there is one.
pub fn loyalty(of: &LoyaltyOf<'_>) -> Result<LoyaltyAnalysis, Error> {
    let orders = of.orders();
    if orders.is_none() {
        return analyse_loyalty(of.survey, None, of.config);
    }
    let finish = |mut steps: LoyaltySteps| {
        while steps.step(of.survey, orders) {}
        of.keep_base(&steps);
        steps.finish(of.survey, orders)
    };
    LOYALTY.with(|slot| {
        finish_in(slot, of.data, &of.key(), finish, || match of.begin() {
            Some(steps) => finish(steps),
            None => analyse_loyalty(of.survey, orders, of.config),
        })
    })
}

/// Drops what is kept for data sets that are gone (pieces, finished analyses, mixes): called a
/// task after the data changes, so that a replaced file's analyses do not stay in memory until
/// the same analysis is asked of the new one.
pub fn forget_gone() {
    fn clear<C, W>(slot: &'static std::thread::LocalKey<Slot<C, W>>) {
        slot.with(|slot| {
            let mut slot = slot.borrow_mut();
            if slot.as_ref().is_some_and(|e| e.data.strong_count() == 0) {
                *slot = None;
            }
        });
    }
    clear(&DECILES);
    clear(&WITHIN);
    clear(&RFM);
    clear(&RFM_DONE);
    clear(&SALES_DECILES);
    clear(&SALES_DONE);
    clear(&PROFILES);
    clear(&PROFILES_DONE);
    // The loyalty analysis and its base go with their data set or their survey.
    fn clear_loyalty<C, W>(
        slot: &'static std::thread::LocalKey<Slot<C, W>>,
        survey: fn(&C) -> &Ptr<Survey>,
    ) {
        slot.with(|slot| {
            let mut slot = slot.borrow_mut();
            let gone = |e: &Entry<C, W>| e.data.strong_count() == 0 || survey(&e.config).is_gone();
            if slot.as_ref().is_some_and(gone) {
                *slot = None;
            }
        });
    }
    clear_loyalty(&LOYALTY, |k| &k.survey);
    clear_loyalty(&LOYALTY_BASE, |k| &k.survey);
    MIXES.with(|mixes| mixes.borrow_mut().retain(|e| e.data.strong_count() > 0));
    BREAKDOWNS.with(|list| list.borrow_mut().retain(|e| e.data.strong_count() > 0));
}
