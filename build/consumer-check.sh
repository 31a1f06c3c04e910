#!/usr/bin/env bash
# Consumer check: the packages in artifacts/packages work for a merchant, taken from that local feed by version.
#  0. Each package's README.md is its own (src/<id>/README.md): its first line is "# <id>", never the repository's.
#  1. tests/consumer (outside the solution; its own Directory.Build.props and nuget.config, no project reference into
#     the repository): Kobbopay.Consumer.MerchantApi, an ASP.NET Core app in the shape of the MerchantApi sample on
#     every library package (Contracts, Sdk, Webhooks, AspNetCore, EventStore.Sqlite, EventStore.PostgreSql), and
#     Kobbopay.Consumer.Tests, its xunit v3 tests (with Kobbopay.Simulator and Kobbopay.Reconciliation). They restore from the local feed into a
#     private packages folder, so a cached Kobbopay package of the same version can never stand in for the one just
#     packed (each is compared byte for byte with the feed's, and every library package must be among them), then
#     build, and the tests run: the payment lifecycle with KobbopayClient against the simulator in process; a webhook
#     signed as the gateway signs it, posted to the app in memory (WebApplicationFactory): 200, handled once, again
#     200 and not handled again (the SQLite store remembers); signed with another secret: 401, not handled; the
#     reconciler on the merchant's books against the simulator in process: one order paid, one not, one
#     missing_payment in the JSON report.
#  2. The tools, Kobbopay.Simulator.Tool and Kobbopay.Cli, are installed from the same feed into a temporary
#     --tool-path (each installed package compared byte for byte with the feed's); kobbopay-sim --port 0 must print its
#     banner and answer GET /_sim/clock with 200; kobbopay doctor, given its address and the test API key it printed,
#     must exit 0 without printing the key; kobbopay-sim is then stopped.
# On success the last line is "consumer-check: consumer tests passed; kobbopay-sim answered, kobbopay doctor passed";
# any failure prints "consumer-check: FAILED: ..." and exits non-zero.
# Usage: dotnet pack Kobbopay.Sdk.sln -c Release -o artifacts/packages && bash build/consumer-check.sh
# The private packages folder starts empty, so the third-party packages (xunit, the libraries' dependencies) are
# downloaded from the machine's default feed on every run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. build/server.sh

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

feed=artifacts/packages
consumer=tests/consumer/Kobbopay.Consumer.Tests
app=tests/consumer/Kobbopay.Consumer.MerchantApi
# Every package we ship: the libraries must all be restored by the consumer projects, the tool installed.
libraries=(Kobbopay.Contracts Kobbopay.Sdk Kobbopay.Webhooks Kobbopay.AspNetCore Kobbopay.EventStore.Sqlite Kobbopay.EventStore.PostgreSql Kobbopay.Simulator Kobbopay.Reconciliation)
tools=(Kobbopay.Simulator.Tool Kobbopay.Cli)
expected_tests=4
log=artifacts/consumer-check.log
tool_log=artifacts/consumer-check-tool.log
doctor_log=artifacts/consumer-check-doctor.log
export NUGET_PACKAGES="$PWD/artifacts/consumer-nuget"
mkdir -p artifacts
: >"$log"

fail() {
  echo "consumer-check: FAILED: $*" >&2
  exit 1
}

# Prints the tail of the log, then fails.
fail_log() {
  tail -n 40 "$log" >&2
  fail "$* (full log: $log)"
}

started=$(date +%s)
version=$(dotnet msbuild "$consumer" -getProperty:KobbopayVersion 2>>"$log") || fail_log "cannot read KobbopayVersion of $consumer"
[ -n "$version" ] || fail "$consumer has no KobbopayVersion"
for id in "${libraries[@]}" "${tools[@]}"; do
  [ -f "$feed/$id.$version.nupkg" ] ||
    fail "no $feed/$id.$version.nupkg: run 'dotnet pack Kobbopay.Sdk.sln -c Release -o $feed' first"
done
echo "consumer-check: Kobbopay packages $version from $feed; private packages folder ${NUGET_PACKAGES#"$PWD"/}"

# Each package carries its own README (src/<id>/README.md, written for a NuGet user), not the repository's: its first
# line is "# <id>" and it differs from the repository's README.md (whose heading is also "# Kobbopay.Sdk"). python3
# reads the zip (CI installs it; unzip may be missing).
for id in "${libraries[@]}" "${tools[@]}"; do
  problem=$(python3 - "$feed/$id.$version.nupkg" "$id" README.md <<'EOF'
import sys, zipfile
package, package_id, repository_readme = sys.argv[1:]
names = zipfile.ZipFile(package).namelist()
if "README.md" not in names:
    print("has no README.md")
else:
    text = zipfile.ZipFile(package).read("README.md").decode("utf-8")
    heading = text.splitlines()[0] if text else ""
    if heading != "# " + package_id:
        print(f"has a README.md starting with '{heading}', not '# {package_id}'")
    elif text == open(repository_readme, encoding="utf-8").read():
        print("has the repository's README.md")
EOF
) || fail "cannot read the README.md of $feed/$id.$version.nupkg"
  [ -z "$problem" ] || fail "$id.$version.nupkg $problem: each package packs its own src/$id/README.md (build/Packaging.props)"
done
echo "consumer-check: every package's README.md is its own (first line '# <id>', not the repository's)"

# 1. The consumer projects, from scratch.
rm -rf "$NUGET_PACKAGES" "$consumer/bin" "$consumer/obj" "$app/bin" "$app/obj"
t0=$(date +%s)
dotnet restore "$consumer" >>"$log" 2>&1 || fail_log "restore of $consumer failed"
echo "consumer-check: restored in $(( $(date +%s) - t0 )) s"

# Every Kobbopay package the restore used is the one in the feed, byte for byte.
shopt -s nullglob
used=("$NUGET_PACKAGES"/kobbopay.*/"$version")
shopt -u nullglob
[ "${#used[@]}" -gt 0 ] || fail "the restore used no Kobbopay packages from $NUGET_PACKAGES"
names=()
for dir in "${used[@]}"; do
  lower=$(basename "$(dirname "$dir")")
  restored="$dir/$lower.$version.nupkg"
  packed=$(find "$feed" -maxdepth 1 -iname "$lower.$version.nupkg" | head -n 1)
  [ -n "$packed" ] || fail "$lower $version was restored, but $feed has no such package"
  cmp -s "$restored" "$packed" || fail "the restored $lower $version is not the package in $feed"
  names+=("$(basename "$packed" ".$version.nupkg")")
done
for id in "${libraries[@]}"; do
  printf '%s\n' "${names[@]}" | grep -qx "$id" || fail "the consumer projects did not restore $id: every library package must be used"
done
echo "consumer-check: restored from $feed (identical to the packed files): ${names[*]}"

t0=$(date +%s)
dotnet build "$consumer" --no-restore >>"$log" 2>&1 || fail_log "build of $consumer failed"
echo "consumer-check: built in $(( $(date +%s) - t0 )) s"

test_exe="$consumer/bin/Debug/net10.0/Kobbopay.Consumer.Tests"
[ -x "$test_exe" ] || fail "no test executable $test_exe after the build"
set +e
test_output=$(timeout 300 "$test_exe" -noColor 2>&1)
test_rc=$?
set -e
printf '%s\n' "$test_output" >>"$log"
summary=$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+' <<<"$test_output" | tail -n 1 | sed 's/^ *//')
if [ "$test_rc" -ne 0 ] || [ -z "$summary" ] || ! grep -q "Total: $expected_tests, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0" <<<"$summary"; then
  printf '%s\n' "$test_output" | tail -n 40 >&2
  fail "the $expected_tests tests of $consumer did not all pass (exit $test_rc)"
fi
echo "consumer-check: consumer tests: $summary"

# 2. The tools, installed from the same feed into a temporary tool path.
tool_dir=$(mktemp -d "${TMPDIR:-/tmp}/kobbopay-tools.XXXXXX")
sim_pid=""
cleanup() {
  stop_process "$sim_pid"
  rm -rf "$tool_dir"
}
trap cleanup EXIT

# install_tool ID COMMAND: installs package ID from the feed and checks that COMMAND came with it, from the feed's file.
install_tool() {
  local id=$1 command=$2 installed t0
  t0=$(date +%s)
  dotnet tool install "$id" --version "$version" --tool-path "$tool_dir" --add-source "$feed" >>"$log" 2>&1 ||
    fail_log "dotnet tool install of $id $version from $feed failed"
  [ -x "$tool_dir/$command" ] || fail "the install of $id made no $command command in $tool_dir"
  installed=$(find "$tool_dir/.store" -iname "$id.$version.nupkg" | head -n 1)
  [ -n "$installed" ] && cmp -s "$installed" "$feed/$id.$version.nupkg" || fail "the installed $id is not the package in $feed"
  echo "consumer-check: installed $command ($id) in $(( $(date +%s) - t0 )) s"
}
install_tool Kobbopay.Simulator.Tool kobbopay-sim
install_tool Kobbopay.Cli kobbopay

"$tool_dir/kobbopay-sim" --port 0 >"$tool_log" 2>&1 &
sim_pid=$!
url=$(wait_for_url "$tool_log" "$sim_pid" '^Kobbopay simulator listening on ')
[ -n "$url" ] || { tail -n 30 "$tool_log" >&2; fail "kobbopay-sim printed no 'Kobbopay simulator listening on' line (log: $tool_log)"; }
port="${url#http://127.0.0.1:}"; port="${port%/}"

# GET /_sim/clock with bash's own /dev/tcp: no curl needed. The first request compiles the pipeline: seconds on a
# busy machine, hence the generous timeout.
status_line() {
  timeout 30 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET /_sim/clock HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3 && head -n 1 <&3' _ "$port" 2>/dev/null | tr -d '\r'
}
status=$(status_line || true)
grep -q '^HTTP/1\.[01] 200' <<<"$status" ||
  fail "kobbopay-sim at $url answered GET /_sim/clock with '${status:-nothing}' (log: $tool_log)"
echo "consumer-check: kobbopay-sim listening on $url answered GET /_sim/clock: $status"

# kobbopay doctor against it, with the test API key kobbopay-sim printed in its banner: every check passes (exit 0),
# and the key, given on the command line, is never printed.
api_key=$(sed -n 's|.*API key \(kp_test_[A-Za-z0-9_]*\).*|\1|p' "$tool_log" | head -n 1)
[ -n "$api_key" ] || fail "kobbopay-sim printed no test API key (log: $tool_log)"
set +e
timeout 120 "$tool_dir/kobbopay" doctor --base-address "$url" --api-key "$api_key" >"$doctor_log" 2>&1
doctor_rc=$?
set -e
if [ "$doctor_rc" -ne 0 ]; then
  cat "$doctor_log" >&2
  fail "kobbopay doctor against kobbopay-sim at $url exited $doctor_rc (log: $doctor_log)"
fi
! grep -qF "$api_key" "$doctor_log" || fail "kobbopay doctor printed the API key (log: $doctor_log)"
echo "consumer-check: kobbopay doctor against $url: exit 0, $(grep -c . "$doctor_log") lines, the key not among them"
cleanup
sim_pid=""
trap - EXIT

echo "consumer-check: done in $(( $(date +%s) - started )) s"
echo "consumer-check: consumer tests passed; kobbopay-sim answered, kobbopay doctor passed"
