//! A classifier loaded from its snapshot reads every dev line and every saved page as the one compiled from the
//! pack's JSON; damaged, truncated, forged and random snapshots are refused or load, never panic.

use std::path::PathBuf;

use super::io::checksum;
use super::{snapshot_identity, SnapshotError, ENGINE, FORMAT_VERSION, MAGIC};
use crate::{Classifier, PageInput};

fn bundled() -> Classifier {
    Classifier::from_json(&crate::bundled::pack_json().unwrap()).unwrap()
}

fn shared(dir: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(dir);
    assert!(d.is_dir(), "{} (the team's data) is missing: these tests read it from ../shared", d.display());
    d
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut f: Vec<PathBuf> = std::fs::read_dir(shared(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    f.sort();
    f
}

/// Where the body starts: after the magic, format, engine, identity, length and checksum.
fn body_start(snap: &[u8]) -> usize {
    let id = snapshot_identity(snap).unwrap();
    MAGIC.len() + 1 + 1 + ENGINE.len() + 4 + 8 + 1 + id.name.len() + 8 + 8
}

/// Rewrites the checksum after the body was changed (a forged snapshot).
fn reseal(snap: &mut [u8]) {
    let start = body_start(snap);
    let sum = checksum(&snap[start..]);
    snap[start - 8..start].copy_from_slice(&sum.to_le_bytes());
}

#[test]
fn loads_with_the_identity_and_writes_the_same_bytes_again() {
    let c = bundled();
    let snap = c.to_snapshot();
    let id = snapshot_identity(&snap).unwrap();
    assert_eq!((id.schema, id.version, id.name.as_str()), (c.pack().schema, c.pack().version, c.pack().name.as_str()));
    let back = Classifier::from_snapshot(&snap).unwrap();
    assert_eq!(back.to_snapshot(), snap, "a loaded snapshot writes itself again byte for byte");
    // The pack comes back whole but for what the compiled forms and the explanations' section hold (its floats
    // bit for bit).
    let mut slim = c.pack().clone();
    for r in &mut slim.rules {
        (r.phrases, r.near, r.regex, r.explain) = (Vec::new(), Vec::new(), None, Default::default());
    }
    slim.model.as_mut().unwrap().weights = String::new();
    assert_eq!(back.pack(), &slim);
    assert!(!slim.salary.currency.is_empty() && slim.model.as_ref().unwrap().steps.len() > 1);
    for country in slim.hotlines.keys() {
        for lang in ["ko", "en", "vi"] {
            assert_eq!(back.hotlines(country, lang), c.hotlines(country, lang), "{country} {lang}");
        }
    }
    assert!(!c.hotlines("KR", "ko").is_empty());
}

#[test]
fn scores_every_dev_line_as_the_pack_json_does() {
    let c = bundled();
    let snap = Classifier::from_snapshot(&c.to_snapshot()).unwrap();
    let (mut lines, mut risky) = (0, 0);
    for f in files("dev", "jsonl") {
        for line in std::fs::read_to_string(&f).unwrap().lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let input = PageInput {
                text: v["text"].as_str().unwrap_or("").to_string(),
                title: v["title"].as_str().map(str::to_string),
                lang: v["lang"].as_str().map(str::to_string),
                ..PageInput::default()
            };
            let want = serde_json::to_string(&c.score(&input).unwrap()).unwrap();
            let got = serde_json::to_string(&snap.score(&input).unwrap()).unwrap();
            assert_eq!(got, want, "{}: {}", f.display(), v["id"]);
            risky += usize::from(!want.contains("\"level\":\"safe\""));
            lines += 1;
        }
    }
    assert!(lines > 2000 && risky > 500, "{lines} lines, {risky} risky");
}

#[cfg(feature = "html")]
#[test]
fn reads_every_saved_page_as_the_pack_json_does() {
    let c = bundled();
    let snap = Classifier::from_snapshot(&c.to_snapshot()).unwrap();
    // The site adapters load uncompiled and compile on the first page of their board.
    assert_eq!(snap.sites.compiled(), 0);
    let pages = files("pages", "html");
    assert!(pages.len() >= 13, "{} pages", pages.len());
    let (mut cards, mut by_site) = (0, 0);
    for f in pages {
        let (input, _) = crate::page::html::input_from_bytes(&std::fs::read(&f).unwrap(), None);
        let want = c.read_page(&input).unwrap();
        cards += want.cards.len();
        by_site += usize::from(want.how.starts_with("site:"));
        let (want, got) =
            (serde_json::to_string(&want).unwrap(), serde_json::to_string(&snap.read_page(&input).unwrap()).unwrap());
        assert_eq!(got, want, "{}", f.display());
    }
    assert!(cards > 100, "{cards} cards");
    assert!(by_site > 0, "no saved page was read by a site adapter");
    assert!(
        snap.sites.compiled() > 0 && snap.sites.compiled() < snap.sites.len(),
        "{} compiled",
        snap.sites.compiled()
    );
}

#[test]
fn refuses_other_formats_engines_and_damage_with_the_reason() {
    let snap = bundled().to_snapshot();
    let err = |b: &[u8]| Classifier::from_snapshot(b).map(|_| ()).expect_err("refused");
    assert_eq!(err(b""), SnapshotError::NotSnapshot);
    assert_eq!(err(b"{\"schema\":1}"), SnapshotError::NotSnapshot);
    let mut b = snap.clone();
    b[MAGIC.len()] = FORMAT_VERSION + 1;
    assert_eq!(err(&b), SnapshotError::Format { found: FORMAT_VERSION + 1, expected: FORMAT_VERSION });
    let mut b = snap.clone();
    b[MAGIC.len() + 2] ^= 0x01; // the engine version's first character
    assert!(matches!(err(&b), SnapshotError::Engine { .. }), "{:?}", err(&b));
    let mut b = snap.clone();
    let last = b.len() - 1;
    b[last] ^= 0x40;
    assert_eq!(err(&b), SnapshotError::Checksum);
    let mut b = snap.clone();
    b.push(0);
    assert!(matches!(err(&b), SnapshotError::Length { .. }));
    for cut in (0..snap.len()).step_by(997).chain([snap.len() - 1, body_start(&snap) - 1, body_start(&snap)]) {
        assert!(Classifier::from_snapshot(&snap[..cut]).is_err(), "a snapshot cut at {cut} loads");
    }
}

#[test]
fn forged_and_random_snapshots_are_refused_or_load_and_score_without_panicking() {
    let snap = bundled().to_snapshot();
    let start = body_start(&snap);
    let body = snap.len() - start;
    let texts = [
        "텔레그램 문의 캄보디아 고수익 항공권 지원 월 1000만원",
        "Data entry job, pay $5000 per week, contact t.me/hr_desk now",
    ];
    let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
    let (mut refused, mut loaded) = (0, 0);
    // The pack's section comes first in the body, after its length: ~3% of the body, so it gets rounds of its own.
    let pack_len = 4 + u32::from_le_bytes(snap[start..start + 4].try_into().unwrap()) as usize;
    let (mut pack_refused, mut pack_loaded) = (0, 0);
    for round in 0..400 {
        let mut b = snap.clone();
        // Flip 1-3 bits of the body: a quarter of the rounds in its second half (the compiled matchers' tables), a
        // quarter in the pack's section.
        for _ in 0..1 + rng.usize(..3) {
            let at = match round % 4 {
                0 => snap.len() - 1 - rng.usize(..body / 2),
                1 => start + rng.usize(..pack_len),
                _ => start + rng.usize(..body),
            };
            b[at] ^= 1 << rng.usize(..8);
        }
        reseal(&mut b);
        match Classifier::from_snapshot(&b) {
            Ok(c) => {
                for t in texts {
                    let _ = c.score(&PageInput { text: t.into(), ..PageInput::default() });
                }
                let _ = (c.hotlines("KR", "ko"), c.to_snapshot());
                loaded += 1;
                pack_loaded += usize::from(round % 4 == 1);
            }
            Err(_) => {
                refused += 1;
                pack_refused += usize::from(round % 4 == 1);
            }
        }
    }
    assert!(refused > 10 && loaded > 10, "{refused} refused, {loaded} loaded");
    // Flips in the pack's section are refused (a length, a flag, UTF-8, a float) or load (a changed name or number).
    assert!(pack_refused > 20 && pack_loaded > 20, "pack section: {pack_refused} refused, {pack_loaded} loaded");
    // Random bytes, with and without a valid header in front.
    let head = &snap[..start];
    for len in [0usize, 1, 7, 8, 64, 1000, 100_000] {
        let noise: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        assert!(Classifier::from_snapshot(&noise).is_err());
        let mut b = head.to_vec();
        b.extend_from_slice(&noise);
        let n = (b.len() - start) as u64;
        b[start - 16..start - 8].copy_from_slice(&n.to_le_bytes());
        reseal(&mut b);
        assert!(Classifier::from_snapshot(&b).is_err(), "{len} random body bytes load");
    }
}

#[test]
fn a_regex_that_does_not_compile_never_matches_and_never_panics() {
    // A forged snapshot can carry any regex source: it is compiled on first use and, broken, simply never fires.
    // Take the first dev line on which a regex rule fires, break that regex in the snapshot, score the line again.
    let c = bundled();
    let regex_of = |id: &str| c.pack().rules.iter().find(|r| r.id == id).and_then(|r| r.regex.clone());
    let (input, rule, src) = files("dev", "jsonl")
        .iter()
        .flat_map(|f| std::fs::read_to_string(f).unwrap().lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .find_map(|line| {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let input = PageInput { text: v["text"].as_str().unwrap_or("").to_string(), ..PageInput::default() };
            let verdict = c.score(&input).unwrap();
            let hit = verdict.reasons.iter().find_map(|r| regex_of(&r.rule).map(|src| (r.rule.clone(), src)));
            hit.map(|(rule, src)| (input, rule, src))
        })
        .expect("a regex rule fires on some dev line");
    let mut snap = c.to_snapshot();
    let mut prefixed = (src.len() as u32).to_le_bytes().to_vec();
    prefixed.extend_from_slice(src.as_bytes());
    let at = snap.windows(prefixed.len()).position(|w| w == prefixed).unwrap() + 4;
    snap[at..at + 2].copy_from_slice(b"((");
    reseal(&mut snap);
    let forged = Classifier::from_snapshot(&snap).unwrap();
    let good = Classifier::from_snapshot(&c.to_snapshot()).unwrap();
    assert!(good.score(&input).unwrap().reasons.iter().any(|r| r.rule == rule), "{rule} fires from the snapshot");
    assert!(forged.score(&input).unwrap().reasons.iter().all(|r| r.rule != rule), "{rule} fires though broken");
}
