//! Typed errors of the classifier, the pack loader and the signature check.

use thiserror::Error;

/// Why a pack was refused.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PackError {
    /// The pack is larger than the engine accepts.
    #[error("pack is {size} bytes, more than the {limit} allowed")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The pack is not valid JSON of the pack's shape.
    #[error("pack is not valid pack JSON: {0}")]
    Json(String),
    /// The pack was written for another schema.
    #[error("pack schema {found} is not supported (this engine reads schema {expected})")]
    Schema {
        /// Schema in the pack.
        found: u32,
        /// Schema of this engine.
        expected: u32,
    },
    /// One rule is bad; the whole pack is refused.
    #[error("rule {id}: {message}")]
    Rule {
        /// The rule's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A site adapter is bad (a selector outside the supported subset, a bad path regex ...).
    #[error("site {site}: {message}")]
    Site {
        /// The adapter's id.
        site: String,
        /// What is wrong.
        message: String,
    },
    /// The pack's model is damaged or malformed.
    #[error("model: {0}")]
    Model(#[from] crate::model::ModelError),
    /// Something else in the pack is bad.
    #[error("invalid pack: {0}")]
    Invalid(String),
}

/// Why a page could not be scored.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ScoreError {
    /// The input is larger than the engine scores.
    #[error("page text is {size} bytes, more than the {limit} scored")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The input object has the wrong shape.
    #[error("bad input: {0}")]
    BadInput(String),
}
