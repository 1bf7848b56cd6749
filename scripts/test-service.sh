#!/usr/bin/env bash
# The monitoring service's tests: unit tests, and the HTTP integration tests against a real SQLite file and a
# real PostgreSQL. Starts a private PostgreSQL cluster (Debian's postgresql, initdb into a temp dir, listening
# on 127.0.0.1 only, on a free port), points TEST_DATABASE_URL at it, runs the tests, and stops it on exit.
#   scripts/test-service.sh            run the tests
#   scripts/test-service.sh --pg-only  only start the cluster and print its URL (Ctrl-C stops it)
set -euo pipefail
cd "$(dirname "$0")/.."

source monitor/scripts/pg-cluster.sh
pg_cluster_start
echo "test-service: PostgreSQL $PG_VERSION on $PG_URL"

if [ "${1:-}" = "--pg-only" ]; then
  echo "TEST_DATABASE_URL=$PG_URL"
  while sleep 3600; do :; done
fi

export TEST_DATABASE_URL="$PG_URL" TEST_DATABASE_PLAIN_URL="$PG_PLAIN_URL"
cargo test -p jobguard-monitor
