#!/usr/bin/python3
# File: tests/tools/check_bench_json.py
#
# Runs endgame_bench briefly and checks its behaviour, not its timings: every
# benchmark the report needs is registered under its name; a short run of one
# benchmark per suite gives per-repetition rows, p50/p99 aggregates, the
# counters the report reads and the CPython build in the context; a benchmark
# that fails reports the error in the JSON (SkipWithError) while the run goes
# on and exits 0.
#
#   check_bench_json.py --bench build/ci/bench/endgame_bench --version 3.13.15 --work /tmp/x
import argparse
import json
import os
import subprocess
import sys

EXPECTED = (
    ["lifecycle/%s/%s/%s" % (op, d, c) for op in ("create", "destroy") for d in ("capi", "interpreters")
     for c in ("isolated", "legacy")]
    + ["exec/capi/%s" % s for s in ("inline", "cache", "cache_sticky", "dedicated")]
    + ["exec/interpreters/%s" % s for s in ("inline", "cache", "dedicated")]
    + ["teardown/%s/%s/%s" % (d, s, v) for d in ("capi", "interpreters") for s in ("cache", "dedicated")
       for v in ("idle", "cancel", "threads", "imports")]
    + ["memory/live/isolated", "memory/live/legacy", "memory/growth/capi/isolated", "memory/growth/capi/legacy",
       "memory/growth/interpreters/isolated"]
    + ["overhead/%s" % s for s in ("conductor", "conductor_inline", "bare", "python")]
)

RUN = ["lifecycle/destroy/capi/legacy", "exec/capi/cache", "teardown/capi/dedicated/cancel", "memory/live/legacy",
       "memory/growth/capi/legacy", "overhead/bare", "overhead/python"]

REPS = 3


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def base(name):
    out = []
    for seg in name.split("/"):
        if ":" in seg or seg in ("manual_time", "real_time"):
            break
        out.append(seg)
    return "/".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--version", required=True, help="the CPython version this build embeds")
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    listed = subprocess.run([a.bench, "--benchmark_list_tests=true"], capture_output=True, text=True, timeout=120)
    if listed.returncode != 0:
        fail("--benchmark_list_tests exited %d: %s" % (listed.returncode, listed.stderr))
    names = {base(line) for line in listed.stdout.split()}
    missing = [n for n in EXPECTED if n not in names]
    if missing:
        fail("benchmarks not registered: %s\nlisted: %s" % (missing, sorted(names)))

    out = os.path.join(a.work, "bench.json")
    # overhead/python is pointed at a binary that does not exist: it must fail
    # through SkipWithError, and everything else must still run.
    cmd = [a.bench, "--benchmark_filter=^(%s)/" % "|".join(RUN), "--benchmark_out=" + out,
           "--benchmark_out_format=json", "--benchmark_enable_random_interleaving=true",
           "--endgame_reps=%d" % REPS, "--endgame_slope_cycles=10", "--endgame_slope_reps=2",
           "--endgame_live=2", "--endgame_python=/nonexistent/python3"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        fail("%s exited %d\n%s\n%s" % (" ".join(cmd), r.returncode, r.stdout[-3000:], r.stderr[-3000:]))
    with open(out) as f:
        data = json.load(f)

    ctx = data["context"]
    for key in ("python_version", "python_build", "python_configure_args", "python_compiler", "pythonmalloc",
                "endgame_reps", "endgame_slope_cycles", "num_cpus"):
        if key not in ctx:
            fail("context has no %s: %s" % (key, sorted(ctx)))
    if ctx["python_version"] != a.version:
        fail("context python_version %s, this build embeds %s" % (ctx["python_version"], a.version))
    if ctx["endgame_reps"] != str(REPS):
        fail("context endgame_reps %s, asked for %d" % (ctx["endgame_reps"], REPS))

    rows = {}
    for row in data["benchmarks"]:
        rows.setdefault(base(row["run_name"]), []).append(row)
    for n in RUN:
        if n not in rows:
            fail("%s did not run (ran: %s)" % (n, sorted(rows)))

    py = rows["overhead/python"]
    if not all(r.get("error_occurred") for r in py) or "nonexistent" not in py[0].get("error_message", ""):
        fail("overhead/python with a missing binary should report the error, got %s" % py[0])

    for n in RUN:
        if n == "overhead/python":
            continue
        reps = 2 if n.startswith("memory/growth/") else REPS
        its = [r for r in rows[n] if r["run_type"] == "iteration"]
        if any(r.get("error_occurred") for r in rows[n]):
            fail("%s failed: %s" % (n, rows[n][0].get("error_message")))
        if len(its) != reps or any(r["iterations"] != 1 for r in its):
            fail("%s: expected %d repetitions of 1 iteration, got %s" % (n, reps, [r["iterations"] for r in its]))
        agg = {r["aggregate_name"]: r for r in rows[n] if r["run_type"] == "aggregate"}
        for k in ("p50", "p99", "mean", "median", "cv"):
            if k not in agg:
                fail("%s has no %s aggregate (has %s)" % (n, k, sorted(agg)))
        times = sorted(r["real_time"] for r in its)
        if not times[0] <= agg["p50"]["real_time"] <= agg["p99"]["real_time"] <= times[-1] + 1e-9:
            fail("%s: p50/p99 %s/%s outside the samples %s" % (n, agg["p50"]["real_time"],
                                                               agg["p99"]["real_time"], times))
        if any(r["time_unit"] != "us" or r["real_time"] <= 0 for r in its):
            fail("%s: times should be positive microseconds: %s" % (n, its[0]))

    def counters(n):
        return [r for r in rows[n] if r["run_type"] == "iteration"]

    if any(r.get("cancel_us", 0) <= 0 or r.get("destroy_us", 0) <= 0 for r in counters("teardown/capi/dedicated/cancel")):
        fail("teardown rows need cancel_us and destroy_us counters: %s" % counters("teardown/capi/dedicated/cancel")[0])
    if any(r.get("cpu_us", 0) <= 0 for r in counters("overhead/bare")):
        fail("overhead rows need a positive cpu_us counter: %s" % counters("overhead/bare")[0])
    if any(r.get("rss_per_interp", 0) <= 0 for r in counters("memory/live/legacy")):
        fail("memory/live/legacy should report a positive rss_per_interp: %s" % counters("memory/live/legacy")[0])
    for r in counters("memory/growth/capi/legacy"):
        if r.get("cycles") != 10 or "rss_slope" not in r or "heap_slope" not in r:
            fail("memory/growth rows need rss_slope, heap_slope and cycles=10 (after 1 warm-up cycle): %s" % r)
    print("ok: %d benchmarks registered, %d run, context %s %s" % (len(names), len(RUN), ctx["python_version"],
                                                                 ctx["python_build"]))


if __name__ == "__main__":
    main()
