# Sourced by the build scripts: wait_for_url LOG PID PREFIX prints the first http://127.0.0.1:PORT/ address that the
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
