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

namespace endgame::cli {
namespace {

namespace sc = ::endgame::scenario;

int Usage(const char* usage) {
  std::fprintf(stderr, "usage: endgame %s\n", usage);
  return 2;
}

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

// Splits argv into positional arguments, an optional "-o PATH" and an
// optional "--target NAME" (decode only).
struct Args {
  std::vector<std::string> positional;
  std::optional<std::string> output;
  std::optional<std::string> target;
  bool ok = true;
};

Args SplitArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-o") {
      if (i + 1 >= argc || a.output) {
        a.ok = false;
        break;
      }
      a.output = argv[++i];
    } else if (arg == "--target") {
      if (i + 1 >= argc || a.target) {
        a.ok = false;
        break;
      }
      a.target = argv[++i];
    } else if (arg.size() > 1 && arg[0] == '-') {
      a.ok = false;
      break;
    } else {
      a.positional.push_back(arg);
    }
  }
  return a;
}

}  // namespace

int Print(int argc, char** argv) {
  Args a = SplitArgs(argc, argv);
  if (!a.ok || a.target || a.positional.size() != 1) return Usage("print FILE [-o OUT]");
  std::optional<sc::Scenario> s = Load(a.positional[0]);
  if (!s) return 2;
  return WriteOutput(a.output.value_or("-"), sc::PrintScenario(*s)) ? 0 : 2;
}

int Encode(int argc, char** argv) {
  Args a = SplitArgs(argc, argv);
  if (!a.ok || a.target || a.positional.size() != 1 || !a.output) return Usage("encode FILE -o BYTES");
  std::optional<sc::Scenario> s = Load(a.positional[0]);
  if (!s) return 2;
  return WriteOutput(*a.output, sc::EncodeScenario(*s)) ? 0 : 2;
}

int Decode(int argc, char** argv) {
  Args a = SplitArgs(argc, argv);
  if (!a.ok || a.positional.size() != 1) return Usage("decode BYTES [-o OUT] [--target FUZZ_TARGET]");
  sc::FuzzTarget target = sc::FuzzTarget::kLifecycle;
  if (a.target && !sc::ParseFuzzTarget(*a.target, &target)) {
    std::fprintf(stderr, "endgame decode: unknown fuzz target '%s' (lifecycle, strategy_diff, destroy_race, interp_config)\n",
                 a.target->c_str());
    return 2;
  }
  std::optional<std::string> bytes = ReadInput(a.positional[0]);
  if (!bytes) return 2;
  sc::Scenario s = sc::DecodeScenario(*bytes);
  // As that fuzz target shaped it before running it.
  if (a.target) s = sc::ShapeForFuzzing(s, target);
  return WriteOutput(a.output.value_or("-"), sc::PrintScenario(s)) ? 0 : 2;
}

int Check(int argc, char** argv) {
  Args a = SplitArgs(argc, argv);
  if (!a.ok || a.target || a.output || a.positional.empty()) return Usage("check FILE...");
  int failed = 0;
  for (const std::string& path : a.positional) {
    if (!Load(path)) ++failed;
  }
  return failed ? 2 : 0;
}

}  // namespace endgame::cli
