# Sourced by the build scripts that start a server process.
#
# wait_for_url LOG PID PREFIX prints the first http://127.0.0.1:PORT/ address that the
# process PID logged to LOG after the sed pattern PREFIX (e.g. '^Kobbopay simulator listening on '), waiting up to
# 60 s, and prints nothing if the process exits or the time runs out first. The servers bind port 0 themselves and log
# the address they got, so there is no window between picking a port and binding it.
wait_for_url() {
  local log=$1 pid=$2 prefix=$3 url=""
  for _ in $(seq 1 600); do
    url=$(sed -n "s|${prefix}\(http://127\.0\.0\.1:[0-9]*/\).*|\1|p" "$log" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  printf '%s' "$url"
}

# stop_process PID: asks the process to stop (SIGTERM), waits up to 5 s, then kills it; quiet when it is already gone.
stop_process() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
