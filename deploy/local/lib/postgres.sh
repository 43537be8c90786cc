# PostgreSQL >= 15: one cluster, database 'atelier', one login role and schema per service.

PG_MIN=15

pg_bindir() {
  local d best= v
  for d in /usr/lib/postgresql/*/bin; do
    v=$(basename "$(dirname "$d")"); [[ $v =~ ^[0-9]+$ ]] || continue
    [ "$v" -ge "$PG_MIN" ] && [ -x "$d/postgres" ] && best=$d
  done
  if [ -n "$best" ]; then echo "$best"; fi
}

ensure_postgres_installed() {
  PG_BIN=$(pg_bindir)
  if [ -z "$PG_BIN" ]; then
    apt_install postgresql postgresql-client
    PG_BIN=$(pg_bindir)
    [ -n "$PG_BIN" ] || die "PostgreSQL >= $PG_MIN is not installed and apt did not provide it."
  fi
}

# PostgreSQL refuses to run as root: as root we run it as the 'postgres' user.
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_paths() {
  PG_HOME=$(shared_home)/postgres
  PG_DATA=$PG_HOME/data
  PG_SOCK=$PG_HOME/socket
  PG_LOG=$PG_HOME/postgres.log
}

psql_admin() { PGOPTIONS='-c client_min_messages=warning' "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$ATELIER_PG_PORT" -U postgres "$@"; }

postgres_start() {
  ensure_postgres_installed; pg_paths
  # Already running: still create the roles and schemas of lines added to the services file since.
  if pid_of postgres >/dev/null; then postgres_bootstrap; ok "postgres already running (port $ATELIER_PG_PORT)"; return 0; fi
  mkdir -p "$PG_SOCK"
  if is_root; then chown -R postgres:postgres "$PG_HOME"; fi
  ln -sf "$PG_LOG" "$LOGS/postgres.log"
  # A server of ours left behind without its pid file (e.g. a killed test run): adopt it.
  if [ -s "$PG_DATA/postmaster.pid" ]; then
    local old; old=$(head -n1 "$PG_DATA/postmaster.pid")
    if kill -0 "$old" 2>/dev/null && port_open "$ATELIER_PG_PORT"; then
      echo "$old" > "$RUN/postgres.pid"; ok "postgres already running (pid $old, adopted)"; postgres_bootstrap; return 0
    fi
  fi
  require_free_port postgres "$ATELIER_PG_PORT"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    info "initialising PostgreSQL cluster in $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --no-locale \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/postgres-initdb.log" 2>&1 \
      || die "initdb failed; see $LOGS/postgres-initdb.log"
  fi
  info "starting postgres on 127.0.0.1:$ATELIER_PG_PORT"
  # Durable, as in production: fsync, full page writes and synchronous commit stay on (PostgreSQL's
  # defaults), so what a service acknowledged is on disk. Tests opt out per connection instead
  # (synchronous_commit=off in platform/testing's JDBC URL): their commits do not wait for the disk.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start -o "-p $ATELIER_PG_PORT \
      -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_SOCK -c unix_socket_permissions=0700 \
      -c max_connections=200" >/dev/null 2>&1 \
    || { tail -n 20 "$PG_LOG" >&2; die "postgres failed to start on port $ATELIER_PG_PORT; read $PG_LOG"; }
  head -n1 "$PG_DATA/postmaster.pid" > "$RUN/postgres.pid"
  wait_until postgres "$PG_LOG" 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$ATELIER_PG_PORT"
  postgres_bootstrap
  ok "postgres ready (pid $(pid_of postgres), port $ATELIER_PG_PORT)"
}

# Database, roles and schemas; idempotent. Passwords are generated once into .atelier/secrets/db/.
postgres_bootstrap() {
  mkdir -p "$SECRETS/db"; chmod 700 "$SECRETS" "$SECRETS/db"
  psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'atelier'" | grep -q 1 \
    || psql_admin -d postgres -c "CREATE DATABASE atelier"
  local sql="REVOKE ALL ON DATABASE atelier FROM PUBLIC; REVOKE ALL ON SCHEMA public FROM PUBLIC;"
  local name port schema module pw
  while read -r name port schema module; do
    [ -s "$SECRETS/db/$schema" ] || { random_secret > "$SECRETS/db/$schema"; chmod 600 "$SECRETS/db/$schema"; }
    pw=$(cat "$SECRETS/db/$schema")
    sql+="
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$schema') THEN CREATE ROLE \"$schema\" LOGIN; END IF;
END \$\$;
ALTER ROLE \"$schema\" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$pw';
ALTER ROLE \"$schema\" SET search_path = \"$schema\";
GRANT CONNECT ON DATABASE atelier TO \"$schema\";
CREATE SCHEMA IF NOT EXISTS \"$schema\" AUTHORIZATION \"$schema\";
REVOKE ALL ON SCHEMA \"$schema\" FROM PUBLIC;"
  done < <(services_table)
  printf '%s\n' "$sql" | psql_admin -d atelier >/dev/null || die "could not create roles and schemas; see output above"
}

postgres_stop() {
  ensure_postgres_installed; pg_paths
  pid_of postgres >/dev/null || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || stop_pid postgres 30
  rm -f "$RUN/postgres.pid"; ok "stopped postgres"
}

postgres_healthy() { "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$ATELIER_PG_PORT"; }
