// File: endgame/base/json.h
//
// A minimal streaming JSON writer (header-only) for machine-readable output
// (`--json`, meta.json). It escapes strings and places commas; structure is
// the caller's job.
//
// Example:
//   JsonWriter j;
//   j.BeginObject();
//   j.Key("verdict"); j.String("ok");
//   j.Key("steps"); j.BeginArray(); j.Int(3); j.EndArray();
//   j.EndObject();
//   std::string text = j.str();
#ifndef ENDGAME_BASE_JSON_H_
#define ENDGAME_BASE_JSON_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace endgame {

class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(absl::string_view k) {
    Comma();
    Quote(k);
    out_ += ':';
    after_key_ = true;
  }
  void String(absl::string_view s) { Comma(); Quote(s); }
  void Int(int64_t v) { Comma(); out_ += std::to_string(v); }
  void Double(double v) {
    Comma();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    out_ += buf;
  }
  void Bool(bool v) { Comma(); out_ += v ? "true" : "false"; }
  void Null() { Comma(); out_ += "null"; }
  // Inserts already-serialized JSON as one value.
  void Raw(absl::string_view json) { Comma(); out_.append(json.data(), json.size()); }

  const std::string& str() const { return out_; }

  static std::string Escape(absl::string_view s) {
    std::string out;
    for (unsigned char c : s) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);
          }
      }
    }
    return out;
  }

 private:
  void Comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
    }
  }
  void Open(char c) {
    Comma();
    out_ += c;
    first_.push_back(true);
  }
  void Close(char c) {
    out_ += c;
    first_.pop_back();
  }
  void Quote(absl::string_view s) {
    out_ += '"';
    out_ += Escape(s);
    out_ += '"';
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace endgame

#endif  // ENDGAME_BASE_JSON_H_
