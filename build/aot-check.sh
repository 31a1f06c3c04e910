#!/usr/bin/env bash
# Native AOT check. Publishes tests/Kobbopay.AotSmoke with Native AOT (linux-x64, every library rooted whole with
# TrimmerRootAssembly, trim and AOT analyzers on: all set in its project file) with warnings as errors, and fails when
# the publish fails or prints any warning. Then starts the simulator on a free loopback port and runs the native binary
# against it: the client (create, read back, replay, a 404), a reconciliation of that payment and an unpaid order
# (one missing_payment, through the JSON sink), and the webhook endpoint on Kestrel with the SQLite store, in the
# binary's own process. On success prints "aot-check: 0 warnings" and the binary's lines.
# Usage: bash build/aot-check.sh   (from anywhere; with CI=true, restore is locked as in .ci/run)
# The native link needs clang or, failing that, gcc (this machine links with gcc), as every Native AOT publish on Linux
# does; zlib and brotli come with the SDK's native libraries.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. build/server.sh

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

project=tests/Kobbopay.AotSmoke
binary_name=Kobbopay.AotSmoke
out=artifacts/aot
log=artifacts/aot-check.log
sim_project=src/Kobbopay.Simulator
sim_log=artifacts/aot-check-simulator.log
mkdir -p artifacts

# The compiler only runs (and reports) when its inputs changed: start from a clean Release output so every run analyses.
rm -rf "$out" "$project/bin/Release" "$project/obj/Release"

# RuntimeIdentifier=linux-x64 and PublishAot are set in the project file, not passed here: a property given on the
# command line (-r, -p:) is global and also reaches the restore of Kobbopay.Sdk, whose lock file has no RID, so a
# locked (CI) restore fails with NU1004.
echo "aot-check: publishing $project with Native AOT (a few minutes on two shared cores)" >&2
started=$(date +%s)
set +e
dotnet publish "$project" -c Release -warnaserror -o "$out" >"$log" 2>&1
rc=$?
set -e
seconds=$(( $(date +%s) - started ))

# Warnings (trim and AOT analysis: "warning IL2026", "warning IL3050" and the like; any other warning too). With
# -warnaserror most of them arrive as errors, so errors are listed as well.
warnings=$(grep -E -i '(^|[^a-z])warning([^a-z]|$)' "$log" | sort -u || true)
errors=$(grep -E '(^|[^A-Za-z])error [A-Z]+[0-9]+' "$log" | sort -u || true)
count=$(grep -c . <<<"$warnings" || true)

if [ "$rc" -ne 0 ] || [ -n "$warnings" ] || [ -n "$errors" ]; then
  echo "aot-check: publish of $project failed (exit $rc)" >&2
  [ -n "$errors" ] && printf '%s\n' "$errors" >&2
  [ -n "$warnings" ] && printf '%s\n' "$warnings" >&2
  if [ -z "$errors" ] && [ -z "$warnings" ]; then
    tail -n 30 "$log" >&2
  fi
  echo "aot-check: $count warnings, $(grep -c . <<<"$errors" || true) errors (full log: $log)" >&2
  exit 1
fi

binary="$out/$binary_name"
[ -x "$binary" ] || { echo "aot-check: no published executable in $out" >&2; exit 1; }
# A native executable, not an apphost next to IL: no managed copy of the program may be published beside it.
if [ -e "$out/$binary_name.dll" ]; then
  echo "aot-check: $out holds $binary_name.dll: the publish was not Native AOT" >&2
  exit 1
fi
echo "aot-check: 0 warnings"
echo "aot-check: published in ${seconds} s, $(du -h "$binary" | cut -f1) native executable $binary"

# Without arguments the binary prints its usage and runs the in-process webhook checks.
if ! selfcheck=$(timeout 120 "$binary" 2>&1); then
  printf '%s\n' "$selfcheck" >&2
  echo "aot-check: $binary without arguments failed" >&2
  exit 1
fi

# The simulator, built as CI has already built it (Debug), run from its output so that the pid is the simulator's own.
echo "aot-check: building and starting the simulator" >&2
dotnet build "$sim_project" -nologo -v quiet -clp:ErrorsOnly >"$sim_log" 2>&1 || { tail -n 30 "$sim_log" >&2; exit 1; }
sim_dll="$sim_project/bin/Debug/net10.0/Kobbopay.Simulator.dll"
[ -f "$sim_dll" ] || { echo "aot-check: no $sim_dll after the build" >&2; exit 1; }

sim_pid=""
stop_simulator() {
  stop_process "$sim_pid"
}
trap stop_simulator EXIT

# Port 0: the simulator binds a free port on 127.0.0.1 itself (no window between picking a port and binding it) and
# prints the address, then the test API key.
dotnet "$sim_dll" --listen 127.0.0.1 --port 0 >"$sim_log" 2>&1 &
sim_pid=$!

url=$(wait_for_url "$sim_log" "$sim_pid" '.*listening on ')
[ -n "$url" ] || { tail -n 30 "$sim_log" >&2; echo "aot-check: the simulator did not start (log: $sim_log)" >&2; exit 1; }
api_key=$(sed -n 's|.*API key \(kp_test_[A-Za-z0-9_]*\).*|\1|p' "$sim_log" | head -n 1)
[ -n "$api_key" ] || { echo "aot-check: the simulator printed no test API key (log: $sim_log)" >&2; exit 1; }

# Wait until it answers HTTP (its OpenAPI document), with bash's own /dev/tcp: no curl needed.
port="${url#http://127.0.0.1:}"; port="${port%/}"
answers() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET /openapi/v1.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3 && head -n 1 <&3' _ "$port" 2>/dev/null \
    | grep -q '^HTTP/1\.[01] 200'
}
for _ in $(seq 1 100); do
  answers && break
  sleep 0.1
done
answers || { echo "aot-check: the simulator at $url does not answer (log: $sim_log)" >&2; exit 1; }

set +e
timeout 180 "$binary" "$url" "$api_key"
smoke_rc=$?
set -e
if [ "$smoke_rc" -ne 0 ]; then
  echo "aot-check: $binary against the simulator at $url failed (exit $smoke_rc; simulator log: $sim_log)" >&2
  exit 1
fi
