// `endgame run FILE [--repeat N] [--json] [--in-process]`: runs one scenario
// against the embedded CPython and says what happened. By default the
// scenario runs in a supervised child process (fatal errors and crashes
// become verdicts); --in-process runs it here, for debugging.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "endgame/base/subprocess.h"
#include "endgame/py/capabilities.h"
#include "endgame/run/child_protocol.h"
#include "endgame/run/conductor.h"
#include "endgame/run/crash_stacks.h"
#include "endgame/run/embedded.h"
#include "endgame/run/supervise.h"
#include "endgame/scenario/text.h"
#include "cli/commands.h"
#include "cli/flags.h"

namespace endgame::cli {
namespace {

struct Flags {
  std::string file;
  int repeat = 1;
  bool json = false;
  bool in_process = false;
  bool child = false;
};

void PrintStepLine(const run::StepRecord& s) {
  if (s.index < 0) {
    std::printf("[%9.1f ms] -- %-44s %s (%.1f ms)\n", s.start_us / 1000.0, s.kind.c_str(), s.status.c_str(),
                s.duration_us / 1000.0);
    return;
  }
  std::string dur = s.duration_us >= 0 ? absl::StrCat(" (", s.duration_us / 1000.0, " ms)") : "";
  std::printf("[%9.1f ms] #%-2d %-44s %s%s\n", s.start_us / 1000.0, s.index, s.text.c_str(), s.status.c_str(),
              dur.c_str());
}

void PrintHuman(const run::RunResult& r, const std::string& file, bool steps) {
  if (steps) {
    for (const run::StepRecord& s : r.steps) PrintStepLine(s);
  }
  std::printf("\nverdict: %s\n", r.verdict.ToString().c_str());
  if (!r.signature.empty()) std::printf("signature: %s\n", r.signature.c_str());
  if (!r.expected_reason.empty()) {
    std::printf("class: expected (not a finding): %s\n", r.expected_reason.c_str());
  }
  if (!r.guilty_step.empty()) {
    std::printf("step: #%d %s%s\n", r.guilty_index, r.guilty_step.c_str(),
                r.guilty_thread.empty() ? "" : absl::StrCat(" on ", r.guilty_thread).c_str());
  }
  if (!r.expected.empty()) {
    std::printf("expected: %s (%s)\n", r.expected.c_str(), r.expectation_met ? "met" : "NOT met");
  }
  std::printf("python: %s\n", r.python.c_str());
  if (!r.oracles.empty()) {
    std::printf("oracles:\n");
    for (const run::OracleRecord& o : r.oracles) {
      std::printf("  %-14s %12lld -> %-12lld delta %+lld%s%s%s\n", o.name.c_str(), (long long)o.before,
                  (long long)o.after, (long long)o.delta, o.leak ? "  LEAK" : "", o.detail.empty() ? "" : "  ",
                  o.detail.c_str());
    }
  }
  if (!r.stacks.empty()) std::printf("stacks:\n%s\n", r.stacks.c_str());
  if (r.verdict.kind != run::VerdictKind::kOk && r.verdict.kind != run::VerdictKind::kSkipped) {
    std::printf("replay: endgame run %s\n", file.c_str());
  }
}

int ExitStatus(const run::RunResult& r) {
  if (!r.expected.empty()) return r.expectation_met ? 0 : 1;
  return r.verdict.kind == run::VerdictKind::kOk || r.verdict.kind == run::VerdictKind::kSkipped ? 0 : 1;
}

int RunHere(const Flags& f, const scenario::Scenario& s) {
  absl::StatusOr<py::Capabilities> caps = run::PrepareEmbedded({});
  if (!caps.ok()) {
    std::fprintf(stderr, "endgame run: %s\n", std::string(caps.status().message()).c_str());
    return 1;
  }
  const std::string gdb_script = caps->gdb_script;
  if (f.child) {
    run::InstallCrashStackDumper(gdb_script, caps->asan || caps->tsan);
    std::fputs(run::PythonLine(caps->version, caps->build).c_str(), stdout);
    std::fflush(stdout);
  }

  run::RunOptions o;
  o.python_gdb_script = gdb_script;
  o.repeat = f.repeat;
  o.on_step = [&f](const run::StepRecord& r) {
    if (f.child) {
      // start lines carry the step's text, end lines its status.
      // On stdout: CPython writes its fatal errors to stderr, in pieces, and
      // a step line must never land inside one.
      std::fputs(run::StepLine(r).c_str(), stdout);
      std::fflush(stdout);
    } else if (!f.json && r.duration_us >= 0) {
      PrintStepLine(r);
      std::fflush(stdout);
    }
  };
  o.on_note = [&f](const std::string& note) {
    if (!f.child) return;
    std::fputs(run::NoteLine(note).c_str(), stdout);
    std::fflush(stdout);
  };
  auto report = [&f](const run::RunResult& r) {
    if (f.child) {
      std::fputs(run::ResultLine(r).c_str(), stdout);
    } else if (f.json) {
      std::printf("%s\n", run::ToJson(r).c_str());
    } else {
      PrintHuman(r, f.file, false);
    }
    std::fflush(stdout);
    std::fflush(stderr);
  };
  // `exit`: the process ends with the step's status, and a supervisor
  // judges how it ended (run/supervise.h, ResultFromChild).
  o.on_exit = [&f](int status) {
    if (!f.child) std::printf("exit: Py_FinalizeEx returned; the process ends with status %d\n", status);
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(status);
  };
  o.on_hang = [&](const run::RunResult& r) {
    report(r);
    _exit(f.child ? 3 : ExitStatus(r));  // the stuck thread cannot be unwound
  };
  run::RunResult r = run::RunScenario(s, o);
  report(r);
  // Threads may still run inside interpreters: no finalization, no unwinding.
  _exit(f.child ? 0 : ExitStatus(r));
}

}  // namespace

int Run(int argc, char** argv) {
  std::unique_ptr<CLI::App> app = NewApp("run", "FILE [--repeat N] [--json] [--in-process]",
                                         "run a scenario and give its verdict");
  Flags f;
  app->add_option("FILE", f.file, "the scenario (.scn)")->required();
  app->add_option("--repeat", f.repeat, "run the scenario's steps N times in one process")
      ->check(CLI::Range(1, 100000));
  app->add_flag("--json", f.json, "print the result as one JSON object");
  app->add_flag("--in-process", f.in_process, "run here, not in a supervised child (for debugging)");
  // The supervised child's side of the child protocol (run/supervise.h).
  app->add_flag("--child", f.child)->group("");
  if (int done = Parse(*app, argc, argv); done >= 0) return done;
  std::ifstream in(f.file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "endgame run: cannot read %s: %s\n", f.file.c_str(), std::strerror(errno));
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text.str(), f.file);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.status().message()).c_str());
    return 2;
  }
  if (f.in_process || f.child) return RunHere(f, *s);

  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) {
    std::fprintf(stderr, "endgame run: %s\n", exe.status().ToString().c_str());
    return 1;
  }
  run::SuperviseOptions so;
  so.exe = *exe;
  so.repeat = f.repeat;
  absl::StatusOr<run::RunResult> r = run::RunSupervised(f.file, *s, so);
  if (!r.ok()) {
    std::fprintf(stderr, "endgame run: cannot run the child: %s\n", r.status().ToString().c_str());
    return 1;
  }
  if (f.json) {
    std::printf("%s\n", run::ToJson(*r).c_str());
  } else {
    PrintHuman(*r, f.file, true);
  }
  return ExitStatus(*r);
}

}  // namespace endgame::cli
