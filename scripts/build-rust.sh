#!/usr/bin/env bash
# Native build: the jobguard CLI, the monitoring service, and the rule pack from rules/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --workspace
mkdir -p dist
target/release/jobguard pack build rules/ -o dist/pack.json
