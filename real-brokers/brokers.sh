#!/usr/bin/env bash
# The real brokers without Docker (issue 3): Apache Kafka, RabbitMQ and the official Pub/Sub emulator as plain
# background processes on a Debian machine, with the versions, ports and settings of real-brokers/versions.json.
# Pids, logs and configuration live under one state folder (${MSGBOOK_REAL_DIR:-/tmp/msgbook-real}), data in temp
# folders; `stop` ends exactly the processes `start` launched. Run as `npm run brokers:real -- start`.
# shellcheck source-path=SCRIPTDIR
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${MSGBOOK_REAL_DIR:-/tmp/msgbook-real}
BROKERS=(kafka amqp pubsub)

usage() {
  cat << EOF
usage: brokers.sh start|stop|status|env
       brokers.sh config kafka|amqp|pubsub   what each broker runs with (nothing is started)
       brokers.sh rabbitmqctl ARGS...        rabbitmqctl against the RabbitMQ node this script started
state folder: $STATE (set MSGBOOK_REAL_DIR to change it)
EOF
}

. "$HERE/lib/common.sh"
. "$HERE/lib/kafka.sh"
. "$HERE/lib/rabbitmq.sh"
. "$HERE/lib/pubsub.sh"

fn() { # the function of one broker: fn amqp start -> rabbitmq_start
  case $1 in amqp) echo "rabbitmq_$2" ;; *) echo "$1_$2" ;; esac
}

exports() {
  cat << EOF
export MSGBOOK_REAL_KAFKA=127.0.0.1:$KAFKA_PORT
export MSGBOOK_REAL_AMQP=amqp://$AMQP_USER:$AMQP_PASSWORD@127.0.0.1:$AMQP_PORT
export MSGBOOK_REAL_AMQP_MANAGEMENT=http://127.0.0.1:$AMQP_MANAGEMENT_PORT
export MSGBOOK_REAL_PUBSUB=127.0.0.1:$PUBSUB_PORT
export MSGBOOK_REAL_AMQP_CTL="bash $HERE/brokers.sh rabbitmqctl"
EOF
}

lock() { # one start or stop at a time (a stop waits for a start to finish); fd 9 is closed in every broker
  mkdir -p "$STATE" && exec 9> "$STATE/.lock" || return 1
  flock -n 9 && return 0
  echo "waiting for another brokers.sh start or stop to finish" >&2
  flock 9
}

cmd_start() {
  local b pids=() failed=() t0=$SECONDS
  lock || return 1
  # The three start in parallel: the apt install, the mvn fetch and three JVM/BEAM boots overlap.
  for b in "${BROKERS[@]}"; do
    "$(fn "$b" start)" &
    pids+=($!)
  done
  for i in "${!BROKERS[@]}"; do
    wait "${pids[$i]}" || failed+=("${BROKERS[$i]}")
  done
  if [ ${#failed[@]} -gt 0 ]; then
    echo "failed to start: ${failed[*]} (logs under $STATE; the others keep running: brokers.sh stop ends them)" >&2
    return 1
  fi
  echo "all brokers ready after $((SECONDS - t0)) s; for the real target and npm run test:real:"
  exports
}

cmd_stop() {
  local b
  lock || return 1
  for b in "${BROKERS[@]}"; do "$(fn "$b" stop)" & done
  wait
  echo "stopped what brokers.sh had started (logs kept under $STATE)"
}

cmd_status() {
  local b rc=0
  for b in "${BROKERS[@]}"; do "$(fn "$b" status)" || rc=3; done
  return $rc
}

cmd_config() {
  case ${1:-} in
    kafka)
      echo "# Apache Kafka $KAFKA_VERSION ($KAFKA_MAVEN, Java $KAFKA_JAVA): server.properties"
      kafka_properties "<data folder>"
      ;;
    amqp)
      echo "# RabbitMQ $AMQP_VERSION (Debian $AMQP_PACKAGE, node $AMQP_NODE)"
      echo "# environment"
      rabbitmq_vars "<data folder>"
      echo "# rabbitmq.conf"
      rabbitmq_conf
      echo "# enabled_plugins"
      echo "[${AMQP_PLUGINS}]."
      ;;
    pubsub)
      echo "# Pub/Sub emulator $PUBSUB_EMULATOR (gcloud $PUBSUB_GCLOUD, Debian $PUBSUB_PACKAGE)"
      echo "# project $PUBSUB_PROJECT"
      pubsub_command
      ;;
    *) usage >&2 && return 2 ;;
  esac
}

main() {
  load_versions || return 1
  case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) exports ;;
    config) cmd_config "${2:-}" ;;
    rabbitmqctl) shift && rabbitmq_ctl "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2 && return 2 ;;
  esac
}

main "$@"
