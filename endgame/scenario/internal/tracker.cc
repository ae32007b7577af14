#include "endgame/scenario/internal/tracker.h"

#include <algorithm>

#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/snippets.h"

namespace endgame::scenario::internal {
namespace {

template <typename E>
bool Known(E value) {
  return NameOf(value) != "?";
}

std::string BadName(std::string_view what, const std::string& name) {
  return Cat("bad ", what, " name ", Quoted(name), " (names are [a-z][a-z0-9_]*, at most ",
             kMaxNameLength, " characters)");
}

}  // namespace

bool IsAttrName(std::string_view name) {
  if (name.empty() || name.size() > static_cast<size_t>(kMaxNameLength)) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  for (char c : name) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string BadTargetName(std::string_view key, const std::string& name) {
  return Cat("bad interpreter name ", Quoted(name), " for '", key, "' (names are [a-z][a-z0-9_]*, at most ",
             kMaxNameLength, " characters)");
}

std::string MissingTarget(std::string_view snippet, std::string_view key) {
  return Cat("snippet '", snippet, "' needs ", key, "=INTERPRETER");
}

std::string BadAttrName(const std::string& name) {
  return Cat("bad attribute name ", Quoted(name), " (names are [A-Za-z_][A-Za-z0-9_]*, at most ", kMaxNameLength,
             " characters)");
}

namespace {

std::optional<std::string> RangeProblem(std::string_view name, int64_t value, int64_t min,
                                        int64_t max) {
  if (value >= min && value <= max) return std::nullopt;
  return RangeMessage(name, min, max, Cat(value));
}

std::optional<std::string> SnippetProblem(const Snippet& s) {
  if (static_cast<int>(s.kind) < 0 || static_cast<size_t>(s.kind) >= AllSnippets().size()) {
    return Cat("unknown snippet kind ", static_cast<int>(s.kind));
  }
  const SnippetInfo& info = InfoOf(s.kind);
  bool uses_text = false;
  unsigned used = 0;  // bit per SnippetField
  for (const SnippetArg& a : info.Args()) {
    used |= 1u << static_cast<int>(a.field);
    switch (a.type) {
      case ArgType::kInt:
      case ArgType::kBool:
        if (auto p = RangeProblem(a.name, GetIntField(s, a.field), a.min, a.max)) return p;
        break;
      case ArgType::kInterp:
        uses_text = true;
        if (!IsValidName(s.text)) {
          return s.text.empty() ? MissingTarget(info.name, a.name) : BadTargetName(a.name, s.text);
        }
        break;
      case ArgType::kIdentOrString:
      case ArgType::kSource:
        uses_text = true;
        if (s.text.size() > static_cast<size_t>(kMaxStringLength)) {
          return Cat("'", a.name, "' is longer than ", kMaxStringLength, " bytes");
        }
        break;
    }
  }
  bool unused_set = !uses_text && !s.text.empty();
  for (SnippetField f : {SnippetField::kN, SnippetField::kMs, SnippetField::kKb,
                         SnippetField::kDepth, SnippetField::kDaemon}) {
    if (!(used & (1u << static_cast<int>(f))) && GetIntField(s, f) != 0) unused_set = true;
  }
  if (unused_set) return Cat("snippet '", info.name, "' has a value in a field it does not use");
  return std::nullopt;
}

std::optional<std::string> ValueProblem(const Value& v) {
  if (!Known(v.kind)) return std::string("bad value kind");
  if (v.kind == Value::Kind::kInt) {
    if (auto p = RangeProblem("value", v.n, 0, kMaxIntValue)) return p;
  } else if (v.n != 0) {
    return std::string("a value that is not an int has a number");
  }
  if (v.kind == Value::Kind::kQueue) {
    if (!IsValidName(v.text)) return BadName("queue", v.text) + " in 'value'";
  } else if (!v.has_text() && !v.text.empty()) {
    return std::string("a value that is not str, bytes or a queue has text");
  }
  if (v.text.size() > static_cast<size_t>(kMaxStringLength)) {
    return Cat("'value' is longer than ", kMaxStringLength, " bytes");
  }
  return std::nullopt;
}

std::optional<std::string> ConfigProblem(const InterpConfig& c) {
  if (!Known(c.base)) return std::string("bad interpreter config base");
  if (c.gil != InterpConfig::Gil::kDefault && !Known(c.gil))
    return std::string("bad value for 'gil'");
  if (c.gil_text && c.gil != InterpConfig::Gil::kDefault) return std::string("'gil' is both a word and a string");
  if (c.gil_text && c.gil_text->size() > static_cast<size_t>(kMaxGilTextLength)) {
    return Cat("'gil' is longer than ", kMaxGilTextLength, " bytes");
  }
  if (c.obmalloc != InterpConfig::Obmalloc::kDefault && !Known(c.obmalloc)) {
    return std::string("bad value for 'obmalloc'");
  }
  const std::pair<const char*, int8_t> flags[] = {{"threads", c.threads},
                                                  {"daemon_threads", c.daemon_threads},
                                                  {"fork", c.fork},
                                                  {"exec", c.exec},
                                                  {"check_extensions", c.check_extensions}};
  for (const auto& [name, v] : flags) {
    if (v < -1 || v > 1) return Cat("'", name, "' must be 0 or 1, got ", v);
  }
  return std::nullopt;
}

}  // namespace

std::string Origin::str() const { return line > 0 ? Cat("line ", line) : Cat("step ", index); }

std::string RangeMessage(std::string_view name, int64_t min, int64_t max, std::string_view got) {
  return Cat("'", name, "' must be between ", min, " and ", max, ", got ", got);
}

static bool IsIdentifier(std::string_view k) {
  return !k.empty() && k.find('.') == std::string_view::npos && IsDottedIdentifier(k);
}

// A strategy spec as the parser makes it, per the strategy table: cache and
// dedicated with only their own typed fields; the other built-ins with
// canonical bounded arguments; `python` with a module and identifier keys.
std::optional<std::string> StrategyProblem(const StrategySpec& st, Driver driver) {
  const StrategyInfo* info = InfoOf(st);
  if (info == nullptr) {
    if (st.kind == StrategyKind::kPython) return "unknown strategy " + Quoted(st.python);
    return std::string("bad strategy");
  }
  const std::string what = Cat("'strategy ", info->word, "'");
  if (st.kind != StrategyKind::kPython) {
    // Typed fields: each either one of this entry's arguments, or at its default.
    for (const TypedField& f : TypedFields()) {
      const StrategyArg* arg = FindArg(*info, f.key);
      int64_t v = StrategyArgValue(st, f.key);
      if (arg == nullptr) {
        if (v != f.default_value) return Cat(what, " takes no argument '", f.key, "'");
        continue;
      }
      if (arg->unit == ArgUnit::kWord) {
        if (v < arg->min || v > arg->max) return Cat("bad value for '", f.key, "'");
      } else if (auto p = RangeProblem(f.key, v, arg->min, arg->max)) {
        return p;
      }
      if (v == arg->capi_only && driver != Driver::kCapi) {
        return Cat(f.key, "=", ArgText(*arg, v), " needs driver capi");
      }
    }
    if (!st.python.empty() || !st.module.empty() || !st.args.empty()) {
      return Cat(what, " has a module or string arguments");
    }
    return std::nullopt;
  }
  if (st.workers != 1 || st.tstate != TstateMode::kPerCall || st.bound_ms != 0) {
    return std::string("a Python strategy takes no workers/tstate/bound_ms fields (they are args)");
  }
  if (st.args.size() > static_cast<size_t>(kMaxStrategyArgs)) return std::string("too many strategy arguments");
  for (const auto& [k, v] : st.args) {
    if (!IsIdentifier(k)) return "bad strategy argument name " + Quoted(k);
    if (k == "module") return std::string("module= is the spec's module, not an argument");
    if (v.size() > static_cast<size_t>(kMaxStringLength)) return "strategy argument " + Quoted(k) + " is too long";
  }
  if (!info->user_module) {
    if (!st.module.empty()) return Cat(what, " takes no argument 'module'");
    size_t next = 0;  // table order
    for (const auto& [k, v] : st.args) {
      const StrategyArg* arg = nullptr;
      while (next < info->args.size() && arg == nullptr) {
        if (info->args[next].key == k) arg = &info->args[next];
        ++next;
      }
      if (arg == nullptr) return Cat(what, " takes no argument ", Quoted(k), " (or out of order)");
      int64_t n = 0;
      if (arg->unit == ArgUnit::kWord) {
        n = -1;
        for (size_t i = 0; i < arg->words.size(); ++i) {
          if (arg->words[i] == v) n = static_cast<int64_t>(i);
        }
        if (n < 0) return Cat("unknown value ", Quoted(v), " for '", k, "'");
      } else {
        bool digits = !v.empty() && v.size() <= 18 && (v == "0" || v[0] != '0');
        for (char c : v) digits &= c >= '0' && c <= '9';
        if (!digits) return "'" + std::string(k) + "' must be a number, got " + Quoted(v);
        n = std::stoll(v);
        if (auto p = RangeProblem(k, n, arg->min, arg->max)) return p;
      }
      if (n == arg->default_value) return Cat("'", k, "' equal to its default is omitted");
      if (n == arg->capi_only && driver != Driver::kCapi) return Cat(k, "=", v, " needs driver capi");
    }
    return std::nullopt;
  }
  if (st.module.empty()) return std::string("'strategy python' needs module=");
  if (st.module.size() > static_cast<size_t>(kMaxStringLength)) return std::string("module= is too long");
  for (size_t i = 0; i < st.args.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (st.args[j].first == st.args[i].first) return "duplicate argument " + Quoted(st.args[i].first);
    }
  }
  return std::nullopt;
}

std::optional<std::string> HeaderProblem(const Scenario& s) {
  if (s.name.size() > static_cast<size_t>(kMaxStringLength)) {
    return Cat("name is longer than ", kMaxStringLength, " bytes");
  }
  if (s.requires_.size() > static_cast<size_t>(kMaxRequirements)) {
    return Cat("too many requirements (at most ", kMaxRequirements, ")");
  }
  for (const Requirement& r : s.requires_) {
    if (r.kind == Requirement::Kind::kCapability) {
      if (!IsCapabilityWord(r.capability)) {
        return "unknown requirement " + Quoted(r.capability);
      }
      if (r.op != Requirement::Op::kGe || r.major != 3 || r.minor != 0 || r.micro != -1) {
        return "requirement " + Quoted(r.capability) + " has a version";
      }
    } else if (r.kind == Requirement::Kind::kPythonVersion) {
      if (!Known(r.op) || r.major < 0 || r.major > kMaxVersionComponent || r.minor < 0 ||
          r.minor > kMaxVersionComponent || r.micro < -1 || r.micro > kMaxVersionComponent ||
          !r.capability.empty()) {
        return std::string("bad python version requirement");
      }
    } else {
      return std::string("bad requirement kind");
    }
  }
  if (!Known(s.driver)) return std::string("bad driver");
  if (auto p = StrategyProblem(s.strategy, s.driver)) return p;
  if (auto p = RangeProblem("deadline_ms", s.deadline_ms, 1, kMaxMs)) return p;
  if (s.expect) {
    if (!IsVerdictWord(s.expect->verdict)) return "unknown verdict " + Quoted(s.expect->verdict);
    if (s.expect->detail.size() > static_cast<size_t>(kMaxStringLength)) {
      return Cat("expect detail is longer than ", kMaxStringLength, " bytes");
    }
  }
  return std::nullopt;
}

std::optional<Problem> StepValueProblem(const Step& s) {
  auto at_step = [](std::string m) { return Problem{std::move(m), Where::kStep}; };
  if (!Known(s.kind)) return at_step("unknown step kind");
  if (auto p = RangeProblem("delay_us", s.delay_us, 0, kMaxDelayUs)) return at_step(*p);
  // The fields this kind uses; every other one must keep its default.
  enum : unsigned {
    kInterp = 1,
    kTask = 2,
    kConfig = 4,
    kSnippet = 8,
    kOn = 16,
    kVia = 32,
    kDestroyVia = 64,
    kFrom = 128,
    kTimeout = 256,
    kMs = 512,
    kQueue = 1024,
    kMaxsize = 2048,
    kUnbound = 4096,
    kValue = 8192,
    kAttr = 16384,
    kFunc = 32768,
    kChannel = 65536,
    kForce = 131072,
    kCode = 262144,
  };
  unsigned used = 0;
  bool task_optional = false;
  switch (s.kind) {
    case StepKind::kSpawn:
      used = kInterp | kConfig;
      if (auto p = ConfigProblem(s.config)) return at_step(*p);
      break;
    case StepKind::kExec:
      used = kInterp | kTask | kSnippet | kOn;
      task_optional = true;
      if (!Known(s.on)) return at_step("bad value for 'on'");
      if (auto p = SnippetProblem(s.snippet)) return at_step(*p);
      break;
    case StepKind::kWait:
      used = kTask | kTimeout;
      if (auto p = RangeProblem("timeout_ms", s.timeout_ms, 0, kMaxMs)) return at_step(*p);
      break;
    case StepKind::kCancel:
      used = kTask | kVia;
      if (!Known(s.via)) return at_step("bad value for 'via'");
      break;
    case StepKind::kDestroy:
      used = kInterp | kTask | kDestroyVia | kFrom;
      task_optional = true;
      if (!Known(s.destroy_via)) return at_step("bad value for 'via'");
      if (!Known(s.from)) return at_step("bad value for 'from'");
      break;
    case StepKind::kSleep:
      used = kMs;
      if (auto p = RangeProblem("ms", s.ms, 0, kMaxMs)) return at_step(*p);
      break;
    case StepKind::kGc:
      used = kInterp;
      break;
    case StepKind::kFinalize:
      break;
    case StepKind::kExit:
      used = kCode;
      if (auto p = RangeProblem("code", s.code, 0, kMaxExitCode)) return at_step(*p);
      break;
    case StepKind::kFork:
      used = kMs;
      if (auto p = RangeProblem("ms", s.ms, 0, kMaxMs)) return at_step(*p);
      break;
    case StepKind::kQueue:
      // A channel has no maxsize (kMaxsize unused: it must stay 0).
      used = s.channel ? kQueue | kUnbound | kChannel : kQueue | kMaxsize | kUnbound;
      if (auto p = RangeProblem("maxsize", s.maxsize, 0, kMaxQueueSize)) return at_step(*p);
      if (!Known(s.unbound)) return at_step("bad value for 'unbound'");
      break;
    case StepKind::kClose:
      used = kQueue | kForce;
      break;
    case StepKind::kPut:
      used = kInterp | kTask | kQueue | kValue;
      task_optional = true;
      if (auto p = ValueProblem(s.value)) return at_step(*p);
      break;
    case StepKind::kGet:
      used = kInterp | kTask | kQueue | kTimeout;
      task_optional = true;
      if (auto p = RangeProblem("timeout_ms", s.timeout_ms, 0, kMaxMs)) return at_step(*p);
      break;
    case StepKind::kShare:
      used = kInterp | kAttr | kValue;
      if (!IsAttrName(s.attr)) return at_step(BadAttrName(s.attr));
      if (auto p = ValueProblem(s.value)) return at_step(*p);
      break;
    case StepKind::kCall:
      used = kInterp | kFunc | kValue;
      if (!Known(s.func)) return at_step("bad value for 'func'");
      if (auto p = ValueProblem(s.value)) return at_step(*p);
      break;
  }
  if ((used & kQueue) && !IsValidName(s.queue)) {
    return Problem{BadName(s.channel || s.kind == StepKind::kClose ? "channel" : "queue", s.queue),
                   s.kind == StepKind::kQueue ? Where::kTarget : Where::kQueue};
  }
  if ((used & kInterp) && !IsValidName(s.interp)) {
    return Problem{BadName("interpreter", s.interp), Where::kTarget};
  }
  if ((used & kTask) && !(task_optional && s.task.empty()) && !IsValidName(s.task)) {
    return Problem{BadName("task", s.task), task_optional ? Where::kAs : Where::kTarget};
  }
  static const Step kDefault;
  const bool unused_set =
      (!(used & kInterp) && !s.interp.empty()) || (!(used & kTask) && !s.task.empty()) ||
      (!(used & kConfig) && s.config != kDefault.config) ||
      (!(used & kSnippet) && s.snippet != kDefault.snippet) ||
      (!(used & kOn) && s.on != kDefault.on) || (!(used & kVia) && s.via != kDefault.via) ||
      (!(used & kDestroyVia) && s.destroy_via != kDefault.destroy_via) ||
      (!(used & kFrom) && s.from != kDefault.from) ||
      (!(used & kTimeout) && s.timeout_ms != kDefault.timeout_ms) ||
      (!(used & kMs) && s.ms != kDefault.ms) || (!(used & kQueue) && !s.queue.empty()) ||
      (!(used & kMaxsize) && s.maxsize != kDefault.maxsize) ||
      (!(used & kUnbound) && s.unbound != kDefault.unbound) ||
      (!(used & kValue) && s.value != kDefault.value) || (!(used & kAttr) && !s.attr.empty()) ||
      (!(used & kFunc) && s.func != kDefault.func) || (!(used & kChannel) && s.channel) ||
      (!(used & kForce) && s.force) || (!(used & kCode) && s.code != kDefault.code);
  if (unused_set) {
    return at_step(Cat("'", StepWord(s), "' step has a value in a field it does not use"));
  }
  return std::nullopt;
}

bool Tracker::CanUse(const std::string& interp) const {
  auto it = interps_.find(interp);
  return it != interps_.end() && it->second.state != State::kDestroyed;
}

bool Tracker::CanSpawn(const std::string& interp) const {
  auto it = interps_.find(interp);
  return it == interps_.end() || it->second.state == State::kDestroyed;
}

bool Tracker::CanDefineTask(const std::string& task) const {
  return tasks_.size() < static_cast<size_t>(kMaxTasks) && tasks_.count(task) == 0;
}

std::optional<Problem> Tracker::UseProblem(const std::string& interp) const {
  auto it = interps_.find(interp);
  if (it == interps_.end()) {
    return Problem{"interpreter " + Quoted(interp) + " is used before it is spawned",
                   Where::kTarget};
  }
  if (it->second.state == State::kDestroyed) {
    return Problem{"interpreter " + Quoted(interp) + " is used after it was destroyed (" +
                       it->second.destroyed_at.str() + ")",
                   Where::kTarget};
  }
  return std::nullopt;
}

std::optional<Problem> Tracker::DefineProblem(const std::string& task) const {
  auto it = tasks_.find(task);
  if (it != tasks_.end()) {
    return Problem{
        "task " + Quoted(task) + " is already defined (" + it->second.defined_at.str() + ")",
        Where::kAs};
  }
  if (tasks_.size() >= static_cast<size_t>(kMaxTasks)) {
    return Problem{Cat("too many tasks (at most ", kMaxTasks, ")"), Where::kAs};
  }
  return std::nullopt;
}

std::optional<Problem> Tracker::Check(const scenario::Step& step) const {
  if (finalized_) {
    return Problem{"no step may follow '" + finalized_by_ + "' (" + finalized_at_.str() + ")", Where::kStep};
  }
  if (steps_ >= kMaxSteps) {
    return Problem{Cat("too many steps (at most ", kMaxSteps, ")"), Where::kStep};
  }
  if (auto p = StepValueProblem(step)) return p;
  switch (step.kind) {
    case StepKind::kSpawn: {
      if (spawns_ >= kMaxSpawns) {
        return Problem{Cat("too many spawns (at most ", kMaxSpawns, ")"), Where::kStep};
      }
      auto it = interps_.find(step.interp);
      if (it == interps_.end() || it->second.state == State::kDestroyed) return std::nullopt;
      if (it->second.state == State::kAlive) {
        return Problem{"interpreter " + Quoted(step.interp) + " is already spawned (" +
                           it->second.spawned_at.str() + ")",
                       Where::kTarget};
      }
      return Problem{"interpreter " + Quoted(step.interp) + " is still being destroyed by task " +
                         Quoted(it->second.destroy_tasks.back()) + " (" +
                         it->second.destroyed_at.str() + "); wait for it first",
                     Where::kTarget};
    }
    case StepKind::kExec:
      if (auto p = UseProblem(step.interp)) return p;
      if (const std::string* target = NestedTarget(step.snippet); target && interps_.count(*target) == 0) {
        return Problem{"interpreter " + Quoted(*target) + " (target=) is used before it is spawned", Where::kStep};
      }
      if (!step.task.empty()) {
        if (step.on == ExecOn::kConductor) {
          return Problem{"'as' cannot be used with on=conductor (conductor execs are synchronous)",
                         Where::kAs};
        }
        return DefineProblem(step.task);
      }
      return std::nullopt;
    case StepKind::kDestroy:
      if (auto p = UseProblem(step.interp)) return p;
      if (!step.task.empty()) return DefineProblem(step.task);
      return std::nullopt;
    case StepKind::kGc:
      return UseProblem(step.interp);
    case StepKind::kShare:
    case StepKind::kCall:
      if (auto p = HandleProblem(step.value)) return p;
      return UseProblem(step.interp);
    case StepKind::kWait:
    case StepKind::kCancel: {
      auto it = tasks_.find(step.task);
      if (it == tasks_.end()) {
        return Problem{
            "task " + Quoted(step.task) + " is used before 'as " + step.task + "' defines it",
            Where::kTarget};
      }
      if (step.kind == StepKind::kCancel && it->second.destroys) {
        return Problem{"cannot cancel " + Quoted(step.task) + ": it destroys interpreter " +
                           Quoted(it->second.interp) + " (" + it->second.defined_at.str() + ")",
                       Where::kTarget};
      }
      return std::nullopt;
    }
    case StepKind::kSleep:
    case StepKind::kFinalize:
    case StepKind::kExit:
    case StepKind::kFork:
      return std::nullopt;
    case StepKind::kQueue: {
      auto it = queues_.find(step.queue);
      if (it != queues_.end()) {
        return Problem{"queue " + Quoted(step.queue) + " is already defined (" + it->second.str() + ")",
                       Where::kTarget};
      }
      if (queues_.size() >= static_cast<size_t>(kMaxQueues)) {
        return Problem{Cat("too many queues (at most ", kMaxQueues, ")"), Where::kStep};
      }
      return std::nullopt;
    }
    case StepKind::kClose: {
      auto it = queues_.find(step.queue);
      if (it == queues_.end()) {
        return Problem{"channel " + Quoted(step.queue) + " is used before 'channel " + step.queue + "' defines it",
                       Where::kQueue};
      }
      if (!IsChannel(step.queue)) {
        return Problem{"'close' needs a channel; " + Quoted(step.queue) + " is a queue (" + it->second.str() + ")",
                       Where::kQueue};
      }
      return std::nullopt;
    }
    case StepKind::kPut:
    case StepKind::kGet:
      if (!HasQueue(step.queue)) {
        return Problem{"queue " + Quoted(step.queue) + " is used before 'queue " + step.queue + "' defines it",
                       Where::kQueue};
      }
      if (auto p = HandleProblem(step.value)) return p;
      if (auto p = UseProblem(step.interp)) return p;
      if (!step.task.empty()) return DefineProblem(step.task);
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Problem> Tracker::HandleProblem(const Value& v) const {
  if (v.kind != Value::Kind::kQueue) return std::nullopt;
  auto it = queues_.find(v.text);
  if (it == queues_.end()) {
    return Problem{"queue " + Quoted(v.text) + " in 'value=queue:" + v.text + "' is used before 'queue " + v.text +
                       "' defines it",
                   Where::kStep};
  }
  if (IsChannel(v.text)) {
    return Problem{"'value=queue:" + v.text + "' needs a queue; " + Quoted(v.text) + " is a channel (" +
                       it->second.str() + ")",
                   Where::kStep};
  }
  return std::nullopt;
}

void Tracker::Apply(const scenario::Step& step, Origin at) {
  ++steps_;
  switch (step.kind) {
    case StepKind::kSpawn: {
      ++spawns_;
      Interp& i = interps_[step.interp];
      i = Interp{};
      i.spawned_at = at;
      break;
    }
    case StepKind::kExec:
    case StepKind::kPut:
    case StepKind::kGet:
      if (!step.task.empty()) {
        tasks_[step.task] = Task{false, step.interp, at};
        task_order_.push_back(step.task);
      }
      break;
    case StepKind::kQueue:
      queues_[step.queue] = at;
      if (step.channel) channels_.insert(step.queue);
      break;
    case StepKind::kDestroy: {
      Interp& i = interps_[step.interp];
      i.destroyed_at = at;
      if (step.task.empty()) {
        i.state = State::kDestroyed;
        i.destroy_tasks.clear();
      } else {
        i.state = State::kDestroying;
        i.destroy_tasks.push_back(step.task);
        tasks_[step.task] = Task{true, step.interp, at};
        task_order_.push_back(step.task);
      }
      break;
    }
    case StepKind::kWait: {
      const Task& t = tasks_[step.task];
      if (!t.destroys) break;
      Interp& i = interps_[t.interp];
      if (i.state == State::kDestroying && std::find(i.destroy_tasks.begin(), i.destroy_tasks.end(),
                                                     step.task) != i.destroy_tasks.end()) {
        i.state = State::kDestroyed;
        i.destroy_tasks.clear();
      }
      break;
    }
    case StepKind::kFinalize:
    case StepKind::kExit:
      finalized_ = true;
      finalized_at_ = at;
      finalized_by_ = StepWord(step);
      break;
    case StepKind::kCancel:
    case StepKind::kSleep:
    case StepKind::kShare:
    case StepKind::kCall:
    case StepKind::kClose:
    case StepKind::kGc:
    case StepKind::kFork:
      break;
  }
}

std::optional<Problem> Tracker::Advance(const scenario::Step& step, Origin at) {
  if (auto p = Check(step)) return p;
  Apply(step, at);
  return std::nullopt;
}

}  // namespace endgame::scenario::internal
