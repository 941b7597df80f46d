//! The import engine natively on one file (原生基准):
//! `cargo run --profile bench-native --example bench-native -- PATH [--json]`.
//!
//! Does what the import worker does, step for step: inspect the first 256 KiB, then feed the
//! file to an [`Importer`] in 4 MiB chunks, then pack and encode the result as the `Done` message
//! the worker posts to the page (and decode and unpack it, as the page does). Prints the time of
//! each step, rows per second, customers, the size of the message, and the peak resident memory
//! of the process (`VmHWM`). With `--json` it prints one JSON object instead (what
//! `bench/run.mjs` reads). The peak is also reset between steps (`/proc/self/clear_refs`,
//! Linux), so the peak while the file is read, during the finish, and while the `Done`
//! message is packed and written are told apart.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::fs::File;
    use std::io::Read;
    use std::process::ExitCode;
    use std::time::Instant;

    use valuelens::engine::ingest::{
        inspect, part_start, ImportSettings, Importer, InspectOptions, Part,
    };
    use valuelens::engine::Error;
    use valuelens::protocol::{Finished, PartFrame, Response, IMPORT_CHUNK_BYTES, INSPECT_BYTES};

    /// Milliseconds of each step, and what came out.
    struct Figures {
        bytes: u64,
        inspect_ms: f64,
        /// Processor time of inspect, import and finish.
        engine_cpu_ms: f64,
        /// Processor time of the finish alone (grouping, the customers, the history).
        finish_cpu_ms: f64,
        /// Processor time of encoding and of decoding the `Done` message.
        encode_cpu_ms: f64,
        decode_cpu_ms: f64,
        import_ms: f64,
        finish_ms: f64,
        halves_ms: f64,
        merge_ms: f64,
        part_bytes: usize,
        pack_ms: f64,
        encode_ms: f64,
        decode_ms: f64,
        message_bytes: usize,
        /// FNV-1a of the `Done` message's bytes.
        message_hash: u64,
        rows: u64,
        rejected: u64,
        customers: usize,
        /// The purchase-day history: record bytes and heap bytes (records and offsets).
        history_bytes: usize,
        history_heap: usize,
        engine_peak_kib: Option<u64>,
        /// Peak RSS while the file is read, during the finish, and while the `Done` message is
        /// packed and written (each from the resident size the step started at).
        read_peak_kib: Option<u64>,
        finish_peak_kib: Option<u64>,
        frame_peak_kib: Option<u64>,
    }

    fn elapsed_ms(since: Instant) -> f64 {
        since.elapsed().as_secs_f64() * 1000.0
    }

    /// Milliseconds of processor time this thread has used (`/proc/thread-self/schedstat`,
    /// Linux; 0 elsewhere): on a machine shared with other work, the wall clock says more about
    /// the others.
    fn cpu_ms() -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(0.0, |ns| ns / 1e6)
    }

    /// Fills `buffer` from `file` (short only at the end of the file).
    fn read_chunk(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        Ok(filled)
    }

    /// The two-worker import (src/bin/worker.rs with `split`), in two threads: the first half
    /// and the second half at once, then the second's part encoded, decoded and absorbed, and
    /// the result finished. Returns (wall ms to the finished outcome, merge ms, part bytes).
    fn run_halves(path: &str, settings: ImportSettings) -> Result<(f64, f64, usize), String> {
        let io = |e: std::io::Error| format!("{path}: {e}");
        let engine = |e: Error| format!("{path}: {e}");
        let bytes = std::fs::read(path).map_err(io)?;
        let started = Instant::now();
        let middle = bytes.len() / 2;
        let start = part_start(&bytes[middle..])
            .map(|offset| middle + offset)
            .filter(|_| settings.splits_at_line_breaks())
            .ok_or_else(|| format!("{path}: no line break after the middle"))?;
        let (first, second) = bytes.split_at(start);
        let feed = |importer: &mut Importer, bytes: &[u8]| {
            for chunk in bytes.chunks(IMPORT_CHUNK_BYTES as usize) {
                importer.push(chunk);
            }
        };
        let part_settings = settings.clone();
        let (first, part) = std::thread::scope(|scope| {
            let second = scope.spawn(move || -> Result<Vec<u8>, Error> {
                let mut importer = Importer::new_part(part_settings)?;
                feed(&mut importer, second);
                Ok(Response::Part(Box::new(importer.finish_part()?)).into_frame(1))
            });
            let mut importer = Importer::new(settings).map_err(engine)?;
            feed(&mut importer, first);
            let part = second
                .join()
                .map_err(|_| format!("{path}: the second half panicked"))?
                .map_err(engine)?;
            Ok::<_, String>((importer, part))
        })?;
        let merging = Instant::now();
        let mut first = first;
        if !first.at_record_boundary() {
            return Err(format!("{path}: the middle line is inside a quoted field"));
        }
        first.absorb(Part::from_frame(&part).map_err(engine)?);
        let merge_ms = elapsed_ms(merging);
        first.finish().map_err(engine)?;
        Ok((elapsed_ms(started), merge_ms, part.len()))
    }

    fn run(path: &str) -> Result<Figures, String> {
        let io = |e: std::io::Error| format!("{path}: {e}");
        let engine = |e: Error| format!("{path}: {e}");
        let mut file = File::open(path).map_err(io)?;
        let total = file.metadata().map_err(io)?.len();

        let started = Instant::now();
        let engine_cpu = cpu_ms();
        let mut head = vec![0u8; total.min(INSPECT_BYTES) as usize];
        read_chunk(&mut file, &mut head).map_err(io)?;
        let preview = inspect(
            &head,
            head.len() as u64 == total,
            &InspectOptions::default(),
        )
        .map_err(engine)?;
        if !preview.concerns().is_empty() {
            return Err(format!(
                "{path}: the app would stop at the mapping step: {:?}",
                preview.concerns()
            ));
        }
        let inspect_ms = elapsed_ms(started);

        let started = Instant::now();
        let mut file = File::open(path).map_err(io)?;
        reset_peak_rss();
        let mut importer = Importer::new(preview.settings()).map_err(engine)?;
        let mut chunk = vec![0u8; IMPORT_CHUNK_BYTES as usize];
        loop {
            let n = read_chunk(&mut file, &mut chunk).map_err(io)?;
            if n == 0 {
                break;
            }
            importer.push(&chunk[..n]);
        }
        let import_ms = elapsed_ms(started);
        let read_peak_kib = peak_rss_kib();
        reset_peak_rss();

        let started = Instant::now();
        let finish_cpu = cpu_ms();
        // The customers flat, as the import worker finishes them.
        let outcome = importer.finish_flat().map_err(engine)?;
        let finish_peak_kib = peak_rss_kib();
        let finish_ms = elapsed_ms(started);
        let finish_cpu_ms = cpu_ms() - finish_cpu;
        let engine_cpu_ms = cpu_ms() - engine_cpu;
        let (rows, rejected, customers) = (
            outcome.report.rows_read,
            outcome.report.rows_rejected,
            outcome.table.len(),
        );
        let engine_peak_kib = read_peak_kib.max(finish_peak_kib);
        let (history_bytes, history_heap) = outcome
            .history
            .as_ref()
            .map_or((0, 0), |h| (h.record_bytes(), h.heap_bytes()));

        // The worker's hand-off, as src/bin/worker.rs and the page do it.
        let (halves_ms, merge_ms, part_bytes) = run_halves(path, preview.settings())?;

        reset_peak_rss();
        let started = Instant::now();
        let finished = Finished::from_flat(outcome);
        let pack_ms = elapsed_ms(started);
        let started = Instant::now();
        let encode_cpu = cpu_ms();
        let message = Response::Done(Box::new(finished)).into_frame(1);
        let encode_ms = elapsed_ms(started);
        let encode_cpu_ms = cpu_ms() - encode_cpu;
        let frame_peak_kib = peak_rss_kib();
        // FNV-1a of the message: the same file gives the same bytes from build to build.
        let message_hash = message
            .iter()
            .fold(0xcbf2_9ce4_8422_2325u64, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        let started = Instant::now();
        let decode_cpu = cpu_ms();
        // As the page reads it: the customers as a table.
        Finished::decode(&message).map_err(engine)?.into_parts();
        let decode_ms = elapsed_ms(started);
        let decode_cpu_ms = cpu_ms() - decode_cpu;

        Ok(Figures {
            bytes: total,
            inspect_ms,
            engine_cpu_ms,
            finish_cpu_ms,
            encode_cpu_ms,
            decode_cpu_ms,
            import_ms,
            finish_ms,
            halves_ms,
            merge_ms,
            part_bytes,
            pack_ms,
            encode_ms,
            decode_ms,
            message_bytes: message.len(),
            message_hash,
            rows,
            rejected,
            customers,
            history_bytes,
            history_heap,
            engine_peak_kib,
            read_peak_kib,
            finish_peak_kib,
            frame_peak_kib,
        })
    }

    /// Starts the peak resident memory over at the current resident memory (Linux 4.0 on;
    /// elsewhere nothing happens and the peaks are those of the whole run).
    fn reset_peak_rss() {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }

    /// Peak resident memory of this process in KiB, from `/proc/self/status` (Linux only).
    fn peak_rss_kib() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let json = args.iter().any(|a| a == "--json");
        let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
            eprintln!("usage: bench-native PATH [--json]");
            return ExitCode::from(2);
        };
        let f = match run(path) {
            Ok(figures) => figures,
            Err(message) => {
                eprintln!("bench-native: {message}");
                return ExitCode::FAILURE;
            }
        };
        // File → aggregates, as the page's analysis starts it: inspect, import, finish.
        let engine_ms = f.inspect_ms + f.import_ms + f.finish_ms;
        let rows_per_s = f.rows as f64 / (engine_ms / 1000.0);
        let peak = peak_rss_kib();
        if json {
            println!(
                "{{\"bytes\":{},\"rows\":{},\"rejected\":{},\"customers\":{},\"inspect_ms\":{:.1},\"import_ms\":{:.1},\"finish_ms\":{:.1},\"engine_ms\":{:.1},\"engine_cpu_ms\":{:.1},\"finish_cpu_ms\":{:.1},\"encode_cpu_ms\":{:.1},\"decode_cpu_ms\":{:.1},\"halves_ms\":{:.1},\"merge_ms\":{:.1},\"part_bytes\":{},\"pack_ms\":{:.1},\"encode_ms\":{:.1},\"decode_ms\":{:.1},\"message_bytes\":{},\"message_hash\":\"{:016x}\",\"history_bytes\":{},\"history_heap_bytes\":{},\"rows_per_s\":{:.0},\"engine_peak_rss_kib\":{},\"peak_rss_kib\":{},\"read_peak_rss_kib\":{},\"finish_peak_rss_kib\":{},\"frame_peak_rss_kib\":{}}}",
                f.bytes,
                f.rows,
                f.rejected,
                f.customers,
                f.inspect_ms,
                f.import_ms,
                f.finish_ms,
                engine_ms,
                f.engine_cpu_ms,
                f.finish_cpu_ms,
                f.encode_cpu_ms,
                f.decode_cpu_ms,
                f.halves_ms,
                f.merge_ms,
                f.part_bytes,
                f.pack_ms,
                f.encode_ms,
                f.decode_ms,
                f.message_bytes,
                f.message_hash,
                f.history_bytes,
                f.history_heap,
                rows_per_s,
                f.engine_peak_kib.map_or("null".to_string(), |k| k.to_string()),
                peak.map_or("null".to_string(), |k| k.to_string()),
                f.read_peak_kib.map_or("null".to_string(), |k| k.to_string()),
                f.finish_peak_kib.map_or("null".to_string(), |k| k.to_string()),
                f.frame_peak_kib.map_or("null".to_string(), |k| k.to_string()),
            );
        } else {
            println!("file           {path} ({} bytes)", f.bytes);
            println!(
                "rows           {} read, {} rejected; {} customers",
                f.rows, f.rejected, f.customers
            );
            println!("inspect        {:>9.1} ms", f.inspect_ms);
            println!("import         {:>9.1} ms", f.import_ms);
            println!(
                "finish         {:>9.1} ms  (processor {:.1} ms)",
                f.finish_ms, f.finish_cpu_ms
            );
            println!(
                "file → result  {:>9.1} ms  ({:.2} M rows/s, {:.0} MB/s)",
                engine_ms,
                rows_per_s / 1e6,
                f.bytes as f64 / 1e6 / (engine_ms / 1000.0)
            );
            println!(
                "  processor    {:>9.1} ms  (this thread: inspect, import, finish)",
                f.engine_cpu_ms
            );
            println!(
                "two halves     {:>9.1} ms  (two threads, as two workers; merging the second half's {:.1} MB part {:.1} ms)",
                f.halves_ms,
                f.part_bytes as f64 / 1e6,
                f.merge_ms
            );
            println!(
                "Done message   {:>9.1} ms to pack (summary, monthly), {:.1} ms to encode, {:.1} ms to decode; {:.2} MB (FNV-1a {:016x})",
                f.pack_ms,
                f.encode_ms,
                f.decode_ms,
                f.message_bytes as f64 / 1e6,
                f.message_hash
            );
            println!(
                "history        {:.2} MB of purchase-day records, {:.1} MiB on the heap with the offsets",
                f.history_bytes as f64 / 1e6,
                f.history_heap as f64 / 1048576.0
            );
            let mib = |kib: Option<u64>| {
                kib.map_or("unknown (no /proc/self/status)".to_string(), |k| {
                    format!("{:.1} MiB", k as f64 / 1024.0)
                })
            };
            println!(
                "peak RSS       {} after the aggregates, {} with the Done message",
                mib(f.engine_peak_kib),
                mib(peak)
            );
            println!(
                "  by step      {} reading, {} finishing, {} packing and writing the Done message",
                mib(f.read_peak_kib),
                mib(f.finish_peak_kib),
                mib(f.frame_peak_kib)
            );
        }
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
