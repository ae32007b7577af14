// Fuzzes the byte codec and the structural mutator. For any bytes: the
// decoded scenario respects every bound and passes CheckScenario; decoding is
// deterministic; decode(encode(decode(x))) == decode(x); it prints and parses
// back to itself; and a mutation of it is valid and round-trips too.
//
// The custom mutator alternates structural mutation (MutateBytes) with
// libFuzzer's own byte mutations, so the decoder keeps seeing arbitrary bytes.
//
//   scenario_bytes_fuzzer -jobs=1 -workers=1 corpus-bytes/
#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <string>

#include "endgame/base/check.h"
#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/mutator.h"
#include "endgame/scenario/text.h"

namespace sc = ::endgame::scenario;

namespace {

void CheckBounds(const sc::Scenario& s, size_t input_size) {
  int spawns = 0, queues = 0;
  std::set<std::string> tasks;
  auto bounded = [&](const std::string& str) {
    // Strings come from the input, except the defaults of module=, exc= and msg=.
    return str.size() <= static_cast<size_t>(sc::kMaxStringLength) &&
           (str.size() <= input_size || str == "json" || str == "RuntimeError" || str == "endgame");
  };
  ENDGAME_CHECK(bounded(s.name));
  ENDGAME_CHECK(!s.expect || bounded(s.expect->detail));
  ENDGAME_CHECK(s.steps.size() <= static_cast<size_t>(sc::kMaxSteps));
  for (const sc::Step& st : s.steps) {
    spawns += st.kind == sc::StepKind::kSpawn;
    queues += st.kind == sc::StepKind::kQueue;
    if (!st.task.empty()) tasks.insert(st.task);
    ENDGAME_CHECK(bounded(st.snippet.text));
    ENDGAME_CHECK(bounded(st.value.text));
    ENDGAME_CHECK(st.maxsize >= 0 && st.maxsize <= sc::kMaxQueueSize);
  }
  ENDGAME_CHECK(spawns <= sc::kMaxSpawns);
  ENDGAME_CHECK(queues <= sc::kMaxQueues);
  ENDGAME_CHECK(tasks.size() <= static_cast<size_t>(sc::kMaxTasks));
}

void CheckRoundTrips(const sc::Scenario& s) {
  ENDGAME_CHECK(sc::CheckScenario(s).ok()) << sc::CheckScenario(s);
  const std::string bytes = sc::EncodeScenario(s);
  const sc::Scenario back = sc::DecodeScenario(bytes);
  ENDGAME_CHECK(back == s) << sc::PrintScenario(s) << "---\n" << sc::PrintScenario(back);
  ENDGAME_CHECK(sc::EncodeScenario(back) == bytes);
  const std::string text = sc::PrintScenario(s);
  absl::StatusOr<sc::Scenario> parsed = sc::ParseScenario(text, "decoded");
  ENDGAME_CHECK(parsed.ok()) << parsed.status() << "\n" << text;
  ENDGAME_CHECK(*parsed == s) << text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const sc::Scenario s = sc::DecodeScenario(data, size);
  CheckBounds(s, size);
  ENDGAME_CHECK(sc::DecodeScenario(data, size) == s);
  CheckRoundTrips(s);
  std::mt19937_64 rng(size);
  CheckRoundTrips(sc::Mutate(s, rng));
  return 0;
}

// libFuzzer's byte mutator; weak so that builds without libFuzzer link.
extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size,
                                                         size_t max_size);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned seed) {
  if (LLVMFuzzerMutate && seed % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  return sc::MutateBytes(data, size, max_size, seed);
}
