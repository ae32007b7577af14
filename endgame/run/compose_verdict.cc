#include "endgame/run/compose_verdict.h"

#include <algorithm>
#include <map>

#include <sys/wait.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "endgame/base/classify.h"
#include "endgame/run/snippet_source.h"

namespace endgame::run {
namespace {

bool IsSlope(const OracleRecord& o) { return absl::EndsWith(o.name, "_slope"); }

ComposedVerdict OfHang(const HangEvidence& h) {
  ComposedVerdict c;
  c.verdict = Verdict::Of(VerdictKind::kHang, h.step_kind);
  c.guilty_step = h.step_kind;
  c.guilty_index = h.step_index;
  c.guilty_thread = h.thread;
  // With the stuck thread's frames known, they identify the hang; the step the
  // conductor waits in (wait, drain, destroy...) is where it surfaced, not what it is.
  std::vector<std::string> key = KeyFrames(h.frames);
  if (h.ParkedByCPython()) {
    // The process is not hung, those threads are gone for it: a thread leak.
    c.verdict = Verdict::Of(VerdictKind::kLeak, absl::StrCat("thread +", std::max(h.parked, 1)));
    c.signature = Signature(c.verdict, h.step_kind, key);
  } else {
    c.signature = key.empty() ? Signature(c.verdict, h.step_kind, key)
                              : Signature(Verdict::Of(VerdictKind::kHang, ""), "", key);
  }
  return c;
}

// glibc's "prog: path/file.c:12: function: Assertion `cond' failed." as
// "function: Assertion `cond' failed.", the first of `text`, or "".
std::string AssertionOf(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t a = line.find(": Assertion `");
    if (a == line.npos || !absl::StrContains(line, "' failed")) continue;
    absl::string_view head = line.substr(0, a);
    size_t sp = head.rfind(": ");
    absl::string_view function = sp == head.npos ? head : head.substr(sp + 2);
    return absl::StrCat(function, line.substr(a));
  }
  return "";
}

}  // namespace

std::optional<ForkChildEvidence> ForkChildOf(const std::string& error_detail) {
  const std::string prefix = absl::StrCat(kForkChildError, ": ");
  if (!absl::StartsWith(error_detail, prefix)) return std::nullopt;
  absl::string_view rest = absl::string_view(error_detail).substr(prefix.size());
  size_t colon = rest.find(": ");
  absl::string_view how = rest.substr(0, colon);
  std::string err;
  if (colon != rest.npos) {
    std::string escaped(rest.substr(colon + 2));
    if (!absl::CUnescape(escaped, &err)) err = escaped;
  }
  bool hung = how == "hung";
  int status = 0;
  if (!hung && !(absl::ConsumePrefix(&how, "status ") && absl::SimpleAtoi(how, &status))) return std::nullopt;
  const bool exited = !hung && WIFEXITED(status);
  const Termination t =
      ClassifyEnd(exited, exited ? WEXITSTATUS(status) : 0, !hung && WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                  hung, err);
  ForkChildEvidence f;
  f.stderr_text = err;
  f.assertion = AssertionOf(err);
  switch (t.kind) {
    case Termination::kFatal: f.verdict = Verdict::Of(VerdictKind::kFatal, absl::StrCat("fork child: ", t.detail)); break;
    case Termination::kSanitizer:
      f.verdict = Verdict::Of(VerdictKind::kSanitizer, absl::StrCat("fork child: ", t.detail));
      break;
    case Termination::kCrash:
    case Termination::kExitCode:
      f.verdict = Verdict::Of(VerdictKind::kCrash, absl::StrCat("fork child: ", t.detail));
      break;
    case Termination::kTimeout: f.verdict = Verdict::Of(VerdictKind::kHang, "fork child"); break;
    case Termination::kOk: return std::nullopt;  // a status 0 raises nothing
  }
  return f;
}

bool HangEvidence::ParkedByCPython() const {
  return std::find(frames.begin(), frames.end(), "PyThread_hang_thread") != frames.end();
}

ComposedVerdict ComposeVerdict(const VerdictEvidence& e) {
  if (e.hang) return OfHang(*e.hang);
  ComposedVerdict c;
  if (e.fork_child) {
    const ForkChildEvidence& f = *e.fork_child;
    c.verdict = f.verdict;
    c.guilty_step = f.step_kind;
    c.guilty_index = f.step_index;
    c.guilty_thread = "fork child";
    std::vector<std::string> key;
    if (!f.assertion.empty()) key.push_back(f.assertion);
    c.signature = Signature(c.verdict, f.step_kind, key);
    return c;
  }
  if (!e.unmet.empty()) {
    c.verdict = Verdict::Of(VerdictKind::kSkipped, e.unmet);
  } else if (!e.strategy_skipped.empty()) {
    c.verdict = Verdict::Of(VerdictKind::kSkipped, e.strategy_skipped);
  } else if (!e.strategy_error.empty()) {
    c.verdict = Verdict::Of(VerdictKind::kError, absl::StrCat("strategy: ", e.strategy_error));
    c.guilty_step = "strategy";
  } else {
    for (const OracleRecord& o : e.oracles) {
      if (!o.leak || IsSlope(o)) continue;
      static const std::map<std::string, std::string> kResource = {
          {"threads", "thread"}, {"fds", "fd"}, {"interpreters", "interpreter"}, {"thread_states", "tstate"},
          {"queues", "queue"}, {"queue_items", "queue item"}};
      c.verdict =
          Verdict::Of(VerdictKind::kLeak, absl::StrCat(kResource.at(o.name), o.delta < 0 ? " " : " +", o.delta));
      c.guilty_step = "drain";
      break;
    }
    if (c.verdict.kind == VerdictKind::kOk && e.error) {
      c.verdict = Verdict::Of(VerdictKind::kError, e.error->type);
      c.guilty_step = e.error->step_kind;
      c.guilty_index = e.error->step_index;
    }
    if (c.verdict.kind != VerdictKind::kOk) c.signature = Signature(c.verdict, c.guilty_step, {});
  }
  // A memory slope over --repeat cycles (RunScenario) outranks what is milder than a leak.
  if (c.verdict.Severity() < static_cast<int>(VerdictKind::kLeak)) {
    for (const OracleRecord& o : e.oracles) {
      if (o.leak && IsSlope(o)) {
        c.verdict = Verdict::Of(VerdictKind::kLeak, absl::StrCat("memory +", o.delta, "/cycle"));
        c.guilty_step = "drain";
        c.signature = Signature(Verdict::Of(VerdictKind::kLeak, "memory"), "drain", {});
        break;
      }
    }
  }
  return c;
}

void ApplyVerdict(const ComposedVerdict& c, RunResult* r) {
  r->verdict = c.verdict;
  r->guilty_step = c.guilty_step;
  r->guilty_index = c.guilty_index;
  r->guilty_thread = c.guilty_thread;
  r->signature = c.signature;
}

}  // namespace endgame::run
