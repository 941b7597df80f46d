//! The import worker's body (导入线程), shared by the import worker (`src/bin/worker.rs`)
//! and the reader worker of table files (`src/bin/reader.rs`, which adds a [`TableHandler`]):
//! it reads the dropped file in chunks, decodes, parses and aggregates
//! per customer, and posts progress and the result back to the page. No DOM, no charts here.
//! The page starts one when it opens, so a dropped file does not wait for wasm to load, and the
//! worker then runs its import path once on synthetic lines (`warm_up`) so that the
//! browser has optimised it before the first file comes. The file is read through the browser's
//! stream of it, which reads ahead off this thread while the current piece is parsed.
//!
//! On a machine with 4 or more logical processors, a file of 8–256 MiB is read by two of these
//! at once (see [`crate::protocol::Request`]): the first
//! worker inspects the head, names the line where the second half starts ([`Response::SplitAt`])
//! and imports up to it; the second imports from that line to the end and sends its partial
//! aggregates ([`Request::ImportPart`] → a `Part` message), which the page passes to the first
//! worker to merge ([`Request::Absorb`]). When the second half turns out not to start at a record
//! (a quoted field holds the line break), the first worker reads on by itself.

//!
//! Every message is a frame (`crate::protocol::frame`) stamped with the import it belongs to:
//! each answer carries the generation of the request it answers. How the first worker joins the
//! two halves (the part may come before or after its own half is read, or not at all) is decided
//! by `crate::session::join::Join`; this file only does what it says.
//!
//! gloo where it fits: the file is a `gloo_file::Blob` (read through web-sys's
//! `ReadableStreamDefaultReader` of `Blob.stream()`, which gloo does not wrap: see [`Reader`]),
//! and requests arrive through a `gloo_events` listener. Answers are posted with web-sys's `post_message_with_transfer`, which gloo does not
//! wrap: the buffer is transferred, not copied.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;

use crate::engine::customers::FlatCustomers;
use crate::engine::error::Error;
use crate::engine::formats::{sniff, FileKind};
use crate::engine::ingest::values::DateOrderEvidence;
use crate::engine::ingest::{
    inspect, part_start, DateScanner, ImportSettings, Importer, Part, Preview,
};
use crate::engine::sample::write_orders;
use crate::engine::{FormatProblem, FormatSubject};
use crate::protocol::{
    keys, Finished, FrameSink, PartFrame, Request, Response, Restored, IMPORT_CHUNK_BYTES,
    INSPECT_BYTES,
};
use crate::session::join::{Join, Step};
use gloo_events::EventListener;
use gloo_file::Blob;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// How far past the middle of the file the first line break is looked for.
const SPLIT_SEARCH_BYTES: u64 = 1 << 20;

/// Order lines of the warm-up ([`warm_up`]), drawn from as many customer ids.
const WARM_UP_ROWS: u64 = 24_000;

/// The first half's import, waiting for the second half's part.
struct FirstHalf {
    importer: Importer,
    file: Blob,
    /// Where the second half starts (the first half has read up to here).
    start: u64,
}

thread_local! {
    /// Where the join of a split import stands (the part's frame as received).
    static JOIN: RefCell<Join<FirstHalf, Vec<u8>>> = const { RefCell::new(Join::Idle) };
    /// Where the time of the running import went.
    static TIMINGS: RefCell<Timings> = const { RefCell::new(Timings::NONE) };
    /// The table path, in the reader worker only ([`start`]).
    static TABLES: Cell<Option<TableHandler>> = const { Cell::new(None) };
    /// Messages that are no request of the page's, in the reader worker only ([`start`]).
    static SIDE: Cell<Option<SideHandler>> = const { Cell::new(None) };
    /// Whether the warm-up ([`warm_up`]) is still to run.
    static WARM_UP: Cell<WarmUp> = const { Cell::new(WarmUp::Pending) };
}

/// Where this worker's warm-up stands ([`warm_up`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WarmUp {
    /// Not run yet: it runs [`WARM_UP_DELAY_MS`] after the start, unless a request came first.
    Pending,
    /// Run, or given up for a request that came first with a small file.
    Over,
}

/// The wait between the start and the warm-up: a request that comes sooner has a file waiting
/// for this worker (a reader started for a dropped file), and decides by the file's size.
const WARM_UP_DELAY_MS: u32 = 50;

/// The size from which a file waiting for a worker that has not warmed up waits for the warm-up
/// too. The warm-up takes 70–100 ms; a cold module costs a 43 MB import (1M rows) about as much
/// and a larger file more (a 10M-row Parquet finish 9.0 s cold against 6.9 s warm), a small
/// file nothing: a small GBK or workbook file then waited ~80 ms for it.
const WARM_UP_MIN_BYTES: u64 = 32 << 20;

/// What the table path of a request returns (see [`TableHandler`]).
pub type TableFuture = Pin<Box<dyn Future<Output = Result<Option<Response>, Error>>>>;

/// The reader worker's path for a table file (`src/bin/reader.rs`): given the job, the file,
/// its kind (sniffed from its first bytes) and the `Inspect` or `Import` request, it answers
/// as the text path does (a preview, progress, the finished import). A function pointer, so
/// the import worker, which passes none, links none of it.
pub type TableHandler = fn(Job, Blob, FileKind, Request) -> TableFuture;

/// The reader worker's handler of messages that carry no frame (those between the reader and
/// the decoder worker it starts, `src/bin/reader.rs`): it answers whether it took the message;
/// any other goes on as a request of the page's.
pub type SideHandler = fn(&DedicatedWorkerGlobalScope, &JsValue) -> bool;

/// What a worker offers beside the import of text files: the reader worker's table path and
/// handler of its decoder's messages; the import worker none.
#[derive(Clone, Copy, Default)]
pub struct Extras {
    /// The table path.
    pub tables: Option<TableHandler>,
    /// The handler of messages that carry no frame.
    pub side: Option<SideHandler>,
}

/// The name of a worker that a reader worker starts to decode a table's row groups beside it
/// (`src/bin/reader.rs`): it does not warm the text path up (it never imports).
pub const DECODER_NAME: &str = "valuelens:decoder";

#[wasm_bindgen]
extern "C" {
    /// `performance.now()` of this worker, in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn now() -> f64;
}

/// The worker name that asks for [`Timings`] on the console (the benchmark's, `bench/run.mjs`;
/// the page never names its workers).
const TIMINGS_NAME: &str = "valuelens:timings";

/// Milliseconds of an import, by what the worker was doing: waiting for the file's bytes,
/// importing them (decode, split, check, aggregate), finishing, and writing and posting the
/// `Done` frame. Written to the console (`console.debug`, as JSON) only for a worker named
/// [`TIMINGS_NAME`].
#[derive(Debug, Clone, Copy)]
struct Timings {
    wait_ms: f64,
    import_ms: f64,
    finish_ms: f64,
    post_ms: f64,
    pieces: u32,
    bytes: u64,
}

impl Timings {
    const NONE: Timings = Timings {
        wait_ms: 0.0,
        import_ms: 0.0,
        finish_ms: 0.0,
        post_ms: 0.0,
        pieces: 0,
        bytes: 0,
    };

    fn update(change: impl FnOnce(&mut Timings)) {
        TIMINGS.with(|t| change(&mut t.borrow_mut()));
    }

    /// Logs and resets them, when this worker was asked for them.
    fn report(scope: &DedicatedWorkerGlobalScope) {
        let t = TIMINGS.with(|t| std::mem::replace(&mut *t.borrow_mut(), Timings::NONE));
        if scope.name() == TIMINGS_NAME {
            // Whole microseconds: no float formatting in this binary for it.
            let us = |ms: f64| (ms * 1000.0) as u64;
            let line = format!(
                "{TIMINGS_NAME} {{\"wait_us\":{},\"import_us\":{},\"finish_us\":{},\"post_us\":{},\"pieces\":{},\"bytes\":{}}}",
                us(t.wait_ms),
                us(t.import_ms),
                us(t.finish_ms),
                us(t.post_ms),
                t.pieces,
                t.bytes
            );
            web_sys::console::debug_1(&JsValue::from_str(&line));
        }
    }
}

/// Adds one piece of a table file's import to the running import's [`Timings`] (the reader
/// worker's row groups): milliseconds waiting for its bytes and decoding and importing it.
pub fn note_table_piece(wait_ms: f64, import_ms: f64, bytes: u64) {
    Timings::update(|t| {
        t.wait_ms += wait_ms;
        t.import_ms += import_ms;
        t.pieces += 1;
        t.bytes += bytes;
    });
}

/// A browser failure reading the file, as an error.
pub fn file_error(e: impl std::fmt::Debug) -> Error {
    Error::Format {
        what: FormatSubject::File,
        reason: FormatProblem::Parser {
            detail: format!("{e:?}"),
        },
    }
}

/// A frame's sink: a JS buffer of the frame's length, written a section or a slice at a time,
/// so a large frame (the `Done` frame, some 107 MB at ten million rows; the analysis worker's
/// CLV answer) never sits in a worker's wasm memory, which never shrinks, and is never copied
/// whole.
pub struct JsFrame(pub Uint8Array);

impl JsFrame {
    /// A zeroed buffer of `len` bytes (none when `len` does not fit a JS array's length).
    pub fn new(len: usize) -> JsFrame {
        JsFrame(Uint8Array::new_with_length(u32::try_from(len).unwrap_or(0)))
    }
}

impl FrameSink for JsFrame {
    fn write_at(&mut self, offset: usize, bytes: &[u8]) {
        let (Ok(start), Ok(end)) = (
            u32::try_from(offset),
            u32::try_from(offset.saturating_add(bytes.len())),
        ) else {
            return;
        };
        if end <= self.0.length() {
            self.0.subarray(start, end).copy_from(bytes);
        }
    }
}

/// The frame of `response` in a JS buffer: a `Done` frame written straight into it, the
/// others (small) copied.
fn js_frame(generation: u64, response: Response) -> Uint8Array {
    match response {
        Response::Done(finished) => finished
            .write_frame(generation, JsFrame::new)
            .map_or_else(|| Uint8Array::new_with_length(0), |frame| frame.0),
        other => {
            let bytes = other.into_frame(generation);
            Uint8Array::from(bytes.as_slice())
        }
    }
}

/// Posts `response` of import `generation` (its buffer transferred: no copy on the way).
fn post(scope: &DedicatedWorkerGlobalScope, generation: u64, response: Response) {
    let message = js_frame(generation, response);
    let transfer = js_sys::Array::of1(&message.buffer());
    let _ = scope.post_message_with_transfer(&message, &transfer);
}

/// Reads a byte range of a file through the browser's stream of it (`Blob.stream()`): the
/// browser reads ahead on a thread of its own while this thread parses. The next read is asked
/// for before the current piece is handed out, so a piece is usually waiting when it is wanted.
/// (Reading 4 MiB slices with a `FileReader` from here, before, started each read only when the
/// one before had been taken, and the reads overlapped the parsing less.)
///
/// Where the stream is a byte stream (Chromium's blob streams are), the pieces are read into
/// two buffers of this reader's own ([`Source::Buffers`], a "BYOB" reader) that take turns:
/// the default reader hands out a fresh buffer for every piece (64 KiB to 2 MiB), and those
/// pieces wait for the garbage collector after they are copied — at 10M rows a hundred MB or so
/// of them in the worker at once, on top of its WebAssembly memory.
struct Reader {
    source: Source,
    /// Bytes handed out so far, counted from the range's start.
    taken: u64,
    ahead: Option<JsFuture>,
}

/// How a [`Reader`] reads its stream.
enum Source {
    /// Into its own two buffers: the spare one (while the other is being filled) is here.
    Buffers {
        reader: web_sys::ReadableStreamByobReader,
        spare: Option<js_sys::ArrayBuffer>,
    },
    /// Pieces of the browser's choosing (a stream that is not a byte stream).
    Pieces(web_sys::ReadableStreamDefaultReader),
}

/// The size of each of a [`Reader`]'s two buffers (smaller for a smaller range).
const READ_BUFFER_BYTES: u64 = 2 << 20;

impl Source {
    /// Asks for the next piece; with buffers, into `buffer` (the spare one, or a new one).
    fn read(&mut self, size: u32) -> JsFuture {
        match self {
            Source::Buffers { reader, spare } => {
                let buffer = spare
                    .take()
                    .unwrap_or_else(|| js_sys::ArrayBuffer::new(size));
                JsFuture::from(reader.read_with_array_buffer_view(&Uint8Array::new(&buffer)))
            }
            Source::Pieces(reader) => JsFuture::from(reader.read()),
        }
    }
}

impl Reader {
    fn new(file: &Blob, start: u64, end: u64) -> Result<Reader, Error> {
        let range = file.slice(start, end.max(start));
        let range: &web_sys::Blob = range.as_ref();
        let stream = range.stream();
        // A stream that is not a byte stream refuses a BYOB reader (a TypeError), unlocked.
        let mut source = match web_sys::ReadableStreamByobReader::new(&stream) {
            Ok(reader) => Source::Buffers {
                reader,
                spare: None,
            },
            Err(_) => Source::Pieces(
                web_sys::ReadableStreamDefaultReader::new(&stream).map_err(file_error)?,
            ),
        };
        let size = buffer_size(end.saturating_sub(start));
        let ahead = Some(source.read(size));
        Ok(Reader {
            source,
            taken: 0,
            ahead,
        })
    }

    /// The next piece into `out` (reused); false at the end.
    async fn next(&mut self, out: &mut Vec<u8>) -> Result<bool, Error> {
        let Some(read) = self.ahead.take() else {
            return Ok(false);
        };
        let result: web_sys::ReadableStreamReadResult =
            read.await.map_err(file_error)?.unchecked_into();
        if result.get_done().unwrap_or(true) {
            return Ok(false);
        }
        let view: Uint8Array = result.get_value().unchecked_into();
        // Asked for before this piece is parsed, into the spare buffer.
        let size = view.buffer().byte_length();
        self.ahead = Some(self.source.read(size));
        out.resize(view.length() as usize, 0);
        view.copy_to(out);
        self.taken += u64::from(view.length());
        // This piece's buffer is the spare one now.
        if let Source::Buffers { spare, .. } = &mut self.source {
            *spare = Some(view.buffer());
        }
        Ok(true)
    }
}

/// A [`Reader`]'s buffer size for a range of `length` bytes: [`READ_BUFFER_BYTES`], or the
/// range's length when smaller (at least one byte).
fn buffer_size(length: u64) -> u32 {
    u32::try_from(length.clamp(1, READ_BUFFER_BYTES)).unwrap_or(1)
}

/// Reads `start..end` of the file into `out`.
pub async fn read_range(file: &Blob, start: u64, end: u64, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut reader = Reader::new(file, start, end)?;
    out.clear();
    let mut piece = Vec::new();
    while reader.next(&mut piece).await? {
        out.extend_from_slice(&piece);
    }
    Ok(())
}

/// The file read from its start by one stream, of which the first bytes are kept for looking
/// at (the kind of file, the head to inspect) and then handed to the import as its first piece,
/// the same stream going on with the rest.
///
/// Before, the 8 bytes of the kind, the 256 KiB of the head and the import each opened a
/// stream of their own, one after the other, and each waited for its first piece.
struct Prefix {
    reader: Reader,
    /// The bytes read so far, from the file's start.
    bytes: Vec<u8>,
    /// True once the stream has ended.
    ended: bool,
}

impl Prefix {
    fn new(file: &Blob) -> Result<Prefix, Error> {
        Ok(Prefix {
            reader: Reader::new(file, 0, file.size())?,
            bytes: Vec::new(),
            ended: false,
        })
    }

    /// The first `len` bytes of the file (fewer when it is shorter), read as far as needed.
    async fn head(&mut self, len: u64) -> Result<&[u8], Error> {
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let mut piece = Vec::new();
        while self.bytes.len() < len && !self.ended {
            if self.reader.next(&mut piece).await? {
                self.bytes.extend_from_slice(&piece);
            } else {
                self.ended = true;
            }
        }
        Ok(self
            .bytes
            .get(..len.min(self.bytes.len()))
            .unwrap_or_default())
    }
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
    let end = (middle + SPLIT_SEARCH_BYTES).min(total);
    read_range(file, middle, end, &mut window).await?;
    Ok(part_start(&window)
        .map(|offset| middle + offset as u64)
        .filter(|&start| start < total))
}

/// One request being handled: the scope to post to and the import it belongs to.
#[derive(Clone)]
pub struct Job {
    scope: DedicatedWorkerGlobalScope,
    generation: u64,
}

impl Job {
    /// Posts `response`, stamped with this job's import.
    pub fn post(&self, response: Response) {
        post(&self.scope, self.generation, response);
    }

    /// Feeds `start..end` of the file to `importer`, posting progress after every chunk
    /// (bytes counted from `start`; `part` marks the second worker's).
    async fn feed(
        &self,
        importer: &mut Importer,
        file: &Blob,
        (start, end): (u64, u64),
        part: bool,
    ) -> Result<(), Error> {
        let reader = Reader::new(file, start, end)?;
        self.feed_from(
            importer,
            file.size(),
            reader,
            Vec::new(),
            (start, end),
            part,
        )
        .await
    }

    /// [`Job::feed`] from `reader` (of `start..end` of a file of `total` bytes), of which
    /// `first` was read already (it goes first).
    async fn feed_from(
        &self,
        importer: &mut Importer,
        total: u64,
        mut reader: Reader,
        first: Vec<u8>,
        (start, end): (u64, u64),
        part: bool,
    ) -> Result<(), Error> {
        let mut first = Some(first).filter(|f| !f.is_empty());
        let mut chunk = Vec::new();
        // Progress once per [`IMPORT_CHUNK_BYTES`] (the browser's pieces are smaller).
        let mut reported = 0;
        loop {
            let asked = now();
            let more = match first.take() {
                Some(bytes) => {
                    chunk = bytes;
                    true
                }
                None => reader.next(&mut chunk).await?,
            };
            let got = now();
            if !more {
                Timings::update(|t| t.wait_ms += got - asked);
                break;
            }
            importer.push(&chunk);
            // A file the browser cannot hold stops here, not after the rest is read.
            if let Some(error) = importer.failure() {
                return Err(error);
            }
            let pushed = now();
            Timings::update(|t| {
                t.wait_ms += got - asked;
                t.import_ms += pushed - got;
                t.pieces += 1;
                t.bytes += chunk.len() as u64;
            });
            if reader.taken - reported < IMPORT_CHUNK_BYTES && start + reader.taken < end {
                continue;
            }
            reported = reader.taken;
            self.post(Response::Progress {
                bytes: reader.taken,
                total,
                rows: importer.rows_read(),
                customers: importer.customers_so_far(),
                part,
            });
        }
        Ok(())
    }

    /// Imports the whole file, or its first half when `split` and the file allows it
    /// (then [`JOIN`] says when and how the second half joins it).
    async fn import(
        &self,
        file: Blob,
        settings: ImportSettings,
        split: bool,
        prefix: Prefix,
    ) -> Result<Option<Response>, Error> {
        let total = file.size();
        let start = if split {
            split_point(&file, total, &settings).await?
        } else {
            None
        };
        if let Some(start) = start {
            self.post(Response::SplitAt {
                start,
                settings: Box::new(settings.clone()),
            });
        }
        let mut importer = Importer::new(settings)?;
        let Some(start) = start else {
            // The whole file: from the stream that read its head. (A first half is read by a
            // stream of its own, which stops at the half's end.)
            let Prefix { reader, bytes, .. } = prefix;
            self.feed_from(&mut importer, total, reader, bytes, (0, total), false)
                .await?;
            return finished(importer);
        };
        // Its stream and head are not this half's.
        drop(prefix);
        JOIN.with(|j| j.borrow_mut().start(self.generation));
        if let Err(error) = self.feed(&mut importer, &file, (0, start), false).await {
            JOIN.with(|j| j.borrow_mut().reset());
            return Err(error);
        }
        let at_boundary = importer.at_record_boundary();
        let first = FirstHalf {
            importer,
            file,
            start,
        };
        let step = JOIN.with(|j| {
            j.borrow_mut()
                .first_half_read(self.generation, first, at_boundary)
        });
        self.join(step).await
    }

    /// The second half's part (`None`: the second worker failed) came.
    async fn absorb(&self, part: Option<Vec<u8>>) -> Result<Option<Response>, Error> {
        let step = JOIN.with(|j| j.borrow_mut().part(self.generation, part));
        self.join(step).await
    }

    /// Does what the join says.
    async fn join(&self, step: Step<FirstHalf, Vec<u8>>) -> Result<Option<Response>, Error> {
        match step {
            Step::Wait => Ok(None),
            Step::Merge { mut first, part } => {
                first.importer.absorb(Part::from_frame(&part)?);
                finished(first.importer)
            }
            Step::ReadRest { mut first } => {
                let range = (first.start, first.file.size());
                self.feed(&mut first.importer, &first.file, range, false)
                    .await?;
                finished(first.importer)
            }
        }
    }

    async fn handle(&self, data: &JsValue, request: Request) -> Result<Option<Response>, Error> {
        let field = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
        if let Request::Absorb = request {
            let part = field(keys::PART)
                .and_then(|v| v.dyn_into::<Uint8Array>().ok())
                .map(|bytes| bytes.to_vec());
            return self.absorb(part).await;
        }
        if let Request::Restore(_) = request {
            // A saved workspace goes to the restore worker ([`start_restorer`]): this bundle
            // links no workspace reader.
            return Err(Error::Format {
                what: FormatSubject::Request,
                reason: FormatProblem::WorkerFailed {
                    detail: "this worker reads no saved workspace".into(),
                },
            });
        }
        let file = request_file(data)?;
        let total = file.size();
        if WARM_UP.with(Cell::get) == WarmUp::Pending {
            if total >= WARM_UP_MIN_BYTES {
                warm_up();
            }
            WARM_UP.with(|w| w.set(WarmUp::Over));
        }
        if let Request::ImportPart { settings, start } = request {
            let mut importer = Importer::new_part(*settings)?;
            self.feed(&mut importer, &file, (start, total), true)
                .await?;
            self.post(Response::Part(Box::new(importer.finish_part()?)));
            // Its work is in the page's hands now; its memory goes with it.
            self.scope.close();
            return Ok(None);
        }
        // One stream from the file's start serves the kind, the head and the import.
        let mut prefix = Prefix::new(&file)?;
        if let Some(tables) = TABLES.with(Cell::get) {
            let kind = sniff(prefix.head(8).await?);
            if kind.is_table() {
                return tables(self.clone(), file, kind, request).await;
            }
        }
        match request {
            Request::Inspect {
                options,
                auto,
                split,
            } => {
                let end = total.min(INSPECT_BYTES);
                let mut preview = inspect(prefix.head(end).await?, end == total, &options)?;
                if end < total && preview.needs_whole_date_column() {
                    // Dates like 05/01/2024 in the head: the rest of the column may tell.
                    preview.apply_whole_date_column(scan_dates(&file, &preview).await?);
                }
                if auto && preview.concerns().is_empty() {
                    // Nothing to ask the user: tell the page what was guessed, and go on.
                    let settings = preview.settings();
                    self.post(Response::Preview(Box::new(preview)));
                    self.import(file, settings, split, prefix).await
                } else {
                    Ok(Some(Response::Preview(Box::new(preview))))
                }
            }
            Request::Import { settings, split } => self.import(file, settings, split, prefix).await,
            Request::ImportPart { .. } | Request::Absorb | Request::Restore(_) => Ok(None),
        }
    }
}

/// What the whole date column says about day/month order ([`DateScanner`]).
async fn scan_dates(file: &Blob, preview: &Preview) -> Result<DateOrderEvidence, Error> {
    let Some(mut scanner) = DateScanner::new(&preview.settings())? else {
        return Ok(DateOrderEvidence::NotNeeded);
    };
    let mut reader = Reader::new(file, 0, file.size())?;
    let mut chunk = Vec::new();
    while reader.next(&mut chunk).await? {
        scanner.push(&chunk);
    }
    Ok(scanner.finish())
}

/// The finished import of `importer`, as the answer to post.
pub fn finished(importer: Importer) -> Result<Option<Response>, Error> {
    let started = now();
    let done = Response::Done(Box::new(Finished::from_flat(importer.finish_flat()?)));
    Timings::update(|t| t.finish_ms += now() - started);
    Ok(Some(done))
}

/// The frame of the request in a message (the bytes under [`keys::FRAME`]; none when missing,
/// which the frame's reading refuses).
fn request_frame(data: &JsValue) -> Vec<u8> {
    Reflect::get(data, &JsValue::from_str(keys::FRAME))
        .ok()
        .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        .map(|frame| frame.to_vec())
        .unwrap_or_default()
}

/// The file sent beside the request in a message (under [`keys::FILE`]).
fn request_file(data: &JsValue) -> Result<Blob, Error> {
    Reflect::get(data, &JsValue::from_str(keys::FILE))
        .ok()
        .and_then(|v| v.dyn_into::<web_sys::Blob>().ok())
        .map(Blob::from)
        .ok_or(Error::Format {
            what: FormatSubject::Request,
            reason: FormatProblem::NoFileSent,
        })
}

/// Handles one message from the page.
async fn on_message(scope: DedicatedWorkerGlobalScope, data: JsValue) {
    let frame = request_frame(&data);
    let (generation, result) = match Request::from_frame(&frame) {
        Ok(stamped) => {
            let job = Job {
                scope: scope.clone(),
                generation: stamped.generation,
            };
            (stamped.generation, job.handle(&data, stamped.message).await)
        }
        Err(error) => (0, Err(error)),
    };
    let response = match result {
        Ok(Some(response)) => response,
        Ok(None) => return,
        Err(error) => Response::Failed(error),
    };
    let finished = matches!(response, Response::Done(_));
    // The customers go into the frame (a JS buffer) as it is written.
    let started = now();
    post(&scope, generation, response);
    if finished {
        Timings::update(|t| t.post_ms += now() - started);
        Timings::report(&scope);
        // A wasm instance never returns memory: after a finished import this worker holds
        // the peak of the aggregation. The page ends it before it decodes the result, so the
        // two peaks never add up, and starts a fresh worker. (It does not end itself: a large
        // frame's arrival starts a garbage collection on the page's thread, which stalled
        // while this worker's memory was being unmapped: `ui::worker::done_timing`.)
    }
}

/// Runs the worker: `extras` are the reader worker's table path and handler of the decoder's
/// messages (none in the import worker, which warms its text path up instead).
pub fn start(extras: Extras) {
    console_error_panic_hook::set_once();
    crate::expose_memory();
    TABLES.with(|t| t.set(extras.tables));
    SIDE.with(|s| s.set(extras.side));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let target = scope.clone();
    EventListener::new(&target, "message", move |event| {
        if let Some(event) = event.dyn_ref::<MessageEvent>() {
            let data = event.data();
            if let Some(side) = SIDE.with(Cell::get) {
                if side(&scope, &data) {
                    return;
                }
            }
            spawn_local(on_message(scope.clone(), data));
        }
    })
    .forget();
    // Messages sent before the wasm module ran are lost, so the page waits for this.
    post(&target, 0, Response::Ready);
    if target.name() == DECODER_NAME {
        return;
    }
    // Next, a moment later: the import worker does it while nobody has picked a file yet. The
    // reader is started when a table file or legacy-encoded text is dropped, so its request
    // comes first; a large file then waits for the warm-up (the finish of a large table runs
    // once, in one call, and the browser does not swap a running call onto optimised code:
    // without it the 10M-row Parquet finish took 9.0 s where the warmed CSV worker's took
    // 6.9 s, BENCHMARKS.md), a small one does not ([`WARM_UP_MIN_BYTES`]).
    gloo_timers::callback::Timeout::new(WARM_UP_DELAY_MS, || {
        if WARM_UP.with(|w| w.replace(WarmUp::Over)) == WarmUp::Pending {
            warm_up();
        }
    })
    .forget();
}

/// Runs the restore worker (`src/bin/restorer.rs`): it reads the saved workspace sent with a
/// [`Request::Restore`] ([`crate::protocol::restore::restore`]: the text parsed, checked and
/// made customers), answers its small part ([`Response::Restored`]) and, with a data set, the
/// finished import's `Done` frame, which the page decodes as an import's; then it ends. A
/// bundle of its own: the workspace's JSON parser and checks were 180 KB of the import
/// worker's gzipped bundle, which every page loads at start (the reader worker, which has
/// them too, is 3 MB of wasm to fetch and compile for a restore).
pub fn start_restorer() {
    console_error_panic_hook::set_once();
    crate::expose_memory();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let target = scope.clone();
    EventListener::new(&target, "message", move |event| {
        if let Some(event) = event.dyn_ref::<MessageEvent>() {
            spawn_local(restore_message(scope.clone(), event.data()));
        }
    })
    .forget();
    // Messages sent before the wasm module ran are lost, so the page waits for this.
    post(&target, 0, Response::Ready);
}

/// Reads the workspace of one [`Request::Restore`] message and posts the answers.
async fn restore_message(scope: DedicatedWorkerGlobalScope, data: JsValue) {
    let frame = request_frame(&data);
    let (generation, result) = match Request::from_frame(&frame) {
        Ok(stamped) => (
            stamped.generation,
            restore_request(&data, stamped.message).await,
        ),
        Err(error) => (0, Err(error)),
    };
    match result {
        Ok((restored, finished)) => {
            post(&scope, generation, Response::Restored(Box::new(restored)));
            if let Some(finished) = finished {
                post(&scope, generation, Response::Done(Box::new(finished)));
            }
        }
        Err(error) => post(&scope, generation, Response::Failed(error)),
    }
    // One request per worker: its memory goes with it.
    scope.close();
}

/// The workspace of `request`, read from the file sent beside it.
async fn restore_request(
    data: &JsValue,
    request: Request,
) -> Result<(Restored, Option<Finished<FlatCustomers>>), Error> {
    let Request::Restore(from) = request else {
        return Err(Error::Format {
            what: FormatSubject::Request,
            reason: FormatProblem::WorkerFailed {
                detail: "this worker only reads saved workspaces".into(),
            },
        });
    };
    let file = request_file(data)?;
    // Read whole: JSON is parsed at once.
    let mut bytes = Vec::new();
    read_range(&file, 0, file.size(), &mut bytes).await?;
    crate::protocol::restore::restore(&bytes, from)
}

/// Runs the import path once on about 1 MB of synthetic order lines (24,000 rows, 8,435
/// customers), and drops the result.
///
/// The browser compiles wasm lazily and first with its baseline compiler; it optimises a
/// function only once the function has run for a while, and uses the optimised code from its
/// next call on. Without this, the first file a person drops pays for that: its first
/// megabytes, and the finish and hand-off (called once per file), run slowly (about 100 ms
/// more for a 43 MB file). This takes about 70–100 ms of this worker's time (no page's), in
/// the second or more a person needs to pick a file; a large file that comes sooner waits for
/// it, a small one goes first and the warm-up is given up ([`WARM_UP_MIN_BYTES`]).
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
    if let Ok(outcome) = importer.finish_flat() {
        drop(js_frame(
            0,
            Response::Done(Box::new(Finished::from_flat(outcome))),
        ));
    }
}
