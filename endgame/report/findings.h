// File: endgame/report/findings.h
//
// Finding folders (DESIGN.md §6): one per signature under a root folder
// (default out/findings/), holding the scenario that produced it, its stacks,
// the run's result and meta.json (signature, verdict, CPython build, counts,
// first and last seen, reproduction rate, known or new). Every file is
// written atomically, so a crash or Ctrl-C never leaves half a finding.
//
// Example:
//   FindingStore store({"out/findings", "corpus/known"});
//   ENDGAME_ASSIGN_OR_RETURN(FindingMeta m, store.Record(result, text, "dedicated"));
//   if (m.count == 1 && !m.known) std::printf("new finding %s\n", m.signature.c_str());
#ifndef ENDGAME_REPORT_FINDINGS_H_
#define ENDGAME_REPORT_FINDINGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "endgame/base/mutex.h"
#include "endgame/run/result.h"

namespace endgame::report {

// The files of a finding folder (<root>/<signature>/), spelled only here.
inline constexpr char kOriginalFile[] = "original.scn";  // the scenario as first found
inline constexpr char kScenarioFile[] = "scenario.scn";  // the scenario (minimized in place)
inline constexpr char kMetaFile[] = "meta.json";         // FindingMeta; written last
inline constexpr char kStacksFile[] = "stacks.txt";      // the child's stderr and stacks
inline constexpr char kResultFile[] = "result.json";     // the run's RunResult
inline constexpr char kReproPyFile[] = "repro.py";       // `endgame repro`
inline constexpr char kReproCFile[] = "repro.c";         // `endgame repro`
inline constexpr char kMatrixFile[] = "matrix.md";       // `endgame matrix`
inline constexpr char kReportFile[] = "report.md";       // `endgame report`

// Whether a result is a finding: a fatal error, crash, sanitizer report,
// hang or leak that is not of class "expected" (run/expected.h).
bool IsFinding(const run::RunResult& result);

struct FindingMeta {
  std::string signature;
  std::string verdict;       // "fatal \"...\""
  std::string verdict_kind;  // "fatal"
  std::string detail;
  std::string step;          // the guilty step kind
  std::vector<std::string> strategies;  // strategies it was seen under
  std::string python;        // "3.13.15 release"
  std::string first_seen, last_seen;  // UTC, ISO 8601
  int64_t count = 0;
  int reproduced = 0, runs = 0;  // the reproduction rate k/n (0/0: not measured)
  bool known = false;
  std::string known_file;    // corpus/known/... that matched
  bool minimized = false;
  std::string upstream;      // filed issue, from the known file
  // The root cause (report/cause.h) this raw signature belongs to, and the
  // finding's class: new, known gh-N, known, limitation.
  std::string cause;
  std::string cause_title;
  std::vector<std::string> cause_frames;
  std::string limitation;    // why it is documented behaviour, for class limitation
  std::string finding_class;

  std::string ToJson() const;
  static absl::StatusOr<FindingMeta> FromJson(const std::string& json);
};

struct FindingStoreOptions {
  std::string root = "out/findings";
  std::string known_dir = "corpus/known";
};

// Known findings: corpus/known/*.scn whose file name starts with a signature,
// or which carry `# signature: <sig>` comment lines (and `# upstream: URL`).
class KnownFindings {
 public:
  static KnownFindings Load(const std::string& dir);
  // The known file for this signature, or "".
  std::string Match(const std::string& signature) const;
  std::string Upstream(const std::string& signature) const;
  size_t size() const { return files_.size(); }

 private:
  std::map<std::string, std::string> files_;     // signature -> file
  std::map<std::string, std::string> upstream_;  // signature -> URL
};

class FindingStore {
 public:
  explicit FindingStore(FindingStoreOptions options);

  // Records one occurrence of `result` (which must be a finding) produced by
  // `scenario_text` under `strategy`. The first occurrence creates the
  // folder; later ones bump count, last_seen and strategies.
  absl::StatusOr<FindingMeta> Record(const run::RunResult& result, const std::string& scenario_text,
                                     const std::string& strategy);

  // The folder of a signature.
  std::string Folder(const std::string& signature) const;

 private:
  const FindingStoreOptions options_;
  const KnownFindings known_;
  Mutex mu_;
};

// A known finding's `# fixed-in: 3.14 [...]` comment line: the first CPython
// minor version on which it no longer reproduces ("3.14"), or "" when none is
// recorded. `endgame known` and the tests judge a known finding by it.
std::string KnownFixedIn(const std::string& scenario_text);
// Whether VERSION ("3.14.10", "3.14.10 release") is MINOR ("3.14") or later.
bool VersionAtLeast(const std::string& version, const std::string& minor);

// Reads <folder>/meta.json.
absl::StatusOr<FindingMeta> LoadMeta(const std::string& folder);
absl::Status SaveMeta(const std::string& folder, const FindingMeta& meta);

std::string NowUtc();

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_FINDINGS_H_
