// File: endgame/report/upstream.h
//
// report.md in the shape of CPython's bug report form: what happens, a
// minimal reproducer, the expected behaviour, versions tested with results,
// the OS, and the stacks. Ready to paste into a new issue.
#ifndef ENDGAME_REPORT_UPSTREAM_H_
#define ENDGAME_REPORT_UPSTREAM_H_

#include <string>

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
};

std::string UpstreamReport(const ReportInputs& in);

// A one-line title for the issue.
std::string ReportTitle(const FindingMeta& meta);

// uname + /etc/os-release, e.g. "Linux 6.1.0-18-amd64 x86_64, Debian GNU/Linux 12 (bookworm)".
std::string DescribeOs();

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_UPSTREAM_H_
