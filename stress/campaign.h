// File: stress/campaign.h
//
// A stress campaign: scenarios from a corpus and from the seeded generator,
// each run under every campaign strategy in a supervised child process, on
// `jobs` parallel slots, until time is up or the user presses Ctrl-C. Every
// finding goes to the finding store as it happens; the summary compares the
// strategies (verdict counts, teardown latency p50/p99, findings new vs known).
// The library prints nothing: its progress line and errors go to the
// callbacks of CampaignOptions, its summary is returned (the `endgame stress`
// and `endgame compare` commands print them).
#ifndef ENDGAME_STRESS_CAMPAIGN_H_
#define ENDGAME_STRESS_CAMPAIGN_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "endgame/scenario/scenario.h"

namespace endgame::stress {

struct CampaignStrategy {
  std::string label;  // "cache", "dedicated", "cache workers=2 tstate=sticky"
  scenario::StrategySpec spec;
};

struct CampaignOptions {
  double minutes = 3;
  int jobs = 2;
  std::vector<CampaignStrategy> strategies;
  uint64_t seed = 0;
  std::string corpus_dir;  // "" for none
  std::string out_dir = "out";
  std::string known_dir = "corpus/known";
  std::string exe;  // the endgame binary for children
  int64_t deadline_ms = 5000;
  // Share of generated scenarios on the interpreters driver (else capi); -1:
  // the generator's default mix.
  int interpreters_driver_percent = -1;
  // Set by a signal handler: stop dispatching, kill running children, summarize.
  std::atomic<bool>* stop = nullptr;
  // Called about once a second, from a thread of the campaign, with the
  // progress line ("[01:05] 130 scenarios (2.0/s) | fatal 0 ... | findings 2 (1 new)").
  std::function<void(const std::string&)> on_progress;
  // Called from a job's thread when a finding cannot be stored.
  std::function<void(const std::string&)> on_error;
};

struct StrategyStats {
  int64_t scenarios = 0;
  std::map<std::string, int64_t> verdicts;  // verdict kind (and "killed", "expected") -> count
  std::vector<double> teardown_ms;          // successful destroy steps
  // Cancel latency (run::CancelRecord): from a cancel step to its task's end,
  // or for via=abandon to when the conductor stopped waiting.
  std::vector<double> cancel_ms;
  std::map<std::string, int64_t> cancel_outcomes;  // ended | abandoned | running -> count
};

struct FindingLine {
  std::string signature, verdict, step, folder;
  std::vector<std::string> strategies;
  int64_t count = 0;
  bool known = false;
  bool new_here = false;  // first seen in this campaign
  std::string cause, cause_title, finding_class;  // report/cause.h
};

// One root cause with the raw signatures under it (DESIGN.md §6).
struct CauseLine {
  std::string cause, title, finding_class;
  std::vector<const FindingLine*> signatures;  // into CampaignSummary::findings
  int64_t count = 0;
  std::vector<std::string> strategies;
};

// The findings grouped by cause, in order of first appearance.
std::vector<CauseLine> GroupByCause(const std::vector<FindingLine>& findings);

struct CampaignSummary {
  double seconds = 0;
  int64_t scenarios = 0;
  uint64_t seed = 0;
  bool interrupted = false;
  std::map<std::string, StrategyStats> per_strategy;  // by label
  std::vector<FindingLine> findings;
  // Outcomes of class "expected" (what the scenarios themselves caused, e.g.
  // an abandoned task's leftovers): never findings, counted here by verdict.
  int64_t expected = 0;
  std::map<std::string, int64_t> expected_by_verdict;
};

// Parses "cache,dedicated" or full specs ("cache workers=2 tstate=sticky");
// "all" stands for every built-in of the strategy table (scenario/strategies.h).
absl::StatusOr<std::vector<CampaignStrategy>> ParseStrategies(const std::string& list);

CampaignSummary RunCampaign(const CampaignOptions& options);

// The final table, and the JSON twin written to <out>/campaign.json.
std::string FormatSummary(const CampaignSummary& summary);
std::string SummaryJson(const CampaignSummary& summary);

}  // namespace endgame::stress

#endif  // ENDGAME_STRESS_CAMPAIGN_H_
