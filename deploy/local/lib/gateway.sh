# The nginx gateway. deploy/gateway/render.sh turns deploy/gateway/nginx.conf.template into
# <gateway prefix>/nginx.conf with the suite's ports (ATELIER_GATEWAY_PORT from defaults.env, each
# service's from deploy/local/services, all overridable by the environment); nginx runs from that prefix.

load_defaults                          # the port is read here already: atelier.sh prints it (status, URLs)
GATEWAY_PORT=$ATELIER_GATEWAY_PORT

gateway_prefix() { echo "$(shared_home)/gateway"; }

gateway_start() {
  ensure_command nginx nginx-light
  if pid_of gateway >/dev/null; then ok "gateway already running (port $GATEWAY_PORT)"; return 0; fi
  local prefix conf; prefix=$(gateway_prefix); conf=$prefix/nginx.conf
  mkdir -p "$prefix/logs" "$prefix/temp"
  ln -sf "$prefix/logs/error.log" "$LOGS/gateway.log"
  ln -sf "$prefix/logs/access.log" "$LOGS/gateway-access.log"
  local held; held=$(listener_pid "$GATEWAY_PORT")
  if [ -n "$held" ] && tr '\0' ' ' < "/proc/$held/cmdline" 2>/dev/null | grep -qF "$conf"; then
    echo "$held" > "$RUN/gateway.pid"; ok "gateway already running (pid $held, adopted)"; return 0
  fi
  require_free_port gateway "$GATEWAY_PORT"
  "$ROOT/deploy/gateway/render.sh" "$conf" || die "could not render the gateway config (deploy/gateway/render.sh)"
  nginx -t -q -p "$prefix/" -c "$conf" -g "pid $RUN/gateway.pid;" 2>"$prefix/logs/config-test.log" \
    || { cat "$prefix/logs/config-test.log" >&2; die "gateway config is invalid: $conf (from deploy/gateway/nginx.conf.template)"; }
  info "starting gateway on :$GATEWAY_PORT"
  nginx -p "$prefix/" -c "$conf" -g "pid $RUN/gateway.pid;" 2>>"$prefix/logs/error.log" \
    || die "gateway failed to start on port $GATEWAY_PORT; read $LOGS/gateway.log"
  wait_until gateway "$LOGS/gateway.log" 10 port_open "$GATEWAY_PORT"
  ok "gateway ready (pid $(pid_of gateway), http://localhost:$GATEWAY_PORT)"
}

gateway_healthy() { port_open "$GATEWAY_PORT"; }

gateway_stop() { stop_pid gateway 10; }
