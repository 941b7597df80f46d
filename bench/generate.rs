//! Seeded synthetic orders for the import benchmark (基准测试数据):
//! `cargo run --release --example generate -- [--shuffled] [--dimensions] ROWS PATH [SEED]`.
//!
//! Writes `ROWS` order lines (`valuelens::engine::sample::write_orders`, which describes their
//! shape) with one customer id per 10 rows (100,000 for 1,000,000 rows; the skew leaves some
//! unused): about 43 bytes a line, so 1,000,000 rows make about 43 MB. The same `ROWS` and `SEED`
//! always give the same bytes (SplitMix64, no other source of randomness).
//!
//! `--shuffled` writes the same lines in a random (seeded) order, header first: what an export
//! sorted by something else than the date looks like to the importer (every customer's months
//! revisited again and again). The import's speed must not depend much on the order of the rows.
//!
//! `--dimensions` adds two columns the mapping guesses: `region` (a customer attribute of 30
//! values, constant per customer) and `category` (a line attribute of 50 values); the first six
//! columns stay the same bytes (`engine::sample::OrderShape`).

#[cfg(not(target_arch = "wasm32"))]
mod generate {
    use std::fs::{self, File};
    use std::io::{BufWriter, Write};
    use std::path::Path;
    use std::process::ExitCode;

    use valuelens::engine::sample::{write_orders_shaped, OrderShape, SplitMix64};

    /// The seed when none is given.
    const DEFAULT_SEED: u64 = 0x005E_ED0F_0DE5;
    /// Rows per customer id in the id space (the Zipf skew leaves some ids unused).
    const ROWS_PER_CUSTOMER: u64 = 10;

    /// Writes the file; returns (bytes, distinct customers).
    fn write_file(
        rows: u64,
        path: &Path,
        seed: u64,
        shuffled: bool,
        shape: OrderShape,
    ) -> std::io::Result<(u64, u64)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let customers = (rows / ROWS_PER_CUSTOMER).max(1);
        let distinct = if shuffled {
            let mut text = Vec::new();
            let distinct = write_orders_shaped(&mut text, rows, customers, seed, shape)?;
            let mut lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
            // Fisher–Yates over the data lines; the header stays first.
            let mut rng = SplitMix64(seed ^ 0x5EED_5A1F);
            for i in (2..lines.len()).rev() {
                let j = 1 + ((u128::from(rng.next_u64()) * i as u128) >> 64) as usize;
                lines.swap(i, j);
            }
            lines.iter().try_for_each(|line| out.write_all(line))?;
            distinct
        } else {
            write_orders_shaped(&mut out, rows, customers, seed, shape)?
        };
        out.flush()?;
        drop(out);
        Ok((fs::metadata(path)?.len(), distinct))
    }

    pub fn main() -> ExitCode {
        let mut args: Vec<String> = std::env::args().skip(1).collect();
        let shuffled = args.iter().any(|a| a == "--shuffled");
        let shape = if args.iter().any(|a| a == "--dimensions") {
            OrderShape::WithDimensions
        } else {
            OrderShape::Plain
        };
        args.retain(|a| a != "--shuffled" && a != "--dimensions");
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
            eprintln!("usage: generate [--shuffled] [--dimensions] ROWS PATH [SEED]   (ROWS > 0, e.g. 1000000 bench/data/orders-1m.csv)");
            return ExitCode::from(2);
        };
        let started = std::time::Instant::now();
        match write_file(rows, Path::new(path), seed, shuffled, shape) {
            Ok((bytes, customers)) => {
                let order = match (shuffled, shape) {
                    (false, OrderShape::Plain) => "",
                    (true, OrderShape::Plain) => ", shuffled",
                    (false, OrderShape::WithDimensions) => ", region and category",
                    (true, OrderShape::WithDimensions) => ", shuffled, region and category",
                };
                println!(
                    "{path}: {rows} rows, {customers} customers, {bytes} bytes ({:.1} bytes/row), seed {seed}{order}, {:.1} s",
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
