//! Natively, a regex rule runs on the `regex` crate, whose lazy DFA steps a text far faster than regex-lite's
//! PikeVM (the Wasm keeps regex-lite: the `regex` crate would not fit its size budget). The two must find the
//! same matches, so a rule's source is first translated into the `regex` crate's syntax with regex-lite's
//! meaning ([`translate`]): regex-lite's `\d`, `\w`, `\s` and `\b` are ASCII-only where the `regex` crate's
//! are Unicode. A source the translation is not certain of runs on regex-lite, natively too.

use regex_lite::Regex as Lite;

/// A regex rule compiled for the native search: the `regex` crate's form of its source when there is one.
#[derive(Debug, Clone)]
pub(in crate::classifier) enum Engine {
    /// The `regex` crate's form of the translated source.
    Dfa(regex::Regex),
    /// regex-lite itself (a source [`translate`] leaves alone, or one the `regex` crate does not compile).
    Lite(Lite),
}

impl Engine {
    /// Compiles `source` as regex-lite reads it: on the `regex` crate if [`translate`] knows its meaning there
    /// (and it compiles within `size_limit`), else with `lite` (regex-lite with the caller's settings).
    pub(in crate::classifier) fn new<E>(
        source: &str,
        size_limit: usize,
        lite: impl Fn(&str) -> Result<Lite, E>,
    ) -> Option<Engine> {
        let dfa = translate(source).and_then(|t| regex::RegexBuilder::new(&t).size_limit(size_limit).build().ok());
        match dfa {
            Some(re) => Some(Engine::Dfa(re)),
            None => lite(source).ok().map(Engine::Lite),
        }
    }

    /// The leftmost-first match in `hay`, as `(start, end)`.
    pub(in crate::classifier) fn find(&self, hay: &str) -> Option<(usize, usize)> {
        match self {
            Engine::Dfa(re) => re.find(hay).map(|m| (m.start(), m.end())),
            Engine::Lite(re) => re.find(hay).map(|m| (m.start(), m.end())),
        }
    }

    /// Calls `f(start, end)` for each match `find_iter` gives in `hay`, until `f` returns `false`.
    pub(in crate::classifier) fn for_each_match(&self, hay: &str, mut f: impl FnMut(usize, usize) -> bool) {
        match self {
            Engine::Dfa(re) => {
                for m in re.find_iter(hay) {
                    if !f(m.start(), m.end()) {
                        return;
                    }
                }
            }
            Engine::Lite(re) => {
                for m in re.find_iter(hay) {
                    if !f(m.start(), m.end()) {
                        return;
                    }
                }
            }
        }
    }
}

/// ASCII whitespace as regex-lite's `\s` has it (`[\t\n\v\f\r ]`), written for inside a class.
const SPACE: &str = r"\t\n\x0B\x0C\r\x20";
/// ASCII word characters, regex-lite's `\w`, for inside a class.
const WORD: &str = "0-9A-Za-z_";

/// `source` (regex-lite syntax) rewritten for the `regex` crate with the same meaning, or `None` when that is
/// not certain. Literals, `.`, classes of characters and repetitions mean the same in both (characters, not
/// bytes, in Unicode mode); what differs is made explicit: `\d` `\w` `\s` become their ASCII classes, `\b` and
/// `\B` the ASCII assertions `(?-u:\b)`, `(?-u:\B)`. Refused: any flag group (`(?i)` folds case differently,
/// `(?x)` reads spaces differently), a negated Perl class inside a class, a nested class other than
/// `[:name:]`, `&&`, `--` or `~~` in a class (set operations in the `regex` crate, plain characters or errors
/// in regex-lite), `\<`, `\>`, `\b{…}` and `\p`.
pub(in crate::classifier) fn translate(source: &str) -> Option<String> {
    let c: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 64);
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\\' => {
                let e = *c.get(i + 1)?;
                match e {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str(&format!("[{WORD}]")),
                    'W' => out.push_str(&format!("[^{WORD}]")),
                    's' => out.push_str(&format!("[{SPACE}]")),
                    'S' => out.push_str(&format!("[^{SPACE}]")),
                    'b' if c.get(i + 2) == Some(&'{') => return None,
                    'b' => out.push_str(r"(?-u:\b)"),
                    'B' => out.push_str(r"(?-u:\B)"),
                    '<' | '>' | 'p' | 'P' => return None,
                    // Hex escapes (`\x41`, `\u{…}`) go on as they are: what follows is copied one character at a
                    // time, which a hex digit or a brace survives.
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
                i += 2;
            }
            '[' => i = class(&c, i, &mut out)?,
            '(' if c.get(i + 1) == Some(&'?') => {
                if c.get(i + 2) != Some(&':') {
                    return None;
                }
                out.push_str("(?:");
                i += 3;
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    Some(out)
}

/// Copies the class opening at `c[i]` into `out`, translated (see [`translate`]); returns the index after it.
fn class(c: &[char], mut i: usize, out: &mut String) -> Option<usize> {
    out.push('[');
    i += 1;
    if c.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    // A `]` first is a literal.
    if c.get(i) == Some(&']') {
        out.push_str(r"\]");
        i += 1;
    }
    loop {
        let ch = *c.get(i)?;
        match ch {
            ']' => {
                out.push(']');
                return Some(i + 1);
            }
            '\\' => {
                let e = *c.get(i + 1)?;
                match e {
                    'd' => out.push_str("0-9"),
                    'w' => out.push_str(WORD),
                    's' => out.push_str(SPACE),
                    'D' | 'W' | 'S' | 'p' | 'P' | 'b' | 'B' | '<' | '>' => return None,
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
                i += 2;
            }
            '[' => {
                // Only an ASCII class by name (`[:alpha:]`, the same in both).
                if c.get(i + 1) != Some(&':') {
                    return None;
                }
                let close = (i + 2..c.len().saturating_sub(1)).find(|&j| c[j] == ':' && c[j + 1] == ']')?;
                out.extend(&c[i..close + 2]);
                i = close + 2;
            }
            '&' | '-' | '~' if c.get(i + 1) == Some(&ch) => return None,
            _ => {
                out.push(ch);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests;
