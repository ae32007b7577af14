// File: endgame/base/json_parse.h
//
// A small JSON reader (header-only) for endgame's own documents: the child
// protocol, meta.json, benchmark output. Numbers are doubles; objects keep
// key order. Errors name the byte offset.
//
// Example:
//   absl::StatusOr<JsonValue> v = ParseJson(text);
//   std::string verdict = (*v)["verdict"].str();
#ifndef ENDGAME_BASE_JSON_PARSE_H_
#define ENDGAME_BASE_JSON_PARSE_H_

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace endgame {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool boolean() const { return type_ == Type::kBool && bool_; }
  double number() const { return type_ == Type::kNumber ? number_ : 0; }
  int64_t integer() const { return static_cast<int64_t>(number()); }
  const std::string& str() const { return string_; }
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
  // Member `key`, or a null value.
  const JsonValue& operator[](absl::string_view key) const {
    static const JsonValue kNull;
    for (const auto& [k, v] : members_) {
      if (k == key) return v;
    }
    return kNull;
  }

 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

class JsonParser {
 public:
  explicit JsonParser(absl::string_view text) : s_(text) {}

  absl::StatusOr<JsonValue> Parse() {
    JsonValue v;
    if (!Value(v, 0)) return absl::InvalidArgumentError(absl::StrCat("JSON: ", error_, " at byte ", pos_));
    Space();
    if (pos_ != s_.size()) return absl::InvalidArgumentError(absl::StrCat("JSON: trailing data at byte ", pos_));
    return v;
  }

 private:
  bool Fail(const char* why) {
    error_ = why;
    return false;
  }
  void Space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  bool Literal(absl::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail("bad literal");
    pos_ += word.size();
    return true;
  }
  bool String(std::string& out) {
    if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected string");
    ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) return Fail("bad escape");
      char e = s_[pos_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return Fail("bad \\u escape");
          unsigned cp = static_cast<unsigned>(std::strtoul(std::string(s_.substr(pos_, 4)).c_str(), nullptr, 16));
          pos_ += 4;
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default: out += e;
      }
    }
    if (pos_ >= s_.size()) return Fail("unterminated string");
    ++pos_;
    return true;
  }
  bool Value(JsonValue& v, int depth) {
    if (depth > 64) return Fail("nested too deep");
    Space();
    if (pos_ >= s_.size()) return Fail("unexpected end");
    char c = s_[pos_];
    if (c == 'n') return Literal("null");
    if (c == 't' || c == 'f') {
      v.type_ = JsonValue::Type::kBool;
      v.bool_ = c == 't';
      return Literal(c == 't' ? "true" : "false");
    }
    if (c == '"') {
      v.type_ = JsonValue::Type::kString;
      return String(v.string_);
    }
    if (c == '[') {
      v.type_ = JsonValue::Type::kArray;
      ++pos_;
      Space();
      if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, true;
      while (true) {
        v.items_.emplace_back();
        if (!Value(v.items_.back(), depth + 1)) return false;
        Space();
        if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
        if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, true;
        return Fail("expected , or ]");
      }
    }
    if (c == '{') {
      v.type_ = JsonValue::Type::kObject;
      ++pos_;
      Space();
      if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, true;
      while (true) {
        Space();
        std::string key;
        if (!String(key)) return false;
        Space();
        if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("expected :");
        ++pos_;
        v.members_.emplace_back(std::move(key), JsonValue());
        if (!Value(v.members_.back().second, depth + 1)) return false;
        Space();
        if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
        if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, true;
        return Fail("expected , or }");
      }
    }
    std::string num;
    while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) {
      num += s_[pos_++];
    }
    if (num.empty()) return Fail("unexpected character");
    char* end = nullptr;
    v.type_ = JsonValue::Type::kNumber;
    v.number_ = std::strtod(num.c_str(), &end);
    if (end != num.c_str() + num.size()) return Fail("bad number");
    return true;
  }

  absl::string_view s_;
  size_t pos_ = 0;
  const char* error_ = "";
};

inline absl::StatusOr<JsonValue> ParseJson(absl::string_view text) { return JsonParser(text).Parse(); }

}  // namespace endgame

#endif  // ENDGAME_BASE_JSON_PARSE_H_
