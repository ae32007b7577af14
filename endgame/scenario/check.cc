#include "endgame/scenario/check.h"

#include <algorithm>
#include <utility>

#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/internal/tracker.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"

namespace endgame::scenario {
namespace {

using internal::Where;

template <typename E>
E KnownOr(E value, E fallback) {
  return NameOf(value) == "?" ? fallback : value;
}

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); }

void Truncate(std::string* s) {
  if (s->size() > static_cast<size_t>(kMaxStringLength)) s->resize(kMaxStringLength);
}

void RepairHeader(Scenario* s) {
  Truncate(&s->name);
  std::vector<Requirement> reqs;
  for (Requirement r : s->requires_) {
    if (reqs.size() >= static_cast<size_t>(kMaxRequirements)) break;
    if (r.kind == Requirement::Kind::kCapability) {
      if (!IsCapabilityWord(r.capability)) continue;
      Requirement clean;
      clean.kind = r.kind;
      clean.capability = r.capability;
      r = clean;
    } else if (r.kind == Requirement::Kind::kPythonVersion) {
      r.op = KnownOr(r.op, Requirement::Op::kGe);
      r.major = static_cast<int>(Clamp(r.major, 0, kMaxVersionComponent));
      r.minor = static_cast<int>(Clamp(r.minor, 0, kMaxVersionComponent));
      r.micro = static_cast<int>(Clamp(r.micro, -1, kMaxVersionComponent));
      r.capability.clear();
    } else {
      continue;
    }
    reqs.push_back(std::move(r));
  }
  s->requires_ = std::move(reqs);
  s->driver = KnownOr(s->driver, Driver::kCapi);
  // The strategy, per its table entry: every argument clamped into its
  // bounds, a capi-only value dropped under another driver. Repair is for
  // fuzzer-made values; anything that still does not check (an unknown
  // word, a user module's bad arguments) falls back to the default.
  StrategySpec& st = s->strategy;
  if (const StrategyInfo* info = InfoOf(st)) {
    StrategySpec clean = DefaultSpec(*info);
    if (info->user_module) {
      clean = st;
    } else {
      for (const StrategyArg& a : info->args) {
        int64_t v = StrategyArgValue(st, a.key);
        if (a.unit == ArgUnit::kWord && (v < a.min || v > a.max)) v = a.default_value;
        v = Clamp(v, a.min, a.max);
        if (v == a.capi_only && s->driver != Driver::kCapi) v = a.default_value;
        SetStrategyArg(&clean, a.key, v);
      }
    }
    st = std::move(clean);
  }
  if (internal::StrategyProblem(st, s->driver).has_value()) st = StrategySpec{};
  s->deadline_ms = Clamp(s->deadline_ms, 1, kMaxMs);
  if (s->expect) {
    if (!IsVerdictWord(s->expect->verdict)) {
      s->expect.reset();
    } else {
      Truncate(&s->expect->detail);
    }
  }
}

int8_t ClampFlag(int8_t v) { return static_cast<int8_t>(Clamp(v, -1, 1)); }

Snippet RepairSnippet(const Snippet& in) {
  SnippetKind kind =
      static_cast<size_t>(in.kind) < AllSnippets().size() ? in.kind : SnippetKind::kNoop;
  Snippet out;
  out.kind = kind;
  for (const SnippetArg& a : InfoOf(kind).Args()) {
    if (a.type == ArgType::kInt || a.type == ArgType::kBool) {
      SetIntField(&out, a.field, Clamp(GetIntField(in, a.field), a.min, a.max));
    } else {
      out.text = in.text;
      Truncate(&out.text);
    }
  }
  return out;
}

Value RepairValue(const Value& in) {
  Value out;
  out.kind = KnownOr(in.kind, Value::Kind::kNone);
  if (out.kind == Value::Kind::kInt) out.n = Clamp(in.n, 0, kMaxIntValue);
  if (out.kind == Value::Kind::kQueue) {
    if (IsValidName(in.text)) {
      out.text = in.text;
    } else {
      out.kind = Value::Kind::kNone;
    }
  }
  if (out.has_text()) {
    out.text = in.text;
    Truncate(&out.text);
  }
  return out;
}

// `in` with values clamped into bounds and unused fields reset; nullopt when
// a name it needs is not a valid name.
std::optional<Step> RepairStep(const Step& in) {
  if (NameOf(in.kind) == "?") return std::nullopt;
  Step out;
  out.kind = in.kind;
  out.pos = in.pos;
  out.delay_us = Clamp(in.delay_us, 0, kMaxDelayUs);
  bool uses_interp = false;
  switch (in.kind) {
    case StepKind::kSpawn: {
      uses_interp = true;
      InterpConfig c = in.config;
      c.base = KnownOr(c.base, InterpConfig::Base::kIsolated);
      if (c.gil != InterpConfig::Gil::kDefault) c.gil = KnownOr(c.gil, InterpConfig::Gil::kDefault);
      if (c.gil_text) {
        c.gil = InterpConfig::Gil::kDefault;
        if (c.gil_text->size() > static_cast<size_t>(kMaxGilTextLength)) c.gil_text->resize(kMaxGilTextLength);
      }
      if (c.obmalloc != InterpConfig::Obmalloc::kDefault) {
        c.obmalloc = KnownOr(c.obmalloc, InterpConfig::Obmalloc::kDefault);
      }
      for (int8_t* f : {&c.threads, &c.daemon_threads, &c.fork, &c.exec, &c.check_extensions}) {
        *f = ClampFlag(*f);
      }
      out.config = c;
      break;
    }
    case StepKind::kExec:
      uses_interp = true;
      out.snippet = RepairSnippet(in.snippet);
      out.on = KnownOr(in.on, ExecOn::kStrategy);
      if (out.on != ExecOn::kConductor && IsValidName(in.task)) out.task = in.task;
      break;
    case StepKind::kWait:
    case StepKind::kCancel:
      if (!IsValidName(in.task)) return std::nullopt;
      out.task = in.task;
      if (in.kind == StepKind::kWait) {
        out.timeout_ms = Clamp(in.timeout_ms, 0, kMaxMs);
      } else {
        out.via = KnownOr(in.via, CancelVia::kAsyncExc);
      }
      break;
    case StepKind::kDestroy:
      uses_interp = true;
      out.destroy_via = KnownOr(in.destroy_via, DestroyVia::kAuto);
      out.from = KnownOr(in.from, DestroyFrom::kConductor);
      if (IsValidName(in.task)) out.task = in.task;
      break;
    case StepKind::kSleep:
      out.ms = Clamp(in.ms, 0, kMaxMs);
      break;
    case StepKind::kGc:
      uses_interp = true;
      break;
    case StepKind::kFinalize:
      break;
    case StepKind::kExit:
      out.code = Clamp(in.code, 0, kMaxExitCode);
      break;
    case StepKind::kFork:
      out.ms = Clamp(in.ms, 0, kMaxMs);
      break;
    case StepKind::kQueue:
    case StepKind::kPut:
    case StepKind::kGet:
      if (!IsValidName(in.queue)) return std::nullopt;
      out.queue = in.queue;
      if (in.kind == StepKind::kQueue) {
        out.channel = in.channel;
        out.maxsize = in.channel ? 0 : Clamp(in.maxsize, 0, kMaxQueueSize);
        out.unbound = KnownOr(in.unbound, Unbound::kReplace);
        break;
      }
      uses_interp = true;
      if (IsValidName(in.task)) out.task = in.task;
      if (in.kind == StepKind::kGet) {
        out.timeout_ms = Clamp(in.timeout_ms, 0, kMaxMs);
      } else {
        out.value = RepairValue(in.value);
      }
      break;
    case StepKind::kClose:
      if (!IsValidName(in.queue)) return std::nullopt;
      out.queue = in.queue;
      out.force = in.force;
      break;
    case StepKind::kShare:
      if (!internal::IsAttrName(in.attr)) return std::nullopt;
      uses_interp = true;
      out.attr = in.attr;
      out.value = RepairValue(in.value);
      break;
    case StepKind::kCall:
      uses_interp = true;
      out.func = KnownOr(in.func, CallFunc::kEcho);
      out.value = RepairValue(in.value);
      break;
  }
  if (uses_interp) {
    if (!IsValidName(in.interp)) return std::nullopt;
    out.interp = in.interp;
  }
  return out;
}

}  // namespace

absl::Status CheckScenario(const Scenario& s, std::string_view filename) {
  if (auto p = internal::HeaderProblem(s)) {
    return absl::InvalidArgumentError(internal::Cat(filename, ": ", *p));
  }
  internal::Tracker tracker;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step& st = s.steps[i];
    const internal::Origin at{st.pos.line, static_cast<int>(i + 1)};
    auto p = tracker.Advance(st, at);
    if (!p) continue;
    if (st.pos.line <= 0) {
      return absl::InvalidArgumentError(internal::Cat(filename, ": ", at.str(), ": ", p->message));
    }
    int col = st.pos.column;
    if (p->where == Where::kTarget && st.pos.target_column > 0) col = st.pos.target_column;
    if (p->where == Where::kAs && st.pos.as_column > 0) col = st.pos.as_column;
    if (p->where == Where::kQueue && st.pos.queue_column > 0) col = st.pos.queue_column;
    if (col <= 0) {
      return absl::InvalidArgumentError(
          internal::Cat(filename, ":", st.pos.line, ": ", p->message));
    }
    return absl::InvalidArgumentError(
        internal::Cat(filename, ":", st.pos.line, ":", col, ": ", p->message));
  }
  return absl::OkStatus();
}

void RepairScenario(Scenario* s) {
  RepairHeader(s);
  internal::Tracker tracker;
  std::vector<Step> kept;
  for (const Step& in : s->steps) {
    if (tracker.finalized() || tracker.steps() >= kMaxSteps) break;
    std::optional<Step> st = RepairStep(in);
    if (!st) continue;
    internal::Origin at{0, static_cast<int>(kept.size() + 1)};
    auto p = tracker.Check(*st);
    if (p && p->where == Where::kAs && !st->task.empty()) {
      st->task.clear();  // keep the step, synchronously
      p = tracker.Check(*st);
    }
    if (p && tracker.HandleProblem(st->value)) {
      st->value = Value{};  // keep the step, with no handle
      p = tracker.Check(*st);
    }
    if (p) continue;
    tracker.Apply(*st, at);
    kept.push_back(std::move(*st));
  }
  s->steps = std::move(kept);
}

}  // namespace endgame::scenario
