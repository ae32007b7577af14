// The scenario subcommands: print, encode, decode, check (cli/commands.h).
// Exit status: 0 success; 2 bad usage, unreadable input or a scenario error,
// which is printed as one "file:line:col: message" line on stderr.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "endgame/scenario/codec.h"
#include "endgame/scenario/fuzz_shape.h"
#include "endgame/scenario/text.h"
#include "cli/commands.h"
#include "cli/flags.h"

namespace endgame::cli {
namespace {

namespace sc = ::endgame::scenario;

// The whole file, or "-" for stdin; prints why on failure.
std::optional<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "endgame: cannot read '%s': %s\n", path.c_str(), std::strerror(errno));
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::fprintf(stderr, "endgame: cannot read '%s'\n", path.c_str());
    return std::nullopt;
  }
  return bytes;
}

// Writes `bytes` to `path` ("-" for stdout); prints why on failure.
bool WriteOutput(const std::string& path, const std::string& bytes) {
  if (path == "-") {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "endgame: cannot write '%s': %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  return true;
}

// Parses a file, printing the error line on failure.
std::optional<sc::Scenario> Load(const std::string& path) {
  std::optional<std::string> text = ReadInput(path);
  if (!text) return std::nullopt;
  absl::StatusOr<sc::Scenario> s = sc::ParseScenario(*text, path == "-" ? "<stdin>" : path);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
    return std::nullopt;
  }
  return *std::move(s);
}

}  // namespace

int Print(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("print", "FILE [-o OUT]", "print a scenario in canonical text");
  std::string file, out = "-";
  app->add_option("FILE", file, "the scenario (- for stdin)")->required();
  app->add_option("-o", out, "where to write (- for stdout)");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  std::optional<sc::Scenario> s = Load(file);
  if (!s) return 2;
  return WriteOutput(out, sc::PrintScenario(*s)) ? 0 : 2;
}

int Encode(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("encode", "FILE -o BYTES", "encode a scenario into fuzzer bytes");
  std::string file, out;
  app->add_option("FILE", file, "the scenario (- for stdin)")->required();
  app->add_option("-o", out, "the bytes' file (- for stdout)")->required();
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  std::optional<sc::Scenario> s = Load(file);
  if (!s) return 2;
  return WriteOutput(out, sc::EncodeScenario(*s)) ? 0 : 2;
}

int Decode(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("decode", "BYTES [-o OUT] [--target FUZZ_TARGET]",
                                         "decode fuzzer bytes into scenario text");
  std::string file, out = "-";
  std::string target_name;
  app->add_option("BYTES", file, "the fuzzer input (- for stdin)")->required();
  app->add_option("-o", out, "where to write (- for stdout)");
  CLI::Option* shape = app->add_option("--target", target_name,
                  "shape it as this fuzz target did before running it (lifecycle, strategy_diff, destroy_race, "
                  "interp_config)");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  sc::FuzzTarget target = sc::FuzzTarget::kLifecycle;
  if (shape->count() > 0 && !sc::ParseFuzzTarget(target_name, &target)) {
    std::fprintf(stderr, "endgame decode: unknown fuzz target '%s' (lifecycle, strategy_diff, destroy_race, interp_config)\n",
                 target_name.c_str());
    return 2;
  }
  std::optional<std::string> bytes = ReadInput(file);
  if (!bytes) return 2;
  sc::Scenario s = sc::DecodeScenario(*bytes);
  // As that fuzz target shaped it before running it.
  if (shape->count() > 0) s = sc::ShapeForFuzzing(s, target);
  return WriteOutput(out, sc::PrintScenario(s)) ? 0 : 2;
}

int Check(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("check", "FILE...", "parse and check scenarios; exit 2 with the errors");
  std::vector<std::string> files;
  app->add_option("FILE", files, "the scenarios (- for stdin)")->required();
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  int failed = 0;
  for (const std::string& path : files) {
    if (!Load(path)) ++failed;
  }
  return failed ? 2 : 0;
}

}  // namespace endgame::cli
