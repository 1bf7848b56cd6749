//! The rule sources of `rules/`, embedded at build time, and the pack compiled from them.

use crate::pack::source::{build, SourceError, SourceFile};
use crate::pack::Pack;

mod files {
    include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));
}

/// The embedded sources.
pub fn sources() -> Vec<SourceFile> {
    files::FILES.iter().map(|(p, t)| SourceFile { path: p.to_string(), text: t.to_string() }).collect()
}

/// The pack compiled from the embedded sources.
pub fn pack() -> Result<Pack, SourceError> {
    build(&sources())
}

/// The pack compiled from the embedded sources, as JSON.
pub fn pack_json() -> Result<String, SourceError> {
    pack().map(|p| p.to_json())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_rules_compile() {
        let p = super::pack().unwrap_or_else(|e| panic!("rules/ does not compile: {e}"));
        assert!(p.rule_count() > 0);
        assert!(p.hotlines.contains_key("KR"), "Korean hotlines are in the pack");
    }
}
