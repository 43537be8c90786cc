#!/usr/bin/env bash
# Login under overload: with more sign-ins than the hashing slots can serve, a request waits at most
# ATELIER_AUTH_PASSWORDS_MAX_WAIT (1 s) for a slot and is then answered 503 + Retry-After, so latency
# stays bounded instead of growing with the queue. Measures the login capacity (closed loop, wrk),
# then offers 0.5x, 1x and 4x that rate open loop (bench/auth/Overload.java: requests leave on schedule
# whatever the answers, latency counted from the scheduled start) and records status counts and
# latency percentiles. Needs the suite running (./atelier up --detach).
# Writes bench/results/auth-overload-<UTC time>.md. Usage: bench/auth/overload.sh [seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECS=${1:-30}
AUTH=${AUTH_URL:-http://127.0.0.1:8081}
MANAGEMENT=${AUTH_MANAGEMENT_URL:-http://127.0.0.1:9081}
WORK=$ROOT/bench/.work; mkdir -p "$WORK" bench/results
OUT=bench/results/auth-overload-$(date -u +%Y%m%dT%H%MZ).md
# wrk comes from apt when missing, as the launcher installs its servers (deploy/local/lib/common.sh).
( . deploy/local/lib/common.sh && mkdir -p "$LOGS" && ensure_command wrk wrk ) || { echo "wrk is missing and apt could not install it" >&2; exit 1; }
curl -sf "$MANAGEMENT/q/health/ready" >/dev/null || { echo "auth-service is not ready ($MANAGEMENT); run ./atelier up --detach" >&2; exit 1; }
JAVA=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}/bin/java

# 200 accounts, each signing in from its own address: the login limits count per account and
# address, and a reservation is held while its hash runs, so one account must not carry the load.
run_id=$(date +%s); ACCOUNTS=$WORK/overload-accounts; : > "$ACCOUNTS"
for i in $(seq 1 200); do
  email="overload-$run_id-$i@example.com"; ip="198.18.$((i / 200)).$((i % 200 + 1))"
  curl -sf -o /dev/null -H 'Content-Type: application/json' -H "X-Forwarded-For: 198.19.$((i / 20)).$((i % 20 + 1))" \
    -d "{\"email\":\"$email\",\"password\":\"correct horse battery staple\",\"displayName\":\"Bench\"}" \
    "$AUTH/api/v1/auth/signup"
  echo "$email $ip" >> "$ACCOUNTS"
done

echo "warming up (60 s of logins at capacity)"
wrk -t2 -c8 -d60s -s bench/auth/logins.lua "$AUTH" -- "$ACCOUNTS" > /dev/null 2>&1
wrk -t2 -c8 -d20s -s bench/auth/logins.lua "$AUTH" -- "$ACCOUNTS" > "$WORK/overload-capacity.txt" 2>&1
capacity=$(awk '/Requests\/sec/{printf "%d", $2}' "$WORK/overload-capacity.txt")
echo "capacity (closed loop, 8 connections): $capacity req/s"

"$JAVA" "$ROOT/bench/auth/Overload.java" "$AUTH" $((capacity / 2)) "$SECS" "$ACCOUNTS" | tee "$WORK/overload-0.5x.txt"
"$JAVA" "$ROOT/bench/auth/Overload.java" "$AUTH" "$capacity" "$SECS" "$ACCOUNTS" | tee "$WORK/overload-1x.txt"
"$JAVA" "$ROOT/bench/auth/Overload.java" "$AUTH" $((capacity * 4)) "$SECS" "$ACCOUNTS" | tee "$WORK/overload-4x.txt"

{
  echo "# auth-service login under overload, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; load generator on the same machine."
  echo "Capacity: $capacity req/s (wrk, 8 connections, 20 s, after 60 s of warm-up)."
  echo "Open loop (bench/auth/Overload.java), $SECS s per rate, 200 accounts from 200 addresses."
  echo
  for f in 0.5x 1x 4x; do echo "## ${f} capacity"; echo; echo '```'; cat "$WORK/overload-$f.txt"; echo '```'; echo; done
} > "$OUT"
echo "wrote $OUT"
