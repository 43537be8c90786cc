#!/usr/bin/env bash
# pipeline-ingest benchmark (issue 12). In one run, on the suite's broker: Kafka's own producer performance tool
# (org.apache.kafka.tools.ProducerPerformance, acks=all, idempotent, the record size of one intake event) next to
# batched intake over HTTP (POST /api/v1/events/batch, PER_BATCH events per request, CONCURRENCY clients, acks=all as
# always); single-event POST latency (SINGLE_EVENTS one at a time, after a warm-up); end-to-end latency from before the
# POST to the record on events.enriched (E2E_EVENTS at E2E_RATE/s, read_committed). Events go to a bench instance of
# pipeline-ingest (./atelier instance pipeline-ingest BENCH_PORT) with a write key of its own and rate limits out of the
# way, and a Streams application id of its own that starts at the end of events.raw (so it does not replay history).
# Needs Kafka and Redis running (./atelier up --detach, or ./atelier infra up) and pipeline-ingest built
# (./atelier mvn -o package -pl pipeline-ingest -am -DskipTests). Writes bench/results/ingest-<UTC time>.md.
# Settings (env): RAW_EVENTS=300000 BATCH_EVENTS=300000 PER_BATCH=500 CONCURRENCY=4 SINGLE_EVENTS=3000 E2E_EVENTS=3000
#                 E2E_RATE=100 BENCH_PORT=8095
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export ATELIER_HOME=${ATELIER_HOME:-$ROOT/.atelier}
RAW_EVENTS=${RAW_EVENTS:-300000}
BATCH_EVENTS=${BATCH_EVENTS:-300000}
PER_BATCH=${PER_BATCH:-500}
CONCURRENCY=${CONCURRENCY:-4}
SINGLE_EVENTS=${SINGLE_EVENTS:-3000}
E2E_EVENTS=${E2E_EVENTS:-3000}
E2E_RATE=${E2E_RATE:-100}
BENCH_PORT=${BENCH_PORT:-8095}
NAME=pipeline-ingest@$BENCH_PORT
. "$ROOT/deploy/local/defaults.env"
BOOTSTRAP=127.0.0.1:$ATELIER_KAFKA_PORT
WORK=$ROOT/bench/.work/ingest; mkdir -p "$WORK" bench/results
STAMP=$(date -u +%Y%m%dT%H%MZ)
OUT=bench/results/ingest-$STAMP.md
fail() { echo "bench/ingest/run.sh: $*" >&2; exit 1; }

JDK=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
JAVA=$JDK/bin/java
[ -x "$JAVA" ] || fail "no JDK >= 22 (set JAVA_HOME)"
LIBS=$ATELIER_HOME/kafka/libs
TOOLS=$(ls ~/.m2/repository/org/apache/kafka/kafka-tools/*/kafka-tools-*.jar 2>/dev/null | grep -v sources | sort -V | tail -n1)
[ -d "$LIBS" ] || fail "no broker jars in $LIBS (./atelier infra up downloads them)"
if [ -z "$TOOLS" ]; then # the broker's version of kafka-tools (ProducerPerformance), by its Maven coordinates
  VERSION=$(ls "$LIBS"/kafka-clients-*.jar | sed 's/.*kafka-clients-\(.*\)\.jar/\1/')
  ./atelier mvn -q dependency:get -Dartifact=org.apache.kafka:kafka-tools:"$VERSION" -Dtransitive=false >/dev/null
  TOOLS=$(ls ~/.m2/repository/org/apache/kafka/kafka-tools/"$VERSION"/kafka-tools-"$VERSION".jar)
fi
[ -f pipeline-ingest/target/quarkus-app/quarkus-run.jar ] || fail "pipeline-ingest is not built (./atelier mvn -o package -pl pipeline-ingest -am -DskipTests)"
"$JDK/bin/javac" -d "$WORK/classes" -cp "$LIBS/*" bench/ingest/IngestBench.java
bench() { "$JAVA" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$WORK/classes:$LIBS/*" IngestBench "$@" 2> >(grep -v SLF4J >&2); }

# A write key of the bench's own (never committed: made for this run).
KEY=wk_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
SHA=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1)
APP_ID=pipeline-ingest-bench-$STAMP
stop_instance() {
  if [ -s "$ATELIER_HOME/run/$NAME.pid" ] && [ -d "/proc/$(cat "$ATELIER_HOME/run/$NAME.pid")" ]; then ./atelier stop "$NAME" >/dev/null; fi
}
trap stop_instance EXIT
stop_instance
echo "== starting $NAME (Streams application $APP_ID)"
./atelier instance pipeline-ingest "$BENCH_PORT" "ATELIER_PIPELINE_WRITE_KEYS_BENCH_SHA256=$SHA" \
  ATELIER_PIPELINE_RATE_LIMITS_WRITE_KEY_PERMITS=500000 ATELIER_PIPELINE_RATE_LIMITS_WRITE_KEY_BURST=500000 \
  "QUARKUS_KAFKA_STREAMS_APPLICATION_ID=$APP_ID" KAFKA_STREAMS_AUTO_OFFSET_RESET=latest \
  "ATELIER_PIPELINE_STATE_DIR=$WORK/state" ATELIER_JAVA_OPTS=-Xmx512m > "$WORK/instance.log" 2>&1 \
  || { cat "$WORK/instance.log"; fail "the bench instance did not start"; }
URL=http://127.0.0.1:$BENCH_PORT
OTHERS=$(./atelier status 2>/dev/null | awk '$4 == "healthy" || $4 == "running" {print $1}' | paste -sd' ' - || true)
# Other Java processes (builds, tests of other worktrees) by working directory: what else shared the 2 cores.
JVMS=$(for p in $(pgrep -x java); do [ "$p" = "$(cat "$ATELIER_HOME/run/$NAME.pid" 2>/dev/null)" ] && continue
  printf '%s(%s) ' "$(readlink "/proc/$p/cwd" 2>/dev/null)" "$(ps -o args= -p "$p" | grep -o 'surefire\|plexus-classworlds\|quarkus-run.jar\|kafka.Kafka' | head -n1)"; done)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# The bench instance's topology enriches what the intake sent; until it has caught up it competes for the same two
# cores. Each phase starts once it has: settle N waits (at most 300 s) until N events went through the topology.
handled() {
  curl -s "http://127.0.0.1:$((BENCH_PORT + 1000))/q/metrics" \
    | awk '/^atelier_pipeline_enrich_events_total/ {sum += $2} END {printf "%d", sum}'
}
settle() {
  local start=$SECONDS
  until [ "$(handled)" -ge "$1" ]; do
    [ $((SECONDS - start)) -lt 300 ] || { echo "the topology handled $(handled) of $1 events within 300 s; going on"; return; }
    sleep 1
  done
  echo "   (the topology caught up with $1 events in $((SECONDS - start)) s)"
}

RECORD_BYTES=$(bench size | sed -n 's/^record_bytes=//p')
echo "== one event on events.raw: $RECORD_BYTES bytes"

echo "== warm-up (JIT; discarded)"
bench batched "$URL" "$KEY" 50000 "$CONCURRENCY" "$PER_BATCH" > /dev/null
bench single "$URL" "$KEY" 1000 > /dev/null
SENT=$((50000 + 1000))
settle "$SENT"

echo "== Kafka's producer performance tool: $RAW_EVENTS records of $RECORD_BYTES bytes"
"$JAVA" -cp "$TOOLS:$LIBS/*" org.apache.kafka.tools.ProducerPerformance --topic "bench.ingest.raw" \
  --num-records "$RAW_EVENTS" --record-size "$RECORD_BYTES" --throughput -1 \
  --producer-props "bootstrap.servers=$BOOTSTRAP" acks=all enable.idempotence=true 2>/dev/null | tee "$WORK/raw.txt"
RAW_RATE=$(tail -n1 "$WORK/raw.txt" | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p')
RAW_LINE=$(tail -n1 "$WORK/raw.txt")

echo "== batched intake: $BATCH_EVENTS events, $PER_BATCH per request, $CONCURRENCY clients"
bench batched "$URL" "$KEY" "$BATCH_EVENTS" "$CONCURRENCY" "$PER_BATCH" | tee "$WORK/batched.txt"
SENT=$((SENT + BATCH_EVENTS))
settle "$SENT"
echo "== single-event POST: $SINGLE_EVENTS one at a time"
bench single "$URL" "$KEY" "$SINGLE_EVENTS" | tee "$WORK/single.txt"
SENT=$((SENT + SINGLE_EVENTS))
settle "$SENT"
echo "== end to end: $E2E_EVENTS events at $E2E_RATE/s"
bench e2e "$URL" "$KEY" "$E2E_EVENTS" "$E2E_RATE" "$BOOTSTRAP" | tee "$WORK/e2e.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ENRICH=$(curl -s "http://127.0.0.1:$((BENCH_PORT + 1000))/q/metrics" | grep '^atelier_pipeline_enrich_events_total' | tr '\n' ' ')

val() { sed -n "s/^$2=//p" "$WORK/$1.txt"; }
BATCH_RATE=$(val batched events_per_second)
SHARE=$(awk -v a="$BATCH_RATE" -v b="$RAW_RATE" 'BEGIN { printf "%.0f", 100 * a / b }')
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; then echo met; else echo "NOT met"; fi; }
{
  echo "# pipeline-ingest benchmark $STAMP"
  echo
  echo "Commit $(git rev-parse --short HEAD); $(nproc) cores; load average $LOAD_BEFORE before, $LOAD_AFTER after."
  echo "Also running on the machine: ${OTHERS:-nothing else of the suite}; Java processes at the start (cwd, kind): $JVMS."
  echo "One Kafka broker (KRaft, the suite's), Redis, and"
  echo "a bench instance of pipeline-ingest ($NAME, -Xmx512m) whose Streams topology (exactly_once_v2) enriches everything"
  echo "the bench sends; each phase starts once the topology has caught up with what the phases before sent (it would"
  echo "otherwise compete for the same cores). Clients on the same machine, straight to the instance (not through nginx), with a"
  echo "write key (Basic), rate limits raised for the run. One event is $RECORD_BYTES bytes of JSON on events.raw."
  echo
  echo "| measure | result | target |"
  echo "| --- | --- | --- |"
  echo "| Kafka ProducerPerformance, $RAW_EVENTS records of $RECORD_BYTES B, acks=all, idempotent, the tool's defaults otherwise | $RAW_RATE records/s | - |"
  echo "| batched intake, POST /api/v1/events/batch ($PER_BATCH per request, $CONCURRENCY clients), $(val batched accepted) accepted, $(val batched failed_requests) failed requests | $BATCH_RATE events/s = $SHARE % of the raw rate | >= 50 %: $(verdict "$SHARE" 50) |"
  echo "| single-event POST /api/v1/events, $SINGLE_EVENTS one at a time | p50 $(val single p50_ms) ms, p99 $(val single p99_ms) ms, max $(val single max_ms) ms ($(val single failed) not 202) | p99 <= 20 ms: $(verdict 20 "$(val single p99_ms)") |"
  echo "| end to end, before POST -> record on events.enriched (read_committed), $E2E_EVENTS at $E2E_RATE/s | p50 $(val e2e p50_ms) ms, p99 $(val e2e p99_ms) ms, max $(val e2e max_ms) ms ($(val e2e missing) not seen) | - |"
  echo
  echo "Raw tool's own summary: \`$RAW_LINE\`"
  echo
  echo "The bench instance's topology counted: \`$ENRICH\`"
  echo
  echo "How: the raw tool writes random bytes of the event's size without headers to its own topic \`bench.ingest.raw\`;"
  echo "the intake writes each event with its CloudEvents headers (~300 B more) to events.raw after validating it against"
  echo "its JSON Schema, checking the write key, the rate limit and the Redis dedup, and answers only once the broker"
  echo "acknowledged every event of the request. End-to-end latency includes the HTTP request, the produce, and"
  echo "the Streams commit (exactly-once: records become visible to read_committed consumers at each commit, every 100 ms)."
} > "$OUT"
echo "== wrote $OUT"; cat "$OUT"
