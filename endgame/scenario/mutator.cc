#include "endgame/scenario/mutator.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include "endgame/scenario/check.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/internal/random.h"
#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/internal/tracker.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"

namespace endgame::scenario {
namespace {

using internal::Below;
using internal::Between;
using internal::Percent;

enum class Op {
  kInsert,
  kDelete,
  kDuplicate,
  kSwap,
  kArgument,
  kSnippet,
  kStrategy,
  kDriver,
  kDelay,
  kToggleAs,
  kTarget,
  kNumOps,
};

// A task name used nowhere in `s`.
std::string UnusedTask(const Scenario& s) {
  std::set<std::string> used;
  for (const Step& st : s.steps) used.insert(st.task);
  for (int i = 1;; ++i) {
    std::string n = internal::Cat("t", i);
    if (!used.count(n)) return n;
  }
}

std::vector<size_t> StepsOfKind(const Scenario& s, std::initializer_list<StepKind> kinds) {
  std::vector<size_t> out;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    if (std::find(kinds.begin(), kinds.end(), s.steps[i].kind) != kinds.end()) out.push_back(i);
  }
  return out;
}

bool PickIndex(const std::vector<size_t>& v, std::mt19937_64& rng, size_t* out) {
  if (v.empty()) return false;
  *out = v[Below(rng, v.size())];
  return true;
}

int64_t RandomDelay(const GeneratorOptions& o, std::mt19937_64& rng) {
  return Between(rng, 0, std::clamp<int64_t>(o.max_delay_us, 0, kMaxDelayUs));
}

// The queues `s` defines that are not channels, for `value=queue:Q` (the
// repair drops a handle of a queue defined only after its step).
std::vector<std::string> PlainQueues(const Scenario& s) {
  std::vector<std::string> out;
  for (const Step& st : s.steps) {
    if (st.kind == StepKind::kQueue && !st.channel) out.push_back(st.queue);
  }
  return out;
}

// Changes one argument of `st`; false when it has none to change.
bool ChangeArgument(Step* st, const Scenario& s, const GeneratorOptions& o, std::mt19937_64& rng) {
  switch (st->kind) {
    case StepKind::kSpawn: {
      InterpConfig c = internal::RandomConfig(o, rng);
      switch (Below(rng, 8)) {
        case 0:
          st->config.base = c.base == st->config.base ? (c.base == InterpConfig::Base::kLegacy
                                                             ? InterpConfig::Base::kIsolated
                                                             : InterpConfig::Base::kLegacy)
                                                      : c.base;
          break;
        case 1:
          st->config.gil = static_cast<InterpConfig::Gil>(Below(rng, 3));
          st->config.gil_text.reset();
          if (st->config.gil == InterpConfig::Gil::kDefault && Percent(rng, 50)) {
            const std::vector<std::string>& texts = internal::OddGilTexts();
            st->config.gil_text = texts[Below(rng, texts.size())];
          }
          break;
        case 2:
          st->config.obmalloc = static_cast<InterpConfig::Obmalloc>(Below(rng, 3));
          break;
        case 3:
          st->config.threads = static_cast<int8_t>(Between(rng, -1, 1));
          break;
        case 4:
          st->config.daemon_threads = static_cast<int8_t>(Between(rng, -1, 1));
          break;
        case 5:
          st->config.fork = static_cast<int8_t>(Between(rng, -1, 1));
          break;
        case 6:
          st->config.exec = static_cast<int8_t>(Between(rng, -1, 1));
          break;
        default:
          st->config.check_extensions = static_cast<int8_t>(Between(rng, -1, 1));
          break;
      }
      return true;
    }
    case StepKind::kExec: {
      const SnippetInfo& info = InfoOf(st->snippet.kind);
      size_t choice = Below(rng, info.Args().size() + 1);
      if (choice == info.Args().size()) {
        st->on = static_cast<ExecOn>(Below(rng, 4));
        if (st->on == ExecOn::kConductor) st->task.clear();
        return true;
      }
      const SnippetArg& a = info.Args()[choice];
      Snippet fresh = internal::RandomSnippet(st->snippet.kind, o, rng);
      if (a.type == ArgType::kInt || a.type == ArgType::kBool) {
        int64_t v = Percent(rng, 20) ? a.def : internal::RandomIntArg(a, st->snippet.kind, o, rng);
        SetIntField(&st->snippet, a.field, v);
      } else if (a.type == ArgType::kInterp) {
        // Another spawned interpreter (the repair drops the step if it is spawned only later).
        std::vector<size_t> spawns = StepsOfKind(s, {StepKind::kSpawn});
        size_t k;
        if (!PickIndex(spawns, rng, &k)) return false;
        st->snippet.text = s.steps[k].interp;
      } else {
        st->snippet.text = fresh.text;
      }
      return true;
    }
    case StepKind::kWait:
      st->timeout_ms =
          Percent(rng, 30) ? 0 : Between(rng, 1, std::clamp<int64_t>(o.max_ms, 1, kMaxMs));
      return true;
    case StepKind::kCancel:
      st->via = static_cast<CancelVia>(Below(rng, 3));
      return true;
    case StepKind::kDestroy:
      if (Percent(rng, 50)) {
        st->destroy_via = static_cast<DestroyVia>(Below(rng, 4));
      } else {
        st->from = static_cast<DestroyFrom>(Below(rng, 3));
      }
      return true;
    case StepKind::kSleep:
    case StepKind::kFork:
      st->ms = Between(rng, 0, std::clamp<int64_t>(o.max_ms, 0, kMaxMs));
      return true;
    case StepKind::kGc:
    case StepKind::kFinalize:
      return false;
    case StepKind::kExit:
      st->code = Between(rng, 0, kMaxExitCode);
      return true;
    case StepKind::kQueue:
      // A queue becomes a channel and back (a close of it that no longer
      // names a channel is dropped by the repair); a channel has no maxsize.
      if (Percent(rng, 25)) {
        st->channel = !st->channel;
        st->maxsize = 0;
      } else if (!st->channel && Percent(rng, 50)) {
        st->maxsize = Between(rng, 0, 4);
      } else {
        st->unbound = static_cast<Unbound>(Below(rng, 3));
      }
      return true;
    case StepKind::kClose:
      st->force = !st->force;
      return true;
    case StepKind::kPut:
      st->value = internal::RandomValue(o, rng, PlainQueues(s));
      return true;
    case StepKind::kGet:
      st->timeout_ms =
          Percent(rng, 30) ? 0 : Between(rng, 1, std::clamp<int64_t>(o.max_ms, 1, kMaxMs));
      return true;
    case StepKind::kShare:
      if (Percent(rng, 50)) {
        st->value = internal::RandomValue(o, rng, PlainQueues(s));
      } else {
        st->attr = kShareAttrNames[Below(rng, std::size(kShareAttrNames))];
      }
      return true;
    case StepKind::kCall:
      if (Percent(rng, 50)) {
        st->value = Percent(rng, 25) ? Value{} : internal::RandomValue(o, rng, PlainQueues(s));
      } else {
        st->func = static_cast<CallFunc>(Below(rng, 3));
      }
      return true;
  }
  return false;
}

// Applies one mutation of kind `op` to `s`; false when it does not apply.
bool Apply(Op op, Scenario* s, const GeneratorOptions& o, std::mt19937_64& rng) {
  std::vector<Step>& steps = s->steps;
  size_t i = 0;
  switch (op) {
    case Op::kInsert: {
      if (steps.size() >= static_cast<size_t>(kMaxSteps)) return false;
      size_t pos = Below(rng, steps.size() + 1);
      internal::Tracker t;
      for (size_t k = 0; k < pos; ++k) t.Apply(steps[k], {});
      std::optional<Step> st = internal::RandomStep(t, o, rng);
      if (!st) return false;
      if (!st->task.empty()) st->task = UnusedTask(*s);
      steps.insert(steps.begin() + static_cast<ptrdiff_t>(pos), std::move(*st));
      return true;
    }
    case Op::kDelete:
      if (steps.empty()) return false;
      steps.erase(steps.begin() + static_cast<ptrdiff_t>(Below(rng, steps.size())));
      return true;
    case Op::kDuplicate: {
      if (steps.empty() || steps.size() >= static_cast<size_t>(kMaxSteps)) return false;
      i = Below(rng, steps.size());
      Step copy = steps[i];
      if (copy.kind == StepKind::kSpawn || EndsScenario(copy.kind) || copy.kind == StepKind::kQueue) {
        return false;
      }
      if (!copy.task.empty() && copy.kind != StepKind::kWait && copy.kind != StepKind::kCancel) {
        copy.task = UnusedTask(*s);
      }
      steps.insert(steps.begin() + static_cast<ptrdiff_t>(i + 1), std::move(copy));
      return true;
    }
    case Op::kSwap: {
      if (steps.size() < 2) return false;
      i = Below(rng, steps.size());
      size_t j = Percent(rng, 50) ? (i + 1) % steps.size() : Below(rng, steps.size());
      if (i == j) return false;
      std::swap(steps[i], steps[j]);
      return true;
    }
    case Op::kArgument:
      if (steps.empty()) return false;
      i = Below(rng, steps.size());
      return ChangeArgument(&steps[i], *s, o, rng);
    case Op::kSnippet:
      if (!PickIndex(StepsOfKind(*s, {StepKind::kExec}), rng, &i)) return false;
      steps[i].snippet = internal::RandomSnippet(internal::RandomSnippetKind(o, rng), o, rng);
      if (NestedTarget(steps[i].snippet) != nullptr) steps[i].snippet.text = steps[i].interp;
      return true;
    case Op::kStrategy:
      if (Percent(rng, 25)) {
        s->deadline_ms = Between(rng, 1, std::clamp<int64_t>(o.deadline_ms * 2, 1, kMaxMs));
      } else {
        s->strategy = internal::RandomStrategy(s->driver, o, rng);
      }
      return true;
    case Op::kDriver:
      s->driver = s->driver == Driver::kCapi ? Driver::kInterpreters : Driver::kCapi;
      return true;
    case Op::kDelay:
      if (steps.empty()) return false;
      i = Below(rng, steps.size());
      switch (Below(rng, 4)) {
        case 0:
          steps[i].delay_us = 0;
          break;
        case 1:
          steps[i].delay_us /= 2;
          break;
        case 2:
          steps[i].delay_us = std::min<int64_t>(steps[i].delay_us * 2 + 1, kMaxDelayUs);
          break;
        default:
          steps[i].delay_us = RandomDelay(o, rng);
          break;
      }
      return true;
    case Op::kToggleAs:
      if (!PickIndex(StepsOfKind(*s, {StepKind::kExec, StepKind::kDestroy, StepKind::kPut, StepKind::kGet}), rng,
                     &i)) {
        return false;
      }
      if (steps[i].task.empty()) {
        if (steps[i].on == ExecOn::kConductor) steps[i].on = ExecOn::kStrategy;
        steps[i].task = UnusedTask(*s);
      } else {
        steps[i].task.clear();
      }
      return true;
    case Op::kTarget: {
      if (!PickIndex(StepsOfKind(*s, {StepKind::kExec, StepKind::kGc, StepKind::kDestroy, StepKind::kPut,
                                      StepKind::kGet, StepKind::kShare, StepKind::kCall}),
                     rng, &i)) {
        return false;
      }
      std::vector<size_t> spawns = StepsOfKind(*s, {StepKind::kSpawn});
      size_t k;
      if (!PickIndex(spawns, rng, &k)) return false;
      steps[i].interp = steps[k].interp;
      return true;
    }
    case Op::kNumOps:
      break;
  }
  return false;
}

}  // namespace

Scenario Mutate(const Scenario& scenario, std::mt19937_64& rng, const GeneratorOptions& options) {
  Scenario base = scenario;
  RepairScenario(&base);
  for (int attempt = 0; attempt < 32; ++attempt) {
    Scenario s = base;
    Op op = static_cast<Op>(Below(rng, static_cast<uint64_t>(Op::kNumOps)));
    if (!Apply(op, &s, options, rng)) continue;
    RepairScenario(&s);
    if (s != base) return s;
  }
  return base;
}

size_t MutateBytes(uint8_t* data, size_t size, size_t max_size, unsigned seed,
                   const GeneratorOptions& options) {
  if (max_size == 0) return 0;
  std::mt19937_64 rng(seed);
  Scenario m = Mutate(DecodeScenario(data, size), rng, options);
  std::string bytes = EncodeScenario(m);
  // Too big for the fuzzer's limit: drop steps from the end, then the
  // optional header, then cut the bytes (any prefix still decodes).
  while (bytes.size() > max_size && !m.steps.empty()) {
    m.steps.pop_back();
    bytes = EncodeScenario(m);
  }
  if (bytes.size() > max_size) {
    m.name.clear();
    m.expect.reset();
    m.requires_.clear();
    bytes = EncodeScenario(m);
  }
  size_t n = std::min(bytes.size(), max_size);
  std::memcpy(data, bytes.data(), n);
  return n;
}

}  // namespace endgame::scenario
