//! What goes into the classifier (a page) and what comes out (a verdict).

use serde::{Deserialize, Serialize};

/// A page to score: its visible text and whatever else the extension or CLI gathered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageInput {
    /// Visible text. Match offsets point into this, in UTF-16 code units.
    pub text: String,
    /// Page title.
    #[serde(default)]
    pub title: Option<String>,
    /// Links on the page.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Raw JSON-LD blocks (`<script type="application/ld+json">` contents).
    #[serde(default)]
    pub jsonld: Vec<String>,
    /// Language wanted for explanations (falls back to English).
    #[serde(default)]
    pub lang: Option<String>,
    /// The elements that carry the text ([`crate::page::outline::Outline`]); read by
    /// [`crate::Classifier::read_page`], ignored by [`crate::Classifier::score`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outline: Option<crate::page::outline::Outline>,
}

/// A link: its target and its text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Link {
    /// The `href`.
    pub href: String,
    /// The link's text.
    #[serde(default)]
    pub text: String,
    /// Index of the link's own `a` node in the outline, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<u32>,
}

/// How worried the reader should be.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing (or too little) found.
    Safe,
    /// Several warning signs: a banner.
    Caution,
    /// The pattern of a scam lure: a panel the reader must dismiss.
    Danger,
}

impl Level {
    /// The level's name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Safe => "safe",
            Level::Caution => "caution",
            Level::Danger => "danger",
        }
    }
}

/// One rule that fired, with its explanation in the requested language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reason {
    /// Rule id.
    pub rule: String,
    /// Category id (`combo` for combination bonuses).
    pub category: String,
    /// Points the rule carries.
    pub weight: i32,
    /// Why it matters, in the requested language.
    pub explanation: String,
}

/// The score one category contributed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CategoryScore {
    /// Category id.
    pub id: String,
    /// Display name in the requested language.
    pub name: String,
    /// Points after the category's cap.
    pub score: i32,
}

/// A span of the input text to highlight.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Match {
    /// Rule id.
    pub rule: String,
    /// Category id.
    pub category: String,
    /// Start, in UTF-16 code units of [`PageInput::text`].
    pub start: u32,
    /// End (exclusive), in UTF-16 code units.
    pub end: u32,
}

/// The classifier's answer for one page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Verdict {
    /// 0 to 100.
    pub score: u8,
    /// Level from the pack's thresholds.
    pub level: Level,
    /// Rules and combinations that fired, strongest first.
    pub reasons: Vec<Reason>,
    /// Score per category that fired, highest first.
    pub categories: Vec<CategoryScore>,
    /// Spans to highlight, sorted by start.
    pub matches: Vec<Match>,
    /// Version of the pack that scored the page.
    pub pack_version: u64,
    /// Contacts on the page (messenger IDs and links, phone numbers, e-mail addresses, apply-link domains).
    #[serde(default)]
    pub indicators: Vec<crate::indicators::Indicator>,
}
