#include "endgame/scenario/internal/lexer.h"

#include <algorithm>

#include "endgame/scenario/names.h"

namespace endgame::scenario::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool IsKey(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && (i == 0 || c < '0' || c > '9')) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the string whose opening quote is line[*i]; leaves *i after the
// closing quote.
bool LexString(std::string_view line, size_t* i, std::string* out, LexError* error) {
  const size_t open = *i;
  size_t p = open + 1;
  while (p < line.size()) {
    char c = line[p];
    if (c == '"') {
      *i = p + 1;
      return true;
    }
    if (c != '\\') {
      out->push_back(c);
      ++p;
      continue;
    }
    if (p + 1 >= line.size()) break;  // a lone backslash at the end: unterminated
    char e = line[p + 1];
    switch (e) {
      case 'n':
        out->push_back('\n');
        p += 2;
        continue;
      case 't':
        out->push_back('\t');
        p += 2;
        continue;
      case 'r':
        out->push_back('\r');
        p += 2;
        continue;
      case '"':
        out->push_back('"');
        p += 2;
        continue;
      case '\\':
        out->push_back('\\');
        p += 2;
        continue;
      case 'x':
        if (p + 3 < line.size() && HexValue(line[p + 2]) >= 0 && HexValue(line[p + 3]) >= 0) {
          out->push_back(static_cast<char>(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
          p += 4;
          continue;
        }
        break;
      default:
        break;
    }
    size_t shown = e == 'x' ? std::min<size_t>(4, line.size() - p) : 2;
    error->column = ColumnOf(line, p);
    error->message = "bad escape " + Quoted(line.substr(p, shown)) +
                     " in string (use \\n, \\t, \\r, \\\", \\\\ or \\xHH)";
    return false;
  }
  error->column = ColumnOf(line, open);
  error->message = "unterminated string";
  return false;
}

}  // namespace

int ColumnOf(std::string_view line, size_t offset) {
  int col = 1;
  for (size_t i = 0; i < offset && i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) != 0x80) ++col;
  }
  return col;
}

size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto at = [&](size_t k) -> unsigned {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u;
  };
  auto cont = [&](size_t k) { return (at(k) & 0xC0u) == 0x80u; };
  unsigned c = at(i);
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned c1 = at(i + 1);
    if (c == 0xE0 && (c1 < 0xA0 || c1 > 0xBF)) return 0;
    if (c == 0xED && (c1 < 0x80 || c1 > 0x9F)) return 0;  // no surrogates
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned c1 = at(i + 1);
    if (c == 0xF0 && (c1 < 0x90 || c1 > 0xBF)) return 0;
    if (c == 0xF4 && (c1 < 0x80 || c1 > 0x8F)) return 0;  // <= U+10FFFF
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

bool LexLine(std::string_view line, std::vector<Token>* tokens, LexError* error) {
  tokens->clear();
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '#') break;
    Token t;
    const size_t start = i;
    t.column = ColumnOf(line, start);
    if (c == '"') {
      t.quoted = true;
      t.value_column = t.column;
      if (!LexString(line, &i, &t.value, error)) return false;
    } else {
      while (i < line.size() && !IsSpace(line[i]) && line[i] != '#' && line[i] != '"') ++i;
      std::string_view word = line.substr(start, i - start);
      size_t eq = word.find('=');
      bool keyed = eq != std::string_view::npos && IsKey(word.substr(0, eq));
      if (i < line.size() && line[i] == '"') {
        if (!keyed || eq + 1 != word.size()) {
          error->column = ColumnOf(line, i);
          error->message = "expected a space before '\"'";
          return false;
        }
        t.has_key = true;
        t.key = std::string(word.substr(0, eq));
        t.quoted = true;
        t.value_column = ColumnOf(line, i);
        if (!LexString(line, &i, &t.value, error)) return false;
      } else if (keyed) {
        t.has_key = true;
        t.key = std::string(word.substr(0, eq));
        t.value = std::string(word.substr(eq + 1));
        t.value_column = ColumnOf(line, start + eq + 1);
      } else {
        t.value = std::string(word);
        t.value_column = t.column;
      }
    }
    if (t.quoted && i < line.size() && !IsSpace(line[i]) && line[i] != '#') {
      error->column = ColumnOf(line, i);
      error->message = "expected a space after the string";
      return false;
    }
    t.raw = std::string(line.substr(start, i - start));
    t.end_column = ColumnOf(line, i);
    tokens->push_back(std::move(t));
  }
  return true;
}

}  // namespace endgame::scenario::internal
