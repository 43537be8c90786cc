#!/usr/bin/env bash
# What one workspace-service instance holds right now: appends one line
#   LABEL SOCKETS_OPEN_AT_CLIENT SERVICE_CONNECTIONS HEAP_BEFORE_GC_MiB HEAP_AFTER_GC_MiB RSS_MiB THREADS FDS
# to $MEMORY_FILE. SERVICE_CONNECTIONS is the service's http_server_active_connections gauge for its HTTP
# port (upgraded WebSocket connections stay in it). Called by bench/workspace/run.sh, and by
# LiveFanout.java's hook while its sockets are open (it sets CONNECTED). Needs SERVICE_PID, MANAGEMENT
# (the instance's management URL; its HTTP port is the management port - 1000), JCMD, MEMORY_FILE.
set -euo pipefail
label=$1
heap() { curl -sf "$MANAGEMENT/q/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ { s += $NF } END { printf "%.1f", s / 1048576 }'; }
before=$(heap)
"$JCMD" "$SERVICE_PID" GC.run > /dev/null # System.gc(): a full collection, so heap used is the live set
sleep 1
metrics=$(curl -sf "$MANAGEMENT/q/metrics")
after=$(awk '/^jvm_memory_used_bytes\{area="heap"/ { s += $NF } END { printf "%.1f", s / 1048576 }' <<< "$metrics")
port=$(( ${MANAGEMENT##*:} - 1000 ))
gauge=$(awk -v p="server_port=\"$port\"" 'index($0, "http_server_active_connections{") == 1 && index($0, p) { printf "%d", $NF }' <<< "$metrics")
rss=$(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVICE_PID/status")
threads=$(awk '/^Threads/ { print $2 }' "/proc/$SERVICE_PID/status")
fds=$(ls "/proc/$SERVICE_PID/fd" | wc -l)
echo "$label ${CONNECTED:-0} ${gauge:-?} $before $after $rss $threads $fds" | tee -a "$MEMORY_FILE"
