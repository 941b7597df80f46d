//! The analysis worker (分析线程): fits the CLV models (BG/NBD, Gamma-Gamma) and scores every
//! customer off the page's thread — seconds at a million customers. The page starts one for each
//! fit, sends it the purchase history beside the request
//! ([`valuelens::protocol::analysis`]), and ends it when the answer comes, when the parameters
//! change, or when the user cancels (`Worker::terminate`, which stops a fit mid-way).
//!
//! The lifecycle view's analyses run here too
//! ([`valuelens::protocol::analysis::AnalysisRequest::Lifecycle`]): the analysis, the comparison
//! of two periods and the segment migration, each posted as soon as it is ready, so the page's
//! thread never computes them (seconds at ten million rows) and their working memory goes with
//! the worker.
//!
//! So do the k-means clusters of the RFM view
//! ([`valuelens::protocol::analysis::AnalysisRequest::Clusters`]: the scored customers' R, F, M,
//! sales and segment are sent; a second or more of computing at any size).
//!
//! It also reads a monthly table sent as a workbook or a Parquet file to its rows
//! ([`valuelens::protocol::analysis::AnalysisRequest::TableRows`]), so the table readers are
//! not in the page's bundle, and decodes a small text file in a legacy encoding (a GBK survey,
//! master, SWOT or monthly table: [`valuelens::protocol::analysis::AnalysisRequest::DecodeText`]),
//! so the legacy decoders and their detector are not in it either. A satisfaction survey is
//! read here whole ([`valuelens::protocol::analysis::AnalysisRequest::Survey`]): at 200,000
//! responses its reading and combining were a quarter of a second of the page's thread.
//!
//! A binary of its own rather than a request to the import worker: the import worker ends
//! itself after every import (its memory holds the aggregation's peak), and the models'
//! numerics stay out of its bundle.

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;

    use gloo_events::EventListener;
    use js_sys::{Reflect, Uint8Array};
    use valuelens::engine::clusters::analyse_cluster_input;
    use valuelens::engine::clv::{analyse_summaries, summarise};
    use valuelens::engine::error::{Error, FormatProblem, FormatSubject};
    use valuelens::engine::ingest::decode_text;
    use valuelens::engine::monthly::readback::read_table_rows;
    use valuelens::engine::survey::import_survey;
    use valuelens::import_worker::JsFrame;
    use valuelens::protocol::analysis::{
        cluster_input, days_table, encode_clusters, encode_lifecycle, encode_survey,
        encode_table_rows, encode_text, history_of, keys, lifecycle_answers, write_clv_scored,
        AnalysisRequest,
    };
    use valuelens::protocol::Response;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        /// The request's fields sent in pieces before it, each at its whole length.
        static FIELDS: RefCell<Vec<(String, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
    }

    /// The byte array under `key` of a message (`None` when missing).
    fn array(data: &JsValue, key: &str) -> Option<Uint8Array> {
        Reflect::get(data, &JsValue::from_str(key))
            .ok()?
            .dyn_into::<Uint8Array>()
            .ok()
    }

    /// Lets go of `array`'s buffer (detached: `ArrayBuffer.transfer(0)`) once it is copied.
    /// A browser without `transfer` keeps it until the message is let go of.
    fn let_go(array: &Uint8Array) {
        let _ = array.buffer().transfer_with_length(0);
    }

    /// A piece of a field ([`keys::PIECE`]), copied into the end of the field, whose memory is
    /// taken at its whole length with its first piece; false when `data` is no piece.
    ///
    /// At ten million rows the lifecycle and CLV requests' fields are 62 MB: sent whole, they
    /// were held by the page, then by this worker while copied into its memory.
    fn take_piece(data: &JsValue) -> bool {
        let Some(key) = Reflect::get(data, &JsValue::from_str(keys::PIECE))
            .ok()
            .and_then(|key| key.as_string())
        else {
            return false;
        };
        let total = Reflect::get(data, &JsValue::from_str(keys::TOTAL))
            .ok()
            .and_then(|total| total.as_f64())
            .unwrap_or(0.0);
        let Some(piece) = array(data, keys::BYTES) else {
            return true;
        };
        FIELDS.with(|fields| {
            let mut fields = fields.borrow_mut();
            let at = match fields.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    let mut field = Vec::new();
                    // The page's length of a field it holds; should this memory not be had,
                    // the field grows as its pieces come.
                    let _ = field.try_reserve_exact(total as usize);
                    fields.push((key, field));
                    fields.len() - 1
                }
            };
            if let Some((_, field)) = fields.get_mut(at) {
                let start = field.len();
                field.resize(start + piece.length() as usize, 0);
                if let Some(out) = field.get_mut(start..) {
                    piece.copy_to(out);
                }
            }
        });
        let_go(&piece);
        true
    }

    /// The field `key` of the request: sent in pieces before it, or in its message (`None`
    /// when neither), copied into the module's memory; the message's array is then let go of,
    /// so the request is not held twice while it is worked on.
    fn bytes(data: &JsValue, key: &str) -> Option<Vec<u8>> {
        let pieced = FIELDS.with(|fields| {
            let mut fields = fields.borrow_mut();
            let at = fields.iter().position(|(k, _)| k == key)?;
            Some(fields.swap_remove(at).1)
        });
        if pieced.is_some() {
            return pieced;
        }
        let array = array(data, key)?;
        let bytes = array.to_vec();
        let_go(&array);
        Some(bytes)
    }

    /// A frame made in this module's memory, copied into a JS buffer to be posted.
    fn js(frame: Vec<u8>) -> Uint8Array {
        Uint8Array::from(frame.as_slice())
    }

    /// Runs the request in `data`, posting the frame of each answer, or of why not, through
    /// `post`.
    fn run(data: &JsValue, post: &dyn Fn(Uint8Array)) {
        let frame = bytes(data, keys::FRAME).unwrap_or_default();
        let (generation, request) = match AnalysisRequest::from_frame(&frame) {
            Ok(read) => read,
            Err(error) => return post(js(Response::Failed(error).to_frame(0))),
        };
        let missing = || Error::Format {
            what: FormatSubject::Request,
            reason: FormatProblem::NoFileSent,
        };
        let answer = match request {
            AnalysisRequest::Clv {
                config,
                profit,
                quantity,
            } => bytes(data, keys::OFFSETS)
                .zip(bytes(data, keys::RECORDS))
                .ok_or_else(missing)
                .and_then(|(offsets, records)| history_of(profit, quantity, &offsets, records))
                // The history let go of once summarised (46 MB of records at ten million rows).
                .and_then(|history| summarise(&history, &config))
                .and_then(|summaries| analyse_summaries(summaries, &config))
                // The scores made a slice at a time as they are written straight into a JS
                // buffer (62 MB at a million customers), never all held.
                .map(|(analysis, scoring)| {
                    write_clv_scored(analysis, &scoring, generation, JsFrame::new)
                        .map_or_else(|| Uint8Array::new_with_length(0), |frame| frame.0)
                }),
            AnalysisRequest::Clusters { config, segments } => bytes(data, keys::FEATURES)
                .ok_or_else(missing)
                .and_then(|features| cluster_input(&features, segments))
                .and_then(|input| analyse_cluster_input(&input, &config))
                .map(|analysis| js(encode_clusters(&analysis, generation))),
            AnalysisRequest::TableRows => bytes(data, keys::FILE)
                .ok_or_else(missing)
                .and_then(|file| read_table_rows(&file))
                .map(|(names, rows)| js(encode_table_rows(&names, &rows, generation))),
            AnalysisRequest::DecodeText(options) => bytes(data, keys::FILE)
                .ok_or_else(missing)
                .and_then(|file| decode_text(&file, &options))
                .map(|decoded| js(encode_text(&decoded, generation))),
            AnalysisRequest::Survey(options) => bytes(data, keys::FILE)
                .ok_or_else(missing)
                .and_then(|file| import_survey(&file, &options))
                .map(|survey| js(encode_survey(survey, generation))),
            AnalysisRequest::Lifecycle {
                settings,
                rfm,
                rules,
                columns,
                profit,
                quantity,
            } => {
                let inputs = bytes(data, keys::OFFSETS)
                    .zip(bytes(data, keys::RECORDS))
                    .zip(bytes(data, keys::DAYS))
                    .ok_or_else(missing)
                    .and_then(|((offsets, records), days)| {
                        let history = history_of(profit, quantity, &offsets, records)?;
                        Ok((days_table(columns, &days)?, history))
                    });
                match inputs {
                    Ok((table, history)) => {
                        return lifecycle_answers(table, history, &settings, &rfm, &rules, |a| {
                            post(js(encode_lifecycle(a, generation)))
                        })
                    }
                    Err(error) => Err(error),
                }
            }
        };
        post(answer.unwrap_or_else(|error| js(Response::Failed(error).to_frame(generation))));
    }

    /// Posts `message`, its buffer transferred.
    fn post(scope: &DedicatedWorkerGlobalScope, message: Uint8Array) {
        let transfer = js_sys::Array::of1(&message.buffer());
        let _ = scope.post_message_with_transfer(&message, &transfer);
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        valuelens::expose_memory();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let target = scope.clone();
        EventListener::new(&target, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else {
                return;
            };
            let data = event.data();
            if take_piece(&data) {
                return;
            }
            run(&data, &|message| post(&scope, message));
            // One request per worker: its memory goes with it.
            scope.close();
        })
        .forget();
        // Messages sent before the wasm module ran are lost, so the page waits for this.
        post(&target, js(Response::Ready.to_frame(0)));
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::start();
}
