#!/usr/bin/env bash
# The main job: sets up everything on a fresh machine (scripts/bootstrap.sh),
# builds endgame, then runs a bounded stress campaign comparing the `cache`
# and `dedicated` strategies on the default CPython, prints the summary table,
# and writes a reproducer and an upstream report draft for every finding.
#
# Usage: scripts/run.sh [--minutes M] [--jobs J] [--out DIR] [--seed S]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ENDGAME_ROOT"

minutes=3 jobs=$(nproc) out=out seed=""
while (($#)); do
  case $1 in
    --minutes) minutes=${2:?}; shift 2 ;;
    --jobs) jobs=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "run.sh: unknown argument '$1' (see --help)" ;;
  esac
done

scripts/bootstrap.sh
scripts/endgame doctor
echo
args=(--minutes "$minutes" --jobs "$jobs" --strategies cache,dedicated --corpus corpus --out "$out")
[[ -n $seed ]] && args+=(--seed "$seed")
scripts/endgame stress "${args[@]}"

shopt -s nullglob
folders=("$out"/findings/*/)
if ((${#folders[@]})); then
  echo
  echo "Reproducers and upstream report drafts:"
  for f in "${folders[@]}"; do
    f=${f%/}
    scripts/endgame repro "$f" >/dev/null || true
    scripts/endgame report "$f" >/dev/null && echo "  $f/report.md"
  done
  echo
  echo "Next: scripts/endgame minimize <finding>  (then repro, matrix --python ..., report)"
fi
