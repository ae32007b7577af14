#include "endgame/scenario/names.h"

#include <algorithm>
#include <cstdio>

namespace endgame::scenario {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return IsLower(c) || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

// Optimal string alignment distance: Levenshtein plus swaps of neighbours.
int EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

}  // namespace

bool IsCapabilityWord(std::string_view word) {
  return std::find(std::begin(kCapabilityWords), std::end(kCapabilityWords), word) !=
         std::end(kCapabilityWords);
}

bool IsVerdictWord(std::string_view word) {
  return std::find(std::begin(kVerdictWords), std::end(kVerdictWords), word) !=
         std::end(kVerdictWords);
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > static_cast<size_t>(kMaxNameLength)) return false;
  if (!IsLower(name[0])) return false;
  for (char c : name) {
    if (!IsLower(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

bool IsDottedIdentifier(std::string_view text) {
  bool at_start = true;
  for (char c : text) {
    if (at_start) {
      if (!IsIdentStart(c)) return false;
      at_start = false;
    } else if (c == '.') {
      at_start = true;
    } else if (!IsIdentChar(c)) {
      return false;
    }
  }
  return !at_start;  // neither empty nor ending with '.'
}

std::string_view ClosestWord(std::string_view word,
                             const std::vector<std::string_view>& candidates) {
  // Words longer than any keyword are not typos of one; the bound also keeps
  // the distance table small for fuzzed input.
  if (word.empty() || word.size() > 64) return "";
  const int limit = std::min(3, std::max(1, static_cast<int>(word.size() + 1) / 3));
  std::string_view best;
  int best_distance = limit + 1;
  for (std::string_view c : candidates) {
    int d = EditDistance(word, c);
    if (d < best_distance && d < static_cast<int>(c.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best = ClosestWord(word, candidates);
  if (best.empty()) return "";
  return " (did you mean '" + std::string(best) + "'?)";
}

std::string OrList(const std::vector<std::string_view>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  out += "'";
  return out;
}

}  // namespace endgame::scenario
