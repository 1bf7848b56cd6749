#!/usr/bin/env bash
# Load test of jobguard-monitor on this machine, loopback only, bounded in time:
#   1. reports/s and latency (p50/p90/p99) on SQLite, then on PostgreSQL (a private cluster, started here);
#   2. kill -9 of the service in the middle of the load, on each backend, then a check that every report the
#      service acknowledged with 201 is in the database;
#   3. SIGTERM in the middle of the load: a clean exit, and again every acknowledged report stored.
# Usage: monitor/bench/loadtest.sh        (RUN_SECONDS=15 CONCURRENCY=32 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUN_SECONDS=${RUN_SECONDS:-15}
CONCURRENCY=${CONCURRENCY:-32}

cargo build --release -p jobguard-monitor --bin jobguard-monitor --example loadgen
BIN=target/release/jobguard-monitor
GEN=target/release/examples/loadgen

source monitor/scripts/pg-cluster.sh
pg_cluster_start
WORK=$(mktemp -d /tmp/jobguard-load.XXXXXX)
SVC_PID=
cleanup() {
  if [ -n "$SVC_PID" ]; then kill -9 "$SVC_PID" 2>/dev/null || true; fi
  pg_cluster_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

# start_service DB_URL: starts the service, sets SVC_PID and ADDR (from stdout's first line).
start_service() {
  : >"$WORK/out"
  "$BIN" --listen 127.0.0.1:0 --database "$1" --reports-per-minute 0 >"$WORK/out" 2>>"$WORK/service.log" &
  SVC_PID=$!
  for _ in $(seq 100); do
    if [ -s "$WORK/out" ]; then break; fi
    sleep 0.1
  done
  ADDR=$(head -1 "$WORK/out" | sed 's/^listening on //')
  [ -n "$ADDR" ] || { echo "service did not start:"; cat "$WORK/service.log"; exit 1; }
}

stop_service() {
  kill -TERM "$SVC_PID"
  wait "$SVC_PID" || true
  SVC_PID=
}

new_pg_db() {
  "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$1"
  echo "postgres://postgres@127.0.0.1:$PG_PORT/$1?$PG_URL_PARAMS"
}

echo "== machine: $(nproc) cores; PostgreSQL $PG_VERSION; concurrency $CONCURRENCY; $RUN_SECONDS s per run"
for backend in sqlite postgres; do
  if [ $backend = sqlite ]; then DB="sqlite://$WORK/load.db"; else DB=$(new_pg_db load); fi
  start_service "$DB"
  "$GEN" run --url "$ADDR" --concurrency 8 --seconds 2 >/dev/null   # warm-up
  echo "== throughput, $backend"
  "$GEN" run --url "$ADDR" --concurrency "$CONCURRENCY" --seconds "$RUN_SECONDS"
  stop_service
done

for backend in sqlite postgres; do
  if [ $backend = sqlite ]; then DB="sqlite://$WORK/kill.db"; else DB=$(new_pg_db kill); fi
  start_service "$DB"
  echo "== kill -9 during load, $backend"
  "$GEN" run --url "$ADDR" --concurrency "$CONCURRENCY" --seconds 30 --acked "$WORK/acked-$backend" &
  GEN_PID=$!
  sleep 4
  kill -9 "$SVC_PID"
  wait "$SVC_PID" 2>/dev/null || true
  SVC_PID=
  wait "$GEN_PID" || true
  "$GEN" verify --database "$DB" --acked "$WORK/acked-$backend"
done
echo "== SIGTERM during load (graceful shutdown), sqlite"
DB="sqlite://$WORK/term.db"
start_service "$DB"
"$GEN" run --url "$ADDR" --concurrency "$CONCURRENCY" --seconds 30 --acked "$WORK/acked-term" &
GEN_PID=$!
sleep 4
t0=$(date +%s.%N)
kill -TERM "$SVC_PID"
code=0; wait "$SVC_PID" || code=$?
SVC_PID=
echo "service exited with code $code, $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s after SIGTERM"
wait "$GEN_PID" || true
"$GEN" verify --database "$DB" --acked "$WORK/acked-term"
[ "$code" = 0 ] || { echo "graceful shutdown failed"; exit 1; }
echo "== load test done"
