# Redis >= 7, loopback only, no persistence (cache, presence and rate-limit counters).

redis_start() {
  ensure_command redis-server redis-server
  ensure_command redis-cli redis-tools
  local major; major=$(redis-server --version | sed -n 's/.*v=\([0-9]*\)\..*/\1/p')
  [ "${major:-0}" -ge 7 ] || die "Redis >= 7 is needed; redis-server here is $(redis-server --version)"
  if pid_of redis >/dev/null; then ok "redis already running (port $ATELIER_REDIS_PORT)"; return 0; fi
  local dir=$DATA/redis; mkdir -p "$dir"
  # Redis rewrites its command line, so a leftover of ours is recognised by its working directory.
  local held; held=$(listener_pid "$ATELIER_REDIS_PORT")
  if [ -n "$held" ] && [ "$(readlink -f "/proc/$held/cwd" 2>/dev/null)" = "$(readlink -f "$dir")" ]; then
    echo "$held" > "$RUN/redis.pid"; ok "redis already running (pid $held, adopted)"; return 0
  fi
  require_free_port redis "$ATELIER_REDIS_PORT"
  info "starting redis on 127.0.0.1:$ATELIER_REDIS_PORT"
  redis-server --port "$ATELIER_REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save '' --appendonly no \
    --daemonize yes --pidfile "$RUN/redis.pid" --dir "$dir" --logfile "$LOGS/redis.log" \
    || die "redis failed to start on port $ATELIER_REDIS_PORT; read $LOGS/redis.log"
  wait_until redis "$LOGS/redis.log" 15 redis_healthy
  ok "redis ready (pid $(pid_of redis), port $ATELIER_REDIS_PORT)"
}

redis_healthy() { [ "$(redis-cli -p "$ATELIER_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_stop() { stop_pid redis 10; }
