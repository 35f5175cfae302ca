# shellcheck shell=bash
# Bash functions shared by scripts/run and scripts/bench to start wardprint's services on
# loopback: a private D-Bus bus, emulated printers, the daemon. Source it, then:
#   stop_services_on_exit [DIR...]  stop what was started (and remove DIRs) on exit, Ctrl-C, TERM
#   start_bus DIR                   dbus-daemon on DIR/dbus.sock; exports DBUS_SYSTEM_BUS_ADDRESS
#   start_printer DIR PORT NAME     scripts/printer-emulator, logging to DIR.log; waits for PORT
#   start_postgres DIR PORT         a throwaway PostgreSQL in DIR (tests/support/pg-server), on
#                                   127.0.0.1:PORT; sets postgres_dsn, its connection string
#   start_service COMMAND...        any command in the background; its PID is in $service_pid
#   wait_for_port PORT [PID]        until something listens on 127.0.0.1:PORT (fails if PID dies)
#   free_port                       prints a port nothing listens on
#   stop_services                   stops what was started, newest first

services_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
service_pids=()
service_pid=""
postgres_dirs=()
remove_on_exit=()

start_service() {
  "$@" &
  service_pid=$!
  service_pids+=("$service_pid")
}

# TERM to each service, newest first; KILL for one still there after 10 s.
stop_services() {
  local i pid dir
  for ((i = ${#service_pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${service_pids[i]}" 2>/dev/null || true
  done
  for ((i = ${#service_pids[@]} - 1; i >= 0; i--)); do
    pid=${service_pids[i]}
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  service_pids=()
  # PostgreSQL last, once the daemons using it have gone.
  for dir in "${postgres_dirs[@]}"; do "$services_root/tests/support/pg-server" stop "$dir" || true; done
  postgres_dirs=()
}

stop_services_on_exit() {
  remove_on_exit=("$@")
  trap 'stop_services; rm -rf "${remove_on_exit[@]}"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

wait_for_port() {
  local port=$1 pid=${2:-}
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "the process meant to listen on port $port has exited" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "nothing is listening on port $port" >&2
  return 1
}

# A random port below Linux's ephemeral range (so no outgoing connection holds it) with
# no listener on 127.0.0.1 or ::1. Start its service before asking for another.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! (exec 3<>"/dev/tcp/::1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "found no free port" >&2
  return 1
}

start_bus() {
  local dir=$1
  mkdir -p "$dir"
  rm -f "$dir/dbus.sock"
  start_service dbus-daemon --config-file=/usr/share/dbus-1/session.conf --address="unix:path=$dir/dbus.sock" \
    --nofork --nopidfile 2>/dev/null
  for _ in $(seq 50); do
    [ -S "$dir/dbus.sock" ] && break
    sleep 0.1
  done
  [ -S "$dir/dbus.sock" ] || { echo "dbus-daemon did not start" >&2; return 1; }
  export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/dbus.sock"
}

start_printer() {
  local dir=$1 port=$2 name=$3
  start_service "$services_root/scripts/printer-emulator" "$dir" "$port" "$name" >"$dir.log" 2>&1
  wait_for_port "$port" "$service_pid" || { cat "$dir.log" >&2; return 1; }
}

start_postgres() {
  local dir=$1 port=$2
  postgres_dirs+=("$dir")
  postgres_dsn=$("$services_root/tests/support/pg-server" start "$dir" "$port")
}
