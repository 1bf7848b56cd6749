//! A compiled snapshot of a [`Classifier`]: its matchers' tables and its model as blocks of numbers that load
//! by copying, so that a Wasm cold start (unoptimised code) need not rebuild them from the pack's JSON.
//!
//! Layout (all numbers little-endian):
//!
//! | bytes | what |
//! |---|---|
//! | 8 | [`MAGIC`] |
//! | 1 | [`FORMAT_VERSION`] |
//! | 1 + n | the engine's crate version (length, UTF-8): a snapshot of another engine build is refused |
//! | 4 + 8 + 1 + n | the pack's identity: schema (u32), version (u64), name (length u8, UTF-8) |
//! | 8 | body length (u64) |
//! | 8 | body checksum ([`io::checksum`]: a word-at-a-time hash, it finds damage, not forgery) |
//! | body | the pack without its rules' phrases, regexes, near literals and explanations and its model weights ([`slim`], binary); the rules' explanations ([`texts`]); the phrases' matcher and references ([`super::phrases`]); the regexes' sources and their gates' matcher ([`super::regexes`]); the model's width, bias, scale and non-zero weights |
//!
//! A snapshot is only made from a classifier that compiled a pack which passed full validation, so its regexes
//! are compiled on first use rather than at load. Any bytes at all give a [`SnapshotError`] or a classifier;
//! every length and index is checked, nothing panics.

pub(crate) mod io;
mod slim;
#[cfg(all(test, feature = "sources"))]
mod tests;
pub(crate) mod texts;

use io::{checksum, Reader, Writer};
use slim::Bin as _;
use texts::Explanations;

use super::{phrases::Phrases, regexes::Regexes, Classifier};
use crate::error::PackError;
use crate::model::Model;
use crate::pack::SCHEMA_VERSION;

/// The first bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"JGSNAP\r\n";
/// The layout's version; a snapshot of another layout is refused. 4 since the model's length scaling changed
/// (model format 2, [`crate::model::blob::FORMAT_VERSION`]): the snapshot keeps the weights without the blob's
/// version, so its own must change with it.
pub const FORMAT_VERSION: u8 = 4;
/// The engine that writes and reads snapshots: a snapshot of another engine is refused.
pub const ENGINE: &str = env!("CARGO_PKG_VERSION");

/// Why a snapshot was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SnapshotError {
    /// The bytes do not start with [`MAGIC`].
    #[error("not a JobGuard snapshot")]
    NotSnapshot,
    /// The snapshot has another layout version.
    #[error("snapshot format {found}, this engine reads format {expected}")]
    Format {
        /// The snapshot's format version.
        found: u8,
        /// [`FORMAT_VERSION`].
        expected: u8,
    },
    /// The snapshot was written by another engine version.
    #[error("snapshot of engine {found}, this is engine {expected}")]
    Engine {
        /// The engine version in the snapshot.
        found: String,
        /// [`ENGINE`].
        expected: &'static str,
    },
    /// The bytes end before a section does.
    #[error("snapshot truncated in {section}")]
    Truncated {
        /// Section being read.
        section: &'static str,
    },
    /// The body is not as long as the header says.
    #[error("snapshot body is {actual} bytes, the header says {declared}")]
    Length {
        /// Length in the header.
        declared: u64,
        /// Bytes after the header.
        actual: u64,
    },
    /// The body's checksum does not match: the snapshot is damaged.
    #[error("snapshot checksum does not match (damaged)")]
    Checksum,
    /// A value breaks an invariant of its section.
    #[error("snapshot {section}: {what}")]
    Invalid {
        /// Section being read.
        section: &'static str,
        /// What is wrong.
        what: &'static str,
    },
    /// The pack inside the snapshot does not load.
    #[error("snapshot pack: {0}")]
    Pack(#[from] PackError),
}

/// Which pack a snapshot was made from, so a caller can match it to the pack it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotIdentity {
    /// The pack's schema.
    pub schema: u32,
    /// The pack's version.
    pub version: u64,
    /// The pack's name.
    pub name: String,
}

impl Classifier {
    /// Writes a compiled snapshot of this classifier (see the module's doc for the layout).
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut body = Writer::default();
        let mut pack = Writer::default();
        self.pack.put(&mut pack);
        body.bytes(&pack.out);
        match &self.explanations {
            Some(e) => e.write(&mut body),
            None => Explanations::from_texts(self.pack.rules.iter().map(|r| &r.explain)).write(&mut body),
        }
        self.phrases.write(&mut body);
        self.regexes.write(&mut body);
        match self.learned.as_ref().map(|l| l.model().parts()) {
            Some((bits, bias, scale, entries)) => {
                body.u8(1);
                body.u32(bits);
                body.u64(bias.to_bits());
                body.u64(scale.to_bits());
                body.u32s(entries.iter().map(|e| e.0));
                body.bytes(&entries.iter().map(|e| e.1 as u8).collect::<Vec<u8>>());
            }
            None => body.u8(0),
        }
        let mut head = Writer::default();
        head.out.extend_from_slice(MAGIC);
        head.u8(FORMAT_VERSION);
        head.u8(ENGINE.len() as u8);
        head.out.extend_from_slice(ENGINE.as_bytes());
        let name = truncate_name(&self.pack.name);
        head.u32(self.pack.schema);
        head.u64(self.pack.version);
        head.u8(name.len() as u8);
        head.out.extend_from_slice(name.as_bytes());
        head.u64(body.out.len() as u64);
        head.u64(checksum(&body.out));
        head.out.extend_from_slice(&body.out);
        head.out
    }

    /// Loads a classifier from [`Classifier::to_snapshot`]'s bytes. A snapshot of another format or engine,
    /// damaged or truncated, is refused with the reason; nothing panics, whatever the bytes.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Classifier, SnapshotError> {
        let (identity, body) = split(bytes)?;
        let mut r = Reader::new(body);
        r.section = "pack";
        let pack = slim::read(r.bytes()?).ok_or(r.invalid("does not read as a pack"))?;
        if pack.schema != SCHEMA_VERSION
            || pack.version != identity.version
            || truncate_name(&pack.name) != identity.name
        {
            return Err(r.invalid("the pack is not the one the header names"));
        }
        if pack.rule_count() > crate::pack::MAX_RULES {
            return Err(r.invalid("too many rules"));
        }
        let explanations = Explanations::read(&mut r, pack.rules.len())?;
        let sites = crate::page::adapters::Sites::load(&pack.sites)?;
        let phrases = Phrases::read(&mut r, pack.rules.len())?;
        let regexes = Regexes::read(&mut r, pack.rules.len())?;
        r.section = "model";
        let model = match r.u8()? {
            0 => None,
            1 => {
                let bits = r.u32()?;
                let (bias, scale) = (f64::from_bits(r.u64()?), f64::from_bits(r.u64()?));
                let hashes = r.u32s()?;
                let weights = r.bytes()?;
                if hashes.len() != weights.len() {
                    return Err(r.invalid("weights and features differ in number"));
                }
                let entries: Vec<(u32, i8)> = hashes.into_iter().zip(weights.iter().map(|&w| w as i8)).collect();
                Some(Model::from_parts(bits, bias, scale, &entries).ok_or(r.invalid("feature outside the table"))?)
            }
            _ => return Err(r.invalid("model flag")),
        };
        if pack.model.is_some() != model.is_some() {
            return Err(r.invalid("model and pack disagree"));
        }
        if r.remaining() != 0 {
            return Err(r.invalid("bytes after the last section"));
        }
        let mut c = Classifier::assemble(pack, sites, phrases, regexes, model)?;
        c.explanations = Some(explanations);
        Ok(c)
    }
}

/// The identity of the pack a snapshot was made from, read from its header (format and engine checked, the
/// body neither read nor checksummed).
pub fn snapshot_identity(bytes: &[u8]) -> Result<SnapshotIdentity, SnapshotError> {
    header(&mut Reader::new(bytes))
}

/// Reads the header up to the body's length and checksum.
fn header(r: &mut Reader) -> Result<SnapshotIdentity, SnapshotError> {
    let magic = r.bytes_exact(MAGIC.len()).map_err(|_| SnapshotError::NotSnapshot)?;
    if magic != MAGIC {
        return Err(SnapshotError::NotSnapshot);
    }
    let format = r.u8()?;
    if format != FORMAT_VERSION {
        return Err(SnapshotError::Format { found: format, expected: FORMAT_VERSION });
    }
    let n = usize::from(r.u8()?);
    let engine = r.bytes_exact(n)?;
    if engine != ENGINE.as_bytes() {
        // Not `from_utf8_lossy`: the only user of its code in the Wasm, which is at its size budget.
        let found = std::str::from_utf8(engine).unwrap_or("(not UTF-8)").to_string();
        return Err(SnapshotError::Engine { found, expected: ENGINE });
    }
    let schema = r.u32()?;
    let version = r.u64()?;
    let n = usize::from(r.u8()?);
    let name = std::str::from_utf8(r.bytes_exact(n)?).map_err(|_| r.invalid("pack name is not UTF-8"))?;
    Ok(SnapshotIdentity { schema, version, name: name.to_string() })
}

/// The header's identity and the body, its length and checksum checked.
fn split(bytes: &[u8]) -> Result<(SnapshotIdentity, &[u8]), SnapshotError> {
    let mut r = Reader::new(bytes);
    let identity = header(&mut r)?;
    let declared = r.u64()?;
    let sum = r.u64()?;
    let body = r.bytes_exact(r.remaining())?;
    if declared != body.len() as u64 {
        return Err(SnapshotError::Length { declared, actual: body.len() as u64 });
    }
    if checksum(body) != sum {
        return Err(SnapshotError::Checksum);
    }
    Ok((identity, body))
}

/// The pack's name as the header keeps it: at most 255 bytes, cut on a character boundary.
fn truncate_name(name: &str) -> &str {
    super::truncate(name, 255)
}
