//! Parquet against CSV natively (原生基准：Parquet 与 CSV):
//! `cargo run --profile bench-native --example bench-parquet -- ORDERS.csv ORDERS.parquet [--reps N]`.
//!
//! The same rows three times (round robin, the median of `N`), each the way the page imports it: the CSV inspected from its first
//! 256 KiB and fed to an [`Importer`] in 4 MiB chunks (as `src/bin/worker.rs` does); the
//! Parquet file opened from its last 64 KiB, its head read for `inspect_table`, then each row
//! group decoded from its own byte range, once as text into [`Importer::push_row`] (the reader
//! worker before issue 17's typed path) and once as typed cells of the mapped columns into
//! [`Importer::push_typed_row`] (as the reader worker does now). Prints the wall time of
//! each, rows per second, and checks that all three give the same customers, sums, rejected
//! rows and first errors. The files come from `bench/generate.rs` and DuckDB (see BENCHMARKS.md).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::process::ExitCode;
    use std::time::Instant;

    use valuelens::engine::formats::parquet::{Opened, ParquetFile, TableRow};
    use valuelens::engine::formats::{TableHead, TableLayout};
    use valuelens::engine::ingest::{
        inspect, inspect_table, DecodedRows, ImportOutcome, Importer, InspectOptions, TableSource,
        PREVIEW_ROWS,
    };
    use valuelens::engine::Error;
    use valuelens::protocol::{IMPORT_CHUNK_BYTES, INSPECT_BYTES};

    /// The tail the worker reads first.
    const TAIL: usize = 64 * 1024;

    fn import_csv(bytes: &[u8]) -> Result<ImportOutcome, Error> {
        let head = &bytes[..bytes.len().min(INSPECT_BYTES as usize)];
        let preview = inspect(head, head.len() == bytes.len(), &InspectOptions::default())?;
        let mut importer = Importer::new(preview.settings())?;
        for chunk in bytes.chunks(IMPORT_CHUNK_BYTES as usize) {
            importer.push(chunk);
        }
        importer.finish()
    }

    fn import_parquet(bytes: &[u8], typed: bool) -> Result<(ImportOutcome, usize), Error> {
        let len = bytes.len() as u64;
        let tail = |n: usize| &bytes[bytes.len().saturating_sub(n)..];
        let file = match ParquetFile::open(len, tail(TAIL))? {
            Opened::Ready(file) => file,
            Opened::NeedTail(n) => match ParquetFile::open(len, tail(n))? {
                Opened::Ready(file) => file,
                Opened::NeedTail(_) => return Err(Error::NoData),
            },
        };
        let slice = |i: usize| {
            let range = file.row_group_bytes(i);
            &bytes[range.start as usize..range.end as usize]
        };
        let head = TableHead {
            names: file.column_names(),
            rows: if file.row_groups() > 0 {
                file.head_rows(slice(0), PREVIEW_ROWS)?
            } else {
                Vec::new()
            },
            complete: file.rows() <= PREVIEW_ROWS as u64,
            layout: TableLayout::default(),
        };
        let preview = inspect_table(&head, TableSource::Parquet, &InspectOptions::default())?;
        let mut importer = Importer::new_table(preview.settings())?;
        let uses = importer
            .column_uses(file.column_names().len())
            .filter(|_| typed);
        for i in 0..file.row_groups() {
            let group = slice(i);
            match &uses {
                Some(uses) => {
                    file.read_row_group_typed(i, group, uses, &mut |line, row| match row {
                        TableRow::Typed {
                            cells,
                            undecoded_bytes,
                        } => importer.push_typed_row(cells, undecoded_bytes),
                        TableRow::Text(cells) => {
                            importer.push_row(line, cells);
                            true
                        }
                    })?
                }
                None => file
                    .read_row_group(i, group, &mut |line, cells| importer.push_row(line, cells))?,
            }
            importer.add_bytes(group.len() as u64);
        }
        Ok((importer.finish()?, file.row_groups()))
    }

    /// Decodes every row group to text cells and drops them: the reader's own share.
    fn decode_only(bytes: &[u8]) -> Result<u64, Error> {
        let len = bytes.len() as u64;
        let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
        let Opened::Ready(file) = ParquetFile::open(len, tail)? else {
            return Err(Error::NoData);
        };
        let mut cells = 0u64;
        for i in 0..file.row_groups() {
            let range = file.row_group_bytes(i);
            let group = &bytes[range.start as usize..range.end as usize];
            file.read_row_group(i, group, &mut |_, row| cells += row.len() as u64)?;
        }
        Ok(cells)
    }

    /// Decodes every row group to typed cells of the columns the default mapping uses and drops
    /// them: the reader's own share of the typed path.
    fn decode_typed(bytes: &[u8]) -> Result<u64, Error> {
        let len = bytes.len() as u64;
        let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
        let Opened::Ready(file) = ParquetFile::open(len, tail)? else {
            return Err(Error::NoData);
        };
        let slice = |i: usize| {
            let range = file.row_group_bytes(i);
            &bytes[range.start as usize..range.end as usize]
        };
        let head = TableHead {
            names: file.column_names(),
            rows: file.head_rows(slice(0), PREVIEW_ROWS)?,
            complete: false,
            layout: TableLayout::default(),
        };
        let preview = inspect_table(&head, TableSource::Parquet, &InspectOptions::default())?;
        let importer = Importer::new_table(preview.settings())?;
        let uses = importer
            .column_uses(file.column_names().len())
            .unwrap_or_default();
        let mut rows = 0u64;
        for i in 0..file.row_groups() {
            file.read_row_group_typed(i, slice(i), &uses, &mut |_, _| {
                rows += 1;
                true
            })?;
        }
        Ok(rows)
    }

    /// The two sides of the reader's pipeline, each timed alone: every row group decoded and
    /// written as the decoder worker does (`read_row_group_typed` into `DecodedRows`), then
    /// taken from those records by an importer as the reader worker does (`push_decoded`). Milliseconds of
    /// each side, and the rows.
    fn pipeline_sides(bytes: &[u8]) -> Result<(f64, f64, u64), Error> {
        let len = bytes.len() as u64;
        let tail = &bytes[bytes.len().saturating_sub(TAIL)..];
        let Opened::Ready(file) = ParquetFile::open(len, tail)? else {
            return Err(Error::NoData);
        };
        let slice = |i: usize| {
            let range = file.row_group_bytes(i);
            &bytes[range.start as usize..range.end as usize]
        };
        let head = TableHead {
            names: file.column_names(),
            rows: file.head_rows(slice(0), PREVIEW_ROWS)?,
            complete: false,
            layout: TableLayout::default(),
        };
        let preview = inspect_table(&head, TableSource::Parquet, &InspectOptions::default())?;
        let mut importer = Importer::new_table(preview.settings())?;
        let uses = importer
            .column_uses(file.column_names().len())
            .unwrap_or_default();
        let settings = preview.settings();
        let started = Instant::now();
        let mut records = Vec::new();
        for i in 0..file.row_groups() {
            let mut rows = DecodedRows::new();
            file.decode_row_group(i, slice(i), &uses, &settings, &mut rows)?;
            records.push(rows);
        }
        let decoded = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let width = file.column_names().len();
        for (i, rows) in records.iter().enumerate() {
            if importer
                .push_decoded(rows.bytes(), width, file.row_group_rows(i))
                .is_some()
            {
                return Err(Error::NoData);
            }
        }
        let outcome = importer.finish()?;
        let imported = started.elapsed().as_secs_f64() * 1000.0;
        Ok((decoded, imported, outcome.report.rows_read))
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

    /// The median of `times`.
    fn median(times: &mut [f64]) -> f64 {
        times.sort_by(f64::total_cmp);
        times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let (paths, reps) = match args.as_slice() {
            [csv, parquet] => ([csv.clone(), parquet.clone()], 1),
            [csv, parquet, flag, n] if flag == "--reps" => match n.parse::<usize>() {
                Ok(n) if n > 0 => ([csv.clone(), parquet.clone()], n),
                _ => ([String::new(), String::new()], 0),
            },
            _ => ([String::new(), String::new()], 0),
        };
        if reps == 0 {
            eprintln!("usage: bench-parquet ORDERS.csv ORDERS.parquet [--reps N]");
            return ExitCode::FAILURE;
        }
        let [csv_path, parquet_path] = &paths;
        let (Ok(csv), Ok(parquet)) = (std::fs::read(csv_path), std::fs::read(parquet_path)) else {
            eprintln!("cannot read {csv_path} or {parquet_path}");
            return ExitCode::FAILURE;
        };
        let (mut csv_ms, mut text_ms, mut typed_ms) = (Vec::new(), Vec::new(), Vec::new());
        let (mut csv_cpu, mut text_cpu, mut typed_cpu) = (Vec::new(), Vec::new(), Vec::new());
        let mut outcomes = None;
        let mut groups = 0;
        // For a profile of one path: `BENCH_PARQUET_ONLY=typed` (or `text`, `csv`, `decode-typed`)
        // runs it alone; `pipeline` times the reader's two workers' shares one after the other
        // (the decoder's: decode and write every row group's rows; the reader's: take them).
        if let Ok(only) = std::env::var("BENCH_PARQUET_ONLY") {
            let started = Instant::now();
            let rows = match only.as_str() {
                "csv" => import_csv(&csv).map(|o| o.report.rows_read),
                "text" => import_parquet(&parquet, false).map(|(o, _)| o.report.rows_read),
                "decode-typed" => decode_typed(&parquet),
                "pipeline" => pipeline_sides(&parquet).map(|(decoded, imported, rows)| {
                    println!("decoder side {decoded:.0} ms, importer side (with finish) {imported:.0} ms");
                    rows
                }),
                _ => import_parquet(&parquet, true).map(|(o, _)| o.report.rows_read),
            };
            println!(
                "{only}: {rows:?} rows, {:.0} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            return ExitCode::SUCCESS;
        }
        // Round robin, so that the machine's load spreads over the three.
        for _ in 0..reps {
            let started = Instant::now();
            let cpu = cpu_ms();
            let from_csv = match import_csv(&csv) {
                Ok(outcome) => outcome,
                Err(e) => {
                    eprintln!("CSV: {e}");
                    return ExitCode::FAILURE;
                }
            };
            csv_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            csv_cpu.push(cpu_ms() - cpu);
            let started = Instant::now();
            let cpu = cpu_ms();
            let from_text = match import_parquet(&parquet, false) {
                Ok((outcome, _)) => outcome,
                Err(e) => {
                    eprintln!("Parquet as text: {e}");
                    return ExitCode::FAILURE;
                }
            };
            text_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            text_cpu.push(cpu_ms() - cpu);
            let started = Instant::now();
            let cpu = cpu_ms();
            let from_typed = match import_parquet(&parquet, true) {
                Ok((outcome, n)) => {
                    groups = n;
                    outcome
                }
                Err(e) => {
                    eprintln!("Parquet typed: {e}");
                    return ExitCode::FAILURE;
                }
            };
            typed_ms.push(started.elapsed().as_secs_f64() * 1000.0);
            typed_cpu.push(cpu_ms() - cpu);
            outcomes = Some((from_csv, from_text, from_typed));
        }
        let Some((from_csv, from_text, from_typed)) = outcomes else {
            return ExitCode::FAILURE;
        };
        let started = Instant::now();
        let decoded = decode_only(&parquet);
        let decode_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (csv_ms, text_ms, typed_ms) = (
            median(&mut csv_ms),
            median(&mut text_ms),
            median(&mut typed_ms),
        );
        let (csv_cpu, text_cpu, typed_cpu) = (
            median(&mut csv_cpu),
            median(&mut text_cpu),
            median(&mut typed_cpu),
        );
        let rows = from_csv.report.rows_read;
        let per_second = |ms: f64| rows as f64 / (ms / 1000.0);
        println!("median of {reps}");
        println!(
            "CSV             {:>12} bytes  {:>9.0} ms  {:>12.0} rows/s  processor {:>7.0} ms",
            csv.len(),
            csv_ms,
            per_second(csv_ms),
            csv_cpu
        );
        println!(
            "Parquet, text   {:>12} bytes  {:>9.0} ms  {:>12.0} rows/s  processor {:>7.0} ms  ({groups} row groups)",
            parquet.len(),
            text_ms,
            per_second(text_ms),
            text_cpu
        );
        println!(
            "Parquet, typed  {:>12} bytes  {:>9.0} ms  {:>12.0} rows/s  processor {:>7.0} ms",
            parquet.len(),
            typed_ms,
            per_second(typed_ms),
            typed_cpu
        );
        if let Ok(cells) = decoded {
            println!("Parquet decoding alone (cells as text, no import): {decode_ms:.0} ms, {cells} cells");
        }
        println!(
            "rows {rows}, customers {}, Parquet/CSV wall time: text {:.2}, typed {:.2}; processor time: text {:.2}, typed {:.2}",
            from_csv.table.customers.len(),
            text_ms / csv_ms,
            typed_ms / csv_ms,
            text_cpu / csv_cpu,
            typed_cpu / csv_cpu
        );
        let same = |other: &ImportOutcome| {
            from_csv.table == other.table
                && from_csv.report.rows_rejected == other.report.rows_rejected
                && from_csv.report.rows_read == other.report.rows_read
                && from_csv.report.first_errors == other.report.first_errors
        };
        if !same(&from_text) || !same(&from_typed) {
            eprintln!("the imports differ");
            return ExitCode::FAILURE;
        }
        println!("same customers, sums and rejected rows");
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
