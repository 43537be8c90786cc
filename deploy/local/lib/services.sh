# Atelier's own services: built as Quarkus fast-jars, run with the local servers' coordinates.

build_services() {
  local modules; modules=$(runnable_services | awk '{print $4}' | paste -sd, -)
  [ -n "$modules" ] || return 0
  find_jdk; find_maven
  info "building $modules (mvn package, tests skipped; ./atelier test runs them)"
  run_maven -q -DskipTests package -pl "$modules" -am >"$LOGS/build.log" 2>&1 \
    || { tail -n 40 "$LOGS/build.log" >&2; die "build failed; read $LOGS/build.log"; }
}

# A service's management interface (health, metrics, OpenAPI) listens on its port + 1000.
management_port() { echo $(( $1 + 1000 )); }

# service_env SCHEMA PORT: the environment a service process gets for the local servers.
# Locally every service listens on loopback only: the gateway is the one way in.
service_env() {
  local schema=$1 port=$2
  echo "ATELIER_PORT=$port"
  echo "ATELIER_MANAGEMENT_PORT=$(management_port "$port")"
  echo "QUARKUS_HTTP_HOST=127.0.0.1"
  echo "QUARKUS_MANAGEMENT_HOST=127.0.0.1"
  echo "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$ATELIER_PG_PORT/atelier"
  echo "QUARKUS_DATASOURCE_USERNAME=$schema"
  echo "QUARKUS_DATASOURCE_PASSWORD=$(cat "$SECRETS/db/$schema")"
  echo "QUARKUS_REDIS_HOSTS=redis://127.0.0.1:$ATELIER_REDIS_PORT"
  echo "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$ATELIER_KAFKA_PORT"
  echo "ATELIER_SECRETS_DIR=$SECRETS"
  # Where a service keeps files of its own (pipeline-ingest's analytics lake: $DATA/lake).
  echo "ATELIER_DATA_DIR=$DATA"
  # Resource servers fetch auth-service's JWKS from wherever auth-service runs.
  echo "ATELIER_TOKENS_JWKS_URL=http://127.0.0.1:$(services_table | awk '$1 == "auth-service" {print $2}')/.well-known/jwks.json"
  # One Vert.x event loop per core rather than Quarkus' two: here every service, the servers and nginx share the
  # same cores, and the extra loops only added switches between them (bench/workspace's cached list on 2 cores:
  # about 15 % more requests per second and 12 % less CPU per request with 2 loops than with 4).
  echo "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=$(nproc)"
}

service_start() { # service_start NAME PORT SCHEMA MODULE [KEY=VALUE...]: the KEY=VALUEs go into its environment last
  local name=$1 port=$2 schema=$3 module=$4 jar=$ROOT/$4/target/quarkus-app/quarkus-run.jar log=$LOGS/$1.log
  shift 4
  if pid_of "$name" >/dev/null; then ok "$name already running (port $port)"; return 0; fi
  [ -f "$jar" ] || die "$name has no build at $jar; run ./atelier up (it builds) or ./atelier mvn package -DskipTests"
  require_free_port "$name" "$port"
  find_jdk
  info "starting $name on :$port"
  : > "$log"
  (
    while IFS= read -r kv; do export "${kv?}"; done < <(service_env "$schema" "$port")
    for kv in "$@"; do export "${kv?}"; done # (ATELIER_JAVA_OPTS among them sets the JVM's options below)
    cd "$ROOT/$module" && exec setsid nohup "$JAVA_HOME/bin/java" ${ATELIER_JAVA_OPTS:--Xmx384m} -jar "$jar" >>"$log" 2>&1 < /dev/null
  ) &
  echo $! > "$RUN/$name.pid"
}

service_healthy() { # service_healthy NAME PORT
  pid_of "$1" >/dev/null && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(management_port "$2")/q/health/ready")" = 200 ]
}

service_wait() { wait_until "$1" "$LOGS/$1.log" 90 service_healthy "$1" "$2"; ok "$1 ready (pid $(pid_of "$1"), http://localhost:$2)"; }

# ---- more instances of a service: NAME@PORT ------------------------------------------------

# instance_start SERVICE PORT [KEY=VALUE...]: one more instance of a built service, from the same jar and
# with the same environment as the suite's instance, on PORT (management port: management_port PORT),
# plus the KEY=VALUEs (e.g. ATELIER_WORKSPACE_INVITES_LIMIT=1000, or ATELIER_JAVA_OPTS=-Xmx512m for its
# JVM). Its name is SERVICE@PORT: pid file $RUN/SERVICE@PORT.pid, log $LOGS/SERVICE@PORT.log. Waits until
# it is ready. ./atelier stop SERVICE@PORT stops it, ./atelier down too. The gateway does not route to it.
instance_start() {
  local service=$1 port=$2 line name schema module kv; shift 2
  line=$(runnable_services | awk -v n="$service" '$1 == n')
  [ -n "$line" ] || die "unknown service '$service' (a service module that exists: $(runnable_services | awk '{print $1}' | paste -sd' ' -))"
  read -r name _ schema module <<< "$line"
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -gt 0 ] && [ "$(management_port "$port")" -le 65535 ] || die "not a port: '$port'"
  runnable_services | awk -v p="$port" '$2 == p || $2 + 1000 == p || $2 == p + 1000 { found = 1 } END { exit !found }' \
    && die "port $port (or its management port $(management_port "$port")) belongs to a service of the suite"
  for kv in "$@"; do [[ $kv =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "not KEY=VALUE: '$kv'"; done
  if ! pid_of "$name@$port" >/dev/null; then require_free_port "$name@$port" "$(management_port "$port")"; fi
  service_start "$name@$port" "$port" "$schema" "$module" "$@"
  service_wait "$name@$port" "$port"
}

# instances: "NAME@PORT PORT" of every extra instance with a live pid file.
instances() {
  local f name
  for f in "$RUN"/*@*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    pid_of "$name" >/dev/null && echo "$name ${name##*@}"
  done
  return 0
}

instances_down() {
  local name rest
  while read -r name rest; do stop_pid "$name" 30; done < <(instances)
}
