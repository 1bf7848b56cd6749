//! Near-duplicate texts: MinHash signatures of character 5-grams of a normalised text (case folded,
//! punctuation and whitespace runs made one space, so reposts with other spacing or line breaks match), with
//! `gaoya`'s banded LSH index to find candidate pairs and its signature similarity to confirm them.

use gaoya::minhash::{MinHashIndex, MinHasher, MinHasher32};

/// Estimated Jaccard similarity of shingle sets above which two texts are the same ad.
pub const THRESHOLD: f64 = 0.5;
/// Texts shorter than this (normalised characters) are too short to say.
pub const MIN_CHARS: usize = 40;
const SHINGLE: usize = 5;
const BANDS: usize = 32;
const ROWS: usize = 4;

/// `text` case folded, with every run of non-alphanumeric characters made one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

fn shingles(norm: &str) -> Vec<String> {
    let chars: Vec<char> = norm.chars().collect();
    chars.windows(SHINGLE).map(|w| w.iter().collect()).collect()
}

/// Pairs of positions (the first item of `texts`) whose texts are near duplicates.
pub fn near_duplicate_pairs(texts: &[(usize, &str)]) -> Vec<(usize, usize)> {
    let hasher = MinHasher32::new(BANDS * ROWS);
    let mut index: MinHashIndex<u32, usize> = MinHashIndex::new(BANDS, ROWS, THRESHOLD);
    let mut signed = Vec::new();
    for (id, text) in texts {
        let norm = normalise(text);
        if norm.chars().count() < MIN_CHARS {
            continue;
        }
        let sig = hasher.create_signature(shingles(&norm).iter());
        index.insert(*id, sig.clone());
        signed.push((*id, sig));
    }
    let mut pairs = Vec::new();
    for (id, sig) in &signed {
        for other in index.query(sig) {
            if other > id {
                pairs.push((*id, *other));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_and_case_do_not_matter() {
        assert_eq!(normalise("  Call\tNOW!!  on\n\nTelegram "), "call now on telegram");
    }

    #[test]
    fn small_edits_match_and_other_ads_do_not() {
        let a = "경력 무관 해외 사무직 모집, 월 800만원 보장, 항공권과 숙소 제공, 여권만 있으면 바로 출국 가능합니다";
        let b = "경력무관 해외 사무직 모집!! 월 850만원 보장, 항공권과 숙소 제공,\n여권만 있으면 바로 출국 가능";
        let c = "동네 편의점 야간 아르바이트 구합니다, 주 3일, 시급 10,030원, 역에서 도보 5분 거리입니다 연락 주세요";
        assert_eq!(near_duplicate_pairs(&[(0, a), (1, b), (2, c)]), [(0, 1)]);
        assert!(near_duplicate_pairs(&[(0, "too short"), (1, "too short")]).is_empty());
    }
}
