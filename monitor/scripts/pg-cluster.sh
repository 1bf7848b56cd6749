# Sourced by scripts/test-service.sh and monitor/bench/loadtest.sh: a private, throw-away PostgreSQL cluster.
# pg_cluster_start: initdb into a temp dir (as the postgres user when run as root: initdb and postgres refuse
# root), listen on 127.0.0.1 on a free port with the socket in the same dir, trust auth (local, temporary),
# TLS required on TCP (a throw-away CA and server certificate made with openssl; plain TCP is rejected, so every
# test proves the service's TLS path), sets PG_URL (verify-full against that CA), PG_URL_PARAMS, PG_PLAIN_URL
# (sslmode=disable, for the test that plain TCP is refused) and PG_VERSION, and stops and removes the cluster
# when the shell exits.

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
  pg_cluster_certs "$PG_DIR" || return 1
  # Local socket for the tools; TCP only over TLS.
  printf '%s\n' "local all all trust" "hostssl all all 127.0.0.1/32 trust" "hostnossl all all 127.0.0.1/32 reject" \
    >"$PG_DIR/data/pg_hba.conf"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PG_DIR"; fi
  PG_BINDIR=$bindir
  PG_AS=("${as[@]}")
  trap pg_cluster_stop EXIT
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=200 -c shared_buffers=128MB -c ssl=on -c ssl_cert_file=$PG_DIR/server.crt -c ssl_key_file=$PG_DIR/server.key" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_URL_PARAMS="sslmode=verify-full&sslrootcert=$PG_DIR/ca.crt"
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres?$PG_URL_PARAMS"
  PG_PLAIN_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

# A CA and a server certificate for 127.0.0.1 in directory $1 (valid two days: the cluster is throw-away).
pg_cluster_certs() {
  local d=$1
  {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=JobGuard test CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
      -keyout "$d/ca.key" -out "$d/ca.crt" &&
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$d/server.key" -out "$d/server.csr" &&
      openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
        -extfile <(printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "extendedKeyUsage=serverAuth") \
        -out "$d/server.crt"
  } >"$d/openssl.log" 2>&1 || { cat "$d/openssl.log" >&2; return 1; }
  chmod 600 "$d/server.key" "$d/ca.key"
  chmod 644 "$d/ca.crt"
}

pg_cluster_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_AS[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
