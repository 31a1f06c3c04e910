#!/usr/bin/env bash
# Trimmed-publish check (stands in for an AOT publish, which this machine cannot do).
# Publishes tests/Kobbopay.Sdk.TrimTest (self-contained linux-x64, PublishTrimmed, every library rooted whole with
# TrimmerRootAssembly: all set in its project file) with warnings as errors. Fails when the publish fails or prints
# any warning; on success prints "trim-check: 0 warnings".
# Usage: bash build/trim-check.sh   (from anywhere; with CI=true, restore is locked as in .ci/run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

project=tests/Kobbopay.Sdk.TrimTest
out=artifacts/trimtest
log=artifacts/trim-check.log
mkdir -p artifacts

# ILLink only runs (and reports) when its inputs changed: start from a clean Release output so every run analyses.
rm -rf "$out" "$project/bin/Release" "$project/obj/Release"

# RuntimeIdentifier=linux-x64, SelfContained and PublishTrimmed are set in the project file, not passed here: a
# property given on the command line (-r, --self-contained, -p:) is global and also reaches the restore of
# Kobbopay.Sdk, whose lock file has no RID, so a locked (CI) restore fails with NU1004.
set +e
dotnet publish "$project" -c Release -warnaserror -o "$out" >"$log" 2>&1
rc=$?
set -e

# Warnings (trim analysis: "warning IL2026" and the like; any other warning too). With -warnaserror most of them
# arrive as errors, so errors are listed as well.
warnings=$(grep -E -i '(^|[^a-z])warning([^a-z]|$)' "$log" | sort -u || true)
errors=$(grep -E '(^|[^A-Za-z])error [A-Z]+[0-9]+' "$log" | sort -u || true)
count=$(grep -c . <<<"$warnings" || true)

if [ "$rc" -ne 0 ] || [ -n "$warnings" ] || [ -n "$errors" ]; then
  echo "trim-check: publish of $project failed (exit $rc)" >&2
  [ -n "$errors" ] && printf '%s\n' "$errors" >&2
  [ -n "$warnings" ] && printf '%s\n' "$warnings" >&2
  if [ -z "$errors" ] && [ -z "$warnings" ]; then
    tail -n 30 "$log" >&2
  fi
  echo "trim-check: $count warnings, $(grep -c . <<<"$errors" || true) errors (full log: $log)" >&2
  exit 1
fi

[ -x "$out/Kobbopay.Sdk.TrimTest" ] || { echo "trim-check: no published executable in $out" >&2; exit 1; }
# The trimmed program must at least start: without a base address it prints its usage and exits 0.
"$out/Kobbopay.Sdk.TrimTest" >/dev/null

echo "trim-check: 0 warnings"
