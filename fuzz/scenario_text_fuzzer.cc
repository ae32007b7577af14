// Fuzzes the `.scn` parser: any text either parses to a valid scenario that
// prints, re-parses, encodes and decodes to itself, or fails with exactly one
// line "fuzz.scn:LINE:COL: message" pointing inside the input.
//
//   scenario_text_fuzzer -dict=fuzz/scenario_text.dict corpus/scenario
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "endgame/base/check.h"
#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/text.h"

namespace sc = ::endgame::scenario;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<sc::Scenario> s = sc::ParseScenario(text, "fuzz.scn");
  if (!s.ok()) {
    const std::string m(s.status().message());
    ENDGAME_CHECK(s.status().code() == absl::StatusCode::kInvalidArgument) << m;
    ENDGAME_CHECK(m.rfind("fuzz.scn:", 0) == 0) << m;
    ENDGAME_CHECK(m.find('\n') == std::string::npos) << m;
    // The position is inside the input: 1 <= line <= number of lines.
    char* end = nullptr;
    long line = std::strtol(m.c_str() + 9, &end, 10);
    long lines = 1;
    for (char c : text) lines += c == '\n';
    ENDGAME_CHECK(line >= 1 && line <= lines && *end == ':') << m;
    long col = std::strtol(end + 1, &end, 10);
    ENDGAME_CHECK(col >= 1 && *end == ':') << m;
    return 0;
  }
  ENDGAME_CHECK(sc::CheckScenario(*s).ok()) << sc::CheckScenario(*s);
  const std::string printed = sc::PrintScenario(*s);
  absl::StatusOr<sc::Scenario> again = sc::ParseScenario(printed, "printed");
  ENDGAME_CHECK(again.ok()) << again.status() << "\n" << printed;
  ENDGAME_CHECK(*again == *s) << printed;
  ENDGAME_CHECK(sc::PrintScenario(*again) == printed) << printed;
  ENDGAME_CHECK(sc::DecodeScenario(sc::EncodeScenario(*s)) == *s) << printed;
  return 0;
}
