// File: endgame/scenario/internal/strings.h
//
// Cat() and Append(): string concatenation that takes std::string_view.
// Debian's Abseil 20220623 is built with ABSL_OPTION_USE_STD_STRING_VIEW=0, so
// absl::StrCat does not accept std::string_view. Private to endgame/scenario.
#ifndef ENDGAME_SCENARIO_INTERNAL_STRINGS_H_
#define ENDGAME_SCENARIO_INTERNAL_STRINGS_H_

#include <string>
#include <string_view>
#include <type_traits>

namespace endgame::scenario::internal {

inline void AppendOne(std::string* out, std::string_view s) { out->append(s.data(), s.size()); }
inline void AppendOne(std::string* out, const char* s) { out->append(s); }
inline void AppendOne(std::string* out, const std::string& s) { out->append(s); }
inline void AppendOne(std::string* out, char c) { out->push_back(c); }
// Integers (int8_t included) print as numbers.
template <typename T,
          typename = std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, char> &&
                                      !std::is_same_v<T, bool>>>
void AppendOne(std::string* out, T v) {
  out->append(std::to_string(
      static_cast<std::conditional_t<std::is_signed_v<T>, long long, unsigned long long>>(v)));
}

template <typename... A>
void Append(std::string* out, const A&... a) {
  (AppendOne(out, a), ...);
}

template <typename... A>
std::string Cat(const A&... a) {
  std::string out;
  Append(&out, a...);
  return out;
}

}  // namespace endgame::scenario::internal

#endif  // ENDGAME_SCENARIO_INTERNAL_STRINGS_H_
