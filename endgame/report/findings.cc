#include "endgame/report/findings.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "endgame/base/json.h"
#include "endgame/base/json_parse.h"
#include "endgame/report/atomic_file.h"
#include "endgame/report/cause.h"
#include "endgame/scenario/text.h"

namespace endgame::report {

namespace fs = std::filesystem;

bool IsFinding(const run::RunResult& r) {
  return run::IsFindingKind(r.verdict.kind) && r.expected_reason.empty();
}

std::string NowUtc() { return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone()); }

std::string FindingMeta::ToJson() const {
  JsonWriter j;
  j.BeginObject();
  j.Key("signature"); j.String(signature);
  j.Key("verdict"); j.String(verdict);
  j.Key("verdict_kind"); j.String(verdict_kind);
  j.Key("detail"); j.String(detail);
  j.Key("step"); j.String(step);
  j.Key("strategies");
  j.BeginArray();
  for (const auto& s : strategies) j.String(s);
  j.EndArray();
  j.Key("python"); j.String(python);
  j.Key("first_seen"); j.String(first_seen);
  j.Key("last_seen"); j.String(last_seen);
  j.Key("count"); j.Int(count);
  j.Key("reproduced"); j.Int(reproduced);
  j.Key("runs"); j.Int(runs);
  j.Key("known"); j.Bool(known);
  j.Key("known_file"); j.String(known_file);
  j.Key("minimized"); j.Bool(minimized);
  j.Key("upstream"); j.String(upstream);
  j.Key("cause"); j.String(cause);
  j.Key("cause_title"); j.String(cause_title);
  j.Key("cause_frames");
  j.BeginArray();
  for (const auto& f : cause_frames) j.String(f);
  j.EndArray();
  j.Key("limitation"); j.String(limitation);
  j.Key("class"); j.String(finding_class);
  j.EndObject();
  return j.str() + "\n";
}

absl::StatusOr<FindingMeta> FindingMeta::FromJson(const std::string& json) {
  absl::StatusOr<JsonValue> v = ParseJson(json);
  if (!v.ok()) return v.status();
  const JsonValue& o = *v;
  FindingMeta m;
  m.signature = o["signature"].str();
  if (m.signature.empty()) return absl::InvalidArgumentError("meta.json without a signature");
  m.verdict = o["verdict"].str();
  m.verdict_kind = o["verdict_kind"].str();
  m.detail = o["detail"].str();
  m.step = o["step"].str();
  for (const JsonValue& s : o["strategies"].items()) m.strategies.push_back(s.str());
  m.python = o["python"].str();
  m.first_seen = o["first_seen"].str();
  m.last_seen = o["last_seen"].str();
  m.count = o["count"].integer();
  m.reproduced = static_cast<int>(o["reproduced"].integer());
  m.runs = static_cast<int>(o["runs"].integer());
  m.known = o["known"].boolean();
  m.known_file = o["known_file"].str();
  m.minimized = o["minimized"].boolean();
  m.upstream = o["upstream"].str();
  m.cause = o["cause"].str();
  m.cause_title = o["cause_title"].str();
  for (const JsonValue& f : o["cause_frames"].items()) m.cause_frames.push_back(f.str());
  m.limitation = o["limitation"].str();
  m.finding_class = o["class"].str();
  return m;
}

KnownFindings KnownFindings::Load(const std::string& dir) {
  KnownFindings k;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return k;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".scn") continue;
    std::string file = e.path().string();
    std::string stem = e.path().stem().string();
    std::vector<std::string> sigs;
    std::string upstream;
    if (stem.size() >= 12 && std::all_of(stem.begin(), stem.begin() + 12, [](char c) { return std::isxdigit(c); })) {
      sigs.push_back(stem.substr(0, 12));
    }
    absl::StatusOr<std::string> text = ReadFile(file);
    if (text.ok()) {
      for (absl::string_view line : absl::StrSplit(*text, '\n')) {
        line = absl::StripAsciiWhitespace(line);
        if (absl::ConsumePrefix(&line, "# signature:")) {  // the signature, then an optional remark
          line = absl::StripAsciiWhitespace(line);
          sigs.emplace_back(line.substr(0, line.find(' ')));
        }
        if (absl::ConsumePrefix(&line, "# upstream:")) upstream = std::string(absl::StripAsciiWhitespace(line));
      }
    }
    for (const std::string& s : sigs) {
      k.files_[s] = file;
      if (!upstream.empty()) k.upstream_[s] = upstream;
    }
  }
  return k;
}

std::string KnownFindings::Match(const std::string& signature) const {
  auto it = files_.find(signature);
  return it == files_.end() ? "" : it->second;
}

std::string KnownFindings::Upstream(const std::string& signature) const {
  auto it = upstream_.find(signature);
  return it == upstream_.end() ? "" : it->second;
}

std::string KnownFixedIn(const std::string& scenario_text) {
  for (absl::string_view line : absl::StrSplit(scenario_text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "# fixed-in:")) continue;
    line = absl::StripAsciiWhitespace(line);
    return std::string(line.substr(0, line.find_first_of(" \t")));
  }
  return "";
}

bool VersionAtLeast(const std::string& version, const std::string& minor) {
  auto parts = [](absl::string_view v) {
    v = v.substr(0, v.find(' '));
    std::vector<int> out;
    for (absl::string_view p : absl::StrSplit(v, '.')) {
      int n = 0;
      if (!absl::SimpleAtoi(p, &n)) break;
      out.push_back(n);
    }
    return out;
  };
  std::vector<int> have = parts(version), want = parts(minor);
  for (size_t i = 0; i < want.size(); ++i) {
    int h = i < have.size() ? have[i] : 0;
    if (h != want[i]) return h > want[i];
  }
  return !want.empty();
}

FindingStore::FindingStore(FindingStoreOptions options)
    : options_(std::move(options)), known_(KnownFindings::Load(options_.known_dir)) {}

std::string FindingStore::Folder(const std::string& signature) const {
  return (fs::path(options_.root) / signature).string();
}

absl::StatusOr<FindingMeta> LoadMeta(const std::string& folder) {
  absl::StatusOr<std::string> text = ReadFile((fs::path(folder) / kMetaFile).string());
  if (!text.ok()) return text.status();
  return FindingMeta::FromJson(*text);
}

absl::Status SaveMeta(const std::string& folder, const FindingMeta& meta) {
  return WriteFileAtomically((fs::path(folder) / kMetaFile).string(), meta.ToJson());
}

absl::StatusOr<FindingMeta> FindingStore::Record(const run::RunResult& r, const std::string& scenario_text,
                                                 const std::string& strategy) {
  MutexLock lock(&mu_);
  std::string folder = Folder(r.signature);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", folder, ": ", ec.message()));
  absl::StatusOr<FindingMeta> existing = LoadMeta(folder);
  FindingMeta m;
  if (existing.ok()) {
    m = *existing;
  } else {
    m.signature = r.signature;
    m.verdict = r.verdict.ToString();
    m.verdict_kind = run::VerdictKindName(r.verdict.kind);
    m.detail = r.verdict.detail;
    m.step = r.guilty_step;
    m.python = r.python;
    m.first_seen = NowUtc();
    absl::StatusOr<scenario::Scenario> parsed = scenario::ParseScenario(scenario_text, kScenarioFile);
    RootCause cause = CauseOf(r, parsed.ok() ? &*parsed : nullptr);
    m.cause = cause.key;
    m.cause_title = cause.title;
    m.cause_frames = cause.frames;
    m.limitation = cause.limitation;
    m.upstream = cause.upstream;
    // The scenario and its evidence are written before meta.json: a folder
    // with meta.json is always complete.
    for (const auto& [name, content] : std::vector<std::pair<std::string, std::string>>{
             {kOriginalFile, scenario_text},
             {kScenarioFile, scenario_text},
             {kStacksFile, r.stacks},
             {kResultFile, run::ToJson(r) + "\n"}}) {
      absl::Status s = WriteFileAtomically((fs::path(folder) / name).string(), content);
      if (!s.ok()) return s;
    }
  }
  m.known_file = known_.Match(m.signature);
  m.known = !m.known_file.empty();
  if (m.upstream.empty()) m.upstream = known_.Upstream(m.signature);
  {
    RootCause c;
    c.limitation = m.limitation;
    c.upstream = m.upstream;  // the cause's own (recorded when the folder was made) or the known file's
    m.finding_class = FindingClass(c, "", m.known, m.upstream);
  }
  m.last_seen = NowUtc();
  ++m.count;
  if (std::find(m.strategies.begin(), m.strategies.end(), strategy) == m.strategies.end()) {
    m.strategies.push_back(strategy);
  }
  absl::Status s = SaveMeta(folder, m);
  if (!s.ok()) return s;
  return m;
}

}  // namespace endgame::report
