//! Embeds the rule sources of `rules/` into the crate, so the CLI and the service have a pack without files, and
//! writes the compact NFKC tables (`build/nfkc.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "build/nfkc.rs"]
mod nfkc;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from("/// Rule sources embedded at build time: (path relative to rules/, TOML text).\n");
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f.strip_prefix(&root).expect("below rules/").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({rel:?}, include_str!({:?})),", f.display().to_string()).expect("write to string");
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out_dir.join("bundled_rules.rs"), code).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=build/nfkc.rs");
    nfkc::generate(&out_dir);
}
