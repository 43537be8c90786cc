# Shared helpers for the launcher: paths, messages, tools, processes, ports.
# Sourced by deploy/local/atelier.sh; never run directly.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
STATE=${ATELIER_HOME:-$ROOT/.atelier}
LOGS=$STATE/logs
RUN=$STATE/run
DATA=$STATE/data
SECRETS=$STATE/secrets
TOOLS=$STATE/tools

if [ -t 1 ]; then C_B=$'\e[1m'; C_R=$'\e[31m'; C_G=$'\e[32m'; C_Y=$'\e[33m'; C_0=$'\e[0m'; else C_B= C_R= C_G= C_Y= C_0=; fi
info() { printf '%s==>%s %s\n' "$C_B" "$C_0" "$*"; }
ok()   { printf '%s ok%s %s\n' "$C_G" "$C_0" "$*"; }
warn() { printf '%swarn%s %s\n' "$C_Y" "$C_0" "$*" >&2; }
die()  { printf '%serror%s %s\n' "$C_R" "$C_0" "$*" >&2; exit 1; }

# Ports and versions: deploy/local/defaults.env, each overridable from the environment.
load_defaults() {
  local key value
  while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [ -n "${!key:-}" ] || export "$key=$value"
  done < "$ROOT/deploy/local/defaults.env"
}

is_root() { [ "$(id -u)" = 0 ]; }

APT_UPDATED=
# ensure_command CMD PACKAGE: install PACKAGE with apt when CMD is missing.
ensure_command() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  apt_install "$pkg"
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is still missing after installing '$pkg'."
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "'$*' is missing and this is not Debian/Ubuntu: install it yourself, then run again."
  local sudo=
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "'$*' is missing; install it as root (apt-get install $*), then run again."
    sudo=sudo
  fi
  info "installing $* (apt)"
  if [ -z "$APT_UPDATED" ]; then
    $sudo apt-get update -qq >"$LOGS/apt.log" 2>&1 || die "apt-get update failed; see $LOGS/apt.log"
    APT_UPDATED=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$LOGS/apt.log" 2>&1 \
    || die "apt-get install $* failed; see $LOGS/apt.log"
}

java_major() { # java_major JAVA_BIN -> prints the feature version, e.g. 25
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# Finds a JDK >= 21 (JAVA_HOME first, then the system's JVM folder, then java on PATH) and exports JAVA_HOME.
find_jdk() {
  [ -n "${ATELIER_JDK:-}" ] && { export JAVA_HOME=$ATELIER_JDK; return 0; }
  local candidates=() best= best_v=0 c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$c" ] && candidates+=("$c"); done
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(java_major "$c/bin/java"); [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  [ -n "$best" ] || die "no JDK >= 21 found (looked at JAVA_HOME, /usr/lib/jvm, /opt and javac on PATH). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin JDK, or set JAVA_HOME."
  export JAVA_HOME=$best ATELIER_JDK=$best
  export PATH=$JAVA_HOME/bin:$PATH
}

# Maven 3.9 comes by its Maven coordinates, fetched once with whatever Maven 3 the machine has.
MVN=
find_maven() {
  local v=$ATELIER_MAVEN_VERSION dir=$TOOLS/apache-maven-$ATELIER_MAVEN_VERSION
  if [ ! -x "$dir/bin/mvn" ]; then
    ensure_command mvn maven
    info "fetching Maven $v by its coordinates (once)"
    mkdir -p "$TOOLS"
    # Run outside the project so the system Maven does not read (and trip over) our poms.
    (cd "$TOOLS" && mvn -B -q dependency:copy -Dartifact="org.apache.maven:apache-maven:$v:zip:bin" -DoutputDirectory="$TOOLS") \
      >"$LOGS/maven-fetch.log" 2>&1 || die "could not fetch Maven $v; see $LOGS/maven-fetch.log"
    (cd "$TOOLS" && unzip -qo "apache-maven-$v-bin.zip" && rm -f "apache-maven-$v-bin.zip") \
      || die "could not unpack Maven $v in $TOOLS"
  fi
  MVN=$dir/bin/mvn
}

# run_maven ARGS: callers that redirect its output call find_jdk and find_maven first, so that
# their messages reach the terminal.
run_maven() { find_jdk; find_maven; (cd "$ROOT" && "$MVN" -B "$@"); }

# ---- processes, always by pid ----------------------------------------------------------

pid_of() { # pid_of NAME -> prints the pid from the pid file if that process is alive
  local f=$RUN/$1.pid pid
  [ -s "$f" ] || return 1
  pid=$(head -n1 "$f")
  # A zombie (killed, not yet reaped) counts as gone.
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
    echo "$pid"; return 0
  fi
  rm -f "$f"  # stale pid file: the process is gone
  return 1
}

# stop_pid NAME [SECONDS]: TERM, wait, then KILL.
stop_pid() {
  local name=$1 grace=${2:-20} pid i
  pid=$(pid_of "$name") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then warn "$name (pid $pid) did not stop in ${grace}s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$RUN/$name.pid"
  ok "stopped $name (pid $pid)"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_holder() { # prints "pid/command" of the process listening on a port, if any
  ss -Htlnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/pid \2 \1/p' | head -n1
}

# listener_pid PORT: the pid listening on a port (for adopting our own servers after a lost pid file)
listener_pid() { ss -Htlnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n1; }

# require_free_port NAME PORT: fails naming whoever holds the port.
require_free_port() {
  local name=$1 port=$2 holder
  port_open "$port" || return 0
  holder=$(port_holder "$port")
  die "$name cannot start: port $port is already in use${holder:+ by $holder}. Stop that process or set a different port (deploy/local/defaults.env)."
}

# wait_until NAME LOG SECONDS CHECK...: polls CHECK until it succeeds; on timeout names the piece and its log.
wait_until() {
  local name=$1 log=$2 secs=$3 i; shift 3
  for ((i = 0; i < secs * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "---- last lines of $log ----" >&2; tail -n 25 "$log" >&2 2>/dev/null
  die "$name did not become healthy within ${secs}s. Read $log"
}

# A folder other local users can traverse (PostgreSQL and nginx workers run as their own users).
shared_home() {
  if is_root && ! runuser -u nobody -- test -x "$STATE" 2>/dev/null; then
    echo "/var/lib/atelier/$(printf %s "$STATE" | sha1sum | cut -c1-12)"
  else
    echo "$STATE"
  fi
}

random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# services_table: prints "name port schema module" for every service in deploy/local/services,
# a port replaced by ATELIER_PORT_<NAME> (e.g. ATELIER_PORT_AUTH_SERVICE) when that is set.
services_table() {
  local name port rest var
  while read -r name port rest; do
    var=ATELIER_PORT_$(printf %s "$name" | tr 'a-z-' 'A-Z_')
    if [ "$port" != - ] && [ -n "${!var:-}" ]; then port=${!var}; fi
    echo "$name $port $rest"
  done < <(grep -Ev '^\s*(#|$)' "$ROOT/deploy/local/services")
}

# runnable_services: the services whose module exists (they get a process).
runnable_services() {
  local name port schema module
  while read -r name port schema module; do
    if [ "$module" != - ] && [ -f "$ROOT/$module/pom.xml" ]; then echo "$name $port $schema $module"; fi
  done < <(services_table)
}
