//! The pack as a snapshot keeps it: in binary, without what the compiled forms and the explanations' section
//! hold (the rules' phrases, regexes, near literals and explanations, the model's weights). Read at load by a
//! few small functions where serde_json's visitors of the same pack were more than half of a Wasm cold start
//! (V8 compiles each function on its first call, and the JSON path's code is large).
//!
//! Every field is written in declaration order: numbers little-endian, floats as their bits (refused unless
//! finite, as JSON has no other), a string, list or map as a count and its items, an option as a flag (0 or 1)
//! and its value. Each type is destructured whole, so a field added to the pack does not compile until it is
//! written and read here. The section is read with its own cursor whose reads say only whether they worked
//! (`Option`): with [`super::SnapshotError`]'s reasons, every field's `?` copied the error along, which was
//! kilobytes of the module (already at its size budget). The caller names the section in the error.

use std::collections::BTreeMap;

use super::io::Writer;
use crate::pack::{
    Category, Combo, Country, Hotline, LinkRule, ModelSpec, ModelStep, Pack, Rule, Salary, SalaryTier, ScriptSteps,
    Site, Thresholds,
};

/// Reads the pack section: the whole of `bytes` must be one pack. `None` if they are not.
pub(crate) fn read(bytes: &[u8]) -> Option<Pack> {
    let mut c = Cursor(bytes);
    let mut pack = Pack::default();
    pack.read(&mut c)?;
    c.0.is_empty().then_some(pack)
}

/// The bytes not read yet; every read checks what is left first.
pub(crate) struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A count, refused when the rest cannot hold that many items of a byte at least (so a damaged count fails
    /// at once rather than after reading what there is).
    fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.0.len()).then_some(n)
    }
}

/// A value a snapshot writes and reads in binary. It is read into a default value rather than returned: a
/// failure part-way then has nothing to drop but the caller's one value, where building each struct from its
/// fields' results needed drop code for every field read before each one (kilobytes of the module). Nor is
/// anything cleared first (what is read into is empty): at a cold start every function called is compiled then,
/// the drop code of a map too, though the map is empty.
pub(crate) trait Bin {
    /// Appends the value.
    fn put(&self, w: &mut Writer);
    /// Reads a value into `self`, a default (empty) value; any bytes give a value or `None`.
    fn read(&mut self, r: &mut Cursor) -> Option<()>;
}

impl Bin for String {
    fn put(&self, w: &mut Writer) {
        w.str(self);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        let n = r.len()?;
        self.push_str(std::str::from_utf8(r.take(n)?).ok()?);
        Some(())
    }
}

impl Bin for u8 {
    fn put(&self, w: &mut Writer) {
        w.u8(*self);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        *self = r.u8()?;
        Some(())
    }
}

impl Bin for u32 {
    fn put(&self, w: &mut Writer) {
        w.u32(*self);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        *self = r.u32()?;
        Some(())
    }
}

impl Bin for u64 {
    fn put(&self, w: &mut Writer) {
        w.u64(*self);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        *self = r.u64()?;
        Some(())
    }
}

impl Bin for i32 {
    fn put(&self, w: &mut Writer) {
        w.u32(*self as u32);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        *self = r.u32()? as i32;
        Some(())
    }
}

impl Bin for bool {
    fn put(&self, w: &mut Writer) {
        w.u8(u8::from(*self));
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        *self = match r.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        Some(())
    }
}

impl Bin for f64 {
    fn put(&self, w: &mut Writer) {
        w.u64(self.to_bits());
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        // A pack from JSON holds finite numbers only: a forged infinity or NaN is refused, not scored with.
        *self = f64::from_bits(r.u64()?);
        self.is_finite().then_some(())
    }
}

impl<T: Bin + Default> Bin for Option<T> {
    fn put(&self, w: &mut Writer) {
        self.is_some().put(w);
        if let Some(v) = self {
            v.put(w);
        }
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        let mut some = false;
        some.read(r)?;
        if some {
            self.get_or_insert_with(T::default).read(r)?;
        }
        Some(())
    }
}

impl<T: Bin + Default> Bin for Vec<T> {
    fn put(&self, w: &mut Writer) {
        w.len(self.len());
        for v in self {
            v.put(w);
        }
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        // Not reserved up front: a forged count as large as the bytes left would reserve that many items of the
        // type (a rule's hundred bytes or so each), not of their encoding.
        for _ in 0..r.len()? {
            self.push(T::default());
            self.last_mut()?.read(r)?;
        }
        Some(())
    }
}

impl<T: Bin + Default> Bin for BTreeMap<String, T> {
    fn put(&self, w: &mut Writer) {
        w.len(self.len());
        for (k, v) in self {
            k.put(w);
            v.put(w);
        }
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        for _ in 0..r.len()? {
            let (mut k, mut v) = (String::new(), T::default());
            k.read(r)?;
            v.read(r)?;
            // A repeated key keeps the last value, as serde_json's map does.
            self.insert(k, v);
        }
        Some(())
    }
}

impl Bin for [f64; 2] {
    fn put(&self, w: &mut Writer) {
        self[0].put(w);
        self[1].put(w);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        self[0].read(r)?;
        self[1].read(r)
    }
}

/// `Bin` for structs written whole, field by field in the order given (which must name every field).
macro_rules! whole {
    ($($t:ident { $($f:ident),* })*) => {$(
        impl Bin for $t {
            fn put(&self, w: &mut Writer) {
                let $t { $($f),* } = self;
                $($f.put(w);)*
            }
            fn read(&mut self, r: &mut Cursor) -> Option<()> {
                let $t { $($f),* } = self;
                $($f.read(r)?;)*
                Some(())
            }
        }
    )*};
}

whole! {
    Pack { schema, name, version, thresholds, categories, combos, rules, salary, links, hotlines, sites, model }
    Thresholds { caution, danger }
    Category { cap, name, context, combo_min }
    Combo { id, all, any, min_any, bonus, cap, explain }
    Salary { currency, tiers }
    SalaryTier { id, category, weight, factor, explain }
    LinkRule { id, category, weight, hosts, path_prefix, explain }
    Country { name, lines }
    Hotline { number, label, url, confirmed }
    Site { id, hosts, paths, posting, cards, exclude }
    ModelStep { min_p, points }
    ScriptSteps { min_features, steps }
}

/// A phrase or regex rule without its phrases, regex, near literals and explanation (the compiled matchers and
/// the explanations' section hold them).
impl Bin for Rule {
    fn put(&self, w: &mut Writer) {
        let Rule { id, category, weight, langs, phrases: _, regex: _, near: _, explain: _ } = self;
        id.put(w);
        category.put(w);
        weight.put(w);
        langs.put(w);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        // The phrases, regex, near literals and explanation stay empty.
        let Rule { id, category, weight, langs, phrases: _, regex: _, near: _, explain: _ } = self;
        id.read(r)?;
        category.read(r)?;
        weight.read(r)?;
        langs.read(r)
    }
}

/// The model's entry without its weights (the snapshot's model section holds them decoded).
impl Bin for ModelSpec {
    fn put(&self, w: &mut Writer) {
        let ModelSpec { id, category, platt, steps, scripts, explain, show, weights: _ } = self;
        id.put(w);
        category.put(w);
        platt.put(w);
        steps.put(w);
        scripts.put(w);
        explain.put(w);
        show.put(w);
    }
    fn read(&mut self, r: &mut Cursor) -> Option<()> {
        // The weights stay empty.
        let ModelSpec { id, category, platt, steps, scripts, explain, show, weights: _ } = self;
        id.read(r)?;
        category.read(r)?;
        platt.read(r)?;
        steps.read(r)?;
        scripts.read(r)?;
        explain.read(r)?;
        show.read(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Texts;

    fn texts(pairs: &[(&str, &str)]) -> Texts {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// A pack with every option set and unset somewhere, every list and map empty and not.
    fn pack() -> Pack {
        let t = texts(&[("en", "Pays for the flight"), ("ko", "항공권 지원")]);
        let category = |cap, context, combo_min| Category { cap, name: t.clone(), context, combo_min };
        let json = serde_json::json!({
            "schema": 1, "name": "test", "version": 7,
            "thresholds": { "caution": 30, "danger": 60 },
            "categories": {},
            "combos": [
                { "id": "combo.a", "all": ["travel"], "any": ["pay", "ctx"], "min_any": 1, "bonus": 15, "cap": 25,
                  "explain": t },
                { "id": "combo.b", "bonus": -5, "explain": {} }
            ],
            "rules": [
                { "id": "ko.a", "category": "travel", "weight": 25, "langs": ["ko", "en"], "phrases": ["항공권"],
                  "explain": t },
                { "id": "en.b", "category": "ctx", "weight": 0, "regex": "a+b", "near": ["ab"], "explain": t }
            ],
            "salary": { "currency": { "KRW": 5_000_000.5, "USD": 4000.0 },
                        "tiers": [{ "id": "pay.a", "category": "pay", "weight": 20, "factor": 1.5, "explain": t }] },
            "links": [{ "id": "link.a", "category": "travel", "weight": 10, "hosts": ["t.me", "x.y"],
                        "path_prefix": "/j", "explain": t }],
            "hotlines": { "KR": { "name": t, "lines": [
                { "number": "112", "label": t, "url": "https://example.org", "confirmed": true },
                { "number": "1332", "label": {}, "confirmed": false }
            ] } },
            "sites": [{ "id": "s", "hosts": ["a.example"], "paths": ["^/v"], "posting": [".p"], "cards": [".c"],
                        "exclude": [".x"] }, { "id": "t", "hosts": [] }],
            "model": { "id": "model.n", "category": "pay", "platt": [1.25, -0.5],
                       "steps": [{ "min_p": 0.8, "points": 10 }],
                       "scripts": { "hangul": { "min_features": 20, "steps": [{ "min_p": 0.5, "points": 5 }] } },
                       "explain": t, "show": 4, "weights": "AAAA" }
        });
        let mut p: Pack = serde_json::from_value(json).unwrap();
        p.categories = [
            ("travel".to_string(), category(40, false, Some(10))),
            ("pay".to_string(), category(30, false, None)),
            ("ctx".to_string(), category(0, true, None)),
        ]
        .into_iter()
        .collect();
        p
    }

    #[test]
    fn reads_back_the_slim_pack_and_refuses_what_json_cannot_hold() {
        let p = pack();
        let mut w = Writer::default();
        p.put(&mut w);
        let back = read(&w.out).unwrap();
        let mut slim = p.clone();
        for r in &mut slim.rules {
            (r.phrases, r.near, r.regex, r.explain) = (Vec::new(), Vec::new(), None, Texts::new());
        }
        slim.model.as_mut().unwrap().weights = String::new();
        assert_eq!(back, slim);
        assert_ne!(back, p, "the rules' phrases and the model's weights are not written");
        // Written again, the same bytes.
        let mut again = Writer::default();
        back.put(&mut again);
        assert_eq!(again.out, w.out);
        // A count larger than the bytes left, or as large: refused, without reading or reserving that much.
        let mut huge = Writer::default();
        huge.u32(u32::MAX);
        assert!(Vec::<Rule>::default().read(&mut Cursor(&huge.out)).is_none());
        let mut many = Writer::default();
        many.u32(1 << 20);
        many.out.resize(4 + (1 << 20), 0);
        let mut rules = Vec::<Rule>::new();
        assert!(rules.read(&mut Cursor(&many.out)).is_none() && rules.len() < 1 << 18, "{}", rules.len());
        // Every cut is refused, and a byte more.
        assert!(read(&[&w.out[..], &[0]].concat()).is_none());
        for cut in 0..w.out.len() {
            assert!(read(&w.out[..cut]).is_none(), "cut at {cut}");
        }
        // A flag other than 0 or 1, a float that is not finite.
        let mut flag = Writer::default();
        flag.u8(2);
        assert!(Some(1u32).read(&mut Cursor(&flag.out)).is_none());
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut f = Writer::default();
            f.u64(bad.to_bits());
            assert!(0f64.read(&mut Cursor(&f.out)).is_none(), "{bad}");
        }
    }
}
