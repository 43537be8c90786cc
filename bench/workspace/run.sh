#!/usr/bin/env bash
# workspace-service benchmark (issue 10): GET /api/v1/projects (answered from the Redis cache) at
# saturation (wrk) and at fixed rates (open loop, bench/content/FixedRate.java), straight to the service
# and through the gateway; the live workspace with FANOUT_CLIENTS sockets on one project split over two
# instances (the suite's and a second one this script starts with ./atelier instance), FILE_CHANGE and
# CURSOR_UPDATE fan-out latency (bench/workspace/LiveFanout.java), the same on one instance for
# comparison; and idle sockets on one instance started with -Xmx$SECOND_HEAP (heap after a full GC, RSS,
# threads, fds) at 0, 1,000 and IDLE_CLIENTS sockets. Needs the suite running (./atelier up --detach) and
# a JDK >= 22 (the client programs are multi-file source programs). Signs up 1 + FANOUT_USERS accounts
# per run, each from its own X-Forwarded-For address (sign-ups are limited per address), and creates
# LIST_PROJECTS + 1 + IDLE_PROJECTS projects. Takes about 13 minutes.
# Writes bench/results/workspace-<UTC time>.md. Usage: bench/workspace/run.sh [seconds per wrk test, default 20]
# Settings (env): LIST_PROJECTS=20 LIST_CONNECTIONS="8 32 64" FIXED_RATES="2000 8000" FIXED_SECONDS=20
# FANOUT_CLIENTS=1000 FANOUT_USERS=100 FILE_RATE=10 CURSOR_RATE=20 SENDERS=10 FANOUT_SECONDS=30
# FANOUT_WARMUP=30 ONE_INSTANCE=1 (0: skip the one-instance comparison) IDLE_CLIENTS=5000 IDLE_PROJECTS=10 SECOND_PORT=8093
# SECOND_HEAP=512m WARMUP_MAX=300 (seconds of JIT warm-up at most).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECS=${1:-20}
export ATELIER_HOME=${ATELIER_HOME:-$ROOT/.atelier}
STATE=$ATELIER_HOME
WORKSPACE=${WORKSPACE_URL:-http://127.0.0.1:8083}
MANAGEMENT=${WORKSPACE_MANAGEMENT_URL:-http://127.0.0.1:9083}
AUTH=${AUTH_URL:-http://127.0.0.1:8081}
GATEWAY=${GATEWAY_URL:-http://127.0.0.1:8080}
SECOND_PORT=${SECOND_PORT:-8093}
SECOND=http://127.0.0.1:$SECOND_PORT
SECOND_MANAGEMENT=http://127.0.0.1:$((SECOND_PORT + 1000))
SECOND_HEAP=${SECOND_HEAP:-512m}
LIST_PROJECTS=${LIST_PROJECTS:-20}
LIST_CONNECTIONS=${LIST_CONNECTIONS:-8 32 64}
FIXED_RATES=${FIXED_RATES:-2000 8000}
FIXED_SECONDS=${FIXED_SECONDS:-20}
FANOUT_CLIENTS=${FANOUT_CLIENTS:-1000}
FANOUT_USERS=${FANOUT_USERS:-100}
FILE_RATE=${FILE_RATE:-10}
CURSOR_RATE=${CURSOR_RATE:-20}
SENDERS=${SENDERS:-10}
FANOUT_SECONDS=${FANOUT_SECONDS:-30}
FANOUT_WARMUP=${FANOUT_WARMUP:-30} # B is a fresh JVM: 10 s left its FILE_CHANGE path compiling in the measured window
ONE_INSTANCE=${ONE_INSTANCE:-1}
IDLE_CLIENTS=${IDLE_CLIENTS:-5000}
IDLE_PROJECTS=${IDLE_PROJECTS:-10}
WARMUP_MAX=${WARMUP_MAX:-300}
THREADS=2
TARGET_RPS=8000
WORK=$ROOT/bench/.work/workspace; mkdir -p "$WORK" bench/results
START_HEAD=$(git rev-parse --short HEAD)
STAMP=$(date -u +%Y%m%dT%H%MZ)
OUT=bench/results/workspace-$STAMP.md
fail() { echo "bench/workspace/run.sh: $*" >&2; exit 1; }

# ---- preconditions ----
# wrk comes from apt when missing, as the launcher installs its servers (deploy/local/lib/common.sh).
( . deploy/local/lib/common.sh && mkdir -p "$LOGS" && ensure_command wrk wrk ) || fail "wrk is missing and apt could not install it"
JDK=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
[ -x "$JDK/bin/java" ] && [ -x "$JDK/bin/jcmd" ] || fail "no JDK >= 22 with jcmd (set JAVA_HOME)"
JAVA=$JDK/bin/java; JCMD=$JDK/bin/jcmd
jdk_major=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[ "${jdk_major:-0}" -ge 22 ] || fail "$JAVA is Java $jdk_major; the bench's clients need >= 22 (multi-file source launcher; set JAVA_HOME)"
JAR=$ROOT/workspace-service/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || fail "workspace-service is not built ($JAR); run ./atelier up --detach"
curl -sf "$MANAGEMENT/q/health/ready" >/dev/null || fail "workspace-service is not ready ($MANAGEMENT); run ./atelier up --detach"
curl -sf "${AUTH_MANAGEMENT_URL:-http://127.0.0.1:9081}/q/health/ready" >/dev/null || fail "auth-service is not ready; run ./atelier up --detach"
gw_status=$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/api/v1/projects" || true)
[ "$gw_status" = 401 ] || fail "the gateway ($GATEWAY) answered GET /api/v1/projects with '$gw_status', not 401; run ./atelier up --detach"
SERVICE_PID=$(cat "$STATE/run/workspace-service.pid" 2>/dev/null || true)
[ -n "$SERVICE_PID" ] && [ -d "/proc/$SERVICE_PID" ] || fail "no workspace-service process from ./atelier ($STATE/run/workspace-service.pid)"
GATEWAY_PID=$(cat "$STATE/run/gateway.pid" 2>/dev/null || true)
POSTGRES_PID=$(cat "$STATE/run/postgres.pid" 2>/dev/null || true)
REDIS_PID=$(cat "$STATE/run/redis.pid" 2>/dev/null || true)
[ -n "$REDIS_PID" ] && [ -d "/proc/$REDIS_PID" ] || fail "no Redis process from ./atelier ($STATE/run/redis.pid)"
SECOND_NAME=workspace-service@$SECOND_PORT
if [ -s "$STATE/run/$SECOND_NAME.pid" ] && [ -d "/proc/$(cat "$STATE/run/$SECOND_NAME.pid")" ]; then
  echo "== a $SECOND_NAME from an earlier run is still up: stopping it (./atelier stop $SECOND_NAME)"
  ./atelier stop "$SECOND_NAME" > /dev/null
fi
for p in "$SECOND_PORT" $((SECOND_PORT + 1000)); do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || fail "port $p (the second instance's) is in use; set SECOND_PORT"
done
# Sockets: the client JVM holds one descriptor per socket, so does the instance (which inherits this limit).
need=$((IDLE_CLIENTS + 2000))
[ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge $((FANOUT_CLIENTS + 500)) ] || fail "open-file limit $(ulimit -n) is too low for $FANOUT_CLIENTS sockets"
export JCMD MEMORY_FILE=$WORK/memory.txt
: > "$MEMORY_FILE"
SECOND_PID=

# ---- CPU accounting: ticks of both instances, nginx, PostgreSQL, Redis (with children) and the machine ----
ticks_of() { # ticks_of PID -> CPU ticks of PID and its children so far: its utime+stime+cutime+cstime (children it
  # has reaped, such as PostgreSQL's ended backends) plus utime+stime of its live children; so it never goes back
  local pid=$1 t c
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || { echo 0; return; }
  t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
  for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
snapshot() { # -> "service service2 gateway postgres redis machine_all machine_busy machine_steal"
  echo "$(ticks_of "$SERVICE_PID") $(ticks_of "$SECOND_PID") $(ticks_of "$GATEWAY_PID") $(ticks_of "$POSTGRES_PID") $(ticks_of "$REDIS_PID") $(head -n1 /proc/stat | awk '{
    all = 0; for (i = 2; i <= 9; i++) all += $i; print all, $2 + $3 + $4 + $7 + $8, $9 }')"
}
HZ=$(getconf CLK_TCK)
usage() { # usage BEFORE AFTER SECONDS -> "service service2 gateway postgres redis (cores) busy% steal%"
  awk -v b="$1" -v a="$2" -v s="$3" -v hz="$HZ" 'BEGIN { split(b, x, " "); split(a, y, " ")
    all = y[6] - x[6]; if (all <= 0) all = 1
    printf "%.2f %.2f %.2f %.2f %.2f %.0f %.0f", (y[1] - x[1]) / hz / s, (y[2] - x[2]) / hz / s, (y[3] - x[3]) / hz / s,
      (y[4] - x[4]) / hz / s, (y[5] - x[5]) / hz / s, 100 * (y[7] - x[7]) / all, 100 * (y[8] - x[8]) / all }'
}
gc_pauses() { # gc_pauses MANAGEMENT_URL -> "count seconds" of GC pauses so far (not counting the full GCs jcmd asked for)
  curl -sf "$1/q/metrics" | awk '/^jvm_gc_pause_seconds_(count|sum)\{/ && !/Diagnostic Command/ { sub(/ # \{.*/, "") # no exemplar
    if ($0 ~ /_count\{/) c += $NF; else s += $NF } END { print c + 0, s + 0 }'
}
gc_usage() { # gc_usage BEFORE AFTER SECONDS -> "N, T ms (P %)"
  awk -v b="$1" -v a="$2" -v w="$3" 'BEGIN { split(b, x, " "); split(a, y, " "); n = y[1] - x[1]; t = 1000 * (y[2] - x[2])
    printf "%d, %.0f ms (%.1f %%)", n, t, t / 10 / w }'
}
cache_counts() { # -> "hits misses" of the projects cache so far
  curl -sf "$MANAGEMENT/q/metrics" | awk '/^atelier_workspace_cache_requests_total\{/ && /cache="projects"/ { sub(/ # \{.*/, "") # no exemplar
    if ($0 ~ /outcome="hit"/) h += $NF; else if ($0 ~ /outcome="miss"/) m += $NF } END { printf "%d %d\n", h, m }'
}
jit_ticks() { # -> "JIT-compiler-ticks all-ticks" of the service's threads so far
  { cat /proc/"$SERVICE_PID"/task/*/stat 2>/dev/null || true; } | awk '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\).*/, "", name)
    rest = $0; sub(/^[^)]*\) /, "", rest); split(rest, f, " "); t = f[12] + f[13]; all += t
    if (name ~ /Compiler/) jit += t } END { print jit + 0, all + 0 }'
}
jit_share() { awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); all = y[2] - x[2]
  printf "%.1f", (all > 0 ? 100 * (y[1] - x[1]) / all : 0) }'; }

# ---- accounts: one X-Forwarded-For address per sign-up ----
pw='correct horse battery staple'
run_id=$(date +%s)
ip_for() { echo "100.$((64 + run_id / 60 % 64)).$(($1 / 250)).$(($1 % 250 + 1))"; }
signup() { # signup NAME N -> "userId accessToken", signed up from address number N (nothing when it failed)
  local body
  body=$(curl -sf -H 'Content-Type: application/json' -H "X-Forwarded-For: $(ip_for "$2")" \
    -d "{\"email\":\"workspace-bench-$run_id-$1@example.com\",\"password\":\"$pw\",\"displayName\":\"Bench $1\"}" \
    "$AUTH/api/v1/auth/signup" || true)
  printf '%s %s\n' "$(sed -n 's/.*"user":{[^}]*"id":"\([^"]*\)".*/\1/p' <<< "$body")" \
    "$(sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p' <<< "$body")" | awk 'NF == 2'
}
signup_many() { # signup_many PREFIX COUNT FILE FIRST_ADDRESS_NUMBER: COUNT "id token" lines into FILE, 4 at a time
  local i; : > "$3"
  for i in $(seq 1 "$2"); do
    signup "$1-$i" $(($4 + i)) > "$3.$i" &
    [ $((i % 4)) -ne 0 ] || wait
  done
  wait
  for i in $(seq 1 "$2"); do cat "$3.$i" >> "$3"; rm -f "$3.$i"; done
  [ "$(grep -c . "$3")" -eq "$2" ] || fail "only $(grep -c . "$3") of $2 sign-ups ($1) succeeded"
}

# ==== 1. GET /api/v1/projects ====
echo "== an account with $LIST_PROJECTS projects"
read -r LIST_USER TOKEN < <(signup lister 0) || true
[ -n "${TOKEN:-}" ] || fail "sign-up failed ($AUTH)"
AUTHZ="Authorization: Bearer $TOKEN"
: > "$WORK/create-statuses"
for i in $(seq 1 "$LIST_PROJECTS"); do
  curl -s -o /dev/null -w '%{http_code}\n' -H "$AUTHZ" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Benchmark project $i of run $run_id\",\"description\":\"A project the workspace benchmark lists.\"}" \
    "$WORKSPACE/api/v1/projects" >> "$WORK/create-statuses"
done
created=$(grep -c '^201$' "$WORK/create-statuses" || true)
[ "$created" -eq "$LIST_PROJECTS" ] || fail "only $created of $LIST_PROJECTS projects were created ($(sort "$WORK/create-statuses" | uniq -c | tr '\n' ' '))"
curl -sf -H "$AUTHZ" "$WORKSPACE/api/v1/projects" > "$WORK/list.json" || fail "GET /api/v1/projects failed"
page_bytes=$(wc -c < "$WORK/list.json")
page_items=$(grep -o '"role":"' "$WORK/list.json" | wc -l)
[ "$page_items" -eq "$(( LIST_PROJECTS < 20 ? LIST_PROJECTS : 20 ))" ] || fail "GET /api/v1/projects answered $page_items projects, not $LIST_PROJECTS"

# JIT warm-up: the list path until the compilers use under 2 % of the service's CPU.
warm=0
while :; do
  before=$(jit_ticks)
  wrk -t$THREADS -c32 -d10s -H "$AUTHZ" "$WORKSPACE/api/v1/projects" > "$WORK/warmup.txt" 2>&1
  warm=$((warm + 10)); share=$(jit_share "$before" "$(jit_ticks)")
  echo "== GET /api/v1/projects warm-up: ${warm} s, $(awk '/Requests\/sec/{print $2}' "$WORK/warmup.txt") req/s, JIT ${share} % of the service's CPU in the last 10 s"
  if { [ "$warm" -ge 30 ] && awk -v s="$share" 'BEGIN { exit !(s < 2) }'; } || [ "$warm" -ge "$WARMUP_MAX" ]; then break; fi
done
warm_jit=$share

wrk_run() { # wrk_run NAME CONNECTIONS URL: 5 s discarded, then SECS measured; output, CPU, GC and cache hits stored
  local name=$1 conns=$2 url=$3 before after gc cache
  wrk -t$THREADS -c"$conns" -d5s -H "$AUTHZ" "$url" > /dev/null 2>&1
  before=$(snapshot); gc=$(gc_pauses "$MANAGEMENT"); cache=$(cache_counts)
  /usr/bin/time -f '%e %U %S' -o "$WORK/$name.time" wrk -t$THREADS -c"$conns" -d"${SECS}s" --latency -H "$AUTHZ" "$url" > "$WORK/$name.txt" 2>&1
  after=$(snapshot)
  usage "$before" "$after" "$SECS" > "$WORK/$name.cpu"
  gc_usage "$gc" "$(gc_pauses "$MANAGEMENT")" "$SECS" > "$WORK/$name.gc"
  awk -v b="$cache" -v a="$(cache_counts)" 'BEGIN { split(b, x, " "); split(a, y, " "); h = y[1] - x[1]; m = y[2] - x[2]
    printf "%.2f %% of %d", (h + m > 0 ? 100 * h / (h + m) : 0), h + m }' > "$WORK/$name.cache"
  echo "== $name"; grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' "$WORK/$name.txt" || true
}
wrk_row() { # wrk_row NAME -> "req/s | p50 | p99 | non-2xx | cache hits | service | nginx | postgres | redis | wrk | busy | steal | GC"
  local f=$WORK/$1.txt svc svc2 gw pg rd busy steal el us sy
  read -r svc svc2 gw pg rd busy steal < "$WORK/$1.cpu"
  read -r el us sy < "$WORK/$1.time"
  printf '%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %% | %s %%' "$(awk '/Requests\/sec/{print $2}' "$f")" \
    "$(awk '$1=="50%"{print $2}' "$f")" "$(awk '$1=="99%"{print $2}' "$f")" \
    "$(awk '/Non-2xx/{print $NF}' "$f" | head -n1)$(awk '/Socket errors/{print " (" $0 ")"}' "$f")" "$(cat "$WORK/$1.cache")" \
    "$svc" "$(awk -v c="$svc" -v r="$(awk '/Requests\/sec/{print $2}' "$f")" 'BEGIN { printf "%.0f", (r > 0 ? c * 1e6 / r : 0) }')" \
    "$gw" "$pg" "$rd" "$(awk -v e="$el" -v u="$us" -v s="$sy" 'BEGIN { printf "%.2f", (u + s) / e }')" "$busy" "$steal"
  printf ' | %s' "$(cat "$WORK/$1.gc")"
}
rps() { awk '/Requests\/sec/{print $2}' "$WORK/$1.txt"; }
p50ms() { awk '$1=="50%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms$/, "", v);
  else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' "$WORK/$1.txt"; }
for c in $LIST_CONNECTIONS; do
  wrk_run "list-direct-c$c" "$c" "$WORKSPACE/api/v1/projects"
  wrk_run "list-gateway-c$c" "$c" "$GATEWAY/api/v1/projects"
done
best_row() { # best_row DOOR -> the row name with the most req/s among those with p50 <= 2 ms, else the most req/s
  local c best= best_any= r
  for c in $LIST_CONNECTIONS; do
    r=list-$1-c$c
    if [ -z "$best_any" ] || awk -v a="$(rps "$r")" -v b="$(rps "$best_any")" 'BEGIN { exit !(a > b) }'; then best_any=$r; fi
    if awk -v p="$(p50ms "$r")" 'BEGIN { exit !(p <= 2) }' && { [ -z "$best" ] || awk -v a="$(rps "$r")" -v b="$(rps "$best")" 'BEGIN { exit !(a > b) }'; }; then best=$r; fi
  done
  echo "${best:-$best_any}"
}
best_direct=$(best_row direct); best_gateway=$(best_row gateway)

# Fixed rates, open loop (bench/content/FixedRate.java, used where it is).
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$WORK/$1.txt" | head -n1; } # kv FILE KEY
fixed_run() { # fixed_run NAME URL RATE
  local before after gc
  before=$(snapshot); gc=$(gc_pauses "$MANAGEMENT")
  BENCH_TOKEN=$TOKEN /usr/bin/time -f '%e %U %S' -o "$WORK/$1.time" \
    "$JAVA" "$ROOT/bench/content/FixedRate.java" "$2" "$3" "$FIXED_SECONDS" 32 5 > "$WORK/$1.txt"
  after=$(snapshot)
  local took; took=$(awk '{ print $1 }' "$WORK/$1.time") # the whole run: longer than planned when the client fell behind
  usage "$before" "$after" "$took" > "$WORK/$1.cpu"
  gc_usage "$gc" "$(gc_pauses "$MANAGEMENT")" "$took" > "$WORK/$1.gc"
  echo "== $1"; sed -n '2,$p' "$WORK/$1.txt"
}
fixed_row() {
  local svc svc2 gw pg rd busy steal el us sy
  read -r svc svc2 gw pg rd busy steal < "$WORK/$1.cpu"
  read -r el us sy < "$WORK/$1.time"
  printf '%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %% | %s %%' "$(kv "$1" statuses)" "$(kv "$1" p50)" "$(kv "$1" p90)" \
    "$(kv "$1" p99)" "$(kv "$1" p99.9)" "$(kv "$1" max)" "$(kv "$1" send_lag_p99)" "$svc" "$gw" "$pg" "$rd" \
    "$(awk -v e="$el" -v u="$us" -v s="$sy" 'BEGIN { printf "%.2f", (u + s) / e }')" "$busy" "$steal"
  printf ' | %s' "$(cat "$WORK/$1.gc")"
}
for r in $FIXED_RATES; do
  fixed_run "fixed-direct-$r" "$WORKSPACE/api/v1/projects" "$r"
  fixed_run "fixed-gateway-$r" "$GATEWAY/api/v1/projects" "$r"
done
TARGET_FIXED=$(for r in $FIXED_RATES; do echo "$r"; done | awk -v t="$TARGET_RPS" '$1 >= t' | sort -n | head -n1)
TARGET_FIXED=${TARGET_FIXED:-$(for r in $FIXED_RATES; do echo "$r"; done | sort -n | tail -n1)}

# ==== the second instance ====
echo "== starting $SECOND_NAME (-Xmx$SECOND_HEAP, raised invitation and per-user socket limits)"
cleanup() { ./atelier stop "$SECOND_NAME" > /dev/null 2>&1 || true; }
trap cleanup EXIT
./atelier instance workspace-service "$SECOND_PORT" "ATELIER_JAVA_OPTS=-Xmx$SECOND_HEAP" \
  ATELIER_WORKSPACE_INVITES_LIMIT=100000 ATELIER_WORKSPACE_LIVE_CONNECTIONS_PER_USER=1000 > "$WORK/instance.log" 2>&1 \
  || { cat "$WORK/instance.log" >&2; fail "./atelier instance workspace-service $SECOND_PORT failed"; }
SECOND_PID=$(cat "$STATE/run/$SECOND_NAME.pid")
[ -d "/proc/$SECOND_PID" ] || fail "$SECOND_NAME is not running"
SERVICE_NOFILE=$(awk '/^Max open files/ { print $4 }' "/proc/$SERVICE_PID/limits")
SECOND_NOFILE=$(awk '/^Max open files/ { print $4 }' "/proc/$SECOND_PID/limits")
mem() { # mem LABEL A|B: memory.sh for one instance
  if [ "$2" = A ]; then SERVICE_PID=$SERVICE_PID MANAGEMENT=$MANAGEMENT bash "$ROOT/bench/workspace/memory.sh" "$1"
  else SERVICE_PID=$SECOND_PID MANAGEMENT=$SECOND_MANAGEMENT bash "$ROOT/bench/workspace/memory.sh" "$1"; fi
}
sleep 5 # its start-up JIT and Kafka group join settle
CONNECTED=0 mem b-fresh B

# ==== members of one project ====
echo "== $FANOUT_USERS accounts, members of one project"
signup_many member "$FANOUT_USERS" "$WORK/members" 1000
awk '{ print $2 }' "$WORK/members" > "$WORK/tokens"
read -r OWNER_ID OWNER_TOKEN < "$WORK/members"
new_project() { # new_project NAME -> id (the owner's)
  curl -sf -H "Authorization: Bearer $OWNER_TOKEN" -H 'Content-Type: application/json' -d "{\"name\":\"$1\"}" \
    "$SECOND/api/v1/projects" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' || true
}
# Invitations by userId to the second instance (its invitation limit is raised; the counter is in Redis).
# A sign-up reaches the users replica through Kafka within seconds: 404 unknown-user is retried.
invite_all() { # invite_all PROJECT STATUS_FILE: every member but the owner as COLLABORATOR; "status retries" lines
  local id _ status attempt tries
  while read -r id _; do
    [ "$id" != "$OWNER_ID" ] || continue
    tries=0
    for attempt in $(seq 1 240); do
      status=$(curl -s -o "$2.json" -w '%{http_code}' -H "Authorization: Bearer $OWNER_TOKEN" -H 'Content-Type: application/json' \
        -d "{\"userId\":\"$id\",\"role\":\"COLLABORATOR\"}" "$SECOND/api/v1/projects/$1/collaborators" || true)
      [ "$status" = 404 ] && grep -q 'unknown-user' "$2.json" || break
      tries=$((tries + 1)); sleep 0.5
    done
    echo "$status $tries $(head -c 200 "$2.json" | tr '\n' ' ')" >> "$2"
  done < "$WORK/members"
}
PROJECT=$(new_project "Live benchmark of run $run_id")
[ -n "$PROJECT" ] || fail "could not create the live project"
IDLE_PROJECT_IDS=()
for i in $(seq 1 "$IDLE_PROJECTS"); do
  id=$(new_project "Idle benchmark $i of run $run_id"); [ -n "$id" ] || fail "could not create idle project $i"
  IDLE_PROJECT_IDS+=("$id")
done
started_invites=$SECONDS
rm -rf "$WORK/invites"; mkdir -p "$WORK/invites"
invite_all "$PROJECT" "$WORK/invites/live.txt" # first alone: it waits out the users replica
for id in "${IDLE_PROJECT_IDS[@]}"; do invite_all "$id" "$WORK/invites/$id.txt" & done
wait
invite_seconds=$((SECONDS - started_invites))
invited=$(cat "$WORK"/invites/*.txt | awk '$1 == 201' | wc -l)
retries=$(cat "$WORK"/invites/*.txt | awk '{ s += $2 } END { print s + 0 }')
[ "$invited" -eq $(( (FANOUT_USERS - 1) * (IDLE_PROJECTS + 1) )) ] \
  || fail "only $invited of $(( (FANOUT_USERS - 1) * (IDLE_PROJECTS + 1) )) invitations succeeded: $(cat "$WORK"/invites/*.txt | awk '$1 != 201' | head -n 3)"
echo "== $invited invitations in $invite_seconds s ($retries retries on unknown-user)"

# ==== 2. fan-out ====
WATCH="service_a=$SERVICE_PID;service_b=$SECOND_PID;postgres=${POSTGRES_PID:-0};redis=$REDIS_PID"
fanout_run() { # fanout_run NAME URLS CLIENTS PHASES HOOK [extra key=value...]
  local name=$1 urls=$2 clients=$3 phases=$4 hook=$5 gca gcb started=$SECONDS; shift 5
  echo "== $name: $clients sockets at $urls, phases '$phases'" >&2
  gca=$(gc_pauses "$MANAGEMENT"); gcb=$(gc_pauses "$SECOND_MANAGEMENT")
  WATCH=$WATCH "$JAVA" -Xmx1g "$ROOT/bench/workspace/LiveFanout.java" "urls=$urls" "projects=$PROJECT" "tokens=$WORK/tokens" \
    "clients=$clients" "phases=$phases" "file_rate=$FILE_RATE" "cursor_rate=$CURSOR_RATE" "senders=$SENDERS" \
    "seconds=$FANOUT_SECONDS" "warmup=$FANOUT_WARMUP" "label=$name" "hook=$hook" "$@" | tee "$WORK/$name.txt"
  echo "A $(gc_usage "$gca" "$(gc_pauses "$MANAGEMENT")" "$((SECONDS - started))")" > "$WORK/$name.gc"
  echo "B $(gc_usage "$gcb" "$(gc_pauses "$SECOND_MANAGEMENT")" "$((SECONDS - started))")" >> "$WORK/$name.gc"
  grep -q "^fanout label=$name" "$WORK/$name.txt" || [ -z "$phases" ] || fail "$name printed no result"
}
WS_A="ws://${WORKSPACE#http://}"; WS_B="ws://${SECOND#http://}"
half=$((FANOUT_CLIENTS / 2))
fanout_run two "$WS_A,$WS_B" "$FANOUT_CLIENTS" file,cursor "cd $ROOT \
  && CONNECTED=\$CONNECTED_0 SERVICE_PID=$SERVICE_PID MANAGEMENT=$MANAGEMENT bash bench/workspace/memory.sh a-$half-fanout \
  && CONNECTED=\$CONNECTED_1 SERVICE_PID=$SECOND_PID MANAGEMENT=$SECOND_MANAGEMENT bash bench/workspace/memory.sh b-$half-fanout"
sleep 3
if [ "$ONE_INSTANCE" != 0 ]; then
  fanout_run one "$WS_B" "$FANOUT_CLIENTS" file,cursor ""
  sleep 3
fi

# ==== 3. idle sockets on one instance ====
idle_note=""
if [ "$IDLE_CLIENTS" -gt 0 ] && [ "$SECOND_NOFILE" -gt $((IDLE_CLIENTS + 200)) ]; then
  sleep 2
  CONNECTED=0 mem b-sockets-0 B
  stages=$(for s in 1000 "$IDLE_CLIENTS"; do [ "$s" -le "$IDLE_CLIENTS" ] && echo "$s"; done | sort -nu | paste -sd, -)
  fanout_run idle "$WS_B" "$IDLE_CLIENTS" "" \
    "cd $ROOT && SERVICE_PID=$SECOND_PID MANAGEMENT=$SECOND_MANAGEMENT bash bench/workspace/memory.sh b-sockets-\$STAGE" "stages=$stages" \
    "projects=$(IFS=,; echo "${IDLE_PROJECT_IDS[*]}")"
  sleep 3
  CONNECTED=0 mem b-sockets-0-after B
else
  idle_note="The $IDLE_CLIENTS-socket step was skipped: the second instance's open-file limit is $SECOND_NOFILE."
fi

# ==== the result file ====
fkv() { sed -n "s/^fanout label=$1 phase=$2 \(.* \)\{0,1\}$3=\([^ ]*\).*/\2/p" "$WORK/$1.txt" | head -n1; } # fkv RUN PHASE KEY
ckv() { sed -n "s/^connect label=$1 stage=$2 \(.* \)\{0,1\}$3=\([^ ]*\).*/\2/p" "$WORK/$1.txt" | head -n1; } # ckv RUN STAGE KEY
verdict_min() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 >= t ? "pass" : "**miss**") }'; }
verdict_max() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "" && v != "NaN" && v + 0 <= t ? "pass" : "**miss**") }'; }
memv() { awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$MEMORY_FILE"; } # memv LABEL FIELD
per_socket() { # per_socket LABEL BASE_LABEL FIELD(5 heap after GC, 6 rss) -> KiB per socket over the base
  awk -v l="$1" -v base="$2" -v f="$3" '$1 == base { b = $f } $1 == l { v = $f; n = $2 } END {
    if (n > 0 && v != "" && b != "") printf "%.1f", (v - b) * 1024 / n; else print "-" }' "$MEMORY_FILE"
}
fanout_verdict() { # pass only when p99 is within target and every FILE_CHANGE reached every socket
  local v; v=$(verdict_max "$(fkv "$1" file p99)" 25)
  [ "$(fkv "$1" file missing)" = 0 ] && [ "$(fkv "$1" file duplicates)" = 0 ] || v="**miss**"
  echo "$v"
}
idle_open=$(ckv idle "$IDLE_CLIENTS" open 2>/dev/null || true)
idle_snap=$(ckv idle "$IDLE_CLIENTS" snapshots 2>/dev/null || true)
idle_heap=$(memv "b-sockets-$IDLE_CLIENTS" 5)
idle_verdict=$(awk -v o="${idle_open:-0}" -v s="${idle_snap:-0}" -v n="$IDLE_CLIENTS" -v h="${idle_heap:-}" -v x="${SECOND_HEAP%m}" \
  'BEGIN { print (o == n && s == n && h != "" && h + 0 < x ? "pass" : "**miss**") }')
[ "$IDLE_CLIENTS" -gt 0 ] || idle_verdict="- (step skipped: IDLE_CLIENTS=0)"
fixed_target_row() { # fixed_target_row DOOR -> "| ... |" row of the target table for the open-loop p50
  local r=fixed-$1-$TARGET_FIXED v st
  st=$(kv "$r" statuses); v=$(verdict_max "$(kv "$r" p50)" 2)
  [ "$st" = "{200=$((TARGET_FIXED * FIXED_SECONDS))}" ] || v="**miss**"
  echo "| GET /api/v1/projects p50 at $TARGET_FIXED req/s offered (open loop), $2 | <= 2 ms, all 200 | $(kv "$r" p50) ms (p99 $(kv "$r" p99) ms), $st | $v |"
}
row_verdict() { # row_verdict ROW -> pass when the wrk row has >= TARGET_RPS and p50 <= 2 ms
  awk -v r="$(rps "$1")" -v p="$(p50ms "$1")" -v t="$TARGET_RPS" 'BEGIN { print (r + 0 >= t && p + 0 <= 2 ? "pass" : "**miss**") }'
}
cursor_cell() { # cursor_cell RUN -> "p50 / p99 ms, delivered %"
  echo "p50 $(fkv "$1" cursor p50) ms, p99 $(fkv "$1" cursor p99) ms; $(fkv "$1" cursor measured_delivered) of $(fkv "$1" cursor measured_expected) delivered ($(fkv "$1" cursor delivered_pct) %)"
}
fanout_rows() { # fanout_rows RUN DESCRIPTION
  local p
  for p in file cursor; do
    fkv "$1" "$p" p50 | grep -q . || continue
    echo "| $2 | $p | $(fkv "$1" $p open_at_start) | $(fkv "$1" $p senders) ($(fkv "$1" $p sender_users) users) | $(fkv "$1" $p rate)/s | $(fkv "$1" $p sent) | $(fkv "$1" $p delivered) / $(fkv "$1" $p expected) | $(fkv "$1" $p missing) | $(fkv "$1" $p duplicates) | $(fkv "$1" $p delivered_pct) % | $(fkv "$1" $p p50) | $(fkv "$1" $p p90) | $(fkv "$1" $p p99) | $(fkv "$1" $p p99.9) | $(fkv "$1" $p max) |"
  done
}
fanout_breakdown() { # fanout_breakdown RUN DESCRIPTION
  local p
  for p in file cursor; do
    fkv "$1" "$p" p50 | grep -q . || continue
    echo "| $2 | $p | $(fkv "$1" $p local_p50) / $(fkv "$1" $p local_p99) | $(fkv "$1" $p remote_p50) / $(fkv "$1" $p remote_p99) | $(fkv "$1" $p first_p50) / $(fkv "$1" $p first_p99) | $(fkv "$1" $p spread_p50) / $(fkv "$1" $p spread_p99) / $(fkv "$1" $p spread_max) | $(fkv "$1" $p cpu_service_a) / $(fkv "$1" $p cpu_service_b) / $(fkv "$1" $p cpu_postgres) / $(fkv "$1" $p cpu_redis) / $(fkv "$1" $p cpu_client) | $(fkv "$1" $p machine_busy_pct) % / $(fkv "$1" $p steal_pct) % | $(fkv "$1" $p closes) | $(fkv "$1" $p errors) |"
  done
}
nginx_workers=$(pgrep -P "${GATEWAY_PID:-0}" 2>/dev/null | wc -l || true)
{
  echo "# workspace-service benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -n1)), $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r)."
  echo "Service JVMs: $("$(readlink "/proc/$SERVICE_PID/exe")" -version 2>&1 | head -n1); instance A (the suite's, :${WORKSPACE##*:}):"
  echo "$(tr '\0' ' ' < "/proc/$SERVICE_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //'); instance B ($SECOND_NAME, started by this script with \`./atelier instance\`): $(tr '\0' ' ' < "/proc/$SECOND_PID/cmdline" | sed 's/ -jar .*//; s/^[^ ]* //'),"
  echo "ATELIER_WORKSPACE_INVITES_LIMIT=100000, ATELIER_WORKSPACE_LIVE_CONNECTIONS_PER_USER=1000 (A: the defaults, 30 and 10); open-file limits A $SERVICE_NOFILE, B $SECOND_NOFILE."
  echo "Quarkus $(ls workspace-service/target/quarkus-app/lib/main/ | sed -n 's/^io\.quarkus\.quarkus-core-\(.*\)\.jar$/\1/p')."
  echo "Gateway: $(nginx -v 2>&1 | sed 's/^nginx version: //'), $nginx_workers workers (routes to instance A only)."
  echo "Servers: PostgreSQL $("$(readlink "/proc/$POSTGRES_PID/exe" 2>/dev/null || echo postgres)" --version 2>/dev/null | sed -n 's/.*(PostgreSQL) \([^ ]*\).*/\1/p'),"
  echo "Redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), Kafka $(ls "$STATE/kafka/libs" 2>/dev/null | sed -n 's/^kafka_2\.13-\(.*\)\.jar$/\1/p')."
  echo "Load: $(wrk -v 2>&1 | head -n1 | awk '{print $1, $2}'), bench/content/FixedRate.java and bench/workspace/LiveFanout.java on $("$JAVA" -version 2>&1 | head -n1); all on the same machine."
  echo "Commit at the start of the run: $START_HEAD ($(git log -1 --format=%cI "$START_HEAD"))$(git diff --quiet "$START_HEAD" -- workspace-service platform 2>/dev/null || echo ', workspace-service/platform differ from it now');"
  echo "the workspace-service jar measured was built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ), instance A started $(date -u -d "@$(( $(date +%s) - $(ps -o etimes= -p "$SERVICE_PID") ))" +%Y-%m-%dT%H:%M:%SZ)."
  echo "Rerun: ./atelier up --detach && bench/workspace/run.sh [$SECS] (settings in the script's head)"
  echo
  echo "**CPU contention.** Both instances, nginx, PostgreSQL, Redis, Kafka, auth-service, content-service and"
  echo "every load generator share these $(nproc) cores; the tables give each part's CPU (cores used, from /proc)"
  echo "and the machine's busy and steal shares (steal: time the hypervisor gave to other guests) over each"
  echo "measured window."
  echo
  echo "## Against the targets"
  echo
  echo "| measurement | target | measured | verdict |"
  echo "| --- | --- | --- | --- |"
  echo "| GET /api/v1/projects (cached), direct: best wrk row with p50 <= 2 ms | >= $TARGET_RPS req/s with p50 <= 2 ms | $(rps "$best_direct") req/s, p50 $(p50ms "$best_direct") ms (${best_direct##*-c} connections) | $(row_verdict "$best_direct") |"
  echo "| the same via the gateway | >= $TARGET_RPS req/s with p50 <= 2 ms | $(rps "$best_gateway") req/s, p50 $(p50ms "$best_gateway") ms (${best_gateway##*-c} connections) | $(row_verdict "$best_gateway") |"
  fixed_target_row direct direct
  fixed_target_row gateway "via the gateway"
  echo "| FILE_CHANGE fan-out p99, $(fkv two file open_at_start) sockets on one project over 2 instances, $FILE_RATE changes/s | <= 25 ms, every socket gets every change | $(fkv two file p99) ms (p50 $(fkv two file p50)), $(fkv two file delivered) of $(fkv two file expected) delivered | $(fanout_verdict two) |"
  echo "| CURSOR_UPDATE fan-out, the same sockets, $CURSOR_RATE moves/s | - (droppable) | $(cursor_cell two) | - |"
  echo "| idle sockets on one instance (B, -Xmx$SECOND_HEAP) | $IDLE_CLIENTS held, heap < ${SECOND_HEAP%m} MiB | ${idle_open:-0} open (${idle_snap:-0} with their SNAPSHOT), heap after full GC ${idle_heap:--} MiB | $idle_verdict |"
  echo
  echo "## 1. GET /api/v1/projects (cached) at saturation (wrk)"
  echo
  echo "| run | connections | req/s | p50 | p99 | non-2xx | projects cache hits | service cores | service CPU µs per request | nginx cores | PostgreSQL cores | Redis cores | wrk cores | machine busy | steal | service GC pauses: count, total (share) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for c in $LIST_CONNECTIONS; do
    echo "| direct (:${WORKSPACE##*:}) | $c | $(wrk_row "list-direct-c$c") |"
    echo "| via gateway (:${GATEWAY##*:}) | $c | $(wrk_row "list-gateway-c$c") |"
  done
  echo
  echo "How measured: one account that owns $LIST_PROJECTS projects (created through the API just before), so"
  echo "the default page (\`limit\` 20) is $page_items projects: $page_bytes bytes of JSON per answer. Its access"
  echo "token in \`Authorization: Bearer\` on every request: the same user's first page, which after the first"
  echo "request is the cached answer in Redis (one script call per request; the hits column is the service's"
  echo "\`atelier_workspace_cache_requests_total{cache=\"projects\"}\` over the row: hits / all lookups). The service"
  echo "was first warmed up with the same load in 10 s steps until its JIT compiler threads used under 2 % of its"
  echo "CPU ($warm s; last step ${warm_jit} %). Then per row: wrk, $THREADS threads, 5 s discarded, ${SECS} s measured"
  echo "(\`wrk --latency\`). wrk is closed loop: with c connections, p50 is roughly c / throughput, so the"
  echo "p50 <= 2 ms half of the target is met only by rows with few connections; the target verdict takes the"
  echo "row with the most req/s among those whose p50 is within 2 ms (else the fastest), and the open-loop runs"
  echo "below give the latency at a set rate. \"Service CPU µs per request\" = service cores / req/s: whether a"
  echo "request costs more as concurrency grows. Only instance A was running during this part (B was started after)."
  echo
  echo "## 2. GET /api/v1/projects at fixed rates (open loop)"
  echo
  echo "| run | rate/s | statuses | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | client send lag p99 ms | service cores | nginx cores | PostgreSQL cores | Redis cores | client cores | machine busy | steal | service GC pauses: count, total (share) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for r in $FIXED_RATES; do
    echo "| direct | $r | $(fixed_row "fixed-direct-$r") |"
    echo "| via gateway | $r | $(fixed_row "fixed-gateway-$r") |"
  done
  echo
  echo "How measured: bench/content/FixedRate.java (run where it is; Debian has no wrk2): request i is due at"
  echo "start + i/rate s whatever happened before it, and its latency runs from that due time to the answer's last"
  echo "byte, so a stall counts against every request it delays (no coordinated omission). 32 keep-alive"
  echo "connections take due requests from one counter. 5 s sent and discarded, then ${FIXED_SECONDS} s measured."
  echo "\"Client send lag\" is how late requests left against their due time (waiting for a free connection, or"
  echo "the client's own scheduling: the Java client competes for the same 2 cores); CPU and GC columns cover the"
  echo "whole run ($((FIXED_SECONDS + 5)) s, longer when the client fell behind and finished late). A run whose send lag"
  echo "is as large as its latencies was offered more than this machine could serve with the client on it. The"
  echo "client's own account of each run:"
  echo
  echo '```'
  for r in $FIXED_RATES; do for d in direct gateway; do echo "fixed-$d-$r:"; sed -n '2,$p' "$WORK/fixed-$d-$r.txt"; done; done
  echo '```'
  echo
  echo "## 3. Live workspace fan-out: $FANOUT_CLIENTS sockets on one project"
  echo
  echo "| run | message | sockets open | senders | rate | sent | deliveries / expected (all) | missing | duplicates | measured delivered | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  fanout_rows two "2 instances (A + B, half each)"
  [ "$ONE_INSTANCE" = 0 ] || fanout_rows one "1 instance (B)"
  echo
  echo "Breakdown (ms; CPU in cores):"
  echo
  echo "| run | message | sockets on the sender's instance p50 / p99 | on the other instance p50 / p99 | per message: send to first socket p50 / p99 | per message: first to last socket p50 / p99 / max | CPU: A / B / PostgreSQL / Redis / client JVM | machine busy / steal | closes | ERRORs |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  { fanout_breakdown two "2 instances"; [ "$ONE_INSTANCE" = 0 ] || fanout_breakdown one "1 instance (B)"; } | sed 's/NaN/-/g'
  echo
  echo "Service GC pauses over each whole client run (connect, both phases): two: $(paste -sd';' "$WORK/two.gc" | sed 's/;/; /')$([ "$ONE_INSTANCE" = 0 ] || echo "; one: $(paste -sd';' "$WORK/one.gc" | sed 's/;/; /')")."
  echo "Connecting: two: $(ckv two "$FANOUT_CLIENTS" open) open, $(ckv two "$FANOUT_CLIENTS" snapshots) with their SNAPSHOT, in $(ckv two "$FANOUT_CLIENTS" seconds) s$([ "$ONE_INSTANCE" = 0 ] || echo "; one: $(ckv one "$FANOUT_CLIENTS" open) open, $(ckv one "$FANOUT_CLIENTS" snapshots) with their SNAPSHOT, in $(ckv one "$FANOUT_CLIENTS" seconds) s")."
  echo
  echo "How measured: bench/workspace/LiveFanout.java, one JVM, two selector threads, on bench/lib/WebSockets.java"
  echo "(the minimal RFC 6455 NIO client factored out of bench/content/Notify.java's design, found by Java 22+'s"
  echo "multi-file source launcher: the JDK's WebSocket client costs too much CPU on 2 cores). $FANOUT_USERS fresh"
  echo "accounts, all members of one project (the first its OWNER, who invited the others as COLLABORATORs by"
  echo "userId through instance B, whose invitation limit is raised: $invited invitations in $invite_seconds s, $retries"
  echo "retries on \`unknown-user\` while sign-ups reached the users replica). Socket i goes to instance i mod 2"
  echo "with user (i / 2) mod $FANOUT_USERS's token, so each user has $((FANOUT_CLIENTS / FANOUT_USERS / 2)) sockets on each instance (the default"
  echo "per-user cap on A is 10). The client waits until every socket has its SNAPSHOT, 2 s more, takes the"
  echo "memory figures (section 4), then per phase: $SENDERS sender sockets of distinct users, alternating between"
  echo "the instances, send open loop (message i from sender i mod $SENDERS at start + i/rate, whatever happened"
  echo "before) for $FANOUT_WARMUP s of warm-up (must arrive, left out of latencies and CPU; B is a fresh JVM, so its"
  echo "socket path is compiled then) plus $FANOUT_SECONDS s measured."
  echo "FILE_CHANGE \`{path, change}\` with \`change\` = \"tag:n\" (paths rotate over 50 files); every socket must get"
  echo "every change, its author's socket too. CURSOR_UPDATE \`{path: \"c/tag/n\", line, column}\`, each sender at"
  echo "$((CURSOR_RATE / SENDERS))/s, under the 20/s per-socket throttle, so none is coalesced by the throttle; every socket but the mover's"
  echo "should get it, but cursor moves are droppable (a socket whose queue is a quarter full drops them), so the"
  echo "delivered share is part of the result. Latency per delivery = the System.nanoTime() of the read that"
  echo "completed the frame minus the sender's System.nanoTime() just before its write (same JVM, one clock; the"
  echo "send times stay in the client rather than in the message). It therefore includes the sender's frame"
  echo "crossing loopback, the role check and the PostgreSQL transaction (FILE_CHANGE), this instance's fan-out,"
  echo "the Redis stream to the other instance and its fan-out, and the client's own reading of $FANOUT_CLIENTS sockets"
  echo "on 2 threads. \"Sender's instance\" / \"other instance\" split the deliveries by whether the receiving"
  echo "socket is on the instance the message entered (the other goes through Redis). CPU over the measured"
  echo "sending only. The 1-instance rows put all $FANOUT_CLIENTS sockets on B (per-user cap raised there)."
  echo "The client's own account of each run, with the worst message of each second of sending (a growing"
  echo "series is a backlog, single peaks are stalls):"
  echo
  echo '```'
  for r in two one; do [ -f "$WORK/$r.txt" ] && { echo "$r:"; sed -n '/^  /p' "$WORK/$r.txt"; }; done
  echo '```'
  echo
  echo "## 4. Open sockets: heap and RSS per instance"
  echo
  echo "| instance, state | sockets (client / service's active connections) | heap used before GC MiB | heap used after full GC MiB | RSS MiB | threads | fds | heap per socket KiB | RSS per socket KiB |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  while read -r label open gauge before heap rss threads fds; do
    case $label in
      b-sockets-0|b-sockets-0-after) ps_h=-; ps_r=- ;;
      b-sockets-*) ps_h=$(per_socket "$label" b-sockets-0 5); ps_r=$(per_socket "$label" b-sockets-0 6) ;;
      *) ps_h=-; ps_r=- ;;
    esac
    echo "| $label | $open / $gauge | $before | $heap | $rss | $threads | $fds | $ps_h | $ps_r |"
  done < "$MEMORY_FILE"
  echo
  echo "How measured: \`jcmd <pid> GC.run\` (a full collection), 1 s, then heap = the sum of"
  echo "\`jvm_memory_used_bytes{area=\"heap\"}\` from the instance's /q/metrics (the column before it: the same"
  echo "just before the collection), RSS = VmRSS of /proc/<pid>/status. Rows: \`b-fresh\` = B 5 s after its start;"
  echo "\`a-$half-fanout\` / \`b-$half-fanout\` = each instance holding its half of the fan-out sockets (before the"
  echo "senders start); \`b-sockets-N\` = B holding N idle sockets of one client run (its stages), every one with its"
  echo "SNAPSHOT, spread over $IDLE_PROJECTS projects whose members are the same $FANOUT_USERS users (socket i: user i mod $FANOUT_USERS, project"
  echo "(i / $FANOUT_USERS) mod $IDLE_PROJECTS; so $((IDLE_CLIENTS / FANOUT_USERS)) sockets per user on B, whose per-user cap is raised, about $((IDLE_CLIENTS / FANOUT_USERS / IDLE_PROJECTS)) per user and project)."
  echo "Several projects rather than one because a project's presence is one Redis sorted set of its connections:"
  echo "each join scans it (Lua) and each SNAPSHOT reads all of it, so N sockets joining one project cost O(N²)"
  echo "(the 1,000-socket fan-out runs above connected one project in the times given there); $IDLE_PROJECTS projects of"
  echo "~$((IDLE_CLIENTS / IDLE_PROJECTS)) sockets is the per-instance load the target describes without that artefact (IDLE_PROJECTS=1 measures"
  echo "the one-project case). \`b-sockets-0\` just before that run (the base of the per-socket figures), \`b-sockets-0-after\` 3 s"
  echo "after it closed its sockets. Instance B runs with -Xmx$SECOND_HEAP, so holding $IDLE_CLIENTS sockets at all shows they"
  echo "fit in that heap; the after-GC figure is the live set. RSS only grows as the heap expands and is not given"
  echo "back at once, so its per-socket figure is rough. ${idle_note}"
  echo
  if [ -f "$WORK/idle.txt" ]; then
    echo '```'
    echo "idle:"; sed -n '/^  /p' "$WORK/idle.txt"
    echo '```'
  fi
} > "$OUT"
echo; cat "$OUT"; echo; echo "written to $OUT"
