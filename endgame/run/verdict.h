// File: endgame/run/verdict.h
//
// Verdicts and signatures (DESIGN.md §1). A verdict says what happened to a
// scenario; a signature is a stable id of a finding: verdict kind, its
// normalized detail, the step kind and the key frames of the guilty thread
// (harness frames removed), hashed.
//
// Example:
//   Verdict v = Verdict::Of(VerdictKind::kHang, "destroy");
//   std::string sig = Signature(v, "destroy", {"take_gil", "PyEval_RestoreThread"});
#ifndef ENDGAME_RUN_VERDICT_H_
#define ENDGAME_RUN_VERDICT_H_

#include <string>
#include <vector>

namespace endgame::run {

enum class VerdictKind { kOk, kSkipped, kError, kLeak, kHang, kSanitizer, kCrash, kFatal };

struct Verdict {
  VerdictKind kind = VerdictKind::kOk;
  // Per kind: error: the exception type; fatal: the message; crash: the
  // signal name; sanitizer: the report kind; hang: the step; leak: resource
  // and delta ("thread +1"); skipped: the reason.
  std::string detail;

  static Verdict Ok() { return {}; }
  static Verdict Of(VerdictKind kind, std::string detail) { return Verdict{kind, std::move(detail)}; }

  // "ok", "error KeyError", "fatal \"...\"", "hang destroy", "leak thread +1".
  std::string ToString() const;
  // Severity order: a worse verdict replaces a milder one.
  int Severity() const { return static_cast<int>(kind); }
  bool operator==(const Verdict& o) const { return kind == o.kind && detail == o.detail; }
};

const char* VerdictKindName(VerdictKind kind);
// The kinds a finding can have: fatal, crash, sanitizer, hang, leak.
bool IsFindingKind(VerdictKind kind);
// Parses a verdict word (ok, skipped, error, leak, hang, sanitizer, crash, fatal).
bool ParseVerdictKind(const std::string& word, VerdictKind* kind);

// The key frames of a stack: function names with harness, C++ runtime and
// libc frames removed, innermost first, at most `max` of them.
std::vector<std::string> KeyFrames(const std::vector<std::string>& frames, size_t max = 4);

// `s` with digit runs and hex addresses as "N": ids, tids, counts and
// pointers do not split one finding (or one cause) into many.
std::string NormalizeNumbers(const std::string& s);
// 12 hex digits, stable across runs and builds: the verdict kind, its detail
// with numbers and addresses normalized, the step kind and the key frames.
std::string Signature(const Verdict& verdict, const std::string& step_kind,
                      const std::vector<std::string>& key_frames);
// The 12 hex digits of `text` (FNV-1a): what Signature() hashes with, and
// the key of a root cause (report/cause.h).
std::string StableId(const std::string& text);

}  // namespace endgame::run

#endif  // ENDGAME_RUN_VERDICT_H_
