//! A vector that grows a chunk at a time (分块向量): for the logs and pairs an import gathers
//! while the rows stream, which reach tens of millions of entries.
//!
//! A `Vec` doubles as it grows: at its largest it holds up to twice the room its entries need,
//! and while it moves to the larger buffer, the old and the new one at once (three times). In a
//! browser worker every byte of that high-water mark stays (WebAssembly memory never shrinks).
//! A [`Chunked`] keeps its entries in chunks of [`CHUNK`] that are never moved: at most one
//! chunk of room beyond its entries, and it can be taken apart a chunk at a time
//! ([`Chunked::into_chunks`]), each chunk's memory going as soon as it has been read.

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::collections::TryReserveError;
use std::fmt;
use std::marker::PhantomData;

/// Entries per chunk, as a power of two.
const CHUNK_BITS: u32 = 16;
/// Entries per chunk.
pub(crate) const CHUNK: usize = 1 << CHUNK_BITS;

/// Entries in chunks of [`CHUNK`], by index as in a `Vec`.
#[derive(Debug, Clone)]
pub(crate) struct Chunked<T> {
    /// Every chunk but the last is full; each was made with room for [`CHUNK`] entries.
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: PartialEq> PartialEq for Chunked<T> {
    /// Equal entries (room made ahead does not count).
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T> Chunked<T> {
    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Adds `value` at the end.
    pub(crate) fn push(&mut self, value: T) {
        let chunk = self.len >> CHUNK_BITS;
        if chunk == self.chunks.len() {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.get_mut(chunk) {
            last.push(value);
            self.len += 1;
        }
    }

    /// Makes room for `more` entries now, so that pushing them takes no memory (an error when
    /// the memory is not there, instead of a failure in a later push).
    pub(crate) fn try_room(&mut self, more: usize) -> Result<(), TryReserveError> {
        let needed = self.len.saturating_add(more).div_ceil(CHUNK);
        while self.chunks.len() < needed {
            let mut chunk = Vec::new();
            chunk.try_reserve_exact(CHUNK)?;
            self.chunks.try_reserve(1)?;
            self.chunks.push(chunk);
        }
        Ok(())
    }

    /// The entry at `at`.
    pub(crate) fn get(&self, at: usize) -> Option<&T> {
        self.chunks.get(at >> CHUNK_BITS)?.get(at & (CHUNK - 1))
    }

    /// The entry at `at`, to change.
    pub(crate) fn get_mut(&mut self, at: usize) -> Option<&mut T> {
        self.chunks
            .get_mut(at >> CHUNK_BITS)?
            .get_mut(at & (CHUNK - 1))
    }

    /// Every entry, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flatten()
    }

    /// The chunks, in order, each given up by the caller when read (so a pass that moves the
    /// entries elsewhere holds one chunk of them at a time besides its output).
    pub(crate) fn into_chunks(self) -> impl Iterator<Item = Vec<T>> {
        self.chunks.into_iter()
    }
}

impl<T: Serialize> Serialize for Chunked<T> {
    /// As the sequence of entries (the chunks do not show).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for value in self.iter() {
            seq.serialize_element(value)?;
        }
        seq.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Chunked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Chunked<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Chunked<T>, A::Error> {
                // Chunk by chunk: a damaged length cannot make it reserve more than one chunk.
                let mut out = Chunked::default();
                while let Some(value) = seq.next_element()? {
                    out.push(value);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_iterates_and_round_trips_like_a_vec() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 7] {
            let mut chunked = Chunked::default();
            chunked.try_room(n / 2).expect("room");
            for i in 0..n as u64 {
                chunked.push(i * 3);
            }
            assert_eq!(chunked.len(), n);
            let plain: Vec<u64> = (0..n as u64).map(|i| i * 3).collect();
            assert!(chunked.iter().copied().eq(plain.iter().copied()));
            assert_eq!(chunked.get(n), None);
            if n > 0 {
                assert_eq!(chunked.get(n - 1), Some(&((n as u64 - 1) * 3)));
                *chunked.get_mut(n - 1).expect("last") = 1;
                assert_eq!(chunked.get(n - 1), Some(&1));
                *chunked.get_mut(n - 1).expect("last") = (n as u64 - 1) * 3;
            }
            // Room made ahead leaves no empty chunk behind that a push would skip.
            assert!(chunked.chunks.iter().all(|c| c.capacity() >= CHUNK));
            let bytes = postcard::to_allocvec(&chunked).expect("encode");
            assert_eq!(bytes, postcard::to_allocvec(&plain).expect("encode plain"));
            let back: Chunked<u64> = postcard::from_bytes(&bytes).expect("decode");
            assert_eq!(back, chunked);
            let flat: Vec<u64> = chunked.into_chunks().flatten().collect();
            assert_eq!(flat, plain);
        }
    }

    #[test]
    fn room_made_ahead_is_used_in_order() {
        let mut chunked = Chunked::default();
        chunked.try_room(2 * CHUNK + 1).expect("room");
        assert_eq!(chunked.chunks.len(), 3);
        for i in 0..2 * CHUNK + 1 {
            chunked.push(i);
        }
        assert_eq!(chunked.chunks.len(), 3);
        assert!(chunked.iter().copied().eq(0..2 * CHUNK + 1));
    }
}
