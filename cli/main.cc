// The endgame CLI: dispatches to one subcommand (cli/commands.h).
#include <cstdio>
#include <cstring>

#include "cli/commands.h"

namespace endgame::cli {
namespace {

// One line per subcommand; adding a command is a function and a line here.
constexpr Command kCommands[] = {
    {"doctor", "doctor [--json]", "print the embedded CPython build and its capabilities", Doctor},
    {"stress", "stress [--minutes M] [--jobs J] ...", "run a stress campaign comparing strategies", Stress},
    {"compare", "compare [--minutes M] [--strategies ...]", "benchmarks + campaign per strategy: the comparison report", Compare},
    {"run", "run FILE [--repeat N] [--json] [--in-process]", "run a scenario and give its verdict", Run},
    {"replay", "replay FILE|FINDING [--runs N]", "rerun in fresh processes; reproduction rate", Replay},
    {"triage", "triage FILE... [--runs N] [--out DIR]", "run scenarios (e.g. fuzzer artifacts) and record their findings", Triage},
    {"known", "known [DIR] [--runs N] [--json]", "known findings on this CPython: still there, fixed, or not applying", Known},
    {"minimize", "minimize FILE|FINDING", "shrink a finding's scenario while it reproduces", Minimize},
    {"repro", "repro FILE|FINDING", "write repro.py and/or repro.c", Repro},
    {"matrix", "matrix FINDING --python PATH...", "run the reproducers on several CPythons", Matrix},
    {"report", "report FINDING", "write report.md in CPython's bug report form", Report},
    {"print", "print FILE", "print a scenario in canonical text", Print},
    {"encode", "encode FILE -o BYTES", "encode a scenario into fuzzer bytes", Encode},
    {"decode", "decode BYTES [--target FUZZ_TARGET]", "decode fuzzer bytes into scenario text", Decode},
    {"check", "check FILE...", "parse and check scenarios; exit 2 with the errors", Check},
};

void Usage(std::FILE* out) {
  std::fprintf(out, "usage: endgame <command> [args]\n\ncommands:\n");
  for (const Command& c : kCommands) {
    std::fprintf(out, "  %-24s %s\n", c.usage, c.summary);
  }
}

}  // namespace
}  // namespace endgame::cli

int main(int argc, char** argv) {
  using endgame::cli::kCommands;
  if (argc < 2 || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "--help") ||
      !std::strcmp(argv[1], "help")) {
    endgame::cli::Usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const auto& c : kCommands) {
    if (!std::strcmp(argv[1], c.name)) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "endgame: unknown command '%s'\n\n", argv[1]);
  endgame::cli::Usage(stderr);
  return 2;
}
