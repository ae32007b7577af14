#!/usr/bin/env bash
# Runs every test: bootstraps when needed (the sid root for 3.14/3.15
# included), then configures, builds and runs ctest on the default CPython
# 3.13 (release) and on CPython 3.14 and 3.15 (release, inside the sid root),
# plus the runtime tests against the other builds of the matrix (the debug
# variants and Debian's CPython 3.11). Ends with one line "N passed, N failed";
# exits non-zero on any failure. Each lane prints its time. A failed test
# runs once more alone (as CPython's regrtest -w does): passing then, it is
# counted passed and named as flaky, with its first failure's output, at the
# end; failing again, it is a failure, named at the end.
#
# Usage: scripts/test.sh [--quick] [--only "PRESET..."]
#   --quick   only the default build (ci)
#   --only    only these lanes (presets: ci ci-debug py311 py314 py315
#             py314-debug py315-debug)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ENDGAME_ROOT"

quick=0 only=""
while (($#)); do
  case $1 in
    --quick) quick=1; shift ;;
    --only) only=" ${2:?--only needs a list of presets} "; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "test.sh: unknown argument '$1' (see --help)" ;;
  esac
done
if ((quick)); then scripts/bootstrap.sh --no-rootfs; else scripts/bootstrap.sh; fi || die "bootstrap failed"

passed=0 failed=0 skipped=0 broken=() flaky=() failures=()
# flaky_log PRESET TEST: where a flaky test's first failure is kept.
flaky_log() { echo "build/$1.flaky.$(tr -c 'A-Za-z0-9_.-' _ <<<"$2").log"; }
# run_tree PRESET TARGETS [ctest args...]: configure, build TARGETS ("all"
# for everything), test; adds to the counts.
run_tree() {
  local preset=$1 targets=$2; shift 2
  [[ -n $only && $only != *" $preset "* ]] && return 0
  local log=build/$preset.ctest.log build_args=() start=$SECONDS in_root=()
  # The 3.14/3.15 lanes build and run inside the sid root.
  [[ $preset == py31[45]* ]] && in_root=(scripts/lib/in-root.sh)
  [[ $targets != all ]] && for t in $targets; do build_args+=(--target "$t"); done
  note "== $preset: configure + build"
  if ! "${in_root[@]}" cmake --preset "$preset" >/dev/null ||
     ! "${in_root[@]}" cmake --build --preset "$preset" "${build_args[@]}"; then
    broken+=("$preset (build)")
    failed=$((failed + 1))
    return
  fi
  note "== $preset: test $*"
  "${in_root[@]}" ctest --preset "$preset" -j"$(nproc)" "$@" 2>&1 | tee "$log"
  note "== $preset: $((SECONDS - start)) s"
  local line total nfail
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -n 1)
  if [[ -z $line ]]; then
    broken+=("$preset (no ctest summary)")
    failed=$((failed + 1))
    return
  fi
  nfail=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  if ((nfail)); then
    # As CPython's regrtest does (-w): a failed test runs once more, alone.
    # One that passes then is counted passed but named as flaky at the end,
    # with its first failure's output; one that fails again is a failure.
    local first=build/$preset.failed-first.log name
    cp "build/$preset/Testing/Temporary/LastTest.log" "$first" 2>/dev/null
    mapfile -t names < <(awk '/^The following tests FAILED:/ {p=1; next} p && /^[[:space:]]+[0-9]+ - / {sub(/^[[:space:]]+[0-9]+ - /, ""); sub(/ \([^()]*\)$/, ""); print; next} {p=0}' "$log")
    note "== $preset: running the ${#names[@]} failed test(s) again"
    "${in_root[@]}" ctest --preset "$preset" --rerun-failed --output-on-failure 2>&1 | tee "$log.rerun"
    for name in "${names[@]}"; do
      if grep -F " $name " "$log.rerun" | grep -qE 'Test +#[0-9]+: .* Passed'; then
        flaky+=("$preset: $name")
        nfail=$((nfail - 1))
        # Its first failure's output, kept for the summary.
        awk -v n="$name" '!p { k = index($0, " Test: "); if (k && substr($0, k + 7) == n) p = 1 } p {print} p && /^<end of output>/ {exit}' "$first" |
          tail -n 25 >"$(flaky_log "$preset" "$name")"
      else
        failures+=("$preset: $name")
      fi
    done
  fi
  # Skipped: tests whose scenario does not apply to this CPython (its
  # `requires` line), or whose tool is missing; counted apart from passes.
  nskip=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*Skipped' "$log" || true)
  passed=$((passed + total - nfail - nskip))
  skipped=$((skipped + nskip))
  failed=$((failed + nfail))
  ((nfail)) && broken+=("$preset ($nfail failed)")
}

run_tree ci all
if ((!quick)) || [[ -n $only ]]; then
  # The runtime tests against the other CPythons of the matrix.
  run_tree ci-debug "py_runtime_test endgame version_table_test strategy_table_test surface_table_test" -L runtime
  run_tree py311 "py_runtime_test endgame version_table_test strategy_table_test surface_table_test" -L runtime
  # The bugfix branches: everything on release, the runtime and version-table
  # tests on debug (asserts on).
  # (-LE slow: the OSS-Fuzz build and the fuzz.sh refind test build the 3.13
  # source CPython and run on the host; the ci lane has them.)
  run_tree py314 all -LE slow
  run_tree py315 all -LE slow
  run_tree py314-debug "py_runtime_test endgame version_table_test strategy_table_test surface_table_test" -L runtime
  run_tree py315-debug "py_runtime_test endgame version_table_test strategy_table_test surface_table_test" -L runtime
fi
for t in "${flaky[@]}"; do
  note "flaky (failed, then passed alone): $t; its first failure:"
  f=${t%%:*} n=${t#*: }
  sed 's/^/    /' "$(flaky_log "$f" "$n")" 2>/dev/null
done
for t in "${failures[@]}"; do note "failed: $t"; done
((${#broken[@]})) && note "failures in: ${broken[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
