// The general lifecycle target: any scenario (every step kind, driver and
// strategy), run in-process; a hang, fatal error, crash, sanitizer report, leak
// or thread left inside an interpreter ends the input as a finding.
//
//   lifecycle_fuzzer -dict=fuzz/lifecycle.dict build/fuzz/seeds/lifecycle
// or scripts/fuzz.sh lifecycle (see docs/oss-fuzz.md).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness.h"

namespace {
constexpr auto kTarget = endgame::scenario::FuzzTarget::kLifecycle;
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
