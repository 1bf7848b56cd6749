#!/usr/bin/env bash
# The one entry point.
#   ./build.sh          build everything: CLI, rule pack, Wasm, extension (dist/), monitoring service
#   ./build.sh run      build, then start the monitoring service on 127.0.0.1:8080 (dist/ holds the extension)
#   ./build.sh test     install what is missing, build, and run every test
#   ./build.sh setup    only install the toolchain pieces (wasm target, wasm-bindgen CLI, Debian and npm packages)
set -euo pipefail
cd "$(dirname "$0")"
cmd="${1:-build}"

build() {
  scripts/build-rust.sh
  scripts/build-extension.sh
}

case "$cmd" in
  setup) scripts/setup.sh ;;
  build) scripts/setup.sh; build ;;
  run)
    scripts/setup.sh; build
    echo "Extension: load dist/chromium (or dist/firefox) unpacked. Starting the monitoring service..."
    exec target/release/jobguard-monitor --listen 127.0.0.1:8080 --database sqlite://jobguard-monitor.db
    ;;
  test)
    scripts/setup.sh
    build
    scripts/test-rust.sh
    scripts/test-service.sh
    scripts/test-e2e.sh
    ;;
  *) echo "usage: ./build.sh [build|run|test|setup]" >&2; exit 2 ;;
esac
