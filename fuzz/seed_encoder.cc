// Turns `.scn` seeds into the byte form the engine fuzz targets read, at build
// time (fuzz/engine.cmake): seed_encoder OUT_DIR FILE.scn... writes
// OUT_DIR/<stem>.bin for each. A seed that does not parse or check fails the
// build with its file:line:col message.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "endgame/scenario/codec.h"
#include "endgame/scenario/text.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: seed_encoder OUT_DIR FILE.scn...\n");
    return 2;
  }
  const fs::path out = argv[1];
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "seed_encoder: cannot create %s: %s\n", argv[1], ec.message().c_str());
    return 2;
  }
  int failed = 0;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "seed_encoder: cannot read %s\n", argv[i]);
      ++failed;
      continue;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    absl::StatusOr<endgame::scenario::Scenario> s = endgame::scenario::ParseScenario(text, argv[i]);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
      ++failed;
      continue;
    }
    const std::string bytes = endgame::scenario::EncodeScenario(*s);
    if (endgame::scenario::DecodeScenario(bytes) != *s) {
      std::fprintf(stderr, "seed_encoder: %s does not decode back to itself\n", argv[i]);
      ++failed;
      continue;
    }
    std::ofstream o(out / (fs::path(argv[i]).stem().string() + ".bin"), std::ios::binary | std::ios::trunc);
    o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!o) {
      std::fprintf(stderr, "seed_encoder: cannot write into %s\n", argv[1]);
      ++failed;
    }
  }
  return failed ? 1 : 0;
}
