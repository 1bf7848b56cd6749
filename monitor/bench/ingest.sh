#!/usr/bin/env bash
# Ingest benchmark: 100,000 crawled postings (texts of ../shared/data/dev, read at run time) through
# `jobguard-monitor ingest` on SQLite and on a private PostgreSQL; prints postings/s, cases opened and peak
# memory (GNU time's maximum resident set size), then re-ingests the same file (no new cases expected).
#   monitor/bench/ingest.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
DATA=${JOBGUARD_DATA:-../shared/data/dev}
cargo build --release -p jobguard-monitor --bin jobguard-monitor --example postings
BIN=target/release/jobguard-monitor
work=$(mktemp -d /tmp/jobguard-ingest.XXXXXX)
trap 'rm -rf "$work"' EXIT
target/release/examples/postings "$N" "$DATA" > "$work/postings.jsonl"
echo "postings: $N ($(du -h "$work/postings.jsonl" | cut -f1))"

run() { # $1 label, $2 database URL
  for pass in first again; do
    /usr/bin/time -v "$BIN" --database "$2" ingest "$work/postings.jsonl" > "$work/out.json" 2> "$work/time.txt" \
      || { cat "$work/time.txt" >&2; return 1; }
    local rss
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    echo "$1 ($pass): $(cat "$work/out.json") peak_rss_kb=$rss"
  done
}

run sqlite "sqlite://$work/bench.db"
source monitor/scripts/pg-cluster.sh
pg_cluster_start
trap 'pg_cluster_stop; rm -rf "$work"' EXIT
run postgres "$PG_URL"
