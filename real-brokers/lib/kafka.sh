# Apache Kafka for brokers.sh: the broker's jars from Maven Central (fetched with mvn, cached under
# $HOME/.cache/msgbook-kafka, never in the repo), one KRaft node (broker and controller in one JVM) with its log in a
# temp folder, settings from versions.json. After /work/shared/research/kafka-recipe.sh, measured there.

KAFKA_CACHE=${KAFKA_CACHE:-$HOME/.cache/msgbook-kafka}

kafka_properties() { # kafka_properties DATA_DIR: the server.properties brokers.sh runs with
  cat << EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$1
$KAFKA_SETTINGS
EOF
}

kafka_fetch() { # the jars into $KAFKA_CACHE/<version>/; a .complete marker makes it idempotent
  local libs=$KAFKA_CACHE/$KAFKA_VERSION tmp v log=$STATE/kafka/fetch.log
  [ -f "$libs/.complete" ] && return 0
  command -v mvn > /dev/null || apt_install kafka maven || return 1
  say kafka "fetching $KAFKA_MAVEN and its runtime dependencies with mvn into $libs"
  tmp=$(mktemp -d /tmp/msgbook-kafka-fetch.XXXXXX)
  local mvn=(mvn -B -Dmaven.repo.local="$KAFKA_CACHE/m2")
  local g=${KAFKA_MAVEN%%:*} a=${KAFKA_MAVEN#*:}
  a=${a%%:*}
  cat > "$tmp/pom.xml" << EOF
<project><modelVersion>4.0.0</modelVersion><groupId>local</groupId><artifactId>msgbook-kafka-fetch</artifactId>
<version>0</version><dependencies><dependency><groupId>$g</groupId><artifactId>$a</artifactId>
<version>$KAFKA_VERSION</version></dependency></dependencies></project>
EOF
  rm -rf "$libs"
  # kafka_2.13's pom brings slf4j-api but no binding (the release tarball adds one): without it the broker logs
  # nothing, so add log4j2's binding at the log4j-core version Kafka itself depends on.
  "${mvn[@]}" -f "$tmp/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" \
    > "$log" 2>&1 &&
    v=$(basename "$libs"/log4j-core-*.jar .jar) && v=${v#log4j-core-} && [ -f "$libs/log4j-core-$v.jar" ] &&
    "${mvn[@]}" dependency:copy -Dartifact="org.apache.logging.log4j:log4j-slf4j-impl:$v" \
      -DoutputDirectory="$libs" >> "$log" 2>&1 &&
    touch "$libs/.complete"
  local rc=$?
  rm -rf "$tmp"
  [ $rc = 0 ] || { fail kafka "fetching the jars with mvn failed; see $log"; show_log "$log"; }
  return $rc
}

kafka_ready() { kafka_ping && kafka_coordinators_ping; }

kafka_start() {
  local dir=$STATE/kafka pid data id jvm
  mkdir -p "$dir"
  if pid=$(recorded kafka); then
    kafka_ready 2> /dev/null && { say kafka "already running (pid $pid), reusing it"; return 0; }
    say kafka "pid $pid is still starting; waiting for it"
    wait_until kafka 90 kafka_ready kafka "$dir/server.log"
    return
  fi
  if port_open "$KAFKA_PORT"; then
    kafka_ping 2> /dev/null ||
      { fail kafka "port $KAFKA_PORT is taken by a program that does not speak Kafka"; return 1; }
    warn kafka "a Kafka this script did not start answers on port $KAFKA_PORT; using it (stop will leave it running)"
    return 0
  fi
  ports_free kafka "$KAFKA_CONTROLLER_PORT:the KRaft controller" && ensure_java kafka && kafka_fetch || return 1
  data=$(new_datadir kafka)
  kafka_properties "$data" > "$dir/server.properties"
  printf '%s\n' 'appender.o.type=Console' 'appender.o.name=o' 'appender.o.layout.type=PatternLayout' \
    'appender.o.layout.pattern=[%d] %p %m (%c)%n' 'rootLogger.level=INFO' 'rootLogger.appenderRef.o.ref=o' \
    > "$dir/log4j2.properties"
  jvm=(java -Xms512m -Xmx512m -Dlog4j2.configurationFile="$dir/log4j2.properties"
    -cp "$KAFKA_CACHE/$KAFKA_VERSION/*")
  # The cluster id is 16 random bytes in base64url without padding (what `kafka-storage.sh random-uuid` prints),
  # built here rather than parsed from the tool's output; it must not start with '-'.
  id=-
  while [ "${id#-}" != "$id" ]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22); done
  "${jvm[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" > "$dir/format.log" 2>&1 ||
    { fail kafka "formatting the log folder failed; see $dir/format.log"; show_log "$dir/format.log"; return 1; }
  launch kafka "$dir/server.log" "$dir" "${jvm[@]}" kafka.Kafka "$dir/server.properties"
  say kafka "started Apache Kafka $KAFKA_VERSION (pid $(recorded kafka)); waiting for ApiVersions and its coordinators"
  wait_until kafka 90 kafka_ready kafka "$dir/server.log"
}

kafka_stop() { # SIGTERM is a controlled shutdown; allow it 30 s
  recorded kafka > /dev/null && say kafka "stopping pid $(recorded kafka)"
  end_process kafka 30
  remove_datadir kafka
}

kafka_status() {
  local pid
  if pid=$(recorded kafka); then
    kafka_ping 2> /dev/null && echo "kafka   running (pid $pid) on 127.0.0.1:$KAFKA_PORT, answering" && return 0
    echo "kafka   running (pid $pid) on 127.0.0.1:$KAFKA_PORT, not answering yet; log: $STATE/kafka/server.log"
    return 1
  fi
  kafka_ping 2> /dev/null && echo "kafka   not started here, but something answers on 127.0.0.1:$KAFKA_PORT" && return 0
  echo "kafka   stopped"
  return 1
}
