#!/usr/bin/env bash
# Rust checks: formatting, clippy (native and Wasm), unit and integration tests of the classifier and CLI,
# and the Wasm API's tests in Node (wasm-bindgen-test-runner).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p jobguard --target wasm32-unknown-unknown --lib --no-default-features --features wasm -- -D warnings
cargo test -p jobguard
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p jobguard --target wasm32-unknown-unknown --no-default-features --features wasm,sources --test wasm_api
