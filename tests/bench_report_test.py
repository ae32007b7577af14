#!/usr/bin/python3
# File: tests/bench_report_test.py
#
# scripts/plots/report.py on synthetic raw data (no benchmarks run): the page
# and its Markdown twin get every section and valid PNGs, the tables show the
# JSON's numbers, a failed benchmark shows its error instead of numbers, the
# overhead ratios and the stability CoV are computed as documented, and
# --docs writes a generated docs page. Exits 77 (skipped) without matplotlib.
#
#   bench_report_test.py --python /usr/bin/python3
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def bench_rows(name, samples_us, counters=None, error=None):
    """Google Benchmark 1.7 JSON rows for one benchmark with one iteration per repetition."""
    full = "%s/iterations:1/repeats:%d/manual_time" % (name, len(samples_us))
    if error:
        return [{"name": full, "run_name": full, "run_type": "iteration", "error_occurred": True,
                 "error_message": error, "iterations": 0, "real_time": 0, "cpu_time": 0, "time_unit": "us"}]
    rows = []
    for i, s in enumerate(samples_us):
        row = {"name": full, "run_name": full, "run_type": "iteration", "repetitions": len(samples_us),
               "repetition_index": i, "iterations": 1, "real_time": s, "cpu_time": s, "time_unit": "us"}
        for k, v in (counters or {}).items():
            row[k] = v[i]
        rows.append(row)
    srt = sorted(samples_us)
    aggs = {"mean": statistics.mean(samples_us), "median": statistics.median(samples_us),
            "p50": statistics.median(samples_us), "p99": srt[-2] + 0.98 * (srt[-1] - srt[-2]),
            "min": srt[0], "max": srt[-1]}
    for k, v in aggs.items():
        row = {"name": full + "_" + k, "run_name": full, "run_type": "aggregate", "aggregate_name": k,
               "aggregate_unit": "time", "iterations": len(samples_us), "real_time": v, "cpu_time": v,
               "time_unit": "us"}
        for c, vals in (counters or {}).items():
            row[c] = statistics.median(vals)
        rows.append(row)
    sd = statistics.stdev(samples_us)
    rows.append({"name": full + "_cv", "run_name": full, "run_type": "aggregate", "aggregate_name": "cv",
                 "aggregate_unit": "percentage", "iterations": len(samples_us),
                 "real_time": sd / aggs["mean"], "cpu_time": 0, "time_unit": "us"})
    return rows


def write_json(path, rows, pythonmalloc="(default)"):
    ctx = {"date": "2026-01-01T00:00:00+00:00", "num_cpus": 2, "mhz_per_cpu": 2400, "load_avg": [0.5, 0.4, 0.3],
           "python_version": "3.13.15", "python_build": "release", "python_variant": "release",
           "python_compiler": "[GCC 12.2.0]", "python_configure_args": "'--enable-shared'",
           "pythonmalloc": pythonmalloc, "endgame_reps": "4", "endgame_slope_cycles": "200"}
    with open(path, "w") as f:
        json.dump({"context": ctx, "benchmarks": rows}, f)


def make_raw(raw):
    for sub in ("bench", "bench-malloc", "stability", "stability-interleaved"):
        os.makedirs(os.path.join(raw, sub))
    s4 = [1000.0, 1100.0, 1200.0, 5000.0]
    rows = bench_rows("lifecycle/create/capi/isolated", [6000, 6100, 6200, 9000])
    rows += bench_rows("lifecycle/destroy/capi/isolated", s4)
    write_json(os.path.join(raw, "bench", "lifecycle.json"), rows)
    rows = bench_rows("exec/capi/inline", [40, 41, 42, 60]) + bench_rows("exec/capi/cache", [55, 56, 57, 90])
    rows += bench_rows("exec/capi/dedicated", [120, 130, 140, 400])
    write_json(os.path.join(raw, "bench", "exec.json"), rows)
    td = {"destroy_us": [1900, 2000, 2100, 2500]}
    rows = bench_rows("teardown/capi/cache/idle", [1900, 2000, 2100, 2500], td)
    rows += bench_rows("teardown/capi/dedicated/idle", [2000, 2100, 2200, 2600], td)
    rows += bench_rows("teardown/capi/cache/cancel", [], error="verdict hang destroy")
    write_json(os.path.join(raw, "bench", "teardown.json"), rows)
    rows = bench_rows("overhead/bare", [7000, 7100, 7200, 9000], {"cpu_us": [6000, 6100, 6200, 6300]})
    rows += bench_rows("overhead/conductor", [7500, 7600, 7700, 9500], {"cpu_us": [6300, 6400, 6500, 6600]})
    rows += bench_rows("overhead/python", [7200, 7300, 7400, 9100], {"cpu_us": [6100, 6200, 6300, 6400]})
    write_json(os.path.join(raw, "bench", "overhead.json"), rows)
    rows = bench_rows("memory/live/isolated", [5000, 5100, 5200, 5300],
                      {"rss_per_interp": [1.5e6] * 4, "heap_per_interp": [1.2e6] * 4})
    write_json(os.path.join(raw, "bench", "live.json"), rows)
    g = {"rss_slope": [1.3e6, 1.3e6, 1.3e6], "heap_slope": [3.9e5] * 3, "rss_growth": [2.3e8] * 3,
         "cycles": [180] * 3}
    write_json(os.path.join(raw, "bench", "growth.json"), bench_rows("memory/growth/capi/isolated", [7e3, 7e3, 8e3], g))
    g = {"rss_slope": [1.4e5] * 3, "heap_slope": [1.36e5] * 3, "rss_growth": [2.5e7] * 3, "cycles": [180] * 3}
    write_json(os.path.join(raw, "bench-malloc", "growth.json"),
               bench_rows("memory/growth/capi/isolated", [7e3, 7e3, 8e3], g), "malloc")
    for run, p50 in ((1, 2000.0), (2, 2200.0)):
        rows = bench_rows("teardown/capi/cache/idle", [p50 - 100, p50, p50, p50 + 500])
        write_json(os.path.join(raw, "stability", "run%d-teardown.capi.X.idle.json" % run), rows)
    for run in (1, 2):  # two slices per run: a run's p50 is the median of all its samples
        for sl, samples in ((1, [2000.0, 2100.0]), (2, [2200.0 + run * 100, 9000.0])):
            write_json(os.path.join(raw, "stability-interleaved", "run%d.slice%d-teardown.capi.X.idle.json" % (run, sl)),
                       bench_rows("teardown/capi/cache/idle", samples))
    campaign = {"seconds": 60, "scenarios": 20, "seed": 1, "interrupted": False,
                "strategies": [{"label": "cache", "scenarios": 10, "verdicts": {"ok": 7, "fatal": 3},
                                "teardown_ms": [2.0, 2.1, 2.2]},
                               {"label": "dedicated", "scenarios": 10, "verdicts": {"ok": 10},
                                "teardown_ms": [2.5, 2.6, 9.0]}],
                "findings": [{"signature": "43bb4dc142e2", "verdict": "fatal \"Py_EndInterpreter: not the last "
                              "thread\"", "step": "destroy", "count": 3, "known": False, "new": True,
                              "folder": "x"}]}
    with open(os.path.join(raw, "campaign.json"), "w") as f:
        json.dump(campaign, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default="/usr/bin/python3", help="a python3 with matplotlib")
    a = ap.parse_args()
    if subprocess.run([a.python, "-c", "import matplotlib"], capture_output=True).returncode != 0:
        print("skipped: %s has no matplotlib (Debian: apt-get install python3-matplotlib)" % a.python)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = os.path.join(tmp, "report", "raw"), os.path.join(tmp, "report")
        make_raw(raw)
        docs = os.path.join(tmp, "results.md")
        r = subprocess.run([a.python, os.path.join(ROOT, "scripts", "plots", "report.py"), "--raw", raw, "--out",
                            out, "--docs", docs, "--command", "endgame compare --test"],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            print("FAIL: report.py exited %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
            return 1
        check = subprocess.run([a.python, os.path.join(HERE, "tools", "check_report.py"), "--report", out,
                                "--docs", docs, "--expect-campaign", "--expect-error", "teardown/capi/cache/cancel"],
                               capture_output=True, text=True)
        print(check.stdout, end="")
        if check.returncode != 0:
            return 1
        with open(os.path.join(out, "summary.json")) as f:
            summary = json.load(f)
        fails = []
        ratio = summary.get("overhead_ratios", {}).get("conductor/bare")
        want = statistics.median([7500, 7600, 7700, 9500]) / statistics.median([7000, 7100, 7200, 9000])
        if ratio is None or abs(ratio - want) > 1e-9:
            fails.append("conductor/bare ratio %s, want %s" % (ratio, want))
        cpu = summary.get("overhead_cpu_ratios", {}).get("conductor/bare")
        if cpu is None or abs(cpu - 6450.0 / 6150.0) > 1e-9:
            fails.append("conductor/bare CPU ratio %s, want %s" % (cpu, 6450.0 / 6150.0))
        cov = summary.get("teardown_p50_cov_percent", {}).get("teardown/capi/cache/idle")
        want_cov = 100 * statistics.stdev([2.0, 2.2]) / statistics.mean([2.0, 2.2])
        if cov is None or abs(cov - want_cov) > 1e-6:
            fails.append("CoV %s, want %s" % (cov, want_cov))
        il = summary.get("teardown_p50_cov_interleaved_percent", {}).get("teardown/capi/cache/idle")
        medians = [statistics.median([2000, 2100, 2300, 9000]), statistics.median([2000, 2100, 2400, 9000])]
        want_il = 100 * statistics.stdev(medians) / statistics.mean(medians)
        if il is None or abs(il - want_il) > 1e-6:
            fails.append("interleaved CoV %s, want %s" % (il, want_il))
        with open(os.path.join(out, "report.md")) as f:
            md = f.read()
        if "1269.5" not in md:  # 1.3e6 / 1024 = 1269.5 KiB/cycle
            fails.append("the leak slope table does not show 1269.5 KiB/cycle")
        if fails:
            print("FAIL:\n  " + "\n  ".join(fails))
            return 1
    print("ok: synthetic report checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
