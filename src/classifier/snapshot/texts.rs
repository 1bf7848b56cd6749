//! The rules' explanations as a snapshot keeps them: one block of text and the ends of every language key and
//! text in it, read at load with a few bounds checks instead of thousands of JSON strings and map entries, and
//! looked up only for the reasons of a verdict.

use super::io::{Reader, Writer};
use super::SnapshotError;
use crate::pack::Texts;

/// Every phrase and regex rule's explanation, per language, in pack order.
#[derive(Debug, Clone)]
pub(crate) struct Explanations {
    /// Per rule, and one more: the first entry of its explanation (rule `i` has entries
    /// `starts[i]..starts[i + 1]`).
    starts: Vec<u32>,
    /// Where each piece of `text` ends, after a first 0: entry `e`'s language key is `ends[2e]..ends[2e + 1]`,
    /// its text `ends[2e + 1]..ends[2e + 2]`.
    ends: Vec<u32>,
    text: String,
}

impl Explanations {
    /// The explanations of `rules`, entries in their maps' (sorted) order.
    pub(crate) fn from_texts<'a>(rules: impl Iterator<Item = &'a Texts>) -> Explanations {
        let (mut starts, mut ends, mut text) = (vec![0u32], vec![0u32], String::new());
        for t in rules {
            for (k, v) in t {
                text.push_str(k);
                ends.push(text.len() as u32);
                text.push_str(v);
                ends.push(text.len() as u32);
            }
            starts.push((ends.len() / 2) as u32);
        }
        Explanations { starts, ends, text }
    }

    /// Writes the section.
    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32s(self.starts.iter().copied());
        w.u32s(self.ends.iter().copied());
        w.str(&self.text);
    }

    /// Reads the section of `rules` rules.
    pub(crate) fn read(r: &mut Reader, rules: usize) -> Result<Explanations, SnapshotError> {
        r.section = "explanations";
        let starts = r.u32s()?;
        let ends = r.u32s()?;
        let text = r.str()?.to_string();
        // Every piece and entry range is looked up with `get`, which refuses a range out of order, outside the
        // text or inside a character, so no value here can make a lookup panic; these checks find a section
        // that does not fit together.
        let mut ok = starts.len() == rules + 1 && ends.len() % 2 == 1 && starts.first() == Some(&0);
        ok &= starts.last().is_some_and(|&l| l as usize == ends.len() / 2);
        ok &= ends.first() == Some(&0) && ends.last().is_some_and(|&l| l as usize == text.len());
        if !ok {
            return Err(r.invalid("entries do not fit the rules or the text"));
        }
        Ok(Explanations { starts, ends, text })
    }

    /// Piece `k` of the text (a key when even, a text when odd); "" if out of range.
    fn piece(&self, k: usize) -> &str {
        match (self.ends.get(k), self.ends.get(k + 1)) {
            (Some(&a), Some(&b)) => self.text.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// Rule `rule`'s entries, as a range of entry numbers.
    fn range(&self, rule: usize) -> std::ops::Range<usize> {
        match (self.starts.get(rule), self.starts.get(rule + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Rule `rule`'s explanation for `lang`, chosen as [`crate::pack::pick`] chooses from the map.
    pub(crate) fn pick(&self, rule: usize, lang: &str) -> &str {
        let text_of = |key: &str| self.range(rule).find(|&e| self.piece(2 * e) == key).map(|e| self.piece(2 * e + 1));
        crate::pack::pick_with(lang, text_of, self.range(rule).next().map(|e| self.piece(2 * e + 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::pick;

    fn texts(pairs: &[(&str, &str)]) -> Texts {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn picks_as_the_map_does_and_refuses_a_section_that_does_not_fit() {
        let rules = [
            texts(&[("en", "Flights paid"), ("ko", "항공권"), ("zh", "机票")]),
            texts(&[]),
            texts(&[("ja", "航空券"), ("vi", "vé máy bay")]),
        ];
        let mut w = Writer::default();
        Explanations::from_texts(rules.iter()).write(&mut w);
        let e = Explanations::read(&mut Reader::new(&w.out), rules.len()).unwrap();
        for (i, t) in rules.iter().enumerate() {
            for lang in ["en", "ko", "ko-KR", "zh_TW", "th", "ja", ""] {
                assert_eq!(e.pick(i, lang), pick(t, lang), "rule {i}, {lang}");
            }
        }
        assert_eq!(e.pick(7, "en"), "", "a rule out of range has none");
        // Written again, the same bytes.
        let mut again = Writer::default();
        e.write(&mut again);
        assert_eq!(again.out, w.out);
        // Another number of rules, or a text cut short, is refused.
        assert!(Explanations::read(&mut Reader::new(&w.out), 2).is_err());
        let mut cut = w.out.clone();
        let n = cut.len();
        cut.truncate(n - 1);
        let total: usize = rules.iter().flatten().map(|(k, v)| k.len() + v.len()).sum();
        let len_at = n - 4 - total;
        let text_len = u32::from_le_bytes(cut[len_at..len_at + 4].try_into().unwrap());
        cut[len_at..len_at + 4].copy_from_slice(&(text_len - 1).to_le_bytes());
        assert!(Explanations::read(&mut Reader::new(&cut), rules.len()).is_err());
    }
}
