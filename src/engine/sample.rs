//! The built-in sample data set (示例数据): about 5,000 orders of about 600 customers over two
//! years (2023–2024), generated from a fixed seed, so every run and every test sees the same data.
//!
//! It is written out as CSV text and then imported through the same path as a dropped file.
//! Customers differ the way real ones do: a few big spenders, many small ones, some who stopped
//! buying in the second year, some who started late, some low-margin price hunters, and returns
//! (negative amounts on the original order id).

use super::calendar::Day;
use super::vocabulary::SAMPLE_HEADER_ZH;
use chrono::NaiveDate;

mod orders;
pub use orders::{write_orders, write_orders_shaped, OrderShape, DIMENSION_COLUMNS, ORDER_COLUMNS};

/// Column names of the sample, per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleLanguage {
    /// 客户编号, 订单号, 订单日期, 销售额, 利润, 数量
    Chinese,
    /// Customer ID, Order ID, Order Date, Sales, Profit, Quantity
    English,
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny deterministic generator, the same on every
/// platform. The sample and the benchmark's data generator (`bench/generate.rs`) draw from it.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next_u64() % (high - low + 1) as u64) as i64
    }

    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// The seed of the sample; changing it changes every figure the tests expect.
pub const SAMPLE_SEED: u64 = 20_240_105;
/// Number of customers in the sample.
pub const SAMPLE_CUSTOMERS: usize = 600;

/// Generates the sample as CSV text (UTF-8, LF line ends, header row in the chosen language).
pub fn sample_csv(language: SampleLanguage) -> String {
    let mut rng = SplitMix64(SAMPLE_SEED);
    let start: Day = Day::from_date(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default());
    let end: Day = Day::from_date(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default());
    let span = end.days_since(start) as f64;
    let header = match language {
        SampleLanguage::Chinese => SAMPLE_HEADER_ZH,
        SampleLanguage::English => "Customer ID,Order ID,Order Date,Sales,Profit,Quantity\n",
    };
    let mut rows: Vec<(Day, String)> = Vec::with_capacity(5_500);
    let mut order_number = 100_000u32;
    for index in 0..SAMPLE_CUSTOMERS {
        let id = format!("C{:04}", index + 1);
        // Spend per order: log-normal, so a few customers spend far more than the rest.
        let value = (4.6 + 0.75 * rng.normal()).exp().clamp(8.0, 6_000.0);
        // Orders over two years: heavy-tailed activity, about 8 on average.
        let activity = rng.unit();
        let orders = if rng.unit() < 0.28 {
            1 // one purchase and never again, as many customers do
        } else {
            (0.5 + 32.0 * activity.powf(3.2) + 5.0 * rng.unit())
                .round()
                .max(1.0) as i64
        };
        // Lifecycle: most active throughout; some churn, some arrive late.
        let lifecycle = rng.unit();
        let (from, to) = if lifecycle < 0.18 {
            (0.0, 0.35 + 0.3 * rng.unit()) // stopped buying
        } else if lifecycle < 0.30 {
            (0.55 + 0.4 * rng.unit(), 1.0) // new customer
        } else {
            (0.0, 1.0)
        };
        // Margin: price hunters buy at a thin margin, the rest at 10–40 %.
        let margin = if rng.unit() < 0.12 {
            0.005 + 0.03 * rng.unit()
        } else {
            0.10 + 0.30 * rng.unit()
        };
        for _ in 0..orders {
            let day = start.plus_days(((from + (to - from) * rng.unit()) * span) as i32);
            let quantity = rng.range(1, 6);
            let amount = (value * (0.6 + 0.8 * rng.unit()) * (quantity as f64).sqrt() * 100.0)
                .round()
                / 100.0;
            let profit = (amount * (margin + 0.04 * rng.normal()) * 100.0).round() / 100.0;
            order_number += 1;
            let order = format!("SO{order_number}");
            rows.push((
                day,
                format!(
                    "{id},{order},{},{amount:.2},{profit:.2},{quantity}\n",
                    day.iso()
                ),
            ));
            if rng.unit() < 0.03 {
                // A return a few days later, on the same order.
                let back = day.plus_days(rng.range(2, 20) as i32).min(end);
                let returned = (amount * (0.3 + 0.7 * rng.unit()) * 100.0).round() / 100.0;
                let lost = (profit * returned / amount.max(0.01) * 100.0).round() / 100.0;
                rows.push((
                    back,
                    format!(
                        "{id},{order},{},{:.2},{:.2},-1\n",
                        back.iso(),
                        -returned,
                        -lost
                    ),
                ));
            }
        }
    }
    // Exports list rows by date.
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut text = String::with_capacity(rows.len() * 48 + header.len());
    text.push_str(header);
    for (_, line) in rows {
        text.push_str(&line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};

    #[test]
    fn sample_is_deterministic_and_the_right_size() {
        let zh = sample_csv(SampleLanguage::Chinese);
        assert_eq!(zh, sample_csv(SampleLanguage::Chinese));
        let outcome = import_bytes(zh.as_bytes(), &InspectOptions::default()).unwrap();
        let report = &outcome.report;
        assert_eq!(report.rows_rejected, 0);
        assert!(
            (4_500..=5_800).contains(&report.rows_read),
            "rows {}",
            report.rows_read
        );
        let customers = outcome.table.customers.len();
        assert!((570..=600).contains(&customers), "customers {customers}");
        assert!(report.return_rows > 50, "returns {}", report.return_rows);
        assert_eq!(report.first_day.unwrap().iso().get(..4), Some("2023"));
        assert_eq!(report.last_day.unwrap().iso().get(..4), Some("2024"));
    }

    #[test]
    fn both_languages_hold_the_same_data() {
        let zh = import_bytes(
            sample_csv(SampleLanguage::Chinese).as_bytes(),
            &InspectOptions::default(),
        )
        .unwrap();
        let en = import_bytes(
            sample_csv(SampleLanguage::English).as_bytes(),
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(zh.table, en.table);
    }
}
