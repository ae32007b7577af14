#include "endgame/base/classify.h"

#include <signal.h>
#include <string.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace endgame {
namespace {

constexpr absl::string_view kFatalPrefix = "Fatal Python error: ";

struct Tool {
  absl::string_view name;
  bool summary_kind;  // the SUMMARY line's first word names the kind better
};
constexpr Tool kTools[] = {
    {"AddressSanitizer", true},     {"HWAddressSanitizer", true}, {"LeakSanitizer", false},
    {"ThreadSanitizer", false},     {"MemorySanitizer", false},
    {"UndefinedBehaviorSanitizer", false},
};

// Functions of the sanitizer runtimes and allocators, skipped when looking for
// the frame a report is about.
bool IsRuntimeFrame(absl::string_view f) {
  for (absl::string_view p : {"__interceptor_", "___interceptor_", "__asan", "__tsan", "__lsan",
                              "__msan", "__ubsan", "__hwasan", "__sanitizer", "__interceptor"}) {
    if (absl::StartsWith(f, p)) return true;
  }
  for (absl::string_view p : {"malloc", "calloc", "realloc", "free", "aligned_alloc",
                              "posix_memalign", "memalign", "valloc", "operator new",
                              "operator delete", "strdup", "strndup"}) {
    if (f == p || (absl::StartsWith(f, p) && f.size() > p.size() &&
                   (f[p.size()] == '(' || f[p.size()] == '['))) {
      return true;
    }
  }
  return false;
}

// Parses `#3 0x4a2b in Foo(int) /src/x.cc:12:3` (ASan) or
// `#3 Foo(int) /src/x.cc:12:3 (bin+0x12)` (TSan) into `Foo(int)`.
// Returns false when `line` is not a frame.
bool ParseFrame(absl::string_view line, std::string* function) {
  line = absl::StripLeadingAsciiWhitespace(line);
  if (!absl::ConsumePrefix(&line, "#")) return false;
  size_t digits = 0;
  while (digits < line.size() && absl::ascii_isdigit(line[digits])) ++digits;
  if (digits == 0) return false;
  line.remove_prefix(digits);
  line = absl::StripLeadingAsciiWhitespace(line);
  if (absl::StartsWith(line, "0x")) {
    size_t sp = line.find(' ');
    line = sp == line.npos ? absl::string_view() : line.substr(sp + 1);
    absl::ConsumePrefix(&line, "in ");
  }
  line = absl::StripAsciiWhitespace(line);
  std::string module;
  // Trailing ` (module+0x12)`.
  if (absl::EndsWith(line, ")")) {
    size_t open = line.rfind(" (");
    if (open == line.npos && absl::StartsWith(line, "(")) open = 0;
    if (open != line.npos && line.substr(open).find("+0x") != line.npos) {
      module = std::string(absl::StripAsciiWhitespace(line.substr(open)));
      line = line.substr(0, open);
    }
  }
  // Trailing location ` /src/x.cc:12:3`, ` x.cc:12`, ` <null>`.
  size_t sp = line.rfind(' ');
  if (sp != line.npos) {
    absl::string_view last = line.substr(sp + 1);
    size_t colon = last.find(':');
    bool location = last == "<null>" || absl::StartsWith(last, "/") ||
                    (colon != last.npos && colon + 1 < last.size() &&
                     absl::ascii_isdigit(last[colon + 1]));
    if (location) line = absl::StripTrailingAsciiWhitespace(line.substr(0, sp));
  }
  *function = line.empty() ? module : std::string(line);
  return true;
}

// Cuts a report header's text down to the kind: `heap-use-after-free on
// address 0x...` -> `heap-use-after-free`, `data race (pid=12)` -> `data race`.
std::string KindFromHeader(absl::string_view text) {
  size_t cut = text.size();
  for (absl::string_view stop : {" on address", " on unknown address", " on 0x", " (pid=",
                                 " at pc ", ": "}) {
    cut = std::min(cut, text.find(stop));
  }
  return std::string(absl::StripAsciiWhitespace(text.substr(0, cut)));
}

// faulthandler's words for the signal that killed the process: it prints
// "Fatal Python error: Segmentation fault" and re-raises the signal. That is
// a crash by that signal, not Py_FatalError().
bool IsFaulthandlerText(absl::string_view msg, bool exited, int signal) {
  if (exited) return false;
  switch (signal) {
    case SIGSEGV: return msg == "Segmentation fault";
    case SIGBUS: return msg == "Bus error";
    case SIGILL: return msg == "Illegal instruction";
    case SIGFPE: return msg == "Floating-point exception";
    case SIGABRT: return msg == "Aborted";
    default: return false;
  }
}

}  // namespace

absl::string_view KindName(Termination::Kind kind) {
  switch (kind) {
    case Termination::kOk:
      return "ok";
    case Termination::kExitCode:
      return "exit";
    case Termination::kFatal:
      return "fatal";
    case Termination::kCrash:
      return "crash";
    case Termination::kSanitizer:
      return "sanitizer";
    case Termination::kTimeout:
      return "timeout";
  }
  return "?";
}

std::string SignalName(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    return sig == SIGRTMIN ? "SIGRTMIN" : absl::StrCat("SIGRTMIN+", sig - SIGRTMIN);
  }
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev == nullptr) return absl::StrCat("signal ", sig);
  return absl::StrCat("SIG", abbrev);
}

std::optional<std::string> FatalPythonError(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t at = line.find(kFatalPrefix);
    if (at == line.npos) continue;
    return std::string(absl::StripAsciiWhitespace(line.substr(at + kFatalPrefix.size())));
  }
  return std::nullopt;
}

std::optional<SanitizerReport> FindSanitizerReport(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view line = absl::StripTrailingAsciiWhitespace(lines[i]);
    SanitizerReport report;
    const Tool* tool = nullptr;
    for (const Tool& t : kTools) {
      for (absl::string_view level : {"ERROR: ", "WARNING: "}) {
        std::string head = absl::StrCat(level, t.name, ": ");
        size_t at = line.find(head);
        if (at == line.npos) continue;
        tool = &t;
        report.kind = KindFromHeader(line.substr(at + head.size()));
        break;
      }
      if (tool != nullptr) break;
    }
    // UBSan (without halt_on_error it prints only this):
    //   x.cc:12:5: runtime error: signed integer overflow: ...
    size_t rt = line.find(": runtime error: ");
    if (tool == nullptr && rt != line.npos) {
      report.tool = "UndefinedBehaviorSanitizer";
      report.kind = "undefined-behavior";
      report.evidence = std::string(line);
      absl::string_view where = line.substr(0, rt);
      size_t sp = where.rfind(' ');
      report.frame = std::string(sp == where.npos ? where : where.substr(sp + 1));
    } else if (tool != nullptr) {
      report.tool = std::string(tool->name);
      report.evidence = std::string(line);
      // `SUMMARY: AddressSanitizer: heap-use-after-free ...` names the kind
      // better for `attempting double-free on ...` and the like.
      std::string summary = absl::StrCat("SUMMARY: ", tool->name, ": ");
      for (size_t j = i + 1; tool->summary_kind && j < lines.size(); ++j) {
        size_t at = lines[j].find(summary);
        if (at == lines[j].npos) continue;
        absl::string_view rest = lines[j].substr(at + summary.size());
        absl::string_view word = rest.substr(0, rest.find(' '));
        if (!word.empty() && !absl::ascii_isdigit(word[0])) report.kind = std::string(word);
        break;
      }
    } else {
      continue;
    }
    // The first stack after the header: its first frame outside the runtime.
    std::string first;
    bool in_stack = false;
    for (size_t j = i + 1; j < lines.size(); ++j) {
      std::string function;
      if (!ParseFrame(lines[j], &function)) {
        if (in_stack) break;  // end of the first stack
        if (absl::StartsWith(lines[j], "SUMMARY: ")) break;
        continue;
      }
      in_stack = true;
      if (first.empty()) first = function;
      if (!IsRuntimeFrame(function)) {
        report.frame = function;
        break;
      }
    }
    if (report.frame.empty()) report.frame = first;
    return report;
  }
  return std::nullopt;
}

Termination ClassifyEnd(bool exited, int exit_code, int signal, bool timed_out,
                        absl::string_view err, absl::Duration elapsed) {
  Termination t;
  t.exited = exited;
  t.exit_code = exited ? exit_code : 0;
  t.signal = exited ? 0 : signal;
  if (std::optional<SanitizerReport> r = FindSanitizerReport(err)) {
    t.kind = Termination::kSanitizer;
    t.detail = r->kind;
    t.tool = r->tool;
    t.frame = r->frame;
    t.evidence = r->evidence;
  } else if (std::optional<std::string> msg = FatalPythonError(err);
             msg && !IsFaulthandlerText(*msg, exited, signal)) {
    t.kind = Termination::kFatal;
    t.detail = *msg;
    t.evidence = absl::StrCat(kFatalPrefix, *msg);
  } else if (timed_out) {
    t.kind = Termination::kTimeout;
    t.detail = elapsed > absl::ZeroDuration()
                   ? absl::StrCat("timed out after ", absl::FormatDuration(elapsed))
                   : "timed out";
  } else if (!exited && signal != 0) {
    t.kind = Termination::kCrash;
    t.detail = SignalName(signal);
  } else if (exited && exit_code != 0) {
    t.kind = Termination::kExitCode;
    t.detail = absl::StrCat("exit code ", exit_code);
  }
  return t;
}

Termination Classify(const ChildResult& result) {
  return ClassifyEnd(result.exited, result.exit_code, result.signal, result.timed_out, result.err,
                     result.elapsed);
}

std::string Termination::ToString() const {
  switch (kind) {
    case kOk:
      return "ok";
    case kExitCode:
      return absl::StrCat("exit ", exit_code);
    case kFatal:
      return absl::StrCat("fatal \"", detail, "\"");
    case kCrash:
      return absl::StrCat("crash ", detail);
    case kSanitizer:
      return frame.empty() ? absl::StrCat("sanitizer ", detail)
                           : absl::StrCat("sanitizer ", detail, " in ", frame);
    case kTimeout:
      return "timeout";
  }
  return "?";
}

}  // namespace endgame
