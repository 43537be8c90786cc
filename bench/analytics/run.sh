#!/usr/bin/env bash
# pipeline-ingest analytics lake benchmark (issue 13), one command. Phases:
#  1. loader: LOAD_EVENTS enriched product events produced to a bench-only topic, then one more pipeline-ingest
#     instance (./atelier instance, the packaged jar) loads that topic alone into a bench lake (50,000-row batches):
#     rows/s from Kafka to committed Parquet, and the lake's size per million events;
#  2. queries: QUERY_EVENTS events over 30 days generated directly as Parquet with DuckDB in the loader's layout
#     (bench/analytics/LakeBench.java, "generate") and registered in the manifest; a query-only instance answers
#     each endpoint REPS times through HTTP (p50/p99), for a signed-up user (the bench instance runs with
#     atelier.analytics.access=all so that user sees every event);
#  3. PostgreSQL: the same events (same formula) in a throwaway table of the analytics schema with indexes on
#     (topic, occurred_at) and (user_id, occurred_at); the same questions PG_REPS times; the table is dropped.
# Needs the suite's servers and auth-service (./atelier up --detach, or ./atelier infra up + ./atelier start
# auth-service) and a JDK >= 22. Takes /work/BENCH_RUNNING-style lock $BENCH_LOCK while measuring.
# Writes bench/results/analytics-<UTC time>.md.
#     The query phase runs once per QUERY_MODES: 'hours' (counts series over whole hours summed from the manifest's
#     hour counts, the default) and 'files' (atelier.analytics.hour-counts=false: every answer read from the Parquet
#     files); the answers of both are compared (SHA-256 of each body).
# Settings (env): PHASES='load query pg' (any of them) LOAD_EVENTS=1000000 LOAD_RUNS=1 (the load phase this many times,
#   each on a topic and lake of its own, every run reported) LOAD_AS=product (the loader reads the bench topic as it
#   reads events.enriched, atelier.lake.loader.product-topics; 'domain': as a domain topic, CloudEvents headers and
#   the whole value as payload, which is what the runs up to 0711Z measured) QUERY_EVENTS=10000000 REPS=30 PG_REPS=5
#   QUERY_MODES='hours files' PORT=18185 BENCH_LOCK=/work/BENCH_RUNNING JFR= (1: profile the loader instance with JFR)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export ATELIER_HOME=${ATELIER_HOME:-$ROOT/.atelier}
STATE=$ATELIER_HOME
PHASES=${PHASES:-load query pg}
LOAD_EVENTS=${LOAD_EVENTS:-1000000}
LOAD_RUNS=${LOAD_RUNS:-1}
LOAD_AS=${LOAD_AS:-product}
[ "$LOAD_AS" = product ] || [ "$LOAD_AS" = domain ] || { echo "LOAD_AS: product or domain" >&2; exit 1; }
QUERY_EVENTS=${QUERY_EVENTS:-10000000}
REPS=${REPS:-30}
PG_REPS=${PG_REPS:-5}
QUERY_MODES=${QUERY_MODES:-hours files}
PORT=${PORT:-18185}
BENCH_LOCK=${BENCH_LOCK:-/work/BENCH_RUNNING}
AUTH=${AUTH_URL:-http://127.0.0.1:8081}
. "$ROOT/deploy/local/defaults.env"
STAMP=$(date -u +%Y%m%dT%H%MZ)
WORK=$ROOT/bench/.work/analytics-$STAMP; mkdir -p "$WORK" bench/results
OUT=bench/results/analytics-$STAMP.md
fail() { echo "bench/analytics/run.sh: $*" >&2; exit 1; }

JDK=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
JAVA=$JDK/bin/java
[ -x "$JAVA" ] || fail "no JDK >= 22 (set JAVA_HOME)"
jar_of() { ls ~/.m2/repository/$1 2>/dev/null | grep -v sources | sort -V | tail -n1; }
PGJAR=$(jar_of 'org/postgresql/postgresql/*/postgresql-*.jar')
KAFKAJAR=$(jar_of 'org/apache/kafka/kafka-clients/*/kafka-clients-*.jar')
SLF4JJAR=$(jar_of 'org/slf4j/slf4j-api/2.*/slf4j-api-*.jar')
DUCKJAR=$(jar_of 'org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar')
for j in "$PGJAR" "$KAFKAJAR" "$SLF4JJAR" "$DUCKJAR"; do [ -f "$j" ] || fail "a driver is missing from the local Maven repository; build pipeline-ingest first"; done
[[ " $PHASES " != *" query "* ]] || curl -sf "${AUTH/8081/9081}/q/health/ready" >/dev/null \
  || fail "auth-service is not ready (the query phase signs up a user); run ./atelier up --detach"
DB_URL="jdbc:postgresql://127.0.0.1:$ATELIER_PG_PORT/atelier"
DB_PASSWORD=$(cat "$STATE/secrets/db/analytics")
BOOTSTRAP=127.0.0.1:$ATELIER_KAFKA_PORT
CP="$WORK/classes:$PGJAR:$KAFKAJAR:$SLF4JJAR:$DUCKJAR"
"$JDK/bin/javac" -nowarn -d "$WORK/classes" -cp "$CP" bench/analytics/LakeBench.java
bench() { "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" LakeBench "$@"; }

echo "== building pipeline-ingest (package, tests skipped)"
# -am: the platform modules come from this tree, not from whatever another worktree last installed in the shared ~/.m2.
./atelier mvn -q -o package -pl pipeline-ingest -am -DskipTests > "$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log"; fail "build failed"; }

# The machine is shared: take the lock, or wait for whoever holds it.
while [ -e "$BENCH_LOCK" ] && [ "$(cat "$BENCH_LOCK" 2>/dev/null)" != "bench/analytics $$" ]; do
  echo "== waiting for $BENCH_LOCK ($(cat "$BENCH_LOCK" 2>/dev/null))"; sleep 10
done
echo "bench/analytics $$" > "$BENCH_LOCK"
INSTANCE=pipeline-ingest@$PORT
# One topic and one lake per load run: run r loads bench.lake.<stamp>.r into bench-load-<stamp>-r.
topic_of() { echo "bench.lake.$STAMP.$1"; }
lake_of() { echo "bench-load-$STAMP-$1"; }
QUERY_LAKE=bench-query-$STAMP
TABLE=bench_lake_events_${STAMP//[^0-9A-Za-z]/_}
cleanup() {
  ./atelier stop "$INSTANCE" >/dev/null 2>&1 || true
  for r in $(seq 1 "$LOAD_RUNS"); do
    bench drop-topic "$BOOTSTRAP" "$(topic_of "$r")" >/dev/null 2>&1 || true
    bench forget-lake "$DB_URL" analytics "$DB_PASSWORD" "$(lake_of "$r")" >/dev/null 2>&1 || true
  done
  bench forget-lake "$DB_URL" analytics "$DB_PASSWORD" "$QUERY_LAKE" >/dev/null 2>&1 || true
  bench pg-drop "$DB_URL" analytics "$DB_PASSWORD" "$TABLE" >/dev/null 2>&1 || true
  rm -rf "$WORK"/lake-load-* "$WORK/lake-query"
  [ "$(cat "$BENCH_LOCK" 2>/dev/null)" = "bench/analytics $$" ] && rm -f "$BENCH_LOCK"
}
trap cleanup EXIT
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
OTHERS=$(ps -eo pid,pcpu,comm --sort=-pcpu | awk 'NR > 1 && $2 > 5 {print $3 " (" $2 "% CPU)"}' | head -n 8 | paste -sd, -)

has() { [[ " $PHASES " == *" $1 "* ]]; }
if has load; then
for r in $(seq 1 "$LOAD_RUNS"); do
TOPIC=$(topic_of "$r"); LOAD_LAKE=$(lake_of "$r")
echo "== 1. loader, run $r of $LOAD_RUNS: producing $LOAD_EVENTS events to $TOPIC"
bench produce "$BOOTSTRAP" "$TOPIC" "$LOAD_EVENTS" | tee "$WORK/produce-$r.txt"
./atelier instance pipeline-ingest "$PORT" ATELIER_LAKE_DIR="$WORK/lake-load-$r" ATELIER_LAKE_NAME="$LOAD_LAKE" \
  ATELIER_LAKE_LOADER_TOPICS="$TOPIC" ATELIER_LAKE_LOADER_GROUP_ID="bench-$LOAD_LAKE" ATELIER_LAKE_LOADER_START_AT=earliest \
  ATELIER_LAKE_LOADER_PRODUCT_TOPICS="$([ "$LOAD_AS" = product ] && echo "$TOPIC" || echo events.enriched)" \
  ATELIER_JAVA_OPTS="-Xmx768m${JFR:+ -XX:StartFlightRecording=filename=$WORK/load-$r.jfr,settings=profile}" \
  QUARKUS_LOG_CATEGORY__IO_ATELIER_PIPELINE_LAKE__LEVEL=DEBUG > "$WORK/instance-load-$r.log" 2>&1 || { cat "$WORK/instance-load-$r.log"; fail "the loader instance did not start"; }
echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)" > "$WORK/machine-$r.txt"
# What else ran while this run loaded: top's second sample (3 s in, over 2 s), processes above 5% CPU, the suite's
# own named from their pid files (this run's loader among them).
( sleep 3; top -b -n 2 -d 2 -w 200 | awk '/^top -/ { n++ } n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 5 { print $1, $12, $9 }' | head -n 8 \
  | while read -r pid comm cpu; do
      named=$(grep -lx "$pid" "$STATE"/run/*.pid 2>/dev/null | head -n1 | xargs -r basename | sed 's/\.pid$//')
      echo "${named:-$comm} ($cpu% CPU)"
    done | paste -sd, - > "$WORK/top-$r.txt" ) &
TOP_PID=$!
bench await-loaded "$DB_URL" analytics "$DB_PASSWORD" "$LOAD_LAKE" "$LOAD_EVENTS" | tee "$WORK/load-$r.txt"
wait "$TOP_PID" || true
echo "busy=$(cat "$WORK/top-$r.txt" 2>/dev/null)" >> "$WORK/machine-$r.txt"
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/machine-$r.txt"
echo "disk=$(du -sb "$WORK/lake-load-$r" | cut -f1)" >> "$WORK/machine-$r.txt"
# Where a batch's time goes (the loader's debug line per batch): read (poll and map), waited (for the previous
# batch's write before the hand-off), write, commit, publish (on the writer thread, overlapping the next read).
grep -o 'read [0-9]* ms, waited [0-9]* ms, write [0-9]* ms, commit [0-9]* ms, publish [0-9]* ms' "$STATE/logs/$INSTANCE.log" | tail -n 5 > "$WORK/batches-$r.txt" || true
./atelier stop "$INSTANCE" >/dev/null
if [ -n "${JFR:-}" ]; then
  # Where the loader's CPU goes (JFR's execution samples over the whole instance's life, start included).
  for _ in $(seq 1 20); do [ -s "$WORK/load-$r.jfr" ] && break; sleep 1; done
  "$JDK/bin/jfr" view --width 160 hot-methods "$WORK/load-$r.jfr" 2>/dev/null | head -n 30 > "$WORK/hot-$r.txt" || true
fi
bench drop-topic "$BOOTSTRAP" "$TOPIC" >/dev/null 2>&1 || true # the next run's broker serves only its own topic
done
fi

START=2026-10-01; FROM=$START; TO=2026-10-31
if has query; then
echo "== 2. queries: generating $QUERY_EVENTS events over 30 days"
bench generate "$WORK/lake-query" "$QUERY_EVENTS" 30 "$START" "$DB_URL" analytics "$DB_PASSWORD" "$QUERY_LAKE" | tee "$WORK/generate.txt"
for mode in $QUERY_MODES; do
  echo "== 2. queries: counts series from the $mode"
  ./atelier instance pipeline-ingest "$PORT" ATELIER_LAKE_DIR="$WORK/lake-query" ATELIER_LAKE_NAME="$QUERY_LAKE" \
    ATELIER_LAKE_LOADER_ENABLED=false ATELIER_ANALYTICS_ACCESS=all ATELIER_ANALYTICS_HOUR_COUNTS=$([ "$mode" = hours ] && echo true || echo false) \
    ATELIER_JAVA_OPTS=-Xmx768m > "$WORK/instance-query-$mode.log" 2>&1 \
    || { cat "$WORK/instance-query-$mode.log"; fail "the query instance did not start"; }
  if [ -z "${TOKEN:-}" ]; then
    run_id=$(date +%s)
    body=$(curl -sf -H 'Content-Type: application/json' -H "X-Forwarded-For: 100.$((64 + run_id / 60 % 64)).13.$((run_id % 250))" \
      -d "{\"email\":\"lake-bench-$run_id@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"Lake bench\"}" \
      "$AUTH/api/v1/auth/signup") || fail "sign-up failed ($AUTH)"
    TOKEN=$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' <<< "$body")
  fi
  bench http "http://127.0.0.1:$PORT" "$TOKEN" "$FROM" "$TO" "$REPS" "$WORK/answers-$mode.txt" | tee "$WORK/http-$mode.txt"
  ./atelier stop "$INSTANCE" >/dev/null
done
fi

if has pg; then
echo "== 3. PostgreSQL: the same $QUERY_EVENTS events in $TABLE"
bench pg-load "$DB_URL" analytics "$DB_PASSWORD" "$TABLE" "$QUERY_EVENTS" 30 "$START" | tee "$WORK/pg-load.txt"
bench pg-queries "$DB_URL" analytics "$DB_PASSWORD" "$TABLE" "$FROM" "$TO" "$PG_REPS" | tee "$WORK/pg.txt"
fi

val() { sed -n "s/^$2=//p" "$WORK/$1.txt"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
per_million() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.1f", b / 1048576 / (n / 1000000) }'; }
{
  echo "# Analytics lake benchmark, $STAMP"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(uname -sr); JDK $("$JAVA" -version 2>&1 | head -n1)."
  echo "Busy processes at the start (shared machine): ${OTHERS:-none above 5% CPU}; load average at the start $LOAD_START, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bench/analytics/run.sh\` (PHASES='$PHASES' LOAD_EVENTS=$LOAD_EVENTS LOAD_RUNS=$LOAD_RUNS LOAD_AS=$LOAD_AS QUERY_EVENTS=$QUERY_EVENTS REPS=$REPS PG_REPS=$PG_REPS)."
  echo
  if has load; then
  echo "## Loader: Kafka to Parquet"
  echo
  echo "$LOAD_EVENTS enriched product events (~450 bytes of JSON each, 3 partitions) were produced to a bench-only topic"
  echo "first, then one packaged pipeline-ingest instance (\`./atelier instance\`, -Xmx768m) loaded that topic alone with"
  if [ "$LOAD_AS" = product ]; then
    echo "the bench topic read as events.enriched is (\`atelier.lake.loader.product-topics\`: a row from the event's fields,"
    echo "its \`data\` as payload, types page_view and user_action) and"
  else
    echo "the bench topic read as a domain topic (LOAD_AS=domain: CloudEvents headers, the whole value as payload, type"
    echo "pipeline.event.enriched; how every run up to 0711Z loaded it) and"
  fi
  echo "the default batches (50,000 rows or 30 s): each batch parsed, written as Parquet by DuckDB, committed with its"
  echo "offsets in PostgreSQL, renamed into place. The steady rate counts the rows of the batches after the first over the"
  echo "time from the first batch's commit to the second-to-last's (the consumer's start and the last batch, which closes"
  echo "by age 30 s after its first row, excluded). LOAD_RUNS=$LOAD_RUNS: each run on a topic and a lake of its own, one"
  echo "after the other (the previous run's instance stopped and topic dropped first)."
  echo
  echo "| run | rows | batches | live files | steady rows/s | from instance ready to all committed, s | live lake files | per million events | produce, s | load average at the load's start / end | processes above 5% CPU 3-5 s into the load |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in $(seq 1 "$LOAD_RUNS"); do
    echo "| $r | $(val load-$r loaded_rows) | $(val load-$r batches) | $(val load-$r files) | **$(val load-$r steady_rows_per_s)** | $(val load-$r wait_seconds) | $(mb "$(val load-$r lake_bytes)") MiB ($(mb "$(val machine-$r disk)") MiB with what is not yet cleaned up) | $(per_million "$(val load-$r lake_bytes)" "$LOAD_EVENTS") MiB | $(val produce-$r produce_seconds) | $(val machine-$r load_start) / $(val machine-$r load_end) | $(val machine-$r busy) |"
  done
  echo
  echo "Last batches of each run (read = polling and mapping until the batch is full; waited = for the previous batch's"
  echo "write to end before this one is handed to the writer thread; write, commit, publish on the writer thread,"
  echo "overlapping the next batch's read):"
  echo
  for r in $(seq 1 "$LOAD_RUNS"); do
    echo "- run $r: $(paste -sd';' "$WORK/batches-$r.txt" 2>/dev/null)"
  done
  for r in $(seq 1 "$LOAD_RUNS"); do
    if [ -s "$WORK/hot-$r.txt" ]; then
      echo
      echo "JFR of run $r (JFR=1, \`-XX:StartFlightRecording settings=profile\` on the loader instance; \`jfr view hot-methods\`,"
      echo "the instance's whole life including its start):"
      echo
      echo '```'
      cat "$WORK/hot-$r.txt"
      echo '```'
    fi
  done
  echo
  fi
  if has query; then
  echo "## Queries over $QUERY_EVENTS events, 30 days"
  echo
  echo "Generated with DuckDB straight into the loader's layout (one Parquet file per day and type, as after compaction:"
  echo "$(val generate generated_files) files, $(mb "$(val generate generated_bytes)") MiB, $(per_million "$(val generate generated_bytes)" "$QUERY_EVENTS") MiB per million events; $(val generate generate_seconds) s) and registered"
  echo "in the manifest: 80% product events (page_view, user_action; 100,000 users, 200 pages), 10% content.events,"
  echo "10% jobs.status. Each endpoint through HTTP on a query-only instance, $REPS times after one warm-up call,"
  echo "one at a time, for a user who sees every event (\`atelier.analytics.access=all\` on the bench instance)."
  echo "The generated files' hour counts were registered with them, as the loader and compaction record them."
  echo
  for mode in $QUERY_MODES; do
    if [ "$mode" = hours ]; then
      echo "### Counts series from the manifest's hour counts (the default; the other endpoints read the files)"
    else
      echo "### Every answer from the Parquet files (atelier.analytics.hour-counts=false)"
    fi
    echo
    cat "$WORK/http-$mode.txt"
    echo
  done
  if [ -f "$WORK/answers-hours.txt" ] && [ -f "$WORK/answers-files.txt" ]; then
    if cmp -s "$WORK/answers-hours.txt" "$WORK/answers-files.txt"; then
      echo "Both instances gave byte-identical answers to every call (SHA-256 of each body compared)."
    else
      echo "**The answers differ** between the modes: $(diff "$WORK/answers-hours.txt" "$WORK/answers-files.txt" | grep '^[<>]' | cut -f1 | sort -u | paste -sd';' -)."
    fi
    echo
  fi
  fi
  if has pg; then
  echo "## The same questions in PostgreSQL"
  echo
  echo "The same events (same formula: \`LakeBench.duckRows\` and \`pgLoad\`) in an unlogged table of the analytics schema,"
  echo "payload as jsonb, indexes on (topic, occurred_at) and (user_id, occurred_at), analysed: load $(val pg-load pg_load_seconds) s,"
  echo "indexes $(val pg-load pg_index_seconds) s, table $(mb "$(val pg-load pg_table_bytes)") MiB + indexes $(mb "$(val pg-load pg_index_bytes)") MiB."
  echo "Each question $PG_REPS times over JDBC, no HTTP (a question still running after 120 s is cancelled and shown so);"
  echo "the table was dropped afterwards."
  echo
  cat "$WORK/pg.txt"
  fi
} > "$OUT"
echo "== wrote $OUT"; cat "$OUT"
