# One Apache Kafka 4.x broker in KRaft mode, run from its Maven Central jars (deploy/local/kafka/pom.xml).

KAFKA_HOME_DIR=$STATE/kafka
KAFKA_LIBS=$KAFKA_HOME_DIR/libs

kafka_version() { sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/deploy/local/kafka/pom.xml" | head -n1; }

ensure_kafka_installed() {
  local v; v=$(kafka_version)
  [ -f "$KAFKA_LIBS/.version-$v" ] && return 0
  find_jdk; find_maven
  info "fetching Apache Kafka $v broker jars (once)"
  rm -rf "$KAFKA_LIBS"; mkdir -p "$KAFKA_LIBS"
  run_maven -q -f deploy/local/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIBS" \
    >"$LOGS/kafka-fetch.log" 2>&1 || die "could not fetch the Kafka broker jars; see $LOGS/kafka-fetch.log"
  touch "$KAFKA_LIBS/.version-$v"
}

kafka_java() { "$JAVA_HOME/bin/java" -cp "$KAFKA_LIBS/*" "$@"; }

kafka_start() {
  find_jdk; ensure_kafka_installed
  if pid_of kafka >/dev/null; then ok "kafka already running (port $ATELIER_KAFKA_PORT)"; return 0; fi
  local data=$DATA/kafka conf=$KAFKA_HOME_DIR/server.properties log=$LOGS/kafka.log held
  held=$(listener_pid "$ATELIER_KAFKA_PORT")
  if [ -n "$held" ] && tr '\0' ' ' < "/proc/$held/cmdline" 2>/dev/null | grep -qF "$conf"; then
    echo "$held" > "$RUN/kafka.pid"; ok "kafka already running (pid $held, adopted)"; return 0
  fi
  require_free_port kafka "$ATELIER_KAFKA_PORT"
  require_free_port kafka-controller "$ATELIER_KAFKA_CONTROLLER_PORT"
  mkdir -p "$data"
  sed -e "s|@PORT@|$ATELIER_KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$ATELIER_KAFKA_CONTROLLER_PORT|g" -e "s|@DATA@|$data|g" \
    "$ROOT/deploy/local/kafka/server.properties" > "$conf"
  if [ ! -s "$data/meta.properties" ]; then
    local id
    # The storage tool's argument parser breaks on an id that starts with '-': draw again.
    while id=$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1); [[ -z $id || $id == -* ]]; do :; done
    kafka_java kafka.tools.StorageTool format -t "$id" -c "$conf" >"$LOGS/kafka-format.log" 2>&1 \
      || die "formatting Kafka storage failed; see $LOGS/kafka-format.log"
  fi
  info "starting kafka on 127.0.0.1:$ATELIER_KAFKA_PORT"
  : > "$log"
  setsid nohup "$JAVA_HOME/bin/java" -Xms256m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn \
    -Dorg.slf4j.simpleLogger.log.kafka=warn -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$conf" >>"$log" 2>&1 < /dev/null &
  echo $! > "$RUN/kafka.pid"
  wait_until kafka "$log" 60 kafka_started
  ok "kafka ready (pid $(pid_of kafka), port $ATELIER_KAFKA_PORT)"
}

kafka_started() { pid_of kafka >/dev/null && grep -q 'Kafka Server started' "$LOGS/kafka.log" && port_open "$ATELIER_KAFKA_PORT"; }
kafka_healthy() { pid_of kafka >/dev/null && port_open "$ATELIER_KAFKA_PORT"; }

kafka_stop() { stop_pid kafka 30; }
