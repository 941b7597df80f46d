//! The floor of the import benchmark (地板基准): the least work a wasm import of the benchmark
//! file can do, to show what any engine could reach in the same browser run.
//!
//! It knows the file's layout in advance (`customer_id,order_id,order_date,amount,profit,quantity`,
//! a header row, `\n`, no quotes), so it sniffs nothing, maps nothing, decodes nothing and keeps no
//! line numbers. Per line it splits six fields at commas, finds the customer in an
//! open-addressing table (ids compared in full), reads an ISO date and three plain decimals, and
//! adds to the customer's rows, orders (an order counts when its id differs from the customer's
//! previous row's, which is exact for this file, whose order lines follow each other), net
//! sales, profit, quantity, and first and last day. A line it cannot read is counted, nothing
//! more. It keeps no monthly figures, no rejected rows, no customer ids beyond the table.
//!
//! It uses nothing of the ValueLens engine (its date and number readers are its own, minimal
//! ones), so that it measures only itself and no change to the engine moves it.
//!
//! `bench/pages/floor-worker.js` gives it the file in 4 MiB pieces: [`floor_start`], then per
//! piece [`floor_input`] (where to write) and [`floor_feed`], then [`floor_finish`], which
//! returns where its result lies: rows, customers, total sales, bad lines, then each customer's
//! net sales.

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

#[derive(Clone, Copy)]
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

struct Floor {
    /// An unfinished line carried from the piece before, then the next piece.
    input: Vec<u8>,
    carried: usize,
    header: bool,
    places: Vec<Place>,
    customers: Vec<Customer>,
    ids: Vec<u8>,
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

impl Floor {
    fn new(piece: usize) -> Self {
        Floor {
            input: vec![0; 2 * piece],
            carried: 0,
            header: true,
            places: vec![Place::default(); 1 << 10],
            customers: Vec::new(),
            ids: Vec::new(),
            rows: 0,
            bad: 0,
            result: Vec::new(),
        }
    }

    fn customer(&mut self, id: &[u8]) -> Option<&mut Customer> {
        if 2 * (self.customers.len() + 1) > self.places.len() {
            let size = 2 * self.places.len();
            let old = std::mem::replace(&mut self.places, vec![Place::default(); size]);
            let mask = self.places.len() - 1;
            for place in old.into_iter().filter(|place| place.index != 0) {
                let mut at = place.hash as usize & mask;
                while self.places.get(at)?.index != 0 {
                    at = (at + 1) & mask;
                }
                *self.places.get_mut(at)? = place;
            }
        }
        let hash = hash(id);
        let mask = self.places.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let place = *self.places.get(at)?;
            if place.index == 0 {
                let start = self.ids.len();
                self.ids.extend_from_slice(id);
                self.customers.push(Customer {
                    sales: 0.0,
                    profit: 0.0,
                    quantity: 0.0,
                    last_order: 0,
                    rows: 0,
                    orders: 0,
                    first: i32::MAX,
                    last: i32::MIN,
                });
                *self.places.get_mut(at)? = Place {
                    hash,
                    start: start as u32,
                    len: id.len() as u32,
                    index: self.customers.len() as u32,
                };
                return self.customers.last_mut();
            }
            if place.hash == hash {
                let start = place.start as usize;
                if self.ids.get(start..start + place.len as usize) == Some(id) {
                    return self.customers.get_mut(place.index as usize - 1);
                }
            }
            at = (at + 1) & mask;
        }
    }

    fn line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if std::mem::take(&mut self.header) || line.is_empty() {
            return;
        }
        // The five commas of a line of six fields.
        let mut commas = [0usize; 5];
        let mut found = 0;
        let positions = line.iter().enumerate().filter(|(_, &b)| b == b',');
        for (comma, _) in positions {
            match commas.get_mut(found) {
                Some(at) => *at = comma,
                None => {
                    found += 1;
                    break;
                }
            }
            found += 1;
        }
        if found != 5 {
            self.bad += 1;
            return;
        }
        let field = |i: usize| {
            let start = if i == 0 { 0 } else { commas[i - 1] + 1 };
            let end = commas.get(i).copied().unwrap_or(line.len());
            line.get(start..end).unwrap_or_default()
        };
        let (id, order, date, amount, profit, quantity) =
            (field(0), field(1), field(2), field(3), field(4), field(5));
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
        let order = hash(order);
        let Some(customer) = self.customer(id) else {
            self.bad += 1;
            return;
        };
        customer.rows += 1;
        if customer.rows == 1 || customer.last_order != order {
            customer.orders += 1;
            customer.last_order = order;
        }
        customer.sales += amount;
        customer.profit += profit;
        customer.quantity += quantity;
        customer.first = customer.first.min(day);
        customer.last = customer.last.max(day);
        self.rows += 1;
    }

    /// Takes `len` new bytes after the carried ones; keeps an unfinished line unless `last`.
    fn feed(&mut self, len: usize, last: bool) {
        let input = std::mem::take(&mut self.input);
        let end = (self.carried + len).min(input.len());
        let text = input.get(..end).unwrap_or_default();
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', text) {
            self.line(text.get(start..newline).unwrap_or_default());
            start = newline + 1;
        }
        let mut input = input;
        if last {
            let rest = input.get(start..end).unwrap_or_default().to_vec();
            self.line(&rest);
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
