#!/usr/bin/env bash
# job-worker benchmark (issue 11): no-op jobs end to end (submitted over HTTP, run to SUCCEEDED) on the
# suite's PostgreSQL, whose durability settings the results record. Phases: pickup latency on an idle
# worker (PICKUP_JOBS one at a time); BATCH_JOBS submitted over HTTP in batches of PER_BATCH
# (POST /api/v1/jobs/batch, CONCURRENCY requests at once); REQUEST_JOBS submitted in batches (produced to jobs.requests as
# CloudEvents, as other services do, batched by the Kafka producer); HTTP_JOBS submitted one by one by
# CONCURRENCY clients to one instance; the same with a second instance (./atelier instance job-worker SECOND_PORT) sharing the
# work; and the kill -9 run: KILL_JOBS with both instances, the second killed with SIGKILL once
# KILL_AFTER jobs have succeeded (its leased jobs must be taken again once their lease lapses: jobs lost
# must be 0; jobs started more than once are reported). Each phase signs up its own user, so its jobs
# are told apart by owner; figures come from the jobs table's own timestamps (bench/jobs/JobsBench.java).
# Needs the suite running (./atelier up --detach) and a JDK >= 22. Writes bench/results/jobs-<UTC time>.md.
# Settings (env): PICKUP_JOBS=200 BATCH_JOBS=50000 PER_BATCH=100 REQUEST_JOBS=50000 HTTP_JOBS=20000 CONCURRENCY=50 KILL_JOBS=10000 KILL_AFTER=3000 SECOND_PORT=8094
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export ATELIER_HOME=${ATELIER_HOME:-$ROOT/.atelier}
STATE=$ATELIER_HOME
JOBS_URL=${JOBS_URL:-http://127.0.0.1:8084}
AUTH=${AUTH_URL:-http://127.0.0.1:8081}
PICKUP_JOBS=${PICKUP_JOBS:-200}
REQUEST_JOBS=${REQUEST_JOBS:-50000}
BATCH_JOBS=${BATCH_JOBS:-50000}
PER_BATCH=${PER_BATCH:-100}
HTTP_JOBS=${HTTP_JOBS:-20000}
CONCURRENCY=${CONCURRENCY:-50}
KILL_JOBS=${KILL_JOBS:-10000}
KILL_AFTER=${KILL_AFTER:-3000}
SECOND_PORT=${SECOND_PORT:-8094}
SECOND_NAME=job-worker@$SECOND_PORT
. "$ROOT/deploy/local/defaults.env"
WORK=$ROOT/bench/.work/jobs; mkdir -p "$WORK" bench/results
STAMP=$(date -u +%Y%m%dT%H%MZ)
OUT=bench/results/jobs-$STAMP.md
fail() { echo "bench/jobs/run.sh: $*" >&2; exit 1; }

JDK=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
JAVA=$JDK/bin/java
[ -x "$JAVA" ] || fail "no JDK >= 22 (set JAVA_HOME)"
PGJAR=$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | grep -v sources | sort -V | tail -n1)
[ -f "$PGJAR" ] || fail "no PostgreSQL JDBC driver in the local Maven repository; build the suite first (./atelier up --detach)"
KAFKAJAR=$(ls ~/.m2/repository/org/apache/kafka/kafka-clients/*/kafka-clients-*.jar 2>/dev/null | grep -v sources | sort -V | tail -n1)
SLF4JJAR=$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.*/slf4j-api-*.jar 2>/dev/null | grep -v sources | sort -V | tail -n1)
[ -f "$KAFKAJAR" ] && [ -f "$SLF4JJAR" ] || fail "no kafka-clients or slf4j-api 2 in the local Maven repository; build the suite first"
curl -sf "http://127.0.0.1:9084/q/health/ready" >/dev/null || fail "job-worker is not ready; run ./atelier up --detach"
curl -sf "http://127.0.0.1:9081/q/health/ready" >/dev/null || fail "auth-service is not ready; run ./atelier up --detach"
DB_URL="jdbc:postgresql://127.0.0.1:$ATELIER_PG_PORT/atelier"
DB_PASSWORD=$(cat "$STATE/secrets/db/jobs")
CP="$WORK/classes:$PGJAR:$KAFKAJAR:$SLF4JJAR"
"$JDK/bin/javac" -d "$WORK/classes" -cp "$CP" bench/jobs/JobsBench.java bench/jobs/RequestsBench.java
bench() { "$JAVA" -cp "$CP" JobsBench "$@"; }

# The database's durability, as the services' connections see it.
cat > "$WORK/Settings.java" <<JAVA
public class Settings { public static void main(String[] a) throws Exception {
  try (var c = java.sql.DriverManager.getConnection(a[0], a[1], a[2])) {
    for (String s : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
      try (var r = c.createStatement().executeQuery("SHOW " + s)) { r.next(); System.out.print(s + "=" + r.getString(1) + " "); }
    } } } }
JAVA
DURABILITY=$("$JAVA" -cp "$PGJAR" "$WORK/Settings.java" "$DB_URL" jobs "$DB_PASSWORD")
echo "== PostgreSQL: $DURABILITY"

run_id=$(date +%s)
signup() { # signup N -> "userId accessToken" (each from its own X-Forwarded-For address: sign-ups are limited per address)
  local body
  body=$(curl -sf -H 'Content-Type: application/json' -H "X-Forwarded-For: 100.$((64 + run_id / 60 % 64)).9.$1" \
    -d "{\"email\":\"jobs-bench-$run_id-$1@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"Jobs bench $1\"}" \
    "$AUTH/api/v1/auth/signup") || fail "sign-up failed ($AUTH)"
  printf '%s %s\n' "$(sed -n 's/.*"user":{[^}]*"id":"\([^"]*\)".*/\1/p' <<< "$body")" \
    "$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' <<< "$body")"
}
# CPU accounting, so figures taken on a shared machine still say what a job costs: clock ticks used by
# job-worker (every instance), by PostgreSQL (the postmaster, its live children and those that exited) and by
# the whole machine (busy and idle), read from /proc before and after each phase.
ticks_of() { [ -r "/proc/$1/stat" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
workers_ticks() {
  local sum=0 f
  for f in "$STATE/run/job-worker.pid" "$STATE/run/$SECOND_NAME.pid"; do
    [ -s "$f" ] && sum=$((sum + $(ticks_of "$(cat "$f")")))
  done
  echo "$sum"
}
postgres_ticks() {
  local pm sum child
  pm=$(head -n1 "$STATE/run/postgres.pid")
  sum=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for child in $(cat /proc/"$pm"/task/*/children 2>/dev/null); do sum=$((sum + $(ticks_of "$child"))); done
  echo "$sum"
}
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat; } # busy idle
cpu_snapshot() { echo "$(workers_ticks) $(postgres_ticks) $(machine_ticks)"; }
cpu_report() { # cpu_report NAME BEFORE AFTER [KILLED]: per 1,000 jobs of the phase, and the machine's busy share
  local hz jobs
  hz=$(getconf CLK_TCK)
  jobs=$(sed -n 's/^succeeded=//p' "$WORK/$1.txt")
  awk -v hz="$hz" -v jobs="${jobs:-0}" -v b="$2" -v a="$3" -v killed="${4:-0}" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    busy = y[3] - x[3]; idle = y[4] - x[4];
    per = jobs > 0 ? 1000 / jobs : 0;
    share = (busy + idle > 0) ? 100 * busy / (busy + idle) : 0;
    worker = y[1] - x[1];
    # A worker killed during the phase takes its ticks with it: its figure would be wrong, so there is none.
    printf "cpu_worker_s_per_1000=%s\ncpu_postgres_s_per_1000=%.2f\nmachine_busy_pct=%.0f\n",
      worker < 0 || killed ? "n/a" : sprintf("%.2f", worker / hz * per), (y[2] - x[2]) / hz * per, share }' >> "$WORK/$1.txt"
}
phase() { # phase NAME N MODE ARGS...: one user, one JobsBench run, its key=value lines into $WORK/NAME.txt
  local name=$1 n=$2 user token before; shift 2
  read -r user token < <(signup "$n")
  echo "== $name"
  before=$(cpu_snapshot)
  bench "$1" "$JOBS_URL" "$token" "$user" "$DB_URL" jobs "$DB_PASSWORD" "${@:2}" | tee "$WORK/$name.txt"
  cpu_report "$name" "$before" "$(cpu_snapshot)" "$([ "$name" = kill-9 ] && echo 1 || echo 0)"
}
val() { sed -n "s/^$2=//p" "$WORK/$1.txt"; }
stop_second() {
  if [ -s "$STATE/run/$SECOND_NAME.pid" ] && [ -d "/proc/$(cat "$STATE/run/$SECOND_NAME.pid")" ]; then ./atelier stop "$SECOND_NAME" >/dev/null; fi
}
trap stop_second EXIT
stop_second

# Warm-up (JIT): discarded.
phase warmup 1 throughput 5000 "$CONCURRENCY" > /dev/null
phase pickup 2 pickup "$PICKUP_JOBS"
phase batches 7 batches "$BATCH_JOBS" "$CONCURRENCY" "$PER_BATCH"
read -r requests_user _ < <(signup 6)
echo "== requests"
before=$(cpu_snapshot)
"$JAVA" -cp "$CP" RequestsBench "127.0.0.1:$ATELIER_KAFKA_PORT" "$requests_user" "$DB_URL" jobs "$DB_PASSWORD" "$REQUEST_JOBS" 2>/dev/null \
  | tee "$WORK/requests.txt"
cpu_report requests "$before" "$(cpu_snapshot)"
phase one-instance 3 throughput "$HTTP_JOBS" "$CONCURRENCY"
echo "== starting $SECOND_NAME"
./atelier instance job-worker "$SECOND_PORT" > "$WORK/second.log" 2>&1 || { cat "$WORK/second.log"; fail "the second instance did not start"; }
phase two-instances 4 throughput "$HTTP_JOBS" "$CONCURRENCY"
SECOND_PID=$(cat "$STATE/run/$SECOND_NAME.pid")
phase kill-9 5 throughput "$KILL_JOBS" "$CONCURRENCY" "$SECOND_PID" "$KILL_AFTER"

row() { # row PHASE INSTANCES
  printf '| %s | %s | %s | %s | %s / %s ms | %s | %s | %s / %s ms | %s | %s | %s / %s s | %s %% |\n' "$1" "$2" "$(val "$1" accepted)" "$(val "$1" submit_rate)" \
    "$(val "$1" submit_p50_ms)" "$(val "$1" submit_p99_ms)" "$(val "$1" end_to_end_rate)" "$(val "$1" wall_seconds)" "$(val "$1" wait_p50_ms)" "$(val "$1" wait_p99_ms)" \
    "$(val "$1" lost)" "$(val "$1" started_more_than_once)" "$(val "$1" cpu_worker_s_per_1000)" "$(val "$1" cpu_postgres_s_per_1000)" \
    "$(val "$1" machine_busy_pct)"
}
{
  echo "# job-worker benchmark $STAMP"
  echo
  echo "Commit $(git rev-parse --short HEAD); $(nproc) cores; PostgreSQL: $DURABILITY(the suite's server, as ./atelier up starts it)."
  echo "No-op jobs, one HTTP request each (\`POST /api/v1/jobs\`), $CONCURRENCY clients at once, straight to job-worker"
  echo "on :8084 (not through nginx). Rates and latencies come from the jobs table's timestamps:"
  echo "end-to-end = succeeded / (last finished_at - first created_at); wait = started_at - created_at."
  echo
  echo "Batches: $REQUEST_JOBS no-op job requests produced to \`jobs.requests\` (binary CloudEvents, acks=all, linger 5 ms)"
  echo "at $(val requests produce_rate)/s; end to end $(val requests end_to_end_rate) jobs/s over $(val requests end_to_end_seconds) s"
  echo "(first produced to all done: $(val requests wall_seconds) s)"
  echo "($(val requests succeeded) succeeded, $(val requests lost) lost, $(val requests unfinished_after_wait) unfinished when the run stopped"
  echo "waiting; wait p50 $(val requests wait_p50_ms) ms, p99 $(val requests wait_p99_ms) ms; one instance;"
  echo "CPU per 1,000 jobs: job-worker $(val requests cpu_worker_s_per_1000) s, PostgreSQL $(val requests cpu_postgres_s_per_1000) s; machine busy $(val requests machine_busy_pct) %)."
  echo
  echo "| phase | instances | jobs accepted | submits/s | submit p50 / p99 | end-to-end jobs/s | first submit to all done, s | wait p50 / p99 | lost | started more than once | CPU per 1,000 jobs: job-worker / PostgreSQL | machine busy |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  row batches "1, $PER_BATCH jobs per POST /api/v1/jobs/batch (submit latency per request)"
  row one-instance 1
  row two-instances 2
  row kill-9 "2, one killed after $KILL_AFTER succeeded ($(val kill-9 killed_with_running) running then)"
  echo
  echo "Pickup on an idle worker ($PICKUP_JOBS jobs one at a time, 20-80 ms apart): p50 $(val pickup pickup_p50_ms) ms,"
  echo "p99 $(val pickup pickup_p99_ms) ms, max $(val pickup pickup_max_ms) ms (target p99 <= 50 ms)."
  echo
  echo "After the kill -9 run: $(val kill-9 left_running) left RUNNING, $(val kill-9 other_status) in another state than SUCCEEDED,"
  echo "$(val kill-9 unfinished_after_wait) unfinished when the run stopped waiting."
  echo
  echo "CPU columns: clock ticks from /proc over the phase (job-worker: every instance; PostgreSQL: the postmaster,"
  echo "its live backends and those that exited), per 1,000 jobs that succeeded in it; machine busy from /proc/stat."
  echo "Other busy processes at the end: $(ps -eo pcpu=,comm= --sort=-pcpu | head -n 4 | awk '{printf "%s %s%%; ", $2, $1}')"
  echo
  echo "Target (issue 11): BullMQ's ~10,000 no-op jobs/s end to end (50,000 jobs, concurrency 50, Redis without"
  echo "persistence) on this machine; pickup p99 <= 50 ms."
} > "$OUT"
echo "== wrote $OUT"; cat "$OUT"
