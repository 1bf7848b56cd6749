//! The rule pack: the data model shared by the compiler (TOML sources), the classifier and the extension.
//!
//! A pack is plain data (JSON), never code. [`Pack::from_json`] parses and checks one; the classifier compiles
//! it once ([`crate::Classifier::new`]). Sources in `rules/` become a pack through [`source`] (native only).

#[cfg(feature = "sources")]
pub mod concepts;
pub mod model;
#[cfg(feature = "sources")]
pub mod near;
#[cfg(feature = "sources")]
pub mod source;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::PackError;

pub use model::{ModelSpec, ModelStep, ScriptSteps};

/// The pack schema this engine reads and writes. A pack with another schema is refused.
pub const SCHEMA_VERSION: u32 = 1;

/// Largest pack (bytes of JSON) the engine accepts.
pub const MAX_PACK_BYTES: usize = 4 * 1024 * 1024;
/// Most rules (phrase, regex, link and pay rules together) a pack may hold.
pub const MAX_RULES: usize = 10_000;
/// Longest phrase, in bytes.
pub const MAX_PHRASE_BYTES: usize = 256;
/// Longest regex source, in bytes (a proximity rule spells out two concepts' wordings, in both orders).
pub const MAX_REGEX_BYTES: usize = 8192;

/// Explanations or names keyed by language code (`ko`, `en`, `zh`, `vi`, `th`, `id`, `ja`).
pub type Texts = BTreeMap<String, String>;

/// A compiled rule pack.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Pack {
    /// Schema version of this document ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// Pack name, e.g. `jobguard-default`.
    pub name: String,
    /// Pack version: an integer that only grows.
    pub version: u64,
    /// Score thresholds of the levels.
    pub thresholds: Thresholds,
    /// Categories of signals, keyed by id.
    pub categories: BTreeMap<String, Category>,
    /// Bonuses for combinations of categories.
    #[serde(default)]
    pub combos: Vec<Combo>,
    /// Phrase and regex rules.
    pub rules: Vec<Rule>,
    /// Pay thresholds and tiers.
    pub salary: Salary,
    /// Link rules (messenger hosts).
    #[serde(default)]
    pub links: Vec<LinkRule>,
    /// Hotlines per country (ISO 3166 alpha-2 code).
    #[serde(default)]
    pub hotlines: BTreeMap<String, Country>,
    /// Site adapters: where the posting and the cards are on boards the extension knows (engines older than
    /// this field ignore it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Site>,
    /// The learned model, if the pack has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSpec>,
}

/// A site adapter (docs/interfaces.md, "Site adapters"): selectors in the CSS subset of
/// [`crate::page::selector`], matched against the page's outline.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Site {
    /// Unique id, e.g. `saramin`.
    pub id: String,
    /// Hosts; a subdomain of one matches too.
    pub hosts: Vec<String>,
    /// Regexes of the paths the adapter is for (empty: every path).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Selectors of the posting's container, in order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posting: Vec<String>,
    /// Selectors of one card of a result list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<String>,
    /// Selectors of parts never read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// Score thresholds: `score >= caution` is caution, `score >= danger` is danger.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Thresholds {
    /// Lowest caution score.
    pub caution: u8,
    /// Lowest danger score.
    pub danger: u8,
}

/// A category of signals.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Category {
    /// Most the category adds (for categories of negative rules: most it takes away).
    pub cap: i32,
    /// Display name per language.
    pub name: Texts,
    /// A context category: its rules (weight 0) add nothing and are neither listed nor highlighted; they only
    /// tell combinations what kind of text this is (a job offer, say, so that a bulk advertising text offering
    /// work can be told from any other advertisement).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub context: bool,
    /// Points the category must reach before it counts for combinations (default: any points). A weak signal
    /// of the category ("숙식 제공", "bao ăn ở": housing, which honest factory ads offer too) then scores on its
    /// own but does not turn other weak signals into a lure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combo_min: Option<i32>,
}

/// A bonus when several categories fire together.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Combo {
    /// Unique id, e.g. `combo.classic_lure`.
    pub id: String,
    /// Categories that must all have fired.
    #[serde(default)]
    pub all: Vec<String>,
    /// Categories of which at least `min_any` must have fired.
    #[serde(default)]
    pub any: Vec<String>,
    /// How many of `any` must have fired.
    #[serde(default)]
    pub min_any: u32,
    /// Points added.
    pub bonus: i32,
    /// When set, the page's score is at most this while the combination applies (after every bonus): how a
    /// news report *about* job scams, which quotes their lures, is kept from reading as a lure itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<i32>,
    /// Explanation per language.
    pub explain: Texts,
}

/// A phrase or regex rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Rule {
    /// Unique id, e.g. `ko.travel.flight_paid`.
    pub id: String,
    /// Category id.
    pub category: String,
    /// Points when the rule fires (-100..=100).
    pub weight: i32,
    /// Languages the rule is written in.
    #[serde(default)]
    pub langs: Vec<String>,
    /// Literal phrases (matched on the squeezed view).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
    /// A regex (matched on the normalised view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Literals of which every match of `regex` contains one (derived when the pack is built): the regex
    /// only runs near them. Empty: it runs over the whole text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<String>,
    /// Explanation per language (Korean and English required: [`Pack::validate`] names the rule that lacks one;
    /// empty in the pack of a classifier loaded from a compiled snapshot, which keeps them apart).
    #[serde(default)]
    pub explain: Texts,
}

/// Pay thresholds per currency and the tiers that fire above them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Salary {
    /// Monthly amount per currency code (KRW, USD, ...) above which pay is far above the work.
    pub currency: BTreeMap<String, f64>,
    /// Tiers: the highest one whose `factor x threshold` the pay reaches fires.
    pub tiers: Vec<SalaryTier>,
}

/// One pay tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SalaryTier {
    /// Rule id.
    pub id: String,
    /// Category id.
    pub category: String,
    /// Points.
    pub weight: i32,
    /// Multiple of the currency threshold.
    pub factor: f64,
    /// Explanation per language.
    pub explain: Texts,
}

/// A rule on link targets (and URLs written in the text).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct LinkRule {
    /// Rule id.
    pub id: String,
    /// Category id.
    pub category: String,
    /// Points.
    pub weight: i32,
    /// Hosts; a subdomain of one matches too.
    pub hosts: Vec<String>,
    /// Path prefix the link must have (empty: any).
    #[serde(default)]
    pub path_prefix: String,
    /// Explanation per language.
    pub explain: Texts,
}

/// Hotlines of one country.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Country {
    /// Country name per language.
    pub name: Texts,
    /// Its hotlines, most important first.
    pub lines: Vec<Hotline>,
}

/// One hotline.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Hotline {
    /// Number to call, or a short address.
    pub number: String,
    /// What it is, per language.
    pub label: Texts,
    /// A web address, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Whether the number was confirmed against an official source.
    pub confirmed: bool,
}

impl Pack {
    /// Parses a pack from JSON and checks it ([`Pack::validate`]).
    pub fn from_json(json: &str) -> Result<Pack, PackError> {
        if json.len() > MAX_PACK_BYTES {
            return Err(PackError::TooLarge { size: json.len(), limit: MAX_PACK_BYTES });
        }
        let pack: Pack = serde_json::from_str(json).map_err(|e| PackError::Json(e.to_string()))?;
        pack.validate()?;
        Ok(pack)
    }

    /// Serialises the pack as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a pack always serialises")
    }

    /// Number of rules of every kind.
    pub fn rule_count(&self) -> usize {
        self.rules.len() + self.links.len() + self.salary.tiers.len()
    }

    /// Checks everything but regex compilation (which [`crate::Classifier::new`] does): schema, limits, ids,
    /// categories, weights, explanations.
    pub fn validate(&self) -> Result<(), PackError> {
        if self.schema != SCHEMA_VERSION {
            return Err(PackError::Schema { found: self.schema, expected: SCHEMA_VERSION });
        }
        let t = self.thresholds;
        if t.caution == 0 || t.caution > t.danger || t.danger > 100 {
            return Err(PackError::Invalid(format!(
                "thresholds must satisfy 0 < caution <= danger <= 100 (caution {}, danger {})",
                t.caution, t.danger
            )));
        }
        if self.rule_count() > MAX_RULES {
            return Err(PackError::Invalid(format!("{} rules, more than the {MAX_RULES} allowed", self.rule_count())));
        }
        for (id, c) in &self.categories {
            check_texts(&c.name, &format!("category {id}"), "name")?;
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut unique = |id: &str| {
            if seen.insert(id.to_string()) {
                Ok(())
            } else {
                Err(PackError::Rule { id: id.to_string(), message: "duplicate id".into() })
            }
        };
        let cats = &self.categories;
        for r in &self.rules {
            unique(&r.id)?;
            r.check(cats).map_err(|message| PackError::Rule { id: r.id.clone(), message })?;
        }
        for l in &self.links {
            unique(&l.id)?;
            l.check(cats).map_err(|message| PackError::Rule { id: l.id.clone(), message })?;
        }
        for t in &self.salary.tiers {
            unique(&t.id)?;
            t.check(cats).map_err(|message| PackError::Rule { id: t.id.clone(), message })?;
        }
        if let Some(m) = &self.model {
            unique(&m.id)?;
            m.check(cats).map_err(|message| PackError::Rule { id: m.id.clone(), message })?;
        }
        for (cur, v) in &self.salary.currency {
            if !(v.is_finite() && *v > 0.0) {
                return Err(PackError::Invalid(format!("salary threshold for {cur} must be > 0")));
            }
        }
        for c in &self.combos {
            check_texts(&c.explain, &c.id, "explain")?;
            if c.cap.is_some_and(|cap| !(0..=100).contains(&cap)) {
                return Err(PackError::Rule { id: c.id.clone(), message: "cap must be within 0..=100".into() });
            }
            for cat in c.all.iter().chain(&c.any) {
                if !self.categories.contains_key(cat) {
                    return Err(PackError::Rule { id: c.id.clone(), message: format!("unknown category '{cat}'") });
                }
            }
        }
        for (code, country) in &self.hotlines {
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(PackError::Invalid(format!("hotline country '{code}' is not a two-letter code")));
            }
            for line in &country.lines {
                check_texts(&line.label, &format!("hotline {code} {}", line.number), "label")?;
            }
        }
        Ok(())
    }
}

/// Checks shared by every kind of rule: id, category, weight, explanations.
fn check_common(
    id: &str,
    category: &str,
    weight: i32,
    explain: &Texts,
    cats: &BTreeMap<String, Category>,
) -> Result<(), String> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_') {
        return Err("ids use only a-z, 0-9, '.' and '_'".into());
    }
    let Some(cat) = cats.get(category) else {
        return Err(format!("unknown category '{category}'"));
    };
    if !(-100..=100).contains(&weight) {
        return Err(format!("weight {weight} is outside -100..=100"));
    }
    if cat.context != (weight == 0) {
        return Err(if cat.context {
            format!("rules of the context category '{category}' weigh 0")
        } else {
            "weight 0 is only for rules of a context category".into()
        });
    }
    for lang in ["ko", "en"] {
        if explain.get(lang).is_none_or(|s| s.trim().is_empty()) {
            return Err(format!("explain.{lang} is missing"));
        }
    }
    Ok(())
}

impl Rule {
    /// Checks one rule against the pack's categories (regexes are compiled by the classifier).
    pub fn check(&self, cats: &BTreeMap<String, Category>) -> Result<(), String> {
        check_common(&self.id, &self.category, self.weight, &self.explain, cats)?;
        match (&self.regex, self.phrases.is_empty()) {
            (Some(_), false) => return Err("has both phrases and a regex".into()),
            (None, true) => return Err("has neither phrases nor a regex".into()),
            _ => {}
        }
        for p in &self.phrases {
            if p.len() > MAX_PHRASE_BYTES {
                return Err(format!("phrase longer than {MAX_PHRASE_BYTES} bytes"));
            }
        }
        if self.regex.as_ref().is_some_and(|re| re.len() > MAX_REGEX_BYTES) {
            return Err(format!("regex longer than {MAX_REGEX_BYTES} bytes"));
        }
        if self.near.iter().any(|n| n.is_empty() || n.len() > MAX_PHRASE_BYTES)
            || (self.regex.is_none() && !self.near.is_empty())
        {
            return Err("near literals must be non-empty, short, and only on regex rules".into());
        }
        Ok(())
    }
}

impl LinkRule {
    /// Checks one link rule.
    pub fn check(&self, cats: &BTreeMap<String, Category>) -> Result<(), String> {
        check_common(&self.id, &self.category, self.weight, &self.explain, cats)?;
        if self.hosts.is_empty() || self.hosts.iter().any(|h| h.is_empty() || h.contains('/')) {
            return Err("hosts must be bare host names".into());
        }
        Ok(())
    }
}

impl SalaryTier {
    /// Checks one pay tier.
    pub fn check(&self, cats: &BTreeMap<String, Category>) -> Result<(), String> {
        check_common(&self.id, &self.category, self.weight, &self.explain, cats)?;
        if !(self.factor.is_finite() && self.factor > 0.0) {
            return Err("factor must be > 0".into());
        }
        Ok(())
    }
}

/// Texts must have Korean and English.
fn check_texts(t: &Texts, owner: &str, field: &str) -> Result<(), PackError> {
    for lang in ["ko", "en"] {
        if t.get(lang).is_none_or(|s| s.trim().is_empty()) {
            return Err(PackError::Rule { id: owner.to_string(), message: format!("{field}.{lang} is missing") });
        }
    }
    Ok(())
}

/// Picks the text for `lang`, falling back to English, then to any.
pub fn pick<'a>(t: &'a Texts, lang: &str) -> &'a str {
    pick_with(lang, |k| t.get(k).map(String::as_str), t.values().next().map(String::as_str))
}

/// [`pick`]'s choice from any store of texts: `get` looks a language up, `first` is the store's first text.
pub(crate) fn pick_with<'a>(lang: &str, get: impl Fn(&str) -> Option<&'a str>, first: Option<&'a str>) -> &'a str {
    let base = lang.split(['-', '_']).next().unwrap_or("");
    get(base).or_else(|| get("en")).or(first).unwrap_or("")
}
