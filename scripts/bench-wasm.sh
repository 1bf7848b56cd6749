#!/usr/bin/env bash
# Wasm figures in Node: module size (raw, gzipped), cold start (compile + instantiate the module, then compile
# the pack), and scoring 10 KB / 100 KB / 1 MB pages. Prints figures; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/wasm-bench
cargo build --profile wasm-release --target wasm32-unknown-unknown --lib --no-default-features --features wasm
wasm-bindgen --target web --out-dir "$out" --out-name jobguard target/wasm32-unknown-unknown/wasm-release/jobguard.wasm
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue "$out/jobguard_bg.wasm" -o "$out/jobguard_bg.wasm"
[ -f dist/pack.json ] || { cargo build --release --bin jobguard; mkdir -p dist; target/release/jobguard pack build rules/ -o dist/pack.json; }
node benches/wasm-cold-start.mjs "$out" dist/pack.json
