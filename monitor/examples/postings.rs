//! Writes N crawled postings as JSON lines (url, title, text) for the ingest benchmark
//! (`monitor/bench/ingest.sh`): the texts of `../shared/data/dev/*.jsonl` (read at run time, never copied into
//! the repository), each on its own URL across 50 hosts, cycled until N.
//! Usage: cargo run --release -p jobguard-monitor --example postings -- N DATA_DIR > postings.jsonl

use std::io::{BufRead, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = args.get(2).map(String::as_str).unwrap_or("../shared/data/dev");
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("the data directory").flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files.iter().filter(|p| p.extension().is_some_and(|e| e == "jsonl")) {
        for line in std::io::BufReader::new(std::fs::File::open(f).expect("a data file")).lines().map_while(Result::ok)
        {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
            let text = v["text"].as_str().unwrap_or("").to_string();
            if !text.is_empty() {
                texts.push((v["title"].as_str().unwrap_or("").to_string(), text));
            }
        }
    }
    assert!(!texts.is_empty(), "no texts in {dir}");
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for i in 0..n {
        let (title, text) = &texts[i % texts.len()];
        let url = format!("https://board{}.example/jobs/{i}", i % 50);
        writeln!(out, "{}", serde_json::json!({ "url": url, "title": title, "text": text })).expect("stdout");
    }
}
