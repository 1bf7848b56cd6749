//! Fuzzes loading a compiled snapshot: any bytes give a typed error or a classifier, never a panic, and a
//! classifier so loaded scores, answers and writes itself again without panicking. A mutated snapshot mostly
//! stops at its checksum here; the unit tests (`src/classifier/snapshot/tests.rs`) forge bodies with the checksum
//! recomputed, so those reach every section.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = jobguard::Classifier::from_snapshot(data) {
        let input = jobguard::PageInput {
            text: "텔레그램 문의, pay $900 per day, t.me/hr_desk".into(),
            ..Default::default()
        };
        let _ = c.score(&input);
        let _ = c.hotlines("KR", "ko");
        let _ = c.to_snapshot();
    }
});
