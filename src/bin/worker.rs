//! The import worker (导入线程): reads the dropped file in chunks, decodes, parses and aggregates
//! per customer, and posts progress and the result back to the page. No DOM, no charts here.
//! The page starts one when it opens, so a dropped file does not wait for wasm to load, and the
//! worker then runs its import path once on synthetic lines (`warm_up`) so that the
//! browser has optimised it before the first file comes; the next 4 MiB piece is read (by the
//! browser, off this thread) while the current one is parsed.
//!
//! On a machine with 4 or more logical processors, a file of 8–256 MiB is read by two of these
//! at once (see [`valuelens::protocol::Request`]): the first
//! worker inspects the head, names the line where the second half starts ([`Response::SplitAt`])
//! and imports up to it; the second imports from that line to the end and sends its partial
//! aggregates ([`Request::ImportPart`] → a `Part` message), which the page passes to the first
//! worker to merge ([`Request::Absorb`]). When the second half turns out not to start at a record
//! (a quoted field holds the line break), the first worker reads on by itself.

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::{Cell, RefCell};

    use js_sys::{Reflect, Uint8Array};
    use valuelens::engine::error::Error;
    use valuelens::engine::ingest::values::DateOrderEvidence;
    use valuelens::engine::ingest::{
        inspect, part_start, DateScanner, ImportSettings, Importer, Part, Preview,
    };
    use valuelens::engine::sample::write_orders;
    use valuelens::protocol::{
        Finished, Request, Response, IMPORT_CHUNK_BYTES, INSPECT_BYTES, PART_TAG,
    };
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

    /// How far past the middle of the file the first line break is looked for.
    const SPLIT_SEARCH_BYTES: u64 = 1 << 20;

    /// Order lines of the warm-up ([`warm_up`]), drawn from as many customer ids.
    const WARM_UP_ROWS: u64 = 24_000;

    /// The first half's import, waiting for the second half's part.
    struct Waiting {
        importer: Importer,
        file: Blob,
        /// Where the second half starts (the first half has read up to here).
        start: u64,
    }

    thread_local! {
        static WAITING: RefCell<Option<Waiting>> = const { RefCell::new(None) };
        /// The first half is being read (a second half that comes now must wait).
        static IMPORTING: Cell<bool> = const { Cell::new(false) };
        /// A second half (or the word that it failed: `None`) that came while the first half
        /// was still being read.
        static EARLY_PART: RefCell<Option<Option<Vec<u8>>>> = const { RefCell::new(None) };
    }

    fn file_error(e: impl std::fmt::Debug) -> Error {
        Error::Format {
            what: valuelens::engine::FormatSubject::File,
            reason: valuelens::engine::FormatProblem::Parser {
                detail: format!("{e:?}"),
            },
        }
    }

    fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
        post_bytes(scope, response.to_bytes());
    }

    fn post_bytes(scope: &DedicatedWorkerGlobalScope, bytes: Vec<u8>) {
        let message = Uint8Array::from(bytes.as_slice());
        drop(bytes);
        // Transfer the buffer: no copy on the way to the page.
        let transfer = js_sys::Array::of1(&message.buffer());
        let _ = scope.post_message_with_transfer(&message, &transfer);
    }

    /// Reads a file piece by piece, asking the browser for the next piece before the current one
    /// is parsed: the reading (done off this thread) overlaps the parsing.
    struct Reader {
        file: Blob,
        at: u64,
        end: u64,
        ahead: Option<js_sys::Promise>,
    }

    impl Reader {
        fn new(file: &Blob, start: u64, end: u64) -> Result<Reader, Error> {
            let mut reader = Reader {
                file: file.clone(),
                at: start,
                end,
                ahead: None,
            };
            reader.ahead = reader.request(start)?;
            Ok(reader)
        }

        fn request(&self, from: u64) -> Result<Option<js_sys::Promise>, Error> {
            if from >= self.end {
                return Ok(None);
            }
            let to = (from + IMPORT_CHUNK_BYTES).min(self.end);
            let slice = self
                .file
                .slice_with_f64_and_f64(from as f64, to as f64)
                .map_err(file_error)?;
            Ok(Some(slice.array_buffer()))
        }

        /// The next piece into `out` (reused); false at the end.
        async fn next(&mut self, out: &mut Vec<u8>) -> Result<bool, Error> {
            let Some(promise) = self.ahead.take() else {
                return Ok(false);
            };
            let buffer = JsFuture::from(promise).await.map_err(file_error)?;
            let view = Uint8Array::new(&buffer);
            self.at += u64::from(view.length());
            self.ahead = self.request(self.at)?;
            out.resize(view.length() as usize, 0);
            view.copy_to(out);
            Ok(true)
        }
    }

    /// Reads `start..end` of the file into `out`.
    async fn read_range(file: &Blob, start: u64, end: u64, out: &mut Vec<u8>) -> Result<(), Error> {
        let mut reader = Reader::new(file, start, end)?;
        out.clear();
        let mut piece = Vec::new();
        while reader.next(&mut piece).await? {
            out.extend_from_slice(&piece);
        }
        Ok(())
    }

    /// Where the second half of the file starts: the line after the first line break at or
    /// after the middle. `None` when the file is small, its encoding is not ASCII-compatible
    /// (a 0x0A byte may then be half of a character), or no line break is near the middle.
    async fn split_point(
        file: &Blob,
        total: u64,
        settings: &ImportSettings,
    ) -> Result<Option<u64>, Error> {
        if !settings.splits_at_line_breaks() {
            return Ok(None);
        }
        let middle = total / 2;
        let mut window = Vec::new();
        read_range(
            file,
            middle,
            (middle + SPLIT_SEARCH_BYTES).min(total),
            &mut window,
        )
        .await?;
        Ok(part_start(&window)
            .map(|offset| middle + offset as u64)
            .filter(|&start| start < total))
    }

    /// Feeds `start..end` of the file to `importer`, posting progress after every chunk (bytes
    /// counted from `start`; `part` marks the second worker's).
    async fn feed(
        scope: &DedicatedWorkerGlobalScope,
        importer: &mut Importer,
        file: &Blob,
        (start, end): (u64, u64),
        part: bool,
    ) -> Result<(), Error> {
        let total = file.size() as u64;
        let mut reader = Reader::new(file, start, end)?;
        let mut chunk = Vec::new();
        while reader.next(&mut chunk).await? {
            importer.push(&chunk);
            post(
                scope,
                &Response::Progress {
                    bytes: reader.at - start,
                    total,
                    rows: importer.rows_read(),
                    customers: importer.customers_so_far(),
                    part,
                },
            );
        }
        Ok(())
    }

    /// What the whole date column says about day/month order ([`DateScanner`]).
    async fn scan_dates(file: &Blob, preview: &Preview) -> Result<DateOrderEvidence, Error> {
        let Some(mut scanner) = DateScanner::new(&preview.settings())? else {
            return Ok(DateOrderEvidence::NotNeeded);
        };
        let mut reader = Reader::new(file, 0, file.size() as u64)?;
        let mut chunk = Vec::new();
        while reader.next(&mut chunk).await? {
            scanner.push(&chunk);
        }
        Ok(scanner.finish())
    }

    fn finished(importer: Importer) -> Result<Option<Response>, Error> {
        Ok(Some(Response::Done(Box::new(Finished::new(
            importer.finish()?,
        )))))
    }

    /// Imports the whole file, or its first half when `split` and the file allows it (then the
    /// importer waits in [`WAITING`] for the second half, unless that has come already).
    async fn import(
        scope: &DedicatedWorkerGlobalScope,
        file: Blob,
        settings: ImportSettings,
        split: bool,
    ) -> Result<Option<Response>, Error> {
        let total = file.size() as u64;
        let start = if split {
            split_point(&file, total, &settings).await?
        } else {
            None
        };
        if let Some(start) = start {
            post(
                scope,
                &Response::SplitAt {
                    start,
                    settings: Box::new(settings.clone()),
                },
            );
        }
        let mut importer = Importer::new(settings)?;
        let Some(start) = start else {
            feed(scope, &mut importer, &file, (0, total), false).await?;
            return finished(importer);
        };
        IMPORTING.with(|i| i.set(true));
        let fed = feed(scope, &mut importer, &file, (0, start), false).await;
        IMPORTING.with(|i| i.set(false));
        fed?;
        if !importer.at_record_boundary() {
            // A quoted field runs over the split: the second half started inside it. Read on
            // alone; the page drops the other worker when this one is done.
            feed(scope, &mut importer, &file, (start, total), false).await?;
            return finished(importer);
        }
        WAITING.with(|w| {
            *w.borrow_mut() = Some(Waiting {
                importer,
                file,
                start,
            })
        });
        // The second half may have arrived while this one was read.
        match EARLY_PART.with(|p| p.borrow_mut().take()) {
            Some(part) => absorb(scope, part).await,
            None => Ok(None),
        }
    }

    /// Merges the second half (or, without one, reads it here) and finishes. A part that comes
    /// while the first half is still being read waits in [`EARLY_PART`].
    async fn absorb(
        scope: &DedicatedWorkerGlobalScope,
        part: Option<Vec<u8>>,
    ) -> Result<Option<Response>, Error> {
        if IMPORTING.with(Cell::get) {
            EARLY_PART.with(|p| *p.borrow_mut() = Some(part));
            return Ok(None);
        }
        let Some(mut waiting) = WAITING.with(|w| w.borrow_mut().take()) else {
            return Ok(None);
        };
        match part.map(|bytes| Part::from_bytes(&bytes)).transpose()? {
            Some(part) => waiting.importer.absorb(part),
            None => {
                let total = waiting.file.size() as u64;
                let range = (waiting.start, total);
                feed(scope, &mut waiting.importer, &waiting.file, range, false).await?;
            }
        }
        finished(waiting.importer)
    }

    async fn handle(
        scope: &DedicatedWorkerGlobalScope,
        data: JsValue,
    ) -> Result<Option<Response>, Error> {
        let field = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok();
        let request_text = field("request")
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let request = Request::from_json(&request_text)?;
        if let Request::Absorb = request {
            let part = field("part")
                .and_then(|v| v.dyn_into::<Uint8Array>().ok())
                .map(|bytes| bytes.to_vec());
            return absorb(scope, part).await;
        }
        let file: Blob = field("file")
            .and_then(|v| v.dyn_into().ok())
            .ok_or(Error::Format {
                what: valuelens::engine::FormatSubject::Request,
                reason: valuelens::engine::FormatProblem::NoFileSent,
            })?;
        let total = file.size() as u64;
        match request {
            Request::Inspect {
                options,
                auto,
                split,
            } => {
                let end = total.min(INSPECT_BYTES);
                let mut head = Vec::new();
                read_range(&file, 0, end, &mut head).await?;
                let mut preview = inspect(&head, end == total, &options)?;
                if end < total && preview.needs_whole_date_column() {
                    // Dates like 05/01/2024 in the head: the rest of the column may tell.
                    preview.apply_whole_date_column(scan_dates(&file, &preview).await?);
                }
                if auto && preview.concerns().is_empty() {
                    // Nothing to ask the user: tell the page what was guessed, and go on.
                    let settings = preview.settings();
                    post(scope, &Response::Preview(Box::new(preview)));
                    import(scope, file, settings, split).await
                } else {
                    Ok(Some(Response::Preview(Box::new(preview))))
                }
            }
            Request::Import { settings, split } => import(scope, file, settings, split).await,
            Request::ImportPart { settings, start } => {
                let mut importer = Importer::new_part(*settings)?;
                feed(scope, &mut importer, &file, (start, total), true).await?;
                let mut bytes = importer.finish_part().to_bytes();
                bytes.insert(0, PART_TAG);
                post_bytes(scope, bytes);
                // Its work is in the page's hands now; its memory goes with it.
                scope.close();
                Ok(None)
            }
            Request::Absorb => Ok(None),
        }
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let scope_for_handler = scope.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let scope = scope_for_handler.clone();
            spawn_local(async move {
                let response = match handle(&scope, event.data()).await {
                    Ok(Some(response)) => response,
                    Ok(None) => return,
                    Err(error) => Response::Failed(error),
                };
                let finished = matches!(response, Response::Done(_));
                let bytes = response.to_bytes();
                // The customers are in the bytes now: free them before the copy into a JS buffer.
                drop(response);
                post_bytes(&scope, bytes);
                if finished {
                    // A wasm instance never returns memory: after a finished import this worker
                    // holds the peak of the aggregation. End it now, before the page decodes the
                    // result, so the two peaks never add up; the page starts a fresh worker.
                    scope.close();
                }
            });
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // Messages sent before the wasm module ran are lost, so the page waits for this.
        post(&scope, &Response::Ready);
        // Next, while nobody has picked a file yet.
        spawn_local(async { warm_up() });
    }

    /// Runs the import path once on about 1 MB of synthetic order lines (24,000 rows, 8,435
    /// customers), and drops the result.
    ///
    /// The browser compiles wasm lazily and first with its baseline compiler; it optimises a
    /// function only once the function has run for a while, and uses the optimised code from its
    /// next call on. Without this, the first file a person drops pays for that: its first
    /// megabytes, and the finish and hand-off (called once per file), run slowly (about 100 ms
    /// more for a 43 MB file). This takes about 70–100 ms of this worker's time (no page's), in
    /// the second or more a person needs to pick a file; a file that comes sooner waits for it.
    fn warm_up() {
        let mut bytes = Vec::with_capacity(1 << 20);
        if write_orders(&mut bytes, WARM_UP_ROWS, WARM_UP_ROWS, 1).is_err() {
            return;
        }
        let end = bytes.len().min(INSPECT_BYTES as usize);
        let head = bytes.get(..end).unwrap_or_default();
        let Ok(preview) = inspect(head, end == bytes.len(), &Default::default()) else {
            return;
        };
        let Ok(mut importer) = Importer::new(preview.settings()) else {
            return;
        };
        bytes.chunks(1 << 18).for_each(|piece| importer.push(piece));
        if let Ok(outcome) = importer.finish() {
            drop(Response::Done(Box::new(Finished::new(outcome))).to_bytes());
        }
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::start();
}
