// The general lifecycle target: any scenario (every step kind, driver and
// strategy), run in-process; a hang, fatal error, crash, sanitizer report, leak
// or thread left inside an interpreter ends the input as a finding.
//
//   lifecycle_fuzzer -dict=fuzz/lifecycle.dict build/fuzz/seeds/lifecycle
// or scripts/fuzz.sh lifecycle (see docs/oss-fuzz.md).
#include "fuzz/harness.h"

ENDGAME_FUZZ_ENTRY_POINTS(kLifecycle)
ENDGAME_FUZZ_RUN_EACH_INPUT()
