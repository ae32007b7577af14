#!/usr/bin/env bash
# scripts/fuzz.sh finds the known "not the last thread" fatal error again
# from its seed within seconds, and triage reports its signature and stacks.
# Usage: fuzz_sh_refind_test.sh REPO_ROOT
set -euo pipefail
root=$(cd "${1:?usage: fuzz_sh_refind_test.sh REPO_ROOT}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/endgame-refind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
seed=$root/corpus/known/43bb4dc142e2-not-the-last-thread.scn
"$root/scripts/fuzz.sh" lifecycle --seconds 20 --jobs 1 --cpython release --seeds "$seed" --out "$tmp/out" >"$tmp/log" 2>&1 ||
  { cat "$tmp/log"; echo "FAIL: fuzz.sh failed"; exit 1; }
cat "$tmp/log"
first=$(sed -n 's/.*first artifact after \([0-9]*\) s.*/\1/p' "$tmp/log")
[[ -n $first ]] || { echo "FAIL: no artifact"; exit 1; }
((first <= 15)) || { echo "FAIL: first artifact after $first s"; exit 1; }
grep -q '\[43bb4dc142e2\]' "$tmp/log" || { echo "FAIL: triage did not report signature 43bb4dc142e2"; exit 1; }
[[ -s $tmp/out/findings/43bb4dc142e2/stacks.txt ]] || { echo "FAIL: no stacks.txt in the finding"; exit 1; }
grep -q 'Py_EndInterpreter' "$tmp/out/findings/43bb4dc142e2/stacks.txt" ||
  { echo "FAIL: the finding's stacks do not show Py_EndInterpreter"; exit 1; }
echo "ok: found again after $first s"
