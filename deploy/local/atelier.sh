#!/usr/bin/env bash
# Atelier's local launcher. Real PostgreSQL, Redis, Kafka, the services and the nginx gateway on
# one machine, without Docker. Everything it keeps (data, logs, dev secrets, tools) is under .atelier/.
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=lib/common.sh
for part in common keys postgres redis kafka gateway services; do . "$here/lib/$part.sh"; done

usage() {
  cat <<TXT
Usage: ./atelier <command>

  up [--detach] [--no-build]  build, start servers, services and the gateway; Ctrl-C stops it all
                              (--detach returns once everything is healthy)
  down                        stop everything ./atelier started
  status                      each piece: pid, port, healthy or not
  logs <name>                 tail one log (postgres, redis, kafka, gateway, <service>)
  test [maven args]           start the servers if needed and run every test (mvn verify)
  infra up|down               only PostgreSQL, Redis and Kafka (what the tests need)
  start|stop <name>           one piece: postgres, redis, kafka, gateway or a service
  instance <service> <port> [KEY=VALUE...]
                              one more instance of a built service on <port> (management: <port>+1000),
                              the suite's environment plus KEY=VALUEs (ATELIER_JAVA_OPTS=... for its JVM);
                              named <service>@<port>; ./atelier stop <service>@<port> or down stops it
  mvn <args>                  the project's Maven 3.9 with a JDK >= 21
  ws <url> [token]            a terminal WebSocket client: prints what the server sends, sends what you type
TXT
}

prepare() {
  load_defaults
  mkdir -p "$LOGS" "$RUN" "$DATA" "$SECRETS" "$TOOLS"
  ensure_command curl curl
  ensure_command unzip unzip
  ensure_command ss iproute2
}

infra_up() { dev_keys; postgres_start; redis_start; kafka_start; }
infra_down() { kafka_stop; redis_stop; postgres_stop; }

services_up() {
  local name port schema module started=()
  while read -r name port schema module; do service_start "$name" "$port" "$schema" "$module"; started+=("$name:$port"); done < <(runnable_services)
  for s in "${started[@]+"${started[@]}"}"; do service_wait "${s%%:*}" "${s##*:}"; done
}

services_down() {
  local name rest
  instances_down
  while read -r name rest; do stop_pid "$name" 30; done < <(runnable_services | tac)
}

cmd_up() {
  local detach= build=1 arg
  for arg in "$@"; do
    case $arg in --detach|-d) detach=1 ;; --no-build) build= ;; *) die "unknown option for up: $arg" ;; esac
  done
  find_jdk
  [ -n "$build" ] && build_services
  infra_up
  services_up
  gateway_start
  print_urls
  [ -n "$detach" ] && return 0
  trap 'echo; info "stopping"; cmd_down; exit 0' INT TERM
  info "running; Ctrl-C stops everything (logs: ./atelier logs <name>)"
  while true; do
    sleep 2
    local name port rest
    while read -r name port rest; do
      pid_of "$name" >/dev/null || warn "$name has stopped; read $LOGS/$name.log"
    done < <(runnable_services)
  done
}

cmd_down() { gateway_stop; services_down; infra_down; }

print_urls() {
  echo
  echo "  gateway      http://localhost:$GATEWAY_PORT"
  local name port rest
  while read -r name port rest; do
    printf '  %-12s http://localhost:%s  (management: http://localhost:%s/q/health, /q/metrics, /q/openapi, /q/swagger-ui)\n' "$name" "$port" "$(management_port "$port")"
  done < <(runnable_services)
  echo "  postgres     127.0.0.1:$ATELIER_PG_PORT db atelier (role passwords in $SECRETS/db/)"
  echo "  redis        127.0.0.1:$ATELIER_REDIS_PORT"
  echo "  kafka        127.0.0.1:$ATELIER_KAFKA_PORT"
  echo "  logs         $LOGS"
  echo
}

cmd_status() {
  printf '%-24s %-8s %-6s %s\n' PIECE PID PORT STATE
  row() { # row NAME PORT HEALTHCHECK...
    local name=$1 port=$2 pid state; shift 2
    pid=$(pid_of "$name" || echo -)
    if [ "$pid" = - ]; then state=stopped; elif "$@" >/dev/null 2>&1; then state=healthy; else state=unhealthy; fi
    printf '%-24s %-8s %-6s %s\n' "$name" "$pid" "$port" "$state"
  }
  row postgres "$ATELIER_PG_PORT" postgres_healthy
  row redis "$ATELIER_REDIS_PORT" redis_healthy
  row kafka "$ATELIER_KAFKA_PORT" kafka_healthy
  local name port rest
  while read -r name port rest; do row "$name" "$port" service_healthy "$name" "$port"; done < <(runnable_services)
  while read -r name port; do row "$name" "$port" service_healthy "$name" "$port"; done < <(instances)
  row gateway "$GATEWAY_PORT" gateway_healthy
}

cmd_logs() {
  [ $# -eq 1 ] || die "usage: ./atelier logs <name>"
  local f=$LOGS/$1.log
  [ -e "$f" ] || die "no log for '$1' in $LOGS (have: $(cd "$LOGS" && ls -- *.log 2>/dev/null | sed 's/\.log$//' | paste -sd' ' -))"
  exec tail -n 100 -F "$f"
}

cmd_test() {
  find_jdk
  ensure_command nginx nginx-light   # the gateway tests run the real nginx
  infra_up
  # Two modules at a time: the platform libraries do not depend on each other's tests, and much of a
  # test's time is spent waiting on servers, not on the CPU (measured: 3:43 instead of 4:34 warm).
  info "running every test (mvn verify, ${ATELIER_TEST_THREADS:-2} modules at a time)"
  run_maven -T "${ATELIER_TEST_THREADS:-2}" verify "$@"
}

piece() { # piece start|stop NAME
  local action=$1 name=$2 line
  case $name in
    postgres|redis|kafka|gateway) "${name}_$action" ;;
    *@*) if [ "$action" = start ]; then instance_start "${name%@*}" "${name##*@}"; else stop_pid "$name" 30; fi ;;
    *)
      line=$(runnable_services | awk -v n="$name" '$1 == n') || true
      [ -n "$line" ] || die "unknown piece '$name' (postgres, redis, kafka, gateway or a service module that exists)"
      # shellcheck disable=SC2086
      if [ "$action" = start ]; then service_start $line; set -- $line; service_wait "$1" "$2"; else stop_pid "$name" 30; fi ;;
  esac
}

main() {
  local cmd=${1:-help}; [ $# -gt 0 ] && shift
  case $cmd in
    help|-h|--help) usage; return 0 ;;
  esac
  prepare
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    test) cmd_test "$@" ;;
    infra)
      case ${1:-} in up) infra_up ;; down) infra_down ;; *) die "usage: ./atelier infra up|down" ;; esac ;;
    start|stop) [ $# -eq 1 ] || die "usage: ./atelier $cmd <name>"; piece "$cmd" "$1" ;;
    instance) [ $# -ge 2 ] || die "usage: ./atelier instance <service> <port> [KEY=VALUE...]"; instance_start "$@" ;;
    mvn) run_maven "$@" ;;
    ws) [ $# -ge 1 ] || die "usage: ./atelier ws <ws://... url> [access token]"
        find_jdk; exec "$JAVA_HOME/bin/java" "$ROOT/deploy/local/WsClient.java" "$@" ;;
    *) usage >&2; die "unknown command: $cmd" ;;
  esac
}

main "$@"
