//! Seeded synthetic orders for the import benchmark (基准测试数据):
//! `cargo run --release --example generate -- ROWS PATH [SEED]`.
//!
//! Writes `ROWS` order lines as `customer_id,order_id,order_date,amount,profit,quantity` (UTF-8,
//! `\n`, a header row), about 43 bytes a line, so 1,000,000 rows make about 43 MB. The same
//! `ROWS` and `SEED` always give the same bytes (SplitMix64, no other source of randomness).
//!
//! The shape is that of a shop's order-line export:
//! - one customer per 10 rows (100,000 for 1,000,000 rows), drawn with a Zipf-like skew so a few
//!   customers place many orders and the tail places one or two; not every id occurs;
//! - orders of 1–3 lines in file order, order ids increasing, dates rising over two years
//!   (2023-01-01 to 2024-12-30), ISO format;
//! - amounts log-normal around 40 with cents, profit 5–35 % of the amount, quantity 1–9;
//! - about 3 % of the lines are returns: negative amount and profit.

#[cfg(not(target_arch = "wasm32"))]
mod generate {
    use std::fs::{self, File};
    use std::io::{BufWriter, Write};
    use std::path::Path;
    use std::process::ExitCode;

    use valuelens::engine::sample::SplitMix64;

    /// The seed when none is given.
    const DEFAULT_SEED: u64 = 0x005E_ED0F_0DE5;
    /// Rows per customer id in the id space (the Zipf skew leaves some ids unused).
    const ROWS_PER_CUSTOMER: u64 = 10;
    /// Days the order dates span.
    const DAYS: u64 = 730;
    /// The largest line amount, in cents (99,999.99).
    const MAX_LINE_CENTS: i64 = 9_999_999;
    /// Share of lines that are returns.
    const RETURN_SHARE: f64 = 0.03;

    /// What the generator draws beyond SplitMix64's bits and units.
    trait Draws {
        /// Uniform in `0..n` (`n > 0`).
        fn below(&mut self, n: u64) -> u64;
        /// Standard normal (Box–Muller, one of the pair).
        fn normal(&mut self) -> f64;
    }

    impl Draws for SplitMix64 {
        fn below(&mut self, n: u64) -> u64 {
            ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
        }

        fn normal(&mut self) -> f64 {
            let u1 = 1.0 - self.unit();
            let u2 = self.unit();
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        }
    }

    /// `YYYY-MM-DD` for each day from 2023-01-01 on.
    fn date_texts() -> Vec<String> {
        let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
        (0..DAYS)
            .map(|d| {
                (start + chrono::Duration::days(d as i64))
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .collect()
    }

    /// Cents as `-12.34`.
    fn write_money(out: &mut impl Write, cents: i64) -> std::io::Result<()> {
        let sign = if cents < 0 { "-" } else { "" };
        let cents = cents.unsigned_abs();
        write!(out, "{sign}{}.{:02}", cents / 100, cents % 100)
    }

    /// Writes the file; returns (bytes, distinct customers).
    fn write_orders(rows: u64, path: &Path, seed: u64) -> std::io::Result<(u64, u64)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let mut rng = SplitMix64(seed);
        let dates = date_texts();
        let customers = (rows / ROWS_PER_CUSTOMER).max(1);
        let id_width = customers.saturating_sub(1).to_string().len().max(6);
        let order_width = (rows / 2).to_string().len().max(7);
        let mut seen = vec![false; customers as usize];
        let mut distinct = 0u64;

        writeln!(
            out,
            "customer_id,order_id,order_date,amount,profit,quantity"
        )?;
        let mut written = 0u64;
        let mut order = 0u64;
        while written < rows {
            order += 1;
            // Zipf-like: index = C·u² puts density ∝ 1/√x on the ids, heavy at the front.
            let u = rng.unit();
            let customer = ((customers as f64 * u * u) as u64).min(customers - 1);
            if !seen[customer as usize] {
                seen[customer as usize] = true;
                distinct += 1;
            }
            let day = (written * DAYS / rows).min(DAYS - 1);
            let date = &dates[day as usize];
            let lines = 1 + rng.below(3);
            for _ in 0..lines.min(rows - written) {
                let unit_cents = ((3.7 + 0.8 * rng.normal()).exp() * 100.0).round() as i64;
                let quantity = 1 + rng.below(9) as i64;
                let mut amount = (unit_cents.max(1) * quantity).min(MAX_LINE_CENTS);
                let margin = 0.05 + 0.30 * rng.unit();
                let mut profit = (amount as f64 * margin).round() as i64;
                if rng.unit() < RETURN_SHARE {
                    amount = -amount;
                    profit = -profit;
                }
                write!(out, "C{customer:0id_width$},O{order:0order_width$},{date},")?;
                write_money(&mut out, amount)?;
                out.write_all(b",")?;
                write_money(&mut out, profit)?;
                writeln!(out, ",{quantity}")?;
                written += 1;
            }
        }
        out.flush()?;
        drop(out);
        Ok((fs::metadata(path)?.len(), distinct))
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let parsed = match args.as_slice() {
            [rows, path] => rows.parse().ok().map(|r| (r, path, DEFAULT_SEED)),
            [rows, path, seed] => rows
                .parse()
                .ok()
                .zip(seed.parse().ok())
                .map(|(r, s)| (r, path, s)),
            _ => None,
        };
        let Some((rows, path, seed)) = parsed.filter(|(rows, _, _)| *rows > 0) else {
            eprintln!("usage: generate ROWS PATH [SEED]   (ROWS > 0, e.g. 1000000 bench/data/orders-1m.csv)");
            return ExitCode::from(2);
        };
        let started = std::time::Instant::now();
        match write_orders(rows, Path::new(path), seed) {
            Ok((bytes, customers)) => {
                println!(
                    "{path}: {rows} rows, {customers} customers, {bytes} bytes ({:.1} bytes/row), seed {seed}, {:.1} s",
                    bytes as f64 / rows as f64,
                    started.elapsed().as_secs_f64()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("generate: {path}: {error}");
                ExitCode::FAILURE
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    generate::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
