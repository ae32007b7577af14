#!/usr/bin/python3
# File: tests/tools/check_report.py
#
# Checks a comparison report folder (what `endgame compare` writes) the way a
# reader would meet it: index.html and report.md exist and have every
# section; every image either page references exists and is a PNG with data
# (signature, IHDR with positive width and height, non-trivial size); the
# tables agree with the raw JSON they were made from (p50/p99 of every
# benchmark row, campaign verdict counts); docs/results.md, when given, has
# the same sections and the regenerate command. Reads the raw JSON itself
# (not through scripts/plots/), so a bug there cannot hide here.
#
#   check_report.py --report out/report [--docs docs/results.md] [--expect-campaign]
import argparse
import glob
import json
import os
import re
import struct
import sys

SECTIONS = ["context", "glance", "lifecycle", "exec", "teardown", "verdicts", "memory", "overhead", "stability",
            "raw", "regenerate"]
DOC_SECTIONS = ["Build and machine", "At a glance", "Create and destroy latency", "Exec round trip",
                "Teardown latency after an exec", "Campaign verdicts per strategy", "Memory", "Harness overhead",
                "Stability of the teardown p50", "Regenerate"]
MIN_PNG_BYTES = 5000
TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}

errors = []


def error(msg):
    errors.append(msg)


def check_png(path):
    if not os.path.isfile(path):
        return error("image %s does not exist" % path)
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return error("%s is not a PNG (signature %r)" % (path, data[:8]))
    if data[12:16] != b"IHDR":
        return error("%s has no IHDR chunk first" % path)
    w, h = struct.unpack(">II", data[16:24])
    if w <= 0 or h <= 0:
        error("%s has empty dimensions %dx%d" % (path, w, h))
    if len(data) < MIN_PNG_BYTES:
        error("%s is only %d bytes: no data drawn?" % (path, len(data)))


def base(name):
    out = []
    for seg in name.split("/"):
        if ":" in seg or seg in ("manual_time", "real_time"):
            break
        out.append(seg)
    return "/".join(out)


def raw_aggregates(folder):
    """{benchmark: {aggregate: microseconds}} from every JSON file in folder."""
    out = {}
    for path in glob.glob(os.path.join(folder, "*.json")):
        with open(path) as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            if row.get("run_type") == "aggregate" and row.get("aggregate_name") in ("p50", "p99"):
                out.setdefault(base(row["run_name"]), {})[row["aggregate_name"]] = \
                    row["real_time"] * TO_US[row["time_unit"]]
    return out


def md_tables(text):
    """Every Markdown table: (headers, rows)."""
    tables, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            headers = [c.strip() for c in lines[i].strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in re.split(r"(?<!\\)\|", lines[i].strip("|"))])
                i += 1
            tables.append((headers, rows))
        else:
            i += 1
    return tables


def check_tables_against_raw(md, raw):
    aggs = raw_aggregates(os.path.join(raw, "bench"))
    checked = 0
    for headers, rows in md_tables(md):
        for col, h in enumerate(headers):
            m = re.match(r"^(p50|p99) \((ms|µs)\)$", h)
            if not m or headers[0] != "benchmark":
                continue
            which, unit = m.groups()
            for r in rows:
                name = r[0].strip("`")
                if r[col].startswith("error") or r[col] in ("", "-") or name not in aggs:
                    continue
                want = aggs[name].get(which)
                if want is None:
                    continue
                want = want / 1000.0 if unit == "ms" else want
                got = float(r[col])
                if abs(got - want) > 0.006 + 1e-9 * abs(want):
                    error("table says %s %s = %s %s, the JSON says %.4f" % (name, which, r[col], unit, want))
                checked += 1
    if aggs and checked == 0:
        error("no table row could be matched against the raw benchmark JSON")
    return checked


def check_campaign(md, raw):
    path = os.path.join(raw, "campaign.json")
    with open(path) as f:
        c = json.load(f)
    for headers, rows in md_tables(md):
        if headers[:2] != ["strategy", "runs"]:
            continue
        by_label = {r[0]: r for r in rows}
        for st in c["strategies"]:
            r = by_label.get(st["label"])
            if r is None:
                error("campaign table has no row for %s" % st["label"])
                continue
            if int(r[1]) != st["scenarios"]:
                error("campaign table: %s runs %s, JSON %d" % (st["label"], r[1], st["scenarios"]))
            if "cancels" in headers and int(r[headers.index("cancels")]) != len(st.get("cancel_ms", [])):
                error("campaign table: %s cancels %s, JSON %d" % (st["label"], r[headers.index("cancels")],
                                                                 len(st.get("cancel_ms", []))))
            for col, kind in enumerate(headers):
                if kind in st["verdicts"] and int(r[col]) != st["verdicts"][kind]:
                    error("campaign table: %s %s = %s, JSON %d" % (st["label"], kind, r[col], st["verdicts"][kind]))
        return True
    error("report.md has no campaign table")
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True)
    ap.add_argument("--docs")
    ap.add_argument("--expect-campaign", action="store_true")
    ap.add_argument("--expect-error", help="a benchmark name whose row must show its error")
    a = ap.parse_args()
    html_path, md_path = os.path.join(a.report, "index.html"), os.path.join(a.report, "report.md")
    for p in (html_path, md_path, os.path.join(a.report, "summary.json")):
        if not os.path.isfile(p):
            error("%s is missing" % p)
    if errors:
        return finish()
    with open(html_path) as f:
        page = f.read()
    with open(md_path) as f:
        md = f.read()
    for s in SECTIONS:
        if 'id="%s"' % s not in page:
            error("index.html has no section #%s" % s)
    for s in DOC_SECTIONS:
        if "## " + s not in md:
            error("report.md has no section '%s'" % s)
    html_imgs = re.findall(r'<img src="([^"]+)"', page)
    md_imgs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    if sorted(html_imgs) != sorted(md_imgs):
        error("index.html and report.md reference different images: %s vs %s" % (html_imgs, md_imgs))
    if not html_imgs:
        error("the report references no images")
    for img in html_imgs:
        check_png(os.path.join(a.report, img))
    raw = os.path.join(a.report, "raw")
    n = check_tables_against_raw(md, raw)
    if a.expect_campaign:
        check_campaign(md, raw)
    if a.expect_error:
        if not re.search(r"`%s`[^\n]*error: " % re.escape(a.expect_error), md):
            error("report.md does not show the error of %s" % a.expect_error)
    if a.docs:
        with open(a.docs) as f:
            docs = f.read()
        if "do not edit" not in docs.splitlines()[0]:
            error("%s does not say it is generated" % a.docs)
        for s in DOC_SECTIONS:
            if "## " + s not in docs:
                error("%s has no section '%s'" % (a.docs, s))
        if "scripts/endgame compare" not in docs:
            error("%s does not say how to regenerate it" % a.docs)
    return finish(n, len(html_imgs))


def finish(rows=0, images=0):
    if errors:
        print("FAIL:\n  " + "\n  ".join(errors))
        return 1
    print("ok: %d images valid, %d table cells agree with the JSON" % (images, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
