//! The floor of the import benchmark (地板基准): the least work a wasm import of the benchmark
//! file can do, to show what any engine could reach in the same browser run.
//!
//! It knows the file's layout in advance (`customer_id,order_id,order_date,amount,profit,quantity`,
//! a header row, `\n`, no quotes), so it sniffs nothing, maps nothing, decodes nothing, checks
//! nothing beyond what it must to read a field, and keeps no line numbers. It uses the levers of
//! issue 13, each one measured there:
//! - **SIMD scanning**: commas and line feeds found 64 bytes at a time as a bitmask (wasm
//!   SIMD128, which `.cargo/config.toml` enables);
//! - **batching**: 64 parsed rows are buffered and their customers looked up together, so that
//!   the memory loads overlap;
//! - **the customer look-up**: ids of a prefix and digits (`C000012`) index a dense vector by
//!   their number; others go to an open-addressing table (ids compared in full);
//! - **one cache line per customer** (64 bytes, aligned);
//! - **numbers and dates**: plain decimals as an integer and a power of ten, ISO dates by their
//!   digits;
//! - **reading on another thread** and **warm-up** are the worker's (`bench/pages/floor-worker.js`:
//!   `file.stream()`, and a small file imported at start).
//!
//! Per row it adds to the customer's rows, orders (an order counts when its id differs from the
//! customer's previous row's, which is exact for this file, whose order lines follow each
//! other), net sales, profit, quantity, and first and last day. A line it cannot read is
//! counted, nothing more. It uses nothing of the ValueLens engine, so that it measures only
//! itself and no change to the engine moves it.
//!
//! The worker gives it the file in pieces: [`floor_start`], then per piece [`floor_input`]
//! (where to write) and [`floor_feed`], then [`floor_finish`], which returns where its result
//! lies: rows, customers, total sales, bad lines, then each customer's net sales.

use std::sync::Mutex;

/// A place in the customer table: the id's hash, where the id lies in [`Floor::ids`], and the
/// customer's index plus one (0: a free place).
#[derive(Clone, Copy, Default)]
struct Place {
    hash: u64,
    start: u32,
    len: u32,
    index: u32,
}

/// One customer: one cache line.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Customer {
    sales: f64,
    profit: f64,
    quantity: f64,
    last_order: u64,
    rows: u32,
    orders: u32,
    first: i32,
    last: i32,
}

const NEW_CUSTOMER: Customer = Customer {
    sales: 0.0,
    profit: 0.0,
    quantity: 0.0,
    last_order: 0,
    rows: 0,
    orders: 0,
    first: i32::MAX,
    last: i32::MIN,
};

/// A parsed row waiting for its batch.
#[derive(Clone, Copy, Default)]
struct Row {
    /// The customer's index, once looked up.
    customer: u32,
    order: u64,
    day: i32,
    amount: f64,
    profit: f64,
    quantity: f64,
}

/// Rows whose customers are looked up together.
const BATCH: usize = 64;

/// The dense index: ids of `head` (up to 8 bytes that are no digits) and then digits, of one
/// length, whose number is below 2^22.
#[derive(Clone, Copy)]
struct Dense {
    head: u64,
    head_len: usize,
    len: usize,
}

impl Dense {
    fn of(id: &[u8]) -> Option<Dense> {
        let head_len = id.iter().take_while(|b| !b.is_ascii_digit()).count();
        let digits = id.len() - head_len;
        (head_len <= 8 && (1..=9).contains(&digits)).then(|| Dense {
            head: word(id.get(..head_len).unwrap_or_default()),
            head_len,
            len: id.len(),
        })
    }

    fn value(&self, id: &[u8]) -> Option<usize> {
        if id.len() != self.len {
            return None;
        }
        let (head, digits) = id.split_at_checked(self.head_len)?;
        if word(head) != self.head {
            return None;
        }
        let mut value = 0usize;
        for &b in digits {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            value = value * 10 + usize::from(digit);
        }
        (value < 1 << 22).then_some(value)
    }
}

/// Up to 8 bytes as a word (zeros after).
fn word(bytes: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    eight.iter_mut().zip(bytes).for_each(|(e, &b)| *e = b);
    u64::from_le_bytes(eight)
}

struct Floor {
    /// An unfinished line carried from the piece before, then the next piece.
    input: Vec<u8>,
    carried: usize,
    header: bool,
    /// The shape of dense ids (the first id's), and customer index + 1 by number.
    dense: Option<Dense>,
    shaped: bool,
    dense_index: Vec<u32>,
    places: Vec<Place>,
    customers: Vec<Customer>,
    ids: Vec<u8>,
    batch: Vec<Row>,
    rows: u64,
    bad: u64,
    result: Vec<f64>,
}

static FLOOR: Mutex<Option<Floor>> = Mutex::new(None);

fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut hash = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(eight))
            .wrapping_mul(K)
            .rotate_left(26);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    hash = (hash ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    hash ^ (hash >> 29)
}

/// `-?digits[.digits]`, or `None`.
fn decimal(bytes: &[u8]) -> Option<f64> {
    const SCALE: [f64; 8] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7];
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let (mut value, mut decimals, mut point) = (0u64, 0usize, false);
    for &byte in digits {
        match byte {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(byte - b'0');
                decimals += usize::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    let value = value as f64 / *SCALE.get(decimals)?;
    Some(if negative { -value } else { value })
}

/// `YYYY-MM-DD` as days since 1970-01-01, or `None`.
fn iso_day(bytes: &[u8]) -> Option<i32> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *bytes else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| i32::from(b - b'0'));
    let year = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
    let month = digit(m0)? * 10 + digit(m1)?;
    let day = digit(d0)? * 10 + digit(d1)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (H. Hinnant).
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let of_era = year - era * 400;
    let of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let of_era_days = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
    Some(era * 146_097 + of_era_days - 719_468)
}

/// One bit per byte of `block` that is a comma or a line feed: SIMD128 in wasm.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn block_mask(block: &[u8; 64]) -> u64 {
    use core::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_eq, u8x16_splat, v128_or};
    let (comma, lf) = (u8x16_splat(b','), u8x16_splat(b'\n'));
    let mut mask = 0u64;
    for (i, part) in block.chunks_exact(16).enumerate() {
        let v = u64x2(word(&part[..8]), word(&part[8..]));
        let hits = v128_or(u8x16_eq(v, comma), u8x16_eq(v, lf));
        mask |= u64::from(u8x16_bitmask(hits)) << (16 * i);
    }
    mask
}

/// One bit per byte of `block` that is a comma or a line feed (a build without SIMD128).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn block_mask(block: &[u8; 64]) -> u64 {
    let mut mask = 0u64;
    for (i, &b) in block.iter().enumerate() {
        mask |= u64::from(b == b',' || b == b'\n') << i;
    }
    mask
}

impl Floor {
    fn new(piece: usize) -> Self {
        Floor {
            input: vec![0; 2 * piece + 64],
            carried: 0,
            header: true,
            dense: None,
            shaped: false,
            dense_index: Vec::new(),
            places: vec![Place::default(); 1 << 10],
            customers: Vec::new(),
            ids: Vec::new(),
            batch: Vec::with_capacity(BATCH),
            rows: 0,
            bad: 0,
            result: Vec::new(),
        }
    }

    fn new_customer(&mut self) -> u32 {
        self.customers.push(NEW_CUSTOMER);
        self.customers.len() as u32
    }

    /// The index + 1 of customer `id`, added when new.
    fn customer(&mut self, id: &[u8]) -> u32 {
        if !self.shaped {
            self.shaped = true;
            self.dense = Dense::of(id);
        }
        if let Some(value) = self.dense.and_then(|dense| dense.value(id)) {
            if value >= self.dense_index.len() {
                self.dense_index.resize((value + 1).next_power_of_two(), 0);
            }
            return match self.dense_index.get(value).copied() {
                Some(0) | None => {
                    let index = self.new_customer();
                    if let Some(cell) = self.dense_index.get_mut(value) {
                        *cell = index;
                    }
                    index
                }
                Some(index) => index,
            };
        }
        self.table_customer(id)
    }

    fn table_customer(&mut self, id: &[u8]) -> u32 {
        if 2 * (self.customers.len() + 1) > self.places.len() {
            let size = 2 * self.places.len();
            let old = std::mem::replace(&mut self.places, vec![Place::default(); size]);
            let mask = self.places.len() - 1;
            for place in old.into_iter().filter(|place| place.index != 0) {
                let mut at = place.hash as usize & mask;
                while self.places.get(at).is_some_and(|p| p.index != 0) {
                    at = (at + 1) & mask;
                }
                if let Some(free) = self.places.get_mut(at) {
                    *free = place;
                }
            }
        }
        let hash = hash(id);
        let mask = self.places.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let Some(&place) = self.places.get(at) else {
                return 0;
            };
            if place.index == 0 {
                let start = self.ids.len();
                self.ids.extend_from_slice(id);
                let index = self.new_customer();
                if let Some(free) = self.places.get_mut(at) {
                    *free = Place {
                        hash,
                        start: start as u32,
                        len: id.len() as u32,
                        index,
                    };
                }
                return index;
            }
            if place.hash == hash {
                let start = place.start as usize;
                if self.ids.get(start..start + place.len as usize) == Some(id) {
                    return place.index;
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// One line without its line feed, `commas` its five commas.
    fn line(&mut self, line: &[u8], commas: &[usize]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if std::mem::take(&mut self.header) || line.is_empty() {
            return;
        }
        let [c0, c1, c2, c3, c4] = *commas else {
            self.bad += 1;
            return;
        };
        let field = |start: usize, end: usize| line.get(start..end).unwrap_or_default();
        let (id, order, date) = (field(0, c0), field(c0 + 1, c1), field(c1 + 1, c2));
        let (amount, profit, quantity) = (
            field(c2 + 1, c3),
            field(c3 + 1, c4),
            field(c4 + 1, line.len()),
        );
        let (Some(day), Some(amount), Some(profit), Some(quantity)) = (
            iso_day(date),
            decimal(amount),
            decimal(profit),
            decimal(quantity),
        ) else {
            self.bad += 1;
            return;
        };
        if id.is_empty() {
            self.bad += 1;
            return;
        }
        let customer = self.customer(id);
        self.batch.push(Row {
            customer,
            order: hash(order),
            day,
            amount,
            profit,
            quantity,
        });
        if self.batch.len() == BATCH {
            self.flush();
        }
    }

    /// Applies the batch: every customer touched first (loads that overlap), then each row.
    fn flush(&mut self) {
        let mut touched = 0u32;
        for row in &self.batch {
            if let Some(customer) = self.customers.get((row.customer as usize).wrapping_sub(1)) {
                touched = touched.wrapping_add(customer.rows);
            }
        }
        std::hint::black_box(touched);
        for row in &self.batch {
            let Some(customer) = self
                .customers
                .get_mut((row.customer as usize).wrapping_sub(1))
            else {
                self.bad += 1;
                continue;
            };
            customer.rows += 1;
            if customer.rows == 1 || customer.last_order != row.order {
                customer.orders += 1;
                customer.last_order = row.order;
            }
            customer.sales += row.amount;
            customer.profit += row.profit;
            customer.quantity += row.quantity;
            customer.first = customer.first.min(row.day);
            customer.last = customer.last.max(row.day);
            self.rows += 1;
        }
        self.batch.clear();
    }

    /// Takes `len` new bytes after the carried ones; keeps an unfinished line unless `last`.
    fn feed(&mut self, len: usize, last: bool) {
        let input = std::mem::take(&mut self.input);
        let end = (self.carried + len).min(input.len());
        let text = input.get(..end).unwrap_or_default();
        let mut start = 0;
        let mut commas = [0usize; 5];
        let mut found = 0usize;
        let mut block_start = 0;
        while block_start < text.len() {
            let mut block = [0u8; 64];
            match text.get(block_start..block_start + 64) {
                Some(full) => block.copy_from_slice(full),
                None => {
                    let tail = text.get(block_start..).unwrap_or_default();
                    block.iter_mut().zip(tail).for_each(|(b, &t)| *b = t);
                }
            }
            let mut mask = block_mask(&block);
            while mask != 0 {
                let at = block_start + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                if text.get(at) == Some(&b',') {
                    if let Some(slot) = commas.get_mut(found) {
                        *slot = at - start;
                    }
                    found += 1;
                    continue;
                }
                let line = text.get(start..at).unwrap_or_default();
                match found {
                    5 => self.line(line, &commas),
                    _ => self.line(line, &[]),
                }
                found = 0;
                start = at + 1;
            }
            block_start += 64;
        }
        let mut input = input;
        if last {
            let rest = input.get(start..end).unwrap_or_default().to_vec();
            let mut commas = Vec::new();
            for (i, &b) in rest.iter().enumerate() {
                if b == b',' {
                    commas.push(i);
                }
            }
            if !rest.is_empty() {
                self.line(&rest, &commas);
            }
            self.flush();
            self.carried = 0;
        } else {
            input.copy_within(start..end, 0);
            self.carried = end - start;
            if self.carried > input.len() / 2 {
                // A line longer than a piece: not this file.
                self.bad += 1;
                self.carried = 0;
            }
        }
        self.input = input;
    }

    fn finish(&mut self) -> &[f64] {
        self.flush();
        let total: f64 = self.customers.iter().map(|c| c.sales).sum();
        self.result = vec![
            self.rows as f64,
            self.customers.len() as f64,
            total,
            self.bad as f64,
        ];
        self.result.extend(self.customers.iter().map(|c| c.sales));
        &self.result
    }
}

fn with<T>(default: T, work: impl FnOnce(&mut Floor) -> T) -> T {
    match FLOOR.lock() {
        Ok(mut floor) => floor.as_mut().map_or(default, work),
        Err(_) => default,
    }
}

/// Starts a new file that comes in pieces of at most `piece` bytes.
#[no_mangle]
pub extern "C" fn floor_start(piece: usize) {
    if let Ok(mut floor) = FLOOR.lock() {
        *floor = Some(Floor::new(piece));
    }
}

/// Where to write the next piece (after the line carried from the piece before).
#[no_mangle]
pub extern "C" fn floor_input() -> usize {
    with(0, |floor| floor.input.as_ptr() as usize + floor.carried)
}

/// Takes the `len` bytes written at [`floor_input`]; `last` (1) ends the file.
#[no_mangle]
pub extern "C" fn floor_feed(len: usize, last: u32) {
    with((), |floor| floor.feed(len, last != 0));
}

/// Ends the file: the address of the result (see the module notes), whose length in `f64`s is
/// [`floor_result_len`].
#[no_mangle]
pub extern "C" fn floor_finish() -> usize {
    with(0, |floor| floor.finish().as_ptr() as usize)
}

/// The number of `f64`s of the result.
#[no_mangle]
pub extern "C" fn floor_result_len() -> usize {
    with(0, |floor| floor.result.len())
}
