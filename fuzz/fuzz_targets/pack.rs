//! Fuzzes pack parsing and compilation, and signed-envelope checking: any bytes give a clear error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = jobguard::Classifier::from_json(s);
        let key = jobguard::signing::parse_verifying_key("A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=");
        if let Ok(k) = key {
            let _ = jobguard::signing::verify_signed(s, &[k], 0, 0);
        }
    }
});
