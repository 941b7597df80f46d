//! The messages between the page and the analysis worker (分析线程), which fits the CLV models
//! off the page's thread (seconds at a million customers).
//!
//! The request is a frame ([`Kind::Analyse`]) whose head is an [`AnalysisRequest`], sent as a JS
//! object with the purchase history beside it as two transferred byte arrays
//! ([`keys::OFFSETS`], [`keys::RECORDS`]: the columns of
//! [`PurchaseHistory::parts`]). The worker answers [`Response::Ready`] when it starts,
//! [`Response::Failed`] for an error, and the result as a frame of [`Kind::Clv`]: the analysis
//! without its per-customer scores as the postcard head, then the scores column by column
//! (two `u32` columns, then seven `f64` columns), so the page copies each column into wasm
//! memory in one piece instead of decoding a million postcard records.
//!
//! The lifecycle view's analyses run there too ([`AnalysisRequest::Lifecycle`], seconds at ten
//! million rows): the request carries the view's settings, the purchase history beside it as
//! above and each customer's first and last purchase day ([`keys::DAYS`], [`days_bytes`]: all
//! the lifecycle reads of the customer table); the worker answers three frames of
//! [`Kind::Lifecycle`], one per result as it is ready ([`LifecycleAnswer`]: the analysis, the
//! comparison of two periods, the segment migration).
//!
//! [`Response::Ready`]: super::Response::Ready
//! [`Response::Failed`]: super::Response::Failed

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::frame::{self, Kind};
use super::handoff::{Bytes, FrameSink};
use super::unreadable;
use crate::engine::calendar::{Day, DAY_RANGE};
use crate::engine::clusters::{ClusterAnalysis, ClusterConfig, ClusterInput};
use crate::engine::clv::{ClvAnalysis, ClvConfig, CustomerScore, Scoring};
use crate::engine::customers::{Columns, Customer, CustomerTable};
use crate::engine::error::{Error, FormatSubject};
use crate::engine::history::PurchaseHistory;
use crate::engine::ingest::{DecodedText, TextOptions};
use crate::engine::lifecycle::{
    analyse_lifecycle, CustomerDays, DayTable, LapsingCustomer, LifecycleAnalysis,
};
use crate::engine::monthly::readback::Lines;
use crate::engine::rfm::{RfmAnalysis, RfmConfig, SegmentRules};
use crate::engine::survey::{Respondent, Response, Survey, SurveyOptions};
use crate::present::lifecycle::{
    compare, migrate_summary_of, migration_day_states, Comparison, MigrationView, Settings,
};

/// The names of the fields of an analysis request's JS object.
pub mod keys {
    /// The request's frame (a `Uint8Array`).
    pub const FRAME: &str = "frame";
    /// The history's offsets, `u64` little-endian (a `Uint8Array`).
    pub const OFFSETS: &str = "offsets";
    /// The history's records (a `Uint8Array`).
    pub const RECORDS: &str = "records";
    /// The bytes of the table file of [`super::AnalysisRequest::TableRows`], or of the text
    /// file of [`super::AnalysisRequest::DecodeText`] (a `Uint8Array`).
    pub const FILE: &str = "file";
    /// Each customer's first and last purchase day ([`super::days_bytes`], a `Uint8Array`).
    pub const DAYS: &str = "days";
    /// The scored customers' R, F, M, sales and segment ([`super::cluster_features_bytes`], a
    /// `Uint8Array`).
    pub const FEATURES: &str = "features";
    /// In a message of its own before the request's: which field (one of the keys above) a
    /// piece belongs to (a string). The pieces of a field come in order; the request's message
    /// (with [`FRAME`]) comes after every piece.
    pub const PIECE: &str = "piece";
    /// The whole field's length in bytes, with each of its pieces (a number).
    pub const TOTAL: &str = "total";
    /// A piece's bytes (a `Uint8Array`).
    pub const BYTES: &str = "bytes";
}

/// What the page asks the analysis worker to do with the history sent beside the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AnalysisRequest {
    /// Fit the CLV models and score every customer ([`crate::engine::clv::analyse_clv`]).
    Clv {
        /// The parameters.
        config: ClvConfig,
        /// The history has a profit column.
        profit: bool,
        /// The history has a quantity column.
        quantity: bool,
    },
    /// Read the table file sent beside the request ([`keys::FILE`]: an `.xlsx` workbook or a
    /// Parquet file) to its header and rows as text
    /// ([`crate::engine::monthly::readback::read_table_rows`]), for the monthly table read back
    /// on the page: the table readers (calamine, parquet, Zstd) stay out of the page's bundle.
    TableRows,
    /// Decode the small text file sent beside the request ([`keys::FILE`]: a survey, a
    /// customer master, a SWOT or monthly table) with these options
    /// ([`crate::engine::ingest::decode_text`]), for a file in a legacy encoding (GBK, Big5 …),
    /// whose decoders and detector stay out of the page's bundle; the page reads the text.
    DecodeText(TextOptions),
    /// Read the survey file sent beside the request ([`keys::FILE`]) with these options
    /// ([`crate::engine::survey::import_survey`]): its reading and the combination of its
    /// responses were one task of a quarter of a second on the page at 200,000 responses.
    Survey(SurveyOptions),
    /// The k-means clusters of the scored customers sent beside the request
    /// ([`keys::FEATURES`]: [`cluster_features_bytes`]) with these parameters
    /// ([`crate::engine::clusters::analyse_cluster_input`]).
    Clusters {
        /// The parameters.
        config: ClusterConfig,
        /// The RFM segment names (English), in the segmentation's order, "Other" last.
        segments: Vec<String>,
    },
    /// The lifecycle view's analyses of the history sent beside the request and of the
    /// customers' first and last days ([`keys::DAYS`]): the analysis, the comparison of two
    /// periods and the segment migration, in that order ([`lifecycle_answers`]).
    Lifecycle {
        /// The view's settings; `settings.config.analysis_day` is the RFM analysis day.
        settings: Settings,
        /// The RFM parameters of the migration (its analysis day as above).
        rfm: RfmConfig,
        /// The RFM segment rules of the migration.
        rules: SegmentRules,
        /// Which optional columns the customer table was built from.
        columns: Columns,
        /// The history has a profit column.
        profit: bool,
        /// The history has a quantity column.
        quantity: bool,
    },
}

impl AnalysisRequest {
    /// The request's frame, for the job `generation`.
    pub fn to_frame(&self, generation: u64) -> Vec<u8> {
        frame::encode(Kind::Analyse, generation, self).unwrap_or_default()
    }

    /// From a frame made by [`AnalysisRequest::to_frame`]: (generation, request).
    ///
    /// # Errors
    /// [`Error::Format`] for a frame that is not one.
    pub fn from_frame(bytes: &[u8]) -> Result<(u64, Self), Error> {
        match frame::peek(bytes)? {
            (Kind::Analyse, generation) => Ok((
                generation,
                frame::decode_head(bytes, FormatSubject::Request)?,
            )),
            _ => Err(unreadable(
                FormatSubject::Request,
                "not an analysis request",
            )),
        }
    }
}

/// The history's offsets as the bytes sent beside a request.
pub fn offsets_bytes(starts: &[u64]) -> Vec<u8> {
    // Sized once and filled eight bytes at a time: collecting a `flat_map` grew the vector
    // step by step (a tenth of a second on the page's thread at a million customers).
    let mut bytes = Vec::with_capacity(starts.len() * 8);
    for start in starts {
        bytes.extend_from_slice(&start.to_le_bytes());
    }
    bytes
}

/// The history sent beside a request ([`offsets_bytes`] and the records).
///
/// # Errors
/// [`Error::Format`] when the offsets are not whole `u64`s or the history fails its check.
pub fn history_of(
    profit: bool,
    quantity: bool,
    offsets: &[u8],
    records: Vec<u8>,
) -> Result<PurchaseHistory, Error> {
    if !offsets.len().is_multiple_of(8) {
        return Err(unreadable(FormatSubject::Request, "offsets of the history"));
    }
    let starts = offsets
        .chunks_exact(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            u64::from_le_bytes(b)
        })
        .collect();
    PurchaseHistory::from_parts(profit, quantity, starts, records)
        .ok_or_else(|| unreadable(FormatSubject::Request, "a damaged history"))
}

/// What a day is sent as when there is none ([`days_bytes`]).
const NO_DAY_SENT: i32 = i32::MIN;

/// Each customer's first and last purchase day, `i32` little-endian epoch days, first then last
/// per customer (`i32::MIN` for none): the bytes of [`keys::DAYS`].
pub fn days_bytes(table: &CustomerTable) -> Vec<u8> {
    customer_days_bytes(&table.customers)
}

/// [`days_bytes`] of some of a table's customers (a slice of the field, 8 bytes a customer).
pub fn customer_days_bytes(customers: &[Customer]) -> Vec<u8> {
    let day = |d: Option<Day>| d.map_or(NO_DAY_SENT, Day::epoch_days).to_le_bytes();
    let mut bytes = Vec::with_capacity(customers.len() * 8);
    for customer in customers {
        bytes.extend_from_slice(&day(customer.first));
        bytes.extend_from_slice(&day(customer.last));
    }
    bytes
}

/// Bytes of one scored customer in [`keys::FEATURES`]: recency (days, `i32`), frequency
/// (`u32`), monetary and net sales (`f64`), the segment rule (`u16`, [`NO_SEGMENT`] for none),
/// six zero bytes; little-endian. A power of two, so that a request's 4 MiB slices hold whole
/// customers.
pub const FEATURE_BYTES: usize = 32;

/// The segment rule of a customer in no rule's segment ("Other").
const NO_SEGMENT: u16 = u16::MAX;

/// The cluster analysis's input of the scored customers `rows` of `rfm` (an analysis of
/// `table`), [`FEATURE_BYTES`] a customer: a slice of the [`keys::FEATURES`] field.
pub fn cluster_features_bytes(
    table: &CustomerTable,
    rfm: &RfmAnalysis,
    rows: std::ops::Range<usize>,
) -> Vec<u8> {
    let scores = rfm.scores.customers.get(rows.clone()).unwrap_or_default();
    let assignments = rfm.segmentation.assignments.get(rows).unwrap_or_default();
    let mut bytes = Vec::with_capacity(scores.len() * FEATURE_BYTES);
    for (i, score) in scores.iter().enumerate() {
        let sales = table.customers.get(score.index).map_or(0.0, |c| c.sales);
        let segment = assignments.get(i).copied().flatten().unwrap_or(NO_SEGMENT);
        bytes.extend_from_slice(&score.recency_days.to_le_bytes());
        bytes.extend_from_slice(&score.frequency.to_le_bytes());
        bytes.extend_from_slice(&score.monetary.to_le_bytes());
        bytes.extend_from_slice(&sales.to_le_bytes());
        bytes.extend_from_slice(&segment.to_le_bytes());
        bytes.extend_from_slice(&[0; 6]);
    }
    bytes
}

/// The cluster analysis's input from [`cluster_features_bytes`] of every scored customer and
/// the segment names: what [`ClusterInput::of`] gives on the page.
///
/// # Errors
/// [`Error::Format`] when the bytes are not whole customers, or name a segment rule past the
/// names.
pub fn cluster_input(features: &[u8], segments: Vec<String>) -> Result<ClusterInput, Error> {
    let damaged = || unreadable(FormatSubject::Request, "the scored customers' features");
    if !features.len().is_multiple_of(FEATURE_BYTES) {
        return Err(damaged());
    }
    let n = features.len() / FEATURE_BYTES;
    let mut input = ClusterInput {
        raw: Vec::with_capacity(n * 3),
        sales: Vec::with_capacity(n),
        segments,
        assignments: Vec::with_capacity(n),
    };
    for record in features.chunks_exact(FEATURE_BYTES) {
        let word = |at: usize| -> [u8; 4] {
            let mut w = [0; 4];
            w.copy_from_slice(record.get(at..at + 4).unwrap_or(&[0; 4]));
            w
        };
        let float = |at: usize| -> f64 {
            let mut w = [0; 8];
            w.copy_from_slice(record.get(at..at + 8).unwrap_or(&[0; 8]));
            f64::from_le_bytes(w)
        };
        let mut segment = [0; 2];
        segment.copy_from_slice(record.get(24..26).unwrap_or(&[0; 2]));
        let segment = u16::from_le_bytes(segment);
        if segment != NO_SEGMENT && usize::from(segment) >= input.segments.len() {
            return Err(damaged());
        }
        input.raw.push(f64::from(i32::from_le_bytes(word(0))));
        input.raw.push(f64::from(u32::from_le_bytes(word(4))));
        input.raw.push(float(8));
        input.sales.push(float(16));
        input
            .assignments
            .push((segment != NO_SEGMENT).then_some(segment));
    }
    Ok(input)
}

/// The answer to [`AnalysisRequest::Clusters`]: the analysis as a frame of [`Kind::Clusters`]
/// for the job `generation`.
pub fn encode_clusters(analysis: &ClusterAnalysis, generation: u64) -> Vec<u8> {
    frame::encode(Kind::Clusters, generation, analysis).unwrap_or_default()
}

/// The cluster analysis of a frame made by [`encode_clusters`].
///
/// # Errors
/// [`Error::Format`] for a frame that is not one.
pub fn decode_clusters(bytes: &[u8]) -> Result<ClusterAnalysis, Error> {
    match frame::peek(bytes)? {
        (Kind::Clusters, _) => frame::decode_head(bytes, FormatSubject::Response),
        _ => Err(unreadable(
            FormatSubject::Response,
            "not a cluster analysis",
        )),
    }
}

/// The customers' days the lifecycle analyses read, from [`days_bytes`]: each customer's first
/// and last day (the lifecycle takes every other figure from the history).
///
/// # Errors
/// [`Error::Format`] when the bytes are not whole pairs of days, or a day is out of range.
pub fn days_table(columns: Columns, days: &[u8]) -> Result<DayTable, Error> {
    let damaged = || unreadable(FormatSubject::Request, "the customers' days");
    if !days.len().is_multiple_of(8) {
        return Err(damaged());
    }
    let day = |bytes: &[u8]| -> Result<Option<Day>, Error> {
        let mut b = [0u8; 4];
        b.copy_from_slice(bytes);
        match i32::from_le_bytes(b) {
            NO_DAY_SENT => Ok(None),
            days => Some(Day::from_epoch_days(days))
                .filter(|d| d.in_range())
                .map(Some)
                .ok_or_else(damaged),
        }
    };
    let days = days
        .chunks_exact(8)
        .map(|pair| Ok((day(&pair[..4])?, day(&pair[4..])?)))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(DayTable { columns, days })
}

/// One of the lifecycle view's results, as the analysis worker sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LifecycleAnswer {
    /// The analysis ([`analyse_lifecycle`]).
    Analysis(Result<Box<LifecycleAnalysis>, Error>),
    /// The comparison of the two periods ([`compare`]).
    Comparison(Result<Box<Comparison>, Error>),
    /// The segment migration without its per-customer columns ([`migrate_summary_of`]): the page
    /// shows its cells.
    Migration(Result<Box<MigrationView>, Error>),
}

/// The lifecycle view's three results of `table` (from [`days_table`]) and `history`, handed to
/// `each` as each is ready: the analysis; then, when it succeeded, the comparison and the
/// migration. The same calls as the page made when it computed them itself.
pub fn lifecycle_answers(
    table: impl CustomerDays,
    history: PurchaseHistory,
    settings: &Settings,
    rfm: &RfmConfig,
    rules: &SegmentRules,
    mut each: impl FnMut(&LifecycleAnswer),
) {
    let analysis = analyse_lifecycle(&table, &history, &settings.config).map(Box::new);
    let answer = LifecycleAnswer::Analysis(analysis);
    each(&answer);
    let LifecycleAnswer::Analysis(Ok(mut analysis)) = answer else {
        return;
    };
    // Sent with the analysis; neither the comparison nor the migration reads them (at ten
    // million rows 438,000 customers, 17 MB less held through the migration's peak).
    analysis.lapse.at_risk = Vec::new();
    analysis.lapse.lapsed = Vec::new();
    let comparison = compare(&table, &history, &analysis, settings).map(Box::new);
    each(&LifecycleAnswer::Comparison(comparison));
    // Both days' states made first; the history and the days (70 MB at ten million rows) are
    // let go of before the two RFM scorings, whose working memory takes their place.
    let states = migration_day_states(&table, &history, &analysis, settings);
    drop(table);
    drop(history);
    let migration = states
        .and_then(|(days, states)| migrate_summary_of(days, states, rfm, rules))
        .map(Box::new);
    each(&LifecycleAnswer::Migration(migration));
}

/// The answer's frame for the job `generation`. An analysis's lapsing customers (at risk and
/// lapsed: up to every customer) travel as typed columns after the head, which the page reads
/// in one copy each instead of decoding a million records field by field (100–130 ms of the
/// page's thread at ten million rows).
pub fn encode_lifecycle(answer: &LifecycleAnswer, generation: u64) -> Vec<u8> {
    let lists = match answer {
        LifecycleAnswer::Analysis(Ok(analysis)) => {
            let lapse = &analysis.lapse;
            let fits =
                |list: &[LapsingCustomer]| list.iter().all(|c| u32::try_from(c.index).is_ok());
            (fits(&lapse.at_risk) && fits(&lapse.lapsed)).then_some(analysis)
        }
        _ => None,
    };
    let Some(analysis) = lists else {
        let head = LifecycleHead {
            answer: Cow::Borrowed(answer),
            at_risk: None,
            lapsed: 0,
        };
        return frame::encode(Kind::Lifecycle, generation, &head).unwrap_or_default();
    };
    let (at_risk, lapsed) = (&analysis.lapse.at_risk, &analysis.lapse.lapsed);
    let mut without = analysis.clone();
    without.lapse.at_risk = Vec::new();
    without.lapse.lapsed = Vec::new();
    let head = LifecycleHead {
        answer: Cow::Owned(LifecycleAnswer::Analysis(Ok(without))),
        at_risk: Some(at_risk.len() as u64),
        lapsed: lapsed.len() as u64,
    };
    let Ok((mut out, start)) = frame::with_body(Kind::Lifecycle, generation, &head, |start| {
        start.checked_add(list_bytes(at_risk.len()) + list_bytes(lapsed.len()))
    }) else {
        return Vec::new();
    };
    let mut at = start;
    let mut put = |bytes: &[u8]| {
        if let Some(cell) = out.get_mut(at..at + bytes.len()) {
            cell.copy_from_slice(bytes);
        }
        at += bytes.len();
    };
    for list in [at_risk, lapsed] {
        // The f64 columns first (8-byte aligned), then the 4-byte ones.
        list.iter().for_each(|c| put(&c.sales.to_le_bytes()));
        list.iter().for_each(|c| put(&c.profit.to_le_bytes()));
        list.iter()
            .for_each(|c| put(&(c.index as u32).to_le_bytes()));
        list.iter()
            .for_each(|c| put(&(c.orders as u32).to_le_bytes()));
        list.iter()
            .for_each(|c| put(&((c.orders >> 32) as u32).to_le_bytes()));
        list.iter().for_each(|c| put(&c.recency_days.to_le_bytes()));
        list.iter()
            .for_each(|c| put(&c.last_purchase.epoch_days().to_le_bytes()));
        // The next list's f64 columns 8-byte aligned (typed-array views need it).
        put(&[0; 4][..list_bytes(list.len()) - LAPSING_BYTES * list.len()]);
    }
    out
}

/// Bytes a lapsing customer takes in a [`Kind::Lifecycle`] frame's body: sales and profit
/// (`f64`), index, the orders' low and high halves (`u32`), recency and last day (`i32`).
const LAPSING_BYTES: usize = 2 * 8 + 5 * 4;

/// Bytes a list of `n` lapsing customers takes in the body: [`LAPSING_BYTES`] each, padded to
/// a multiple of 8.
fn list_bytes(n: usize) -> usize {
    frame::align8(n.saturating_mul(LAPSING_BYTES))
}

/// The head of a [`Kind::Lifecycle`] frame: the answer, with an analysis's lapsing customers
/// in the body when `at_risk` is given (so many at risk, then `lapsed` lapsed).
#[derive(Serialize, Deserialize)]
struct LifecycleHead<'a> {
    answer: Cow<'a, LifecycleAnswer>,
    at_risk: Option<u64>,
    lapsed: u64,
}

/// The result in a frame made by [`encode_lifecycle`], read through `bytes` (typed-array views
/// of the received buffer on the page).
///
/// # Errors
/// [`Error::Format`] for a frame that is not one.
pub fn decode_lifecycle(bytes: &(impl Bytes + ?Sized)) -> Result<LifecycleAnswer, Error> {
    let mut decoder = LifecycleDecoder::new(bytes)?;
    while decoder.step(bytes, usize::MAX) {}
    decoder.finish()
}

/// A frame's items read a slice at a time ([`ClvDecoder`], [`LifecycleDecoder`]), so that the
/// page can read a large answer across tasks.
pub trait SliceDecode: Sized {
    /// What the frame holds.
    type Output;
    /// The decoder of the frame in `bytes`, its head read.
    ///
    /// # Errors
    /// [`Error::Format`] for a frame that is not one.
    fn begin<B: Bytes + ?Sized>(bytes: &B) -> Result<Self, Error>;
    /// Reads the next `count` items from `bytes`, the frame the decoder began with; false once
    /// every item is read.
    fn step_slice<B: Bytes + ?Sized>(&mut self, bytes: &B, count: usize) -> bool;
    /// What was read (every item: call until [`SliceDecode::step_slice`] says false first).
    fn output(self) -> Self::Output;
}

/// [`decode_lifecycle`] a slice of lapsing customers at a time (at ten million rows the
/// analysis's lists were most of a 100 ms task of the page): [`LifecycleDecoder::new`] reads
/// the head and checks the body's length, each [`LifecycleDecoder::step`] reads the next
/// customers of the at-risk list, then of the lapsed one.
#[derive(Debug)]
pub struct LifecycleDecoder {
    answer: LifecycleAnswer,
    /// The two lists' lengths and starts, when the answer has them.
    lists: [(usize, usize); 2],
    /// The list being read (2: none left), and how many of it are read.
    list: usize,
    at: usize,
    read: [Vec<LapsingCustomer>; 2],
    /// The answer's lists are in the body.
    with_lists: bool,
    /// The first customer found damaged.
    failed: Option<Error>,
}

impl LifecycleDecoder {
    /// The head of the frame in `bytes`, its body's length and alignment checked.
    ///
    /// # Errors
    /// [`Error::Format`] for a frame that is not one, or is cut short.
    pub fn new(bytes: &(impl Bytes + ?Sized)) -> Result<Self, Error> {
        let what = FormatSubject::Response;
        if frame::peek(bytes)?.0 != Kind::Lifecycle {
            return Err(unreadable(what, "not a lifecycle result"));
        }
        let (head, start) = frame::head_bytes(bytes, what)?;
        let head: LifecycleHead = postcard::from_bytes(&head).map_err(|e| unreadable(what, e))?;
        let answer = head.answer.into_owned();
        let mut decoder = LifecycleDecoder {
            answer,
            lists: [(0, start); 2],
            list: 2,
            at: 0,
            read: [Vec::new(), Vec::new()],
            with_lists: false,
            failed: None,
        };
        let (Some(at_risk), LifecycleAnswer::Analysis(Ok(_))) = (head.at_risk, &decoder.answer)
        else {
            return Ok(decoder);
        };
        let count = |n: u64| usize::try_from(n).map_err(|e| unreadable(what, e));
        let (at_risk, lapsed) = (count(at_risk)?, count(head.lapsed)?);
        let second = start.checked_add(list_bytes(at_risk));
        match second.and_then(|s| s.checked_add(list_bytes(lapsed))) {
            Some(end) if end <= bytes.byte_len() => {}
            _ => return Err(unreadable(what, "truncated lapsing customers")),
        }
        let second = second.unwrap_or(start);
        if start % 8 != 0 || second % 8 != 0 {
            return Err(unreadable(what, "misaligned lapsing customers"));
        }
        decoder.lists = [(at_risk, start), (lapsed, second)];
        decoder.read = [Vec::with_capacity(at_risk), Vec::with_capacity(lapsed)];
        decoder.list = 0;
        decoder.with_lists = true;
        Ok(decoder)
    }

    /// True when the answer has lapsing customers to read.
    pub fn has_items(&self) -> bool {
        self.with_lists && self.lists[0].0 + self.lists[1].0 > 0
    }

    /// Reads the next `count` lapsing customers (fewer at a list's end) from `bytes`, the frame
    /// `new` read; false once both lists are read.
    pub fn step(&mut self, bytes: &(impl Bytes + ?Sized), count: usize) -> bool {
        let Some(&(n, start)) = self.lists.get(self.list) else {
            return false;
        };
        let at = self.at;
        let k = count.min(n - at);
        // The columns in body order: sales, profit, index, orders' low and high halves, recency,
        // the last purchase's day.
        let (mut sales, mut profit) = (vec![0f64; k], vec![0f64; k]);
        let (mut index, mut low, mut high) = (vec![0u32; k], vec![0u32; k], vec![0u32; k]);
        let (mut recency, mut day) = (vec![0i32; k], vec![0i32; k]);
        bytes.read_f64(start + 8 * at, &mut sales);
        bytes.read_f64(start + 8 * n + 8 * at, &mut profit);
        bytes.read_u32(start + 16 * n + 4 * at, &mut index);
        bytes.read_u32(start + 20 * n + 4 * at, &mut low);
        bytes.read_u32(start + 24 * n + 4 * at, &mut high);
        bytes.read_i32(start + 28 * n + 4 * at, &mut recency);
        bytes.read_i32(start + 32 * n + 4 * at, &mut day);
        for i in 0..k {
            let last_purchase = Day::from_epoch_days(day[i]);
            if !(DAY_RANGE.0..=DAY_RANGE.1).contains(&last_purchase) {
                self.failed.get_or_insert_with(|| {
                    unreadable(FormatSubject::Response, "a day out of range")
                });
                self.list = 2;
                return false;
            }
            self.read[self.list].push(LapsingCustomer {
                index: index[i] as usize,
                recency_days: recency[i],
                last_purchase,
                orders: u64::from(high[i]) << 32 | u64::from(low[i]),
                sales: sales[i],
                profit: profit[i],
            });
        }
        self.at = at + k;
        if self.at == n {
            self.list += 1;
            self.at = 0;
        }
        self.list < 2
    }

    /// The answer, with the customers read (all of them once `step` has said `false`).
    ///
    /// # Errors
    /// [`Error::Format`] when a customer's day was out of range.
    pub fn finish(self) -> Result<LifecycleAnswer, Error> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        let mut answer = self.answer;
        if let LifecycleAnswer::Analysis(Ok(analysis)) = &mut answer {
            if self.with_lists {
                let [at_risk, lapsed] = self.read;
                analysis.lapse.at_risk = at_risk;
                analysis.lapse.lapsed = lapsed;
            }
        }
        Ok(answer)
    }
}

impl SliceDecode for LifecycleDecoder {
    type Output = Result<LifecycleAnswer, Error>;
    fn begin<B: Bytes + ?Sized>(bytes: &B) -> Result<Self, Error> {
        Self::new(bytes)
    }
    fn step_slice<B: Bytes + ?Sized>(&mut self, bytes: &B, count: usize) -> bool {
        self.step(bytes, count)
    }
    fn output(self) -> Self::Output {
        self.finish()
    }
}

/// The head of a [`Kind::Clv`] frame: the analysis with its scores taken out, and how many
/// there are in the body.
#[derive(Serialize, Deserialize)]
struct ClvHead {
    analysis: ClvAnalysis,
    customers: u64,
}

/// The `f64` columns of the scores, in body order.
const F64_COLUMNS: usize = 7;

fn f64_columns(s: &CustomerScore) -> [f64; F64_COLUMNS] {
    [
        s.recency,
        s.age,
        s.monetary,
        s.p_alive,
        s.expected_purchases,
        s.expected_value,
        s.clv,
    ]
}

/// Bytes of the body for `n` customers: two `u32` columns (8 × n bytes, so the `f64` columns
/// after them stay on 8-byte boundaries) and the `f64` columns.
fn body_len(n: usize) -> Option<usize> {
    n.checked_mul(8 + 8 * F64_COLUMNS)
}

/// The result's frame for the job `generation`.
pub fn encode_clv(analysis: ClvAnalysis, generation: u64) -> Vec<u8> {
    write_clv(analysis, generation, |len| vec![0u8; len]).unwrap_or_default()
}

/// Customers' scores written per piece of [`write_clv`] (fewer in the tests, so that several
/// pieces come from a small analysis).
const CLV_SLICE: usize = if cfg!(test) { 1_024 } else { 65_536 };

/// [`encode_clv`] into the sink `make` gives for the frame's length, 65,536 customers at a
/// time (each of their columns written where it goes): the analysis worker's sink is a JS
/// buffer, so the frame (62 MB at a million customers) is never also in its WebAssembly memory,
/// which never shrinks.
pub fn write_clv<S: FrameSink>(
    mut analysis: ClvAnalysis,
    generation: u64,
    make: impl FnOnce(usize) -> S,
) -> Option<S> {
    let scores = std::mem::take(&mut analysis.scores);
    write_clv_with(analysis, scores.len(), generation, make, |range, out| {
        out.clear();
        out.extend_from_slice(scores.get(range).unwrap_or_default());
    })
}

/// [`write_clv`] of an analysis whose scores `scoring` makes ([`analyse_summaries`]): the same
/// frame, the scores made a slice at a time as they are written, never all held.
///
/// [`analyse_summaries`]: crate::engine::clv::analyse_summaries
pub fn write_clv_scored<S: FrameSink>(
    analysis: ClvAnalysis,
    scoring: &Scoring,
    generation: u64,
    make: impl FnOnce(usize) -> S,
) -> Option<S> {
    write_clv_with(analysis, scoring.len(), generation, make, |range, out| {
        scoring.scores_into(range, out)
    })
}

/// The frame of `analysis` (its scores left out) and of `n` customers' scores, which `slice`
/// puts into its vector a range of positions at a time.
fn write_clv_with<S: FrameSink>(
    analysis: ClvAnalysis,
    n: usize,
    generation: u64,
    make: impl FnOnce(usize) -> S,
    mut slice: impl FnMut(std::ops::Range<usize>, &mut Vec<CustomerScore>),
) -> Option<S> {
    let head = ClvHead {
        analysis,
        customers: n as u64,
    };
    let (head, start) = frame::with_body(Kind::Clv, generation, &head, Some).ok()?;
    let mut sink = make(start.checked_add(body_len(n)?)?);
    sink.write_at(0, &head);
    let mut scores = Vec::with_capacity(CLV_SLICE.min(n));
    let mut piece = Vec::with_capacity(CLV_SLICE.min(n) * 8);
    let mut from = 0;
    while from < n {
        let to = (from + CLV_SLICE).min(n);
        slice(from..to, &mut scores);
        if scores.len() != to - from {
            return None;
        }
        // Where column `c`'s values of this slice go: two `u32` columns, then the `f64` ones.
        let mut put = |at: usize, value: &dyn Fn(&CustomerScore, &mut Vec<u8>)| {
            piece.clear();
            for s in &scores {
                value(s, &mut piece);
            }
            sink.write_at(at, &piece);
        };
        put(start + 4 * from, &|s, out| {
            out.extend_from_slice(&s.index.to_le_bytes())
        });
        put(start + 4 * n + 4 * from, &|s, out| {
            out.extend_from_slice(&s.frequency.to_le_bytes())
        });
        for column in 0..F64_COLUMNS {
            put(start + 8 * n + 8 * n * column + 8 * from, &|s, out| {
                out.extend_from_slice(&f64_columns(s)[column].to_le_bytes())
            });
        }
        from = to;
    }
    Some(sink)
}

/// The analysis in a frame made by [`encode_clv`], read through `bytes` (typed-array views of
/// the received buffer on the page): the head decoded, then the customers' scores.
///
/// # Errors
/// [`Error::Format`] for a frame that is not one, or is cut short.
pub fn decode_clv(bytes: &(impl Bytes + ?Sized)) -> Result<ClvAnalysis, Error> {
    let mut decoder = ClvDecoder::new(bytes)?;
    while decoder.step(bytes, usize::MAX) {}
    Ok(decoder.finish())
}

/// [`decode_clv`] a slice of customers at a time, so that the page can read ten million rows'
/// scores (967,209 customers, 62 MB of records) across tasks: [`ClvDecoder::new`] reads the head
/// and checks the body's length, each [`ClvDecoder::step`] copies the next customers' columns.
#[derive(Debug)]
pub struct ClvDecoder {
    analysis: ClvAnalysis,
    /// Customers in the body.
    n: usize,
    /// Where the body starts.
    start: usize,
    /// Customers read so far.
    at: usize,
}

impl ClvDecoder {
    /// The head of the frame in `bytes`, its body's length checked.
    ///
    /// # Errors
    /// [`Error::Format`] for a frame that is not one, or is cut short.
    pub fn new(bytes: &(impl Bytes + ?Sized)) -> Result<Self, Error> {
        let what = FormatSubject::Response;
        if frame::peek(bytes)?.0 != Kind::Clv {
            return Err(unreadable(what, "not a CLV result"));
        }
        let (head, start) = frame::head_bytes(bytes, what)?;
        let head: ClvHead = postcard::from_bytes(&head).map_err(|e| unreadable(what, e))?;
        let n = usize::try_from(head.customers).map_err(|e| unreadable(what, e))?;
        match body_len(n).and_then(|len| start.checked_add(len)) {
            Some(end) if end <= bytes.byte_len() => {}
            _ => return Err(unreadable(what, "truncated scores")),
        }
        let mut analysis = head.analysis;
        analysis.scores = Vec::with_capacity(n);
        Ok(Self {
            analysis,
            n,
            start,
            at: 0,
        })
    }

    /// Customers in the frame.
    pub fn customers(&self) -> usize {
        self.n
    }

    /// Reads the next `count` customers (fewer at the end) from `bytes`, the frame `new` read;
    /// `false` once every customer is read.
    pub fn step(&mut self, bytes: &(impl Bytes + ?Sized), count: usize) -> bool {
        let (n, start, at) = (self.n, self.start, self.at);
        let k = count.min(n - at);
        if k > 0 {
            let mut index = vec![0u32; k];
            let mut frequency = vec![0u32; k];
            bytes.read_u32(start + 4 * at, &mut index);
            bytes.read_u32(start + 4 * n + 4 * at, &mut frequency);
            let mut columns = vec![vec![0f64; k]; F64_COLUMNS];
            for (c, column) in columns.iter_mut().enumerate() {
                bytes.read_f64(start + 8 * n + 8 * n * c + 8 * at, column);
            }
            self.analysis.scores.extend((0..k).map(|i| CustomerScore {
                index: index[i],
                frequency: frequency[i],
                recency: columns[0][i],
                age: columns[1][i],
                monetary: columns[2][i],
                p_alive: columns[3][i],
                expected_purchases: columns[4][i],
                expected_value: columns[5][i],
                clv: columns[6][i],
            }));
            self.at = at + k;
        }
        self.at < n
    }

    /// The analysis, with the customers read (all of them once `step` has said `false`).
    pub fn finish(self) -> ClvAnalysis {
        self.analysis
    }
}

impl SliceDecode for ClvDecoder {
    type Output = Result<ClvAnalysis, Error>;
    fn begin<B: Bytes + ?Sized>(bytes: &B) -> Result<Self, Error> {
        Self::new(bytes)
    }
    fn step_slice<B: Bytes + ?Sized>(&mut self, bytes: &B, count: usize) -> bool {
        self.step(bytes, count)
    }
    fn output(self) -> Self::Output {
        Ok(self.finish())
    }
}

/// The answer to [`AnalysisRequest::TableRows`]: a table's header `names` and its `rows` (each
/// with its line) as a frame of [`Kind::TableRows`] for the job `generation`.
pub fn encode_table_rows(names: &[String], rows: &Lines, generation: u64) -> Vec<u8> {
    frame::encode(Kind::TableRows, generation, &(names, rows)).unwrap_or_default()
}

/// The header and rows of a frame made by [`encode_table_rows`].
///
/// # Errors
/// [`Error::Format`] for a frame that is not one.
pub fn decode_table_rows(bytes: &[u8]) -> Result<(Vec<String>, Lines), Error> {
    match frame::peek(bytes)? {
        (Kind::TableRows, _) => frame::decode_head(bytes, FormatSubject::Response),
        _ => Err(unreadable(FormatSubject::Response, "not a table's rows")),
    }
}

/// The answer to [`AnalysisRequest::DecodeText`]: the file's text and its encoding as a frame
/// of [`Kind::Text`] for the job `generation`.
pub fn encode_text(decoded: &DecodedText, generation: u64) -> Vec<u8> {
    frame::encode(Kind::Text, generation, decoded).unwrap_or_default()
}

/// The decoded text of a frame made by [`encode_text`].
///
/// # Errors
/// [`Error::Format`] for a frame that is not one.
pub fn decode_text_answer(bytes: &[u8]) -> Result<DecodedText, Error> {
    match frame::peek(bytes)? {
        (Kind::Text, _) => frame::decode_head(bytes, FormatSubject::Response),
        _ => Err(unreadable(FormatSubject::Response, "not a decoded text")),
    }
}

/// The head of a [`Kind::Survey`] frame: the survey without its responses and respondents, and
/// how many of each follow in the body (each item's postcard bytes, one after another).
#[derive(Serialize, Deserialize)]
struct SurveyHead {
    survey: Survey,
    responses: u64,
    respondents: u64,
}

/// The answer to [`AnalysisRequest::Survey`]: the survey as a frame of [`Kind::Survey`] for the
/// job `generation` (read by [`SurveyDecoder`] a slice of items a task).
pub fn encode_survey(mut survey: Survey, generation: u64) -> Vec<u8> {
    let responses = std::mem::take(&mut survey.responses);
    let respondents = std::mem::take(&mut survey.respondents);
    let head = SurveyHead {
        survey,
        responses: responses.len() as u64,
        respondents: respondents.len() as u64,
    };
    let Ok((mut frame, start)) = frame::with_body(Kind::Survey, generation, &head, |_| None) else {
        return Vec::new();
    };
    frame.truncate(start);
    let items = responses
        .iter()
        .try_fold(frame, |out, r| postcard::to_extend(r, out))
        .and_then(|out| {
            respondents
                .iter()
                .try_fold(out, |out, r| postcard::to_extend(r, out))
        });
    items.unwrap_or_default()
}

/// Reads a [`Kind::Survey`] frame ([`encode_survey`]) a slice of responses, then of
/// respondents, at a time: 200,000 responses and their respondents are ~10 MB of postcard,
/// 20 ms natively to decode at once.
#[derive(Debug)]
pub struct SurveyDecoder {
    survey: Survey,
    /// The items' bytes (the frame's body, copied once).
    body: Vec<u8>,
    at: usize,
    /// Responses, then respondents, still to read.
    left: (usize, usize),
    failed: Option<Error>,
}

impl SurveyDecoder {
    /// The head of the frame in `bytes`, and its body copied.
    ///
    /// # Errors
    /// [`Error::Format`] for a frame that is not one.
    pub fn new(bytes: &(impl Bytes + ?Sized)) -> Result<Self, Error> {
        let what = FormatSubject::Response;
        if frame::peek(bytes)?.0 != Kind::Survey {
            return Err(unreadable(what, "not a survey"));
        }
        let (head, start) = frame::head_bytes(bytes, what)?;
        let head: SurveyHead = postcard::from_bytes(&head).map_err(|e| unreadable(what, e))?;
        let count = |n: u64| usize::try_from(n).map_err(|e| unreadable(what, e));
        let left = (count(head.responses)?, count(head.respondents)?);
        // Every item takes a byte at least.
        let mut body = vec![0u8; bytes.byte_len().saturating_sub(start)];
        if left.0.saturating_add(left.1) > body.len() {
            return Err(unreadable(what, "truncated survey"));
        }
        bytes.read_u8(start, &mut body);
        let mut survey = head.survey;
        survey.responses = Vec::with_capacity(left.0);
        survey.respondents = Vec::with_capacity(left.1);
        Ok(SurveyDecoder {
            survey,
            body,
            at: 0,
            left,
            failed: None,
        })
    }

    /// Reads the next `count` items; false once all are read (or one did not read).
    pub fn step(&mut self, count: usize) -> bool {
        for _ in 0..count {
            let rest = self.body.get(self.at..).unwrap_or_default();
            let read = match self.left {
                (0, 0) => return false,
                (0, _) => postcard::take_from_bytes::<Respondent>(rest).map(|(item, after)| {
                    self.survey.respondents.push(item);
                    self.left.1 -= 1;
                    after.len()
                }),
                _ => postcard::take_from_bytes::<Response>(rest).map(|(item, after)| {
                    self.survey.responses.push(item);
                    self.left.0 -= 1;
                    after.len()
                }),
            };
            match read {
                Ok(after) => self.at = self.body.len() - after,
                Err(e) => {
                    self.failed = Some(unreadable(FormatSubject::Response, e));
                    self.left = (0, 0);
                    return false;
                }
            }
        }
        self.left != (0, 0)
    }

    /// The survey (whole once `step` has said `false`).
    ///
    /// # Errors
    /// [`Error::Format`] when an item did not read, or bytes are left after the last one.
    pub fn finish(self) -> Result<Survey, Error> {
        match self.failed {
            Some(error) => Err(error),
            None if self.at != self.body.len() => Err(unreadable(
                FormatSubject::Response,
                "bytes after the survey",
            )),
            None => Ok(self.survey),
        }
    }
}

impl SliceDecode for SurveyDecoder {
    type Output = Result<Survey, Error>;
    fn begin<B: Bytes + ?Sized>(bytes: &B) -> Result<Self, Error> {
        Self::new(bytes)
    }
    fn step_slice<B: Bytes + ?Sized>(&mut self, _: &B, count: usize) -> bool {
        self.step(count)
    }
    fn output(self) -> Self::Output {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::lifecycle::migrate;

    /// The full migration with its per-customer columns emptied (the scores, assignments and
    /// indices of every customer on both days, which no view reads): what the worker's
    /// [`migrate_summary_of`] must equal.
    fn for_the_page(mut view: MigrationView) -> MigrationView {
        for rfm in [&mut view.migration.before, &mut view.migration.after] {
            rfm.scores.customers = Vec::new();
            rfm.scores.undated = Vec::new();
            rfm.segmentation.assignments = Vec::new();
        }
        view.migration.before_index = Vec::new();
        view.migration.after_index = Vec::new();
        view
    }
    use crate::engine::calendar::Day;
    use crate::engine::clv::analyse_clv;
    use crate::engine::history::PurchaseDay;

    /// 120 customers, 60 of them repeaters, over a year.
    fn history() -> PurchaseHistory {
        purchases_of(120, |c| {
            let repeats = if c % 2 == 0 { 1 + c % 5 } else { 0 };
            (0..=repeats)
                .map(|k| (c % 40 + 37 * k, 10.0 + f64::from(c % 7) + f64::from(k)))
                .collect()
        })
    }

    /// `n` customers, each buying on the days (after 2024-01-01) and for the sales
    /// `purchases` gives it.
    fn purchases_of(n: u32, purchases: impl Fn(u32) -> Vec<(u32, f64)>) -> PurchaseHistory {
        let start = Day::parse_iso("2024-01-01").unwrap().epoch_days();
        let customers: Vec<Vec<PurchaseDay>> = (0..n)
            .map(|c| {
                purchases(c)
                    .into_iter()
                    .map(|(day, sales)| PurchaseDay {
                        day: Day::from_epoch_days(start + day as i32),
                        sales,
                        profit: 0.0,
                        quantity: 0.0,
                        orders: 1,
                        purchase: true,
                    })
                    .collect()
            })
            .collect();
        PurchaseHistory::from_days(false, false, &customers)
    }

    #[test]
    fn requests_and_histories_round_trip() {
        let request = AnalysisRequest::Clv {
            config: ClvConfig::default(),
            profit: true,
            quantity: false,
        };
        assert_eq!(
            AnalysisRequest::from_frame(&request.to_frame(41)).unwrap(),
            (41, request)
        );
        assert!(AnalysisRequest::from_frame(&super::super::Request::Absorb.to_frame(1)).is_err());
        let h = history();
        let (profit, quantity, starts, records) = h.parts();
        let back = history_of(profit, quantity, &offsets_bytes(starts), records.to_vec()).unwrap();
        assert_eq!(back, h);
        assert!(history_of(false, false, &[1, 2, 3], Vec::new()).is_err());
        let mut damaged = offsets_bytes(starts);
        damaged[8] = 0xFF;
        assert!(history_of(profit, quantity, &damaged, records.to_vec()).is_err());
    }

    #[test]
    fn results_round_trip_and_cut_frames_are_errors() {
        let analysis = analyse_clv(&history(), &ClvConfig::default()).unwrap();
        assert_eq!(analysis.scores.len(), 120);
        let frame = encode_clv(analysis.clone(), 7);
        assert_eq!(frame::peek(frame.as_slice()).unwrap(), (Kind::Clv, 7));
        assert_eq!(decode_clv(frame.as_slice()).unwrap(), analysis);
        for cut in [0, 30, frame.len() - 1] {
            assert!(decode_clv(&frame[..cut]).is_err(), "cut at {cut}");
        }
        let failed = super::super::Response::Failed(Error::HeaderOnly).to_frame(7);
        assert!(decode_clv(failed.as_slice()).is_err());
    }

    #[test]
    fn a_clv_result_of_several_slices_is_written_whole() {
        let mut analysis = analyse_clv(&history(), &ClvConfig::default()).unwrap();
        let base = analysis.scores.clone();
        analysis.scores = (0..150_000u32)
            .map(|i| {
                let mut s = base[i as usize % base.len()];
                s.index = i;
                s.clv += f64::from(i);
                s
            })
            .collect();
        // Every byte must be written: one left at 0xAA would differ from the zeroed frame.
        let frame = write_clv(analysis.clone(), 5, |len| vec![0xAAu8; len]).unwrap();
        assert_eq!(frame, encode_clv(analysis.clone(), 5));
        assert_eq!(decode_clv(frame.as_slice()).unwrap(), analysis);
    }

    /// `n` customers of zero to eleven repeat purchase days over a year, each day's value
    /// spread by a hash of the customer and the day.
    fn varied_history(n: u32) -> PurchaseHistory {
        purchases_of(n, |c| {
            let mix = c.wrapping_mul(2_654_435_761);
            let (repeats, gap) = ((mix >> 7) % 12, 5 + (mix >> 13) % 40);
            // A customer's own level (from 2 to ~900) times a spread of 0.5–1.5.
            let level = 2.0 + f64::from((mix >> 17) % 30).powi(2);
            (0..=repeats)
                .map(|k| {
                    let spread = f64::from((mix ^ k.wrapping_mul(40_503)) % 1_000) / 1_000.0;
                    ((mix >> 3) % 60 + gap * k, level * (0.5 + spread))
                })
                .collect()
        })
    }

    /// The analysis worker's path — the history summarised, the scores made a slice at a time
    /// as they are written — gives the frame of the whole analysis, byte for byte, across
    /// several slices (every byte written: the buffer starts as 0xAA).
    #[test]
    fn scores_made_as_they_are_written_give_the_frame_of_the_analysis() {
        use crate::engine::clv::{analyse_summaries, summarise};
        for (n, config) in [
            (2_500, ClvConfig::default()),
            (1_024, ClvConfig::default()),
            (
                3_073,
                ClvConfig {
                    unit: crate::engine::clv::TimeUnit::Day,
                    calibration_end: Some(Day::parse_iso("2024-03-01").unwrap()),
                    horizon: 90,
                    ..ClvConfig::default()
                },
            ),
        ] {
            let history = varied_history(n);
            let whole = analyse_clv(&history, &config).unwrap();
            let (analysis, scoring) =
                analyse_summaries(summarise(&history, &config).unwrap(), &config).unwrap();
            assert!(analysis.scores.is_empty());
            assert_eq!(scoring.len(), whole.scores.len());
            let frame = write_clv_scored(analysis, &scoring, 9, |len| vec![0xAAu8; len]).unwrap();
            assert_eq!(frame, encode_clv(whole.clone(), 9), "{n} customers");
            assert_eq!(decode_clv(frame.as_slice()).unwrap(), whole);
        }
    }

    #[test]
    fn the_clv_result_read_in_slices_is_the_result() {
        let analysis = analyse_clv(&history(), &ClvConfig::default()).unwrap();
        let frame = encode_clv(analysis.clone(), 3);
        for count in [1, 7, 119, 120, 121, usize::MAX] {
            let mut decoder = ClvDecoder::new(frame.as_slice()).unwrap();
            assert_eq!(decoder.customers(), 120);
            let mut steps = 0;
            while decoder.step(frame.as_slice(), count) {
                steps += 1;
            }
            assert_eq!(
                steps + 1,
                120usize.div_ceil(count.min(120)),
                "{count} a slice"
            );
            // Asked again after the last, a step reads nothing.
            assert!(!decoder.step(frame.as_slice(), count));
            assert_eq!(decoder.finish(), analysis, "{count} a slice");
        }
        // A slice of nothing moves nothing on.
        let mut decoder = ClvDecoder::new(frame.as_slice()).unwrap();
        assert!(decoder.step(frame.as_slice(), 0));
        assert!(decoder.finish().scores.is_empty());
    }

    /// The worker's lifecycle results, from the request's bytes (history, first and last days,
    /// settings through the frame), are the page's own: the analysis, the comparison and the
    /// migration computed from the whole customer table, on the sample data and with settings
    /// that move every part (quarters, a lapse rule, an earlier analysis day, top three deciles).
    #[test]
    fn lifecycle_answers_from_the_request_are_the_pages() {
        use crate::engine::ingest::{import_bytes, InspectOptions};
        use crate::engine::lifecycle::{Grain, LifecycleConfig};
        use crate::engine::sample::{sample_csv, SampleLanguage};
        let csv = sample_csv(SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let table = &outcome.table;
        let h = outcome.purchase_history().unwrap();
        let last = table.customers.iter().filter_map(|c| c.last).max().unwrap();
        let day = Day::from_epoch_days(last.epoch_days() - 40);
        let rfm = RfmConfig {
            analysis_day: Some(day),
            ..RfmConfig::default()
        };
        let rules = SegmentRules::default();
        for grain in [Grain::Month, Grain::Quarter] {
            let settings = Settings {
                config: LifecycleConfig {
                    grain,
                    analysis_day: Some(day),
                    lapse_days: Some(90),
                    ..LifecycleConfig::default()
                },
                top_deciles: 3,
                ..Settings::default()
            };
            let request = AnalysisRequest::Lifecycle {
                settings: settings.clone(),
                rfm: rfm.clone(),
                rules: rules.clone(),
                columns: table.columns,
                profit: true,
                quantity: true,
            };
            let (generation, read) = AnalysisRequest::from_frame(&request.to_frame(9)).unwrap();
            assert_eq!((generation, &read), (9, &request));
            let AnalysisRequest::Lifecycle {
                settings: sent,
                rfm: sent_rfm,
                rules: sent_rules,
                columns,
                profit,
                quantity,
            } = read
            else {
                unreachable!()
            };
            let (p, q, starts, records) = h.parts();
            assert_eq!((profit, quantity), (p, q));
            let history = history_of(p, q, &offsets_bytes(starts), records.to_vec()).unwrap();
            let days = days_table(columns, &days_bytes(table)).unwrap();
            let expected: Vec<_> = table.customers.iter().map(|c| (c.first, c.last)).collect();
            assert_eq!(days.days, expected);
            let mut answers = Vec::new();
            lifecycle_answers(days, history, &sent, &sent_rfm, &sent_rules, |a| {
                let frame = encode_lifecycle(a, 9);
                answers.push(decode_lifecycle(frame.as_slice()).unwrap());
            });
            let analysis = analyse_lifecycle(table, h, &settings.config).unwrap();
            // The lapsing customers travel in the frame's body: some of both kinds here.
            assert!(!analysis.lapse.at_risk.is_empty() && !analysis.lapse.lapsed.is_empty());
            let frame = encode_lifecycle(
                &LifecycleAnswer::Analysis(Ok(Box::new(analysis.clone()))),
                3,
            );
            for cut in [frame.len() - 1, frame.len() - 36, frame.len() / 2] {
                assert!(
                    decode_lifecycle(frame.get(..cut).unwrap()).is_err(),
                    "{cut}"
                );
            }
            // Lists of odd lengths (the next list's f64 columns stay 8-byte aligned).
            for (a, l) in [(1, 3), (2, 1), (0, 1), (3, 0)] {
                let mut odd = analysis.clone();
                odd.lapse.at_risk.truncate(a);
                odd.lapse.lapsed.truncate(l);
                let answer = LifecycleAnswer::Analysis(Ok(Box::new(odd)));
                let frame = encode_lifecycle(&answer, 3);
                assert_eq!(
                    decode_lifecycle(frame.as_slice()).unwrap(),
                    answer,
                    "{a} {l}"
                );
            }
            // Read a slice at a time, across the two lists' join: the same answer.
            let whole = LifecycleAnswer::Analysis(Ok(Box::new(analysis.clone())));
            let frame = encode_lifecycle(&whole, 3);
            let n = analysis.lapse.at_risk.len() + analysis.lapse.lapsed.len();
            for count in [1, 2, 3, analysis.lapse.at_risk.len(), n, usize::MAX] {
                let mut decoder = LifecycleDecoder::new(frame.as_slice()).unwrap();
                let mut steps = 0;
                while decoder.step_slice(frame.as_slice(), count) {
                    steps += 1;
                    assert!(steps <= n + 2, "{count}: the steps end");
                }
                assert!(!decoder.step(frame.as_slice(), count));
                assert_eq!(decoder.output().unwrap(), whole, "{count} a slice");
            }
            // A day out of range in the second list is found by the step that reads it.
            let mut damaged = frame.clone();
            let (at_risk, lapsed) = (analysis.lapse.at_risk.len(), analysis.lapse.lapsed.len());
            let second = damaged.len() - list_bytes(lapsed);
            let day_at = second + 32 * lapsed;
            damaged[day_at..day_at + 4].copy_from_slice(&i32::MAX.to_le_bytes());
            let mut decoder = LifecycleDecoder::new(damaged.as_slice()).unwrap();
            assert!(decoder.step(damaged.as_slice(), at_risk));
            assert!(!decoder.step(damaged.as_slice(), 1));
            assert!(decoder.finish().is_err());
            assert!(decode_lifecycle(damaged.as_slice()).is_err());
            let comparison = compare(table, h, &analysis, &settings).unwrap();
            let migration = migrate(table, h, &analysis, &settings, &rfm, &rules).unwrap();
            assert!(!migration.migration.moves.is_empty());
            assert_eq!(
                answers,
                vec![
                    LifecycleAnswer::Analysis(Ok(Box::new(analysis))),
                    LifecycleAnswer::Comparison(Ok(Box::new(comparison))),
                    LifecycleAnswer::Migration(Ok(Box::new(for_the_page(migration)))),
                ],
                "{grain:?}"
            );
        }
        // A failed analysis is the only answer.
        let mut answers = Vec::new();
        let undated = DayTable {
            columns: Columns::default(),
            ..days_table(table.columns, &days_bytes(table)).unwrap()
        };
        lifecycle_answers(
            undated,
            PurchaseHistory::clone(h),
            &Settings::default(),
            &rfm,
            &rules,
            |a| answers.push(a.clone()),
        );
        assert!(matches!(
            answers.as_slice(),
            [LifecycleAnswer::Analysis(Err(_))]
        ));
        // Damaged days are errors, not panics.
        assert!(days_table(table.columns, &[0; 7]).is_err());
        assert!(days_table(table.columns, &[0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0]).is_err());
        assert!(decode_lifecycle(AnalysisRequest::TableRows.to_frame(1).as_slice()).is_err());
    }

    /// The clusters computed in the worker from the features the page sends are the page's own:
    /// the input read back equals [`ClusterInput::of`] (sent in slices cut anywhere), the
    /// analysis of it equals [`analyse_clusters`], and its answer frame reads back whole.
    #[test]
    fn clusters_through_the_worker_are_the_pages() {
        use crate::engine::clusters::{analyse_cluster_input, analyse_clusters};
        use crate::engine::ingest::{import_bytes, InspectOptions};
        use crate::engine::rfm::analyse_rfm;
        use crate::engine::sample::{sample_csv, SampleLanguage};
        let csv = sample_csv(SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let table = &outcome.table;
        let rfm = analyse_rfm(table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
        let n = rfm.scores.customers.len();
        assert!(n > 100);
        let segments: Vec<String> = rfm
            .segmentation
            .segments
            .iter()
            .map(|s| s.name_en.clone())
            .collect();
        let whole = cluster_features_bytes(table, &rfm, 0..n);
        assert_eq!(whole.len(), n * FEATURE_BYTES);
        for cut in [0, 1, 37, n / 2, n] {
            let mut sent = cluster_features_bytes(table, &rfm, 0..cut);
            sent.extend(cluster_features_bytes(table, &rfm, cut..n));
            assert_eq!(sent, whole, "cut at {cut}");
        }
        let input = cluster_input(&whole, segments.clone()).unwrap();
        assert_eq!(input, ClusterInput::of(table, &rfm).unwrap());
        let config = ClusterConfig::default();
        let analysis = analyse_cluster_input(&input, &config).unwrap();
        assert_eq!(analysis, analyse_clusters(table, &rfm, &config).unwrap());
        assert_eq!(
            decode_clusters(&encode_clusters(&analysis, 7)).unwrap(),
            analysis
        );
        assert!(decode_clusters(&encode_table_rows(&[], &Lines::default(), 7)).is_err());
        // Cut, or naming a segment past the names: refused.
        assert!(cluster_input(&whole[..whole.len() - 1], segments.clone()).is_err());
        let mut damaged = whole.clone();
        damaged[24..26].copy_from_slice(&(segments.len() as u16).to_le_bytes());
        assert!(cluster_input(&damaged, segments.clone()).is_err());
        // A non-finite M is the model's error, with its row.
        let mut nan = whole;
        nan[FEATURE_BYTES + 8..FEATURE_BYTES + 16].copy_from_slice(&f64::NAN.to_le_bytes());
        let input = cluster_input(&nan, segments).unwrap();
        assert!(matches!(
            analyse_cluster_input(&input, &config),
            Err(Error::Model {
                problem: crate::engine::error::ModelProblem::NotFinite { row: 1 },
                ..
            })
        ));
    }

    /// A survey read in the worker reaches the page whole, read a slice of any size at a time;
    /// a frame cut short, with a byte more, or of another kind is refused.
    #[test]
    fn a_survey_read_in_the_worker_reads_back_the_same() {
        use crate::engine::survey::import_survey;
        let files: [&[u8]; 3] = [
            include_bytes!("../../tests/fixtures/survey/nps_en.csv"),
            include_bytes!("../../tests/fixtures/survey/satisfaction_gbk.csv"),
            b"customer,satisfaction,date\nC1,4,2024-01-02\nC1,5,2024-02-03\nC2,x,2024-01-01\nC3,2,\n",
        ];
        for file in files {
            let survey = import_survey(file, &SurveyOptions::default()).unwrap();
            assert!(!survey.responses.is_empty() && !survey.respondents.is_empty());
            let frame = encode_survey(survey.clone(), 9);
            assert_eq!(frame::peek(frame.as_slice()).unwrap(), (Kind::Survey, 9));
            for slice in [1, 2, 7, 1_000] {
                let mut decoder = SurveyDecoder::new(frame.as_slice()).unwrap();
                while decoder.step(slice) {}
                assert_eq!(decoder.finish().unwrap(), survey, "slices of {slice}");
            }
            let mut longer = frame.clone();
            longer.push(0);
            let mut decoder = SurveyDecoder::new(longer.as_slice()).unwrap();
            while decoder.step(3) {}
            assert!(decoder.finish().is_err());
            let short = &frame[..frame.len() - 1];
            let read = SurveyDecoder::new(short).map(|mut decoder| {
                while decoder.step(3) {}
                decoder.finish()
            });
            assert!(!matches!(read, Ok(Ok(_))));
        }
        let other = encode_table_rows(&[], &Lines::default(), 9);
        assert!(SurveyDecoder::new(other.as_slice()).is_err());
    }
}
