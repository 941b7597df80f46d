//! The byte encoding of purchase days (购买日编码): unsigned and zig-zag varints (LEB128), and
//! amounts stored exactly in as few bytes as their decimals allow.
//!
//! # Amounts
//! An amount `v` is stored as the first of these that gives `v` back to the bit:
//! - [`VALUE_WHOLE`]: `v` itself is a whole number (zig-zag varint of `v`);
//! - [`VALUE_CENTS`]: `n / 100.0 == v` for the whole number `n = round(v × 100)` (varint of `n`):
//!   an amount in cents, or a sum of amounts in cents that floating point left exact;
//! - [`VALUE_CENTS_ULPS`]: `v` lies a few units in the last place (at most [`MAX_ULPS`]) from
//!   `n / 100.0`, as a sum of amounts in cents often does (`0.1 + 0.2`): varints of `n` and of the
//!   signed distance in units of the last place;
//! - [`VALUE_RAW`]: anything else (`-0.0`, amounts with more decimals): the 8 bytes of the `f64`.
//!
//! `n / 100.0` is one correctly rounded IEEE division, the same on every target (wasm
//! included), and stepping by units in the last place is integer arithmetic on the bits, so
//! the decoded amount is the stored one exactly. Whole numbers of magnitude 2⁵³ or more are
//! stored raw.

/// An amount stored as a whole number.
pub const VALUE_WHOLE: u8 = 0;
/// An amount stored in hundredths.
pub const VALUE_CENTS: u8 = 1;
/// An amount stored in hundredths and a distance in units of the last place.
pub const VALUE_CENTS_ULPS: u8 = 2;
/// An amount stored as its 8 bytes.
pub const VALUE_RAW: u8 = 3;

/// The largest distance, in units of the last place, that [`VALUE_CENTS_ULPS`] stores.
pub const MAX_ULPS: i64 = 64;

/// 2⁵³: whole numbers below this magnitude are exact in an `f64`.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// The most bytes one varint takes (a `u64`).
pub const MAX_VARINT: usize = 10;

/// Appends `value` as an unsigned LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends `value` zig-zag encoded (small magnitudes of either sign take few bytes).
pub fn put_signed(out: &mut Vec<u8>, value: i64) {
    put_varint(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// Reads a varint at `*at`, moving `*at` past it; `None` when the bytes end first or it is
/// longer than a `u64`.
///
/// Always inlined, with the one-byte varint (most day gaps, counts and small amounts) read
/// without the loop: the page checks every customer's records with it as a finished import
/// arrives, in the app's size-optimised build, which inlines nothing it is not told to.
#[inline(always)]
pub fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let first = *bytes.get(*at)?;
    if first < 0x80 {
        *at += 1;
        return Some(u64::from(first));
    }
    get_long_varint(bytes, at)
}

/// [`get_varint`] of a varint of two bytes or more (any varint, in fact).
fn get_long_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    // A counted loop, not `(0..64).step_by(7)`: the size-optimised app calls the iterator's
    // `next` for every byte otherwise.
    let mut value = 0u64;
    let mut shift = 0u32;
    while shift < 64 {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
    }
    None
}

/// Moves `*at` past a varint, as [`get_varint`] reads it (at most ten bytes, the last one
/// below 0x80), without putting its value together; false where [`get_varint`] gives `None`
/// (then `*at` is left anywhere).
#[inline(always)]
pub fn skip_varint(bytes: &[u8], at: &mut usize) -> bool {
    // A counted loop (see [`get_long_varint`]).
    let mut next = *at;
    while next < *at + 10 {
        match bytes.get(next) {
            Some(&byte) if byte < 0x80 => {
                *at = next + 1;
                return true;
            }
            Some(_) => next += 1,
            None => return false,
        }
    }
    false
}

/// Reads a zig-zag varint ([`put_signed`]).
#[inline(always)]
pub fn get_signed(bytes: &[u8], at: &mut usize) -> Option<i64> {
    let raw = get_varint(bytes, at)?;
    Some((raw >> 1) as i64 ^ -((raw & 1) as i64))
}

/// How `value` is stored: its code ([`VALUE_WHOLE`] … [`VALUE_RAW`]), the whole number stored
/// for it, and (for [`VALUE_CENTS_ULPS`]) the distance in units of the last place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// The code.
    pub code: u8,
    whole: i64,
    ulps: i64,
}

/// The sign bit of an `f64`.
const SIGN: u64 = 1 << 63;

/// The value `cents / 100` moved by `ulps` units in the last place in magnitude, keeping its
/// sign; `None` when that leaves the finite numbers.
fn from_cents(cents: i64, ulps: i64) -> Option<f64> {
    let base = (cents as f64 / 100.0).to_bits();
    let magnitude = i64::try_from(base & !SIGN).ok()?.checked_add(ulps)?;
    let value = f64::from_bits(u64::try_from(magnitude).ok()? | (base & SIGN));
    value.is_finite().then_some(value)
}

/// How `value` is stored (see the module docs).
pub fn value_code(value: f64) -> Stored {
    let raw = Stored {
        code: VALUE_RAW,
        whole: 0,
        ulps: 0,
    };
    // Conversions to integers (which saturate) instead of `round`, a library call on targets
    // without SSE4.1: the exactness checks below decide, not the conversion.
    if value.abs() < EXACT_INTEGERS {
        let whole = value as i64;
        if (whole as f64).to_bits() == value.to_bits() {
            return Stored {
                code: VALUE_WHOLE,
                whole,
                ulps: 0,
            };
        }
    }
    let scaled = value * 100.0;
    // (NaN and infinities fail this too.)
    if scaled.abs() >= EXACT_INTEGERS || scaled.is_nan() {
        return raw;
    }
    let whole = if scaled >= 0.0 {
        (scaled + 0.5) as i64
    } else {
        (scaled - 0.5) as i64
    };
    if whole == 0 {
        return raw;
    }
    let base = whole as f64 / 100.0;
    if base.to_bits() == value.to_bits() {
        return Stored {
            code: VALUE_CENTS,
            whole,
            ulps: 0,
        };
    }
    if (base.to_bits() ^ value.to_bits()) & SIGN != 0 {
        return raw;
    }
    // Magnitudes as bits are below 2^63: the difference fits.
    let ulps = (value.to_bits() & !SIGN) as i64 - (base.to_bits() & !SIGN) as i64;
    if ulps.abs() <= MAX_ULPS && from_cents(whole, ulps).map(f64::to_bits) == Some(value.to_bits())
    {
        return Stored {
            code: VALUE_CENTS_ULPS,
            whole,
            ulps,
        };
    }
    raw
}

/// Appends `value` as [`value_code`] said.
pub fn put_value(out: &mut Vec<u8>, value: f64, stored: Stored) {
    match stored.code {
        VALUE_RAW => out.extend_from_slice(&value.to_le_bytes()),
        VALUE_CENTS_ULPS => {
            put_signed(out, stored.whole);
            put_signed(out, stored.ulps);
        }
        _ => put_signed(out, stored.whole),
    }
}

/// Reads an amount stored with `code`.
#[inline]
pub fn get_value(bytes: &[u8], at: &mut usize, code: u8) -> Option<f64> {
    match code {
        VALUE_RAW => {
            let raw: [u8; 8] = bytes.get(*at..*at + 8)?.try_into().ok()?;
            *at += 8;
            Some(f64::from_le_bytes(raw))
        }
        VALUE_WHOLE => Some(get_signed(bytes, at)? as f64),
        VALUE_CENTS => Some(get_signed(bytes, at)? as f64 / 100.0),
        _ => {
            let cents = get_signed(bytes, at)?;
            let ulps = get_signed(bytes, at)?;
            from_cents(cents, ulps)
        }
    }
}

/// Moves `*at` past an amount stored with `code`, as [`get_value`] reads it; false where
/// [`get_value`] gives `None` (then `*at` is left anywhere).
#[inline(always)]
pub fn skip_value(bytes: &[u8], at: &mut usize, code: u8) -> bool {
    match code {
        VALUE_RAW => match at.checked_add(8) {
            Some(end) if end <= bytes.len() => {
                *at = end;
                true
            }
            _ => false,
        },
        VALUE_WHOLE | VALUE_CENTS => skip_varint(bytes, at),
        _ => get_value(bytes, at, code).is_some(),
    }
}

/// The bytes [`put_varint`] writes for `value`.
pub fn varint_len(value: u64) -> usize {
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

/// The most bytes [`put_tagged_value`] writes: a tag of up to 8 bytes (a whole number of
/// magnitude below 2⁵³, zig-zagged and moved up two bits) and up to 2 of units in the last
/// place.
pub const MAX_TAGGED_VALUE: usize = 10;

/// The first varint of a tagged value: the whole number stored, zig-zagged, moved up two
/// bits, with the code in those two bits.
fn tag_of(stored: Stored) -> u64 {
    let whole = stored.whole;
    (((whole << 1) ^ (whole >> 63)) as u64) << 2 | u64::from(stored.code)
}

/// Appends `value` stored as [`value_code`] says, the code in the first varint's two low bits
/// (a value that has no code byte of its own, as a column of amounts with nothing else to
/// share a flags byte with needs): a sum in cents below ±5,242.88 takes 3 bytes, an amount
/// that is none of the exact forms 9 (the tag [`VALUE_RAW`] and its 8 bytes).
pub fn put_tagged_value(out: &mut Vec<u8>, value: f64) {
    let stored = value_code(value);
    put_varint(out, tag_of(stored));
    put_value_rest(out, value, stored);
}

/// What follows the tag of a tagged value: the distance in units of the last place, or the
/// raw bytes.
fn put_value_rest(out: &mut Vec<u8>, value: f64, stored: Stored) {
    match stored.code {
        VALUE_RAW => out.extend_from_slice(&value.to_le_bytes()),
        VALUE_CENTS_ULPS => put_signed(out, stored.ulps),
        _ => {}
    }
}

/// The bytes [`put_tagged_value`] writes for `value`.
pub fn tagged_value_len(value: f64) -> usize {
    let stored = value_code(value);
    varint_len(tag_of(stored))
        + match stored.code {
            VALUE_RAW => 8,
            VALUE_CENTS_ULPS => varint_len(((stored.ulps << 1) ^ (stored.ulps >> 63)) as u64),
            _ => 0,
        }
}

/// Reads a value [`put_tagged_value`] wrote at `*at`, moving `*at` past it; `None` when the
/// bytes end first or are no such value (a raw tag with a number, cents of zero).
#[inline(always)]
pub fn get_tagged_value(bytes: &[u8], at: &mut usize) -> Option<f64> {
    // Most tags are three bytes or fewer (cents below ±2,621.44): read in place, which the
    // size-optimised app does not do for the loop of a longer varint.
    let tag = match bytes.get(*at..).unwrap_or_default() {
        [a, ..] if *a < 0x80 => {
            *at += 1;
            u64::from(*a)
        }
        [a, b, ..] if *b < 0x80 => {
            *at += 2;
            u64::from(a & 0x7F) | (u64::from(*b) << 7)
        }
        [a, b, c, ..] if *c < 0x80 => {
            *at += 3;
            u64::from(a & 0x7F) | (u64::from(b & 0x7F) << 7) | (u64::from(*c) << 14)
        }
        _ => get_varint(bytes, at)?,
    };
    let zigzag = tag >> 2;
    let whole = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
    match (tag & 3) as u8 {
        VALUE_WHOLE => Some(whole as f64),
        VALUE_CENTS if whole != 0 => Some(whole as f64 / 100.0),
        VALUE_CENTS_ULPS => from_cents(whole, get_signed(bytes, at)?),
        VALUE_RAW if whole == 0 => {
            let raw: [u8; 8] = bytes.get(*at..*at + 8)?.try_into().ok()?;
            *at += 8;
            Some(f64::from_le_bytes(raw))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_varint_is_skipped_where_it_is_read() {
        // Every length from one byte to eleven, cut short or not.
        for len in 1..=11usize {
            let mut bytes = vec![0x80u8; len - 1];
            bytes.push(0x05);
            for cut in 0..=len {
                let bytes = &bytes[..cut];
                let (mut read, mut skipped) = (0, 0);
                let value = get_varint(bytes, &mut read);
                assert_eq!(
                    skip_varint(bytes, &mut skipped),
                    value.is_some(),
                    "{len}, {cut}"
                );
                if value.is_some() {
                    assert_eq!(skipped, read, "{len}, {cut}");
                }
            }
        }
        let mut bytes = Vec::new();
        for value in [0u64, 1, 127, 128, 300, 1 << 40, u64::MAX] {
            put_varint(&mut bytes, value);
        }
        let (mut read, mut skipped) = (0, 0);
        while read < bytes.len() {
            get_varint(&bytes, &mut read);
            assert!(skip_varint(&bytes, &mut skipped));
            assert_eq!(skipped, read);
        }
    }

    #[test]
    fn amounts_come_back_to_the_bit_in_the_fewest_bytes() {
        let cases: [(f64, u8, usize); 14] = [
            (0.0, VALUE_WHOLE, 1),
            (-0.0, VALUE_RAW, 8),
            (12.0, VALUE_WHOLE, 1),
            (-3.0, VALUE_WHOLE, 1),
            (11.77, VALUE_CENTS, 2),
            (-50.05, VALUE_CENTS, 2),
            (0.1 + 0.2, VALUE_CENTS_ULPS, 2),
            (-(0.1 + 0.2), VALUE_CENTS_ULPS, 2),
            (12.34 + 5.67 + 0.01, VALUE_CENTS, 2),
            (1234.5678, VALUE_RAW, 8),
            (99_999.99, VALUE_CENTS, 4),
            (1e300, VALUE_RAW, 8),
            (2f64.powi(50) + 0.25, VALUE_RAW, 8),
            (f64::MIN_POSITIVE, VALUE_RAW, 8),
        ];
        for (value, expected_code, expected_len) in cases {
            let stored = value_code(value);
            assert_eq!(stored.code, expected_code, "{value:?}");
            let mut bytes = Vec::new();
            put_value(&mut bytes, value, stored);
            assert_eq!(bytes.len(), expected_len, "{value:?}");
            let mut at = 0;
            let back = get_value(&bytes, &mut at, stored.code).unwrap();
            assert_eq!(back.to_bits(), value.to_bits(), "{value:?}");
            assert_eq!(at, bytes.len());
        }
    }

    #[test]
    fn sums_of_cents_round_trip() {
        // Every sum of up to four amounts in cents from a pseudo-random walk comes back exactly.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut raw = 0;
        for _ in 0..20_000 {
            let mut sum = 0.0;
            for _ in 0..4 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let cents = (state >> 40) as i64 % 2_000_000 - 100_000;
                sum += cents as f64 / 100.0;
                let stored = value_code(sum);
                raw += usize::from(stored.code == VALUE_RAW);
                let mut bytes = Vec::new();
                put_value(&mut bytes, sum, stored);
                let back = get_value(&bytes, &mut 0, stored.code).unwrap();
                assert_eq!(back.to_bits(), sum.to_bits(), "{sum:?}");
            }
        }
        assert_eq!(raw, 0);
        // Any finite number at all comes back (most of these are stored raw).
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let value = f64::from_bits(state);
            if !value.is_finite() {
                continue;
            }
            let stored = value_code(value);
            let mut bytes = Vec::new();
            put_value(&mut bytes, value, stored);
            let back = get_value(&bytes, &mut 0, stored.code).unwrap();
            assert_eq!(back.to_bits(), value.to_bits(), "{value:?}");
        }
    }

    #[test]
    fn varints_round_trip_and_stop_at_the_end() {
        for value in [0u64, 1, 127, 128, 300, u32::MAX.into(), u64::MAX] {
            let mut bytes = Vec::new();
            put_varint(&mut bytes, value);
            let mut at = 0;
            assert_eq!(get_varint(&bytes, &mut at), Some(value));
            let mut at = 0;
            assert_eq!(get_varint(&bytes[..bytes.len() - 1], &mut at), None);
        }
        for value in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            let mut bytes = Vec::new();
            put_signed(&mut bytes, value);
            let mut at = 0;
            assert_eq!(get_signed(&bytes, &mut at), Some(value));
        }
        let mut at = 0;
        assert_eq!(get_varint(&[0xff; 11], &mut at), None);
    }

    /// The one-byte fast path reads what the loop alone reads, and leaves `at` where it does:
    /// every position of bytes of every kind (one-byte varints, long ones, cut short, too long).
    #[test]
    fn the_one_byte_path_is_the_loop() {
        let mut bytes = Vec::new();
        for value in [0u64, 5, 127, 128, 16_383, 16_384, u32::MAX.into(), u64::MAX] {
            put_varint(&mut bytes, value);
        }
        bytes.extend_from_slice(&[0x80, 0x81, 0xff, 0x7f, 0xff]);
        bytes.extend_from_slice(&[0xff; 12]);
        for start in 0..=bytes.len() + 1 {
            for end in start..=bytes.len() {
                let piece = &bytes[..end];
                let (mut fast, mut slow) = (start, start);
                let read = get_varint(piece, &mut fast);
                let expected = match piece.get(start) {
                    Some(_) => get_long_varint(piece, &mut slow),
                    None => None,
                };
                assert_eq!(read, expected, "{start}..{end}");
                if read.is_some() {
                    assert_eq!(fast, slow, "{start}..{end}");
                }
            }
        }
    }

    fn tagged_round_trip(value: f64) -> (f64, usize) {
        let mut out = Vec::new();
        put_tagged_value(&mut out, value);
        let mut at = 0;
        let back = get_tagged_value(&out, &mut at).unwrap();
        assert_eq!(at, out.len(), "{value:?} read whole");
        (back, out.len())
    }

    /// Every tagged value comes back to the bit: cents in few bytes, anything else in nine;
    /// its size is what [`tagged_value_len`] says.
    #[test]
    fn tagged_values_come_back_to_the_bit() {
        let mut next = crate::engine::test_support::xorshift(11);
        let mut values = vec![
            0.0,
            -0.0,
            0.01,
            -0.01,
            315.45,
            -121.2,
            0.1 + 0.2,
            1e-7,
            123.456,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            // Around the largest whole cents.
            ((1u64 << 53) - 1) as f64 / 100.0,
            (1u64 << 53) as f64 / 100.0,
            -((1u64 << 53) as f64) / 100.0,
            (1u64 << 53) as f64,
        ];
        for _ in 0..20_000 {
            let cents = (next() % 2_000_000) as i64 - 1_000_000;
            values.push(cents as f64 / 100.0);
            values.push(f64::from_bits(next()));
            // Sums of a few cents, as a pair's lines add up (some drift off the cent).
            let sum: f64 = (0..(next() % 5))
                .map(|_| (next() % 100_000) as f64 / 100.0)
                .sum();
            values.push(sum);
        }
        for value in values {
            let (back, len) = tagged_round_trip(value);
            assert_eq!(back.to_bits(), value.to_bits(), "{value:?}");
            assert!(len <= MAX_TAGGED_VALUE);
            assert_eq!(tagged_value_len(value), len, "{value:?}");
        }
        assert_eq!(tagged_round_trip(315.45).1, 3);
        assert_eq!(tagged_round_trip(0.0).1, 1);
        assert_eq!(tagged_round_trip(-0.0).1, 9);
        assert_eq!(tagged_round_trip(f64::NAN).1, 9);
        assert!(tagged_round_trip(f64::NAN).0.is_nan());
    }

    /// Bytes that are no tagged value are refused, never a panic: a raw tag with a number,
    /// cents of zero, a cut, a varint too long.
    #[test]
    fn bad_tagged_values_are_refused() {
        for bytes in [
            &[3u8][..],
            &[7, 0, 0],
            &[1, 0, 0],
            &[0x80],
            &[],
            &[0xFF; 11],
        ] {
            let mut at = 0;
            assert_eq!(get_tagged_value(bytes, &mut at), None, "{bytes:?}");
        }
    }

    /// Varints as postcard writes them, their sizes as [`varint_len`] says.
    #[test]
    fn varints_are_postcards() {
        let mut next = crate::engine::test_support::xorshift(5);
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ]
        .into_iter()
        .chain((0..1000).map(|_| next() >> (next() % 64)))
        {
            let mut ours = Vec::new();
            put_varint(&mut ours, value);
            assert_eq!(ours, postcard::to_allocvec(&value).unwrap());
            let mut at = 0;
            assert_eq!(get_varint(&ours, &mut at), Some(value));
            assert_eq!(at, ours.len());
            assert_eq!(varint_len(value), ours.len());
        }
    }
}
