#!/usr/bin/env bash
# content-service benchmark: GET /api/v1/posts at saturation (wrk) and at a fixed 1,000 req/s (open
# loop, bench/content/FixedRate.java), straight to the service and through the gateway; where the list
# endpoint's CPU goes (JFR); notification latency from commit to socket with 2,000 sockets, straight and
# through the gateway (bench/content/Notify.java); and what open sockets cost the service (heap after a
# full GC, RSS) at 0, 2,000 and 5,000 sockets. Needs the suite running (./atelier up --detach): it reads
# content-service's pid from .atelier/run/ for JFR, GC and RSS. Adds SEED_POSTS posts (plus the ~2,100
# the notification runs write) and signs up 212 accounts per run, each from its own X-Forwarded-For
# address (sign-ups are limited per address). Takes about 11 minutes.
# Writes bench/results/content-<UTC time>.md. Usage: bench/content/run.sh [seconds per wrk test, default 20]
# Settings (env): NOTIFY_CLIENTS=2000 NOTIFY_RATE=20 NOTIFY_SECONDS=30 NOTIFY_WARMUP=20 NOTIFY_FIRST_WARMUP=60 IDLE_CLIENTS=5000 FIXED_RATE=1000
# FIXED_SECONDS=30 SEED_POSTS=500 SEED_BODY_CHARS=400 WARMUP_MAX=300 (seconds of JIT warm-up at most).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECS=${1:-20}
CONTENT=${CONTENT_URL:-http://127.0.0.1:8082}
MANAGEMENT=${CONTENT_MANAGEMENT_URL:-http://127.0.0.1:9082}
AUTH=${AUTH_URL:-http://127.0.0.1:8081}
GATEWAY=${GATEWAY_URL:-http://127.0.0.1:8080}
NOTIFY_CLIENTS=${NOTIFY_CLIENTS:-2000}
NOTIFY_RATE=${NOTIFY_RATE:-20}
NOTIFY_SECONDS=${NOTIFY_SECONDS:-30}
NOTIFY_WARMUP=${NOTIFY_WARMUP:-20}
# The first notification run (direct) meets a fan-out path the JIT has not compiled yet: it warms up longer.
NOTIFY_FIRST_WARMUP=${NOTIFY_FIRST_WARMUP:-60}
IDLE_CLIENTS=${IDLE_CLIENTS:-5000}
FIXED_RATE=${FIXED_RATE:-1000}
FIXED_SECONDS=${FIXED_SECONDS:-30}
SEED_POSTS=${SEED_POSTS:-500}
SEED_BODY_CHARS=${SEED_BODY_CHARS:-400}
WARMUP_MAX=${WARMUP_MAX:-300}
THREADS=2
WORK=$ROOT/bench/.work/content; mkdir -p "$WORK" bench/results
START_HEAD=$(git rev-parse --short HEAD)
STAMP=$(date -u +%Y%m%dT%H%MZ)
OUT=bench/results/content-$STAMP.md
fail() { echo "bench/content/run.sh: $*" >&2; exit 1; }

# ---- preconditions ----
# wrk comes from apt when missing, as the launcher installs its servers (deploy/local/lib/common.sh).
( . deploy/local/lib/common.sh && mkdir -p "$LOGS" && ensure_command wrk wrk ) || fail "wrk is missing and apt could not install it"
JDK=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
[ -x "$JDK/bin/java" ] && [ -x "$JDK/bin/jcmd" ] || fail "no JDK >= 21 with jcmd (set JAVA_HOME)"
JAVA=$JDK/bin/java; JCMD=$JDK/bin/jcmd
curl -sf "$MANAGEMENT/q/health/ready" >/dev/null || fail "content-service is not ready ($MANAGEMENT); run ./atelier up --detach"
curl -sf "${AUTH_MANAGEMENT_URL:-http://127.0.0.1:9081}/q/health/ready" >/dev/null || fail "auth-service is not ready; run ./atelier up --detach"
gw_status=$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/api/v1/posts" || true)
[ "$gw_status" = 401 ] || fail "the gateway ($GATEWAY) answered GET /api/v1/posts with '$gw_status', not 401; run ./atelier up --detach"
SERVICE_PID=$(cat .atelier/run/content-service.pid 2>/dev/null || true)
[ -n "$SERVICE_PID" ] && [ -d "/proc/$SERVICE_PID" ] || fail "no content-service process from ./atelier (.atelier/run/content-service.pid)"
GATEWAY_PID=$(cat .atelier/run/gateway.pid 2>/dev/null || true)
POSTGRES_PID=$(cat .atelier/run/postgres.pid 2>/dev/null || true)
# Sockets: this shell's children hold one descriptor per socket, the service one, nginx two.
need=$((IDLE_CLIENTS + 1000))
[ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((NOTIFY_CLIENTS + 500)) ] || fail "open-file limit $(ulimit -n) is too low for $NOTIFY_CLIENTS sockets"
service_nofile=$(awk '/^Max open files/ { print $4 }' "/proc/$SERVICE_PID/limits")
export SERVICE_PID MANAGEMENT JCMD MEMORY_FILE=$WORK/memory.txt
: > "$MEMORY_FILE"

# ---- CPU accounting: ticks of the service, nginx, PostgreSQL (with children) and the machine ----
ticks_of() { # ticks_of PID -> utime+stime of PID and its children so far
  local pid=$1 t=0 c
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || { echo 0; return; }
  for c in "$pid" $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
snapshot() { # -> "service gateway postgres machine_all machine_busy machine_steal"
  echo "$(ticks_of "$SERVICE_PID") $(ticks_of "$GATEWAY_PID") $(ticks_of "$POSTGRES_PID") $(head -n1 /proc/stat | awk '{
    all = 0; for (i = 2; i <= 9; i++) all += $i; print all, $2 + $3 + $4 + $7 + $8, $9 }')"
}
HZ=$(getconf CLK_TCK)
usage() { # usage BEFORE AFTER SECONDS -> "service_cores gateway_cores postgres_cores busy% steal%"
  awk -v b="$1" -v a="$2" -v s="$3" -v hz="$HZ" 'BEGIN { split(b, x, " "); split(a, y, " ")
    all = y[4] - x[4]; if (all <= 0) all = 1
    printf "%.2f %.2f %.2f %.0f %.0f", (y[1] - x[1]) / hz / s, (y[2] - x[2]) / hz / s, (y[3] - x[3]) / hz / s,
      100 * (y[5] - x[5]) / all, 100 * (y[6] - x[6]) / all }'
}
gc_pauses() { # -> "count seconds" of the service's GC pauses so far (not counting the full GCs jcmd asked for)
  curl -sf "$MANAGEMENT/q/metrics" | awk '/^jvm_gc_pause_seconds_(count|sum)\{/ && !/Diagnostic Command/ {
    if ($0 ~ /_count\{/) c += $NF; else s += $NF } END { print c + 0, s + 0 }'
}
gc_usage() { # gc_usage BEFORE AFTER SECONDS -> "N pauses, T ms (P %)"
  awk -v b="$1" -v a="$2" -v w="$3" 'BEGIN { split(b, x, " "); split(a, y, " "); n = y[1] - x[1]; t = 1000 * (y[2] - x[2])
    printf "%d, %.0f ms (%.1f %%)", n, t, t / 10 / w }'
}
jit_ticks() { # -> "JIT-compiler-ticks all-ticks" of the service's threads so far
  { cat /proc/"$SERVICE_PID"/task/*/stat 2>/dev/null || true; } | awk '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\).*/, "", name)
    rest = $0; sub(/^[^)]*\) /, "", rest); split(rest, f, " "); t = f[12] + f[13]; all += t
    if (name ~ /Compiler/) jit += t } END { print jit + 0, all + 0 }'
}
jit_share() { awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); all = y[2] - x[2]
  printf "%.1f", (all > 0 ? 100 * (y[1] - x[1]) / all : 0) }'; }

# ---- accounts (15-minute access tokens: fresh ones before each part) ----
pw='correct horse battery staple'
run_id=$(date +%s)
ip_for() { echo "10.$((run_id / 60 % 256)).$(($1 / 250)).$(($1 % 250 + 1))"; } # one address per sign-up
signup() { # signup NAME N -> access token, signed up from address number N
  curl -sf -H 'Content-Type: application/json' -H "X-Forwarded-For: $(ip_for "$2")" \
    -d "{\"email\":\"content-bench-$run_id-$1@example.com\",\"password\":\"$pw\",\"displayName\":\"Bench $1\"}" \
    "$AUTH/api/v1/auth/signup" | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p'
}
signup_many() { # signup_many PREFIX COUNT FILE FIRST_ADDRESS_NUMBER: COUNT tokens into FILE, 4 sign-ups at a time
  local i; : > "$3"
  for i in $(seq 1 "$2"); do
    printf '%s\n' "$(signup "$1-$i" $(($4 + i)))" >> "$3" &
    [ $((i % 4)) -ne 0 ] || wait
  done
  wait
  [ "$(grep -c . "$3")" -eq "$2" ] || fail "only $(grep -c . "$3") of $2 sign-ups ($1) succeeded"
}

# ---- seed: SEED_POSTS posts by 10 authors, so the first page is 20 full posts ----
echo "== seeding $SEED_POSTS posts (bodies of $SEED_BODY_CHARS characters)"
signup_many author 10 "$WORK/authors" 0
mapfile -t authors < "$WORK/authors"
body=$(printf 'lorem ipsum dolor sit amet %.0s' $(seq 0 $((SEED_BODY_CHARS / 27 + 1))))
body=${body:0:$SEED_BODY_CHARS}
: > "$WORK/seed-statuses"
for i in $(seq 1 "$SEED_POSTS"); do
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer ${authors[$((i % 10))]}" -H 'Content-Type: application/json' \
    -d "{\"title\":\"Benchmark post $i of run $run_id\",\"body\":\"$body\"}" "$CONTENT/api/v1/posts" >> "$WORK/seed-statuses" &
  [ $((i % 8)) -ne 0 ] || wait
done
wait
seeded=$(grep -c '^201$' "$WORK/seed-statuses" || true)
[ "$seeded" -eq "$SEED_POSTS" ] || fail "only $seeded of $SEED_POSTS seed posts were created"

TOKEN=$(signup reader 20)
[ -n "$TOKEN" ] || fail "sign-up failed"
AUTHZ="Authorization: Bearer $TOKEN"
page_bytes=$(curl -sf -H "$AUTHZ" "$CONTENT/api/v1/posts" | wc -c)
# The second page (through the first page's cursor): a page no cache in front of the first one can answer.
cursor=$(curl -sf -H "$AUTHZ" "$CONTENT/api/v1/posts" | sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p')
[ -n "$cursor" ] || fail "the first page of posts has no next cursor"
PAGE2="/api/v1/posts?cursor=$cursor"
page2_bytes=$(curl -sf -H "$AUTHZ" "$CONTENT$PAGE2" | wc -c)
page_items=$(curl -sf -H "$AUTHZ" "$CONTENT/api/v1/posts" | { grep -o '"id":"[^"]*","title"' || true; } | wc -l)

# ---- JIT warm-up: the list path until the compilers use under 2 % of the service's CPU ----
warm=0
while :; do
  before=$(jit_ticks)
  wrk -t$THREADS -c32 -d10s -H "$AUTHZ" "$CONTENT/api/v1/posts" > "$WORK/warmup.txt" 2>&1
  warm=$((warm + 10)); share=$(jit_share "$before" "$(jit_ticks)")
  echo "== GET /api/v1/posts warm-up: ${warm} s, $(awk '/Requests\/sec/{print $2}' "$WORK/warmup.txt") req/s, JIT ${share} % of the service's CPU in the last 10 s"
  if { [ "$warm" -ge 30 ] && awk -v s="$share" 'BEGIN { exit !(s < 2) }'; } || [ "$warm" -ge "$WARMUP_MAX" ]; then break; fi
done
warm_jit=$share

# ---- 1. saturation, wrk ----
wrk_run() { # wrk_run NAME CONNECTIONS URL: 5 s discarded, then SECS measured; output and CPU stored
  local name=$1 conns=$2 url=$3 before after gc
  wrk -t$THREADS -c"$conns" -d5s -H "$AUTHZ" "$url" > /dev/null 2>&1
  before=$(snapshot); gc=$(gc_pauses)
  /usr/bin/time -f '%e %U %S' -o "$WORK/$name.time" wrk -t$THREADS -c"$conns" -d"${SECS}s" --latency -H "$AUTHZ" "$url" > "$WORK/$name.txt" 2>&1
  after=$(snapshot)
  usage "$before" "$after" "$SECS" > "$WORK/$name.cpu"
  gc_usage "$gc" "$(gc_pauses)" "$SECS" > "$WORK/$name.gc"
  echo "== $name"; grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' "$WORK/$name.txt" || true
}
wrk_row() { # wrk_row NAME -> "req/s | p50 | p99 | non-2xx | service | gateway | postgres | wrk | busy | steal"
  local f=$WORK/$1.txt
  read -r svc gw pg busy steal < "$WORK/$1.cpu"
  read -r el us sy < "$WORK/$1.time"
  printf '%s | %s | %s | %s | %s | %s | %s | %s | %s %% | %s %%' "$(awk '/Requests\/sec/{print $2}' "$f")" \
    "$(awk '$1=="50%"{print $2}' "$f")" "$(awk '$1=="99%"{print $2}' "$f")" \
    "$(awk '/Non-2xx/{print $NF}' "$f" | head -n1)$(awk '/Socket errors/{print " (" $0 ")"}' "$f")" \
    "$svc" "$gw" "$pg" "$(awk -v e="$el" -v u="$us" -v s="$sy" 'BEGIN { printf "%.2f", (u + s) / e }')" "$busy" "$steal"
  printf ' | %s' "$(cat "$WORK/$1.gc")"
}
rps() { awk '/Requests\/sec/{print $2}' "$WORK/$1.txt"; }
for c in 32 64; do
  wrk_run "list-direct-c$c" "$c" "$CONTENT/api/v1/posts"
  wrk_run "list-gateway-c$c" "$c" "$GATEWAY/api/v1/posts"
done
wrk_run "list-page2-direct-c32" 32 "$CONTENT$PAGE2"
best_direct=$(printf '%s\n' "$(rps list-direct-c32)" "$(rps list-direct-c64)" | sort -g | tail -n1)
best_gateway=$(printf '%s\n' "$(rps list-gateway-c32)" "$(rps list-gateway-c64)" | sort -g | tail -n1)

# ---- where the list endpoint's CPU goes: JFR (profile settings) over a separate 20 s run ----
echo "== JFR profile of GET /api/v1/posts (direct, 32 connections, 20 s)"
"$JCMD" "$SERVICE_PID" JFR.start name=content-bench settings=profile > /dev/null
wrk -t$THREADS -c32 -d20s -H "$AUTHZ" "$CONTENT/api/v1/posts" > "$WORK/list-profiled.txt" 2>&1
"$JCMD" "$SERVICE_PID" JFR.stop name=content-bench filename="$WORK/list.jfr" > /dev/null
"$JAVA" "$ROOT/bench/content/JfrTop.java" "$WORK/list.jfr" 25 > "$WORK/list-profile.md"
head -n 30 "$WORK/list-profile.md"
echo "== JFR profile of GET /api/v1/posts?cursor= (page 2, direct, 32 connections, 20 s)"
"$JCMD" "$SERVICE_PID" JFR.start name=content-bench-page2 settings=profile > /dev/null
wrk -t$THREADS -c32 -d20s -H "$AUTHZ" "$CONTENT$PAGE2" > "$WORK/list-page2-profiled.txt" 2>&1
"$JCMD" "$SERVICE_PID" JFR.stop name=content-bench-page2 filename="$WORK/list-page2.jfr" > /dev/null
"$JAVA" "$ROOT/bench/content/JfrTop.java" "$WORK/list-page2.jfr" 25 > "$WORK/list-page2-profile.md"
head -n 30 "$WORK/list-page2-profile.md"

# ---- 2. fixed rate, open loop ----
TOKEN=$(signup fixed 21); AUTHZ="Authorization: Bearer $TOKEN"
fixed_run() { # fixed_run NAME URL
  local before after gc
  before=$(snapshot); gc=$(gc_pauses)
  BENCH_TOKEN=$TOKEN /usr/bin/time -f '%e %U %S' -o "$WORK/$1.time" \
    "$JAVA" "$ROOT/bench/content/FixedRate.java" "$2" "$FIXED_RATE" "$FIXED_SECONDS" 32 5 > "$WORK/$1.txt"
  after=$(snapshot)
  usage "$before" "$after" "$((FIXED_SECONDS + 5))" > "$WORK/$1.cpu"
  gc_usage "$gc" "$(gc_pauses)" "$((FIXED_SECONDS + 5))" > "$WORK/$1.gc"
  echo "== $1"; sed -n '2,$p' "$WORK/$1.txt"
}
fixed_run fixed-direct "$CONTENT/api/v1/posts"
fixed_run fixed-gateway "$GATEWAY/api/v1/posts"
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$WORK/$1.txt" | head -n1; } # kv FILE KEY
fixed_row() {
  read -r svc gw pg busy steal < "$WORK/$1.cpu"
  printf '%s | %s | %s | %s | %s | %s | %s | %s | %s | %s %% | %s %%' "$(kv "$1" statuses)" "$(kv "$1" p50)" "$(kv "$1" p90)" \
    "$(kv "$1" p99)" "$(kv "$1" p99.9)" "$(kv "$1" max)" "$(kv "$1" send_lag_p99)" "$svc" "$gw" "$busy" "$steal"
  printf ' | %s' "$(cat "$WORK/$1.gc")"
}

# ---- 4 (baseline). the service with no sockets ----
echo "== memory with no sockets (after a full GC)"
CONNECTED=0 bash bench/content/memory.sh sockets-0

# ---- 3. notifications, 2,000 sockets, straight and through the gateway ----
WATCH="service=$SERVICE_PID;gateway=${GATEWAY_PID:-0};postgres=${POSTGRES_PID:-0}"
outbox_lag() { # -> "sum count" of the service's commit-to-broker-ack timer so far
  curl -sf "$MANAGEMENT/q/metrics" | awk '/^atelier_outbox_lag_seconds_sum/ { s = $NF } /^atelier_outbox_lag_seconds_count/ { c = $NF }
    END { print s + 0, c + 0 }'
}
notify_run() { # notify_run NAME WS_BASE HTTP_BASE TOKENS CLIENTS RATE HOOK_LABEL ("profile": JFR instead of memory) [WARMUP]
  local before gc hook="bash $ROOT/bench/content/memory.sh $7" warmup=${8:-$NOTIFY_WARMUP}
  [ "$7" != profile ] || { rm -f "$WORK/notify.jfr"
    hook="( sleep $warmup; $JCMD $SERVICE_PID JFR.start name=content-notify settings=profile duration=$((NOTIFY_SECONDS + 2))s filename=$WORK/notify.jfr ) > /dev/null 2>&1 &"; }
  echo "== $1: $5 sockets at $2, $6 posts/s for $NOTIFY_SECONDS s" >&2
  before=$(outbox_lag); gc=$(gc_pauses); local started=$SECONDS
  WATCH=$WATCH JIT_PID=$SERVICE_PID "$JAVA" -Xmx2g "$ROOT/bench/content/Notify.java" "$2/ws/notifications" "$3" "$4" "$5" "$6" "$NOTIFY_SECONDS" \
    "$hook" "$warmup" | tee "$WORK/$1.txt"
  awk -v b="$before" -v a="$(outbox_lag)" 'BEGIN { split(b, x, " "); split(a, y, " "); n = y[2] - x[2]
    printf "%s (%d events)\n", (n > 0 ? sprintf("%.1f", 1000 * (y[1] - x[1]) / n) : "-"), n }' > "$WORK/$1.outbox"
  gc_usage "$gc" "$(gc_pauses)" "$((SECONDS - started))" > "$WORK/$1.gc"
}
signup_many direct 100 "$WORK/tokens-direct" 100
notify_run notify-direct "ws://${CONTENT#http://}" "$CONTENT" "$WORK/tokens-direct" "$NOTIFY_CLIENTS" "$NOTIFY_RATE" "sockets-$NOTIFY_CLIENTS-direct" \
  "$NOTIFY_FIRST_WARMUP"
signup_many gateway 100 "$WORK/tokens-gateway" 300
notify_run notify-gateway "ws://${GATEWAY#http://}" "$GATEWAY" "$WORK/tokens-gateway" "$NOTIFY_CLIENTS" "$NOTIFY_RATE" "sockets-$NOTIFY_CLIENTS-gateway"
# The same again with JFR over the writer phase (a run of its own, so the figures above carry no
# recording overhead): where the service's CPU goes while it fans out.
notify_run notify-profiled "ws://${CONTENT#http://}" "$CONTENT" "$WORK/tokens-direct" "$NOTIFY_CLIENTS" "$NOTIFY_RATE" profile \
  > /dev/null
for _ in $(seq 1 30); do [ -s "$WORK/notify.jfr" ] && break; sleep 1; done
"$JAVA" "$ROOT/bench/content/JfrTop.java" "$WORK/notify.jfr" 25 > "$WORK/notify-profile.md" || echo "(no recording)" > "$WORK/notify-profile.md"
idle_note=""
if [ "$IDLE_CLIENTS" -gt 0 ] && [ "$service_nofile" -gt $((IDLE_CLIENTS + 200)) ]; then
  notify_run idle-direct "ws://${CONTENT#http://}" "$CONTENT" "$WORK/tokens-gateway" "$IDLE_CLIENTS" 0 "sockets-$IDLE_CLIENTS-direct"
else
  idle_note="The $IDLE_CLIENTS-socket step was skipped: the service's open-file limit is $service_nofile."
fi
sleep 2
CONNECTED=0 bash bench/content/memory.sh sockets-0-after

# ---- the result file ----
nkv() { sed -n "s/^notify .* $2=\([^ ]*\).*/\1/p" "$WORK/$1.txt" | head -n1; } # nkv FILE KEY
verdict_min() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 >= t ? "pass" : "**miss**") }'; }
verdict_max() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "" && v != "NaN" && v + 0 <= t ? "pass" : "**miss**") }'; }
mem() { awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$MEMORY_FILE"; }
per_socket() { # per_socket LABEL FIELD(4 heap, 5 rss) -> KiB per socket over the no-socket baseline
  awk -v l="$1" -v f="$2" '$1 == "sockets-0" { b = $f } $1 == l { v = $f; n = $2 } END {
    if (n > 0 && v != "") printf "%.1f", (v - b) * 1024 / n; else print "-" }' "$MEMORY_FILE"
}
nginx_workers=$(pgrep -P "${GATEWAY_PID:-0}" 2>/dev/null | wc -l || true)
nginx_conns=$(awk '/worker_connections/ { gsub(";", ""); print $2 + 0 }' .atelier/gateway/nginx.conf 2>/dev/null || true)
nginx_conns=${nginx_conns:-0}
delivered_all() { [ "$(nkv "$1" missing)" = 0 ] && [ "$(nkv "$1" duplicates)" = 0 ] && echo "all" || echo "**not all**"; }
notify_verdict() { # pass only when p99 is within target and every delivery arrived
  local v; v=$(verdict_max "$(nkv "$1" commit_p99)" 25)
  [ "$(nkv "$1" missing)" = 0 ] || v="**miss**"
  echo "$v"
}
{
  echo "# content-service benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n1)), $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r)."
  echo "Service JVM: $("$(readlink "/proc/$SERVICE_PID/exe")" -version 2>&1 | head -n1), $(tr '\0' ' ' < "/proc/$SERVICE_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //'),"
  echo "Quarkus $(ls content-service/target/quarkus-app/lib/main/ | sed -n 's/^io\.quarkus\.quarkus-core-\(.*\)\.jar$/\1/p')."
  echo "Gateway: $(nginx -v 2>&1 | sed 's/^nginx version: //'), $nginx_workers workers x $nginx_conns worker_connections."
  echo "Servers: PostgreSQL $("$(readlink "/proc/$POSTGRES_PID/exe" 2>/dev/null || echo postgres)" --version 2>/dev/null | sed -n 's/.*(PostgreSQL) \([^ ]*\).*/\1/p'),"
  echo "Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), Kafka $(ls .atelier/kafka/libs 2>/dev/null | sed -n 's/^kafka_2\.13-\(.*\)\.jar$/\1/p')."
  echo "Load: $(wrk -v 2>&1 | head -n1 | awk '{print $1, $2}'), bench/content/*.java on $("$JAVA" -version 2>&1 | head -n1); all on the same machine."
  echo "Commit at the start of the run: $START_HEAD ($(git log -1 --format=%cI "$START_HEAD"))$(git diff --quiet "$START_HEAD" -- content-service platform 2>/dev/null || echo ', content-service/platform differ from it now');"
  echo "the content-service jar measured was built $(date -u -r content-service/target/quarkus-app/quarkus-run.jar +%Y-%m-%dT%H:%M:%SZ), its process started $(date -u -d "@$(( $(date +%s) - $(ps -o etimes= -p "$SERVICE_PID") ))" +%Y-%m-%dT%H:%M:%SZ)."
  echo "Rerun: ./atelier up --detach && bench/content/run.sh [$SECS]"
  echo
  echo "**CPU contention.** The service, nginx, PostgreSQL, Redis, Kafka and every load generator share"
  echo "these $(nproc) cores; the tables give each part's CPU (cores used, from /proc) and the machine's"
  echo "busy and steal shares (steal: time the hypervisor gave to other guests) over each measured window."
  echo
  echo "## Against the targets"
  echo
  echo "| measurement | target | measured | verdict |"
  echo "| --- | --- | --- | --- |"
  echo "| GET /api/v1/posts at saturation, direct | >= 5,000 req/s (aim 8,700) | $best_direct req/s | $(verdict_min "$best_direct" 5000) |"
  echo "| GET /api/v1/posts at saturation, via gateway | >= 5,000 req/s (aim 8,700) | $best_gateway req/s | $(verdict_min "$best_gateway" 5000) |"
  echo "| p99 at $FIXED_RATE req/s, direct | <= 20 ms | $(kv fixed-direct p99) ms | $(verdict_max "$(kv fixed-direct p99)" 20) |"
  echo "| p99 at $FIXED_RATE req/s, via gateway | <= 20 ms | $(kv fixed-gateway p99) ms | $(verdict_max "$(kv fixed-gateway p99)" 20) |"
  echo "| notification p99, $NOTIFY_CLIENTS sockets, direct | <= 25 ms, all delivered | $(nkv notify-direct commit_p99) ms, $(nkv notify-direct delivered) of $(nkv notify-direct expected) | $(notify_verdict notify-direct) |"
  echo "| notification p99, $NOTIFY_CLIENTS sockets, via gateway | <= 25 ms, all delivered | $(nkv notify-gateway commit_p99) ms, $(nkv notify-gateway delivered) of $(nkv notify-gateway expected) | $(notify_verdict notify-gateway) |"
  echo "| heap per open socket (after full GC) | - | $(per_socket "sockets-$NOTIFY_CLIENTS-direct" 4) KiB at $NOTIFY_CLIENTS, $(per_socket "sockets-$IDLE_CLIENTS-direct" 4) KiB at $IDLE_CLIENTS | - |"
  echo
  echo "## 1. GET /api/v1/posts at saturation (wrk)"
  echo
  echo "| run | connections | req/s | p50 | p99 | non-2xx | service cores | nginx cores | PostgreSQL cores | wrk cores | machine busy | steal | service GC pauses: count, total (share) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for c in 32 64; do
    echo "| direct (:${CONTENT##*:}) | $c | $(wrk_row "list-direct-c$c") |"
    echo "| via gateway (:${GATEWAY##*:}) | $c | $(wrk_row "list-gateway-c$c") |"
  done
  echo "| page 2 (\`?cursor=\`), direct, for comparison | 32 | $(wrk_row "list-page2-direct-c32") |"
  echo
  echo "How measured: $SEED_POSTS posts seeded first by 10 accounts (titles ~35 characters, bodies of"
  echo "$SEED_BODY_CHARS characters), so the default page is $page_items full posts: $page_bytes bytes of JSON per answer."
  echo "The last row asks for the second page (the first page's \`nextCursor\`; $page2_bytes bytes), which no cache of"
  echo "the first page can answer; it is not a target figure. The same account's access token in"
  echo "\`Authorization: Bearer\` on every request. The service was first warmed up with the same load in 10 s steps until its JIT compiler"
  echo "threads used under 2 % of its CPU ($warm s; last step ${warm_jit} %). Then per row: wrk, $THREADS threads,"
  echo "5 s discarded, ${SECS} s measured (\`wrk --latency\`; wrk is closed loop, so its percentiles are"
  echo "service time at saturation, not latency at a given rate). Saturation figure = the better connection count."
  echo
  echo "## 2. Latency at a fixed $FIXED_RATE req/s (open loop)"
  echo
  echo "| run | statuses | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | client send lag p99 ms | service cores | nginx cores | machine busy | steal | service GC pauses: count, total (share) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  echo "| direct | $(fixed_row fixed-direct) |"
  echo "| via gateway | $(fixed_row fixed-gateway) |"
  echo
  echo "How measured: bench/content/FixedRate.java (Debian has no wrk2): request i is due at start + i/$FIXED_RATE s"
  echo "whatever happened before it, and its latency runs from that due time to the answer's last byte, so a"
  echo "stall counts against every request it delays (no coordinated omission). 32 keep-alive connections take"
  echo "due requests from one counter; a request due while all are busy waits, and the wait is in its latency."
  echo "5 s sent and discarded, then ${FIXED_SECONDS} s ($((FIXED_RATE * FIXED_SECONDS)) requests) measured. \"Client send lag\""
  echo "is how late requests left against their due time (time waiting for a free connection, or the client's"
  echo "own scheduling); CPU and GC columns cover the whole $((FIXED_SECONDS + 5)) s. GC pauses from the service's"
  echo "\`jvm_gc_pause_seconds\` (count and sum before and after). The client's own account of each run:"
  echo
  echo '```'
  for r in fixed-direct fixed-gateway; do echo "$r:"; sed -n '2,$p' "$WORK/$r.txt"; done
  echo '```'
  echo
  echo "## 3. Notification latency, commit to socket, $NOTIFY_CLIENTS sockets"
  echo
  echo "| run | sockets open | posts created | deliveries / expected | duplicates | closes | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in notify-direct notify-gateway; do
    echo "| ${r#notify-} | $(nkv $r open_at_start) | $(nkv $r created) ($(nkv $r post_statuses)) | $(nkv $r delivered) / $(nkv $r expected) ($(delivered_all $r)) | $(nkv $r duplicates) | $(nkv $r closes) | $(nkv $r commit_p50) | $(nkv $r commit_p90) | $(nkv $r commit_p99) | $(nkv $r commit_p99.9) | $(nkv $r commit_max) |"
  done
  echo
  echo "Breakdown (ms):"
  echo
  echo "| run | writer's send to socket p50 / p99 / max | per post: occurredAt to first socket (pipeline) p50 / p99 / max | per post: first to last socket (fan-out) p50 / p99 / max | outbox: commit to broker ack, mean | POST p50 / p99 | CPU: service / nginx / PostgreSQL / client JVM (cores) | machine busy / steal | service's JIT compilers, share of its CPU | service GC pauses (whole run) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in notify-direct notify-gateway; do
    echo "| ${r#notify-} | $(nkv $r send_p50) / $(nkv $r send_p99) / $(nkv $r send_max) | $(nkv $r pipeline_p50) / $(nkv $r pipeline_p99) / $(nkv $r pipeline_max) | $(nkv $r fanout_p50) / $(nkv $r fanout_p99) / $(nkv $r fanout_max) | $(cat "$WORK/$r.outbox") | $(nkv $r post_p50) / $(nkv $r post_p99) | $(nkv $r cpu_service) / $(nkv $r cpu_gateway) / $(nkv $r cpu_postgres) / $(nkv $r cpu_client) | $(nkv $r machine_busy_pct) % / $(nkv $r steal_pct) % | $(nkv $r service_jit_pct) % | $(cat "$WORK/$r.gc") |"
  done
  echo
  echo "How measured: bench/content/Notify.java opens $NOTIFY_CLIENTS sockets to \`/ws/notifications?types=post_created\`"
  echo "(bench/lib/WebSockets.java, a minimal RFC 6455 client on NIO, two selector threads, one JVM: the JDK's \`java.net.http.WebSocket\`"
  echo "took 1.1 of the 2 cores to take 40,000 messages/s in a first run, which is CPU the service then lacks;"
  echo "100 fresh accounts, each token on 20 sockets, sent as \`Authorization: Bearer\` on the handshake), waits 2 s and counts the sockets"
  echo "still open, then a writer creates posts open loop at $NOTIFY_RATE/s (POST through the same door as the sockets):"
  echo "$NOTIFY_FIRST_WARMUP s (the first run, direct) or $NOTIFY_WARMUP s (the others) of warm-up posts, left out of the latencies and CPU"
  echo "figures (the service's JIT compilers are still at work on a fresh fan-out path: the JIT column shows what share of its CPU"
  echo "they took while measured),"
  echo "then $NOTIFY_SECONDS s measured. Every socket"
  echo "must receive every created post, warm-up ones included. Latency per delivery runs from the"
  echo "notification's \`occurredAt\` (the service's clock read inside the creating transaction, before the insert"
  echo "and commit; so the figure is an upper bound of commit-to-socket by the insert + commit time) to the"
  echo "moment the whole frame reached the client's listener; one wall clock, as everything runs on this"
  echo "machine. \"Writer's send\" is the looser bound from just before the POST left. The path in between:"
  echo "commit, outbox relay to Kafka (acks=all), the Notifier consumer appends to the Redis feed, every"
  echo "instance's tail (XREAD BLOCK) fans the frame out to its sockets. CPU over the measured writing. The"
  echo "outbox column is the service's own timer \`atelier_outbox_lag_seconds\` (outbox row's creation to the"
  echo "broker's acknowledgement; sum and count read from the metrics before and after the run: the mean over"
  echo "the events of that run)."
  echo "The client's own account of each run, with the worst post of each second of writing (a growing"
  echo "series is a backlog, single peaks are stalls):"
  echo
  echo '```'
  for r in notify-direct notify-gateway; do echo "$r:"; sed -n '/^  /p' "$WORK/$r.txt"; done
  echo '```'
  echo
  echo "## 4. Open sockets: heap and RSS of the service"
  echo
  echo "| state | sockets (client / service gauge) | heap used after full GC MiB | RSS MiB | threads | fds | heap per socket KiB | RSS per socket KiB |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  while read -r label open gauge heap rss threads fds; do
    echo "| $label | $open / $gauge | $heap | $rss | $threads | $fds | $(per_socket "$label" 4) | $(per_socket "$label" 5) |"
  done < "$MEMORY_FILE"
  echo
  echo "How measured: \`jcmd <pid> GC.run\` (a full collection), 1 s, then heap = the sum of"
  echo "\`jvm_memory_used_bytes{area=\"heap\"}\` from $MANAGEMENT/q/metrics, RSS = VmRSS of /proc/<pid>/status;"
  echo "the service runs with $(tr '\0' ' ' < "/proc/$SERVICE_PID/cmdline" | grep -o -- '-Xmx[^ ]*' || echo 'the JVM default heap')."
  echo "Taken with no sockets, with the sockets of each run open and idle (before the writer starts), and"
  echo "after the last run closed its sockets. Per socket = (value - no-socket value) / sockets. RSS only grows"
  echo "as the heap expands and is not given back at once, so its per-socket figure is rough."
  echo "${idle_note}"
  echo "Through the gateway each socket holds two nginx connections (client and upstream):"
  echo "$nginx_workers workers x $nginx_conns worker_connections = $(( nginx_workers * nginx_conns )) connections, so about $(( nginx_workers * nginx_conns / 2 )) sockets"
  echo "at most, fewer if the kernel spreads them unevenly over the workers; the $IDLE_CLIENTS-socket step is direct only."
  echo
  echo "## Where the list endpoint's CPU goes (JFR)"
  echo
  echo "(The notification fan-out's profile follows this one.)"
  echo
  echo "JFR with \`settings=profile\` during a separate 20 s wrk run (direct, 32 connections,"
  echo "$(awk '/Requests\/sec/{print $2}' "$WORK/list-profiled.txt") req/s while recording). Execution samples are Java"
  echo "frames of running threads (native time such as syscalls and GC is not in them)."
  echo
  cat "$WORK/list-profile.md"
  echo
  echo "### Page 2 (\`?cursor=\`)"
  echo
  echo "The same, for the second page ($(awk '/Requests\/sec/{print $2}' "$WORK/list-page2-profiled.txt") req/s while recording)."
  echo
  cat "$WORK/list-page2-profile.md"
  echo
  echo "## Where the service's CPU goes while notifying (JFR)"
  echo
  echo "A third run like the direct one above ($NOTIFY_CLIENTS sockets, $NOTIFY_RATE posts/s), with JFR (\`settings=profile\`)"
  echo "over the measured writing (after the warm-up posts); its own figures (not used above):"
  echo "p50 $(nkv notify-profiled commit_p50) ms, p99 $(nkv notify-profiled commit_p99) ms, $(nkv notify-profiled delivered) of $(nkv notify-profiled expected) delivered."
  echo
  cat "$WORK/notify-profile.md"
} > "$OUT"
echo; cat "$OUT"; echo; echo "written to $OUT"
