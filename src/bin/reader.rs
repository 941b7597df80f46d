//! The reader worker (表格读取线程): the import worker's body (`valuelens::import_worker`) plus
//! the readers of table files — Excel workbooks (`.xlsx`, read whole with calamine) and Parquet
//! files — in a bundle of its own, so the import worker of text files does not grow. The page
//! starts it on demand when a dropped file is a table file (by its name, or by its first bytes
//! when the import worker found it no text), and talks to it as to the import worker: `Inspect`
//! answers a preview (and, when nothing is unclear, goes on importing), `Import` imports with
//! the settings, progress is posted as rows are read, and Cancel ends the worker.
//!
//! A table's rows go through `Importer::push_row`, the same checks, rejected-row report and
//! aggregation as the rows of a CSV; `inspect_table` makes the same guesses as for a CSV's head.
//! A Parquet file's mapped columns go as typed cells through `Importer::push_typed_row`, which
//! takes a row only as `push_row` would take its text (the others go as text).
//!
//! With two processors or more, a Parquet file's row groups after the first are decoded by a
//! second instance of this worker, nested in it (the decoder, named
//! `import_worker::DECODER_NAME`): it reads each row group's bytes, decompresses and decodes its
//! pages, checks each typed row as the typed path would, and sends the rows as transactions
//! (`engine::ingest::DecodedRows`); this worker only takes them (`Importer::push_decoded`), so
//! the decoding of one row group runs beside the aggregation of the one before. The outcome is
//! the one-thread outcome to the bit (`tests/parquet.rs`); a row group the decoder cannot decode,
//! or all of them when it cannot start or stops, are decoded here as before.

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::future::poll_fn;
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    use gloo_events::EventListener;
    use gloo_file::Blob;
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use valuelens::engine::error::{Error, FormatProblem, FormatSubject, ParquetProblem};
    use valuelens::engine::formats::parquet::{Opened, ParquetFile, TableRow};
    use valuelens::engine::formats::xlsx::{
        Sheet, Workbook, HEAD_ROWS, MAX_XLSX_BYTES, PROGRESS_CELLS,
    };
    use valuelens::engine::formats::{table_error, FileKind, TableHead, TableProblem};
    use valuelens::engine::ingest::{
        inspect_table, ColumnUse, DecodedRows, ImportSettings, Importer, InspectOptions, Preview,
        TableSource, PREVIEW_ROWS,
    };
    use valuelens::import_worker::{
        finished, note_table_piece, now, read_range, Job, TableFuture, DECODER_NAME,
    };
    use valuelens::protocol::{Request, Response};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::spawn_local;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions};

    /// Rows between two progress messages.
    const PROGRESS_ROWS: u64 = 20_000;

    /// The share of a workbook's progress given to reading its sheet (unzipping it and parsing
    /// its cells, which calamine does before any row can be imported), the rest to importing
    /// the rows: reading is most of the work.
    const XLSX_READ_SHARE: f64 = 0.8;

    /// The table path ([`valuelens::import_worker::TableHandler`]).
    pub fn tables(job: Job, file: Blob, kind: FileKind, request: Request) -> TableFuture {
        Box::pin(async move {
            match kind {
                FileKind::Xlsx => xlsx(&job, &file, request).await,
                FileKind::Parquet => parquet(&job, &file, request).await,
                FileKind::OldExcel => Err(table_error(kind, TableProblem::OldExcel)),
                // Not sent here (`import_worker` reads text itself).
                FileKind::Text => Ok(None),
            }
        })
    }

    /// The answer to an `Inspect`: the preview; when `auto` and nothing is unclear, the preview
    /// is posted and the settings to import with at once are returned instead.
    fn preview_or_go_on(
        job: &Job,
        preview: Preview,
        auto: bool,
    ) -> Result<ImportSettings, Response> {
        if auto && preview.concerns().is_empty() {
            let settings = preview.settings();
            job.post(Response::Preview(Box::new(preview)));
            Ok(settings)
        } else {
            Err(Response::Preview(Box::new(preview)))
        }
    }

    /// Feeds table rows to an importer, posting progress every [`PROGRESS_ROWS`] rows (bytes
    /// counted as the share of the file's rows read).
    struct Feed<'a> {
        job: &'a Job,
        importer: Importer,
        /// The share of the progress done before the first row (reading a workbook's sheet).
        base: f64,
        total_bytes: u64,
        total_rows: u64,
        seen: u64,
    }

    impl<'a> Feed<'a> {
        fn new(
            job: &'a Job,
            settings: ImportSettings,
            total_bytes: u64,
            total_rows: u64,
        ) -> Result<Self, Error> {
            Ok(Feed {
                job,
                importer: Importer::new_table(settings)?,
                base: 0.0,
                total_bytes,
                total_rows: total_rows.max(1),
                seen: 0,
            })
        }

        fn row(&mut self, line: u64, cells: &[&str]) {
            self.importer.push_row(line, cells);
            self.seen += 1;
            if self.seen.is_multiple_of(PROGRESS_ROWS) {
                self.progress();
            }
        }

        /// One row of a Parquet file: typed cells when the importer takes them, else text.
        fn table_row(&mut self, line: u64, row: TableRow) -> bool {
            match row {
                TableRow::Typed {
                    cells,
                    undecoded_bytes,
                } => {
                    if !self.importer.push_typed_row(cells, undecoded_bytes) {
                        return false;
                    }
                    self.seen += 1;
                    if self.seen.is_multiple_of(PROGRESS_ROWS) {
                        self.progress();
                    }
                    true
                }
                TableRow::Text(cells) => {
                    self.row(line, cells);
                    true
                }
            }
        }

        fn progress(&self) {
            let share = self.seen.min(self.total_rows) as f64 / self.total_rows as f64;
            let share = self.base + (1.0 - self.base) * share;
            self.job.post(Response::Progress {
                bytes: (self.total_bytes as f64 * share) as u64,
                total: self.total_bytes,
                rows: self.importer.rows_read(),
                customers: self.importer.customers_so_far(),
                part: false,
            });
        }

        fn finish(mut self) -> Result<Option<Response>, Error> {
            self.seen = self.total_rows;
            self.progress();
            self.importer.add_bytes(self.total_bytes);
            finished(self.importer)
        }
    }

    /// An Excel workbook: read whole, the sheet asked for (or the first) found, its head
    /// inspected, its rows imported.
    async fn xlsx(job: &Job, file: &Blob, request: Request) -> Result<Option<Response>, Error> {
        let total = file.size();
        if total > MAX_XLSX_BYTES {
            return Err(table_error(
                FileKind::Xlsx,
                TableProblem::TooLarge {
                    bytes: total,
                    limit: MAX_XLSX_BYTES,
                },
            ));
        }
        let mut bytes = Vec::new();
        read_range(file, 0, total, &mut bytes).await?;
        let mut book = Workbook::open(bytes)?;
        // Progress while the sheet's cells are parsed (Cancel ends the worker at any time).
        let mut reading = |share: f64| {
            job.post(Response::Progress {
                bytes: (total as f64 * XLSX_READ_SHARE * share) as u64,
                total,
                rows: 0,
                customers: 0,
                part: false,
            })
        };
        let (settings, sheet) = match request {
            Request::Inspect { options, auto, .. } => {
                let sheet = book.sheet_with_progress(
                    options.sheet.as_deref(),
                    PROGRESS_CELLS,
                    &mut reading,
                )?;
                match preview_or_go_on(job, sheet_preview(&sheet, &options)?, auto) {
                    Ok(settings) => (settings, sheet),
                    Err(answer) => return Ok(Some(answer)),
                }
            }
            Request::Import { settings, .. } => {
                let name = match &settings.source {
                    TableSource::Xlsx { sheet } => Some(sheet.as_str()),
                    _ => None,
                };
                let sheet = book.sheet_with_progress(name, PROGRESS_CELLS, &mut reading)?;
                (settings, sheet)
            }
            Request::ImportPart { .. } | Request::Absorb | Request::Restore(_) => return Ok(None),
        };
        drop(book);
        let mut feed = Feed::new(job, settings, total, sheet.data_rows())?;
        feed.base = XLSX_READ_SHARE;
        sheet.for_each_row(|line, cells| {
            feed.row(line, cells);
            true
        });
        feed.finish()
    }

    /// The preview of a sheet.
    fn sheet_preview(sheet: &Sheet, options: &InspectOptions) -> Result<Preview, Error> {
        let head = sheet.head(HEAD_ROWS.max(PREVIEW_ROWS));
        let source = TableSource::Xlsx {
            sheet: sheet.name().to_string(),
        };
        inspect_table(&head, source, options)
    }

    /// The file's last bytes read first for a Parquet footer: most footers fit.
    const PARQUET_TAIL: u64 = 64 * 1024;

    /// Opens a Parquet file from its footer: the last 64 KiB, or the longer tail it asks for.
    async fn open_parquet(file: &Blob, bytes: &mut Vec<u8>) -> Result<ParquetFile, Error> {
        let total = file.size();
        read_range(file, total.saturating_sub(PARQUET_TAIL), total, bytes).await?;
        match ParquetFile::open(total, bytes)? {
            Opened::Ready(parquet) => Ok(parquet),
            Opened::NeedTail(n) => {
                read_range(file, total.saturating_sub(n as u64), total, bytes).await?;
                match ParquetFile::open(total, bytes)? {
                    Opened::Ready(parquet) => Ok(parquet),
                    Opened::NeedTail(_) => Err(parquet_error(ParquetProblem::DamagedFooter {
                        detail: "the footer asked for more bytes twice".into(),
                    })),
                }
            }
        }
    }

    /// A Parquet file, read in pieces and never whole: the footer from the last 64 KiB (or the
    /// longer tail it asks for), then each row group from its own byte range (`Blob.slice`),
    /// decoded into the importer, progress after each row group and every
    /// [`PROGRESS_ROWS`] rows; Cancel ends the worker as for a CSV.
    ///
    /// With two or more processors, the row groups after the first are decoded by a
    /// [`Decoder`] worker beside this one, which only takes their rows ([`DecodedRows`]); a
    /// row group the decoder could not decode (or all of them, when it cannot start or
    /// stops) is decoded here, as without it.
    async fn parquet(job: &Job, file: &Blob, request: Request) -> Result<Option<Response>, Error> {
        let total = file.size();
        let mut bytes = Vec::new();
        let parquet = open_parquet(file, &mut bytes).await?;
        // Started before the head is read, so that it loads meanwhile; for one row group (which
        // this worker reads for the preview anyway) none.
        let mut decoder = match parquet.row_groups() > 1 {
            true => Decoder::spawn(file),
            false => None,
        };
        // Row group 0's bytes, read for the preview, are imported without reading them again.
        let mut group_0_read = false;
        let settings = match request {
            Request::Inspect { options, auto, .. } => {
                let range = parquet.row_group_bytes(0);
                read_range(file, range.start, range.end, &mut bytes).await?;
                group_0_read = true;
                let head = TableHead {
                    names: parquet.column_names(),
                    rows: parquet.head_rows(&bytes, PREVIEW_ROWS)?,
                    complete: parquet.rows() <= PREVIEW_ROWS as u64,
                    layout: valuelens::engine::formats::TableLayout {
                        skipped_columns: parquet.skipped_columns().to_vec(),
                        ..Default::default()
                    },
                };
                let preview = inspect_table(&head, TableSource::Parquet, &options)?;
                match preview_or_go_on(job, preview, auto) {
                    Ok(settings) => settings,
                    Err(answer) => return Ok(Some(answer)),
                }
            }
            Request::Import { settings, .. } => settings,
            Request::ImportPart { .. } | Request::Absorb | Request::Restore(_) => return Ok(None),
        };
        let width = parquet.column_names().len();
        let mut feed = Feed::new(job, settings.clone(), total, parquet.rows())?;
        let uses = feed.importer.column_uses(width);
        // The decoder takes the row groups this worker has not read yet, when there are rows
        // to type and more than one row group.
        let first_decoded = usize::from(group_0_read);
        match (&mut decoder, &uses) {
            (Some(d), Some(_)) if parquet.row_groups() > first_decoded + 1 => {
                d.start(&settings, first_decoded)
            }
            _ => decoder = None,
        }
        for group in 0..parquet.row_groups() {
            let asked = now();
            let decoded = match &decoder {
                Some(d) if group >= first_decoded => d.next(group).await,
                _ => None,
            };
            let got = now();
            let rows = parquet.row_group_rows(group);
            let seen = feed.seen;
            if let Some((decoded, invalid)) = decoded {
                parquet.add_invalid_utf8_cells(invalid);
                let refused = feed.importer.push_decoded(&decoded, width, rows);
                if let Some(from) = refused {
                    // Not taken from there on (not expected): this worker reads the rest.
                    let range = parquet.row_group_bytes(group);
                    read_range(file, range.start, range.end, &mut bytes).await?;
                    parquet.read_row_group_text_from(group, &bytes, from, &mut |line, row| {
                        feed.table_row(line, row)
                    })?;
                }
                if let Some(d) = &decoder {
                    d.credit();
                }
                feed.seen = seen + rows;
                note_table_piece(got - asked, now() - got, 0);
                feed.progress();
                continue;
            }
            let range = parquet.row_group_bytes(group);
            if !(group == 0 && group_0_read) {
                read_range(file, range.start, range.end, &mut bytes).await?;
            }
            let got = now();
            match &uses {
                Some(uses) => {
                    parquet.read_row_group_typed(group, &bytes, uses, &mut |line, row| {
                        feed.table_row(line, row)
                    })?
                }
                None => parquet
                    .read_row_group(group, &bytes, &mut |line, cells| feed.row(line, cells))?,
            }
            note_table_piece(got - asked, now() - got, bytes.len() as u64);
            feed.progress();
        }
        // Its work is done: it ends here (dropped), before the finish needs the memory.
        drop(decoder);
        feed.finish()
    }

    /// Row groups decoded ahead of the import (a few MiB each on both sides).
    const DECODED_AHEAD: u32 = 3;

    /// Names of the fields of the messages between the reader and its decoder.
    mod fields {
        /// To the decoder: the import settings (postcard), beside the file.
        pub const DECODE: &str = "decode";
        /// To the decoder: the first row group to decode.
        pub const FIRST: &str = "first";
        /// To the decoder: one more row group may be decoded ahead.
        pub const CREDIT: &str = "credit";
        /// From the decoder: the row group a message is about.
        pub const GROUP: &str = "group";
        /// From the decoder: its rows ([`super::DecodedRows`]).
        pub const ROWS: &str = "rows";
        /// From the decoder: cells of invalid UTF-8 it counted in the row group.
        pub const INVALID: &str = "invalid";
    }

    /// A row group's rows as the decoder wrote them, and the cells of invalid UTF-8 it counted.
    type Decoded = (Vec<u8>, u64);

    /// What has come from the decoder.
    #[derive(Default)]
    struct Inbox {
        /// Started, and its first message (`Response::Ready`) came.
        ready: bool,
        /// The request to send it once it is ready.
        request: Option<(JsValue, Array)>,
        /// Row groups in order: the rows and invalid cells, or `None` when it could not decode
        /// one (it stops there).
        groups: VecDeque<(usize, Option<Decoded>)>,
        /// It crashed, or could not be told its work: nothing more comes.
        broken: bool,
        waker: Option<Waker>,
    }

    /// A worker running this same script that decodes the file's row groups beside this one
    /// (a nested dedicated worker, ended with this one), so that decompressing and decoding
    /// pages and reading the cells' values run on one processor and the aggregation on
    /// another. It is sent the file and the import settings, decodes the row groups in order
    /// from the first it is given, each into [`DecodedRows`] exactly as this worker's typed
    /// path would take them, and stays at most [`DECODED_AHEAD`] row groups ahead.
    struct Decoder {
        worker: Worker,
        file: Blob,
        inbox: Rc<RefCell<Inbox>>,
        _on_message: EventListener,
        _on_error: EventListener,
    }

    impl Decoder {
        /// Starts one, when this browser has two processors or more and a worker can start a
        /// worker; `None` otherwise.
        fn spawn(file: &Blob) -> Option<Decoder> {
            let global = js_sys::global();
            let field = |object: &JsValue, name: &str| Reflect::get(object, &name.into()).ok();
            let cores = field(&global, "navigator")
                .and_then(|n| field(&n, "hardwareConcurrency"))
                .and_then(|c| c.as_f64())
                .unwrap_or(1.0);
            if cores < 2.0 {
                return None;
            }
            let url = field(&global, "location")
                .and_then(|l| field(&l, "href"))
                .and_then(|h| h.as_string())?;
            let options = WorkerOptions::new();
            options.set_name(DECODER_NAME);
            let worker = Worker::new_with_options(&url, &options).ok()?;
            let inbox = Rc::new(RefCell::new(Inbox::default()));
            let on_message = {
                let (inbox, worker) = (inbox.clone(), worker.clone());
                EventListener::new(&worker.clone(), "message", move |event| {
                    let Some(event) = event.dyn_ref::<MessageEvent>() else {
                        return;
                    };
                    let data = event.data();
                    let mut inbox = inbox.borrow_mut();
                    match field(&data, fields::GROUP).and_then(|g| g.as_f64()) {
                        Some(group) => {
                            let rows = field(&data, fields::ROWS)
                                .and_then(|r| r.dyn_into::<Uint8Array>().ok())
                                .map(|rows| rows.to_vec());
                            let invalid = field(&data, fields::INVALID)
                                .and_then(|i| i.as_f64())
                                .unwrap_or(0.0) as u64;
                            let decoded = rows.map(|rows| (rows, invalid));
                            // After a row group it could not decode, it stops.
                            inbox.broken |= decoded.is_none();
                            inbox.groups.push_back((group as usize, decoded));
                        }
                        // Its `Ready` frame (a `Uint8Array`): the request may go.
                        None if !inbox.ready => {
                            inbox.ready = true;
                            if let Some((request, transfer)) = inbox.request.take() {
                                let sent = worker.post_message_with_transfer(&request, &transfer);
                                inbox.broken |= sent.is_err();
                            }
                        }
                        None => {}
                    }
                    if let Some(waker) = inbox.waker.take() {
                        waker.wake();
                    }
                })
            };
            let on_error = {
                let inbox = inbox.clone();
                EventListener::new(&worker, "error", move |_| {
                    let mut inbox = inbox.borrow_mut();
                    inbox.broken = true;
                    if let Some(waker) = inbox.waker.take() {
                        waker.wake();
                    }
                })
            };
            Some(Decoder {
                worker,
                file: file.clone(),
                inbox,
                _on_message: on_message,
                _on_error: on_error,
            })
        }

        /// Tells it to decode the row groups from `first` on with `settings` (sent when it is
        /// ready: a message before that would be lost).
        fn start(&mut self, settings: &ImportSettings, first: usize) {
            let Ok(settings) = postcard::to_allocvec(settings) else {
                self.inbox.borrow_mut().broken = true;
                return;
            };
            let request = Object::new();
            let file: &web_sys::Blob = self.file.as_ref();
            let set = |name: &str, value: &JsValue| {
                let _ = Reflect::set(&request, &name.into(), value);
            };
            let settings = Uint8Array::from(settings.as_slice());
            set(fields::DECODE, &settings);
            set(valuelens::protocol::keys::FILE, file);
            set(fields::FIRST, &JsValue::from_f64(first as f64));
            let transfer = Array::of1(&settings.buffer());
            let mut inbox = self.inbox.borrow_mut();
            if inbox.ready {
                let sent = self.worker.post_message_with_transfer(&request, &transfer);
                inbox.broken |= sent.is_err();
            } else {
                inbox.request = Some((request.into(), transfer));
            }
        }

        /// Row group `group` as it decoded it (the groups come in order); `None` when it could
        /// not, or stopped.
        async fn next(&self, group: usize) -> Option<Decoded> {
            poll_fn(|context| {
                let mut inbox = self.inbox.borrow_mut();
                while let Some(&(front, _)) = inbox.groups.front() {
                    if front >= group {
                        break;
                    }
                    inbox.groups.pop_front();
                }
                match inbox.groups.front() {
                    Some(&(front, _)) if front == group => {
                        Poll::Ready(inbox.groups.pop_front().and_then(|(_, rows)| rows))
                    }
                    _ if inbox.broken => Poll::Ready(None),
                    // A later group: it stopped before this one.
                    Some(_) => Poll::Ready(None),
                    None => {
                        inbox.waker = Some(context.waker().clone());
                        Poll::Pending
                    }
                }
            })
            .await
        }

        /// Lets it decode one more row group ahead.
        fn credit(&self) {
            let message = Object::new();
            let _ = Reflect::set(&message, &fields::CREDIT.into(), &JsValue::TRUE);
            let _ = self.worker.post_message(&message);
        }
    }

    impl Drop for Decoder {
        /// Ends it (a nested worker would otherwise live on until this worker ends).
        fn drop(&mut self) {
            self.worker.terminate();
        }
    }

    thread_local! {
        /// In the decoder: row groups it may still decode ahead, and its decoding waiting for one.
        static CREDITS: RefCell<(u32, Option<Waker>)> = const { RefCell::new((DECODED_AHEAD, None)) };
    }

    /// The reader worker's side messages ([`valuelens::import_worker::SideHandler`]): in a
    /// decoder, the request to decode and the credits.
    pub fn side(scope: &DedicatedWorkerGlobalScope, data: &JsValue) -> bool {
        let field = |name: &str| {
            Reflect::get(data, &name.into())
                .ok()
                .filter(|v| !v.is_undefined())
        };
        if field(fields::CREDIT).is_some() {
            CREDITS.with(|c| {
                let mut credits = c.borrow_mut();
                credits.0 += 1;
                if let Some(waker) = credits.1.take() {
                    waker.wake();
                }
            });
            return true;
        }
        let Some(settings) = field(fields::DECODE) else {
            return false;
        };
        let settings = settings
            .dyn_into::<Uint8Array>()
            .ok()
            .and_then(|s| postcard::from_bytes::<ImportSettings>(&s.to_vec()).ok());
        let file = field(valuelens::protocol::keys::FILE)
            .and_then(|f| f.dyn_into::<web_sys::Blob>().ok())
            .map(Blob::from);
        let first = field(fields::FIRST).and_then(|f| f.as_f64()).unwrap_or(0.0) as usize;
        let scope = scope.clone();
        spawn_local(async move {
            let decoded = match (settings, file) {
                (Some(settings), Some(file)) => decode(&scope, &file, settings, first).await,
                _ => Err(first),
            };
            if let Err(group) = decoded {
                post_group(&scope, group, None);
            }
        });
        true
    }

    /// Posts row group `group`'s rows (transferred), or that it could not be decoded.
    fn post_group(scope: &DedicatedWorkerGlobalScope, group: usize, rows: Option<(&[u8], u64)>) {
        let message = Object::new();
        let set = |name: &str, value: &JsValue| {
            let _ = Reflect::set(&message, &name.into(), value);
        };
        set(fields::GROUP, &JsValue::from_f64(group as f64));
        let transfer = Array::new();
        if let Some((rows, invalid)) = rows {
            let rows = Uint8Array::from(rows);
            set(fields::ROWS, &rows);
            set(fields::INVALID, &JsValue::from_f64(invalid as f64));
            transfer.push(&rows.buffer());
        }
        let _ = scope.post_message_with_transfer(&message, &transfer);
    }

    /// Waits until the reader lets it decode one more row group ahead.
    async fn credit() {
        poll_fn(|context| {
            CREDITS.with(|c| {
                let mut credits = c.borrow_mut();
                if credits.0 > 0 {
                    credits.0 -= 1;
                    Poll::Ready(())
                } else {
                    credits.1 = Some(context.waker().clone());
                    Poll::Pending
                }
            })
        })
        .await
    }

    /// The decoder's work: the row groups from `first` on, each read, decoded and posted as its
    /// rows; `Err(group)` names the first it could not decode (the reader decodes that one
    /// itself and meets the same error, or reads it when the error was this worker's).
    async fn decode(
        scope: &DedicatedWorkerGlobalScope,
        file: &Blob,
        settings: ImportSettings,
        first: usize,
    ) -> Result<(), usize> {
        let mut bytes = Vec::new();
        let parquet = open_parquet(file, &mut bytes).await.map_err(|_| first)?;
        let importer = Importer::new_table(settings.clone()).map_err(|_| first)?;
        let uses: Vec<ColumnUse> = importer
            .column_uses(parquet.column_names().len())
            .ok_or(first)?;
        drop(importer);
        let mut rows = DecodedRows::new();
        for group in first..parquet.row_groups() {
            credit().await;
            let range = parquet.row_group_bytes(group);
            read_range(file, range.start, range.end, &mut bytes)
                .await
                .map_err(|_| group)?;
            let before = parquet.invalid_utf8_cells();
            parquet
                .decode_row_group(group, &bytes, &uses, &settings, &mut rows)
                .map_err(|_| group)?;
            let invalid = parquet.invalid_utf8_cells() - before;
            post_group(scope, group, Some((rows.bytes(), invalid)));
        }
        Ok(())
    }

    fn parquet_error(problem: ParquetProblem) -> Error {
        Error::Format {
            what: FormatSubject::ParquetFile,
            reason: FormatProblem::Parquet(problem),
        }
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    valuelens::import_worker::start(valuelens::import_worker::Extras {
        tables: Some(web::tables),
        side: Some(web::side),
    });
}
