# File: scripts/plots/figures.py
#
# The report's plots, with matplotlib's Agg backend (headless; Debian's
# python3-matplotlib). Every function writes one PNG with labelled axes
# (units in the label) and a legend where colours mean something, and returns
# False without writing anything when it has no data.
#
#   distributions("img/exec.png", "Exec round trip", "microseconds",
#                 {"capi": {"cache": [...], "dedicated": [...]}})
"""Plots of the comparison report."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

# One colour per compared thing, stable across plots.
PALETTE = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C"]
VERDICT_COLOURS = {
    "ok": "#55A868", "skipped": "#BBBBBB", "error": "#DDAA33", "leak": "#8172B3", "hang": "#C44E52",
    "fatal": "#8B0000", "crash": "#000000", "sanitizer": "#DA8BC3", "killed": "#777777",
}


def _colours(labels):
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def distributions(path, title, ylabel, panels, log=False, note=None):
    """Box plots: one panel per key of `panels` ({panel: {category: {series: samples}}}
    or {panel: {series: samples}}), boxes coloured by series; whiskers at p1/p99."""
    panels = {k: v for k, v in panels.items() if any(_flatten(v))}
    if not panels:
        return False
    series_names = []
    for v in panels.values():
        for s in _series_of(v):
            if s not in series_names:
                series_names.append(s)
    colours = _colours(series_names)
    fig, axes = plt.subplots(1, len(panels), figsize=(max(6, 4.2 * len(panels)), 4.6), squeeze=False, sharey=True)
    for ax, (panel, data) in zip(axes[0], panels.items()):
        cats = data if _nested(data) else {"": data}
        boxes, cols, positions, ticks, labels = [], [], [], [], []
        x = 1.0
        for cat, series in cats.items():
            first = x
            for s in series_names:
                if series.get(s):
                    boxes.append(series[s])
                    cols.append(colours[s])
                    positions.append(x)
                    x += 1
            if x > first and cat:
                ticks.append((first + x - 1) / 2.0)
                labels.append(cat)
            x += 0.6  # a gap between categories
        if not _nested(data):  # one category: name each box
            ticks, labels = positions, [s for s in series_names if data.get(s)]
        bp = ax.boxplot(boxes, positions=positions, widths=0.7, whis=(1, 99), patch_artist=True,
                        showfliers=True, flierprops={"markersize": 2, "alpha": 0.5})
        for patch, c in zip(bp["boxes"], cols):
            patch.set_facecolor(c)
            patch.set_alpha(0.8)
        for m in bp["medians"]:
            m.set_color("black")
        ax.set_xticks(ticks)
        ax.set_xticklabels(labels, rotation=20 if len(labels) > 3 else 0)
        ax.set_title(panel)
        if log:
            ax.set_yscale("log")
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel(ylabel)
    axes[0][-1].legend(handles=[Patch(facecolor=colours[s], label=s) for s in series_names], loc="best",
                       fontsize="small")
    fig.suptitle(title + ("\n" + note if note else ""), fontsize="medium")
    return _save(fig, path)


def _nested(d):
    return any(isinstance(v, dict) for v in d.values())


def _series_of(d):
    if _nested(d):
        out = []
        for v in d.values():
            out += [k for k in v if k not in out]
        return out
    return list(d)


def _flatten(d):
    if _nested(d):
        return [x for v in d.values() for s in v.values() for x in s]
    return [x for s in d.values() for x in s]


def stacked_counts(path, title, ylabel, categories, stacks):
    """Stacked bars: x = categories, one stack segment per key of `stacks` ({kind: [count per category]})."""
    stacks = {k: v for k, v in stacks.items() if any(v)}
    if not categories or not stacks:
        return False
    fig, ax = plt.subplots(figsize=(max(5, 1.6 * len(categories) + 3), 4.6))
    bottom = [0] * len(categories)
    for i, (kind, counts) in enumerate(stacks.items()):
        colour = VERDICT_COLOURS.get(kind, PALETTE[i % len(PALETTE)])
        ax.bar(categories, counts, bottom=bottom, label=kind, color=colour, width=0.6)
        for x, (b, c) in enumerate(zip(bottom, counts)):
            if c:
                ax.text(x, b + c / 2.0, str(c), ha="center", va="center", fontsize="small",
                        color="white" if kind in ("fatal", "crash", "hang", "leak") else "black")
        bottom = [b + c for b, c in zip(bottom, counts)]
    ax.set_ylabel(ylabel)
    ax.set_xlabel("strategy")
    ax.set_title(title)
    ax.legend(title="verdict", fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def grouped_bars(path, title, ylabel, categories, series, xlabel=None):
    """Bars: x = categories, one bar per key of `series` ({label: [value or None per category]})."""
    series = {k: v for k, v in series.items() if any(x is not None for x in v)}
    if not categories or not series:
        return False
    colours = _colours(list(series))
    n = len(series)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(6, 1.5 * len(categories) + 3), 4.6))
    for i, (label, values) in enumerate(series.items()):
        xs = [x - 0.4 + width * (i + 0.5) for x in range(len(categories))]
        vals = [v if v is not None else 0 for v in values]
        ax.bar(xs, vals, width=width * 0.95, label=label, color=colours[label])
        for x, v in zip(xs, values):
            if v is not None:
                ax.text(x, v, _short(v), ha="center", va="bottom", fontsize="x-small")
    ax.set_xticks(range(len(categories)))
    ax.set_xticklabels(categories, rotation=15 if len(categories) > 3 else 0)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel(ylabel)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def runs_scatter(path, title, ylabel, series):
    """Points: one x position per key of `series` ({benchmark: [value per run]}), runs side by side."""
    series = {k: v for k, v in series.items() if v}
    if not series:
        return False
    runs = max(len(v) for v in series.values())
    colours = _colours(["run %d" % (r + 1) for r in range(runs)])
    fig, ax = plt.subplots(figsize=(max(6, 1.8 * len(series) + 3), 4.6))
    for x, (name, values) in enumerate(series.items()):
        for r, v in enumerate(values):
            ax.scatter([x + (r - (runs - 1) / 2.0) * 0.08], [v], color=colours["run %d" % (r + 1)],
                       label="run %d" % (r + 1) if x == 0 else None, s=25)
    ax.set_xticks(range(len(series)))
    ax.set_xticklabels(list(series), rotation=15, fontsize="small")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path)


def _short(v):
    a = abs(v)
    if a >= 1e6:
        return "%.1fM" % (v / 1e6)
    if a >= 10:
        return "%.0f" % v
    return "%.2g" % v
