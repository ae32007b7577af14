#!/usr/bin/python3
# File: scripts/plots/report.py
#
# Turns what `endgame compare` collected (<out>/raw/) into the strategy
# comparison report: <out>/index.html, its Markdown twin <out>/report.md,
# PNG plots in <out>/img/, key figures in <out>/summary.json and, with
# --docs, docs/results.md. Run with Debian's python3 (python3-matplotlib).
#
#   /usr/bin/python3 scripts/plots/report.py --raw out/report/raw --out out/report
"""Writes the endgame strategy comparison report."""

import argparse
import datetime
import json
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchdata  # noqa: E402
import figures  # noqa: E402
from document import Document  # noqa: E402

VERDICT_KINDS = ["ok", "error", "skipped", "leak", "hang", "fatal", "crash", "sanitizer", "killed"]
STRATEGY_ORDER = ["inline", "cache", "cache_sticky", "dedicated"]
TEARDOWN_VARIANTS = ["idle", "cancel", "threads", "imports"]
REGENERATE = "scripts/endgame compare --minutes 2 --docs docs/results.md"


def fmt(v, digits=2):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return "%.*f" % (digits, v)


def ms(us):
    return None if us is None else us / 1000.0


def percentile(values, q):
    """Linear interpolation between order statistics (as endgame/base/stats.cc)."""
    if not values:
        return None
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def counter_p50(b, name):
    """A counter's p50 over repetitions: endgame_bench's aggregate, else the median of the rows."""
    v = b.counter(name, "p50")
    if v is None and b.counters.get(name):
        v = statistics.median(b.counters[name])
    return v


def ordered(names, key_index):
    def rank(n):
        seg = n.split("/")[key_index] if len(n.split("/")) > key_index else ""
        return (STRATEGY_ORDER.index(seg) if seg in STRATEGY_ORDER else 99, n)
    return sorted(names, key=rank)


class Report:
    def __init__(self, raw, out, command):
        self.raw, self.out, self.command = raw, out, command
        self.img = os.path.join(out, "img")
        os.makedirs(self.img, exist_ok=True)
        for f in os.listdir(self.img):
            if f.endswith(".png"):
                os.remove(os.path.join(self.img, f))
        self.bench = benchdata.load_bench_dir(os.path.join(raw, "bench"))
        self.malloc = benchdata.load_bench_dir(os.path.join(raw, "bench-malloc"))
        self.loads = {}
        self.stability = benchdata.load_stability(os.path.join(raw, "stability"), self.loads)
        self.stability_il = benchdata.load_stability(os.path.join(raw, "stability-interleaved"))
        self.campaign = benchdata.load_campaign(os.path.join(raw, "campaign.json"))
        self.summary = {}
        self.doc = Document("endgame: teardown strategy comparison")
        self.docs = Document("endgame results")

    # -- helpers -------------------------------------------------------------

    def plot(self, name, alt, fn, *args, **kwargs):
        path = os.path.join(self.img, name)
        if fn(path, *args, **kwargs):
            self.doc.image("img/" + name, alt)
        else:
            self.doc.p("_(no data for this plot)_")

    def latency_rows(self, names, unit_ms):
        rows = []
        for n in names:
            b = self.bench.get(n)
            conv = ms if unit_ms else (lambda x: x)
            if b.error:
                rows.append(["`%s`" % n, len(b.samples), "error: " + b.error, "", "", ""])
                continue
            rows.append(["`%s`" % n, len(b.samples), fmt(conv(b.p("p50"))), fmt(conv(b.p("p99"))),
                         fmt(conv(b.p("mean"))), fmt(100 * b.p("cv"), 1) if b.p("cv") is not None else "-"])
        return rows

    def latency_table(self, doc, names, unit_ms):
        u = "ms" if unit_ms else "µs"
        doc.table(["benchmark", "n", "p50 (%s)" % u, "p99 (%s)" % u, "mean (%s)" % u, "cv (%)"],
                  self.latency_rows(names, unit_ms))

    def both(self, method, *args):
        method(self.doc, *args)
        method(self.docs, *args)

    # -- sections ------------------------------------------------------------

    def context(self):
        c = self.bench.context
        items = [
            "CPython **%s** (%s, variant %s), compiler %s" % (
                c.get("python_version", "?"), c.get("python_build", "?"), c.get("python_variant", "?"),
                c.get("python_compiler", "?")),
            "configure: `%s`" % c.get("python_configure_args", "?"),
            "machine: %s CPUs at %s MHz, load average %s when the benchmarks started" % (
                c.get("num_cpus", "?"), c.get("mhz_per_cpu", "?"),
                ", ".join("%.2f" % x for x in c.get("load_avg", [])) or "?"),
            "benchmarks: %s samples per latency figure (one operation each), %s cycles per memory slope; "
            "started %s" % (c.get("endgame_reps", "?"), c.get("endgame_slope_cycles", "?"), c.get("date", "?")),
            "command: `%s`" % self.command,
        ]
        self.summary["context"] = {k: c.get(k) for k in ("python_version", "python_build", "python_variant",
                                                          "num_cpus", "date")}
        self.doc.h2("Build and machine", "context")
        self.doc.bullets(items)
        self.docs.h2("Build and machine", "context")
        self.docs.bullets(items)
        broken = self.bench.broken + self.malloc.broken
        if broken:
            self.doc.p("**Unreadable benchmark output:** " + "; ".join("%s (%s)" % b for b in broken))

    def glance(self):
        rows = []
        strategies = [s for s in ("cache", "dedicated")]
        verdicts = {}
        if self.campaign:
            for st in self.campaign.get("strategies", []):
                verdicts[st["label"]] = st.get("verdicts", {})
        for s in strategies:
            def p50(name):
                b = self.bench.get(name)
                return ms(b.p("p50")) if b and not b.error else None
            ex = self.bench.get("exec/capi/%s" % s)
            row = [s, fmt(ex.p("p50") if ex and not ex.error else None, 1)]
            row += [fmt(p50("teardown/capi/%s/%s" % (s, v))) for v in TEARDOWN_VARIANTS]
            v = verdicts.get(s)
            row.append("-" if v is None else "%d / %d" % (sum(n for k, n in v.items() if k not in ("ok", "skipped")),
                                                          sum(v.values())))
            rows.append(row)
        headers = ["strategy", "exec round trip p50 (µs)"] + ["teardown %s p50 (ms)" % v for v in TEARDOWN_VARIANTS]
        headers.append("campaign: not ok / runs")
        for d in (self.doc, self.docs):
            d.h2("At a glance", "glance")
            d.p("capi driver, isolated interpreters. Teardown = the conductor's cancel + wait + destroy steps "
                "after an exec; campaign verdicts over the same scenarios under each strategy.")
            d.table(headers, rows)
        self.notes_at = [len(self.doc.blocks), len(self.docs.blocks)]

    def notes(self):
        """Bullets under the glance table, from the figures the sections computed."""
        out = []
        for name, by_alloc in sorted(self.summary.get("leak_slope_kib_per_cycle", {}).items()):
            grows = ["%.0f KiB RSS / %.0f KiB heap under %s" % (v["rss"], v["heap"], label)
                     for label, v in sorted(by_alloc.items()) if v["rss"] > 64 or v["heap"] > 64]
            if grows:
                out.append("**Leak:** `%s` grows per create/destroy cycle: %s." % (name, "; ".join(grows)))
        if self.campaign:
            sts = self.campaign.get("strategies", [])
            for kind in ("fatal", "crash", "hang", "sanitizer", "leak"):
                counts = [(st["label"], st.get("verdicts", {}).get(kind, 0)) for st in sts]
                if len(set(c for _, c in counts)) > 1:
                    out.append("**Verdicts differ:** %s %s." % (
                        kind, ", ".join("%s %d of %d runs" % (l, c, st.get("scenarios", 0))
                                        for (l, c), st in zip(counts, sts))))
        wall = self.summary.get("overhead_ratios", {}).get("conductor/bare")
        cpu = self.summary.get("overhead_cpu_ratios", {}).get("conductor/bare")
        if wall is not None:
            out.append("**Harness overhead:** the conductor takes %+.1f%% wall time%s over the bare C++ loop "
                       "(goal: at most +10%%)." % (100 * (wall - 1),
                                                   "" if cpu is None else " and %+.1f%% CPU time" % (100 * (cpu - 1))))
        for suffix, what in (("", "runs one after the other"), ("_interleaved", "interleaved runs")):
            cov = self.summary.get("teardown_p50_cov%s_percent" % suffix, {})
            ratio = self.summary.get("teardown_ratio_cov%s_percent" % suffix, {})
            if cov:
                out.append("**Stability (%s):** CoV of the teardown p50 at most %.1f%%; of the cache/dedicated "
                           "ratio at most %s%%." % (what, max(cov.values()),
                                                    fmt(max(ratio.values()), 1) if ratio else "-"))
        return out


    def lifecycle(self):
        names = self.bench.names("lifecycle/")
        for d in (self.doc, self.docs):
            d.h2("Create and destroy latency", "lifecycle")
            d.p("One create or one destroy (after one `pass` exec) per sample; capi = "
                "Py_NewInterpreterFromConfig / Py_EndInterpreter, interpreters = `_interpreters.create/destroy`.")
            self.latency_table(d, names, True)
        panels = {}
        for n in names:
            _, op, drv, cfg = n.split("/")
            b = self.bench.get(n)
            panels.setdefault(op, {}).setdefault(drv, {})[cfg] = [x / 1000.0 for x in b.samples]
        self.plot("lifecycle.png", "create and destroy latency per driver and config", figures.distributions,
                  "Create and destroy latency", "milliseconds per call", panels)

    def exec_round_trip(self):
        names = ordered(self.bench.names("exec/"), 2)
        for d in (self.doc, self.docs):
            d.h2("Exec round trip", "exec")
            d.p("Handing `pass` to a strategy until the caller learns it ran (isolated interpreter, second exec "
                "on a warm worker). inline = on the calling thread, the floor.")
            self.latency_table(d, names, False)
        panels = {}
        for n in names:
            _, drv, strat = n.split("/")
            panels.setdefault(drv, {})[strat] = self.bench.get(n).samples
        self.plot("exec.png", "exec round trip distribution per strategy and driver", figures.distributions,
                  "Exec round trip per strategy", "microseconds (log scale)", panels, log=True)

    def teardown(self):
        names = self.bench.names("teardown/")
        names = sorted(names, key=lambda n: (n.split("/")[1],
                                             TEARDOWN_VARIANTS.index(n.split("/")[3])
                                             if n.split("/")[3] in TEARDOWN_VARIANTS else 9,
                                             STRATEGY_ORDER.index(n.split("/")[2])
                                             if n.split("/")[2] in STRATEGY_ORDER else 9))
        rows = self.latency_rows(names, True)
        for row, n in zip(rows, names):
            b = self.bench.get(n)
            row += [fmt(ms(counter_p50(b, k))) if counter_p50(b, k) is not None else "-"
                    for k in ("cancel_us", "wait_us", "destroy_us")]
        headers = ["benchmark", "n", "p50 (ms)", "p99 (ms)", "mean (ms)", "cv (%)",
                   "cancel p50 (ms)", "wait p50 (ms)", "destroy p50 (ms)"]
        for d in (self.doc, self.docs):
            d.h2("Teardown latency after an exec", "teardown")
            d.p("Each sample runs one scenario in-process and sums the conductor's teardown steps. idle: "
                "`exec noop; destroy`. cancel: a busy loop stopped by an asynchronous exception, then "
                "`wait; destroy`. threads: 4 non-daemon threads sleeping 10 ms inside. imports: json, re, "
                "collections, dataclasses, typing, decimal, asyncio imported.")
            d.table(headers, rows)
        panels = {}
        for n in names:
            _, drv, strat, variant = n.split("/")
            panels.setdefault(drv, {}).setdefault(variant, {})[strat] = [x / 1000.0 for x in
                                                                         self.bench.get(n).samples]
        self.plot("teardown.png", "teardown latency distribution per strategy", figures.distributions,
                  "Teardown latency per strategy", "milliseconds (log scale)", panels, log=True)

    def verdicts(self):
        for d in (self.doc, self.docs):
            d.h2("Campaign verdicts per strategy", "verdicts")
        if not self.campaign:
            for d in (self.doc, self.docs):
                d.p("_(no campaign in this run)_")
            return
        c = self.campaign
        strategies = c.get("strategies", [])
        rows = []
        for st in strategies:
            v = st.get("verdicts", {})
            t = st.get("teardown_ms", [])
            # The cancel latency's p50 as the campaign computed it (stress/campaign.cc's Percentile).
            cancel = st.get("cancel_p50_ms")
            rows.append([st["label"], st.get("scenarios", 0)] + [v.get(k, 0) for k in VERDICT_KINDS] +
                        [fmt(percentile(t, 0.5)), fmt(percentile(t, 0.99)), len(t),
                         "-" if cancel is None else fmt(cancel), len(st.get("cancel_ms", []))])
        headers = ["strategy", "runs"] + VERDICT_KINDS + ["destroy p50 (ms)", "destroy p99 (ms)", "destroys",
                                                          "cancel p50 (ms)", "cancels"]
        text = ("%d supervised runs in %.0f s (seed %s%s): the corpus, the built-in set (bench/scenarios/) and "
                "generated scenarios, each under every strategy. Destroy latencies are the campaign's successful "
                "destroy steps; the cancel latency runs from a cancel step to its task's end (or, via=abandon, to when "
                "the conductor stops waiting)." % (c.get("scenarios", 0), c.get("seconds", 0), c.get("seed", "?"),
                                    ", interrupted" if c.get("interrupted") else ""))
        for d in (self.doc, self.docs):
            d.p(text)
            d.table(headers, rows)
        labels = [st["label"] for st in strategies]
        stacks = {k: [st.get("verdicts", {}).get(k, 0) for st in strategies] for k in VERDICT_KINDS}
        self.plot("verdicts.png", "verdict counts per strategy", figures.stacked_counts,
                  "Campaign verdicts per strategy", "supervised runs", labels, stacks)
        panel = {st["label"]: st.get("teardown_ms", []) for st in strategies}
        self.plot("campaign_destroy.png", "campaign destroy-step latency per strategy", figures.distributions,
                  "Destroy steps in the campaign", "milliseconds (log scale)", {"all scenarios": panel}, log=True)
        findings = c.get("findings", [])
        if findings:
            self.doc.h3("Findings")
            self.doc.table(["signature", "verdict", "step", "count", "known"],
                           [[f["signature"], f["verdict"][:80], f["step"], f["count"],
                             "known" if f.get("known") else "new"] for f in findings])
        self.summary["verdicts"] = {st["label"]: st.get("verdicts", {}) for st in strategies}

    def memory(self):
        for d in (self.doc, self.docs):
            d.h2("Memory", "memory")
        live = self.bench.names("memory/live/")
        rows = []
        for n in live:
            b = self.bench.get(n)
            if b.error:
                rows.append(["`%s`" % n, len(b.counters.get("rss_per_interp", [])), "error: " + b.error, ""])
                continue
            rows.append(["`%s`" % n, len(b.counters.get("rss_per_interp", [])),
                         fmt(counter_p50(b, "rss_per_interp") / 1024, 0),
                         fmt(counter_p50(b, "heap_per_interp") / 1024, 0)])
        for d in (self.doc, self.docs):
            d.h3("Per live interpreter")
            d.p("N interpreters created and kept alive together (capi); RSS and malloc'ed bytes (mallinfo2) "
                "per interpreter, p50 over repetitions.")
            d.table(["benchmark", "repetitions", "RSS p50 (KiB per interpreter)", "heap p50 (KiB per interpreter)"],
                    rows)
        self.plot("memory_live.png", "memory per live interpreter", figures.grouped_bars,
                  "Memory per live interpreter", "KiB per interpreter", [n.split("/")[-1] for n in live],
                  {"RSS": [self._kib(n, "rss_per_interp") for n in live],
                   "heap (malloc)": [self._kib(n, "heap_per_interp") for n in live]}, xlabel="config")
        growth = sorted(set(self.bench.names("memory/growth/")) | set(self.malloc.names("memory/growth/")))
        rows, slopes = [], {}
        for n in growth:
            for label, runs in (("pymalloc (default)", self.bench), ("PYTHONMALLOC=malloc", self.malloc)):
                b = runs.get(n)
                if b is None:
                    continue
                if b.error:
                    rows.append(["`%s`" % n, label, "-", "error: " + b.error, "", ""])
                    continue
                rs, hs = counter_p50(b, "rss_slope"), counter_p50(b, "heap_slope")
                cyc = counter_p50(b, "cycles")
                rows.append(["`%s`" % n, label, fmt(cyc, 0), fmt(rs / 1024, 1), fmt(hs / 1024, 1),
                             fmt(counter_p50(b, "rss_growth") / 1048576, 1)])
                slopes[(n, label)] = (rs, hs)
        for d in (self.doc, self.docs):
            d.h3("Growth per create/destroy cycle (leak slope)")
            d.p("Cycles of create, exec `pass`, destroy; least-squares slope of RSS and of malloc'ed bytes after "
                "each cycle over `cycles` cycles, after a tenth as many warm-up cycles; p50 over repetitions. Under pymalloc the heap slope misses "
                "Python objects (arenas are mmap'ed); under PYTHONMALLOC=malloc it sees them.")
            d.table(["benchmark", "allocator", "cycles", "RSS slope (KiB/cycle)", "heap slope (KiB/cycle)",
                     "RSS growth (MiB)"], rows)
        cats = [n.replace("memory/growth/", "") for n in growth]
        series = {
            "RSS, pymalloc": [self._slope(slopes, n, "pymalloc (default)", 0) for n in growth],
            "RSS, PYTHONMALLOC=malloc": [self._slope(slopes, n, "PYTHONMALLOC=malloc", 0) for n in growth],
            "heap, PYTHONMALLOC=malloc": [self._slope(slopes, n, "PYTHONMALLOC=malloc", 1) for n in growth],
        }
        self.plot("leak_slope.png", "memory growth per create/destroy cycle per config", figures.grouped_bars,
                  "Leak slope per config", "KiB per create/destroy cycle", cats, series, xlabel="driver/config")
        leak = self.summary.setdefault("leak_slope_kib_per_cycle", {})
        for (name, label), v in slopes.items():
            if v[0] is not None:
                leak.setdefault(name, {})[label] = {"rss": v[0] / 1024, "heap": v[1] / 1024}

    def _kib(self, name, counter):
        b = self.bench.get(name)
        v = counter_p50(b, counter) if b and not b.error else None
        return None if v is None else v / 1024

    @staticmethod
    def _slope(slopes, name, label, i):
        v = slopes.get((name, label))
        return None if v is None or v[i] is None else v[i] / 1024

    def overhead(self):
        names = ordered(self.bench.names("overhead/"), 1)
        order = ["overhead/bare", "overhead/conductor", "overhead/conductor_inline", "overhead/python"]
        names = [n for n in order if n in names] + [n for n in names if n not in order]
        ok = [n for n in names if not self.bench.get(n).error]
        p50 = {n.split("/")[1]: ms(self.bench.get(n).p("p50")) for n in ok}
        cpu = {n.split("/")[1]: counter_p50(self.bench.get(n), "cpu_us") for n in ok}
        ratios = []
        for a, b, what in (("conductor", "bare", "conductor over the bare C++ loop"),
                           ("conductor_inline", "bare", "conductor with `on=conductor` over the bare C++ loop"),
                           ("conductor", "python", "conductor over the pure-Python loop"),
                           ("python", "bare", "pure-Python loop over the bare C++ loop")):
            if p50.get(a) and p50.get(b):
                r = p50[a] / p50[b]
                rc = cpu[a] / cpu[b] if cpu.get(a) and cpu.get(b) else None
                ratios.append(["%s / %s" % (a, b), fmt(r, 3), "%+.1f%%" % (100 * (r - 1)), fmt(rc, 3),
                               "-" if rc is None else "%+.1f%%" % (100 * (rc - 1)), what])
                self.summary.setdefault("overhead_ratios", {})["%s/%s" % (a, b)] = r
                if rc is not None:
                    self.summary.setdefault("overhead_cpu_ratios", {})["%s/%s" % (a, b)] = rc
        for d in (self.doc, self.docs):
            d.h2("Harness overhead", "overhead")
            d.p("One `spawn a; exec a noop; destroy a` cycle (isolated, capi) per sample, the four ways "
                "interleaved in one process: the conductor (RunScenario, oracles off, cache strategy), the "
                "conductor with the exec on its own thread, the same C API calls in a bare C++ loop, and the "
                "same cycle on `_interpreters` in a pure-Python loop with the same CPython. Ratios of p50s, of "
                "wall time and of CPU time (every thread of the process, user + system): on a loaded machine "
                "wall time also counts waiting for a CPU, which a harness with more threads does more often.")
            rows = self.latency_rows(names, True)
            for row, n in zip(rows, names):
                c = counter_p50(self.bench.get(n), "cpu_us")
                row.append(fmt(ms(c)) if c is not None else "-")
            d.table(["benchmark", "n", "p50 (ms)", "p99 (ms)", "mean (ms)", "cv (%)", "CPU p50 (ms)"], rows)
            d.table(["ratio", "wall", "wall overhead", "CPU", "CPU overhead", "meaning"], ratios)
        panel = {n.split("/")[1]: [x / 1000.0 for x in self.bench.get(n).samples] for n in names}
        note = ", ".join("%s %s" % (r[0], r[1]) for r in ratios[:1] + ratios[2:3])
        self.plot("overhead.png", "harness overhead: conductor vs bare C++ loop vs pure-Python loop",
                  figures.distributions, "One spawn/exec/destroy cycle", "milliseconds per cycle",
                  {"cycle": panel}, note=note)

    def stability_section(self):
        for d in (self.doc, self.docs):
            d.h2("Stability of the teardown p50", "stability")
        if not self.stability and not self.stability_il:
            for d in (self.doc, self.docs):
                d.p("_(no stability runs)_")
            return
        for d in (self.doc, self.docs):
            d.p("The teardown/*/idle benchmarks measured again in fresh processes (each with the strategies' "
                "repetitions interleaved): the coefficient of variation (sample stddev / mean) of their p50 "
                "across runs, and of the cache/dedicated ratio of p50s within each run, which is what the "
                "report's comparisons rest on.")
        self.stability_table("Runs one after the other", self.stability, self.loads, "stability.png",
                             "what rerunning the benchmarks later gives: the machine's load drifts between runs "
                             "(its 1-minute average at the start of each run is in the last row).", "")
        self.stability_table("Runs interleaved", self.stability_il, {}, "stability_interleaved.png",
                             "each run cut into several processes, the slices of all runs alternating, so that "
                             "every run meets the same load: the repeatability of the measurement itself.",
                             "_interleaved")

    def stability_table(self, title, series, loads, png, what, key_suffix):
        if not series:
            return
        runs = max(len(v) for v in series.values())
        rows, cov = [], {}
        for n in sorted(series):
            v = [x / 1000.0 for x in series[n]]
            mean = statistics.mean(v)
            sd = statistics.stdev(v) if len(v) > 1 else 0.0
            c = 100 * sd / mean if mean else float("nan")
            cov[n] = c
            rows.append(["`%s`" % n] + [fmt(x) for x in v] + [""] * (runs - len(v)) +
                        [fmt(mean), fmt(sd, 3), fmt(c, 1)])
        if loads:
            rows.append(["load average (1 min) at start"] + [fmt(loads.get(i + 1), 2) for i in range(runs)] +
                        ["", "", ""])
        headers = ["benchmark"] + ["run %d p50 (ms)" % (i + 1) for i in range(runs)] + \
                  ["mean (ms)", "stddev (ms)", "CoV (%)"]
        ratio_rows, ratio_cov = [], {}
        for n in sorted(series):
            if "/cache/" not in n or n.replace("/cache/", "/dedicated/") not in series:
                continue
            r = [x / y for x, y in zip(series[n], series[n.replace("/cache/", "/dedicated/")]) if y]
            if len(r) < 2:
                continue
            c = 100 * statistics.stdev(r) / statistics.mean(r)
            key = n.replace("/cache/", "/{cache/dedicated}/")
            ratio_cov[key] = c
            ratio_rows.append(["`%s`" % key] + [fmt(x, 3) for x in r] + [""] * (runs - len(r)) +
                              [fmt(statistics.mean(r), 3), fmt(statistics.stdev(r), 3), fmt(c, 1)])
        for d in (self.doc, self.docs):
            d.h3(title)
            d.p("%d runs: %s" % (runs, what))
            d.table(headers, rows)
            if ratio_rows:
                d.table(["ratio of p50s"] + ["run %d" % (i + 1) for i in range(runs)] +
                        ["mean", "stddev", "CoV (%)"], ratio_rows)
        self.plot(png, "teardown p50 per run (%s)" % title.lower(), figures.runs_scatter,
                  "Teardown p50 across runs: %s" % title.lower(), "milliseconds (p50 of one run)",
                  {n.replace("teardown/", ""): [x / 1000.0 for x in v] for n, v in sorted(series.items())})
        self.summary["teardown_p50_cov%s_percent" % key_suffix] = cov
        self.summary["teardown_ratio_cov%s_percent" % key_suffix] = ratio_cov

    def raw_files(self):
        self.doc.h2("Raw data", "raw")
        files = []
        for sub in ("bench", "bench-malloc", "stability", "stability-interleaved"):
            folder = os.path.join(self.raw, sub)
            if os.path.isdir(folder):
                files += [os.path.join(sub, f) for f in sorted(os.listdir(folder)) if f.endswith(".json")]
        if os.path.exists(os.path.join(self.raw, "campaign.json")):
            files.append("campaign.json")
        rel = os.path.relpath(self.raw, self.out)
        self.doc.p("Google Benchmark JSON (one file per group of compared benchmarks) and the campaign summary, "
                   "in `%s/`: %s" % (rel, ", ".join("`%s`" % f for f in files) or "none"))

    def regenerate(self):
        for d in (self.doc, self.docs):
            d.h2("Regenerate", "regenerate")
            d.p("This page is generated; do not edit it. To regenerate (on 2 shared CPUs: 2 minutes of "
                "campaign, about 5 of benchmarks and 3 of stability runs):")
            d.code(REGENERATE + "\n# plots and raw JSON: out/report/index.html, out/report/raw/\n"
                   "# one group of benchmarks by hand:\n"
                   "build/ci/bench/endgame_bench --benchmark_filter='^teardown/capi/' "
                   "--benchmark_enable_random_interleaving=true --endgame_reps=100\n")

    def write(self, docs_path):
        if os.path.exists(os.path.join(self.raw, "interrupted")):
            for d in (self.doc, self.docs):
                d.p("**Interrupted:** this run was stopped early; sections without data were not measured.")
        self.context()
        self.glance()
        self.lifecycle()
        self.exec_round_trip()
        self.teardown()
        self.verdicts()
        self.memory()
        self.overhead()
        self.stability_section()
        self.raw_files()
        self.regenerate()
        notes = self.notes()
        if notes:
            self.doc.blocks.insert(self.notes_at[0], ("ul", notes))
            self.docs.blocks.insert(self.notes_at[1], ("ul", notes))
        with open(os.path.join(self.out, "index.html"), "w") as f:
            f.write(self.doc.html())
        with open(os.path.join(self.out, "report.md"), "w") as f:
            f.write(self.doc.markdown())
        with open(os.path.join(self.out, "summary.json"), "w") as f:
            json.dump(self.summary, f, indent=2, sort_keys=True)
            f.write("\n")
        if docs_path:
            self.docs.p("Plots: `out/report/index.html` after running the command above. Generated %s." %
                        datetime.date.today().isoformat())
            with open(docs_path, "w") as f:
                f.write("<!-- Generated by scripts/plots/report.py (endgame compare --docs); do not edit. -->\n")
                f.write(self.docs.markdown())


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--raw", required=True, help="folder endgame compare filled (bench/, campaign.json, ...)")
    ap.add_argument("--out", required=True, help="where index.html, report.md and img/ go")
    ap.add_argument("--docs", help="also write this Markdown file (docs/results.md)")
    ap.add_argument("--command", default="endgame compare", help="the command line to print in the report")
    args = ap.parse_args()
    r = Report(args.raw, args.out, args.command)
    r.write(args.docs)
    print("report: %s" % os.path.join(args.out, "index.html"))
    print("markdown: %s" % os.path.join(args.out, "report.md"))
    if args.docs:
        print("docs: %s" % args.docs)
    for k, v in sorted(r.summary.get("overhead_ratios", {}).items()):
        print("overhead %s = %.3f (wall), %s (CPU)" % (k, v, fmt(r.summary.get("overhead_cpu_ratios", {}).get(k), 3)))
    for mode, suffix in (("consecutive", ""), ("interleaved", "_interleaved")):
        for k, v in sorted(r.summary.get("teardown_p50_cov%s_percent" % suffix, {}).items()):
            print("CoV of p50 across %s runs, %s = %.1f%%" % (mode, k, v))
        for k, v in sorted(r.summary.get("teardown_ratio_cov%s_percent" % suffix, {}).items()):
            print("CoV of the p50 ratio across %s runs, %s = %.1f%%" % (mode, k, v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
