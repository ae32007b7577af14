#include "endgame/run/result.h"

#include "endgame/base/json.h"
#include "endgame/base/json_parse.h"

namespace endgame::run {

const char* OutcomeClass(const RunResult& r) {
  if (!r.expected_reason.empty()) return "expected";
  return IsFindingKind(r.verdict.kind) ? "finding" : "none";
}

std::string ToJson(const RunResult& r) {
  JsonWriter j;
  j.BeginObject();
  j.Key("verdict");
  j.String(r.verdict.ToString());
  j.Key("verdict_kind");
  j.String(VerdictKindName(r.verdict.kind));
  j.Key("detail");
  j.String(r.verdict.detail);
  j.Key("class");
  j.String(OutcomeClass(r));
  j.Key("expected_reason");
  j.String(r.expected_reason);
  j.Key("signature");
  j.String(r.signature);
  j.Key("guilty_step");
  j.String(r.guilty_step);
  j.Key("guilty_index");
  j.Int(r.guilty_index);
  j.Key("guilty_thread");
  j.String(r.guilty_thread);
  j.Key("expected");
  j.String(r.expected);
  j.Key("expectation_met");
  j.Bool(r.expectation_met);
  j.Key("poisoned");
  j.Bool(r.poisoned);
  j.Key("cycles");
  j.Int(r.cycles);
  j.Key("python");
  j.String(r.python);
  j.Key("notes");
  j.BeginArray();
  for (const std::string& n : r.notes) j.String(n);
  j.EndArray();
  j.Key("steps");
  j.BeginArray();
  for (const StepRecord& s : r.steps) {
    j.BeginObject();
    j.Key("index");
    j.Int(s.index);
    j.Key("kind");
    j.String(s.kind);
    j.Key("text");
    j.String(s.text);
    j.Key("start_us");
    j.Int(s.start_us);
    j.Key("duration_us");
    j.Int(s.duration_us);
    j.Key("status");
    j.String(s.status);
    j.EndObject();
  }
  j.EndArray();
  j.Key("cancels");
  j.BeginArray();
  for (const CancelRecord& c : r.cancels) {
    j.BeginObject();
    j.Key("step");
    j.Int(c.step);
    j.Key("via");
    j.String(c.via);
    j.Key("outcome");
    j.String(c.outcome);
    j.Key("latency_us");
    j.Int(c.latency_us);
    j.EndObject();
  }
  j.EndArray();
  j.Key("oracles");
  j.BeginArray();
  for (const OracleRecord& o : r.oracles) {
    j.BeginObject();
    j.Key("name");
    j.String(o.name);
    j.Key("before");
    j.Int(o.before);
    j.Key("after");
    j.Int(o.after);
    j.Key("delta");
    j.Int(o.delta);
    j.Key("detail");
    j.String(o.detail);
    j.Key("leak");
    j.Bool(o.leak);
    j.EndObject();
  }
  j.EndArray();
  j.Key("stacks");
  j.String(r.stacks);
  j.EndObject();
  return j.str();
}

absl::StatusOr<RunResult> FromJson(const std::string& json) {
  absl::StatusOr<JsonValue> v = ParseJson(json);
  if (!v.ok()) return v.status();
  const JsonValue& o = *v;
  RunResult r;
  if (!ParseVerdictKind(o["verdict_kind"].str(), &r.verdict.kind)) {
    return absl::InvalidArgumentError("result JSON: bad verdict_kind");
  }
  r.verdict.detail = o["detail"].str();
  r.signature = o["signature"].str();
  r.expected_reason = o["expected_reason"].str();
  r.guilty_step = o["guilty_step"].str();
  r.guilty_index = static_cast<int>(o["guilty_index"].integer());
  r.guilty_thread = o["guilty_thread"].str();
  r.expected = o["expected"].str();
  r.expectation_met = o["expectation_met"].boolean();
  r.poisoned = o["poisoned"].boolean();
  r.cycles = static_cast<int>(o["cycles"].integer());
  r.python = o["python"].str();
  for (const JsonValue& n : o["notes"].items()) r.notes.push_back(n.str());
  r.stacks = o["stacks"].str();
  for (const JsonValue& s : o["steps"].items()) {
    r.steps.push_back({static_cast<int>(s["index"].integer()), s["kind"].str(), s["text"].str(),
                       s["start_us"].integer(), s["duration_us"].integer(), s["status"].str()});
  }
  for (const JsonValue& c : o["cancels"].items()) {
    r.cancels.push_back({static_cast<int>(c["step"].integer()), c["via"].str(), c["outcome"].str(),
                         c["latency_us"].integer()});
  }
  for (const JsonValue& x : o["oracles"].items()) {
    r.oracles.push_back({x["name"].str(), x["before"].integer(), x["after"].integer(), x["delta"].integer(),
                         x["detail"].str(), x["leak"].boolean()});
  }
  return r;
}

}  // namespace endgame::run
