// File: cli/triage_args.h
//
// The triage commands' flags (replay, triage, known, minimize, repro, matrix,
// report): --name VALUE pairs and positionals, and their one-line errors.
#ifndef ENDGAME_CLI_TRIAGE_ARGS_H_
#define ENDGAME_CLI_TRIAGE_ARGS_H_

#include <map>
#include <string>
#include <vector>

namespace endgame::cli {

struct Args {
  bool help = false;  // --help or -h: the command prints its usage on stdout, exit 0
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> flags;
  std::string error;
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = flags.find(k);
    return it == flags.end() || it->second.empty() ? def : it->second.back();
  }
};

// Parses argv[1..]; a flag not in `known` is an error.
Args ParseArgs(int argc, char** argv, const std::vector<std::string>& known);

// Prints "endgame CMD: MSG" on stderr and returns `code`.
int Fail(const char* cmd, const std::string& msg, int code = 2);

// Prints `usage` on stdout and returns 0.
int Help(const char* usage);

// The integer flag `name` (default `def`) within [lo, hi]; false when it is not.
bool IntFlag(const Args& a, const std::string& name, int def, int lo, int hi, int* out);

}  // namespace endgame::cli

#endif  // ENDGAME_CLI_TRIAGE_ARGS_H_
