#!/usr/bin/env bash
# `scripts/endgame matrix` with no --python, on the known NUL-message finding
# (ef065c40acc6): every CPython this machine has gets a row; the release builds
# of 3.13.15, 3.14 and 3.15 (when the sid root exists) are affected, 3.13.0
# (pyenv, when present) is not, and no row shows a leak the reproducer caused;
# the engine of this build reproduces it too.
# Usage: matrix_versions_test.sh REPO_ROOT ENDGAME_BIN
set -euo pipefail
root=$(cd "${1:?usage: matrix_versions_test.sh REPO_ROOT ENDGAME_BIN}" && pwd)
bin=${2:?usage: matrix_versions_test.sh REPO_ROOT ENDGAME_BIN}
source "$root/scripts/lib/common.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/endgame-matrix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/matrix.log" 2>/dev/null; exit 1; }

"$bin" triage "$root/corpus/known/ef065c40acc6-exception-message-with-nul.scn" --runs 2 \
  --out "$tmp/findings" --known "$tmp/none" >"$tmp/triage.log" 2>&1 || { cat "$tmp/triage.log"; fail "triage"; }
f=$(find "$tmp/findings" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[[ -n $f ]] || fail "no finding folder"
"$bin" repro "$f" >/dev/null || fail "repro"
lines=$(grep -cv '^#' "$f/repro.py")
((lines <= 6)) || fail "repro.py has $lines lines of code (at most 6)"
# The engine rows: the endgames already built (this lane's, at least).
ENDGAME_MATRIX_ENGINES=built ENDGAME_CPYTHON=3.13 "$root/scripts/endgame" matrix "$f" --runs 2 >"$tmp/matrix.log" 2>&1 || fail "matrix"
cat "$f/matrix.md"
row() { grep -E "^\| $1 \| $2 \| ${3:-repro.py} \|" "$f/matrix.md" || true; }
affected() {  # affected VERSION [REPRODUCER]
  local r; r=$(row "$1" release "${2:-repro.py}")
  [[ -n $r ]] || fail "no ${2:-repro.py} row for $1 release"
  [[ $r =~ \|\ [1-9][0-9]*/[0-9]+\ \| ]] || fail "$1 release is not affected: $r"
}
affected 3.13.15
affected 3.13.15 engine
if [[ -f $ENDGAME_ROOTFS/.endgame-rootfs ]]; then
  affected 3.14.10
  affected 3.15.2
  n=$(grep -cE '^\| 3\.1[345]\.[0-9]+ \| (release|debug) \| repro\.py \|' "$f/matrix.md")
  ((n >= 6)) || fail "expected the six builds 3.13/3.14/3.15 x release/debug, found $n rows"
fi
pyenv313=${PYENV_ROOT:-$HOME/.pyenv}/versions/3.13.0/bin/python3.13
if [[ -x $pyenv313 ]]; then
  r=$(row 3.13.0 release)
  [[ $r == *"| 0/2 (not affected or fixed) |"* ]] || fail "3.13.0 should be not affected: $r"
fi
! grep -q 'leak' "$f/matrix.md" || fail "a row shows a leak"
echo "ok"
