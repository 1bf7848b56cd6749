#!/usr/bin/env bash
# End-to-end tests in a real Chromium (Debian's /usr/bin/chromium driven by playwright-core) with the built
# extension (dist/chromium), the CLI (pack signing) and the monitoring service, and a smoke test of dist/firefox
# in Debian's /usr/bin/firefox-esr (puppeteer-core over WebDriver BiDi); then web-ext lint of dist/firefox.
# Benchmarks are separate: node tests/e2e/bench.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

for f in dist/chromium/manifest.json dist/firefox/manifest.json dist/pack.json target/release/jobguard target/release/jobguard-monitor; do
  [ -e "$f" ] || { echo "test-e2e: $f is missing; run ./build.sh first" >&2; exit 1; }
done
[ -x /usr/bin/chromium ] || { echo "test-e2e: /usr/bin/chromium is missing (scripts/setup.sh installs it)" >&2; exit 1; }
[ -x /usr/bin/firefox-esr ] || { echo "test-e2e: /usr/bin/firefox-esr is missing (scripts/setup.sh installs it)" >&2; exit 1; }

# One test file at a time: each launches its own browser, and the machine has two cores.
# Each wait in the tests has its own time-out; the whole run is bounded too, so a hung browser cannot stall CI
# (node 20's --test-timeout cancels a file but then waits for it forever).
timeout --kill-after=10 900 node --test --test-concurrency=1 tests/e2e/

npx --no-install web-ext lint --source-dir dist/firefox --self-hosted --no-input
