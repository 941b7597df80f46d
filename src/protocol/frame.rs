//! The one frame every message between the page and the import worker travels in.
//!
//! ```text
//! [kind: u8][0 × 7][generation: u64 LE][head length: u64 LE][head: postcard][0 … to a multiple of 8][body]
//! ```
//!
//! The prefix is fixed (24 bytes), so a message's kind and import can be read before anything
//! else; the body (only the finished import has one, see [`super::handoff`]) starts on an
//! 8-byte boundary, so typed arrays can view it in place.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use super::handoff::{Bytes, FrameSink};
use super::unreadable;
use crate::engine::error::{Error, FormatSubject};

/// Bytes before the head.
pub const PREFIX: usize = 24;

/// What a frame holds, its first byte. The answers' bytes are their postcard variant indexes;
/// `Done` and `Part` stand apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// [`super::Response::Ready`].
    Ready = 0,
    /// [`super::Response::Preview`].
    Preview = 1,
    /// [`super::Response::Progress`].
    Progress = 2,
    /// [`super::Response::Failed`].
    Failed = 3,
    /// [`super::Response::SplitAt`].
    SplitAt = 4,
    /// [`super::Response::Restored`].
    Restored = 5,
    /// A [`super::Request`] (page → worker).
    Request = 0x52,
    /// An [`super::analysis::AnalysisRequest`] (page → analysis worker).
    Analyse = 0x41,
    /// [`super::Response::Done`]: the finished import, with its arrays after the head.
    Done = 0xD0,
    /// [`super::Response::Part`]: the second worker's partial aggregates.
    Part = 0xD1,
    /// The CLV analysis, with its scores after the head ([`super::analysis::encode_clv`]).
    Clv = 0xD2,
    /// A table file's header and rows as text ([`super::analysis::encode_table_rows`]).
    TableRows = 0xD3,
    /// One of the lifecycle view's three results ([`super::analysis::encode_lifecycle`]).
    Lifecycle = 0xD4,
    /// A small file's decoded text ([`super::analysis::encode_text`]).
    Text = 0xD5,
    /// The k-means clusters ([`super::analysis::encode_clusters`]).
    Clusters = 0xD6,
    /// A survey file read ([`super::analysis::encode_survey`]).
    Survey = 0xD7,
}

impl Kind {
    /// True for an analysis worker's answer after which the worker has nothing more to send:
    /// every kind of answer but the lifecycle's, which comes three times
    /// ([`super::analysis::lifecycle_answers`]).
    pub fn is_last_answer(self) -> bool {
        self != Kind::Lifecycle
    }

    /// The kind of a first byte, if it is one.
    pub fn from_byte(byte: u8) -> Option<Kind> {
        Some(match byte {
            0 => Kind::Ready,
            1 => Kind::Preview,
            2 => Kind::Progress,
            3 => Kind::Failed,
            4 => Kind::SplitAt,
            5 => Kind::Restored,
            0x52 => Kind::Request,
            0x41 => Kind::Analyse,
            0xD0 => Kind::Done,
            0xD1 => Kind::Part,
            0xD2 => Kind::Clv,
            0xD3 => Kind::TableRows,
            0xD4 => Kind::Lifecycle,
            0xD5 => Kind::Text,
            0xD6 => Kind::Clusters,
            0xD7 => Kind::Survey,
            _ => return None,
        })
    }
}

/// A message with the number of the import (generation) it belongs to: the page numbers every
/// import it starts, the worker answers with the number of the request it is answering, and the
/// page drops answers of any other import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamped<T> {
    /// The import the message belongs to.
    pub generation: u64,
    /// The message.
    pub message: T,
}

impl<T> Stamped<T> {
    /// The message, when it belongs to the `current` import; `None` for another one's.
    pub fn for_current(self, current: u64) -> Option<T> {
        (self.generation == current).then_some(self.message)
    }
}

/// Rounds `offset` up to a multiple of 8.
pub fn align8(offset: usize) -> usize {
    offset.div_ceil(8) * 8
}

/// A frame of `kind` whose head is `head` and whose body (zeroed) ends where `body`, given the
/// offset at which the body starts (returned too), says.
pub fn with_body(
    kind: Kind,
    generation: u64,
    head: &impl Serialize,
    body: impl FnOnce(usize) -> Option<usize>,
) -> Result<(Vec<u8>, usize), postcard::Error> {
    with_reserved_body(kind, generation, head, |start| {
        body(start).map(|end| (end, end))
    })
}

/// As [`with_body`], with room reserved for more: `body` gives (end of the zeroed body,
/// capacity of the whole frame). The caller appends the rest (nothing is copied as it grows,
/// and its memory is only touched as it is written).
pub fn with_reserved_body(
    kind: Kind,
    generation: u64,
    head: &impl Serialize,
    body: impl FnOnce(usize) -> Option<(usize, usize)>,
) -> Result<(Vec<u8>, usize), postcard::Error> {
    // The head is written straight after the prefix: a big head (a second half's part) is not
    // held twice.
    let mut out = postcard::to_extend(head, vec![0u8; PREFIX])?;
    let head_len = out.len() - PREFIX;
    let body_start = align8(out.len());
    let (end, capacity) = body(body_start).unwrap_or((body_start, body_start));
    let end = end.max(body_start);
    out.reserve_exact(capacity.max(end) - out.len());
    out.resize(end, 0);
    out[0] = kind as u8;
    out[8..16].copy_from_slice(&generation.to_le_bytes());
    out[16..24].copy_from_slice(&(head_len as u64).to_le_bytes());
    Ok((out, body_start))
}

/// A frame of `kind` with `head` and no body.
pub fn encode(
    kind: Kind,
    generation: u64,
    head: &impl Serialize,
) -> Result<Vec<u8>, postcard::Error> {
    with_body(kind, generation, head, |_| None).map(|(frame, _)| frame)
}

/// Bytes a [`write_head`] hands its sink at once.
const HEAD_PIECE: usize = 1 << 16;

/// Writes the prefix and `head` of a frame of `kind` into `sink` from offset 0, the head
/// [`postcard::experimental::serialized_size`] long (the layout made room for it), a piece of
/// [`HEAD_PIECE`] bytes at a time: a large head (the line attributes of ten million rows,
/// 150 MB) never sits whole in memory beside what it is written from. The bytes are those of
/// [`encode`] (whose padding a zeroed sink already has).
pub fn write_head<S: FrameSink>(
    sink: &mut S,
    kind: Kind,
    generation: u64,
    head: &impl Serialize,
    head_len: usize,
) -> Result<(), postcard::Error> {
    let mut prefix = [0u8; PREFIX];
    prefix[0] = kind as u8;
    prefix[8..16].copy_from_slice(&generation.to_le_bytes());
    prefix[16..24].copy_from_slice(&(head_len as u64).to_le_bytes());
    sink.write_at(0, &prefix);
    let pieces = Pieces {
        sink,
        at: PREFIX,
        buffer: Vec::with_capacity(HEAD_PIECE),
    };
    let end = postcard::serialize_with_flavor(head, pieces)?;
    // A head that serialised to another length than was measured would overwrite the body.
    if end == PREFIX + head_len {
        Ok(())
    } else {
        Err(postcard::Error::SerializeBufferFull)
    }
}

/// A postcard flavour that writes to a [`FrameSink`] a piece at a time; gives the offset it
/// ended at.
struct Pieces<'s, S: FrameSink> {
    sink: &'s mut S,
    at: usize,
    buffer: Vec<u8>,
}

impl<S: FrameSink> Pieces<'_, S> {
    fn flush(&mut self) {
        self.sink.write_at(self.at, &self.buffer);
        self.at += self.buffer.len();
        self.buffer.clear();
    }
}

impl<S: FrameSink> postcard::ser_flavors::Flavor for Pieces<'_, S> {
    type Output = usize;

    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.buffer.push(byte);
        if self.buffer.len() >= HEAD_PIECE {
            self.flush();
        }
        Ok(())
    }

    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        if self.buffer.len() + bytes.len() > HEAD_PIECE {
            self.flush();
        }
        if bytes.len() >= HEAD_PIECE {
            self.sink.write_at(self.at, bytes);
            self.at += bytes.len();
        } else {
            self.buffer.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn finalize(mut self) -> postcard::Result<usize> {
        self.flush();
        Ok(self.at)
    }
}

/// The kind and generation of a frame.
pub fn peek(bytes: &(impl Bytes + ?Sized)) -> Result<(Kind, u64), Error> {
    if bytes.byte_len() < PREFIX {
        return Err(unreadable(FormatSubject::Response, "too short"));
    }
    let mut prefix = [0u8; 16];
    bytes.read_u8(0, &mut prefix);
    let kind = Kind::from_byte(prefix[0])
        .ok_or_else(|| unreadable(FormatSubject::Response, "an unknown kind of message"))?;
    let mut generation = [0u8; 8];
    generation.copy_from_slice(&prefix[8..16]);
    Ok((kind, u64::from_le_bytes(generation)))
}

/// The head's bytes and the offset at which the body starts.
pub fn head_bytes(
    bytes: &(impl Bytes + ?Sized),
    what: FormatSubject,
) -> Result<(Vec<u8>, usize), Error> {
    let (start, end) = head_range(bytes, what)?;
    let mut head = vec![0u8; end - start];
    bytes.read_u8(start, &mut head);
    Ok((head, align8(end)))
}

/// Where the head's bytes start and end (the body starts at the end rounded up to 8), without
/// copying them.
pub fn head_range(
    bytes: &(impl Bytes + ?Sized),
    what: FormatSubject,
) -> Result<(usize, usize), Error> {
    if bytes.byte_len() < PREFIX {
        return Err(unreadable(what, "too short"));
    }
    let mut len = [0u8; 8];
    bytes.read_u8(16, &mut len);
    let len = usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX);
    if len > bytes.byte_len() - PREFIX {
        return Err(unreadable(what, "truncated head"));
    }
    Ok((PREFIX, PREFIX + len))
}

/// The head of a frame in memory, decoded in place.
pub fn decode_head<T: DeserializeOwned>(bytes: &[u8], what: FormatSubject) -> Result<T, Error> {
    let mut len = [0u8; 8];
    len.copy_from_slice(
        bytes
            .get(16..PREFIX)
            .ok_or_else(|| unreadable(what, "too short"))?,
    );
    let head = usize::try_from(u64::from_le_bytes(len))
        .ok()
        .and_then(|len| bytes.get(PREFIX..PREFIX.checked_add(len)?))
        .ok_or_else(|| unreadable(what, "truncated head"))?;
    postcard::from_bytes(head).map_err(|e| unreadable(what, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_prefixes_are_errors() {
        let frame = encode(Kind::Progress, 3, &(1u8, 2u8)).unwrap();
        assert_eq!(frame.len() % 8, 0);
        assert_eq!(peek(frame.as_slice()).unwrap(), (Kind::Progress, 3));
        let read: (u8, u8) = decode_head(&frame, FormatSubject::Response).unwrap();
        assert_eq!(read, (1, 2));
        for len in [0, 1, 23] {
            assert!(peek(&frame[..len]).is_err(), "length {len}");
        }
        let mut unknown = frame.clone();
        unknown[0] = 0x77;
        assert!(peek(unknown.as_slice()).is_err());
        let mut long_head = frame;
        long_head[16] = 200;
        assert!(decode_head::<(u8, u8)>(&long_head, FormatSubject::Response).is_err());
        assert!(head_bytes(long_head.as_slice(), FormatSubject::Response).is_err());
    }

    #[test]
    fn a_reserved_body_is_zeroed_to_its_end_with_room_for_the_rest() {
        let (frame, body) = with_reserved_body(Kind::Done, 9, &(7u8,), |start| {
            Some((start + 16, start + 1_000))
        })
        .unwrap();
        assert_eq!(body % 8, 0);
        assert_eq!(frame.len(), body + 16);
        assert!(frame.capacity() >= body + 1_000);
        assert!(frame[body..].iter().all(|&b| b == 0));
        assert_eq!(peek(frame.as_slice()).unwrap(), (Kind::Done, 9));
        let (plain, start) = with_body(Kind::Done, 9, &(7u8,), |start| Some(start + 16)).unwrap();
        assert_eq!((plain, start), (frame, body));
    }

    #[test]
    fn answers_of_another_import_are_dropped() {
        let answer = Stamped {
            generation: 3,
            message: 52u8,
        };
        assert_eq!(answer.clone().for_current(3), Some(52));
        assert_eq!(answer.for_current(4), None);
    }

    #[test]
    fn a_head_written_in_pieces_is_the_encoded_head() {
        // Pieces of every kind: small fields, a long byte string (written past the buffer),
        // and many small values that fill the buffer a byte or a few at a time.
        let text = "x".repeat(3 * HEAD_PIECE + 17);
        let numbers: Vec<(u32, f64)> = (0..40_000u32)
            .map(|i| (i * 977, f64::from(i) / 3.0))
            .collect();
        let head = (5u8, text, numbers, String::from("end"));
        let encoded = encode(Kind::Done, 11, &head).unwrap();
        let len = postcard::experimental::serialized_size(&head).unwrap();
        let mut written = vec![0u8; align8(PREFIX + len)];
        write_head(&mut written, Kind::Done, 11, &head, len).unwrap();
        assert_eq!(written, encoded);
        // A length that is not the head's is refused.
        let mut short = vec![0u8; align8(PREFIX + len)];
        assert!(write_head(&mut short, Kind::Done, 11, &head, len - 1).is_err());
    }
}
