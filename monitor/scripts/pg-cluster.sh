# Sourced by scripts/test-service.sh and monitor/bench/loadtest.sh: a private, throw-away PostgreSQL cluster.
# pg_cluster_start: initdb into a temp dir (as the postgres user when run as root: initdb and postgres refuse
# root), listen on 127.0.0.1 on a free port with the socket in the same dir, trust auth (local, temporary),
# sets PG_URL and PG_VERSION, and stops and removes the cluster when the shell exits.

pg_cluster_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "PostgreSQL is not installed: run scripts/setup.sh (or apt-get install postgresql)" >&2
    return 1
  fi
  PG_VERSION=$("$bindir/postgres" --version | awk '{print $3}')
  PG_DIR=$(mktemp -d /tmp/jobguard-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  # A free port: the first from a random start that nothing answers on.
  local port=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  PG_PORT=$port
  "${as[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  PG_BINDIR=$bindir
  PG_AS=("${as[@]}")
  trap pg_cluster_stop EXIT
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=200 -c shared_buffers=128MB" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

pg_cluster_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
