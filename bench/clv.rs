//! How fast the CLV engine is, natively (客户价值预测基准):
//! `cargo run --profile bench-native --example bench-clv -- PATH [--calibration-end YYYY-MM-DD]
//! [--dump OUT.csv]` on a file of `bench/generate.rs`
//! (`customer_id,order_id,order_date,amount,profit,quantity`).
//!
//! The file goes through the aggregator (as `bench-lifecycle` does) for the customer table and
//! the purchase-day history, untimed; then, in processor time of the thread: (x, t_x, T)
//! extraction ([`summarise`]), unique tuples, the BG/NBD fit, the Gamma-Gamma fit, scoring every
//! customer (P(alive), expected purchases over 52 weeks, expected value, CLV), and the backtest
//! and tracking plot. `--dump` writes each customer's frequency, recency, T (weeks) and monetary
//! value for `bench/clv_lifetimes.py`, which times `lifetimes` on the same numbers.

#[cfg(not(target_arch = "wasm32"))]
#[path = "process.rs"]
mod process;

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

#[cfg(not(target_arch = "wasm32"))]
mod clv {
    use std::io::Write;
    use std::process::ExitCode;

    use super::process::{cpu_ms, MemorySteps};
    use valuelens::engine::calendar::Day;
    use valuelens::engine::clv::*;
    use valuelens::engine::customers::{Aggregator, Columns, Transaction};
    use valuelens::engine::history::PurchaseHistory;
    use valuelens::protocol::analysis::{history_of, offsets_bytes, write_clv_scored};

    /// A frame sink outside the heap, as the analysis worker's JS buffer: only its length kept.
    struct Outside(usize);

    impl valuelens::protocol::FrameSink for Outside {
        fn write_at(&mut self, offset: usize, bytes: &[u8]) {
            self.0 = self.0.max(offset + bytes.len());
        }
    }

    /// Runs `f`, printing its processor time and the heap's live bytes after it and at most
    /// during it (what a WebAssembly memory grows to).
    fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
        super::HEAP.reset_peak_usage();
        let started = cpu_ms();
        let value = f();
        let mib = |bytes: usize| bytes as f64 / 1048576.0;
        println!(
            "{what:<40} {:>10.1} ms   heap {:>7.1} MiB live, {:>7.1} MiB at most",
            cpu_ms() - started,
            mib(super::HEAP.current_usage()),
            mib(super::HEAP.peak_usage())
        );
        value
    }

    /// The analysis worker's CLV request as the page sends it (the history as bytes) and as the
    /// worker answers it: the resident size above the start after each step and its peak during
    /// each (MiB), with the processor time of each.
    fn worker_steps(history: &PurchaseHistory, config: &ClvConfig) {
        // The request as it reaches the worker (JS arrays), then copied into its memory.
        let (profit, quantity, starts, sent_records) = history.parts();
        let sent_offsets = offsets_bytes(starts);
        let steps = MemorySteps::start_with_heap("the analysis worker's CLV request", &super::HEAP);
        let started = cpu_ms();
        let (offsets, records) = (sent_offsets.clone(), sent_records.to_vec());
        steps.step("request copied in", cpu_ms() - started);
        let started = cpu_ms();
        let Ok(history) = history_of(profit, quantity, &offsets, records) else {
            println!("  the history was refused");
            return;
        };
        steps.step("history read", cpu_ms() - started);
        // As `src/bin/analyst.rs`: the history let go of once summarised, the scores made as
        // they are written (the worker's sink is a JS buffer, outside its memory: here only the
        // frame's length is kept).
        let started = cpu_ms();
        let summaries = match summarise(&history, config) {
            Ok(summaries) => summaries,
            Err(e) => {
                println!("  {e}");
                return;
            }
        };
        drop(history);
        steps.step("summaries", cpu_ms() - started);
        let started = cpu_ms();
        let (analysis, scoring) = match analyse_summaries(summaries, config) {
            Ok(parts) => parts,
            Err(e) => {
                println!("  {e}");
                return;
            }
        };
        steps.step("analysis", cpu_ms() - started);
        let started = cpu_ms();
        let frame = write_clv_scored(analysis, &scoring, 1, |_| Outside(0));
        steps.step("answer frame (written outside)", cpu_ms() - started);
        println!(
            "  the answer: {:.1} MB",
            frame.map_or(0, |f| f.0) as f64 / 1e6
        );
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let option = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let Some(path) = args.first().filter(|a| !a.starts_with("--")) else {
            eprintln!("usage: bench-clv PATH [--calibration-end YYYY-MM-DD] [--dump OUT.csv]");
            return ExitCode::from(2);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("bench-clv: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let (table, history) = timed("aggregation with the history (untimed part)", || {
            let mut aggregator = Aggregator::new(Columns {
                order: true,
                date: true,
                profit: true,
                quantity: true,
            });
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
            aggregator.finish_with_history()
        });
        drop(text);
        let config = ClvConfig {
            calibration_end: option("--calibration-end").and_then(|d| Day::parse_iso(&d)),
            ..ClvConfig::default()
        };
        if args.iter().any(|a| a == "--worker") {
            drop(table);
            worker_steps(&history, &config);
            return ExitCode::SUCCESS;
        }
        println!("customers: {}", table.customers.len());
        let total = cpu_ms();
        let summaries = match timed("(x, t_x, T) extraction", || summarise(&history, &config)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("bench-clv: {e}");
                return ExitCode::FAILURE;
            }
        };
        let tuples = timed("unique tuples", || unique_tuples(&summaries));
        println!(
            "customers in the model: {}, repeaters: {}, unique tuples: {}",
            summaries.customers.len(),
            summaries.repeaters(),
            tuples.len()
        );
        let bgnbd = match timed("BG/NBD fit", || fit_bgnbd(&tuples)) {
            Ok(fit) => fit,
            Err(e) => {
                eprintln!("bench-clv: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "  r {:.6} alpha {:.6} a {:.6} b {:.6} ll {:.3}; {} evaluations, {}/{} starts agree",
            bgnbd.params.r,
            bgnbd.params.alpha,
            bgnbd.params.a,
            bgnbd.params.b,
            bgnbd.log_likelihood,
            bgnbd.evaluations,
            bgnbd.starts_agreeing,
            bgnbd.starts
        );
        let gg = match timed("Gamma-Gamma fit", || fit_gamma_gamma(&summaries)) {
            Ok(fit) => fit,
            Err(e) => {
                eprintln!("bench-clv: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "  p {:.6} q {:.6} v {:.6}; {} customers, correlation {:?}",
            gg.params.p, gg.params.q, gg.params.gamma, gg.customers, gg.correlation
        );
        let steps = Discounting::new(config.unit, config.horizon, config.discount_rate);
        let scores = timed("scoring every customer", || {
            score(
                &bgnbd.params,
                &gg.params,
                &steps,
                config.horizon,
                &summaries,
            )
        });
        timed("backtest and tracking plot", || {
            (
                backtest(&bgnbd.params, &summaries),
                tracking(&bgnbd.params, &summaries),
            )
        });
        println!(
            "{:<40} {:>10.1} ms",
            "total after the import",
            cpu_ms() - total
        );
        println!(
            "CLV total {:.2}, expected purchases {:.2}",
            scores.iter().map(|s| s.clv).sum::<f64>(),
            scores.iter().map(|s| s.expected_purchases).sum::<f64>()
        );
        if let Some(out) = option("--dump") {
            let Ok(file) = std::fs::File::create(&out) else {
                eprintln!("bench-clv: cannot write {out}");
                return ExitCode::FAILURE;
            };
            let mut w = std::io::BufWriter::new(file);
            let _ = writeln!(w, "frequency,recency,T,monetary_value");
            for s in &scores {
                let _ = writeln!(w, "{},{},{},{}", s.frequency, s.recency, s.age, s.monetary);
            }
        }
        ExitCode::SUCCESS
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    clv::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
