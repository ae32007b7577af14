#!/usr/bin/env bash
# The main job: sets up everything on a fresh machine (scripts/bootstrap.sh),
# builds endgame, then runs a bounded stress campaign comparing the `cache`
# and `dedicated` strategies on CPython 3.14 (the oldest bugfix branch; inside
# the sid root), prints the summary table, writes a reproducer for every
# finding, runs it on every CPython this machine has (matrix.md) and writes an
# upstream report draft, and says on which versions each finding reproduces.
#
# Usage: scripts/run.sh [--minutes M] [--jobs J] [--out DIR] [--seed S] [--cpython SPEC]
#   --cpython   3.14 (default), 3.15, 3.13, their -debug builds, or a python3-config
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ENDGAME_ROOT"

minutes=3 jobs=$(nproc) out=out seed="" cpython=${ENDGAME_CPYTHON:-3.14}
while (($#)); do
  case $1 in
    --minutes) minutes=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --cpython) cpython=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "run.sh: unknown argument '$1' (see --help)" ;;
  esac
done

scripts/bootstrap.sh
export ENDGAME_CPYTHON=$cpython
scripts/endgame doctor
echo
args=(--minutes "$minutes" --jobs "$jobs" --strategies cache,dedicated --corpus corpus --out "$out")
[[ -n $seed ]] && args+=(--seed "$seed")
scripts/endgame stress "${args[@]}"

# The known findings (corpus/known/, each with its expect line) on this
# CPython: still there, or fixed here.
echo
echo "Known findings on CPython $cpython:"
version=$(scripts/endgame doctor 2>/dev/null | awk '$1=="version" {print $2}')
for k in corpus/known/*.scn; do
  sig=$(basename "$k" .scn)
  rc=0
  res=$(scripts/endgame run "$k" 2>/dev/null) || rc=$?
  v=$(sed -n 's/^verdict: //p' <<<"$res" | head -n 1)
  want=$(sed -n 's/^expect //p' "$k")
  if [[ $v == skipped* ]]; then echo "  $sig: does not apply to $version ($v; see its requires line)"
  elif [[ -z $v ]]; then echo "  $sig: could not run (scripts/endgame run $k)"
  elif ((rc == 0)); then echo "  $sig: still reproduces on $version ($v)"
  else echo "  $sig: fixed in $version (expected $want, now $v; replay: scripts/endgame --cpython $cpython run $k)"; fi
done

shopt -s nullglob
folders=("$out"/findings/*/)
if ((${#folders[@]})); then
  echo
  echo "Reproducers and upstream report drafts:"
  for f in "${folders[@]}"; do
    f=${f%/}
    scripts/endgame repro "$f" >/dev/null || true
    # On which versions it reproduces: the reproducer on every CPython here,
    # for the findings that end the process (a hang or leak reproducer waits
    # out its timeout on every version: run `scripts/endgame matrix` for those).
    kind=$(sed -n 's/.*"verdict_kind": *"\([a-z]*\)".*/\1/p' "$f/meta.json" | head -n 1)
    case $kind in
      crash|fatal|sanitizer)
        affected=$( (ENDGAME_CPYTHON=3.13 scripts/endgame matrix "$f" --runs 2 --timeout-s 20 2>/dev/null || true) |
          awk '/: [1-9][0-9]*\/[0-9]+/ {print $1 " " $2}' | sort -uV | paste -sd, - | sed 's/,/, /g')
        where="reproduces on: ${affected:-none of the CPythons here}; $f/matrix.md" ;;
      *) where="matrix: scripts/endgame matrix $f" ;;
    esac
    scripts/endgame report "$f" >/dev/null 2>&1 && echo "  $f/report.md  ($where)"
  done
  echo
  echo "Next: scripts/endgame minimize <finding>  (then repro, matrix, report)"
fi
