// Exec / cancel / destroy timing: scenarios made of spawn, exec, wait, cancel,
// destroy and sleep, mutated toward asynchronous destroys from every place and
// delays on steps, so a destroy lands before, during and after the work it
// tears down. Findings as in the lifecycle target.
//
//   destroy_race_fuzzer -dict=fuzz/destroy_race.dict build/fuzz/seeds/destroy_race
// or scripts/fuzz.sh destroy_race (see docs/oss-fuzz.md).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness.h"

namespace {
constexpr auto kTarget = endgame::scenario::FuzzTarget::kDestroyRace;
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
