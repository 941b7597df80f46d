//! The messages between the page and the import worker (导入线程), in one encoding.
//!
//! Every message, both ways, is one [frame](frame): a 24-byte prefix (the message's [`Kind`],
//! the import's generation, the length of the head), a postcard head, and — for the finished
//! import only — the customers column by column ([`handoff`]). A frame travels as the buffer
//! of a `Uint8Array`, transferred, never copied. A request goes as a JS object with the frame
//! under [`keys::FRAME`], the `File` it is about under [`keys::FILE`] (the worker reads the
//! bytes in chunks; the page never holds the whole file) and, for [`Request::Absorb`], the
//! second worker's part frame under [`keys::PART`].
//!
//! Postcard for every head, because it is the smallest and the quickest of the serde formats
//! here and already carried the answers; the finished import keeps its own array layout after
//! its head, because the page reads it a slice of customers at a time through typed-array views
//! of the received buffer (never copying the whole message into wasm memory). The page tells
//! the kind and generation of a message from its prefix alone: a second worker's part is passed
//! on to the first worker without being read.

use serde::{Deserialize, Serialize};

use crate::engine::customers::FlatCustomers;
use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::engine::ingest::{ImportOutcome, ImportSettings, InspectOptions, Part, Preview};
use crate::engine::monthly::{monthly_sales, MonthlySales};
use crate::engine::summary::{summarize, Summary};

pub mod analysis;
pub mod frame;
pub mod handoff;
pub mod restore;
pub use frame::{Kind, Stamped};
pub use handoff::{Bytes, DoneDecoder, Finished, FrameSink};
pub use restore::{RestoreFrom, Restored, RestoredMaster, RestoredSurvey};

/// The names of the fields of a request's JS object, the same on both sides.
pub mod keys {
    /// The request's frame (a `Uint8Array`).
    pub const FRAME: &str = "frame";
    /// The file the request is about (a `Blob` or `File`).
    pub const FILE: &str = "file";
    /// With [`super::Request::Absorb`]: the second worker's part frame, as it sent it.
    pub const PART: &str = "part";
}

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
        auto: bool,
        /// A second worker is ready: the file may be imported in two halves (see
        /// [`Response::SplitAt`]).
        split: bool,
    },
    /// Import the whole file with these settings.
    Import {
        /// The settings (guessed, then checked by the user).
        settings: ImportSettings,
        /// As for `Inspect`.
        split: bool,
    },
    /// To a second worker: import the file from byte `start` (a line start after the header) to
    /// the end, and answer with the partial aggregates ([`Response::Part`]).
    ImportPart {
        /// The first worker's settings.
        settings: Box<ImportSettings>,
        /// Where this worker's half starts.
        start: u64,
    },
    /// To the first worker, once it has stopped at the split: merge the second half's part,
    /// sent beside this request under [`keys::PART`] (the frame as the second worker sent it),
    /// and finish; without a part (the second worker failed), read the rest of the file itself.
    Absorb,
    /// Read the file sent beside, a saved workspace ([`restore`]): answer its small part
    /// ([`Response::Restored`]) and, with a data set, its customers (`Done`).
    Restore(RestoreFrom),
}

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
    /// The small part of a workspace read for [`Request::Restore`] (its customers, if any,
    /// follow in a `Done` frame).
    Restored(Box<Restored>),
    /// The import is complete (its frame is written by [`Finished::encode`], never by serde),
    /// its customers flat as the worker finishes them.
    #[serde(skip)]
    Done(Box<Finished<FlatCustomers>>),
    /// The second worker's partial aggregates, for the first worker ([`Request::Absorb`]);
    /// the page passes the frame on unread.
    #[serde(skip)]
    Part(Box<Part>),
}

impl Response {
    /// The kind written in the frame's prefix.
    pub fn kind(&self) -> Kind {
        match self {
            Response::Ready => Kind::Ready,
            Response::Preview(_) => Kind::Preview,
            Response::Progress { .. } => Kind::Progress,
            Response::Failed(_) => Kind::Failed,
            Response::SplitAt { .. } => Kind::SplitAt,
            Response::Restored(_) => Kind::Restored,
            Response::Done(_) => Kind::Done,
            Response::Part(_) => Kind::Part,
        }
    }
}

impl Finished {
    /// Packs an import outcome, computing the derived figures (in the worker).
    pub fn new(outcome: ImportOutcome) -> Self {
        let summary = summarize(&outcome.table, &outcome.report);
        let monthly = monthly_sales(&outcome.table);
        Finished::packed(outcome, summary, monthly)
    }

    /// Unpacks into the outcome and the derived figures (on the page).
    pub fn into_parts(self) -> (ImportOutcome, Summary, Vec<MonthlySales>) {
        let outcome = ImportOutcome {
            table: self.table,
            report: self.report,
            rejected: self.rejected,
            history: self.history,
            attributes: self.attributes,
            lines: self.lines,
        };
        (outcome, self.summary, self.monthly)
    }
}

/// An error about a message (`what`: a request or a response) that could not be read.
pub(crate) fn unreadable(what: FormatSubject, detail: impl ToString) -> Error {
    Error::Format {
        what,
        reason: FormatProblem::Parser {
            detail: detail.to_string(),
        },
    }
}

impl Request {
    /// The request's frame, for the import `generation`.
    pub fn to_frame(&self, generation: u64) -> Vec<u8> {
        frame::encode(Kind::Request, generation, self).unwrap_or_default()
    }

    /// From a frame made by [`Request::to_frame`].
    pub fn from_frame(bytes: &[u8]) -> Result<Stamped<Self>, Error> {
        let (kind, generation) = frame::peek(bytes)?;
        if kind != Kind::Request {
            return Err(unreadable(FormatSubject::Request, "not a request"));
        }
        let message = frame::decode_head(bytes, FormatSubject::Request)?;
        Ok(Stamped {
            generation,
            message,
        })
    }
}

impl Response {
    /// The answer's frame, for the import `generation`: [`Finished::encode`] for `Done`, the
    /// postcard part for `Part`, postcard for the rest.
    pub fn to_frame(&self, generation: u64) -> Vec<u8> {
        let encoded = match self {
            Response::Done(finished) => return finished.encode(generation),
            Response::Restored(restored) => restored.frame(self, generation),
            Response::Part(part) => frame::encode(Kind::Part, generation, part),
            _ => frame::encode(self.kind(), generation, self),
        };
        encoded.unwrap_or_else(|e| {
            let failed = Response::Failed(unreadable(FormatSubject::Response, e));
            frame::encode(Kind::Failed, generation, &failed).unwrap_or_default()
        })
    }

    /// The answer's frame, taking it apart as it is written (the finished import's customers
    /// are freed slice by slice, see [`Finished::into_frame`]).
    pub fn into_frame(self, generation: u64) -> Vec<u8> {
        match self {
            Response::Done(finished) => finished.into_frame(generation),
            other => other.to_frame(generation),
        }
    }

    /// From a frame made by [`Response::to_frame`] (a `Done` decoded whole: the page decodes
    /// it in slices with a [`DoneDecoder`] instead).
    pub fn from_frame(bytes: &[u8]) -> Result<Stamped<Self>, Error> {
        let (kind, generation) = frame::peek(bytes)?;
        let message = match kind {
            Kind::Done => Response::Done(Box::new(Finished::decode(bytes)?.into_flat())),
            Kind::Part => Response::Part(Box::new(Part::from_frame(bytes)?)),
            Kind::Restored => Response::Restored(Box::new(Restored::from_frame(bytes)?)),
            Kind::Request | Kind::Analyse => {
                return Err(unreadable(FormatSubject::Response, "a request"))
            }
            Kind::Clv => return Err(unreadable(FormatSubject::Response, "a CLV result")),
            Kind::Lifecycle => {
                return Err(unreadable(FormatSubject::Response, "a lifecycle result"))
            }
            _ => frame::decode_head(bytes, FormatSubject::Response)?,
        };
        Ok(Stamped {
            generation,
            message,
        })
    }
}

/// The part frame's reading, on the first worker's side.
pub trait PartFrame: Sized {
    /// The part in a frame made by [`Response::to_frame`] of a [`Response::Part`].
    fn from_frame(bytes: &[u8]) -> Result<Self, Error>;
}

impl PartFrame for Part {
    fn from_frame(bytes: &[u8]) -> Result<Part, Error> {
        match frame::peek(bytes)? {
            (Kind::Part, _) => frame::decode_head(bytes, FormatSubject::ImportSecondHalf),
            _ => Err(unreadable(FormatSubject::ImportSecondHalf, "not a part")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, inspect, Importer};

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
        let bytes = Response::Done(Box::new(Finished::new(outcome).into_flat())).to_frame(1);
        assert_eq!(bytes[0], Kind::Done as u8);
        assert_ne!(Response::Ready.to_frame(1)[0], Kind::Done as u8);
        // Every message tells its kind and import from its prefix alone.
        assert_eq!(frame::peek(bytes.as_slice()).unwrap(), (Kind::Done, 1));
    }

    #[test]
    fn messages_round_trip() {
        let csv = "客户编号,订单日期,金额\nC1,2024-01-05,100\nC2,2024-01-06,oops\n";
        let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        let request_settings = || preview.settings();
        for request in [
            Request::Import {
                settings: preview.settings(),
                split: true,
            },
            Request::Inspect {
                options: InspectOptions::default(),
                auto: true,
                split: false,
            },
            Request::ImportPart {
                settings: Box::new(preview.settings()),
                start: 9,
            },
            Request::Absorb,
            Request::Restore(RestoreFrom::WorkspaceFile),
            Request::Restore(RestoreFrom::SessionData),
        ] {
            let back = Request::from_frame(&request.to_frame(7)).unwrap();
            assert_eq!(back.generation, 7);
            assert_eq!(back.message, request);
        }
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let mut second = Importer::new_part(preview.settings()).unwrap();
        second.push(b"C3,2024-02-01,5\n");
        for response in [
            Response::Ready,
            Response::Preview(Box::new(preview.clone())),
            Response::Done(Box::new(Finished::new(outcome.clone()).into_flat())),
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
            Response::Part(Box::new(second.finish_part().unwrap())),
            Response::Restored(Box::new(Restored {
                workspace: Some("{}".into()),
                file_name: None,
                master: Some(RestoredMaster {
                    file_name: "m.csv".into(),
                    options: Default::default(),
                    bytes: (0..=255).chain([0x80; 300]).collect(),
                }),
                survey: Some(RestoredSurvey {
                    file_name: "s.csv".into(),
                    options: Default::default(),
                    config: Default::default(),
                    len: 3,
                    bytes: vec![0xFF, 0, 7],
                }),
            })),
        ] {
            let frame = response.to_frame(u64::MAX);
            assert_eq!(frame[0], response.kind() as u8);
            let back = Response::from_frame(&frame).unwrap();
            assert_eq!(back.generation, u64::MAX);
            assert_eq!(back.message, response);
        }
    }

    #[test]
    fn a_frame_of_one_kind_is_not_read_as_another() {
        let request = Request::Absorb.to_frame(1);
        assert!(Response::from_frame(&request).is_err());
        assert!(Part::from_frame(&request).is_err());
        assert!(Request::from_frame(&Response::Ready.to_frame(1)).is_err());
    }

    #[test]
    fn the_kinds_keep_their_bytes() {
        // The browser tests and the benchmark tell messages apart by the first byte.
        let kinds = [
            (Kind::Ready, 0),
            (Kind::Preview, 1),
            (Kind::Progress, 2),
            (Kind::Failed, 3),
            (Kind::SplitAt, 4),
            (Kind::Restored, 5),
            (Kind::Done, 0xD0),
            (Kind::Part, 0xD1),
            (Kind::Analyse, 0x41),
            (Kind::Clv, 0xD2),
            (Kind::TableRows, 0xD3),
            (Kind::Lifecycle, 0xD4),
        ];
        for (kind, byte) in kinds {
            assert_eq!(kind as u8, byte);
            assert_eq!(Kind::from_byte(byte), Some(kind));
        }
        assert_eq!(Kind::from_byte(0xFF), None);
    }
}
