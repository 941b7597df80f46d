//! The import engine as wasm, without a browser (wasm 基准): compute time only, for comparing
//! two builds of the engine on a machine whose other work makes browser timings noisy.
//!
//! ```sh
//! cargo build --profile web-release --target wasm32-unknown-unknown --example engine-wasm
//! wasm-bindgen --target nodejs --out-dir OUT target/wasm32-unknown-unknown/web-release/examples/engine-wasm.wasm
//! node bench/engine-wasm.mjs FILE OUT [OTHER_OUT …]
//! ```
//!
//! `import_file` does what the import worker does with a file's bytes, in one thread: inspect
//! the head, import the bytes in pieces, finish; `bench/engine-wasm.mjs` times it (wall and the
//! process's processor time) in Node's V8, builds alternating.
//!
//! Natively (`cargo run --profile bench-native --example engine-wasm -- FILE [REPS]`) it says
//! where the processor time of a 1M-row import goes, by stages that each do a little more than
//! the one before: decode (UTF-8 check), scan (split records), parse (the mapped cells read as
//! the importer reads them, nothing kept), import (every check and the aggregation), finish.
//! Each stage is the median of REPS runs; the differences are the cost of each step.
//! `import_parquet` does what the reader worker does with a Parquet file (`src/bin/reader.rs`):
//! open the footer, inspect the first row group's head, import each row group's typed cells;
//! `decode_parquet` only decodes them (the reader's own share). `node bench/engine-wasm.mjs
//! FILE.parquet OUT --mode parquet` (or `--mode decode`) times them. `--mode handoff` times the
//! page's decode of the worker's `Done` frame, `--mode deciles` and `--mode rfm` the decile and
//! RFM analyses the page runs on the customer table: built with the app's `release` profile
//! instead of `web-release`, they show what the app's optimisation level costs its own work.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use valuelens::engine::customers::CustomerTable;
    use valuelens::engine::deciles::{analyse_deciles, DecileSteps, GroupConfig};
    use valuelens::engine::formats::parquet::{Opened, ParquetFile, TableRow};
    use valuelens::engine::formats::{TableHead, TableLayout};
    use valuelens::engine::ingest::{
        inspect, inspect_table, ImportOutcome, Importer, InspectOptions, TableSource, PREVIEW_ROWS,
    };
    use valuelens::engine::rfm::{analyse_rfm, RfmConfig, RfmSteps, SegmentRules};
    use valuelens::protocol::{DoneDecoder, Finished, Response, INSPECT_BYTES};
    use wasm_bindgen::prelude::*;

    /// The importer of `bytes` fed in pieces of `piece` bytes with the mapping the head's
    /// inspection gives.
    fn imported(bytes: &[u8], piece: usize) -> Option<Importer> {
        let end = bytes.len().min(INSPECT_BYTES as usize);
        let head = bytes.get(..end).unwrap_or_default();
        let preview = inspect(head, end == bytes.len(), &InspectOptions::default()).ok()?;
        let mut importer = Importer::new(preview.settings()).ok()?;
        bytes
            .chunks(piece.max(1))
            .for_each(|chunk| importer.push(chunk));
        Some(importer)
    }

    /// Imports `bytes` in pieces of `piece` bytes (the customers as a table, as the page holds
    /// them).
    fn import(bytes: &[u8], piece: usize) -> Option<ImportOutcome> {
        imported(bytes, piece)?.finish().ok()
    }

    /// Imports `bytes` in pieces of `piece` bytes as the import worker does (the customers
    /// flat); the number of customers, or -1 on an error.
    #[wasm_bindgen]
    pub fn import_file(bytes: &[u8], piece: usize) -> f64 {
        imported(bytes, piece)
            .and_then(|importer| importer.finish_flat().ok())
            .map_or(-1.0, |outcome| outcome.table.len() as f64)
    }

    thread_local! {
        /// The `Done` frame of the last [`prepare_handoff`], for [`decode_handoff`].
        static FRAME: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Imports `bytes` as [`import_file`] does and keeps the `Done` frame the worker would post
    /// (not timed by the script: `--mode handoff` times [`decode_handoff`] alone); its length.
    #[wasm_bindgen]
    pub fn prepare_handoff(bytes: &[u8], piece: usize) -> f64 {
        let Some(outcome) = imported(bytes, piece).and_then(|i| i.finish_flat().ok()) else {
            return -1.0;
        };
        let frame = Response::Done(Box::new(Finished::from_flat(outcome))).into_frame(1);
        let len = frame.len() as f64;
        FRAME.with(|f| *f.borrow_mut() = frame);
        len
    }

    /// Decodes the kept `Done` frame as the page does ([`DoneDecoder`], 2,048 customers a
    /// step, every customer's purchase days checked); the number of customers, or -1.
    #[wasm_bindgen]
    pub fn decode_handoff() -> f64 {
        FRAME.with(|frame| {
            let frame = frame.borrow();
            let Ok(mut decoder) = DoneDecoder::new(frame.as_slice()) else {
                return -1.0;
            };
            loop {
                match decoder.step(frame.as_slice(), 2_048) {
                    Ok(true) => return decoder.finish().table.customers.len() as f64,
                    Ok(false) => {}
                    Err(_) => return -1.0,
                }
            }
        })
    }

    thread_local! {
        /// The customer table of the last [`prepare_views`], for [`views_deciles`] and
        /// [`views_rfm`].
        static TABLE: std::cell::RefCell<Option<CustomerTable>> = const { std::cell::RefCell::new(None) };
    }

    /// Imports `bytes` as [`import_file`] does and keeps the customer table (not timed by the
    /// script: `--mode deciles` and `--mode rfm` time the page's analyses of it alone); the
    /// number of customers.
    #[wasm_bindgen]
    pub fn prepare_views(bytes: &[u8], piece: usize) -> f64 {
        let Some(outcome) = import(bytes, piece) else {
            return -1.0;
        };
        let customers = outcome.table.customers.len() as f64;
        TABLE.with(|t| *t.borrow_mut() = Some(outcome.table));
        customers
    }

    /// The decile analysis the decile view runs on the page ([`analyse_deciles`], default
    /// groups); the number of customers ranked, or -1.
    #[wasm_bindgen]
    pub fn views_deciles() -> f64 {
        TABLE.with(|t| match t.borrow().as_ref() {
            Some(table) => analyse_deciles(table, &GroupConfig::default())
                .map_or(-1.0, |_| table.customers.len() as f64),
            None => -1.0,
        })
    }

    /// The RFM analysis the RFM view runs on the page ([`analyse_rfm`], default parameters and
    /// rules); the number of customers scored, or -1.
    #[wasm_bindgen]
    pub fn views_rfm() -> f64 {
        TABLE.with(|t| match t.borrow().as_ref() {
            Some(table) => analyse_rfm(table, &RfmConfig::default(), &SegmentRules::default())
                .map_or(-1.0, |_| table.customers.len() as f64),
            None => -1.0,
        })
    }

    thread_local! {
        /// The decile or RFM analysis of [`prepare_views`]'s table in pieces, for [`views_step`].
        static STEPS: std::cell::RefCell<Option<Result<DecileSteps, RfmSteps>>> =
            const { std::cell::RefCell::new(None) };
    }

    /// Begins the decile (`rfm` false) or RFM analysis of [`prepare_views`]'s table in pieces,
    /// for [`views_step`], which the script times one by one (`--mode deciles-steps`,
    /// `--mode rfm-steps`): the page computes one a task.
    #[wasm_bindgen]
    pub fn views_begin(rfm: bool) -> bool {
        TABLE.with(|t| {
            let table = t.borrow();
            let Some(table) = table.as_ref() else {
                return false;
            };
            let steps = match rfm {
                false => DecileSteps::new(table, &GroupConfig::default())
                    .ok()
                    .map(Ok),
                true => RfmSteps::new(table, &RfmConfig::default(), &SegmentRules::default())
                    .ok()
                    .map(Err),
            };
            let begun = steps.is_some();
            STEPS.with(|s| *s.borrow_mut() = steps);
            begun
        })
    }

    /// The next piece of [`views_begin`]'s analysis; false when none is left (the analysis is
    /// then finished, and dropped).
    #[wasm_bindgen]
    pub fn views_step() -> bool {
        TABLE.with(|t| {
            let table = t.borrow();
            let Some(table) = table.as_ref() else {
                return false;
            };
            STEPS.with(|s| {
                let mut slot = s.borrow_mut();
                let more = match slot.as_mut() {
                    Some(Ok(steps)) => steps.step(table),
                    Some(Err(steps)) => steps.step(table),
                    None => false,
                };
                if !more {
                    match slot.take() {
                        Some(Ok(steps)) => drop(steps.finish(table)),
                        Some(Err(steps)) => drop(steps.finish(table)),
                        None => {}
                    }
                }
                more
            })
        })
    }

    /// A Parquet file opened from its last 64 KiB, with the importer the default mapping gives.
    fn open_parquet(bytes: &[u8]) -> Option<(ParquetFile, Importer)> {
        let tail = |n: usize| bytes.get(bytes.len().saturating_sub(n)..);
        let file = match ParquetFile::open(bytes.len() as u64, tail(64 * 1024)?).ok()? {
            Opened::Ready(file) => file,
            Opened::NeedTail(n) => match ParquetFile::open(bytes.len() as u64, tail(n)?).ok()? {
                Opened::Ready(file) => file,
                Opened::NeedTail(_) => return None,
            },
        };
        let range = file.row_group_bytes(0);
        let group = bytes.get(range.start as usize..range.end as usize)?;
        let head = TableHead {
            names: file.column_names(),
            rows: file.head_rows(group, PREVIEW_ROWS).ok()?,
            complete: file.rows() <= PREVIEW_ROWS as u64,
            layout: TableLayout::default(),
        };
        let preview =
            inspect_table(&head, TableSource::Parquet, &InspectOptions::default()).ok()?;
        let importer = Importer::new_table(preview.settings()).ok()?;
        Some((file, importer))
    }

    /// Imports a Parquet file as the reader worker does (typed cells of the mapped columns);
    /// the number of customers, or -1 on an error.
    #[wasm_bindgen]
    pub fn import_parquet(bytes: &[u8]) -> f64 {
        let Some((file, mut importer)) = open_parquet(bytes) else {
            return -1.0;
        };
        let Some(uses) = importer.column_uses(file.column_names().len()) else {
            return -1.0;
        };
        for i in 0..file.row_groups() {
            let range = file.row_group_bytes(i);
            let Some(group) = bytes.get(range.start as usize..range.end as usize) else {
                return -1.0;
            };
            let read = file.read_row_group_typed(i, group, &uses, &mut |line, row| match row {
                TableRow::Typed {
                    cells,
                    undecoded_bytes,
                } => importer.push_typed_row(cells, undecoded_bytes),
                TableRow::Text(cells) => {
                    importer.push_row(line, cells);
                    true
                }
            });
            if read.is_err() {
                return -1.0;
            }
        }
        match importer.finish() {
            Ok(outcome) => outcome.table.customers.len() as f64,
            Err(_) => -1.0,
        }
    }

    /// Decodes a Parquet file's typed cells as [`import_parquet`] does and drops them: the
    /// rows decoded, or -1 on an error.
    #[wasm_bindgen]
    pub fn decode_parquet(bytes: &[u8]) -> f64 {
        let Some((file, importer)) = open_parquet(bytes) else {
            return -1.0;
        };
        let Some(uses) = importer.column_uses(file.column_names().len()) else {
            return -1.0;
        };
        let mut rows = 0u64;
        for i in 0..file.row_groups() {
            let range = file.row_group_bytes(i);
            let Some(group) = bytes.get(range.start as usize..range.end as usize) else {
                return -1.0;
            };
            let read = file.read_row_group_typed(i, group, &uses, &mut |_, _| {
                rows += 1;
                true
            });
            if read.is_err() {
                return -1.0;
            }
        }
        rows as f64
    }

    thread_local! {
        /// The importer of `--mode memory`, fed a piece at a time from JS.
        static MEMORY_RUN: std::cell::RefCell<Option<Importer>> =
            const { std::cell::RefCell::new(None) };
    }

    thread_local! {
        /// The analysis worker's request fields made by [`worker_request`]: frame, offsets,
        /// records and (lifecycle) days.
        static REQUEST: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// `--mode worker-memory`: imports `bytes` as the page holds them (a table, its history)
    /// and makes the analysis worker's request as the page sends it (the lifecycle view's with
    /// `lifecycle`, else the CLV view's, default parameters); the number of fields, which
    /// [`worker_request_field`] gives.
    #[wasm_bindgen]
    pub fn worker_request(bytes: &[u8], piece: usize, lifecycle: bool) -> usize {
        use valuelens::engine::clv::ClvConfig;
        use valuelens::present::lifecycle::Settings;
        use valuelens::protocol::analysis::{days_bytes, offsets_bytes, AnalysisRequest};
        let Some(outcome) = import(bytes, piece) else {
            return 0;
        };
        let Some(history) = outcome.history.as_deref() else {
            return 0;
        };
        let (profit, quantity, starts, records) = history.parts();
        let request = if lifecycle {
            AnalysisRequest::Lifecycle {
                settings: Settings::default(),
                rfm: RfmConfig::default(),
                rules: SegmentRules::default(),
                columns: outcome.table.columns,
                profit,
                quantity,
            }
        } else {
            AnalysisRequest::Clv {
                config: ClvConfig::default(),
                profit,
                quantity,
            }
        };
        let mut fields = vec![request.to_frame(1), offsets_bytes(starts), records.to_vec()];
        if lifecycle {
            fields.push(days_bytes(&outcome.table));
        }
        let count = fields.len();
        REQUEST.with(|r| *r.borrow_mut() = fields);
        count
    }

    /// Field `i` of the request [`worker_request`] made.
    #[wasm_bindgen]
    pub fn worker_request_field(i: usize) -> Vec<u8> {
        REQUEST.with(|r| r.borrow().get(i).cloned().unwrap_or_default())
    }

    /// Replays the analysis worker (`src/bin/analyst.rs`) on a request's fields, in a fresh
    /// instance: each field arrives copied into this memory, as the worker's `bytes` copies
    /// them; every answer's frame made as the worker makes it (the CLV answer's outside this
    /// memory, in a JS buffer there). The memory (MiB) after each step, `step=MiB` separated by
    /// spaces.
    #[wasm_bindgen]
    pub fn worker_replay(
        frame: Vec<u8>,
        offsets: Vec<u8>,
        records: Vec<u8>,
        days: Vec<u8>,
    ) -> String {
        use valuelens::engine::clv::{analyse_summaries, summarise};
        use valuelens::protocol::analysis::{
            days_table, encode_lifecycle, history_of, lifecycle_answers, write_clv_scored,
            AnalysisRequest, LifecycleAnswer,
        };
        let mut steps = vec![format!("request={:.1}", memory_mib())];
        let Ok((_, request)) = AnalysisRequest::from_frame(&frame) else {
            return String::from("no request");
        };
        let (profit, quantity) = match request {
            AnalysisRequest::Clv {
                profit, quantity, ..
            }
            | AnalysisRequest::Lifecycle {
                profit, quantity, ..
            } => (profit, quantity),
            _ => return String::from("not a CLV or lifecycle request"),
        };
        let Ok(history) = history_of(profit, quantity, &offsets, records) else {
            return String::from("no history");
        };
        drop(offsets);
        steps.push(format!("history={:.1}", memory_mib()));
        match request {
            AnalysisRequest::Clv { config, .. } => {
                // As `src/bin/analyst.rs`: the history let go of once summarised, the scores
                // made as they are written.
                let Ok(summaries) = summarise(&history, &config) else {
                    return String::from("no summaries");
                };
                drop(history);
                steps.push(format!("summaries={:.1}", memory_mib()));
                let Ok((analysis, scoring)) = analyse_summaries(summaries, &config) else {
                    return String::from("no analysis");
                };
                steps.push(format!("analysis={:.1}", memory_mib()));
                let written = write_clv_scored(analysis, &scoring, 1, |_| Outside(0));
                steps.push(format!(
                    "answer={:.1} ({:.1} MB outside)",
                    memory_mib(),
                    written.map_or(0, |sink| sink.0) as f64 / 1e6
                ));
            }
            AnalysisRequest::Lifecycle {
                settings,
                rfm,
                rules,
                columns,
                ..
            } => {
                let Ok(table) = days_table(columns, &days) else {
                    return String::from("no days");
                };
                drop(days);
                steps.push(format!("days={:.1}", memory_mib()));
                lifecycle_answers(table, history, &settings, &rfm, &rules, |answer| {
                    let frame = encode_lifecycle(answer, 1);
                    let name = match answer {
                        LifecycleAnswer::Analysis(_) => "analysis",
                        LifecycleAnswer::Comparison(_) => "comparison",
                        LifecycleAnswer::Migration(_) => "migration",
                    };
                    steps.push(format!(
                        "{name}={:.1} ({:.1} MB frame)",
                        memory_mib(),
                        frame.len() as f64 / 1e6
                    ));
                });
            }
            _ => {}
        }
        steps.join(" ")
    }

    /// This instance's WebAssembly memory in MiB: its high-water mark, as memory never shrinks.
    fn memory_mib() -> f64 {
        core::arch::wasm32::memory_size(0) as f64 * 65536.0 / (1024.0 * 1024.0)
    }

    /// `--mode memory`: starts an import of a file whose first bytes are `head` (the mapping
    /// its inspection gives); the memory before it.
    #[wasm_bindgen]
    pub fn memory_begin(head: &[u8], whole: bool) -> f64 {
        let importer = inspect(head, whole, &InspectOptions::default())
            .ok()
            .and_then(|preview| Importer::new(preview.settings()).ok());
        MEMORY_RUN.with(|run| *run.borrow_mut() = importer);
        memory_mib()
    }

    /// Feeds one piece of the file (copied into wasm memory by the call, as the worker's read
    /// pieces are).
    #[wasm_bindgen]
    pub fn memory_push(piece: &[u8]) {
        MEMORY_RUN.with(|run| {
            if let Some(importer) = run.borrow_mut().as_mut() {
                importer.push(piece);
            }
        });
    }

    /// A frame sink outside wasm memory, as the worker's JS buffer is: counts the bytes.
    struct Outside(usize);

    impl valuelens::protocol::FrameSink for Outside {
        fn write_at(&mut self, offset: usize, bytes: &[u8]) {
            self.0 = self.0.max(offset + bytes.len());
        }
    }

    /// Finishes the import and writes the `Done` frame as the worker does (into a sink outside
    /// wasm memory); the memory after reading, after the finish and after the frame, MiB, and
    /// the customers, space-separated.
    #[wasm_bindgen]
    pub fn memory_end() -> String {
        let Some(importer) = MEMORY_RUN.with(|run| run.borrow_mut().take()) else {
            return String::from("no import");
        };
        let read = memory_mib();
        let Ok(outcome) = importer.finish_flat() else {
            return String::from("no result");
        };
        let customers = outcome.table.len();
        let finished = memory_mib();
        let written = Finished::from_flat(outcome).write_frame(1, |_| Outside(0));
        let frame = memory_mib();
        let bytes = written.map_or(0, |sink| sink.0);
        #[cfg(feature = "memory-probe")]
        valuelens::engine::probe::MARKS.with(|marks| {
            for (stage, bytes) in marks.borrow().iter() {
                web_sys::console::log_1(
                    &format!("  {stage}: {:.1} MiB", *bytes as f64 / 1048576.0).into(),
                );
            }
        });
        format!("{read:.1} {finished:.1} {frame:.1} {customers} {bytes}")
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use valuelens::engine::ingest::dialect::RecordSplitter;
    use valuelens::engine::ingest::values::{parse_date, parse_number};
    use valuelens::engine::ingest::{inspect, ImportSettings, Importer, InspectOptions};
    use valuelens::protocol::{IMPORT_CHUNK_BYTES, INSPECT_BYTES};

    /// Milliseconds of processor time this thread has used (Linux; 0 elsewhere).
    fn cpu_ms() -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(0.0, |ns| ns / 1e6)
    }

    fn median(mut values: Vec<f64>) -> f64 {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    }

    /// The records of `bytes` (UTF-8), split and, with `parse`, their mapped cells read.
    fn scan(bytes: &[u8], settings: &ImportSettings, parse: bool) -> u64 {
        let mut splitter = RecordSplitter::with_quotes(settings.delimiter, settings.quotes);
        let mapping = &settings.mapping;
        let mut seen = 0u64;
        let mut on_record = |record: &valuelens::engine::ingest::dialect::Record| {
            seen += 1;
            if parse {
                let cell = |i: Option<usize>| record.field(i.unwrap_or(0)).trim();
                let amount = parse_number(cell(mapping.amount), settings.decimal);
                let profit = parse_number(cell(mapping.profit), settings.decimal);
                let quantity = parse_number(cell(mapping.quantity), settings.decimal);
                let day = parse_date(cell(mapping.date), settings.date_order, false);
                let ids = cell(mapping.customer).len() + cell(mapping.order).len();
                seen += u64::from(amount.is_some())
                    + u64::from(profit.is_some())
                    + u64::from(quantity.is_some())
                    + u64::from(day.is_some())
                    + ids as u64;
            }
            true
        };
        let chunk = IMPORT_CHUNK_BYTES as usize;
        let mut rest = bytes;
        while !rest.is_empty() {
            // Cut at a character boundary, as the decoder does.
            let mut end = rest.len().min(chunk);
            while end < rest.len() && (rest[end] & 0xC0) == 0x80 {
                end += 1;
            }
            let text = std::str::from_utf8(&rest[..end]).unwrap_or("");
            splitter.feed(text, false, &mut on_record);
            rest = &rest[end..];
        }
        splitter.feed("", true, &mut on_record);
        seen
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let Some(path) = args.first() else {
            eprintln!("usage: engine-wasm FILE [REPS]");
            return;
        };
        let reps: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("cannot read {path}");
            return;
        };
        let head = &bytes[..bytes.len().min(INSPECT_BYTES as usize)];
        let Ok(preview) = inspect(head, head.len() == bytes.len(), &InspectOptions::default())
        else {
            eprintln!("cannot inspect {path}");
            return;
        };
        let settings = preview.settings();
        let chunk = IMPORT_CHUNK_BYTES as usize;
        let (mut decode, mut split, mut parse, mut import, mut finish) =
            (vec![], vec![], vec![], vec![], vec![]);
        let mut customers = 0;
        for _ in 0..reps {
            // `ENGINE_WASM_IMPORT_ONLY=1`: only the import and its finish (for a profiler).
            let import_only = std::env::var_os("ENGINE_WASM_IMPORT_ONLY").is_some();
            let started = cpu_ms();
            let valid = bytes
                .chunks(chunk)
                .filter(|c| std::str::from_utf8(c).is_ok())
                .count();
            std::hint::black_box(valid);
            decode.push(cpu_ms() - started);
            let started = cpu_ms();
            if !import_only {
                std::hint::black_box(scan(&bytes, &settings, false));
            }
            split.push(cpu_ms() - started);
            let started = cpu_ms();
            if !import_only {
                std::hint::black_box(scan(&bytes, &settings, true));
            }
            parse.push(cpu_ms() - started);
            let started = cpu_ms();
            let Ok(mut importer) = Importer::new(settings.clone()) else {
                return;
            };
            bytes.chunks(chunk).for_each(|c| importer.push(c));
            import.push(cpu_ms() - started);
            let started = cpu_ms();
            // As the import worker finishes: the customers flat.
            #[cfg(feature = "memory-probe")]
            valuelens::engine::probe::MARKS.with(|m| m.borrow_mut().clear());
            #[cfg(feature = "memory-probe")]
            let began = std::time::Instant::now();
            if let Ok(outcome) = importer.finish_flat() {
                customers = outcome.table.len();
            }
            finish.push(cpu_ms() - started);
            // With `--features memory-probe`: each stage of the finish, in wall-clock ms.
            #[cfg(feature = "memory-probe")]
            valuelens::engine::probe::MARKS.with(|m| {
                let mut last = began;
                let stages: Vec<String> = m
                    .borrow()
                    .iter()
                    .map(|(stage, at)| {
                        let ms = at.duration_since(last).as_secs_f64() * 1e3;
                        last = *at;
                        format!("{stage} {ms:.1}")
                    })
                    .collect();
                println!(
                    "finish stages (ms since the one before): {}",
                    stages.join(", ")
                );
            });
        }
        let (decode, split, parse) = (median(decode), median(split), median(parse));
        let (import, finish) = (median(import), median(finish));
        println!(
            "{path}: {} bytes, {customers} customers; processor ms, median of {reps}",
            bytes.len()
        );
        println!("decode (UTF-8 check)        {decode:7.1}");
        println!("scan (records split)        {split:7.1}");
        println!(
            "scan + parse mapped cells   {parse:7.1}   (parse {:.1})",
            parse - split
        );
        println!(
            "import (push)               {import:7.1}   (checks + aggregate ≈ {:.1})",
            import - parse
        );
        println!("finish                      {finish:7.1}");
        println!("import + finish             {:7.1}", import + finish);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
