# Shared by bench/run.sh and bench/chaos.sh (sourced, not run).

# stop_pid PID [SECONDS]: TERM, then KILL if it still runs after SECONDS (default 30; a zombie counts as
# ended); reaped.
stop_pid() {
  local pid=$1 secs=${2:-30}
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((secs * 10))); do
    case "$(ps -o stat= -p "$pid" 2>/dev/null || true)" in "" | Z*) break ;; esac
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
