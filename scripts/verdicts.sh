#!/usr/bin/env bash
# Runs scenarios on several CPythons and prints one markdown table: a row per
# scenario, a column per CPython, each cell the verdict `endgame run` gave
# (runs per cell with --runs; "2x ok, 1x crash SIGSEGV" when they differ).
# Rows whose verdicts differ between the CPythons are marked with "≠", and
# listed again at the end.
#
# Usage: scripts/verdicts.sh [--cpython 3.13,3.14,3.15] [--runs N] [--out FILE] FILE.scn|DIR...
#   --cpython  comma-separated SPECs of scripts/endgame (default 3.13,3.14,3.15)
#   --runs     runs per scenario and CPython (default 1)
#   --out      also write the table to FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
usage() { sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

specs=3.13,3.14,3.15 runs=1 out="" inputs=()
while (($#)); do
  case $1 in
    --cpython) specs=${2:?--cpython needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "verdicts.sh: unknown flag '$1'" ;;
    *) [[ -e $1 ]] || die "verdicts.sh: no such file or folder: $1"; inputs+=("$1"); shift ;;
  esac
done
((${#inputs[@]})) || { usage >&2; die "verdicts.sh: which scenarios?"; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "verdicts.sh: --runs must be a positive integer, not '$runs'"
IFS=, read -r -a spec_list <<<"$specs"
for s in "${spec_list[@]}"; do resolve_cpython "$s"; done   # dies on an unknown SPEC

files=()
for i in "${inputs[@]}"; do
  if [[ -d $i ]]; then mapfile -t -O "${#files[@]}" files < <(find "$i" -name '*.scn' | sort)
  else files+=("$i"); fi
done
((${#files[@]})) || die "verdicts.sh: no .scn files in ${inputs[*]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' "${files[@]}" >"$work/files"
# One endgame process tree per CPython walks all the files (inside the sid
# root for 3.14/3.15, entered once): cells go to $work/<spec>/<n>.
for s in "${spec_list[@]}"; do
  mkdir -p "$work/$s"
  note "$s: ${#files[@]} scenarios x $runs"
  ENDGAME_CPYTHON=$s "$ENDGAME_ROOT/scripts/endgame" doctor >/dev/null ||
    die "CPython $s is not usable here (scripts/endgame --cpython $s doctor)"
  resolve_cpython "$s"
  build=$ENDGAME_ROOT/build/$CPY_PRESET
  runner=()
  ((CPY_IN_ROOT)) && runner=("$ENDGAME_ROOT/scripts/lib/in-root.sh")
  "${runner[@]}" bash -c '
    n=0
    while read -r f; do
      n=$((n + 1))
      for ((r = 0; r < $3; r++)); do
        timeout 300 "$1/cli/endgame" run "$f" 2>/dev/null | sed -n "s/^verdict: //p" | head -n 1 || true
      done | sort | uniq -c | awk "{c=\$1; \$1=\"\"; sub(/^ /,\"\"); print c \"x \" \$0}" | paste -sd "," - >"$2/$n"
      printf "\r[%s] %d/%d" "$4" "$n" "$5" >&2
    done <"$2/../files"
    echo >&2' _ "$build" "$work/$s" "$runs" "$s" "${#files[@]}"
done

{
  printf '| scenario |'; printf ' %s |' "${spec_list[@]}"; printf ' |\n'
  printf '|---|'; printf -- '---|%.0s' "${spec_list[@]}"; printf -- '---|\n'
  differ=()
  for ((n = 1; n <= ${#files[@]}; n++)); do
    f=${files[n - 1]#"$ENDGAME_ROOT"/}
    cells=()
    for s in "${spec_list[@]}"; do
      c=$(cat "$work/$s/$n" 2>/dev/null)
      [[ $runs == 1 ]] && c=${c#1x }
      cells+=("${c:-?}")
    done
    mark=""
    # Verdict kinds only: a skipped cell (the scenario does not apply) differs
    # by design, details such as leak counts are compared too.
    [[ $(printf '%s\n' "${cells[@]}" | grep -v '^skipped' | sort -u | wc -l) -gt 1 ]] && { mark="≠"; differ+=("$f"); }
    printf '| %s |' "$f"; printf ' %s |' "${cells[@]}"; printf ' %s |\n' "$mark"
  done
  printf '\n%d of %d scenarios differ between %s.\n' "${#differ[@]}" "${#files[@]}" "$specs"
} | tee "${out:-/dev/null}"
