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
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
curl -sf "$AUTH/q/health/ready" >/dev/null || { echo "auth-service is not ready at $AUTH; run ./atelier up --detach" >&2; exit 1; }

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

# Login next to the hash ceiling. CPU speed on shared machines drifts (identical raw runs here have
# ranged from 15 to 37 /s), so raw and login samples are interleaved and their medians compared.
lib=$ROOT/auth-service/target/quarkus-app/lib/main
cp=$(ls "$lib"/com.password4j.password4j-*.jar "$lib"/org.slf4j.slf4j-api-*.jar 2>/dev/null | paste -sd: -)
JAVA=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}/bin/java
cat > "$WORK/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$email","password":"$pw"}'
LUA
wrk -t2 -c4 -d5s -s "$WORK/login.lua" "$AUTH/api/v1/auth/login" > /dev/null 2>&1 # warm-up
raw_samples=(); login_samples=()
for round in 1 2 3; do
  echo "== round $round: raw Argon2id verification rate, then POST /login"
  raw_samples+=("$("$JAVA" ${ATELIER_JAVA_OPTS:--Xmx384m} -cp "$cp" bench/auth/HashRate.java 10 2>/dev/null \
    | sed -n 's/argon2id_verify_per_second=\([0-9.]*\).*/\1/p')")
  wrk -t2 -c4 -d10s --latency -s "$WORK/login.lua" "$AUTH/api/v1/auth/login" > "$WORK/login-$round.txt" 2>&1
  login_samples+=("$(awk '/Requests\/sec/{print $2}' "$WORK/login-$round.txt")")
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
hash_rate=$(median "${raw_samples[@]}")
login_rate=$(median "${login_samples[@]}")
echo "raw: ${raw_samples[*]}  login: ${login_samples[*]}"

echo "== resource-server cost per token (single thread)"
jose=$(ls "$lib"/org.bitbucket.b_c.jose4j-*.jar | head -n1)
"$JAVA" -cp "$jose:$(ls "$lib"/org.slf4j.slf4j-api-*.jar | head -n1)" bench/auth/TokenCost.java 5 2>/dev/null | tee "$WORK/token-cost.txt"

echo "== GET /verify (direct)"; wrk_run verify -H "Authorization: Bearer $access" "$AUTH/api/v1/auth/verify"
echo "== GET /verify (through the gateway)"; wrk_run verify-gw -H "Authorization: Bearer $access" "$GATEWAY/api/v1/auth/verify"
echo "== POST /refresh"; TOKENS_FILE=$WORK/refresh-tokens WRK_THREADS=$THREADS wrk_run refresh -s bench/auth/refresh.lua "$AUTH/api/v1/auth/refresh"

ratio=$(awk -v l="$login_rate" -v h="$hash_rate" 'BEGIN{printf "%.0f", 100*l/h}')

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
  echo "POST /login (4 connections) against the raw Argon2id verification rate (m=19 MiB, t=2, p=1,"
  echo "$(nproc) threads, heap ${ATELIER_JAVA_OPTS:--Xmx384m}), interleaved 10 s samples:"
  echo
  echo "| | round 1 | round 2 | round 3 | median |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| raw Argon2id verifications/s | ${raw_samples[0]} | ${raw_samples[1]} | ${raw_samples[2]} | **$hash_rate** |"
  echo "| POST /login req/s | ${login_samples[0]} | ${login_samples[1]} | ${login_samples[2]} | **$login_rate** |"
  echo
  echo "POST /login reaches **$ratio %** of the raw hash rate (medians)."
  echo
  echo "What a resource server pays per token (decrypt + RS256 verify + claims, jose4j, one thread, idle machine):"
  echo
  echo "| key management | µs per token | tokens/s per core |"
  echo "| --- | --- | --- |"
  sed -n 's/token_cost variant="\([^"]*\)" per_token_us=\([0-9.]*\) tokens_per_second_one_core=\([0-9]*\)/| \1 | \2 | \3 |/p' "$WORK/token-cost.txt"
} > "$OUT"
echo; cat "$OUT"; echo; echo "written to $OUT"
