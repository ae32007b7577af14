// ParseGdbStacks() (declared in stacks.h): gdb's `thread apply all bt` and
// `thread apply all py-bt` output split into threads.
#include <cstdlib>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "endgame/base/stacks.h"

namespace endgame {
namespace {

bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// Consumes leading decimal digits of `s` into `*n`.
bool ConsumeNumber(absl::string_view* s, int* n) {
  size_t len = 0;
  while (len < s->size() && absl::ascii_isdigit((*s)[len])) ++len;
  if (len == 0 || !absl::SimpleAtoi(s->substr(0, len), n)) return false;
  s->remove_prefix(len);
  return true;
}

// `Thread 2 (Thread 0x7f12 (LWP 4242) "worker"):`, `Thread 1 (LWP 7):`,
// `Thread 1 (process 7):`.
bool ParseThreadHeader(absl::string_view line, int* number, pid_t* lwp, std::string* name) {
  if (!absl::ConsumePrefix(&line, "Thread ") || !ConsumeNumber(&line, number)) return false;
  size_t at = line.find("(LWP ");
  size_t skip = 5;
  if (at == line.npos) {
    at = line.find("(process ");
    skip = 9;
  }
  if (at == line.npos) return false;
  absl::string_view rest = line.substr(at + skip);
  int id = 0;
  if (!ConsumeNumber(&rest, &id)) return false;
  *lwp = id;
  name->clear();
  size_t open = rest.find('"');
  size_t close = rest.rfind('"');
  if (open != rest.npos && close > open) *name = std::string(rest.substr(open + 1, close - open - 1));
  return true;
}

// Drops a trailing parameter list (and ` const`), so that a function reads
// the same whether gdb had debug info (`Foo::Bar (this=...)`) or only a
// demangled symbol (`Foo::Bar(int) const ()`), or came from the fallback.
// `operator()` keeps its own parentheses.
std::string WithoutParameters(std::string name) {
  if (absl::EndsWith(name, " const")) name.resize(name.size() - 6);
  if (name.empty() || name.back() != ')') return name;
  int depth = 0;
  for (size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      if (i == 0 || (absl::EndsWith(absl::string_view(name).substr(0, i), "operator") &&
                     i + 2 == name.size())) {
        return name;
      }
      name.resize(i);
      return name;
    }
  }
  return name;
}

// The function of a gdb frame line body (after `#N  `): `0x12 in foo (a=1) at
// x.c:3` -> `foo`. Arguments start at the first ` (` outside brackets;
// operator names do not count as brackets.
std::string FrameFunction(absl::string_view body) {
  if (absl::StartsWith(body, "0x")) {
    size_t in = body.find(" in ");
    if (in == body.npos) return "??";
    body.remove_prefix(in + 4);
  }
  if (absl::StartsWith(body, "<")) {  // <signal handler called>, <function called from gdb>
    size_t end = body.find('>');
    return std::string(body.substr(0, end == body.npos ? body.size() : end + 1));
  }
  int depth = 0;
  size_t i = 0;
  for (; i < body.size(); ++i) {
    char c = body[i];
    if (absl::StartsWith(body.substr(i), "operator") &&
        (i == 0 || !IsIdentChar(body[i - 1])) &&
        (i + 8 >= body.size() || !IsIdentChar(body[i + 8]))) {
      i += 8;
      if (absl::StartsWith(body.substr(i), "()") || absl::StartsWith(body.substr(i), "[]")) {
        i += 1;
        continue;
      }
      while (i < body.size() && absl::string_view("<>=!+-*/%&|^~,").find(body[i]) !=
                                    absl::string_view::npos) {
        ++i;
      }
      --i;
      continue;
    }
    if (c == '(' || c == '<' || c == '[' || c == '{') {
      if (c == '(' && depth == 0 && i > 0 && body[i - 1] == ' ') break;
      ++depth;
    } else if (c == ')' || c == '>' || c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  std::string name = WithoutParameters(
      std::string(absl::StripTrailingAsciiWhitespace(body.substr(0, i))));
  return name.empty() ? "??" : name;
}

// Where a gdb frame line body's function lives: `... at ./Python/x.c:3` ->
// `Python/x.c` (from a CPython source folder on, else the file name), `...
// from /lib/libc.so.6` -> `libc.so.6`; "" when gdb does not say.
std::string FrameFile(absl::string_view body) {
  size_t at = body.rfind(" at ");
  if (at != body.npos) {
    absl::string_view path = body.substr(at + 4);
    size_t colon = path.rfind(':');
    if (colon != path.npos) path = path.substr(0, colon);
    for (absl::string_view dir : {"Python/", "Objects/", "Modules/", "Parser/", "Include/", "Programs/"}) {
      size_t d = path.rfind(dir);
      if (d != path.npos && (d == 0 || path[d - 1] == '/')) return std::string(path.substr(d));
    }
    size_t slash = path.rfind('/');
    return std::string(slash == path.npos ? path : path.substr(slash + 1));
  }
  size_t from = body.rfind(" from ");
  if (from != body.npos) {
    absl::string_view lib = body.substr(from + 6);
    size_t slash = lib.rfind('/');
    return std::string(slash == lib.npos ? lib : lib.substr(slash + 1));
  }
  return "";
}

// A py-bt line's Python function, or "" when it is not a frame.
std::string PythonFunction(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  if (absl::StartsWith(line, "File \"")) {
    size_t in = line.rfind(", in ");
    if (in == line.npos) return "";
    return std::string(line.substr(in + 5));
  }
  for (absl::string_view prefix : {"<built-in method ", "<built-in function "}) {
    if (absl::ConsumePrefix(&line, prefix)) {
      size_t end = line.find_first_of(" >");
      return std::string(line.substr(0, end));
    }
  }
  if (line == "Waiting for the GIL") return "<waiting for the GIL>";
  if (line == "Garbage-collecting") return "<garbage-collecting>";
  return "";
}

}  // namespace

std::vector<ThreadStack> ParseGdbStacks(const std::string& text) {
  std::vector<ThreadStack> threads;
  std::map<int, size_t> by_number;
  ThreadStack* current = nullptr;
  bool repeat_section = false;  // a thread's second section (py-bt)
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    int number = 0;
    pid_t lwp = 0;
    std::string name;
    if (ParseThreadHeader(line, &number, &lwp, &name)) {
      auto it = by_number.find(number);
      repeat_section = it != by_number.end();
      if (!repeat_section) {
        it = by_number.emplace(number, threads.size()).first;
        threads.push_back(ThreadStack{number, lwp, name, {}, {}, {}});
      }
      current = &threads[it->second];
      if (current->name.empty()) current->name = name;
      continue;
    }
    if (current == nullptr) continue;
    if (absl::StartsWith(line, "#")) {
      absl::string_view body = line.substr(1);
      int index = 0;
      if (!ConsumeNumber(&body, &index)) continue;
      if (repeat_section && !current->frames.empty()) continue;
      body = absl::StripLeadingAsciiWhitespace(body);
      current->frames.push_back(FrameFunction(body));
      current->files.push_back(FrameFile(body));
      continue;
    }
    std::string py = PythonFunction(line);
    if (!py.empty()) current->python_frames.push_back(py);
  }
  return threads;
}

}  // namespace endgame
