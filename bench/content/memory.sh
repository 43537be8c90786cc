#!/usr/bin/env bash
# What content-service holds right now, after a full GC: appends one line
#   LABEL SOCKETS_OPEN_AT_CLIENT SOCKETS_GAUGE HEAP_MiB RSS_MiB THREADS FDS
# to $MEMORY_FILE. Called by bench/content/run.sh, and by Notify.java's hook while its sockets are open
# (it sets CONNECTED). Needs SERVICE_PID, MANAGEMENT (the service's management URL), JCMD, MEMORY_FILE.
set -euo pipefail
label=$1
"$JCMD" "$SERVICE_PID" GC.run > /dev/null # System.gc(): a full collection, so heap used is the live set
sleep 1
metrics=$(curl -sf "$MANAGEMENT/q/metrics")
heap=$(awk '/^jvm_memory_used_bytes\{area="heap"/ { s += $NF } END { printf "%.1f", s / 1048576 }' <<< "$metrics")
gauge=$(awk '/^atelier_content_notifications_connections / { printf "%d", $2 }' <<< "$metrics")
rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVICE_PID/status")
threads=$(awk '/^Threads/ { print $2 }' "/proc/$SERVICE_PID/status")
fds=$(ls "/proc/$SERVICE_PID/fd" | wc -l)
echo "$label ${CONNECTED:-0} ${gauge:-?} $heap $rss $threads $fds" | tee -a "$MEMORY_FILE"
