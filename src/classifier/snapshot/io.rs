//! The byte-level writer and reader of a compiled snapshot: little-endian numbers, length-prefixed strings and
//! blocks of numbers stored end to end, so that a big array loads in one bounds check and one tight loop.
//! Every read checks what is left first; nothing here can panic on any input.

use super::SnapshotError;

/// Appends values to a snapshot body.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    /// A count (lengths never exceed `u32` in a snapshot: the reader refuses more).
    pub(crate) fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }

    /// Length-prefixed bytes.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.out.extend_from_slice(b);
    }

    /// Length-prefixed UTF-8.
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// A block of `u32`s: count, then each little-endian.
    pub(crate) fn u32s(&mut self, v: impl ExactSizeIterator<Item = u32>) {
        self.len(v.len());
        self.out.reserve(v.len() * 4);
        for x in v {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
    }

    /// A block of `u64`s: count, then each little-endian.
    pub(crate) fn u64s(&mut self, v: impl ExactSizeIterator<Item = u64>) {
        self.len(v.len());
        self.out.reserve(v.len() * 8);
        for x in v {
            self.out.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Reads values back from a snapshot body; every read is bounds-checked.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    /// Name of the section being read, for errors.
    pub(crate) section: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(body: &'a [u8]) -> Self {
        Reader { rest: body, section: "header" }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if n > self.rest.len() {
            return Err(SnapshotError::Truncated { section: self.section });
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    /// The next `n` bytes, borrowed.
    pub(crate) fn bytes_exact(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        self.take(n)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, SnapshotError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, SnapshotError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    }

    /// A count of items of `size` bytes each, refused when the rest of the body cannot hold them (so a
    /// damaged count never allocates more than the snapshot's own size).
    pub(crate) fn len(&mut self, size: usize) -> Result<usize, SnapshotError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(size.max(1)) > self.rest.len() {
            return Err(SnapshotError::Truncated { section: self.section });
        }
        Ok(n)
    }

    /// Length-prefixed bytes, borrowed.
    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], SnapshotError> {
        let n = self.len(1)?;
        self.take(n)
    }

    /// Length-prefixed UTF-8, borrowed.
    pub(crate) fn str(&mut self) -> Result<&'a str, SnapshotError> {
        let section = self.section;
        std::str::from_utf8(self.bytes()?).map_err(|_| SnapshotError::Invalid { section, what: "text is not UTF-8" })
    }

    /// A block of `u32`s.
    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, SnapshotError> {
        let n = self.len(4)?;
        let b = self.take(n * 4)?;
        Ok(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    /// A block of `u64`s.
    pub(crate) fn u64s(&mut self) -> Result<Vec<u64>, SnapshotError> {
        let n = self.len(8)?;
        let b = self.take(n * 8)?;
        Ok(b.chunks_exact(8).map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect())
    }

    /// An error for a value that breaks an invariant of the current section.
    pub(crate) fn invalid(&self, what: &'static str) -> SnapshotError {
        SnapshotError::Invalid { section: self.section, what }
    }
}

/// The body's checksum: a word-at-a-time multiply-xor hash (64-bit), cheap in unoptimised Wasm where SHA-256
/// over a megabyte is not; it detects damage, not forgery (the snapshot is only ever made locally from a
/// verified pack).
pub(crate) fn checksum(body: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = body.len() as u64 ^ 0x6A09_E667_F3BC_C908;
    let mut words = body.chunks_exact(8);
    for c in &mut words {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^ (h >> 29)
}
