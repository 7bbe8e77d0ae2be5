# The official Pub/Sub emulator for brokers.sh: the gcloud component's own launcher, started here rather than through
# `gcloud beta emulators pubsub start`, whose Python wrapper does not pass SIGTERM on to its java child. The launcher
# execs java, so the recorded pid is the process that serves; stop ends exactly it.

PUBSUB_HOME=${PUBSUB_HOME:-/usr/lib/google-cloud-sdk/platform/pubsub-emulator}

pubsub_command() { # the command line brokers.sh runs
  echo "$PUBSUB_HOME/bin/cloud-pubsub-emulator" --host=127.0.0.1 --port="$PUBSUB_PORT"
}

pubsub_ping() { http_ok "$PUBSUB_PORT" /; }

pubsub_start() {
  local dir=$STATE/pubsub pid data jar
  mkdir -p "$dir"
  if pid=$(recorded pubsub); then
    pubsub_ping 2> /dev/null && { say pubsub "already running (pid $pid), reusing it"; return 0; }
    say pubsub "pid $pid is still starting; waiting for it"
    wait_until pubsub 60 pubsub_ping pubsub "$dir/server.log"
    return
  fi
  if port_open "$PUBSUB_PORT"; then
    pubsub_ping 2> /dev/null || { fail pubsub "port $PUBSUB_PORT is taken by a program that is no emulator"; return 1; }
    warn pubsub "an emulator this script did not start answers on port $PUBSUB_PORT; using it (stop will leave it)"
    return 0
  fi
  if [ ! -x "$PUBSUB_HOME/bin/cloud-pubsub-emulator" ]; then
    fail pubsub "the Pub/Sub emulator is not installed ($PUBSUB_HOME/bin/cloud-pubsub-emulator is missing).
  Install the Debian package $PUBSUB_PACKAGE (gcloud $PUBSUB_GCLOUD) from Google's Cloud SDK apt repository:
  apt-get install -y $PUBSUB_PACKAGE, or run \`docker compose up -d pubsub\` on a machine with Docker."
    return 1
  fi
  ensure_java pubsub || return 1
  jar=$(basename "$PUBSUB_HOME"/lib/cloud-pubsub-emulator-*-all.jar)
  jar=${jar#cloud-pubsub-emulator-} && jar=${jar%-all.jar}
  [ "$jar" = "$PUBSUB_EMULATOR" ] ||
    warn pubsub "the installed emulator is ${jar:-of unknown version}; msgbook is tested against $PUBSUB_EMULATOR"
  data=$(new_datadir pubsub)
  # A modest heap: the emulator holds a few test messages, and the machine is shared with Kafka's JVM.
  # shellcheck disable=SC2046
  CLOUD_PUBSUB_EMULATOR_OPTS="-Xms64m -Xmx512m" launch pubsub "$dir/server.log" "$data" $(pubsub_command)
  say pubsub "started the Pub/Sub emulator $jar (pid $(recorded pubsub)); waiting for it to answer HTTP"
  wait_until pubsub 60 pubsub_ping pubsub "$dir/server.log"
}

pubsub_stop() {
  recorded pubsub > /dev/null && say pubsub "stopping pid $(recorded pubsub)"
  end_process pubsub 15
  remove_datadir pubsub
}

pubsub_status() {
  local pid
  if pid=$(recorded pubsub); then
    pubsub_ping 2> /dev/null && echo "pubsub  running (pid $pid) on 127.0.0.1:$PUBSUB_PORT, answering" && return 0
    echo "pubsub  running (pid $pid) on 127.0.0.1:$PUBSUB_PORT, not answering yet; log: $STATE/pubsub/server.log"
    return 1
  fi
  pubsub_ping 2> /dev/null &&
    echo "pubsub  not started here, but something answers on 127.0.0.1:$PUBSUB_PORT" && return 0
  echo "pubsub  stopped"
  return 1
}
