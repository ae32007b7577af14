// File: cli/flags.h
//
// Every command's flags are CLI11 (CLI/CLI.hpp, Debian's libcli11-dev): a
// command makes its App with NewApp(), declares its flags with their types,
// defaults and ranges, and calls Parse(). `--help` / `-h` prints
//   usage: endgame NAME USAGE
//     SUMMARY
// and then every flag with its type and default, on stdout (exit 0); a bad
// flag or value prints "endgame NAME: <what is wrong>" and the usage line on
// stderr (exit 2).
//
// Example:
//   std::unique_ptr<CLI::App> app = NewApp("doctor", "[--json]", "print the embedded CPython");
//   bool json = false;
//   app->add_flag("--json", json, "one JSON object");
//   if (int done = Parse(*app, argc, argv); done >= 0) return done;
#ifndef ENDGAME_CLI_FLAGS_H_
#define ENDGAME_CLI_FLAGS_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"

namespace endgame::cli {

// NewApp() is the App of `endgame NAME`; USAGE is its one-line synopsis after
// the name ("FILE [--repeat N] [--json]"), SUMMARY one line on what it does.
// A flag given twice keeps its last value.
std::unique_ptr<CLI::App> NewApp(const char* name, const char* usage, const char* summary);

// Parse() parses argv[1..] (argv[0] is the command's name): -1 to go on, or
// the exit status when the command is done (0 after --help, 2 after an error).
int Parse(CLI::App& app, int argc, char** argv);

// UsageLine() is "usage: endgame NAME USAGE\n".
std::string UsageLine(const CLI::App& app);

// Fail() prints "endgame CMD: MSG" on stderr and returns `code`.
int Fail(const char* cmd, const std::string& msg, int code = 2);

}  // namespace endgame::cli

#endif  // ENDGAME_CLI_FLAGS_H_
