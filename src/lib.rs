//! JobGuard's classifier: compiles a rule pack once, then scores job pages for scam-compound lures and
//! ordinary job scams, returning a score, a level, the reasons and the spans to highlight.
//!
//! The same code runs natively (the `jobguard` CLI, the monitoring service) and as WebAssembly in the
//! extension (feature `wasm`, module [`wasm`]).
//!
//! - [`pack`]: the pack's data model and checks; [`pack::source`] compiles `rules/` (native only).
//! - [`classifier`]: compiling a pack and scoring a page.
//! - [`normalize`]: the normalised and squeezed views of a text, with offsets back to UTF-16; [`nfkc`]: the
//!   Unicode normalisation it uses, from compact tables made at build time.
//! - [`model`]: the learned model (hashed n-grams, linear, calibrated) and its training (native only).
//! - [`money`], [`links`], [`jsonld`]: pay amounts, link targets, schema.org `JobPosting` data.
//! - [`signing`]: signed pack envelopes (Ed25519), expiry and anti-rollback.
//! - [`page`]: reading a page: the posting, or the cards of a list, each scored on its own.
//! - [`indicators`]: contact indicators (messenger IDs and links, phones, e-mails, apply-link domains).
//! - `sort`: the one slice sort every module uses (one copy of the sort code in the Wasm module).

pub mod classifier;
pub mod error;
pub mod indicators;
pub mod jsonld;
pub mod links;
pub mod model;
pub mod money;
pub mod nfkc;
pub mod normalize;
pub mod pack;
pub mod page;
pub mod signing;
pub(crate) mod sort;
pub mod verdict;

#[cfg(feature = "sources")]
pub mod bundled;

#[cfg(feature = "wasm")]
pub mod wasm;

pub use classifier::{Classifier, HotlineView};
pub use error::{PackError, ScoreError};
pub use indicators::{Indicator, IndicatorKind};
pub use pack::Pack;
pub use page::{CardReading, Kind, PostingReading, Reading};
pub use verdict::{CategoryScore, Level, Link, Match, PageInput, Reason, Verdict};
