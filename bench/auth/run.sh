#!/usr/bin/env bash
# auth-service benchmark: GET /verify, POST /refresh, POST /login with wrk, and the raw Argon2id
# verification rate measured in the same run. Needs the suite running (./atelier up --detach).
# Writes bench/results/auth-<UTC time>.md. Usage: bench/auth/run.sh [seconds per test, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECS=${1:-20}
AUTH=${AUTH_URL:-http://127.0.0.1:8081}
GATEWAY=${GATEWAY_URL:-http://127.0.0.1:8080}
WORK=$ROOT/bench/.work; mkdir -p "$WORK" bench/results
OUT=bench/results/auth-$(date -u +%Y%m%dT%H%MZ).md
# wrk comes from apt when missing, as the launcher installs its servers (deploy/local/lib/common.sh).
( . deploy/local/lib/common.sh && mkdir -p "$LOGS" && ensure_command wrk wrk ) || { echo "wrk is missing and apt could not install it" >&2; exit 1; }
curl -sf "${AUTH_MANAGEMENT_URL:-http://127.0.0.1:9081}/q/health/ready" >/dev/null || { echo "auth-service is not ready; run ./atelier up --detach" >&2; exit 1; }

pw='correct horse battery staple'
signup() { # signup EMAIL IP -> JSON
  curl -sf -H 'Content-Type: application/json' -H "X-Forwarded-For: $2" \
    -d "{\"email\":\"$1\",\"password\":\"$pw\",\"displayName\":\"Bench\"}" "$AUTH/api/v1/auth/signup"
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

run_id=$(date +%s)
email="bench-$run_id@example.com"
access=$(signup "$email" 198.51.100.1 | field accessToken)

# Refresh tokens: one sign-in each, from spread-out addresses (sign-ups are limited per address).
THREADS=2; CONNS=32
: > "$WORK/refresh-tokens"
for i in $(seq 1 $((CONNS * 2))); do
  # (the JSON has no trailing newline, so the token's line gets one here)
  printf '%s\n' "$(signup "bench-$run_id-$i@example.com" "198.51.$((i / 20)).$((i % 20 + 10))" | field refreshToken)" \
    >> "$WORK/refresh-tokens"
done

wrk_run() { # wrk_run NAME ARGS... -> prints wrk output, stores it; after 5 s of discarded warm-up (JIT)
  local name=$1; shift
  [ "$name" = refresh ] || wrk -t$THREADS -c$CONNS -d5s "$@" > /dev/null 2>&1
  wrk -t$THREADS -c$CONNS -d${SECS}s --latency "$@" > "$WORK/$name.txt" 2>&1
  cat "$WORK/$name.txt"
}
summary() { # summary FILE -> "req/s p50 p99 non2xx"
  local f=$WORK/$1.txt
  printf '%s | %s | %s | %s' "$(awk '/Requests\/sec/{print $2}' "$f")" "$(awk '$1=="50%"{print $2}' "$f")" \
    "$(awk '$1=="99%"{print $2}' "$f")" "$(awk '/Non-2xx/{print $NF}' "$f" | head -n1)"
}

# Login next to the hash ceiling. CPU speed on this shared machine drifts, so raw and login samples
# are interleaved and their medians compared. The raw ceiling is the faster of the two ways to run
# the library: each thread reusing its own blocks (as the service's hashing slots do) or fresh blocks
# per hash. Login runs with more connections than hashing slots, so a slot never waits on I/O.
lib=$ROOT/auth-service/target/quarkus-app/lib/main
bc=$(ls "$lib"/org.bouncycastle.bcprov-jdk18on-*.jar | head -n1)
JAVA=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}/bin/java
RAW_OPTS=${ATELIER_JAVA_OPTS:--Xmx384m} # the heap the launcher gives the service
LOGIN_CONNS=8
# Logins rotate over 40 accounts, each from its own address: an attempt holds a cell of its account's
# and address's limits while its hash runs (docs/auth.md, Security), so one account from one address
# can have at most 5 sign-ins in flight.
: > "$WORK/login-accounts"
for i in $(seq 1 40); do
  signup "bench-$run_id-login-$i@example.com" "198.51.$((100 + i / 20)).$((i % 20 + 10))" > /dev/null
  echo "bench-$run_id-login-$i@example.com 198.18.7.$i" >> "$WORK/login-accounts"
done
# Steady state first. The login path outside Argon2 runs only ~50 times a second, so C2 takes
# minutes to finish compiling it, and meanwhile takes CPU from hashing. Warm up in 20 s steps until
# the JIT compilers used under 1 % of the service's CPU (at most 6 minutes).
PID=$(cat "$ROOT/.atelier/run/auth-service.pid" 2>/dev/null || true)
jvm_ticks() { # jvm_ticks -> "JIT-compiler-ticks all-ticks" of the service's threads so far
  [ -n "$PID" ] && [ -d "/proc/$PID" ] || { echo "0 0"; return; }
  cat /proc/"$PID"/task/*/stat 2>/dev/null | awk '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\).*/, "", name)
    rest = $0; sub(/^[^)]*\) /, "", rest); split(rest, f, " "); t = f[12] + f[13]; all += t
    if (name ~ /Compiler/) jit += t } END { print jit + 0, all + 0 }'
}
jit_share() { # jit_share BEFORE AFTER -> percent of the service's CPU spent compiling in between
  awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); all = y[2] - x[2]
    printf "%.1f", (all > 0 ? 100 * (y[1] - x[1]) / all : 0) }'
}
warm=0
while :; do
  before=$(jvm_ticks)
  wrk -t2 -c$LOGIN_CONNS -d20s -s bench/auth/logins.lua "$AUTH" -- "$WORK/login-accounts" > /dev/null 2>&1
  warm=$((warm + 20)); share=$(jit_share "$before" "$(jvm_ticks)")
  echo "== POST /login warm-up: ${warm} s, JIT ${share} % of the service's CPU in the last 20 s"
  if [ -z "$PID" ] || { [ "$warm" -ge 60 ] && awk -v s="$share" 'BEGIN { exit !(s < 1) }'; } || [ "$warm" -ge 360 ]; then break; fi
done
raw_rate() { # raw_rate pool|fresh -> hashes per second over 10 s
  "$JAVA" $RAW_OPTS -cp "$bc" bench/auth/HashRate.java 10 "$1" 2>/dev/null | sed -n 's/argon2id_per_second=\([0-9.]*\).*/\1/p'
}
pool_samples=(); fresh_samples=(); login_samples=(); jit_samples=()
ROUNDS=${LOGIN_ROUNDS:-5}
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: raw Argon2id (own blocks, fresh blocks), then POST /login"
  pool_samples+=("$(raw_rate pool)")
  fresh_samples+=("$(raw_rate fresh)")
  before=$(jvm_ticks)
  wrk -t2 -c$LOGIN_CONNS -d10s --latency -s bench/auth/logins.lua "$AUTH" -- "$WORK/login-accounts" > "$WORK/login-$round.txt" 2>&1
  jit_samples+=("$(jit_share "$before" "$(jvm_ticks)")")
  login_samples+=("$(awk '/Requests\/sec/{print $2}' "$WORK/login-$round.txt")")
done
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
pool_rate=$(median "${pool_samples[@]}")
fresh_rate=$(median "${fresh_samples[@]}")
hash_rate=$(printf '%s\n' "$pool_rate" "$fresh_rate" | sort -g | tail -n1)
login_rate=$(median "${login_samples[@]}")
echo "raw (own blocks): ${pool_samples[*]}  raw (fresh blocks): ${fresh_samples[*]}  login: ${login_samples[*]}"

echo "== resource-server cost per token (single thread)"
jose=$(ls "$lib"/org.bitbucket.b_c.jose4j-*.jar | head -n1)
"$JAVA" -cp "$jose:$(ls "$lib"/org.slf4j.slf4j-api-*.jar | head -n1)" bench/auth/TokenCost.java 5 2>/dev/null | tee "$WORK/token-cost.txt"

echo "== GET /verify (direct)"; wrk_run verify -H "Authorization: Bearer $access" "$AUTH/api/v1/auth/verify"
echo "== GET /verify (through the gateway)"; wrk_run verify-gw -H "Authorization: Bearer $access" "$GATEWAY/api/v1/auth/verify"
echo "== POST /refresh"; TOKENS_FILE=$WORK/refresh-tokens WRK_THREADS=$THREADS wrk_run refresh -s bench/auth/refresh.lua "$AUTH/api/v1/auth/refresh"

ratio=$(awk -v l="$login_rate" -v h="$hash_rate" 'BEGIN{printf "%.0f", 100*l/h}')
ratio_own=$(awk -v l="$login_rate" -v h="$pool_rate" 'BEGIN{printf "%.0f", 100*l/h}')

{
  echo "# auth-service benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r); $("$JAVA" -version 2>&1 | head -n1)."
  echo "Load: wrk on the same machine, $THREADS threads, $CONNS connections, ${SECS} s per test after 5 s of discarded warm-up (refresh: none, its tokens are single-use)."
  echo "Rerun: ./atelier up --detach && bench/auth/run.sh [$SECS]"
  echo
  echo "| test | req/s | p50 | p99 | non-2xx |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| GET /verify (direct) | $(summary verify) |"
  echo "| GET /verify (via nginx) | $(summary verify-gw) |"
  echo "| POST /refresh (rotating) | $(summary refresh) |"
  echo
  echo "POST /login ($LOGIN_CONNS connections, after ${warm} s of warm-up) against the raw Argon2id rate (Bouncy Castle,"
  echo "m=19 MiB, t=2, p=1, $(nproc) threads, heap $RAW_OPTS), interleaved 10 s samples (login after the two raw runs of its round):"
  echo
  echo "| round | raw Argon2id/s, each thread reusing its blocks | raw Argon2id/s, fresh blocks per hash | POST /login req/s | JIT compilers' share of the service's CPU |"
  echo "| --- | --- | --- | --- | --- |"
  for i in $(seq 0 $((ROUNDS - 1))); do
    echo "| $((i + 1)) | ${pool_samples[$i]} | ${fresh_samples[$i]} | ${login_samples[$i]} | ${jit_samples[$i]} % |"
  done
  echo "| **median** | **$pool_rate** | **$fresh_rate** | **$login_rate** | |"
  echo
  echo "POST /login reaches **$ratio_own %** of the raw rate with the service's own block handling and **$ratio %** of the"
  echo "faster raw median ($hash_rate/s)."
  echo
  echo "What a resource server pays per token (decrypt + RS256 verify + claims, jose4j, one thread, idle machine):"
  echo
  echo "| key management | µs per token | tokens/s per core |"
  echo "| --- | --- | --- |"
  sed -n 's/token_cost variant="\([^"]*\)" per_token_us=\([0-9.]*\) tokens_per_second_one_core=\([0-9]*\)/| \1 | \2 | \3 |/p' "$WORK/token-cost.txt"
} > "$OUT"
echo; cat "$OUT"; echo; echo "written to $OUT"
