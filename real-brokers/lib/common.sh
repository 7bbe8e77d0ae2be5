# Helpers shared by the three brokers of brokers.sh: the versions file, the pid records that let `stop` end exactly
# the processes `start` launched (pid plus kernel start time, so a recycled pid is never killed), launching detached
# from the caller's terminal and lock, waiting on readiness, wire-level pings over bash's /dev/tcp, and apt installs.
# Sourced by brokers.sh; expects HERE and STATE to be set.

say() { printf '[%s] %s\n' "$1" "$2"; }
warn() { printf '[%s] warning: %s\n' "$1" "$2" >&2; }
fail() { printf '[%s] error: %s\n' "$1" "$2" >&2; return 1; }

# Reads real-brokers/versions.json once into shell variables (node is there: this is a Node project).
load_versions() {
  local vars
  vars=$(node - "$HERE/versions.json" << 'EOF'
const v = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const q = (s) => "$'" + String(s).replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
const out = {
  KAFKA_VERSION: v.kafka.version, KAFKA_MAVEN: v.kafka.maven, KAFKA_JAVA: v.kafka.java,
  KAFKA_PORT: v.kafka.ports.client, KAFKA_CONTROLLER_PORT: v.kafka.ports.controller,
  KAFKA_SETTINGS: Object.entries(v.kafka.settings).map(([k, x]) => `${k}=${x}`).join("\n"),
  AMQP_VERSION: v.amqp.version, AMQP_LINE: v.amqp.line, AMQP_PACKAGE: v.amqp.debianPackage,
  AMQP_NODE: v.amqp.node, AMQP_USER: v.amqp.user, AMQP_PASSWORD: v.amqp.password,
  AMQP_PLUGINS: v.amqp.plugins.join(","), AMQP_PORT: v.amqp.ports.amqp,
  AMQP_MANAGEMENT_PORT: v.amqp.ports.management, AMQP_EPMD_PORT: v.amqp.ports.epmd,
  AMQP_DIST_PORT: v.amqp.ports.distribution,
  PUBSUB_GCLOUD: v.pubsub.gcloud, PUBSUB_EMULATOR: v.pubsub.emulator, PUBSUB_PACKAGE: v.pubsub.debianPackage,
  PUBSUB_PORT: v.pubsub.ports.grpc, PUBSUB_PROJECT: v.pubsub.projectId,
};
for (const [k, x] of Object.entries(out)) console.log(`${k}=${q(x)}`);
EOF
  ) || { echo "cannot read $HERE/versions.json (is node installed?)" >&2; return 1; }
  eval "$vars"
}

start_time() { # the kernel's start time of a pid (field 22 of /proc/PID/stat; comm may hold spaces, so cut after ')')
  local s f
  s=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
  read -r -a f <<< "${s##*) }"
  [ "${f[0]}" != Z ] && echo "${f[19]}"
}

record() { # record NAME PID: remember exactly this process
  echo "$2 $(start_time "$2")" > "$STATE/$1.pid"
}

recorded() { # recorded NAME: print the pid if that very process still runs (not a zombie, not a recycled pid)
  local pid st
  read -r pid st 2> /dev/null < "$STATE/$1.pid" || return 1
  [ -n "$pid" ] && [ -n "$st" ] && [ "$(start_time "$pid")" = "$st" ] && echo "$pid"
}

# launch NAME LOG DIR CMD...: start CMD in DIR in its own session (no terminal signals reach it), stdin closed, and
# without fd 9 (the start/stop lock), then record its pid. The subshell execs setsid, which execs CMD without forking
# (a background child of a non-interactive shell is no process group leader), so $! is the broker's own pid.
launch() {
  local name=$1 log=$2 dir=$3; shift 3
  (cd "$dir" && exec setsid "$@") < /dev/null > "$log" 2>&1 9>&- &
  record "$name" $!
}

new_datadir() { # new_datadir BROKER: a fresh temp data folder, after removing the one a run that died left behind
  remove_datadir "$1"
  mktemp -d "/tmp/msgbook-$1-data.XXXXXX" | tee "$STATE/$1/datadir"
}

remove_datadir() {
  local data
  data=$(cat "$STATE/$1/datadir" 2> /dev/null) && [ -n "$data" ] && rm -rf "$data"
  rm -f "$STATE/$1/datadir"
}

end_process() { # end_process NAME [GRACE_SECONDS]: SIGTERM the recorded process, SIGKILL it after the grace period
  local name=$1 grace=${2:-30} pid i
  if pid=$(recorded "$name"); then
    kill -TERM "$pid" 2> /dev/null
    for ((i = 0; i < grace * 10; i++)); do recorded "$name" > /dev/null || break; sleep 0.1; done
    if recorded "$name" > /dev/null; then
      kill -KILL "$pid" 2> /dev/null
      for ((i = 0; i < 50; i++)); do recorded "$name" > /dev/null || break; sleep 0.1; done
    fi
  fi
  rm -f "$STATE/$name.pid"
}

# wait_until BROKER SECONDS PING PIDNAME LOG: poll PING until it succeeds; give up early if the recorded process died.
wait_until() {
  local broker=$1 limit=$2 ping=$3 pidname=$4 log=$5 i
  for ((i = 0; i < limit * 5; i++)); do
    "$ping" 2> /dev/null && { say "$broker" "ready ($SECONDS s after brokers.sh began)"; return 0; }
    recorded "$pidname" > /dev/null || {
      fail "$broker" "the process ended while starting; see $log"
      show_log "$log"
      return 1
    }
    sleep 0.2
  done
  fail "$broker" "not ready after ${limit} s; see $log"
  show_log "$log"
  return 1
}

show_log() { # the first error lines of a broker's log, else its last lines
  { grep -m 6 -E 'ERROR|FATAL|\[error\]|Exception|[Ee]rror:' "$1" || tail -n 12 "$1"; } 2> /dev/null | cut -c1-300 >&2
}

ports_free() { # ports_free BROKER PORT:ROLE...: fail naming the first port another program holds
  local broker=$1 p; shift
  for p in "$@"; do
    port_open "${p%%:*}" && { fail "$broker" "port ${p%%:*} (${p#*:}) is taken by another program"; return 1; }
  done
  return 0
}

port_open() { # something accepts TCP connections on 127.0.0.1:PORT
  (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

# Kafka: one ApiVersions v0 round trip (size 11, key 18, version 0, correlation 1, client "p"); answered error_code 0.
kafka_ping() {
  local fd r
  exec {fd}<> "/dev/tcp/127.0.0.1/$KAFKA_PORT" || return 1
  printf '\x00\x00\x00\x0b\x00\x12\x00\x00\x00\x00\x00\x01\x00\x01p' >&"$fd"
  r=$(timeout 2 head -c 10 <&"$fd" | od -An -tx1 | tr -d ' \n')
  exec {fd}>&-
  [ "${r:8:8}" = 00000001 ] && [ "${r:16:4}" = 0000 ]
}

# kafka_call CORRELATION REQUEST: one request (bytes as printf %b escapes); true when the reply carries that
# correlation id and error_code 0 right after throttle_time_ms, as FindCoordinator v1 and InitProducerId v1 replies do.
kafka_call() {
  local fd r
  exec {fd}<> "/dev/tcp/127.0.0.1/$KAFKA_PORT" || return 1
  printf '%b' "$2" >&"$fd"
  r=$(timeout 2 head -c 14 <&"$fd" | od -An -tx1 | tr -d ' \n')
  exec {fd}>&-
  [ "${r:8:8}" = "$(printf %08x "$1")" ] && [ "${r:24:4}" = 0000 ]
}

# A fresh Kafka creates __consumer_offsets and __transaction_state on the first FindCoordinator for a group or a
# transactional id, and fetches its first block of producer ids on the first InitProducerId; until then it answers
# COORDINATOR_NOT_AVAILABLE or COORDINATOR_LOAD_IN_PROGRESS, which kafkajs logs as errors. Start waits for all three
# so that the first test or snippet meets a settled broker. Requests: client id "p", key "msgbook".
kafka_coordinators_ping() {
  kafka_call 2 '\x00\x00\x00\x15\x00\x0a\x00\x01\x00\x00\x00\x02\x00\x01p\x00\x07msgbook\x00' &&  # group
    kafka_call 3 '\x00\x00\x00\x15\x00\x0a\x00\x01\x00\x00\x00\x03\x00\x01p\x00\x07msgbook\x01' &&  # transaction
    kafka_call 4 '\x00\x00\x00\x11\x00\x16\x00\x01\x00\x00\x00\x04\x00\x01p\xff\xff\x00\x00\xea\x60' # producer id
}

# AMQP 0-9-1: send the protocol header; the server answers with a method frame on channel 0 carrying
# connection.start (class 10, method 10).
amqp_ping() {
  local fd r
  exec {fd}<> "/dev/tcp/127.0.0.1/$AMQP_PORT" || return 1
  printf 'AMQP\x00\x00\x09\x01' >&"$fd"
  r=$(timeout 2 head -c 11 <&"$fd" | od -An -tx1 | tr -d ' \n')
  exec {fd}>&-
  [ "${r:0:6}" = 010000 ] && [ "${r:14:8}" = 000a000a ]
}

http_ok() { # http_ok PORT PATH: an HTTP GET answered with status 200
  local fd r
  exec {fd}<> "/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&"$fd"
  r=$(timeout 2 head -c 12 <&"$fd")
  exec {fd}>&-
  [[ $r == HTTP/1.?\ 200 ]]
}

apt_install() { # apt_install BROKER PACKAGE...: Debian packages, waiting for another apt run to finish first
  local broker=$1; shift
  if ! command -v apt-get > /dev/null || [ "$(id -u)" != 0 ]; then
    fail "$broker" "missing $*; install it (Debian: apt-get install -y $*) or run this script as root"
    return 1
  fi
  say "$broker" "installing $* (apt-get)"
  # Retried once after `apt-get update`: a fresh machine may have no package lists yet.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" \
    > "$STATE/apt-$broker.log" 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update >> "$STATE/apt-$broker.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" \
      >> "$STATE/apt-$broker.log" 2>&1
  } || { fail "$broker" "apt-get install $* failed; see $STATE/apt-$broker.log"; return 1; }
}

ensure_java() { # a Java of at least the version versions.json names, for Kafka and the emulator
  local v
  command -v java > /dev/null || apt_install "$1" "openjdk-$KAFKA_JAVA-jre-headless" || return 1
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  [ "${v:-0}" -ge "$KAFKA_JAVA" ] || { fail "$1" "java $KAFKA_JAVA or later is needed, found ${v:-none}"; return 1; }
}
