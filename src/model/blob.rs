//! The model's binary form, as the pack carries it (base64): a versioned, checksummed table of
//! (feature hash, weight) pairs.
//!
//! Layout: `JGLM`, format version (1 byte), hash width in bits (1), two zero bytes, entry count (u32 LE), bias
//! (f32 LE), weight scale (f32 LE), the sorted feature hashes as LEB128 deltas, one i8 weight per entry, and
//! the first 8 bytes of the SHA-256 of everything before them. Anything else is refused with a [`ModelError`].

use base64::Engine as _;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The format version this engine reads and writes. 2 since branch `emscad3`: the weights are fitted for the
/// length scaling of [`crate::model::feature_value`] (`n^(-3/8)`, was `n^(-1/2)` in version 1), so a model of
/// the other version would score every text wrong and is refused.
pub const FORMAT_VERSION: u8 = 2;
/// Narrowest and widest hash accepted (bits).
pub const MIN_BITS: u8 = 8;
/// Widest hash accepted: the dense weight table takes `2^bits` bytes once a pack is loaded.
pub const MAX_BITS: u8 = 22;
/// Most entries a model may hold.
pub const MAX_ENTRIES: usize = 400_000;
/// Longest base64 text accepted for a model.
pub const MAX_BASE64_BYTES: usize = 3 * 1024 * 1024;
const MAGIC: &[u8; 4] = b"JGLM";
const HEADER: usize = 4 + 1 + 1 + 2 + 4 + 4 + 4;
const CHECKSUM: usize = 8;

/// Why a model was refused.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ModelError {
    /// The text is not base64.
    #[error("model is not base64: {0}")]
    Base64(String),
    /// The model is larger than the engine accepts.
    #[error("model is {size} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The bytes end before the layout does.
    #[error("model is truncated")]
    Truncated,
    /// The bytes do not start with the model's magic.
    #[error("not a JobGuard model (bad magic)")]
    Magic,
    /// The model was written in another format version.
    #[error("model format {found} is not supported (this engine reads {expected})")]
    Version {
        /// Version in the model.
        found: u8,
        /// Version of this engine.
        expected: u8,
    },
    /// The checksum does not match: the model was damaged.
    #[error("model checksum does not match (damaged)")]
    Checksum,
    /// A header field is out of range.
    #[error("model header: {0}")]
    Header(String),
    /// The feature table is malformed (unsorted, out of range, trailing bytes).
    #[error("model table: {0}")]
    Table(String),
}

/// A decoded model: hash width, bias, scale and the sorted (feature, weight) entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Blob {
    /// Hash width in bits.
    pub bits: u8,
    /// Bias (intercept) of the linear score.
    pub bias: f32,
    /// Weight of one step of the quantised weights.
    pub scale: f32,
    /// (feature, quantised weight), sorted by feature, features unique, weights non-zero.
    pub entries: Vec<(u32, i8)>,
}

impl Blob {
    /// Writes the binary form.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.entries.len() * 3 + CHECKSUM);
        out.extend_from_slice(MAGIC);
        out.push(FORMAT_VERSION);
        out.push(self.bits);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut last = 0u32;
        for (i, &(h, _)) in self.entries.iter().enumerate() {
            let mut d = if i == 0 { h } else { h - last };
            last = h;
            loop {
                let byte = (d & 0x7F) as u8;
                d >>= 7;
                if d == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
        out.extend(self.entries.iter().map(|&(_, w)| w as u8));
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum[..CHECKSUM]);
        out
    }

    /// The binary form in base64 (standard alphabet, padded).
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.encode())
    }

    /// Reads the base64 form.
    pub fn from_base64(text: &str) -> Result<Blob, ModelError> {
        if text.len() > MAX_BASE64_BYTES {
            return Err(ModelError::TooLarge { size: text.len(), limit: MAX_BASE64_BYTES });
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|e| ModelError::Base64(e.to_string()))?;
        Blob::decode(&bytes)
    }

    /// Reads the binary form, checking every field.
    pub fn decode(b: &[u8]) -> Result<Blob, ModelError> {
        if b.len() < 4 || &b[..4] != MAGIC {
            return Err(if b.len() < 4 { ModelError::Truncated } else { ModelError::Magic });
        }
        if b.len() < HEADER + CHECKSUM {
            return Err(ModelError::Truncated);
        }
        if b[4] != FORMAT_VERSION {
            return Err(ModelError::Version { found: b[4], expected: FORMAT_VERSION });
        }
        let (body, sum) = b.split_at(b.len() - CHECKSUM);
        if Sha256::digest(body)[..CHECKSUM] != *sum {
            return Err(ModelError::Checksum);
        }
        let bits = b[5];
        if !(MIN_BITS..=MAX_BITS).contains(&bits) || b[6] != 0 || b[7] != 0 {
            return Err(ModelError::Header(format!("hash width {bits} outside {MIN_BITS}..={MAX_BITS}")));
        }
        let word = |i: usize| [b[i], b[i + 1], b[i + 2], b[i + 3]];
        let n = u32::from_le_bytes(word(8)) as usize;
        let bias = f32::from_le_bytes(word(12));
        let scale = f32::from_le_bytes(word(16));
        if n > MAX_ENTRIES || n > 1usize << bits {
            return Err(ModelError::Header(format!("{n} entries, more than allowed")));
        }
        if !bias.is_finite() || !scale.is_finite() || scale <= 0.0 {
            return Err(ModelError::Header("bias and scale must be finite, scale > 0".into()));
        }
        let table = &body[HEADER..];
        let mut entries = Vec::with_capacity(n.min(table.len()));
        let mut pos = 0;
        let mut last: u64 = 0;
        for i in 0..n {
            let mut d: u64 = 0;
            let mut shift = 0;
            loop {
                let byte = *table.get(pos).ok_or(ModelError::Truncated)?;
                pos += 1;
                if shift > 28 {
                    return Err(ModelError::Table("varint too long".into()));
                }
                d |= u64::from(byte & 0x7F) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            if i > 0 && d == 0 {
                return Err(ModelError::Table("features not strictly increasing".into()));
            }
            let h = if i == 0 { d } else { last + d };
            if h >= 1u64 << bits {
                return Err(ModelError::Table(format!("feature {h} outside the {bits}-bit table")));
            }
            last = h;
            entries.push((h as u32, 0i8));
        }
        let weights = table.get(pos..pos + n).ok_or(ModelError::Truncated)?;
        if table.len() != pos + n {
            return Err(ModelError::Table("trailing bytes".into()));
        }
        for (e, &w) in entries.iter_mut().zip(weights) {
            if w == 0 {
                return Err(ModelError::Table("zero weight stored".into()));
            }
            e.1 = w as i8;
        }
        Ok(Blob { bits, bias, scale, entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Blob {
        Blob { bits: 16, bias: -1.5, scale: 0.01, entries: vec![(3, 5), (200, -7), (65_535, 127)] }
    }

    #[test]
    fn round_trips() {
        let b = sample();
        assert_eq!(Blob::decode(&b.encode()).unwrap(), b);
        assert_eq!(Blob::from_base64(&b.to_base64()).unwrap(), b);
    }

    #[test]
    fn refuses_damage_with_a_typed_error() {
        let good = sample().encode();
        let mut flipped = good.clone();
        flipped[HEADER + 1] ^= 1;
        assert_eq!(Blob::decode(&flipped), Err(ModelError::Checksum));
        let mut version = good.clone();
        version[4] = 9;
        assert_eq!(Blob::decode(&version), Err(ModelError::Version { found: 9, expected: FORMAT_VERSION }));
        let mut magic = good.clone();
        magic[0] = b'X';
        assert_eq!(Blob::decode(&magic), Err(ModelError::Magic));
        for cut in [0, 3, 10, HEADER, good.len() - 1] {
            assert!(Blob::decode(&good[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(Blob::from_base64("not base64!"), Err(ModelError::Base64(_))));
        let huge = "A".repeat(MAX_BASE64_BYTES + 4);
        assert!(matches!(Blob::from_base64(&huge), Err(ModelError::TooLarge { .. })));
    }

    /// Hostile headers and tables, each with a valid checksum: refused, never a panic or a huge allocation.
    #[test]
    fn refuses_hostile_fields_even_when_checksummed() {
        let reseal = |mut body: Vec<u8>| {
            body.truncate(body.len() - CHECKSUM);
            let sum = Sha256::digest(&body);
            body.extend_from_slice(&sum[..CHECKSUM]);
            body
        };
        let good = sample().encode();
        let mut count = good.clone();
        count[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(Blob::decode(&reseal(count)), Err(ModelError::Header(_))));
        let mut count = good.clone();
        count[8..12].copy_from_slice(&4u32.to_le_bytes());
        assert!(Blob::decode(&reseal(count)).is_err());
        let mut bits = good.clone();
        bits[5] = 40;
        assert!(matches!(Blob::decode(&reseal(bits)), Err(ModelError::Header(_))));
        let mut scale = good.clone();
        scale[16..20].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(matches!(Blob::decode(&reseal(scale)), Err(ModelError::Header(_))));
        let out_of_range = Blob { bits: 8, entries: vec![(300, 1)], ..sample() };
        assert!(matches!(Blob::decode(&out_of_range.encode()), Err(ModelError::Table(_))));
        let mut trailing = good.clone();
        trailing.insert(good.len() - CHECKSUM, 1);
        assert!(Blob::decode(&reseal(trailing)).is_err());
    }
}
