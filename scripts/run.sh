#!/usr/bin/env bash
# The main job: sets up everything on a fresh machine (scripts/bootstrap.sh),
# builds endgame, then runs a bounded stress campaign comparing every
# built-in strategy (cache, dedicated, trio, threadpool, actor,
# interpreter_pool, anyio) on CPython 3.14 (the oldest bugfix branch; inside
# the sid root) and prints the summary table and the known findings (still
# there, or "fixed in 3.14.10"). Then each new root cause is triaged: replayed
# (k/n), minimized within a budget, given a reproducer, run on every CPython
# this machine has (matrix.md) and written up (report.md, ready to file). Ends
# with the campaign in words ("1 new CPython bug (reproduce on ...), ...").
#
# Usage: scripts/run.sh [--minutes M] [--jobs J] [--out DIR] [--seed S] [--cpython SPEC]
#                      [--triage-budget-s S] [--triage-only]
#   --cpython   3.14 (default), 3.15, 3.13, their -debug builds, or a python3-config
#   --triage-budget-s  how long each new root cause may be minimized (default 60)
#   --triage-only      no new campaign: triage the one already in --out (after an
#                      interrupted triage, or with another budget)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ENDGAME_ROOT"

minutes=3 jobs=$(nproc) out=out seed="" cpython=${ENDGAME_CPYTHON:-3.14} triage_budget=60 triage_only=0
while (($#)); do
  case $1 in
    --minutes) minutes=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --cpython) cpython=${2:?}; shift 2 ;;
    --triage-budget-s) triage_budget=${2:?}; shift 2 ;;
    --triage-only) triage_only=1; shift ;;
    -h|--help) sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "run.sh: unknown argument '$1' (see --help)" ;;
  esac
done

scripts/bootstrap.sh
export ENDGAME_CPYTHON=$cpython
if ((triage_only)); then
  [[ -f $out/campaign.json ]] || die "run.sh --triage-only: no campaign in $out ($out/campaign.json is missing)"
  echo "Triage of the campaign in $out (no new campaign: --triage-only)"
else
  scripts/endgame doctor
  echo
  args=(--minutes "$minutes" --jobs "$jobs" --strategies all --corpus corpus --out "$out")
  [[ -n $seed ]] && args+=(--seed "$seed")
  scripts/endgame stress "${args[@]}"
fi

# The known findings (corpus/known/, each with its expect line and, once
# fixed upstream, its `# fixed-in:` line) on this CPython: still there, fixed
# here ("fixed in 3.14.10"), or not applying (`endgame known --help`).
echo
echo "Known findings on CPython $cpython:"
known_report=$(scripts/endgame known corpus/known) || true
echo "$known_report"

# Triage, one root cause at a time (campaign.json's causes): a new cause's
# first raw signature is replayed in fresh processes (k/n), minimized within
# a budget while the same cause reproduces, given its reproducers (repro.py /
# repro.c), run on every CPython here (matrix.md) and written up (report.md),
# ready to file. Known causes, documented limitations and expected outcomes
# are not triaged; the summary above lists them with their class.
mapfile -t causes < <(/usr/bin/python3 - "$out/campaign.json" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1])).get("causes", []):
    if c["class"] == "new":
        print("\t".join([c["cause"], c["folder"], c["title"]]))
PY
)
new_bugs=0 not_ready=0 replay_failed=0 affected_all=()
if ((${#causes[@]})); then
  echo
  echo "Triage of ${#causes[@]} new root cause(s) (budget ${triage_budget} s each for minimizing):"
fi
for line in "${causes[@]}"; do
  IFS=$'\t' read -r cause f title <<<"$line"
  echo "  $cause  $title"
  replay_out=$(scripts/endgame replay "$f" --runs 5 2>&1 | tr '\r' '\n') || true
  rate=$(sed -n 's/^reproduced \([0-9]*\/[0-9]*\).*/\1/p' <<<"$replay_out" | tail -n 1)
  if [[ -z $rate ]]; then
    # The replay itself failed (a build error, a missing CPython): say so, not "0/5".
    echo "    replay failed: $(grep -v '^ *$' <<<"$replay_out" | tail -n 1) (scripts/endgame --cpython $cpython replay $f)"
    replay_failed=$((replay_failed + 1))
    continue
  fi
  echo "    replayed in fresh processes: $rate (scripts/endgame --cpython $cpython replay $f)"
  if [[ $rate == 0/* ]]; then
    echo "    not minimized: it did not reproduce in fresh processes"
    continue
  fi
  scripts/endgame minimize "$f" --runs 2 --budget-s "$triage_budget" 2>/dev/null | grep '^minimized:' | sed 's/^/    /' || true
  repro_out=$(scripts/endgame repro "$f" 2>&1) || true
  if [[ ! -f $f/repro.py ]]; then
    # No plain-Python reproducer (a strategy it does not model): no matrix,
    # and nothing a core developer could run, so not ready to file.
    echo "    no reproducer: $(grep -m1 '^repro.py:' <<<"$repro_out" || tail -n 1 <<<"$repro_out")"
    scripts/endgame report "$f" >/dev/null 2>&1 && echo "    not ready to file: $f/report.md has the scenario only"
    not_ready=$((not_ready + 1))
    continue
  fi
  affected=$( (ENDGAME_CPYTHON=3.13 scripts/endgame matrix "$f" --runs 2 --timeout-s 30 2>/dev/null || true) |
    awk '/: [1-9][0-9]*\/[0-9]+/ {print $1 " " $2}' | sort -uV | paste -sd, - | sed 's/,/, /g')
  echo "    reproduces on: ${affected:-none of the CPythons here (see $f/matrix.md)}"
  if [[ -n $affected ]]; then
    new_bugs=$((new_bugs + 1))
    affected_all+=("$affected")
    scripts/endgame report "$f" >/dev/null 2>&1 && echo "    ready to file: $f/report.md ($(wc -l <"$f/report.md") lines)"
  else
    scripts/endgame report "$f" >/dev/null 2>&1 && echo "    not ready to file: its reproducer fails everywhere here ($f/report.md)"
    not_ready=$((not_ready + 1))
  fi
done

# The campaign in words.
/usr/bin/python3 - "$out/campaign.json" "$new_bugs" "$not_ready" "$(printf '%s\n' "${affected_all[@]}" | tr ',' '\n' | sed 's/^ *//' | sort -uV | paste -sd, -)" "$known_report" "$replay_failed" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
new_bugs, not_ready = int(sys.argv[2]), int(sys.argv[3])
versions, known_report, replay_failed = sys.argv[4], sys.argv[5], int(sys.argv[6])
classes = [x["class"] for x in c.get("causes", [])]
known = sum(k.startswith("known") for k in classes)
limitation = classes.count("limitation")
fixed = [l.split(": fixed in ")[1].split(" ")[0] for l in known_report.splitlines() if ": fixed in " in l]
# A new CPython bug: reproduced in fresh processes, and its reproducer on some CPython here.
words = ["%d new CPython bug%s ready to file" % (new_bugs, "" if new_bugs == 1 else "s") +
         (" (reproduce on %s)" % versions.replace(",", ", ") if new_bugs and versions else "")]
if not_ready: words.append("%d new, reproduced, not ready to file (no reproducer, or it fails everywhere here)" % not_ready)
unconfirmed = classes.count("new") - new_bugs - not_ready - replay_failed
if unconfirmed: words.append("%d new but not reproduced in fresh processes" % unconfirmed)
if replay_failed: words.append("%d new not triaged (the replay failed; see above)" % replay_failed)
if known: words.append("%d known" % known)
if fixed: words.append("%d fixed in %s" % (len(fixed), ", ".join(sorted(set(fixed)))))
if limitation: words.append("%d documented limitation%s" % (limitation, "" if limitation == 1 else "s"))
if c.get("expected"): words.append("%d expected outcome%s not counted" % (c["expected"], "" if c["expected"] == 1 else "s"))
print("\nIn short: " + ", ".join(words))
PY
