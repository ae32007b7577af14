// File: endgame/scenario/internal/lexer.h
//
// Splits one line of `.scn` text into tokens: bare words, key=value pairs and
// double-quoted strings with C escapes; `#` outside a string ends the line.
// Private to endgame/scenario.
#ifndef ENDGAME_SCENARIO_INTERNAL_LEXER_H_
#define ENDGAME_SCENARIO_INTERNAL_LEXER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace endgame::scenario::internal {

struct Token {
  int column = 0;        // 1-based, in code points
  int value_column = 0;  // where the value starts: after "key=", or the opening quote
  int end_column = 0;    // the column just after the token
  std::string raw;       // the token as written (for messages)
  bool has_key = false;  // key=value
  std::string key;
  std::string value;    // bare word, text after '=', or the unescaped string
  bool quoted = false;  // value is a quoted string
};

struct LexError {
  int column = 0;
  std::string message;
};

// Tokenizes `line` (without its line break). False with *error on a lexical
// error (unterminated string, bad escape, a quote glued to a word).
bool LexLine(std::string_view line, std::vector<Token>* tokens, LexError* error);

// The 1-based column, in code points, of byte `offset` of `line`.
int ColumnOf(std::string_view line, size_t offset);

// The length of the valid UTF-8 multi-byte sequence starting at s[i], or 0
// when s[i] is ASCII or does not start a valid sequence.
size_t Utf8SequenceLength(std::string_view s, size_t i);

}  // namespace endgame::scenario::internal

#endif  // ENDGAME_SCENARIO_INTERNAL_LEXER_H_
