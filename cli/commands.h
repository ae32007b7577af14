// File: cli/commands.h
//
// The endgame CLI's subcommands. Each is a function taking the arguments after
// its name (argv[0] is the subcommand) and returning the process exit status:
// 0 success, 1 a finding or failed run, 2 bad usage or bad input.
// Flags are parsed here, in the commands, with CLI11 (cli/flags.h), and each
// answers --help / -h; the library takes option structs.
#ifndef ENDGAME_CLI_COMMANDS_H_
#define ENDGAME_CLI_COMMANDS_H_

namespace endgame::cli {

struct Command {
  const char* name;
  const char* usage;    // one line: "doctor [--json]"
  const char* summary;  // one line: what it does
  int (*run)(int argc, char** argv);
};

// Defined in cmd_compare.cc.
int Compare(int argc, char** argv);
// Defined in cmd_doctor.cc.
int Doctor(int argc, char** argv);
// Defined in cmd_stress.cc.
int Stress(int argc, char** argv);
// Defined in cmd_replay.cc, cmd_triage.cc, cmd_known.cc, cmd_minimize.cc,
// cmd_repro.cc, cmd_matrix.cc and cmd_report.cc.
int Replay(int argc, char** argv);
int Triage(int argc, char** argv);
int Known(int argc, char** argv);
int Minimize(int argc, char** argv);
int Repro(int argc, char** argv);
int Matrix(int argc, char** argv);
int Report(int argc, char** argv);
// Defined in cmd_run.cc.
int Run(int argc, char** argv);
// Defined in cmd_scenario.cc.
int Print(int argc, char** argv);
int Encode(int argc, char** argv);
int Decode(int argc, char** argv);
int Check(int argc, char** argv);

}  // namespace endgame::cli

#endif  // ENDGAME_CLI_COMMANDS_H_
