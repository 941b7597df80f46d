//! The messages between the page and the import worker (导入线程).
//!
//! Requests are JSON text with the `File` next to them as a JS value, so the worker reads the
//! bytes in chunks and the page never holds the whole file. Responses travel as bytes in a
//! transferred `ArrayBuffer`: postcard for the small ones, and for the finished import its own
//! array layout ([`handoff`]), which the page reads a slice of customers at a time.

use serde::{Deserialize, Serialize};

use crate::engine::error::Error;
use crate::engine::ingest::{ImportOutcome, ImportSettings, InspectOptions, Preview};
use crate::engine::monthly::{monthly_sales, MonthlySales};
use crate::engine::summary::{summarize, Summary};

pub mod handoff;
pub use handoff::{Bytes, DoneDecoder, Finished};

/// Bytes of the head that [`Request::Inspect`] reads.
pub const INSPECT_BYTES: u64 = 256 * 1024;
/// Bytes per chunk during [`Request::Import`].
pub const IMPORT_CHUNK_BYTES: u64 = 4 * 1024 * 1024;

/// What the page asks the worker to do with the file sent beside the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Read the head of the file and guess how to import it.
    Inspect {
        /// Overrides and the language hint.
        options: InspectOptions,
        /// Import at once, with the guessed settings, when the guess raises no concern
        /// ([`Preview::concerns`] is empty): the worker answers the preview and goes on, saving
        /// a round trip through the page. The page applies the same rule to know it.
        #[serde(default)]
        auto: bool,
        /// A second worker is ready: the file may be imported in two halves (see
        /// [`Response::SplitAt`]).
        #[serde(default)]
        split: bool,
    },
    /// Import the whole file with these settings.
    Import {
        /// The settings (guessed, then checked by the user).
        settings: ImportSettings,
        /// As for `Inspect`.
        #[serde(default)]
        split: bool,
    },
    /// To a second worker: import the file from byte `start` (a line start after the header) to
    /// the end, and answer with the partial aggregates (a message starting with [`PART_TAG`]).
    ImportPart {
        /// The first worker's settings.
        settings: Box<ImportSettings>,
        /// Where this worker's half starts.
        start: u64,
    },
    /// To the first worker, once it has stopped at the split: merge the second half's part,
    /// sent beside this request as `part` (a `Uint8Array` without the tag), and finish; without
    /// a part (the second worker failed), read the rest of the file itself.
    Absorb,
}

/// The first byte of a [`Response::Done`] message, which has its own binary form
/// ([`handoff`]); every other response is postcard and starts with its variant index (< 8).
/// The page recognises the big message by this byte before decoding anything.
pub const DONE_TAG: u8 = 0xD0;

/// The first byte of the second worker's partial aggregates (then [`Part::to_bytes`]), which the
/// page passes on to the first worker without reading them.
///
/// [`Part::to_bytes`]: crate::engine::ingest::Part::to_bytes
pub const PART_TAG: u8 = 0xD1;

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has started and takes requests.
    Ready,
    /// The answer to [`Request::Inspect`].
    Preview(Box<Preview>),
    /// Progress of an import.
    Progress {
        /// Bytes read so far.
        bytes: u64,
        /// Size of the file.
        total: u64,
        /// Data rows read so far.
        rows: u64,
        /// Distinct customers so far.
        customers: usize,
        /// From the worker importing the second half (`bytes` counts from its start).
        #[serde(default)]
        part: bool,
    },
    /// The request failed.
    Failed(Error),
    /// The first worker imports the file in two halves: the page is to send
    /// [`Request::ImportPart`] from `start` with these settings to the second worker.
    SplitAt {
        /// Where the second half starts.
        start: u64,
        /// The settings of the import.
        settings: Box<ImportSettings>,
    },
    /// The import is complete (encoded by [`Finished::encode`], never by serde).
    #[serde(skip)]
    Done(Box<Finished>),
}

impl Finished {
    /// Packs an import outcome, computing the derived figures (in the worker).
    pub fn new(outcome: ImportOutcome) -> Self {
        let summary = summarize(&outcome.table, &outcome.report);
        let monthly = monthly_sales(&outcome.table);
        Finished {
            table: outcome.table,
            report: outcome.report,
            rejected: outcome.rejected,
            summary,
            monthly,
        }
    }

    /// Unpacks into the outcome and the derived figures (on the page).
    pub fn into_parts(self) -> (ImportOutcome, Summary, Vec<MonthlySales>) {
        let outcome = ImportOutcome {
            table: self.table,
            report: self.report,
            rejected: self.rejected,
        };
        (outcome, self.summary, self.monthly)
    }
}

impl Request {
    /// As JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From JSON text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::Format {
            what: crate::engine::FormatSubject::Request,
            reason: crate::engine::FormatProblem::Parser {
                detail: e.to_string(),
            },
        })
    }
}

impl Response {
    /// As compact bytes: [`Finished::encode`] for `Done`, postcard for the rest.
    pub fn to_bytes(&self) -> Vec<u8> {
        if let Response::Done(finished) = self {
            return finished.encode();
        }
        postcard::to_stdvec(self).unwrap_or_else(|e| {
            let failed = Response::Failed(Error::Format {
                what: crate::engine::FormatSubject::Response,
                reason: crate::engine::FormatProblem::Parser {
                    detail: e.to_string(),
                },
            });
            postcard::to_stdvec(&failed).unwrap_or_default()
        })
    }

    /// From bytes made by [`Response::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.first() == Some(&DONE_TAG) {
            return Finished::decode(bytes).map(|finished| Response::Done(Box::new(finished)));
        }
        postcard::from_bytes(bytes).map_err(|e| Error::Format {
            what: crate::engine::FormatSubject::Response,
            reason: crate::engine::FormatProblem::Parser {
                detail: e.to_string(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, inspect};

    #[test]
    fn finished_unpacks_to_the_outcome() {
        let csv = crate::engine::sample::sample_csv(crate::engine::sample::SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let (back, summary, monthly) = Finished::new(outcome.clone()).into_parts();
        assert_eq!(back, outcome);
        assert_eq!(summary.customers, outcome.table.customers.len());
        assert_eq!(monthly.len(), 24);
    }

    #[test]
    fn done_messages_start_with_their_tag() {
        let csv = "c,amount\nx,1\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let bytes = Response::Done(Box::new(Finished::new(outcome))).to_bytes();
        assert_eq!(bytes[0], DONE_TAG);
        assert_ne!(Response::Ready.to_bytes()[0], DONE_TAG);
    }

    #[test]
    fn messages_round_trip() {
        let csv = "客户编号,订单日期,金额\nC1,2024-01-05,100\nC2,2024-01-06,oops\n";
        let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        let request_settings = || preview.settings();
        let request = Request::Import {
            settings: preview.settings(),
            split: true,
        };
        assert_eq!(Request::from_json(&request.to_json()).unwrap(), request);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        for response in [
            Response::Ready,
            Response::Preview(Box::new(preview.clone())),
            Response::Done(Box::new(Finished::new(outcome.clone()))),
            Response::Failed(Error::HeaderOnly),
            Response::Progress {
                bytes: 1,
                total: 2,
                rows: 3,
                customers: 4,
                part: true,
            },
            Response::SplitAt {
                start: 5,
                settings: Box::new(request_settings()),
            },
        ] {
            assert_eq!(
                Response::from_bytes(&response.to_bytes()).unwrap(),
                response
            );
        }
    }
}
