#include "endgame/report/repro_run.h"

#include <unistd.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "endgame/base/classify.h"
#include "endgame/base/subprocess.h"
#include "endgame/report/repro.h"
#include "endgame/run/compose_verdict.h"
#include "endgame/run/snippet_source.h"

namespace endgame::report {
namespace {

absl::StatusOr<std::string> Capture(std::vector<std::string> argv) {
  ChildOptions o;
  o.argv = std::move(argv);
  o.timeout = absl::Seconds(120);
  absl::StatusOr<ChildResult> r = RunChild(o);
  if (!r.ok()) return r.status();
  if (!r->exited || r->exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat(o.argv[0], " failed: ", r->err));
  }
  return std::string(absl::StripTrailingAsciiWhitespace(r->out));
}

ReproOutcome Outcome(const ChildResult& r) {
  ReproOutcome o;
  o.output = absl::StrCat(r.out, r.err);
  for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
    if (absl::ConsumePrefix(&line, "endgame-repro: step ")) o.last_step = std::string(line);
  }
  std::string step_kind = o.last_step.substr(0, o.last_step.find(' '));
  for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
    if (absl::ConsumePrefix(&line, "endgame-repro: leak ")) {
      o.verdict = run::Verdict::Of(run::VerdictKind::kLeak, std::string(line));
      return o;
    }
  }
  // A fork child's death: the engine's verdict for it, whatever this process did after.
  for (absl::string_view line : absl::StrSplit(r.out, '\n')) {
    if (!absl::ConsumePrefix(&line, kForkChildLine) || !absl::ConsumePrefix(&line, " ")) continue;
    if (std::optional<run::ForkChildEvidence> f = run::ForkChildOf(absl::StrCat(run::kForkChildError, ": ", line))) {
      o.verdict = f->verdict;
      o.evidence = f->assertion;
      return o;
    }
  }
  // repro.py's faulthandler watchdog, or repro.c's alarm.
  if (absl::StrContains(r.err, "endgame-repro: hang") ||
      (absl::StrContains(r.err, "Timeout (") && absl::StrContains(r.err, "most recent call first"))) {
    o.verdict = run::Verdict::Of(run::VerdictKind::kHang, step_kind);
    return o;
  }
  Termination t = ClassifyEnd(r.exited, r.exit_code, r.signal, r.timed_out, r.err);
  switch (t.kind) {
    case Termination::kFatal: o.verdict = run::Verdict::Of(run::VerdictKind::kFatal, t.detail); break;
    case Termination::kCrash:
      o.verdict = run::Verdict::Of(run::VerdictKind::kCrash, t.detail);
      for (absl::string_view line : absl::StrSplit(r.err, '\n')) {
        // "prog: /path/file.c:12: function: Assertion `cond' failed."
        size_t at = line.find(": Assertion `");
        if (at == absl::string_view::npos || !absl::EndsWith(line, "' failed.")) continue;
        size_t slash = line.rfind('/', at);
        size_t from = slash != absl::string_view::npos ? slash + 1 : line.find(": ") + 2;
        o.evidence = std::string(line.substr(from < at ? from : 0));
        break;
      }
      break;
    case Termination::kSanitizer: o.verdict = run::Verdict::Of(run::VerdictKind::kSanitizer, t.detail); break;
    case Termination::kTimeout: o.verdict = run::Verdict::Of(run::VerdictKind::kHang, step_kind); break;
    case Termination::kExitCode: {
      o.verdict = run::Verdict::Of(run::VerdictKind::kError, t.ToString());
      absl::string_view last = absl::StripTrailingAsciiWhitespace(r.err);
      last = last.substr(last.rfind('\n') + 1);
      if (absl::StartsWith(last, "ModuleNotFoundError:") || absl::StartsWith(last, "ImportError:")) {
        o.cannot_run = std::string(last);
      }
      break;
    }
    case Termination::kOk: o.verdict = run::Verdict::Ok(); break;
  }
  return o;
}

}  // namespace

absl::StatusOr<PythonBuild> ResolvePython(const std::string& path) {
  if (access(path.c_str(), X_OK) != 0) return absl::NotFoundError(absl::StrCat("no executable at ", path));
  PythonBuild b;
  if (absl::EndsWith(path, "-config")) {
    b.config = path;
    b.interpreter = path.substr(0, path.size() - 7);
    if (access(b.interpreter.c_str(), X_OK) != 0) {
      absl::StatusOr<std::string> prefix = Capture({path, "--prefix"});
      if (!prefix.ok()) return prefix.status();
      b.interpreter = absl::StrCat(*prefix, "/bin/python3");
    }
  } else {
    b.interpreter = path;
    if (access((path + "-config").c_str(), X_OK) == 0) b.config = path + "-config";
  }
  std::string runner = (std::filesystem::path(b.interpreter).parent_path() / ".endgame-runner").string();
  if (access(runner.c_str(), X_OK) == 0) b.runner = {runner};
  absl::StatusOr<std::string> info = Capture(
      {b.interpreter, "-c",
       "import sys, sysconfig; print('%d.%d.%d' % sys.version_info[:3]); "
       "print('debug' if hasattr(sys, 'gettotalrefcount') else 'release'); print(sysconfig.get_config_var('LIBDIR'))"});
  if (!info.ok()) return info.status();
  std::vector<std::string> lines = absl::StrSplit(*info, '\n');
  if (lines.size() < 3) return absl::InternalError(absl::StrCat("cannot read the version of ", b.interpreter));
  b.version = lines[0];
  b.build = lines[1];
  b.libdir = lines[2];
  return b;
}

absl::StatusOr<ReproOutcome> RunReproPy(const PythonBuild& python, const std::string& repro_py,
                                        absl::Duration timeout) {
  ChildOptions o;
  o.argv = {python.interpreter, "-X", "faulthandler", repro_py};
  o.timeout = timeout;
  absl::StatusOr<ChildResult> r = RunChild(o);
  if (!r.ok()) return r.status();
  return Outcome(*r);
}

absl::Status BuildReproC(const PythonBuild& python, const std::string& repro_c, const std::string& binary) {
  if (python.config.empty()) return absl::FailedPreconditionError(absl::StrCat("no python3-config for ", python.interpreter));
  absl::StatusOr<std::string> flags = Capture({python.config, "--cflags", "--ldflags", "--embed"});
  if (!flags.ok()) return flags.status();
  std::vector<std::string> argv = python.runner;
  for (const char* arg : {"cc", repro_c.c_str(), "-o", binary.c_str()}) argv.emplace_back(arg);
  for (absl::string_view f : absl::StrSplit(*flags, absl::ByAnyChar(" \n"), absl::SkipEmpty())) argv.emplace_back(f);
  argv.push_back("-lpthread");
  argv.push_back(absl::StrCat("-Wl,-rpath,", python.libdir));
  ChildOptions o;
  o.argv = argv;
  o.timeout = absl::Seconds(300);
  absl::StatusOr<ChildResult> r = RunChild(o);
  if (!r.ok()) return r.status();
  if (!r->exited || r->exit_code != 0) {
    return absl::InternalError(absl::StrCat("cc repro.c failed:\n", r->err));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReproOutcome> RunReproBinary(const PythonBuild& python, const std::string& binary,
                                            absl::Duration timeout) {
  ChildOptions o;
  o.argv = python.runner;
  o.argv.push_back(binary);
  o.timeout = timeout;
  absl::StatusOr<ChildResult> r = RunChild(o);
  if (!r.ok()) return r.status();
  return Outcome(*r);
}

bool SameFailure(const run::Verdict& finding, const run::Verdict& outcome) {
  if (finding.kind != outcome.kind) return false;
  switch (finding.kind) {
    case run::VerdictKind::kFatal:
      return absl::StrContains(outcome.detail, finding.detail) || absl::StrContains(finding.detail, outcome.detail);
    case run::VerdictKind::kLeak:
    case run::VerdictKind::kCrash:
    case run::VerdictKind::kSanitizer:
      return finding.detail.substr(0, finding.detail.find(' ')) == outcome.detail.substr(0, outcome.detail.find(' '));
    default:
      return true;
  }
}

}  // namespace endgame::report
