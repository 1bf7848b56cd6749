//! Fuzzes scoring with the bundled pack: arbitrary text never panics, and every match falls on character
//! boundaries of the input's UTF-16.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static CLASSIFIER: OnceLock<jobguard::Classifier> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let c = CLASSIFIER.get_or_init(|| jobguard::Classifier::new(jobguard::bundled::pack().unwrap()).unwrap());
    let text = String::from_utf8_lossy(data).into_owned();
    let input = jobguard::PageInput { text: text.clone(), ..Default::default() };
    let v = c.score(&input).expect("scoring text never fails");
    let units: Vec<u16> = text.encode_utf16().collect();
    for m in v.matches {
        assert!(m.start < m.end && (m.end as usize) <= units.len());
        assert!(String::from_utf16(&units[..m.start as usize]).is_ok(), "start inside a surrogate pair");
        assert!(String::from_utf16(&units[m.start as usize..m.end as usize]).is_ok(), "end inside a surrogate pair");
    }
});
