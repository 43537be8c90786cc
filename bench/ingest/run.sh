#!/usr/bin/env bash
# pipeline-ingest benchmark (issue 12). In one run, on the suite's broker: Kafka's own producer performance tool
# (org.apache.kafka.tools.ProducerPerformance, acks=all, idempotent, the record size of one intake event) next to
# batched intake over HTTP (POST /api/v1/events/batch, PER_BATCH events per request, CONCURRENCY clients, acks=all as
# always); single-event POST latency (SINGLE_EVENTS one at a time, after a warm-up); end-to-end latency from before the
# POST to the record on events.enriched (E2E_EVENTS at E2E_RATE/s, read_committed). Events go to a bench instance of
# pipeline-ingest (./atelier instance pipeline-ingest BENCH_PORT) with a write key of its own and rate limits out of the
# way, and a Streams application id of its own that starts at the end of events.raw (so it does not replay history).
# Its topology starts only once the bench opens a gate (a topic named in quarkus.kafka-streams.topics, made after the
# intake phase): the raw tool and the batched intake are measured with the same two cores free of it, as the raw tool
# has no consumer either; the topology then catches up, the batched intake is measured a second time with the topology
# enriching at the same time (the whole product on the machine), and the single-event and end-to-end phases run as before.
# CPU of each process (instance, broker, Redis, client, the suite's pipeline-ingest) is read from /proc over the raw
# and the batched phases. When the suite's pipeline-ingest is up it enriches the bench's events too: each phase also
# waits until it has caught up (quiet_suite).
# The instance's lake loader is off (it would load the bench's events into the suite's lake; bench/analytics measures it).
# Needs Kafka and Redis running (./atelier up --detach, or ./atelier infra up) and pipeline-ingest built
# (./atelier mvn -o package -pl pipeline-ingest -am -DskipTests). Writes bench/results/ingest-<UTC time>.md.
# Settings (env): RAW_EVENTS=300000 BATCH_EVENTS=300000 PER_BATCH=500 CONCURRENCY=4 SINGLE_EVENTS=3000 E2E_EVENTS=3000
#                 E2E_RATE=100 BENCH_PORT=8095 BENCH_LOCK=/work/BENCH_RUNNING (waited for, then held; empty: none)
#                 JFR= (1: a JFR profile of the instance over the first batched phase, its hot methods in the result)
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
TOOLS=$(ls ~/.m2/repository/org/apache/kafka/kafka-tools/*/kafka-tools-*.jar 2>/dev/null | grep -v sources | sort -V | tail -n1 || true) # none yet on a fresh machine: fetched below
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
GATE=bench.ingest.gate-$STAMP
BENCH_LOCK=${BENCH_LOCK-/work/BENCH_RUNNING}
kafka_tool() { "$JAVA" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$TOOLS:$LIBS/*" "$@" 2> >(grep -v SLF4J >&2); }
LAUNCHER=
stop_instance() {
  if [ -n "$LAUNCHER" ]; then kill "$LAUNCHER" 2>/dev/null || true; fi
  if [ -s "$ATELIER_HOME/run/$NAME.pid" ] && [ -d "/proc/$(cat "$ATELIER_HOME/run/$NAME.pid")" ]; then ./atelier stop "$NAME" >/dev/null; fi
}
GATE_MADE=
finish() {
  stop_instance
  if [ -n "$GATE_MADE" ]; then kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --delete \
    --topic "$GATE" > /dev/null 2>&1 || true; fi
  if [ -n "$BENCH_LOCK" ] && [ "$(cat "$BENCH_LOCK" 2>/dev/null)" = "bench/ingest $$" ]; then rm -f "$BENCH_LOCK"; fi
}
trap finish EXIT
if [ -n "$BENCH_LOCK" ]; then # the machine is shared: one benchmark whose figures matter at a time
  until ( set -o noclobber; echo "bench/ingest $$" > "$BENCH_LOCK" ) 2>/dev/null; do
    echo "waiting for $BENCH_LOCK ($(cat "$BENCH_LOCK" 2>/dev/null)) to go"; sleep 15
  done
fi
stop_instance
# The application's offsets on events.raw start at its current end, committed before the topology exists: when the
# gate opens it reads everything the bench sent from here on (auto.offset.reset=latest would skip it), and no history.
kafka_tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$BOOTSTRAP" --group "$APP_ID" \
  --topic events.raw --reset-offsets --to-latest --execute > /dev/null
echo "== starting $NAME (Streams application $APP_ID, gated by topic $GATE)"
# The topology waits for the gate topic (quarkus-kafka-streams starts it once every listed topic exists), so the
# instance is not ready until the gate opens: the launcher waits for that in the background while the bench waits
# for the HTTP port.
./atelier instance pipeline-ingest "$BENCH_PORT" "ATELIER_PIPELINE_WRITE_KEYS_BENCH_SHA256=$SHA" \
  ATELIER_PIPELINE_RATE_LIMITS_WRITE_KEY_PERMITS=500000 ATELIER_PIPELINE_RATE_LIMITS_WRITE_KEY_BURST=500000 \
  "QUARKUS_KAFKA_STREAMS_APPLICATION_ID=$APP_ID" KAFKA_STREAMS_AUTO_OFFSET_RESET=latest \
  "QUARKUS_KAFKA_STREAMS_TOPICS=events.raw,$GATE" ATELIER_LAKE_LOADER_ENABLED=false \
  "ATELIER_PIPELINE_STATE_DIR=$WORK/state" ATELIER_JAVA_OPTS=-Xmx512m > "$WORK/instance.log" 2>&1 &
LAUNCHER=$!
URL=http://127.0.0.1:$BENCH_PORT
for _ in $(seq 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/events")" = 401 ] && break
  kill -0 "$LAUNCHER" 2>/dev/null || { cat "$WORK/instance.log"; fail "the bench instance did not start"; }
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/events")" = 401 ] || fail "the bench instance does not answer on $URL"
PID=$(cat "$ATELIER_HOME/run/$NAME.pid")
OTHERS=$(./atelier status 2>/dev/null | awk '$4 == "healthy" || $4 == "running" {print $1}' | paste -sd' ' - || true)
# Other Java processes (builds, tests of other worktrees) by working directory: what else shared the 2 cores.
JVMS=$(for p in $(pgrep -x java); do [ "$p" = "$(cat "$ATELIER_HOME/run/$NAME.pid" 2>/dev/null)" ] && continue
  printf '%s(%s) ' "$(readlink "/proc/$p/cwd" 2>/dev/null)" "$(ps -o args= -p "$p" | grep -o 'surefire\|plexus-classworlds\|quarkus-run.jar\|kafka.Kafka' | head -n1)"; done)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SUITE_INGEST=$(./atelier status 2>/dev/null | awk '$1 == "pipeline-ingest" {print $4}')

# CPU by process over a phase, from /proc (clock ticks): the instance, the broker, Redis, and the whole machine.
ticks() { [ -r "/proc/$1/stat" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
KAFKA_PID=$(cat "$ATELIER_HOME/run/kafka.pid"); REDIS_PID=$(cat "$ATELIER_HOME/run/redis.pid")
HZ=$(getconf CLK_TCK)
SUITE_PID=$(cat "$ATELIER_HOME/run/pipeline-ingest.pid" 2>/dev/null || echo 0) # the suite's own instance, when up
cpu_mark() { echo "$(ticks "$PID") $(ticks "$KAFKA_PID") $(ticks "$REDIS_PID") $(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat) $(ticks "$SUITE_PID")"; }
# cpu_row LABEL EVENTS CLIENT_SECONDS BEFORE AFTER: one table row, CPU seconds and microseconds per event of each.
cpu_row() {
  awk -v label="$1" -v n="$2" -v client="$3" -v hz="$HZ" -v b="$4" -v a="$5" 'BEGIN {
    split(b, x, " "); split(a, y, " ");
    svc = (y[1] - x[1]) / hz; kafka = (y[2] - x[2]) / hz; redis = (y[3] - x[3]) / hz; busy = (y[4] - x[4]) / hz;
    wall = (y[5] - x[5]) / hz / 2; suite = (y[6] - x[6]) / hz;
    rest = busy - svc - kafka - redis - client - suite; if (rest < 0) rest = 0;
    us = 1e6 / n; own = svc + kafka + redis + client;
    printf "| %s | %.1f s | %.2f s = %.1f us | %.2f s = %.1f us | %.2f s = %.1f us | %.2f s = %.1f us | %.2f s | %.2f s | %.1f us | %.0f/s |\n",
      label, wall, client, client * us, svc, svc * us, kafka, kafka * us, redis, redis * us, suite, rest, own * us, 2e6 / (own * us) }'
}
# The bench instance's topology enriches what the intake sent; until it has caught up it competes for the same two
# cores. Each phase after the gate starts once it has: settle N waits (at most 300 s) until N events went through it.
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
# The suite's own pipeline-ingest, when up, enriches (and its lake loader reads) every event the bench sends too: a
# phase also waits (at most 180 s) until its topology's count has stood still for 2 s, so its catching up does not
# run into the next phase (it did into the single-event phase of 0752Z).
SUITE_MANAGEMENT=$(( $(./atelier status 2>/dev/null | awk '$1 == "pipeline-ingest" {print $3}' | grep -E '^[0-9]+$' || echo 8085) + 1000 ))
suite_enriched() {
  curl -s --max-time 2 "http://127.0.0.1:$SUITE_MANAGEMENT/q/metrics" \
    | awk '/^atelier_pipeline_enrich_events_total/ {sum += $2} END {printf "%d", sum}'
}
quiet_suite() {
  [ "$SUITE_PID" != 0 ] && [ -d "/proc/$SUITE_PID" ] || return 0
  local start=$SECONDS prev=-1 now
  while [ $((SECONDS - start)) -lt 180 ]; do
    now=$(suite_enriched)
    if [ "$now" = "$prev" ]; then
      [ $((SECONDS - start)) -gt 2 ] && echo "   (the suite's pipeline-ingest caught up in $((SECONDS - start)) s)"
      return 0
    fi
    prev=$now; sleep 2
  done
  echo "   (the suite's pipeline-ingest was still enriching after 180 s; going on)"
}

RECORD_BYTES=$(bench size | sed -n 's/^record_bytes=//p')
echo "== one event on events.raw: $RECORD_BYTES bytes"

echo "== warm-up (JIT; discarded)"
bench batched "$URL" "$KEY" 50000 "$CONCURRENCY" "$PER_BATCH" > /dev/null
bench single "$URL" "$KEY" 1000 > /dev/null
SENT=$((50000 + 1000))

quiet_suite
echo "== Kafka's producer performance tool: $RAW_EVENTS records of $RECORD_BYTES bytes"
# The tool's own CPU, read from /proc until it ends, less what one run of a single record costs (its JVM's start).
raw_tool() {
  "$JAVA" -cp "$TOOLS:$LIBS/*" org.apache.kafka.tools.ProducerPerformance --topic "bench.ingest.raw" \
    --num-records "$1" --record-size "$RECORD_BYTES" --throughput -1 \
    --producer-props "bootstrap.servers=$BOOTSTRAP" acks=all enable.idempotence=true 2>/dev/null > "$WORK/raw.txt" &
  local tool=$! t
  TOOL_TICKS=0
  while kill -0 "$tool" 2>/dev/null; do t=$(ticks "$tool"); [ "$t" -gt 0 ] && TOOL_TICKS=$t; sleep 0.1; done
  wait "$tool"
}
raw_tool 1
START_TICKS=$TOOL_TICKS
RAW_BEFORE=$(cpu_mark)
raw_tool "$RAW_EVENTS"
RAW_AFTER=$(cpu_mark)
cat "$WORK/raw.txt"
TOOL_SECONDS=$(awk -v t="$TOOL_TICKS" -v s="$START_TICKS" -v hz="$HZ" 'BEGIN {printf "%.2f", (t > s ? t - s : t) / hz}')
RAW_RATE=$(tail -n1 "$WORK/raw.txt" | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p')
RAW_LINE=$(tail -n1 "$WORK/raw.txt")

quiet_suite
echo "== batched intake: $BATCH_EVENTS events, $PER_BATCH per request, $CONCURRENCY clients (topology not started yet)"
JCMD=$JDK/bin/jcmd
if [ -n "${JFR:-}" ]; then "$JCMD" "$PID" JFR.start name=ingest-bench settings=profile filename="$WORK/batched.jfr" > /dev/null; fi
BATCH_BEFORE=$(cpu_mark)
bench batched "$URL" "$KEY" "$BATCH_EVENTS" "$CONCURRENCY" "$PER_BATCH" | tee "$WORK/batched.txt"
BATCH_AFTER=$(cpu_mark)
if [ -n "${JFR:-}" ]; then "$JCMD" "$PID" JFR.stop name=ingest-bench > /dev/null; fi
SENT=$((SENT + BATCH_EVENTS))

echo "== opening the gate: the topology starts and catches up with $SENT events"
kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --create --topic "$GATE" --partitions 1 \
  > /dev/null
GATE_MADE=1
wait "$LAUNCHER" || true # ready once the topology runs (or the launcher's own wait ran out first: waited for below)
LAUNCHER=
for _ in $(seq 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((BENCH_PORT + 1000))/q/health/ready")" = 200 ] && break
  sleep 1
done
settle "$SENT"
quiet_suite
echo "== batched intake again, with the topology enriching at the same time: $BATCH_EVENTS events"
CONC_BEFORE=$(cpu_mark)
bench batched "$URL" "$KEY" "$BATCH_EVENTS" "$CONCURRENCY" "$PER_BATCH" | tee "$WORK/concurrent.txt"
CONC_AFTER=$(cpu_mark)
SENT=$((SENT + BATCH_EVENTS))
settle "$SENT"
quiet_suite
echo "== single-event POST: $SINGLE_EVENTS one at a time"
bench single "$URL" "$KEY" "$SINGLE_EVENTS" | tee "$WORK/single.txt"
SENT=$((SENT + SINGLE_EVENTS))
settle "$SENT"
quiet_suite
echo "== end to end: $E2E_EVENTS events at $E2E_RATE/s"
bench e2e "$URL" "$KEY" "$E2E_EVENTS" "$E2E_RATE" "$BOOTSTRAP" | tee "$WORK/e2e.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ENRICH=$(curl -s "http://127.0.0.1:$((BENCH_PORT + 1000))/q/metrics" | grep '^atelier_pipeline_enrich_events_total' | tr '\n' ' ')

val() { sed -n "s/^$2=//p" "$WORK/$1.txt"; }
BATCH_RATE=$(val batched events_per_second)
CONC_RATE=$(val concurrent events_per_second)
SHARE=$(awk -v a="$BATCH_RATE" -v b="$RAW_RATE" 'BEGIN { printf "%.0f", 100 * a / b }')
CONC_SHARE=$(awk -v a="$CONC_RATE" -v b="$RAW_RATE" 'BEGIN { printf "%.0f", 100 * a / b }')
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; then echo met; else echo "NOT met"; fi; }
HOT=
if [ -n "${JFR:-}" ] && [ -s "$WORK/batched.jfr" ]; then
  HOT=$("$JDK/bin/jfr" view --width 160 hot-methods "$WORK/batched.jfr" 2>/dev/null | head -n 30 || true)
fi
{
  echo "# pipeline-ingest benchmark $STAMP"
  echo
  echo "Commit $(git rev-parse --short HEAD); $(nproc) cores; load average $LOAD_BEFORE before, $LOAD_AFTER after."
  echo "Also running on the machine: ${OTHERS:-nothing else of the suite}; Java processes at the start (cwd, kind): $JVMS."
  echo "The suite's own pipeline-ingest (:8085) was ${SUITE_INGEST:-not known}: when running, its topology (another application"
  echo "id) and lake loader read and enrich every event the bench sends too, on the same cores and broker."
  echo "One Kafka broker (KRaft, the suite's), Redis, and a bench instance of pipeline-ingest ($NAME, -Xmx512m, lake loader"
  echo "off) whose Streams topology (exactly_once_v2) enriches everything the bench sends. The topology starts only after the"
  echo "first batched phase (a gate topic): the raw tool and that phase run without it, as the raw tool has no consumer"
  echo "either; the second batched phase runs with it enriching at the same time. Later phases start once it has caught up"
  echo "(and, each phase, once the suite's pipeline-ingest, when up, has stopped enriching what the bench sent before)."
  echo "Clients on the same machine, straight to the instance (not through nginx), with a write key (Basic), rate limits"
  echo "raised for the run, request bodies built before the clock starts. One event is $RECORD_BYTES bytes of JSON on events.raw."
  echo
  echo "| measure | result | target |"
  echo "| --- | --- | --- |"
  echo "| Kafka ProducerPerformance, $RAW_EVENTS records of $RECORD_BYTES B, acks=all, idempotent, the tool's defaults otherwise | $RAW_RATE records/s | - |"
  echo "| batched intake, POST /api/v1/events/batch ($PER_BATCH per request, $CONCURRENCY clients), $(val batched accepted) accepted, $(val batched failed_requests) failed requests | $BATCH_RATE events/s = $SHARE % of the raw rate | >= 50 %: $(verdict "$SHARE" 50) |"
  echo "| the same, with the topology enriching at the same time (in the same JVM), $(val concurrent accepted) accepted, $(val concurrent failed_requests) failed requests | $CONC_RATE events/s = $CONC_SHARE % of the raw rate | - |"
  echo "| single-event POST /api/v1/events, $SINGLE_EVENTS one at a time | p50 $(val single p50_ms) ms, p99 $(val single p99_ms) ms, max $(val single max_ms) ms ($(val single failed) not 202) | p99 <= 20 ms: $(verdict 20 "$(val single p99_ms)") |"
  echo "| end to end, before POST -> record on events.enriched (read_committed), $E2E_EVENTS at $E2E_RATE/s | p50 $(val e2e p50_ms) ms, p99 $(val e2e p99_ms) ms, max $(val e2e max_ms) ms ($(val e2e missing) not seen) | - |"
  echo
  echo "Raw tool's own summary: \`$RAW_LINE\`"
  echo
  echo "Where the CPU went (from /proc; per event = CPU time / events of the phase). \"Client\" is the raw tool's JVM less"
  echo "what a run of one record costs it (its start), or the bench client's timed part; the suite's pipeline-ingest (when"
  echo "up) enriches the intake's events too; \"rest\" is every other process on the machine (the rest of the suite, other"
  echo "worktrees' builds and tests). \"Own\" adds client, instance, broker and Redis: 2 cores / own is the rate the machine"
  echo "could reach for that work with nothing else running (the broker's share includes serving the suite's consumers)."
  echo
  echo "| phase | wall | client | instance | broker | Redis | suite's pipeline-ingest | rest | own per event | 2 cores / own |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  cpu_row "raw tool, $RAW_EVENTS records" "$RAW_EVENTS" "$TOOL_SECONDS" "$RAW_BEFORE" "$RAW_AFTER"
  cpu_row "batched intake, topology not started" "$BATCH_EVENTS" "$(val batched client_cpu_seconds)" "$BATCH_BEFORE" "$BATCH_AFTER"
  cpu_row "batched intake, topology enriching" "$BATCH_EVENTS" "$(val concurrent client_cpu_seconds)" "$CONC_BEFORE" "$CONC_AFTER"
  echo
  echo "The bench instance's topology counted: \`$ENRICH\`"
  if [ -n "$HOT" ]; then
    echo
    echo "JFR (\`settings=profile\`, the first batched phase), \`jfr view hot-methods\`:"
    echo
    echo '```'
    echo "$HOT"
    echo '```'
  fi
  echo
  echo "How: the raw tool writes random bytes of the event's size without headers to its own topic \`bench.ingest.raw\`;"
  echo "the intake writes each event with its CloudEvents headers (~300 B more) to events.raw after validating it against"
  echo "its JSON Schema, checking the write key, the rate limit and the Redis dedup, and answers only once the broker"
  echo "acknowledged every event of the request. End-to-end latency includes the HTTP request, the produce, and"
  echo "the Streams commit (exactly-once: records become visible to read_committed consumers at each commit, every 100 ms)."
} > "$OUT"
echo "== wrote $OUT"; cat "$OUT"
