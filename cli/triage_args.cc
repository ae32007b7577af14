#include "cli/triage_args.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace endgame::cli {

int Fail(const char* cmd, const std::string& msg, int code) {
  std::fprintf(stderr, "endgame %s: %s\n", cmd, msg.c_str());
  return code;
}

Args ParseArgs(int argc, char** argv, const std::vector<std::string>& known) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--help" || s == "-h") {
      a.help = true;
      return a;
    }
    if (absl::StartsWith(s, "--")) {
      if (std::find(known.begin(), known.end(), s) == known.end()) {
        a.error = absl::StrCat("unknown flag '", s, "'");
        return a;
      }
      if (s == "--json") {
        a.flags[s].push_back("1");
        continue;
      }
      if (i + 1 >= argc) {
        a.error = absl::StrCat(s, " needs a value");
        return a;
      }
      a.flags[s].push_back(argv[++i]);
      // --python and --endgame take several paths until the next flag.
      while ((s == "--python" || s == "--endgame") && i + 1 < argc && !absl::StartsWith(argv[i + 1], "--")) a.flags[s].push_back(argv[++i]);
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

int Help(const char* usage) {
  std::printf("%s\n", usage);
  return 0;
}

bool IntFlag(const Args& a, const std::string& name, int def, int lo, int hi, int* out) {
  *out = def;
  std::string v = a.Get(name);
  if (v.empty()) return true;
  return absl::SimpleAtoi(v, out) && *out >= lo && *out <= hi;
}

}  // namespace endgame::cli
