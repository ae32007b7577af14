#include "endgame/run/verdict.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace endgame::run {
namespace {

constexpr const char* kNames[] = {"ok", "skipped", "error", "leak", "hang", "sanitizer", "crash", "fatal"};

bool IsHarnessFrame(const std::string& f) {
  static constexpr const char* kSkip[] = {
      "endgame::", "std::", "absl::", "__GI_", "__libc", "__pthread", "pthread_", "start_thread", "clone",
      "__futex", "futex", "syscall", "raise", "abort", "__restore_rt", "testing::", "main", "??",
      "__lll_", "___pthread", "__clock_nanosleep", "__nanosleep", "nanosleep", "__poll", "poll",
      "__GI___poll", "operator()", "__invoke", "execute_native_thread_routine",
  };
  for (const char* k : kSkip) {
    if (absl::StartsWith(f, k)) return true;
  }
  return f.empty();
}

}  // namespace

// Digits and hex addresses become "N", so that ids, tids and pointers do not
// split one finding into many.
std::string NormalizeNumbers(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "0x") == 0 && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      i += 2;
      while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) ++i;
      out += 'N';
    } else if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      out += 'N';
    } else {
      out += s[i++];
    }
  }
  return out;
}


const char* VerdictKindName(VerdictKind kind) { return kNames[static_cast<int>(kind)]; }

bool IsFindingKind(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::kFatal:
    case VerdictKind::kCrash:
    case VerdictKind::kSanitizer:
    case VerdictKind::kHang:
    case VerdictKind::kLeak:
      return true;
    default:
      return false;
  }
}

bool ParseVerdictKind(const std::string& word, VerdictKind* kind) {
  for (int i = 0; i < 8; ++i) {
    if (word == kNames[i]) {
      *kind = static_cast<VerdictKind>(i);
      return true;
    }
  }
  return false;
}

std::string Verdict::ToString() const {
  std::string name = VerdictKindName(kind);
  if (detail.empty()) return name;
  if (kind == VerdictKind::kFatal) return absl::StrCat(name, " \"", detail, "\"");
  return absl::StrCat(name, " ", detail);
}

std::vector<std::string> KeyFrames(const std::vector<std::string>& frames, size_t max) {
  std::vector<std::string> out;
  for (const std::string& f : frames) {
    if (IsHarnessFrame(f)) continue;
    out.push_back(f);
    if (out.size() == max) break;
  }
  return out;
}

std::string Signature(const Verdict& v, const std::string& step_kind, const std::vector<std::string>& key_frames) {
  std::string text = absl::StrCat(VerdictKindName(v.kind), "|", NormalizeNumbers(v.detail), "|", step_kind);
  for (const std::string& f : key_frames) absl::StrAppend(&text, "|", f);
  return StableId(text);
}

std::string StableId(const std::string& text) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 12);
}

}  // namespace endgame::run
