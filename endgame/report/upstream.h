// File: endgame/report/upstream.h
//
// report.md in the shape of CPython's bug report form, under 100 lines: a
// one-line title, what happens (a paragraph), the short reproducer inline
// (repro.c for a capi finding, else repro.py; a reproducer over
// kInlineReproLines lines is named, and the minimized scenario shown), the
// expected behaviour, the versions table from matrix.md, the dying or stuck
// thread's stack trimmed to CPython's frames (the full stacks stay in
// stacks.txt), OS and build, and the upstream issues it resembles.
#ifndef ENDGAME_REPORT_UPSTREAM_H_
#define ENDGAME_REPORT_UPSTREAM_H_

#include <string>
#include <vector>

#include "endgame/report/findings.h"

namespace endgame::report {

struct ReportInputs {
  FindingMeta meta;
  std::string scenario_text;
  std::string repro_py;   // "" when none
  std::string repro_c;    // "" when none
  std::string matrix_md;  // "" when the matrix was not run
  std::string stacks;
  std::string os;         // "Linux 6.1 (Debian 12)"
  std::string guilty_thread;  // for hangs: the stuck thread, "name (tid N)"
  bool capi = false;      // the finding's driver: repro.c is its faithful reproducer
  // Upstream issues it resembles, one line each ("gh-126654: _interpreters.exec
  // with invalid parameters segfaults in _PyXI_ApplyError"): the known file's
  // `# resembles:` lines.
  std::vector<std::string> resembles;
};

inline constexpr int kInlineReproLines = 40;

// The dying (or, with `guilty_thread`, stuck) thread's stack as report
// lines: "#3  _PyXI_ApplyError (Python/crossinterp.c)", CPython frames and
// the first frame that called into CPython; harness and libc runs folded
// into one "... N frames of endgame/libc" line; at most `max` lines.
std::vector<std::string> TrimmedStack(const std::string& stacks, const std::string& guilty_thread, size_t max = 14);

std::string UpstreamReport(const ReportInputs& in);

// A one-line title for the issue.
std::string ReportTitle(const FindingMeta& meta);

// uname + /etc/os-release, e.g. "Linux 6.1.0-18-amd64 x86_64, Debian GNU/Linux 12 (bookworm)".
std::string DescribeOs();

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_UPSTREAM_H_
