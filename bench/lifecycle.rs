//! What the purchase-day history costs, and how fast the lifecycle analysis is, natively
//! (生命周期基准): `cargo run --profile bench-native --example bench-lifecycle -- PATH [--reps N] [--json]`
//! on a file of `bench/generate.rs` (`customer_id,order_id,order_date,amount,profit,quantity`).
//!
//! 1. The import as the app does it ([`Importer`]: inspect, chunks, finish), for its time.
//! 2. The aggregation alone, fed from the file's lines: without the history, then with it,
//!    `N` times (default 3; medians of the times, the largest peaks). Time and peak memory of
//!    each (the peak is reset between runs through `/proc/self/clear_refs`), and the history's
//!    size.
//! 3. The lifecycle analysis on the result: the month series with cohorts, inter-purchase
//!    times and the customer division; the same by quarter; movement between the last two
//!    whole months; RFM segment migration between a year before the analysis day and it.
//!
//! Times are the processor time of the thread (`/proc/thread-self/schedstat`), which the other
//! work on a shared machine disturbs far less than the wall clock.

#[cfg(not(target_arch = "wasm32"))]
#[path = "process.rs"]
mod process;

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

#[cfg(not(target_arch = "wasm32"))]
mod lifecycle {
    use std::process::ExitCode;
    use std::time::Instant;

    use super::process::{cpu_ms, memory_kib, reset_peak, MemorySteps};
    use valuelens::charts::ChartStyle;
    use valuelens::engine::calendar::Day;
    use valuelens::engine::customers::{Aggregator, Columns, CustomerTable, Transaction};
    use valuelens::engine::history::PurchaseHistory;
    use valuelens::engine::ingest::{inspect, Importer, InspectOptions};
    use valuelens::engine::lifecycle::{
        analyse_lifecycle, movement, segment_migration, window, DateRange, Grain, LifecycleConfig,
    };
    use valuelens::engine::lifecycle::{LapseStatus, LifecycleAnalysis};
    use valuelens::engine::rfm::{RfmConfig, SegmentRules};
    use valuelens::i18n::Lang;
    use valuelens::present::lifecycle as present;
    use valuelens::protocol::analysis::{
        days_bytes, days_table, encode_lifecycle, history_of, lifecycle_answers, offsets_bytes,
        LifecycleAnswer,
    };
    use valuelens::protocol::{IMPORT_CHUNK_BYTES, INSPECT_BYTES};

    /// The analysis worker's lifecycle request as the page sends it (the customers' first and
    /// last days and the history, as bytes) and as the worker answers it
    /// ([`lifecycle_answers`]): the resident size above the start after each step, and its peak
    /// during each (MiB), with the processor time of each answer.
    fn worker_steps(table: &CustomerTable, history: &PurchaseHistory) {
        // The request as it reaches the worker (JS arrays), then copied into its memory.
        let sent_days = days_bytes(table);
        let (profit, quantity, starts, sent_records) = history.parts();
        let sent_offsets = offsets_bytes(starts);
        let columns = table.columns;
        let steps =
            MemorySteps::start_with_heap("the analysis worker's lifecycle request", &super::HEAP);
        let started = Clock::start();
        let (offsets, records, days) = (
            sent_offsets.clone(),
            sent_records.to_vec(),
            sent_days.clone(),
        );
        steps.step("request copied in", ms(&started));
        let started = Clock::start();
        let Ok(history) = history_of(profit, quantity, &offsets, records) else {
            println!("  the history was refused");
            return;
        };
        steps.step("history read", ms(&started));
        let started = Clock::start();
        let Ok(days) = days_table(columns, &days) else {
            println!("  the days were refused");
            return;
        };
        steps.step("days table", ms(&started));
        let settings = present::Settings::default();
        let mut started = Clock::start();
        lifecycle_answers(
            days,
            history,
            &settings,
            &RfmConfig::default(),
            &SegmentRules::default(),
            |answer| {
                let name = match answer {
                    LifecycleAnswer::Analysis(_) => "analysis",
                    LifecycleAnswer::Comparison(_) => "comparison",
                    LifecycleAnswer::Migration(_) => "migration",
                };
                // The worker posts each answer's frame as it is made.
                let frame = encode_lifecycle(answer, 1);
                steps.step(name, ms(&started));
                println!("    its frame: {:.1} MB", frame.len() as f64 / 1e6);
                started = Clock::start();
            },
        );
    }

    /// Everything the lifecycle view shows, made as the view makes it; returns a summary.
    fn view_parts(
        table: &CustomerTable,
        history: &PurchaseHistory,
        analysis: &LifecycleAnalysis,
    ) -> String {
        let lang = Lang::En;
        let style = ChartStyle::new(lang);
        let settings = present::Settings::default();
        let mut svg = 0usize;
        let mut add = |f: valuelens::present::Figure| svg += f.svg.map_or(0, |s| s.len());
        let _ = present::headline(analysis, lang);
        let _ = present::period_rows(&analysis.series, true, lang);
        let _ = present::period_csv(&analysis.series, "p", lang);
        add(present::activity(analysis, "a", &style));
        add(present::cohort_heatmap(
            analysis,
            present::CohortValue::Share,
            "h",
            &style,
        ));
        add(present::cohort_curves(
            analysis,
            present::CohortValue::Share,
            "c",
            &style,
        ));
        let _ = present::cohort_table(analysis, present::CohortValue::Share, lang);
        let _ = present::cohort_csv(analysis, "c", lang);
        let _ = present::gap_metrics(analysis, lang);
        add(present::gap_histogram(analysis, "g", &style));
        let _ = present::status_rows(analysis, lang);
        let _ = present::lapsing_rows(analysis, table, LapseStatus::AtRisk, lang);
        let _ = present::lapsing_rows(analysis, table, LapseStatus::Lapsed, lang);
        add(present::division_chart(analysis, "d", &style));
        let _ = present::division_rows(analysis, lang);
        if let Ok(c) = present::compare(table, history, analysis, &settings) {
            let _ = present::period_rows(&c.series, false, lang);
            add(present::transition_chart(&c.movement, "t", &style));
            let _ = present::transition_table(&c.movement, lang);
            let _ = present::lost_top_rows(&c.movement, table, lang);
        }
        let rfm = RfmConfig::default();
        let rules = SegmentRules::default();
        if let Ok(m) = present::migrate(table, history, analysis, &settings, &rfm, &rules) {
            add(present::migration_flow(
                &m.migration,
                m.first,
                m.second,
                "m",
                &style,
            ));
            let _ = present::migration_table(&m.migration, lang);
        }
        format!("{} KB of SVG", svg / 1000)
    }

    /// Processor milliseconds since `since` (a [`cpu_ms`] reading).
    struct Clock(f64, Instant);

    impl Clock {
        fn start() -> Self {
            Clock(cpu_ms(), Instant::now())
        }

        /// (processor ms, wall ms).
        fn read(&self) -> (f64, f64) {
            (cpu_ms() - self.0, self.1.elapsed().as_secs_f64() * 1000.0)
        }
    }

    fn ms(since: &Clock) -> f64 {
        since.read().0
    }

    /// The app's import of the whole file (inspect, 4 MiB chunks, finish): its milliseconds.
    fn import_ms(bytes: &[u8]) -> Result<(f64, usize), String> {
        let started = Clock::start();
        let head = &bytes[..bytes.len().min(INSPECT_BYTES as usize)];
        let preview = inspect(head, head.len() == bytes.len(), &InspectOptions::default())
            .map_err(|e| e.to_string())?;
        let mut importer = Importer::new(preview.settings()).map_err(|e| e.to_string())?;
        for chunk in bytes.chunks(IMPORT_CHUNK_BYTES as usize) {
            importer.push(chunk);
        }
        let outcome = importer.finish().map_err(|e| e.to_string())?;
        Ok((ms(&started), outcome.table.customers.len()))
    }

    /// The file's lines into an aggregator, finished: (table, history, ms, peak KiB above the
    /// resident size before).
    fn aggregate(bytes: &[u8], history: bool) -> (CustomerTable, PurchaseHistory, f64, u64) {
        reset_peak();
        let (before, _) = memory_kib();
        let started = Clock::start();
        let columns = Columns {
            order: true,
            date: true,
            profit: true,
            quantity: true,
        };
        let mut aggregator = Aggregator::new(columns);
        if !history {
            aggregator = aggregator.without_history();
        }
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        for line in text.lines().skip(1) {
            let mut cells = line.split(',');
            let (Some(customer), Some(order), Some(date), Some(amount), Some(profit), Some(q)) = (
                cells.next(),
                cells.next(),
                cells.next(),
                cells.next(),
                cells.next(),
                cells.next(),
            ) else {
                continue;
            };
            aggregator.add(&Transaction {
                customer,
                order: Some(order),
                day: Day::parse_iso(date),
                amount: amount.parse().unwrap_or(0.0),
                profit: profit.parse().ok(),
                quantity: q.parse().ok(),
            });
        }
        let rows = ms(&started);
        let (table, days) = aggregator.finish_with_history();
        let elapsed = ms(&started);
        let (_, peak) = memory_kib();
        eprintln!(
            "  (history {history}: rows {rows:.1} ms, finish {:.1} ms)",
            elapsed - rows
        );
        (table, days, elapsed, peak.saturating_sub(before))
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let json = args.iter().any(|a| a == "--json");
        let Some(path) = args
            .iter()
            .find(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
        else {
            eprintln!("usage: bench-lifecycle PATH [--reps N] [--json]");
            return ExitCode::from(2);
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("bench-lifecycle: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let (import, customers) = match import_ms(&bytes) {
            Ok(figures) => figures,
            Err(e) => {
                eprintln!("bench-lifecycle: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Without and with the history, alternately, `--reps N` times (default 3): medians.
        let reps: usize = args
            .iter()
            .position(|a| a == "--reps")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(3)
            .max(1);
        let (mut withouts, mut withs) = (Vec::new(), Vec::new());
        let mut kept = None;
        for _ in 0..reps {
            let (_, _, ms, peak) = aggregate(&bytes, false);
            withouts.push((ms, peak));
            let (table, history, ms, peak) = aggregate(&bytes, true);
            withs.push((ms, peak));
            kept = Some((table, history));
        }
        let median = |runs: &mut Vec<(f64, u64)>| {
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let ms = runs[runs.len() / 2].0;
            let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
            (ms, peak)
        };
        let (without_ms, without_peak) = median(&mut withouts);
        let (with_ms, with_peak) = median(&mut withs);
        let Some((table, history)) = kept else {
            return ExitCode::FAILURE;
        };
        drop(bytes);
        if args.iter().any(|a| a == "--worker") {
            worker_steps(&table, &history);
            return ExitCode::SUCCESS;
        }
        let days = history.day_count();
        let record_bytes = history.record_bytes();
        let heap = history.heap_bytes();

        let config = LifecycleConfig::default();
        let started = Clock::start();
        let analysis = match analyse_lifecycle(&table, &history, &config) {
            Ok(analysis) => analysis,
            Err(e) => {
                eprintln!("bench-lifecycle: {e}");
                return ExitCode::FAILURE;
            }
        };
        let month_ms = ms(&started);
        let started = Clock::start();
        let quarter = LifecycleConfig {
            grain: Grain::Quarter,
            ..config.clone()
        };
        let quarter_ok = analyse_lifecycle(&table, &history, &quarter).is_ok();
        let quarter_ms = ms(&started);
        // The last two whole months.
        let whole: Vec<_> = analysis
            .series
            .stats
            .iter()
            .filter(|s| !s.period.partial)
            .map(|s| DateRange {
                first: s.period.start,
                last: s.period.end.plus_days(-1),
            })
            .collect();
        let started = Clock::start();
        let moved = match whole.as_slice() {
            [.., a, b] => window(&table, &history, None)
                .and_then(|w| movement(&history, &w, *a, *b, 1, &config))
                .ok(),
            _ => None,
        };
        let movement_ms = ms(&started);
        let started = Clock::start();
        let day = analysis.window.analysis_day;
        let migration = segment_migration(
            &table,
            &history,
            day.plus_days(-365),
            day,
            &RfmConfig::default(),
            &SegmentRules::default(),
        );
        let migration_ms = ms(&started);
        let total_ms = month_ms + quarter_ms + movement_ms + migration_ms;
        // What the view builds from the analyses (figures, tables, charts), in English, as the
        // page does on first showing the view; and the at-risk/lapsed CSV it makes on a click.
        let started = Clock::start();
        let view = view_parts(&table, &history, &analysis);
        let view_ms = ms(&started);
        let started = Clock::start();
        let csv_rows = present::lapsing_csv(&analysis, &table, "x", Lang::En)
            .rows
            .len();
        let csv_ms = ms(&started);
        let lost_top = moved.as_ref().map_or(0, |m| m.lost_top.len());
        if json {
            println!(
                "{{\"customers\":{customers},\"days\":{days},\"history_record_bytes\":{record_bytes},\"history_heap_bytes\":{heap},\"import_ms\":{import:.1},\"aggregate_without_ms\":{without_ms:.1},\"aggregate_with_ms\":{with_ms:.1},\"aggregate_without_peak_kib\":{without_peak},\"aggregate_with_peak_kib\":{with_peak},\"lifecycle_month_ms\":{month_ms:.1},\"lifecycle_quarter_ms\":{quarter_ms:.1},\"movement_ms\":{movement_ms:.1},\"migration_ms\":{migration_ms:.1},\"lifecycle_total_ms\":{total_ms:.1}}}"
            );
            return ExitCode::SUCCESS;
        }
        println!("file               {path}   (times: processor ms of this thread)");
        println!(
            "customers          {customers} ({} in the table)",
            table.customers.len()
        );
        println!("the app's import   {import:>9.1} ms");
        println!(
            "aggregation        {without_ms:>9.1} ms without the history, {with_ms:>9.1} ms with it (+{:.1} ms, {:+.1} %; medians of {reps})",
            with_ms - without_ms,
            100.0 * (with_ms / without_ms - 1.0)
        );
        println!(
            "aggregation peak   {:.1} MiB without, {:.1} MiB with (+{:.1} MiB), above the file in memory",
            without_peak as f64 / 1024.0,
            with_peak as f64 / 1024.0,
            (with_peak as f64 - without_peak as f64) / 1024.0
        );
        println!(
            "history            {days} purchase days, {:.1} MB of records ({:.2} bytes a day), {:.1} MiB on the heap with the offsets",
            record_bytes as f64 / 1e6,
            record_bytes as f64 / days.max(1) as f64,
            heap as f64 / 1_048_576.0
        );
        println!(
            "lifecycle, month   {month_ms:>9.1} ms (series of {} periods, {} cohorts, gaps and lapse, division)",
            analysis.series.stats.len(),
            analysis.cohorts.cohorts.len()
        );
        println!("lifecycle, quarter {quarter_ms:>9.1} ms ({quarter_ok})");
        println!("movement           {movement_ms:>9.1} ms (last two whole months; {lost_top} top-decile customers lapsed)");
        println!(
            "RFM migration      {migration_ms:>9.1} ms (a year before the analysis day vs it; {})",
            migration.map_or_else(|e| e.to_string(), |m| format!("{} cells", m.moves.len()))
        );
        println!(
            "all of it          {total_ms:>9.1} ms = {:.2} × the import",
            total_ms / import
        );
        println!("the view, as shown {view_ms:>9.1} ms (month analysis, comparison of the last two whole months, migration from period B's start, every figure, table and chart: {view})");
        println!("at-risk/lapsed CSV {csv_ms:>9.1} ms ({csv_rows} rows; made on a click)");
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    lifecycle::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
