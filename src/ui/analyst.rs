//! The page's side of the analysis worker (`src/bin/analyst.rs`): one worker per CLV fit (or
//! per monthly table file read to its rows, [`read_table_rows`]). It is sent the purchase
//! history and the parameters, answers once, and ends itself; dropping the [`ClvJob`] before
//! that (new parameters, new data, Cancel) terminates it mid-fit.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::browser::{single_file_url, SINGLE_FILE_ANALYST_URL};
use super::worker::{on_crash, JsBytes};
use crate::engine::clv::{ClvAnalysis, ClvConfig};
use crate::engine::error::{Error, FormatProblem, FormatSubject};
use crate::engine::history::PurchaseHistory;
use crate::engine::monthly::readback::Lines;
use crate::protocol::analysis::{
    decode_clv, decode_table_rows, keys, offsets_bytes, AnalysisRequest,
};
use crate::protocol::frame::{self, Kind};
use crate::protocol::Response;

/// Trunk's loader of the analysis worker (the single-file build names a Blob URL instead).
const ANALYST_URL: &str = "./analyst_loader.js";

/// A running CLV fit; dropping it ends the worker.
pub struct ClvJob {
    worker: Worker,
    _on_message: EventListener,
    _on_error: EventListener,
}

fn stopped(detail: String) -> Error {
    Error::Format {
        what: FormatSubject::Response,
        reason: FormatProblem::WorkerStopped { detail },
    }
}

impl ClvJob {
    /// Starts a worker and sends it `history` and `config`; `on_result` gets the answer once
    /// (unless the job is dropped first).
    ///
    /// # Errors
    /// The browser's, when it cannot start a worker.
    pub fn start(
        history: &PurchaseHistory,
        config: &ClvConfig,
        generation: u64,
        on_result: impl FnOnce(Result<ClvAnalysis, Error>) + 'static,
    ) -> Result<Self, JsValue> {
        let (profit, quantity, starts, records) = history.parts();
        let request = AnalysisRequest::Clv {
            config: config.clone(),
            profit,
            quantity,
        };
        // Built now (the history may change before the worker is ready), sent on `Ready`.
        let frame = Uint8Array::from(request.to_frame(generation).as_slice());
        let offsets = Uint8Array::from(offsets_bytes(starts).as_slice());
        let records = Uint8Array::from(records);
        start_worker(
            &[
                (keys::FRAME, &frame),
                (keys::OFFSETS, &offsets),
                (keys::RECORDS, &records),
            ],
            generation,
            Kind::Clv,
            |data| decode_clv(&JsBytes(data)),
            on_result,
        )
    }
}

/// A table file being read to its rows in the analysis worker
/// ([`AnalysisRequest::TableRows`]); dropping it ends the worker.
pub type TableJob = ClvJob;

/// Starts a worker that reads the table file `bytes` (an `.xlsx` workbook, a Parquet file) to
/// its header and rows; `on_result` gets them once (unless the job is dropped first).
///
/// # Errors
/// The browser's, when it cannot start a worker.
pub fn read_table_rows(
    bytes: &[u8],
    generation: u64,
    on_result: impl FnOnce(Result<(Vec<String>, Lines), Error>) + 'static,
) -> Result<TableJob, JsValue> {
    let frame = Uint8Array::from(AnalysisRequest::TableRows.to_frame(generation).as_slice());
    let file = Uint8Array::from(bytes);
    start_worker(
        &[(keys::FRAME, &frame), (keys::FILE, &file)],
        generation,
        Kind::TableRows,
        |data| decode_table_rows(&data.to_vec()),
        on_result,
    )
}

/// Starts an analysis worker, sends it the fields of `fields` (their buffers transferred) once
/// it is ready, and passes its answer of kind `kind` for `generation`, read by `decode`, or its
/// failure to `on_result`, once.
fn start_worker<T: 'static>(
    fields: &[(&str, &Uint8Array)],
    generation: u64,
    kind: Kind,
    decode: fn(&Uint8Array) -> Result<T, Error>,
    on_result: impl FnOnce(Result<T, Error>) + 'static,
) -> Result<ClvJob, JsValue> {
    let url = single_file_url(SINGLE_FILE_ANALYST_URL);
    let worker = Worker::new(url.as_deref().unwrap_or(ANALYST_URL))?;
    let message = Object::new();
    let transfer = Array::new();
    for (key, value) in fields {
        let _ = Reflect::set(&message, &(*key).into(), value);
        transfer.push(&value.buffer());
    }
    let pending = Rc::new(RefCell::new(Some((message, transfer))));
    type Done<T> = Box<dyn FnOnce(Result<T, Error>)>;
    let on_result: Rc<RefCell<Option<Done<T>>>> = Rc::new(RefCell::new(Some(Box::new(on_result))));
    let answer = {
        let on_result = on_result.clone();
        move |result: Result<T, Error>| {
            if let Some(done) = on_result.borrow_mut().take() {
                done(result);
            }
        }
    };
    let on_message = {
        let (worker, answer) = (worker.clone(), answer.clone());
        EventListener::new(&worker.clone(), "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let data: Uint8Array = event.data().unchecked_into();
            match frame::peek(&JsBytes(&data)) {
                Ok((Kind::Ready, _)) => {
                    if let Some((message, transfer)) = pending.borrow_mut().take() {
                        let _ = worker.post_message_with_transfer(&message, &transfer);
                    }
                }
                Ok((k, g)) if k == kind && g == generation => answer(decode(&data)),
                Ok((_, g)) if g == generation => {
                    let error = match Response::from_frame(&data.to_vec()) {
                        Ok(stamped) => match stamped.message {
                            Response::Failed(error) => error,
                            _ => stopped("an unexpected answer".into()),
                        },
                        Err(error) => error,
                    };
                    answer(Err(error));
                }
                Ok(_) => {}
                Err(error) => answer(Err(error)),
            }
        })
    };
    let on_error = on_crash(&worker, move |detail| answer(Err(stopped(detail))));
    Ok(ClvJob {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    })
}

impl Drop for ClvJob {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
