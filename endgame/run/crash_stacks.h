// File: endgame/run/crash_stacks.h
//
// On a fatal signal (SIGABRT from Py_FatalError, SIGSEGV, ...) in a
// supervised child, dump every thread's native and Python stack to stderr
// with gdb before dying, so crash and fatal findings carry stacks too. The
// gdb command line is prepared in advance; the handler itself only uses
// async-signal-safe calls (write, fork, execvp, waitpid, raise).
#ifndef ENDGAME_RUN_CRASH_STACKS_H_
#define ENDGAME_RUN_CRASH_STACKS_H_

#include <string>

namespace endgame::run {

// The marker line written before the dump.
inline constexpr char kCrashStacksMarker[] = "@@endgame crash-stacks";

// Installs the handler for SIGABRT, and for SIGSEGV, SIGBUS, SIGFPE and SIGILL
// unless `leave_faults_to_sanitizer` (ASan/TSan report those themselves).
void InstallCrashStackDumper(const std::string& python_gdb_script, bool leave_faults_to_sanitizer);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_CRASH_STACKS_H_
