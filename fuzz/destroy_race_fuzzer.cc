// Exec / cancel / destroy timing: every step but gc (spawn, exec, wait, cancel,
// destroy, sleep, and queue and channel traffic, close, share and call),
// mutated toward asynchronous destroys from every place and delays on steps,
// so a destroy lands before, during and after the work it tears down.
// Findings as in the lifecycle target.
//
//   destroy_race_fuzzer -dict=fuzz/destroy_race.dict build/fuzz/seeds/destroy_race
// or scripts/fuzz.sh destroy_race (see docs/oss-fuzz.md).
#include "fuzz/harness.h"

ENDGAME_FUZZ_ENTRY_POINTS(kDestroyRace)
ENDGAME_FUZZ_RUN_EACH_INPUT()
