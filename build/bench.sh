#!/usr/bin/env bash
# Performance suite of issue #7: BenchmarkDotNet micro-benchmarks, the webhook endpoint under wrk, the simulator;
# and of issue #13: the reconciler at 10,000 and 100,000 payments.
#
#   bash build/bench.sh           everything, a few minutes on two cores; writes artifacts/bench/summary.md
#   bash build/bench.sh --smoke   CI: builds and runs the signature benchmarks once with BenchmarkDotNet's dry job
#                                 (and the interleaved signature and store timings for a few rounds)
#                                 (well under a minute once built; writes artifacts/bench/smoke/summary.md; the
#                                 figures prove it runs, they are not measurements)
#
# The endpoint runs inline on each store, and queued (UseQueuedProcessing) on SQLite and PostgreSQL, whose handled
# counts are read again once the worker has drained its backlog (up to 120 s more).
# PostgreSQL figures need KOBBOPAY_POSTGRES (eval "$(bash build/postgres.sh)" starts a server); without it the
# summary says "not run: no server". wrk is installed with apt-get when missing (root needed; otherwise the endpoint
# figures are "not run: no wrk"). Settings: BENCH_WRK_SECONDS (10), BENCH_SIM_SECONDS (40, cap on creating the
# 100,000 payments), BENCH_PORT (5089).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/artifacts/bench"
project=tests/Kobbopay.Benchmarks
bin="$project/bin/Release/net10.0/Kobbopay.Benchmarks"
smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
# The smoke run keeps to a folder of its own, so it never wipes a full run's results.
[ "$smoke" = 1 ] && out="$out/smoke"
wrk_seconds="${BENCH_WRK_SECONDS:-10}"
port="${BENCH_PORT:-5089}"
log() { echo "bench.sh: $*" >&2; }

rm -rf "$out"
mkdir -p "$out/bdn" "$out/wrk"
started=$(date +%s)

log "building $project (Release)"
dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly

if [ "$smoke" = 1 ]; then
  log "smoke: signature verification, dry job"
  KOBBOPAY_BENCH_SMOKE=1 "$bin" --filter '*SignatureVerificationBenchmark*' --artifacts "$out/bdn" > "$out/bdn/smoke.log" 2>&1 \
    || { tail -50 "$out/bdn/smoke.log" >&2; exit 1; }
  "$bin" sig-interleaved "$out/sig-interleaved.json" 5 10 > "$out/sig-interleaved.log" 2>&1 || { tail -30 "$out/sig-interleaved.log" >&2; exit 1; }
  "$bin" store-interleaved "$out/store-interleaved.json" 3 > "$out/store-interleaved.log" 2>&1 || { tail -30 "$out/store-interleaved.log" >&2; exit 1; }
  python3 "$root/$project/bench_summary.py" "$out" --smoke
  log "done in $(( $(date +%s) - started )) s: $out/summary.md"
  exit 0
fi

# 1-3 BenchmarkDotNet: signatures, client, stores (PostgreSQL only with a server).
filters=('*SignatureVerificationBenchmark*' '*ClientBenchmark*' '*ClientLayersBenchmark*' '*StoreBenchmark.InMemory*' '*StoreBenchmark.Sqlite*')
[ -n "${KOBBOPAY_POSTGRES:-}" ] && filters+=('*StoreBenchmark.PostgreSql*')
# The PostgreSQL store against Npgsql running its exact SQL (issue #16).
[ -n "${KOBBOPAY_POSTGRES:-}" ] && filters+=('*PostgreSqlStoreBenchmark*')
# The SQLite store against Microsoft.Data.Sqlite running its statements (issue #16).
filters+=('*SqliteStoreBenchmark*')
log "BenchmarkDotNet: ${filters[*]}"
"$bin" --filter "${filters[@]}" --artifacts "$out/bdn" > "$out/bdn/run.log" 2>&1 || { tail -50 "$out/bdn/run.log" >&2; exit 1; }

# 3a Signature verification at 1 KiB, interleaved: ours against Stripe.net, the StandardWebhooks package and the bare
# HMACSHA256.HashData, and valid against forged (wrong MAC, first or last byte), in one loop with the order shuffled
# every round.
log "signatures: ours, forged, peers and bare HMAC interleaved"
"$bin" sig-interleaved "$out/sig-interleaved.json" > "$out/sig-interleaved.log" 2>&1 || { tail -30 "$out/sig-interleaved.log" >&2; exit 1; }

# 3b The client's time against its baselines, interleaved (BenchmarkDotNet's sequential medians drift with the order).
log "client: create+get interleaved with its baselines"
"$bin" client-interleaved "$out/client-interleaved.json" > "$out/client-interleaved.log" 2>&1 || { tail -30 "$out/client-interleaved.log" >&2; exit 1; }

# 3c Where the client's bytes go: create+get over an in-memory transport, layer by layer (docs/performance.md).
log "client: allocation trace, layer by layer"
"$bin" client-allocs "$out/client-allocs.json" > "$out/client-allocs.log" 2>&1 || { tail -30 "$out/client-allocs.log" >&2; exit 1; }

# 3d The stores' begin+complete against their bare drivers running the store's exact SQL, interleaved round by round,
# at 1 and 16 callers: SQLite, and PostgreSQL with a server (BenchmarkDotNet's sequential ratios moved 0.43x-2.09x).
log "stores: begin+complete interleaved with their bare drivers"
"$bin" store-interleaved "$out/store-interleaved.json" > "$out/store-interleaved.log" 2>&1 || { tail -30 "$out/store-interleaved.log" >&2; exit 1; }

# 4 The webhook endpoint under wrk.
if ! command -v wrk >/dev/null && [ "$(id -u)" -eq 0 ]; then
  log "installing wrk"
  (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)) >/dev/null 2>&1 || true
fi
if command -v wrk >/dev/null; then
  log "writing signed bodies for wrk"
  "$bin" wrk-data "$out/wrk/data" 200000
  # Fresh events of their own (other ids) for the warm-up of each fresh run.
  "$bin" wrk-data "$out/wrk/warm" 20000
  # "-queued": the same store with UseQueuedProcessing on its own inbox, fresh events only (inline vs queued req/s).
  stores=(memory sqlite sqlite-queued)
  [ -n "${KOBBOPAY_POSTGRES:-}" ] && stores+=(postgres postgres-queued)
  # The handler count once it stops moving for a second (queued mode answers before the handlers run); at most 120 s.
  settled() {
    local last=-1 now=0
    for _ in $(seq 1 120); do
      now=$(curl -sf "http://127.0.0.1:$port/stats") || break
      [ "$now" = "$last" ] && break
      last=$now; sleep 1
    done
    echo "$now"
  }
  for store in "${stores[@]}"; do
    queued=()
    [ "$store" != "${store%-queued}" ] && queued=(--queued)
    # Server GC, as the host of a real endpoint (an ASP.NET Core app on the Web SDK) runs; this project is a console app.
    DOTNET_gcServer=1 "$bin" serve --port "$port" --store "${store%-queued}" "${queued[@]}" > "$out/wrk/serve-$store.log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/stats" >/dev/null 2>&1 && break; sleep 0.2; done
    runs=(fresh:/webhook)
    [ "$store" = memory ] && runs=(bare:/bare fresh:/webhook dup:/webhook)
    for run in "${runs[@]}"; do
      name="${run%%:*}"; path="${run#*:}"; mode=fresh
      [ "$name" = dup ] && mode=dup
      # A short warm-up (JIT, connections, SQLite/PostgreSQL schema), then the measured run. A fresh run warms up on
      # fresh events of the other set, so the fresh path is compiled and tiered before the measured window (a warm-up of
      # duplicates left that inside it) and the measured run still starts at its first unused event id.
      warm=dup; warm_data="$out/wrk/data"
      [ "$mode" = fresh ] && { warm=fresh; warm_data="$out/wrk/warm"; }
      WRK_DATA="$warm_data" WRK_PATH="$path" WRK_MODE="$warm" wrk -t2 -c32 -d2s -s "$out/wrk/data/bodies.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 || true
      before=$(curl -sf "http://127.0.0.1:$port/stats")
      [ ${#queued[@]} -gt 0 ] && before=$(settled)
      log "wrk $store $name ($path, ${wrk_seconds}s)"
      WRK_DATA="$out/wrk/data" WRK_PATH="$path" WRK_MODE="$mode" wrk -t2 -c32 -d"${wrk_seconds}s" --latency -s "$out/wrk/data/bodies.lua" "http://127.0.0.1:$port" > "$out/wrk/$store-$name.txt" 2>&1
      after=$(curl -sf "http://127.0.0.1:$port/stats")
      echo "handled: $(( after - before ))" >> "$out/wrk/$store-$name.txt"
      if [ ${#queued[@]} -gt 0 ]; then
        drain_started=$(date +%s)
        drained=$(settled)
        echo "handled after draining: $(( drained - before )) in $(( $(date +%s) - drain_started )) s" >> "$out/wrk/$store-$name.txt"
      fi
    done
    kill "$server"
    for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  done
  rm -rf "$out/wrk/data" "$out/wrk/warm"
else
  log "wrk is not available: endpoint figures not run"
fi

# 5 The simulator.
log "simulator: payments/s, webhooks/s, memory after 100,000 payments"
# Server GC, as the kobbopay-sim program runs (an ASP.NET Core app); the BenchmarkDotNet jobs above keep their own.
DOTNET_gcServer=1 "$bin" simulator "$out/simulator.json" 100000 "${BENCH_SIM_SECONDS:-40}" 5 > "$out/simulator.log" 2>&1 || { tail -30 "$out/simulator.log" >&2; exit 1; }

# 6 The reconciler: 10,000 and 100,000 payments against as many orders, over HTTP to a simulator in a child process.
# Workstation GC (the default of a console program, as a merchant's reconciliation job runs): the peak heap is the
# reconciler's own, not a server GC's large allocation budget.
log "reconcile: 10,000 and 100,000 payments against as many orders, payments/s and peak managed memory"
"$bin" reconcile "$out/reconcile.json" 10000 100000 > "$out/reconcile.log" 2>&1 || { tail -30 "$out/reconcile.log" >&2; exit 1; }

python3 "$root/$project/bench_summary.py" "$out"
log "done in $(( $(date +%s) - started )) s: $out/summary.md"
