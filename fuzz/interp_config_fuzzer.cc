// Interpreter configurations: every base and flag combination (gil=, obmalloc=,
// threads=, daemon_threads=, fork=, exec=, check_extensions=), invalid ones
// included, each spawned, given work and destroyed. A rejected config must be
// a clean error (verdict error or a failed spawn); anything worse is a finding.
//
//   interp_config_fuzzer -dict=fuzz/interp_config.dict build/fuzz/seeds/interp_config
// or scripts/fuzz.sh interp_config (see docs/oss-fuzz.md).
#include "fuzz/harness.h"

ENDGAME_FUZZ_ENTRY_POINTS(kInterpConfig)
ENDGAME_FUZZ_RUN_EACH_INPUT()
