# File: scripts/plots/benchdata.py
#
# Reads what `endgame compare` leaves in <out>/raw/: Google Benchmark JSON
# files (bench/, bench-malloc/, stability/) and the campaign summary
# (campaign.json). Every figure the report prints comes from here, straight
# from the JSON: p50/p99/mean/cv are the aggregates endgame_bench computed,
# samples are its per-repetition rows.
#
#   runs = load_bench_dir("out/report/raw/bench")
#   runs.get("teardown/capi/cache/idle").agg["p50"]   # microseconds
"""Loading endgame_bench JSON and the campaign summary."""

import glob
import json
import os
import re

# Google Benchmark appends these to a benchmark's name.
_SUFFIX = re.compile(r"^(iterations:|repeats:|threads:|min_time:|manual_time$|real_time$|process_time$)")

_TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}

# Keys of a benchmark row that are not user counters.
_STANDARD = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label",
    "bytes_per_second", "items_per_second",
}


def base_name(name):
    """'teardown/capi/cache/idle/iterations:1/repeats:100/manual_time_p50' -> 'teardown/capi/cache/idle'."""
    segs = []
    for seg in name.split("/"):
        if _SUFFIX.match(seg):
            break
        segs.append(seg)
    return "/".join(segs)


class Bench:
    """One benchmark: per-repetition samples (us), counters, aggregates, error."""

    def __init__(self, name):
        self.name = name
        self.samples = []      # real time per repetition, microseconds
        self.counters = {}     # counter -> [value per repetition]
        self.agg = {}          # aggregate name (p50, p99, mean, median, stddev, cv, min, max) -> us
        self.agg_counters = {}  # aggregate name -> {counter: value}
        self.error = None
        self.source = None

    def p(self, which):
        """An aggregate in microseconds, or None."""
        return self.agg.get(which)

    def counter(self, counter, which="p50"):
        return self.agg_counters.get(which, {}).get(counter)


class BenchRuns:
    """All benchmarks of a folder of JSON files, with the context of the first."""

    def __init__(self):
        self.benches = {}
        self.context = {}
        self.files = []
        self.broken = []  # (file, why) for files that could not be read

    def get(self, name):
        return self.benches.get(name)

    def names(self, prefix=""):
        return sorted(n for n in self.benches if n.startswith(prefix))


def _add_file(runs, path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        runs.broken.append((path, str(e)))
        return
    runs.files.append(path)
    if not runs.context:
        runs.context = data.get("context", {})
    for row in data.get("benchmarks", []):
        name = base_name(row.get("run_name") or row["name"])
        b = runs.benches.setdefault(name, Bench(name))
        b.source = os.path.basename(path)
        if row.get("error_occurred"):
            b.error = row.get("error_message", "error")
            continue
        scale = _TO_US.get(row.get("time_unit", "ns"), 1e-3)
        counters = {k: v for k, v in row.items() if k not in _STANDARD and isinstance(v, (int, float))}
        if row.get("run_type") == "aggregate":
            agg = row.get("aggregate_name")
            if row.get("aggregate_unit", "time") == "percentage" or agg == "cv":
                b.agg[agg] = row["real_time"]  # a fraction, not a time
            else:
                b.agg[agg] = row["real_time"] * scale
            b.agg_counters[agg] = counters
        else:
            b.samples.append(row["real_time"] * scale)
            for k, v in counters.items():
                b.counters.setdefault(k, []).append(v)


def load_bench_dir(folder, pattern="*.json"):
    runs = BenchRuns()
    for path in sorted(glob.glob(os.path.join(folder, pattern))):
        _add_file(runs, path)
    return runs


def _median(values):
    v = sorted(values)
    n = len(v)
    return (v[(n - 1) // 2] + v[n // 2]) / 2.0


def load_stability(folder, loads=None):
    """{benchmark name: [p50 of run 1, run 2, ...]} from <folder>/run<k>-*.json (one process
    per run: endgame_bench's p50) or run<k>.slice<s>-*.json (a run in several processes: the
    median of all its samples); with `loads` (a dict), also fills {run: 1-minute load average
    when its first file started}."""
    by_run = {}
    for path in glob.glob(os.path.join(folder, "run*.json")):
        m = re.match(r"run(\d+)[-.]", os.path.basename(path))
        if m:
            by_run.setdefault(int(m.group(1)), []).append(path)
    series = {}
    for run in sorted(by_run):
        runs = BenchRuns()
        for path in sorted(by_run[run]):
            _add_file(runs, path)
        for name, b in runs.benches.items():
            sliced = len(runs.files) > 1 and any(".slice" in f for f in runs.files)
            p50 = _median(b.samples) if sliced and b.samples else b.p("p50")
            if p50 is not None:
                series.setdefault(name, []).append(p50)
        if loads is not None and runs.context.get("load_avg"):
            loads[run] = runs.context["load_avg"][0]
    return series


def load_campaign(path):
    """The campaign summary (stress/campaign.cc's JSON), or None."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
