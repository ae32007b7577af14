#!/usr/bin/env bash
# Runs every test: bootstraps when needed (the sid root for 3.14/3.15
# included), then configures, builds and runs ctest on the default CPython
# 3.13 (release) and on CPython 3.14 and 3.15 (release, inside the sid root),
# plus the runtime tests against the other builds of the matrix (the debug
# variants and Debian's CPython 3.11). Ends with one line "N passed, N failed";
# exits non-zero on any failure. Each lane prints its time.
#
# Usage: scripts/test.sh [--quick]   (--quick: only the default build)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ENDGAME_ROOT"

quick=0
[[ ${1:-} == --quick ]] && quick=1
if ((quick)); then scripts/bootstrap.sh --no-rootfs; else scripts/bootstrap.sh; fi || die "bootstrap failed"

passed=0 failed=0 broken=()
# run_tree PRESET TARGETS [ctest args...]: configure, build TARGETS ("all"
# for everything), test; adds to the counts.
run_tree() {
  local preset=$1 targets=$2; shift 2
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
  passed=$((passed + total - nfail))
  failed=$((failed + nfail))
  ((nfail)) && broken+=("$preset ($nfail failed)")
}

run_tree ci all
if ((!quick)); then
  # The runtime tests against the other CPythons of the matrix.
  run_tree ci-debug "py_runtime_test endgame version_table_test" -L runtime
  run_tree py311 "py_runtime_test endgame version_table_test" -L runtime
  # The bugfix branches: everything on release, the runtime and version-table
  # tests on debug (asserts on).
  run_tree py314 all
  run_tree py315 all
  run_tree py314-debug "py_runtime_test endgame version_table_test" -L runtime
  run_tree py315-debug "py_runtime_test endgame version_table_test" -L runtime
fi
((${#broken[@]})) && note "failures in: ${broken[*]}"
echo "$passed passed, $failed failed"
((failed == 0))
