// Interpreter configurations: every base and flag combination (gil=, obmalloc=,
// threads=, daemon_threads=, fork=, exec=, check_extensions=), invalid ones
// included, each spawned, given work and destroyed. A rejected config must be
// a clean error (verdict error or a failed spawn); anything worse is a finding.
//
//   interp_config_fuzzer -dict=fuzz/interp_config.dict build/fuzz/seeds/interp_config
// or scripts/fuzz.sh interp_config (see docs/oss-fuzz.md).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness.h"

namespace {
constexpr auto kTarget = endgame::scenario::FuzzTarget::kInterpConfig;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  endgame::fuzz::Initialize(argc, argv, kTarget);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  endgame::fuzz::RunAndJudge(endgame::fuzz::Decode(data, size));
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  return endgame::fuzz::CustomMutator(data, size, max_size, seed);
}
