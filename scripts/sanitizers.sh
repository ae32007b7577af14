#!/usr/bin/env bash
# The harness under ASan+UBSan and TSan: builds the `asan` and `tsan` presets
# (clang; endgame instrumented, the default CPython not) and runs the engine's
# end-to-end tests of the `dedicated` strategy, the correct one, in each. Any
# sanitizer report in endgame's own code fails the run (halt_on_error=1; a
# report in a supervised child becomes a `sanitizer` verdict and fails the
# test). Not part of scripts/test.sh: each lane is a full clang build.
#
# Usage: scripts/sanitizers.sh [asan] [tsan]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ENDGAME_ROOT"
lanes=("$@")
((${#lanes[@]})) || lanes=(asan tsan)
filter='*Dedicated*:*Busy*:*Oracle*:*LockWait*:*Clean*'
for lane in "${lanes[@]}"; do
  case $lane in
    asan) export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ;;
    tsan) export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ;;
    *) die "unknown lane '$lane' (asan|tsan)" ;;
  esac
  note "== $lane: build"
  cmake --preset "$lane" >/dev/null
  cmake --build "build/$lane" --target endgame engine_test py_runtime_test
  note "== $lane: test"
  "build/$lane/tests/py_runtime_test"
  "build/$lane/tests/engine_test" --gtest_filter="$filter"
done
