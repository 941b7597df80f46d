//! The messages between the page and the import worker (导入线程).
//!
//! Each message is JSON text; the `File` itself travels next to it as a JS value, so the worker
//! reads the bytes in chunks and the page never holds the whole file.

use serde::{Deserialize, Serialize};

use crate::engine::error::Error;
use crate::engine::ingest::{ImportOutcome, ImportSettings, InspectOptions, Preview};

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
    },
    /// Import the whole file with these settings.
    Import {
        /// The settings (guessed, then checked by the user).
        settings: ImportSettings,
    },
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
    },
    /// The import is complete.
    Done(Box<ImportOutcome>),
    /// The request failed.
    Failed(Error),
}

impl Request {
    /// As JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From JSON text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::Format {
            what: "a request".into(),
            reason: e.to_string(),
        })
    }
}

impl Response {
    /// As JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            let failed = Response::Failed(Error::Format {
                what: "a response".into(),
                reason: e.to_string(),
            });
            serde_json::to_string(&failed).unwrap_or_default()
        })
    }

    /// From JSON text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::Format {
            what: "a response".into(),
            reason: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, inspect};

    #[test]
    fn messages_round_trip() {
        let csv = "客户编号,订单日期,金额\nC1,2024-01-05,100\nC2,2024-01-06,oops\n";
        let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        let request = Request::Import {
            settings: preview.settings(),
        };
        assert_eq!(Request::from_json(&request.to_json()).unwrap(), request);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        for response in [
            Response::Ready,
            Response::Preview(Box::new(preview)),
            Response::Done(Box::new(outcome)),
            Response::Failed(Error::HeaderOnly),
            Response::Progress {
                bytes: 1,
                total: 2,
                rows: 3,
                customers: 4,
            },
        ] {
            assert_eq!(Response::from_json(&response.to_json()).unwrap(), response);
        }
    }
}
