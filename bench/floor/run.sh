#!/usr/bin/env bash
# The floor of a WebSocket broadcast on this machine (bench/floor/Floor.java): a plain NIO server with one
# selector thread per core writes one pre-encoded frame to every socket, and the services' benchmark client
# measures broadcast start to read. What content-service's notifications and workspace-service's fan-out
# cost above this is what their code adds; the rest is loopback TCP and the client on the same cores.
# Needs nothing of the suite (stop it for a quiet machine). Writes bench/results/floor-<UTC time>.md.
# Settings (env): FLOOR_CLIENTS="1000 2000" FLOOR_RATE=20 FLOOR_SECONDS=30 FLOOR_WARMUP=10 FLOOR_BYTES=350
# FLOOR_LOOPS=<cores> FLOOR_PORT=18990. Takes about 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CLIENTS_LIST=${FLOOR_CLIENTS:-1000 2000}
RATE=${FLOOR_RATE:-20}
SECS=${FLOOR_SECONDS:-30}
WARMUP=${FLOOR_WARMUP:-10}
BYTES=${FLOOR_BYTES:-350}
LOOPS=${FLOOR_LOOPS:-$(nproc)}
PORT=${FLOOR_PORT:-18990}
JDK=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
JAVA=$JDK/bin/java
[ -x "$JAVA" ] || { echo "bench/floor/run.sh: no JDK 25 (set JAVA_HOME)" >&2; exit 1; }
WORK=$ROOT/bench/.work/floor; mkdir -p "$WORK" bench/results
STAMP=$(date -u +%Y%m%dT%H%MZ)
OUT=bench/results/floor-$STAMP.md
need=$(( $(echo "$CLIENTS_LIST" | tr ' ' '\n' | sort -n | tail -n1) * 2 + 500 ))
[ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

server_pid=""
cleanup() { [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT
rows=""
for clients in $CLIENTS_LIST; do
  echo "== $clients sockets, $RATE broadcasts/s for $SECS s after $WARMUP s, $LOOPS server threads, frames of $BYTES bytes"
  "$JAVA" -Xmx1g "$ROOT/bench/floor/Floor.java" serve "$PORT" "$LOOPS" "$clients" "$RATE" "$SECS" "$WARMUP" "$BYTES" \
    > "$WORK/server-$clients.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  WATCH="server=$server_pid" "$JAVA" -Xmx1g "$ROOT/bench/floor/Floor.java" measure "ws://127.0.0.1:$PORT/" "$clients" "$RATE" \
    "$SECS" "$WARMUP" | tee "$WORK/measure-$clients.txt"
  wait "$server_pid" || true; server_pid=""
  kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$WORK/measure-$clients.txt" | head -n1; }
  rows+="| $clients | $(kv delivered) of $(kv expected) | $(kv p50) | $(kv p90) | $(kv p99) | $(kv p99.9) | $(kv max) | $(kv spread_p50) | $(kv spread_p99) | $(kv cpu_server) | $(kv machine_busy_pct) % |"$'\n'
done

{
  echo "# WebSocket broadcast floor, $STAMP"
  echo
  echo "Commit $(git rev-parse --short HEAD); $(nproc) cores, $(uname -r); $("$JAVA" -version 2>&1 | head -n1)."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Other processes on the machine: those of the suite that were running."
  echo
  echo "A plain NIO server (bench/floor/Floor.java, $LOOPS selector threads) writes one pre-encoded text frame of $BYTES bytes"
  echo "to every socket, $RATE times a second, open loop; the first $WARMUP s are not measured, then $SECS s are. The client"
  echo "is the one bench/content and bench/workspace use (bench/lib/WebSockets.java, two selector threads). Latency: from the"
  echo "moment the server started the broadcast (carried in the frame) to the read that handed the message over; spread: first"
  echo "socket to last of one broadcast. Times in ms; CPU in cores over the measured part."
  echo
  echo "| sockets | delivered | p50 | p90 | p99 | p99.9 | max | spread p50 | spread p99 | server CPU | machine busy |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s' "$rows"
} > "$OUT"
echo "wrote $OUT"
