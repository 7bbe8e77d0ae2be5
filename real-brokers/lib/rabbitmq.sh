# RabbitMQ for brokers.sh: Debian's rabbitmq-server (3.10.8) as a plain process, never the system service, with its
# own epmd (so it neither needs nor disturbs the machine's), its Erlang distribution on loopback, its mnesia in a temp
# folder and the management plugin. After /work/shared/research/rabbitmq-recipe.sh (ready in ~8 s there).
# Records three processes: epmd, the rabbitmq-server wrapper (a shell that forwards SIGTERM) and the beam it runs.

RABBITMQ_BIN=/usr/lib/rabbitmq/bin

rabbitmq_vars() { # rabbitmq_vars DATA: the environment the node and rabbitmqctl share, one NAME=value a line
  local dir=$STATE/amqp
  cat << EOF
HOME=$1/home
RABBITMQ_NODENAME=$AMQP_NODE
RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
RABBITMQ_NODE_PORT=$AMQP_PORT
RABBITMQ_DIST_PORT=$AMQP_DIST_PORT
ERL_EPMD_PORT=$AMQP_EPMD_PORT
RABBITMQ_MNESIA_BASE=$1/mnesia
RABBITMQ_LOG_BASE=$dir/log
RABBITMQ_PID_FILE=$dir/beam.pid
RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}
EOF
}

rabbitmq_env() { # export those for the node started last (HOME holds its Erlang cookie)
  local data line
  data=$(cat "$STATE/amqp/datadir" 2> /dev/null) || return 1
  while IFS= read -r line; do export "${line%%=*}=${line#*=}"; done < <(rabbitmq_vars "$data")
}

rabbitmq_conf() { # the rabbitmq.conf brokers.sh runs with (the AMQP listener comes from rabbitmq_env)
  cat << EOF
management.tcp.ip = 127.0.0.1
management.tcp.port = $AMQP_MANAGEMENT_PORT
log.console = true
log.file = false
EOF
}

rabbitmq_ping() { amqp_ping && http_ok "$AMQP_MANAGEMENT_PORT" /; }

rabbitmq_start() {
  local dir=$STATE/amqp pid data installed
  mkdir -p "$dir"
  if pid=$(recorded amqp); then
    amqp_ping 2> /dev/null && { say amqp "already running (pid $pid), reusing it"; return 0; }
    say amqp "pid $pid is still starting; waiting for it"
    wait_until amqp 90 rabbitmq_ping amqp "$dir/server.log"
    return
  fi
  if port_open "$AMQP_PORT"; then
    amqp_ping 2> /dev/null || { fail amqp "port $AMQP_PORT is taken by a program that does not speak AMQP"; return 1; }
    warn amqp "a broker this script did not start answers on port $AMQP_PORT; using it (stop will leave it running)"
    return 0
  fi
  ports_free amqp "$AMQP_MANAGEMENT_PORT:management" "$AMQP_DIST_PORT:Erlang distribution" || return 1
  if [ ! -x "$RABBITMQ_BIN/rabbitmq-server" ]; then
    apt_install amqp "$AMQP_PACKAGE" || return 1
    # On a machine with systemd, installing the package also starts Debian's own service on the same port.
    if port_open "$AMQP_PORT"; then
      fail amqp "installing $AMQP_PACKAGE started Debian's rabbitmq-server service on port $AMQP_PORT; stop it
  (systemctl disable --now rabbitmq-server) and run start again"
      return 1
    fi
  fi
  installed=$(dpkg-query -W -f '${Version}' "$AMQP_PACKAGE" 2> /dev/null)
  [ "${installed#"$AMQP_LINE".}" != "$installed" ] ||
    warn amqp "installed $AMQP_PACKAGE is ${installed:-of unknown version}; msgbook is tested against $AMQP_VERSION"
  data=$(new_datadir amqp)
  rm -f "$dir/beam.pid" "$STATE/amqp-beam.pid"
  rabbitmq_conf > "$dir/rabbitmq.conf"
  echo "[${AMQP_PLUGINS}]." > "$dir/enabled_plugins"
  (
    rabbitmq_env && mkdir -p "$HOME"
    # The node registers with epmd on ERL_EPMD_PORT: start a private one unless one already answers there.
    if port_open "$AMQP_EPMD_PORT"; then
      warn amqp "an epmd already listens on port $AMQP_EPMD_PORT; the node registers with it"
    else
      launch amqp-epmd "$dir/epmd.log" "$data" epmd -port "$AMQP_EPMD_PORT" -address 127.0.0.1
    fi
    # /usr/sbin/rabbitmq-server would switch to the rabbitmq user; the script in RABBITMQ_BIN runs as we are.
    launch amqp "$dir/server.log" "$data" "$RABBITMQ_BIN/rabbitmq-server"
  )
  say amqp "started RabbitMQ ${installed:-} (pid $(recorded amqp)); waiting for the AMQP handshake and management"
  wait_until amqp 90 rabbitmq_ping amqp "$dir/server.log" || return 1
  rabbitmq_record_beam
}

rabbitmq_record_beam() { # the beam the wrapper forked: from the node's pid file, else the wrapper's child
  local wrapper beam
  wrapper=$(recorded amqp) || return 0
  beam=$(cat "$STATE/amqp/beam.pid" 2> /dev/null)
  [ -n "$beam" ] || beam=$(cat /proc/"$wrapper"/task/*/children 2> /dev/null | awk '{print $1}')
  [ -n "$beam" ] && start_time "$beam" > /dev/null && record amqp-beam "$beam"
}

rabbitmq_stop() { # the beam first (SIGTERM is a graceful stop, ~1 s), then the wrapper, then our epmd
  recorded amqp > /dev/null && say amqp "stopping pid $(recorded amqp)"
  recorded amqp-beam > /dev/null || rabbitmq_record_beam
  end_process amqp-beam 30
  end_process amqp 10
  end_process amqp-epmd 5
  remove_datadir amqp
  rm -f "$STATE/amqp/beam.pid"
}

rabbitmq_status() {
  local pid
  if pid=$(recorded amqp); then
    amqp_ping 2> /dev/null &&
      echo "amqp    running (pid $pid) on 127.0.0.1:$AMQP_PORT, management on :$AMQP_MANAGEMENT_PORT, answering" &&
      return 0
    echo "amqp    running (pid $pid) on 127.0.0.1:$AMQP_PORT, not answering yet; log: $STATE/amqp/server.log"
    return 1
  fi
  amqp_ping 2> /dev/null && echo "amqp    not started here, but something answers on 127.0.0.1:$AMQP_PORT" && return 0
  echo "amqp    stopped"
  return 1
}

rabbitmq_ctl() { # rabbitmqctl against the node brokers.sh started (a chapter raises a memory alarm with it)
  if ! recorded amqp > /dev/null || ! rabbitmq_env; then
    fail amqp "RabbitMQ is not running from brokers.sh (start it with: npm run brokers:real -- start)"
    return 1
  fi
  exec "$RABBITMQ_BIN/rabbitmqctl" -n "$AMQP_NODE" "$@"
}
