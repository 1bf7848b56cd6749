#!/usr/bin/env bash
# Rust checks: formatting, clippy, unit and integration tests of the classifier and CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test -p jobguard
