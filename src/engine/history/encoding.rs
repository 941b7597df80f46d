//! The byte encoding of purchase days (购买日编码): unsigned and zig-zag varints (LEB128), and
//! amounts stored exactly in as few bytes as their decimals allow.
//!
//! # Amounts
//! An amount `v` is stored as the smallest of these that gives `v` back to the bit:
//! - [`VALUE_WHOLE`]: `v` itself is a whole number (zig-zag varint of `v`);
//! - [`VALUE_CENTS`]: `n / 100.0 == v` for the whole number `n = round(v × 100)` (varint of `n`):
//!   what an amount in cents, or a sum of amounts in cents that floating point left exact, is;
//! - [`VALUE_MILLIONTHS`]: the same with `1e6`;
//! - [`VALUE_RAW`]: anything else (a sum with rounding noise, `-0.0`): the 8 bytes of the `f64`.
//!
//! `n / s` is one correctly rounded IEEE division, the same on every target (wasm included), so
//! the decoded amount is the stored one exactly. Whole numbers of magnitude 2⁵³ or more are
//! stored raw.

/// An amount stored as a whole number.
pub const VALUE_WHOLE: u8 = 0;
/// An amount stored in hundredths.
pub const VALUE_CENTS: u8 = 1;
/// An amount stored in millionths.
pub const VALUE_MILLIONTHS: u8 = 2;
/// An amount stored as its 8 bytes.
pub const VALUE_RAW: u8 = 3;

/// The scale of each code below [`VALUE_RAW`].
const SCALES: [f64; 3] = [1.0, 100.0, 1e6];

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
pub fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// Reads a zig-zag varint ([`put_signed`]).
pub fn get_signed(bytes: &[u8], at: &mut usize) -> Option<i64> {
    let raw = get_varint(bytes, at)?;
    Some((raw >> 1) as i64 ^ -((raw & 1) as i64))
}

/// The code ([`VALUE_WHOLE`] … [`VALUE_RAW`]) `value` is stored with, and the whole number
/// stored for it (unused for [`VALUE_RAW`]).
pub fn value_code(value: f64) -> (u8, i64) {
    for (code, &scale) in (0u8..).zip(SCALES.iter()) {
        let scaled = (value * scale).round();
        if scaled.abs() < EXACT_INTEGERS {
            let whole = scaled as i64;
            if (whole as f64 / scale).to_bits() == value.to_bits() {
                return (code, whole);
            }
        }
    }
    (VALUE_RAW, 0)
}

/// Appends `value` as [`value_code`] said (`code` and `whole` from it).
pub fn put_value(out: &mut Vec<u8>, value: f64, code: u8, whole: i64) {
    match code {
        VALUE_RAW => out.extend_from_slice(&value.to_le_bytes()),
        _ => put_signed(out, whole),
    }
}

/// Reads an amount stored with `code`.
pub fn get_value(bytes: &[u8], at: &mut usize, code: u8) -> Option<f64> {
    match code {
        VALUE_RAW => {
            let raw: [u8; 8] = bytes.get(*at..*at + 8)?.try_into().ok()?;
            *at += 8;
            Some(f64::from_le_bytes(raw))
        }
        _ => {
            let whole = get_signed(bytes, at)?;
            let scale = SCALES.get(usize::from(code))?;
            Some(whole as f64 / scale)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_come_back_to_the_bit_in_the_fewest_bytes() {
        let cases: [(f64, u8, usize); 12] = [
            (0.0, VALUE_WHOLE, 1),
            (-0.0, VALUE_RAW, 8),
            (12.0, VALUE_WHOLE, 1),
            (-3.0, VALUE_WHOLE, 1),
            (11.77, VALUE_CENTS, 2),
            (-50.05, VALUE_CENTS, 2),
            (0.1 + 0.2, VALUE_RAW, 8),
            (1234.5678, VALUE_MILLIONTHS, 5),
            (99_999.99, VALUE_CENTS, 4),
            (1e300, VALUE_RAW, 8),
            (1_125_899_906_842_624.25, VALUE_RAW, 8),
            (f64::MIN_POSITIVE, VALUE_RAW, 8),
        ];
        for (value, expected_code, expected_len) in cases {
            let (code, whole) = value_code(value);
            assert_eq!(code, expected_code, "{value:?}");
            let mut bytes = Vec::new();
            put_value(&mut bytes, value, code, whole);
            assert_eq!(bytes.len(), expected_len, "{value:?}");
            let mut at = 0;
            let back = get_value(&bytes, &mut at, code).unwrap();
            assert_eq!(back.to_bits(), value.to_bits(), "{value:?}");
            assert_eq!(at, bytes.len());
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
}
