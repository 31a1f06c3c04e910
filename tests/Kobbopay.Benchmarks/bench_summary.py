#!/usr/bin/env python3
"""Writes artifacts/bench/summary.md from BenchmarkDotNet's JSON exports, wrk's output, simulator.json and reconcile.json.

Usage: bench_summary.py OUT_DIR [--smoke]. Ratios are of medians (the VMs this runs on are noisy; a median of ten
short iterations is steadier than the mean); BenchmarkDotNet's own Ratio column (of means) is in the per-class
reports under bdn/results. The targets that compare two sequential BenchmarkDotNet methods too closely for this
machine's run-to-run noise (ours vs the bare HMAC, the stores vs their bare drivers, the client's time) are judged
on the interleaved modes instead (sig-, store- and client-interleaved: the median over the rounds of per-round
ratios); their BenchmarkDotNet rows stay as reports.
"""
import glob
import json
import os
import re
import sys

out = sys.argv[1]
smoke = "--smoke" in sys.argv
postgres = bool(os.environ.get("KOBBOPAY_POSTGRES"))
rows = []      # (figure, value, target, result)
misses = []    # (figure, why and what would close it)

# Why a target can be missed, and what would close it: filled in from the analysis of the runs (see the report).
WHY = {
    "sig-ratio": "Judged interleaved (sig-interleaved: our valid call and BareHashData, the one-shot HMACSHA256.HashData over the same body and key with the hex decode and a constant-time compare, in one loop with the order shuffled every round; the median over the rounds of our time over the bare call's in the same round), so this is not the sequential BenchmarkDotNet rows' run-to-run noise (those came out between 0.62x and 1.8x). The scheme reuses keyed HMAC states (KeyedHmac), which saves the bare call's key setup; it adds IncrementalHash's per-call cost and the header's decode, and the Standard Webhooks scheme hashes more bytes than the bare call ({id}.{timestamp}. before the body) and decodes base64. A miss by a few hundredths is within the spread between two runs of this median (docs/performance.md has two); a larger one points at that per-call work in src/Kobbopay.Webhooks. What would close it: a reused native HMAC context without IncrementalHash's wrapper (not exposed by .NET).",
    "sig-alloc": "Verification allocated on the managed heap: find the allocation with the MemoryDiagnoser's per-method figure (header lookup, string slicing) and move it to stackalloc/span.",
    "sig-forged": "Measured interleaved (sig-interleaved: valid, forged and peers in one loop, order shuffled every round, median of per-round ratios). Valid and forged run the same code (decode, then every FixedTimeEquals runs; only the returned struct differs); compare the gap with the 'valid again' row, the same call measured as a separate variant, which is the measurement's own noise. A gap well beyond it would point at an early exit in src/Kobbopay.Webhooks' verification.",
    "sig-peer": "Our scheme took more than the target share of the peer's time in the interleaved run: profile src/Kobbopay.Webhooks' verification (KeyedHmac, the entry decode) against the peer's path in the same run.",
    "client-time": "The target cannot be met with the two libraries the design requires: Refit alone (the same generated interface over a bare HttpClient) measures about 1.12x raw in the same interleaved run, and the resilience handler of Microsoft.Extensions.Http.Resilience adds about 35 us over its steps (handler, total timeout, attempt timeout, retry, circuit breaker, Polly telemetry: the 'Client time layer' rows). Ours (the client's mapping step, the telemetry handler, the API key handler) is about 7 us on a socket and under 2 us of CPU per create+get. docs/performance.md has the table by owner. What an app can remove: the breaker (Resilience:EnableCircuitBreaker=false) or the retries (Resilience:MaxRetryAttempts=0).",
    "client-alloc": "Refit alone (the same generated interface over a bare HttpClient) is about 1.4-1.6x raw before any code of ours runs, and the resilience handler of Microsoft.Extensions.Http.Resilience adds one async state machine per strategy on every call that waits on the network. What is ours (the telemetry and mapping steps, the start stamp, the API key header that raw pays too) is about 0.6 KB; the trace line below splits the rest by layer and docs/performance.md call by call. With Refit and the library's handler both required by the design, 1.5x is out of reach.",
    "endpoint-fresh": "Fresh events cost more than duplicates (see the all-duplicates line, which meets the target): each one adds an in-memory store entry that lives for the whole run (hundreds of thousands of them), a DI scope and the handler call, and the growing store shows up as garbage-collection pauses (compare the p99 with the duplicates run). wrk shares the two cores, so the server has about one. What would close it: measure on separate cores for wrk and server, or on a host where the store does not grow without bound during the run (the in-memory store is a development store; production uses SQLite/PostgreSQL, which are far slower per event anyway).",
    "pg-store": "Judged interleaved (store-interleaved: the store's begin+complete and Npgsql running its exact SQL, prepared, one connection per caller; one invocation of 64 pairs each per round, the side going first alternating; the median over the rounds of the bare side's time over the store's, quartiles in the row). Both sides wait on the same WAL flush (the complete's durable commit; fsync on this VM's shared disk takes milliseconds while other builds run), so a single round's ratio is mostly that wait's noise: read the quartiles before reading a miss as a regression. What is the store's own: pool checkout, its schema check and availability tracking per call.",
    "sqlite-store": "Judged interleaved (store-interleaved: the store's begin+complete and Microsoft.Data.Sqlite running its statements, prepared, on one open connection with the store's pragmas; one invocation of 64 pairs each per round, the side going first alternating; the median over the rounds of the bare side's time over the store's, quartiles in the row). Each side keeps one connection and runs one caller at a time on it (the store behind its async gate, the bare side behind a lock), so the difference is the store's own per-call work (the gate, the async path, its clock and availability tracking) against about 100-250 us of file I/O per pair (WAL append, synchronous NORMAL) on a shared 2-core VM: single rounds swing widely, and a miss within the quartiles is that noise, not a regression.",
    "pg-endpoint": "The round trips are shared now (begins and completes each group-committed: about 0.2 server transactions per delivery under 32 connections), so what is left is CPU on the two cores that wrk, the app and PostgreSQL share. Warm, measured with perf (docs/performance.md): the PostgreSQL backends take about 0.13-0.18 ms per delivery and the app about 0.19-0.27 ms (kernel, idle thread-pool spinning and Kestrel at the lower rate, Npgsql 19 us, the store's own code and batcher 15 us), against 0.05-0.08 ms for a whole in-memory delivery. 0.3x of the in-memory rate would leave the app about 0.08 ms per delivery beside the server's share: not reachable with the database on the same two cores.",
    "endpoint-dup": "A duplicate still pays verification, parsing and a store lookup; see the fresh-event line.",
}


def status(ok):
    return "met" if ok else "**missed**"


def fmt_ns(ns):
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} us"
    return f"{ns:.0f} ns"


def load_bdn(cls):
    # ".{cls}": the class exactly, so StoreBenchmark does not pick up PostgreSqlStoreBenchmark's report.
    files = glob.glob(os.path.join(out, "bdn", "results", f"*.{cls}-report-full.json"))
    if not files:
        return None
    with open(files[0]) as f:
        data = json.load(f)
    result = {}
    for b in data["Benchmarks"]:
        stats = b.get("Statistics") or {}
        mem = b.get("Memory") or {}
        result[(b["Method"], b.get("Parameters", ""))] = {
            "median": stats.get("Median"),
            "mean": stats.get("Mean"),
            "alloc": mem.get("BytesAllocatedPerOperation"),
        }
    return result


def ratio(a, b):
    return a / b if a is not None and b else None


# 1. Signature verification
sig = load_bdn("SignatureVerificationBenchmark")
sig_inter_path = os.path.join(out, "sig-interleaved.json")
sig_inter = json.load(open(sig_inter_path)) if os.path.exists(sig_inter_path) else None
if sig:
    for size in (256, 1024, 16384):
        p = f"BodyBytes={size}"
        base = sig.get(("BareHashData", p))
        if not base:
            continue
        for method in ("BareHashData", "NaiveExpressPort", "HexValid", "HexForged", "StandardValid", "StandardForged", "StandardValidFromHeaderDictionary",
                       "StripeFromString", "StripeFromBytes", "StandardWebhooksPackageFromString", "StandardWebhooksPackageFromBytes"):
            m = sig.get((method, p))
            if not m:
                continue
            r = ratio(m["median"], base["median"])
            value = f"{fmt_ns(m['median'])}, {r:.2f}x bare, {m['alloc']} B"
            # Report only: the "<= 0.75x bare" target of HexValid and StandardValid at 1 KiB is judged interleaved
            # (signature_bare_rows); these sequential medians moved between 0.62x and 1.8x from run to run.
            rows.append((f"Signature {size} B: {method}", value, "report", "-"))
        for method in ("HexValid", "HexForged", "StandardValid", "StandardForged"):
            m = sig.get((method, p))
            if m and size == 1024:
                # BenchmarkDotNet counts every thread's allocations (background JIT shows up as 1-2 B per call under load):
                # the target is judged on the calling thread's own count from sig-interleaved when that ran.
                rows.append((f"Signature 1 KiB: {method} allocated (BenchmarkDotNet, all threads)", f"{m['alloc']} B", "report" if sig_inter else "0 B",
                             "-" if sig_inter else status(m["alloc"] == 0)))
                if not sig_inter and m["alloc"] != 0:
                    misses.append((f"{method} allocation", WHY["sig-alloc"]))
else:
    rows.append(("Signature verification", "not run", "", ""))

# 1b. Signature verification interleaved at 1 KiB (sig-interleaved): ours against the peers and valid against forged,
# in one loop with the order shuffled every round; the medians of per-round ratios, not of sequential runs.
if sig_inter:
    how = f"interleaved, median of {sig_inter['rounds']} rounds x {sig_inter['callsPerChunk']} calls"
    peers = {"Stripe.net from a string": 0.5, "Stripe.net from bytes": 0.5, "StandardWebhooks from a string": 0.85, "StandardWebhooks from bytes": 0.85}
    for scheme, entries in sig_inter["schemes"].items():
        for name, e in entries.items():
            if e["kind"] == "Peer":
                limit = peers.get(name)
                ours = entries[e["comparedWith"]]
                value = f"{e['oursOverPeer']:.2f}x ({fmt_ns(ours['medianNs'])} vs {fmt_ns(e['medianNs'])}, {ours['allocatedBytesPerCall']:.0f} B vs {e['allocatedBytesPerCall']:.0f} B; {how})"
                ok = limit is not None and e["oursOverPeer"] <= limit
                rows.append((f"Signature 1 KiB: ours ({scheme}, {e['comparedWith']}) vs {name}, time", value,
                             f"<= {limit}x" if limit else "report", "-" if smoke or not limit else status(ok)))
                if limit and not ok and not smoke:
                    misses.append((f"{scheme} vs {name}", WHY["sig-peer"]))
            elif e["kind"] == "Forged" or name == "valid again":
                d = e["vsValidPercent"]
                forged = e["kind"] == "Forged"
                ok = abs(d) <= 5
                rows.append((f"Signature 1 KiB: {scheme} {name} vs valid", f"{d:+.2f} % ({fmt_ns(e['medianNs'])} vs {fmt_ns(entries['valid']['medianNs'])}; {how})",
                             "within 5 %" if forged else "report (noise floor)", status(ok) if forged and not smoke else "-"))
                if forged and not ok and not smoke:
                    misses.append((f"{scheme} {name} vs valid", WHY["sig-forged"]))
            if e["kind"] not in ("Peer", "Baseline") and name != "valid again":
                ok = e["allocatedBytesPerCall"] == 0
                rows.append((f"Signature 1 KiB: {scheme} {name} allocated (calling thread)", f"{e['allocatedBytesPerCall']:.0f} B", "0 B", status(ok) if not smoke else "-"))
                if not ok and not smoke:
                    misses.append((f"{scheme} {name} allocation", WHY["sig-alloc"]))
elif not smoke:
    rows.append(("Signature 1 KiB interleaved (peers, forged vs valid)", "not run", "", ""))



def signature_bare_rows():
    """Ours against bare HMACSHA256.HashData at 1 KiB, timed in the same interleaved loop (sig-interleaved): the
    "<= 0.75x bare" targets, on the median over the rounds of ours over the bare call's time in the same round."""
    if not sig_inter:
        if not smoke:
            rows.append(("Signature 1 KiB: ours vs bare HMACSHA256.HashData, interleaved", "not run", "<= 0.75x bare", "not run"))
        return
    how = f"interleaved, median of {sig_inter['rounds']} rounds x {sig_inter['callsPerChunk']} calls"
    for scheme, entries in sig_inter["schemes"].items():
        for e in entries.values():
            if e["kind"] != "Baseline":
                continue
            ours, r = entries[e["comparedWith"]], e["oursOverBare"]
            ok = r <= 0.75
            rows.append((f"Signature 1 KiB: ours ({scheme}, {e['comparedWith']}) vs bare HMACSHA256.HashData, time",
                         f"{r:.2f}x bare ({fmt_ns(ours['medianNs'])} vs {fmt_ns(e['medianNs'])}; {how})", "<= 0.75x bare", "-" if smoke else status(ok)))
            if not ok and not smoke:
                misses.append((f"{scheme} valid vs bare HashData, 1 KiB time", WHY["sig-ratio"]))


signature_bare_rows()


def store_interleaved_rows():
    """The stores against their bare drivers running the store's exact SQL, interleaved (store-interleaved): the
    ">= 0.8x bare" targets, on the median over the rounds of the bare side's time over the store's in the same round."""
    path = os.path.join(out, "store-interleaved.json")
    if not os.path.exists(path):
        if not smoke:
            rows.append(("Stores vs their bare drivers, interleaved", "not run", ">= 0.8x bare", "not run"))
        return
    data = json.load(open(path))
    for run in data["runs"]:
        driver, callers, r = run["driver"], run["callers"], run["storeOverBare"]
        bare_ns, store_ns = run["bareMedianNs"], run["storeMedianNs"]
        ok = r >= 0.8
        rows.append((f"{driver} store vs bare driver, {callers} caller(s): begin+complete, interleaved",
                     f"{r:.2f}x bare (quartiles {run['storeOverBareP25']:.2f}-{run['storeOverBareP75']:.2f}); store {1e9 / store_ns:,.0f} pairs/s ({fmt_ns(store_ns)} each), "
                     f"bare {1e9 / bare_ns:,.0f} pairs/s ({fmt_ns(bare_ns)} each); median of {data['rounds']} rounds x {run['pairsPerChunk']} pairs",
                     ">= 0.8x bare", "-" if smoke else status(ok)))
        if not ok and not smoke:
            misses.append((f"{driver} store at {callers} caller(s), interleaved", WHY["pg-store" if driver == "PostgreSQL" else "sqlite-store"]))
    if not data["postgres"] and not smoke:
        rows.append(("PostgreSQL store vs bare Npgsql, interleaved", "not run: no server", ">= 0.8x bare", "not run"))


if smoke:
    store_interleaved_rows()
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write("# Kobbopay benchmarks: smoke\n\n")
        f.write("BenchmarkDotNet's dry job (one invocation each): proves the suite builds and runs. The times are not measurements; targets are not judged.\n\n")
        f.write("| Figure | Value | Target | Result |\n|---|---|---|---|\n")
        for r in rows:
            f.write("| " + " | ".join(r) + " |\n")
    print(open(os.path.join(out, "summary.md")).read())
    sys.exit(0)


# 2. Webhook endpoint under wrk
def wrk(name):
    path = os.path.join(out, "wrk", name + ".txt")
    if not os.path.exists(path):
        return None
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    seconds = re.search(r"\d+ requests in ([\d.]+)s", text)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    handled = re.search(r"^handled: (-?\d+)", text, re.M)
    drained = re.search(r"^handled after draining: (-?\d+) in (\d+) s", text, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "total": int(total.group(1)) if total else 0,
        "seconds": float(seconds.group(1)) if seconds else None,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "handled": int(handled.group(1)) if handled else None,
        "drained": (int(drained.group(1)), int(drained.group(2))) if drained else None,
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
    }


bare = wrk("memory-bare")
if bare and bare["rps"]:
    rows.append(("Endpoint: bare (read body, 200)", f"{bare['rps']:,.0f} req/s (p50 {bare['p50']}, p99 {bare['p99']})", "baseline", "-"))
    mem_fresh = wrk("memory-fresh")
    for store, label in (("memory", "in-memory store"), ("sqlite", "SQLite store"), ("postgres", "PostgreSQL store")):
        for mode in ("fresh", "dup"):
            w = wrk(f"{store}-{mode}")
            if store == "postgres" and not postgres and mode == "fresh":
                rows.append((f"Endpoint: full path, {label}", "not run: no server", "report (x in-memory)", "-"))
            if not w or not w["rps"]:
                continue
            what = "fresh events" if mode == "fresh" else "all duplicates"
            fresh_share = f", {w['handled']:,} of {w['total']:,} handled as new" if w["handled"] is not None else ""
            errors = f", {w['non2xx']:,} non-2xx" if w["non2xx"] else ""
            detail = f"{w['rps']:,.0f} req/s (p50 {w['p50']}, p99 {w['p99']}{fresh_share}{errors})"
            if store == "memory":
                r = w["rps"] / bare["rps"]
                ok = r >= 0.7 and w["non2xx"] == 0
                rows.append((f"Endpoint: full path, {label}, {what}", f"{r:.2f}x bare; {detail}", ">= 0.7x bare", status(ok)))
                if not ok:
                    misses.append((f"endpoint {what}", WHY["endpoint-fresh" if mode == "fresh" else "endpoint-dup"]))
            elif mem_fresh and mem_fresh["rps"]:
                r = w["rps"] / mem_fresh["rps"]
                rows.append((f"Endpoint: full path, {label}, {what}", f"{r:.3f}x in-memory; {detail}", "report (x in-memory)", "-"))
else:
    rows.append(("Endpoint under wrk", "not run: no wrk", ">= 0.7x bare", "not run"))

# The endpoint with the PostgreSQL store against the in-memory endpoint, fresh events (issue #16: at least 0.3x), judged
# on the row the loop above wrote (kept apart from that loop so the stores' rows merge line by line).
def judge_postgres_endpoint():
    pg, mem = wrk("postgres-fresh"), wrk("memory-fresh")
    if not pg or not pg["rps"] or not mem or not mem["rps"]:
        return
    r = pg["rps"] / mem["rps"]
    ok = r >= 0.3 and pg["non2xx"] == 0
    for i, row in enumerate(rows):
        if row[0] == "Endpoint: full path, PostgreSQL store, fresh events":
            rows[i] = (row[0], row[1], ">= 0.3x in-memory", status(ok))
    if not ok:
        misses.append(("endpoint with the PostgreSQL store", WHY["pg-endpoint"]))


judge_postgres_endpoint()

# Inline vs queued processing on the same store, fresh events. Queued answers once the event is in the inbox and the
# worker runs the handler afterwards: the handled figures say how far it had got when wrk stopped, and after draining.
for store, label in (("sqlite", "SQLite"), ("postgres", "PostgreSQL")):
    inline, queued = wrk(f"{store}-fresh"), wrk(f"{store}-queued-fresh")
    if not queued or not queued["rps"]:
        if store == "postgres" and not postgres:
            rows.append((f"Endpoint: inline vs queued, {label}", "not run: no server", "report", "-"))
        continue
    answered = queued["total"] - queued["non2xx"]
    handled = f"{queued['handled']:,} of {answered:,} answered handled when wrk stopped" if queued["handled"] is not None else "handled count not recorded"
    if queued["drained"]:
        done, drain = queued["drained"]
        handled += f", {done:,} after draining ({drain} s more)"
        if queued["seconds"]:
            # The worker's rate over the run and the drain (whole seconds of polling: a rough figure).
            handled += f"; worker about {done / (queued['seconds'] + drain):,.0f} events/s"
    errors = f", {queued['non2xx']:,} non-2xx" if queued["non2xx"] else ""
    ratio_text = f"{queued['rps'] / inline['rps']:.2f}x inline; " if inline and inline["rps"] else ""
    inline_text = f"inline {inline['rps']:,.0f} req/s (p99 {inline['p99']}), " if inline and inline["rps"] else "inline not run, "
    rows.append((f"Endpoint: inline vs queued, {label}, fresh events",
                 f"{ratio_text}{inline_text}queued {queued['rps']:,.0f} req/s (p99 {queued['p99']}; {handled}{errors})", "report", "-"))

# 3. Client: time from the interleaved run (BenchmarkDotNet's sequential medians drift with the order on this machine),
# allocations from BenchmarkDotNet's MemoryDiagnoser; both against raw HttpClient + STJ in the same run.
client = load_bdn("ClientBenchmark")
inter_path = os.path.join(out, "client-interleaved.json")
inter = json.load(open(inter_path)) if os.path.exists(inter_path) else None
if client:
    raw, sdk = client.get(("RawCreateThenGet", "")), client.get(("SdkCreateThenGet", ""))
    refit, bare = client.get(("RefitCreateThenGet", "")), client.get(("SdkWithoutHandlersCreateThenGet", ""))
    if raw and sdk:
        base_time = f"{inter['RawCreateThenGet']['medianUs']:.1f} us interleaved" if inter else fmt_ns(raw["median"])
        rows.append(("Client: raw HttpClient + STJ source-gen, create+get", f"{base_time}, {raw['alloc']:,} B", "baseline", "-"))
        for label, key, entry in (("Refit alone (same interface, bare HttpClient)", "RefitCreateThenGet", refit),
                                  ("KobbopayClient without its handler chain", "SdkWithoutHandlersCreateThenGet", bare)):
            if entry:
                t = f"{inter[key]['ratio']:.2f}x time, " if inter else ""
                rows.append((f"Client: {label}", f"{t}{entry['alloc'] / raw['alloc']:.2f}x allocated ({entry['alloc']:,} B)", "report", "-"))
        if inter:
            r = inter["SdkCreateThenGet"]["ratio"]
            detail = f"{r:.2f}x ({inter['SdkCreateThenGet']['medianUs']:.1f} us, interleaved, median of {inter['SdkCreateThenGet']['rounds']} rounds)"
        else:
            r = sdk["median"] / raw["median"]
            detail = f"{r:.2f}x ({fmt_ns(sdk['median'])})"
        ok = r <= 1.10
        rows.append(("Client: KobbopayClient create+get, time", detail, "<= 1.10x", status(ok)))
        if not ok:
            misses.append(("client time", WHY["client-time"]))
        a = sdk["alloc"] / raw["alloc"]
        ok = a <= 1.5
        rows.append(("Client: KobbopayClient create+get, allocated", f"{a:.2f}x ({sdk['alloc']:,} B)", "<= 1.5x", status(ok)))
        if not ok:
            misses.append(("client allocation", WHY["client-alloc"]))

# The interleaved run's one-layer-at-a-time variants (ClientTimingLayers): what each layer adds to the time.
if inter:
    previous = "SdkWithoutHandlersCreateThenGet"
    for key, label in (("LayerFactoryCreateThenGet", "the named client of IHttpClientFactory"), ("LayerTelemetryCreateThenGet", "+ telemetry handler (ours)"),
                       ("LayerResilienceEmptyCreateThenGet", "+ resilience handler, empty pipeline"), ("LayerTotalTimeoutCreateThenGet", "+ total timeout"),
                       ("LayerAttemptTimeoutCreateThenGet", "+ attempt timeout"), ("LayerRetryCreateThenGet", "+ retry"),
                       ("LayerCircuitBreakerCreateThenGet", "+ circuit breaker"), ("LayerPollyTelemetryCreateThenGet", "+ Polly telemetry (the client's own pipeline)"),
                       ("SdkCreateThenGet", "+ API key handler (the whole client)")):
        if key in inter and previous in inter:
            delta = inter[key]["medianUs"] - inter[previous]["medianUs"]
            rows.append((f"Client time layer: {label}", f"{inter[key]['ratio']:.2f}x ({delta:+.1f} us on the row before)", "report", "-"))
            previous = key

layers = load_bdn("ClientLayersBenchmark")
if layers and layers.get(("RefitOnly", "")):
    base = layers[("RefitOnly", "")]["alloc"]
    for method, label in (("Telemetry", "+ telemetry handler"), ("Resilience", "+ resilience handler (bare pipeline)"),
                          ("FactoryNoHandlers", "IHttpClientFactory client, no handler of ours"), ("FactoryFull", "the client's full factory chain")):
        entry = layers.get((method, ""))
        if entry:
            rows.append((f"Client layers over Refit: {label}", f"+{entry['alloc'] - base:,} B per create+get", "report", "-"))



def client_allocation_rows():
    """The client-allocs trace: bytes per create+get over an in-memory transport, layer by layer (docs/performance.md)."""
    path = os.path.join(out, "client-allocs.json")
    if not os.path.exists(path):
        rows.append(("Client allocation trace (in-memory transport)", "not run", "report", "-"))
        return None
    trace = json.load(open(path))
    raw_b = trace["raw"]["bytesPerCreateGet"]
    totals = ", ".join(f"{name} {trace[name]['bytesPerCreateGet']:,.0f} B ({trace[name]['bytesPerCreateGet'] / raw_b:.2f}x)"
                       for name in ("raw", "refit", "client-without-handlers", "client") if name in trace)
    rows.append(("Client allocation trace, in-memory transport, per create+get", totals, "report", "-"))
    suspending = ", ".join(f"{name} {trace['suspending:' + name]['bytesPerCreateGet']:,.0f} B ({trace['suspending:' + name]['bytesPerCreateGet'] / trace['suspending:raw']['bytesPerCreateGet']:.2f}x)"
                           for name in ("raw", "refit", "client-without-handlers", "client") if "suspending:" + name in trace)
    if suspending:
        rows.append(("Client allocation trace, transport answering later (every async layer suspends, as on a socket)", suspending, "report", "-"))
    owners = {"TelemetryHandler": "ours", "ApiKeyHandler": "ours", "ResilienceHandler": "Microsoft.Extensions.Http.Resilience + Polly",
              "transport": "the in-memory answer, paid by every variant"}
    for layer in trace["client"]["layers"]:
        name = layer["layer"]
        label = f"{name} ({owners[name]})" if name in owners else name
        rows.append((f"Client trace layer: {label}", f"{layer['bytes']:,.0f} B per create+get", "report", "-"))
    return trace


trace = client_allocation_rows()
if trace and any(m[0] == "client allocation" for m in misses):
    raw_b, refit_b = trace["raw"]["bytesPerCreateGet"], trace["refit"]["bytesPerCreateGet"]
    bare_b, full_b = trace["client-without-handlers"]["bytesPerCreateGet"], trace["client"]["bytesPerCreateGet"]
    layer = {l["layer"]: l["bytes"] for l in trace["client"]["layers"]}
    ours = layer.get("TelemetryHandler", 0) + layer.get("ApiKeyHandler", 0)
    misses.append(("client allocation, attributed (client-allocs, in-memory transport)",
                   f"raw {raw_b:,.0f} B; Refit alone {refit_b:,.0f} B ({refit_b / raw_b:.2f}x raw: over the 1.5x budget before any code of ours runs); "
                   f"the client's mapping over Refit {bare_b - refit_b:+,.0f} B; our two handlers {ours:,.0f} B (their tasks, the call's start stamp and the API key "
                   f"header; also the request-options dictionary the resilience handler would create anyway and the URI's parsed parts a socket transport builds anyway); the resilience handler {layer.get('ResilienceHandler', 0):,.0f} B (the library's context, request snapshot and "
                   f"Polly telemetry). Whole client {full_b:,.0f} B ({full_b / raw_b:.2f}x). docs/performance.md has the table call by call."))

# 4. Stores
stores = load_bdn("StoreBenchmark")
if stores:
    for callers in (1, 16):
        p = f"Callers={callers}"
        base = stores.get(("InMemory", p))
        for method, label in (("InMemory", "in-memory"), ("Sqlite", "SQLite"), ("PostgreSql", "PostgreSQL")):
            m = stores.get((method, p))
            if not m:
                if method == "PostgreSql":
                    rows.append((f"Store {label}, {callers} caller(s)", "not run: no server", "report", "-"))
                continue
            ops = 1e9 / m["median"]
            rel = "" if method == "InMemory" or not base else f", {base['median'] / m['median']:.4f}x in-memory"
            rows.append((f"Store {label}, {callers} caller(s): begin+complete", f"{ops:,.0f} pairs/s ({fmt_ns(m['median'])} each{rel}, {m['alloc']:,} B)", "report", "-"))

# 4b. The PostgreSQL store against the bare driver running its exact SQL (issue #16).
def postgres_store_rows():
    pg = load_bdn("PostgreSqlStoreBenchmark")
    if not pg:
        rows.append(("PostgreSQL store vs bare Npgsql (BenchmarkDotNet, sequential)", "not run: no server" if not postgres else "not run", "report", "-"))
        return
    for callers in (1, 16):
        p = f"Callers={callers}"
        bare, durable, store = pg.get(("BareNpgsql", p)), pg.get(("BareNpgsqlDurable", p)), pg.get(("Store", p))
        if not bare or not store:
            continue
        rows.append((f"PostgreSQL {callers} caller(s): bare Npgsql, the store's exact SQL, prepared, one connection each",
                     f"{1e9 / bare['median']:,.0f} pairs/s ({fmt_ns(bare['median'])} each)", "baseline", "-"))
        if durable:
            rows.append((f"PostgreSQL {callers} caller(s): bare Npgsql, begin committed durably too",
                         f"{1e9 / durable['median']:,.0f} pairs/s ({fmt_ns(durable['median'])} each, {bare['median'] / durable['median']:.2f}x bare)", "report", "-"))
        r = bare["median"] / store["median"]
        # Report only: the ">= 0.8x bare" target is judged interleaved (store_interleaved_rows).
        rows.append((f"PostgreSQL {callers} caller(s): PostgreSqlWebhookEventStore begin+complete (BenchmarkDotNet, sequential)",
                     f"{r:.2f}x bare; {1e9 / store['median']:,.0f} pairs/s ({fmt_ns(store['median'])} each, {store['alloc']:,} B)", "report", "-"))


postgres_store_rows()
# 4b. The SQLite store against the bare driver (Microsoft.Data.Sqlite running the store's statements, prepared, on one
# connection, the store's pragmas), at 1 and 16 callers (issue #16).
sqlite_bare = load_bdn("SqliteStoreBenchmark")
if sqlite_bare:
    for callers in (1, 16):
        p = f"Callers={callers}"
        bare_m, store_m = sqlite_bare.get(("BareSqlite", p)), sqlite_bare.get(("Store", p))
        if not bare_m or not store_m:
            continue
        rows.append((f"SQLite bare driver, {callers} caller(s): begin+complete", f"{1e9 / bare_m['median']:,.0f} pairs/s ({fmt_ns(bare_m['median'])} each, {bare_m['alloc']:,} B)", "baseline", "-"))
        r = bare_m["median"] / store_m["median"]
        # Report only: the ">= 0.8x bare" target is judged interleaved (store_interleaved_rows).
        rows.append((f"SQLite store, {callers} caller(s): begin+complete (BenchmarkDotNet, sequential)", f"{r:.2f}x bare; {1e9 / store_m['median']:,.0f} pairs/s ({fmt_ns(store_m['median'])} each, {store_m['alloc']:,} B)", "report", "-"))
# 4c. Both stores against their bare drivers, interleaved: where the ">= 0.8x bare" targets are judged.
store_interleaved_rows()

# 5. Simulator
sim_path = os.path.join(out, "simulator.json")
if os.path.exists(sim_path):
    s = json.load(open(sim_path))
    host = f"WireMock host, admin API on, journal bounded at {s.get('journal_capacity', 1000):,}"
    pps = s["payments_per_second"]
    rows.append((f"Simulator: payments created/s (32 HTTP callers, same process; {host})", f"{pps:,.0f}/s ({s['payments_created']:,} in {s['payments_seconds']:.1f} s)", ">= 5,000/s", status(pps >= 5000)))
    if pps < 5000:
        misses.append(("Simulator payments created/s", "below 5,000/s: about 200 us of CPU per create (perf, docs/performance.md): WireMock.Net about a third (matching every mapping, its admin routes included, 18 %; its request message 7 %), GC and JIT a quarter, the simulator's own code 15 %; the 32 callers share the two cores. None of WireMock's settings that would cut its share keeps the admin API, stubs and proxy recordings working."))
    rows.append(("Simulator: webhooks delivered/s (no-op receiver)", f"{s['webhooks_per_second']:,.0f}/s ({s['webhooks_delivered']:,} in {s['webhooks_seconds']:.1f} s, creation {s['webhook_payments_per_second']:,.0f}/s meanwhile)", "report", "-"))
    label = "EXTRAPOLATED from %d payments" % s["payments_created"] if s["memory_extrapolated"] else "measured"
    bpp = s["memory_bytes_per_payment"]
    rows.append(("Simulator: managed memory held per payment (100,000 payments)", f"{bpp:,.0f} B/payment ({s['memory_after_100k_bytes'] / 1048576:,.1f} MiB growth, {label}; heap {s['memory_before_bytes'] / 1048576:,.1f} -> {s['memory_after_bytes'] / 1048576:,.1f} MiB)", "<= 1,500 B", status(bpp <= 1500)))
    if bpp > 1500:
        misses.append(("Simulator memory per payment", "above 1,500 B: the payment record, its events and its idempotency entry are what grow"))
else:
    rows.append(("Simulator: payments created/s", "not run", ">= 5,000/s", "not run"))
    rows.append(("Simulator: managed memory held per payment (100,000 payments)", "not run", "<= 1,500 B", "not run"))

# 6. Reconciliation: KobbopayReconciler over HTTP against a simulator in a child process.
rec_path = os.path.join(out, "reconcile.json")
if os.path.exists(rec_path):
    rec = json.load(open(rec_path))
    for r in rec["runs"]:
        n = r["payments"]
        exceptions = f", {r['exceptions']:,} exceptions" if r["exceptions"] else ", 0 exceptions"
        rows.append((f"Reconcile {n:,} payments against {n:,} orders: payments/s (N over the run's wall time; {r['requests']:,} list requests)",
                     f"{r['payments_per_second']:,.0f}/s ({r['seconds']:.1f} s{exceptions})", "report", "-"))
        rows.append((f"Reconcile {n:,}: peak managed heap above the pre-run heap ({rec['gc']} GC, sampled every {rec['sample_interval_ms']:.0f} ms)",
                     f"{r['peak_above_baseline_bytes'] / 1048576:,.1f} MiB (heap {r['baseline_bytes'] / 1048576:,.1f} -> peak {r['peak_bytes'] / 1048576:,.1f} MiB; at most {r['peak_after_collection_bytes'] / 1048576:,.1f} MiB left by a collection; gen0/1/2 GCs {r['gen0_collections']}/{r['gen1_collections']}/{r['gen2_collections']})", "report", "-"))
        if r["exceptions"]:
            misses.append((f"Reconcile {n:,} exceptions", f"the books match the payments created, so none was expected: {r['first_exceptions']}"))
    if "peak_ratio" in rec:
        ok = rec["peak_ratio"] < 2
        small, large = min(r["payments"] for r in rec["runs"]), max(r["payments"] for r in rec["runs"])
        rows.append((f"Reconcile: peak memory flat as the count grows ({large:,} vs {small:,} payments)", f"{rec['peak_ratio']:.2f}x", "< 2x", status(ok)))
        if not ok:
            misses.append(("Reconcile memory", "the peak grows with the count: something holds a side whole (reconcile.log has the per-run heap figures)"))
else:
    rows.append(("Reconcile", "not run", "report", "-"))

met = sum(1 for r in rows if r[3] == "met")
missed = sum(1 for r in rows if "missed" in r[3])
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write("# Kobbopay benchmarks\n\n")
    f.write(f"{met} targets met, {missed} missed. Ratios are of BenchmarkDotNet medians (short in-process job: 5 warmups, 10 x 150 ms iterations), "
            "medians over the rounds of per-round ratios (the rows marked interleaved: both sides timed in the same loop) "
            "or of wrk requests/s (2 threads, 32 connections, 10 s, loopback, wrk on the same 2 cores as the server). "
            "Per-class BenchmarkDotNet reports (with Ratio/Alloc Ratio of means and error bars) are in bdn/results.\n\n")
    f.write("| Figure | Value | Target | Result |\n|---|---|---|---|\n")
    for r in rows:
        f.write("| " + " | ".join(r) + " |\n")
    if misses:
        f.write("\n## Missed targets\n\n")
        for name, why in misses:
            f.write(f"- **{name}**: {why}\n")
print(open(os.path.join(out, "summary.md")).read())
