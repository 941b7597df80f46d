//! What each analysis view computes when it is first shown, natively: its time and the memory it
//! takes beyond the loaded data (分析视图基准). `cargo run --profile bench-native --example
//! bench-views -- PATH` on a file of `bench/generate.rs`.
//!
//! The file is imported as the app does it ([`Importer`]: inspect, 4 MiB chunks, finish); then
//! each analysis the page's `Analyses` memos run for the decile, RFM and lifecycle views, with
//! the default parameters, one after the other, keeping each result as the page keeps it: the
//! processor time of each, its peak above the resident size just before it (`VmHWM`, reset
//! through `/proc/self/clear_refs`) and what it keeps (resident size after it, above before).
//!
//! In the page every byte of such a peak stays: WebAssembly memory grows and never shrinks, so
//! the tab's peak is the loaded data plus the largest of these peaks (plus what the earlier
//! views keep). That is why the peaks are printed, not only what is kept.

#[cfg(not(target_arch = "wasm32"))]
#[path = "process.rs"]
mod process;

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

#[cfg(not(target_arch = "wasm32"))]
mod views {
    use std::process::ExitCode;

    use super::process::{cpu_ms, heap, memory_kib, reset_peak};
    use valuelens::engine::customers::Months;
    use valuelens::engine::deciles::{
        analyse_deciles, CustomerDecileSteps, DecileBasis, GroupConfig,
    };
    use valuelens::engine::dimensions::{
        breakdown_in_deciles, sales_deciles, BreakdownConfig, MixSteps,
    };
    use valuelens::engine::ingest::{inspect, Importer, InspectOptions};
    use valuelens::engine::lifecycle::{analyse_lifecycle, LifecycleConfig};
    use valuelens::engine::loyalty::{analyse_loyalty, LoyaltyConfig, LoyaltySteps, Orders};
    use valuelens::engine::profiles::{analyse_profiles, ProfileConfig};
    use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
    use valuelens::engine::survey::{import_survey, join, SurveyOptions};
    use valuelens::present::lifecycle::{compare, migrate, Settings};
    use valuelens::protocol::{IMPORT_CHUNK_BYTES, INSPECT_BYTES};

    fn mib(kib: u64) -> f64 {
        kib as f64 / 1024.0
    }

    /// Runs `step`, printing its processor time, its peak above the resident size before it and
    /// what it keeps; returns its result.
    fn measure<T>(name: &str, step: impl FnOnce() -> T) -> T {
        reset_peak();
        let (before, _) = memory_kib();
        super::HEAP.reset_peak_usage();
        let (live, _) = heap::now_and_peak(&super::HEAP);
        let started = cpu_ms();
        let result = step();
        let ms = cpu_ms() - started;
        let (after, peak) = memory_kib();
        let (heap_after, heap_peak) = heap::now_and_peak(&super::HEAP);
        println!(
            "{name:<34} {ms:>9.1} ms   peak +{:>7.1} MiB   keeps {:>+7.1} MiB   heap: peak +{:>7.1} MiB, keeps {:>+7.1} MiB",
            mib(peak.saturating_sub(before)),
            (after as f64 - before as f64) / 1024.0,
            heap_peak - live,
            heap_after - live
        );
        result
    }

    pub fn main() -> ExitCode {
        let Some(path) = std::env::args().nth(1) else {
            eprintln!("usage: bench-views PATH [SURVEY]");
            return ExitCode::from(2);
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("bench-views: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let head = &bytes[..bytes.len().min(INSPECT_BYTES as usize)];
        let imported = inspect(head, head.len() == bytes.len(), &InspectOptions::default())
            .and_then(|preview| Importer::new(preview.settings()))
            .and_then(|mut importer| {
                for chunk in bytes.chunks(IMPORT_CHUNK_BYTES as usize) {
                    importer.push(chunk);
                }
                importer.finish()
            });
        drop(bytes);
        let outcome = match imported {
            Ok(outcome) => outcome,
            Err(e) => {
                eprintln!("bench-views: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let table = &outcome.table;
        let Some(history) = outcome.purchase_history() else {
            eprintln!("bench-views: {path}: no purchase days (a date column is needed)");
            return ExitCode::FAILURE;
        };
        let (resident, _) = memory_kib();
        println!(
            "file {path}: {} customers, {:.1} MiB resident with the data loaded, heap {:.1} MiB live (times: processor ms)",
            table.customers.len(),
            mib(resident),
            heap::now_and_peak(&super::HEAP).0
        );
        let deciles = measure("deciles (analyse_deciles)", || {
            analyse_deciles(table, &GroupConfig::default())
        });
        // The page's customers read their months from their purchase days
        // (`Months::of_days`): the same analysis so.
        let shared = history.clone();
        let mut read = table.clone();
        for (index, customer) in read.customers.iter_mut().enumerate() {
            customer.months = Months::of_days(shared.clone(), index);
        }
        let again = measure("deciles, months from the days", || {
            analyse_deciles(&read, &GroupConfig::default())
        });
        if again.as_ref().ok() != deciles.as_ref().ok() {
            eprintln!("bench-views: the deciles differ with the months read from the days");
            return ExitCode::FAILURE;
        }
        drop(read);
        let rfm = measure("RFM (analyse_rfm)", || {
            analyse_rfm(table, &RfmConfig::default(), &SegmentRules::default())
        });
        let settings = Settings::default();
        let lifecycle = measure("lifecycle (analyse_lifecycle)", || {
            analyse_lifecycle(table, history, &LifecycleConfig::default())
        });
        let Ok(analysis) = &lifecycle else {
            eprintln!("bench-views: the lifecycle analysis failed");
            return ExitCode::FAILURE;
        };
        let comparison = measure("lifecycle: comparison (compare)", || {
            compare(table, history, analysis, &settings)
        });
        let migration = measure("lifecycle: migration (migrate)", || {
            migrate(
                table,
                history,
                analysis,
                &settings,
                &RfmConfig::default(),
                &SegmentRules::default(),
            )
        });
        // With attributes (`generate --dimensions`): what the dimension panels and the report's
        // sections compute.
        if let Some(attributes) = outcome.customer_attributes() {
            let config = ProfileConfig::default();
            let _ = measure("profiles (analyse_profiles)", || {
                analyse_profiles(table, attributes, &config)
            });
            let deciles = measure("sales deciles (sales_deciles)", || sales_deciles(table));
            // The pieces the page takes a task at a time: how many, and the longest.
            if let Ok(mut steps) = CustomerDecileSteps::new(table, DecileBasis::Sales) {
                let mut times = Vec::new();
                loop {
                    let started = std::time::Instant::now();
                    let more = steps.step(table);
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                    if !more {
                        break;
                    }
                }
                let started = std::time::Instant::now();
                let _ = steps.finish(table);
                println!(
                    "sales deciles in pieces: {} steps, the longest {:.1} ms (wall), steps {:?}, finish {:.1} ms",
                    times.len(),
                    times.iter().copied().fold(0.0, f64::max),
                    times.iter().map(|t| (t * 10.0).round() / 10.0).collect::<Vec<_>>(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            if let (Ok(deciles), Some(attribute)) = (&deciles, attributes.attributes.first()) {
                let scored = rfm.as_ref().ok().map(|r| (&r.scores, &r.segmentation));
                let _ = measure("breakdown, deciles given", || {
                    breakdown_in_deciles(
                        table,
                        attribute,
                        scored,
                        Some(deciles),
                        BreakdownConfig::default(),
                    )
                });
            }
            if let (Ok(deciles), Some(line)) = (
                &deciles,
                outcome.line_attributes().and_then(|l| l.lines.first()),
            ) {
                let scored = rfm.as_ref().ok().map(|r| (&r.scores, &r.segmentation));
                let _ = measure("product mix, deciles given", || {
                    MixSteps::new(table, line, deciles, scored).and_then(|s| s.finish(line))
                });
            }
        }
        // With a survey (`bench-views PATH SURVEY`): the loyalty view's analysis.
        if let Some(survey_path) = std::env::args().nth(2) {
            let survey = std::fs::read(&survey_path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    import_survey(&bytes, &SurveyOptions::default()).map_err(|e| e.to_string())
                });
            let survey = match survey {
                Ok(survey) => survey,
                Err(e) => {
                    eprintln!("bench-views: {survey_path}: {e}");
                    return ExitCode::FAILURE;
                }
            };
            println!(
                "survey {survey_path}: {} respondents",
                survey.respondents.len()
            );
            let _ = measure("loyalty: the join alone (join)", || join(&survey, table));
            let orders = Orders {
                table,
                history,
                rfm: rfm.as_ref().ok(),
            };
            let config = LoyaltyConfig::default();
            let _ = measure("loyalty (analyse_loyalty)", || {
                analyse_loyalty(&survey, Some(orders), &config)
            });
            // The page's pieces: the base a step a task, then the rules; then the rules
            // again on the base kept (a parameter edited).
            let time_steps = |mut steps: LoyaltySteps, what: &str| {
                let mut times = Vec::new();
                loop {
                    let started = std::time::Instant::now();
                    let more = steps.step(&survey, Some(orders));
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                    if !more {
                        break;
                    }
                }
                let base = steps.base();
                let started = std::time::Instant::now();
                let _ = steps.finish(&survey, Some(orders));
                println!(
                    "{what}: {} steps, {:.1} ms in all, the longest {:.1} ms, finish {:.1} ms (wall); steps {:?}",
                    times.len(),
                    times.iter().sum::<f64>(),
                    times.iter().copied().fold(0.0, f64::max),
                    started.elapsed().as_secs_f64() * 1000.0,
                    times.iter().map(|t| (t * 10.0).round() / 10.0).collect::<Vec<_>>()
                );
                base
            };
            let Ok(steps) = LoyaltySteps::new(&survey, Some(orders), &config, None) else {
                eprintln!("bench-views: the loyalty parameters do not hold");
                return ExitCode::FAILURE;
            };
            let base = time_steps(steps, "loyalty in pieces");
            let edited = LoyaltyConfig {
                loyal_min_orders: 3,
                ..config.clone()
            };
            if let Ok(steps) = LoyaltySteps::new(&survey, Some(orders), &edited, base) {
                time_steps(steps, "loyalty edited, on the base kept");
            }
        }
        let (after, _) = memory_kib();
        println!(
            "all five kept: {:.1} MiB resident ({} ok)",
            mib(after),
            [
                deciles.is_ok(),
                rfm.is_ok(),
                comparison.is_ok(),
                migration.is_ok()
            ]
            .iter()
            .filter(|ok| **ok)
            .count()
                + 1
        );
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    views::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
