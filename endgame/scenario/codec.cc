// The byte codec. Decoder and encoder are written side by side, field by
// field, so that each reads exactly what the other writes; the layout is
// described in codec.h and docs/scenario-language.md.
#include "endgame/scenario/codec.h"

#include <algorithm>
#include <array>
#include <utility>

#include "endgame/scenario/check.h"
#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/internal/tracker.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/snippets.h"

namespace endgame::scenario {
namespace {

constexpr std::string_view kNameFirst = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kNameRest = "abcdefghijklmnopqrstuvwxyz0123456789_";
constexpr int kNumOps = 6;
constexpr int kNumCapabilities = static_cast<int>(std::size(kCapabilityWords));
constexpr int kNumVerdicts = static_cast<int>(std::size(kVerdictWords));

// Header flag bits.
constexpr uint8_t kHInterpreters = 1, kHDedicated = 2, kHSticky = 4, kHStrategyArg = 8,
                  kHDeadline = 16, kHExtended = 32;
constexpr uint8_t kXName = 1, kXExpect = 2, kXRequires = 4, kXInterpNames = 8, kXTaskNames = 16,
                  kXPython = 32, kXQueueNames = 64;
// Step byte: kind in bits 0-2, then these, then 3 kind-specific bits (>> 5).
// Kind 7 is finalize, queue, put or get by the low two kind-specific bits
// (kExtFinalize...); the third is then theirs (kExtArg), and makes a
// finalize a share. A finalize with kSAs (it has no task) is an exit, whose
// code follows. A sleep with kind-specific bit 0 (kSleepFork) is a fork.
constexpr uint8_t kSDelay = 8, kSAs = 16;
constexpr int kKindBits = 7;
constexpr uint8_t kExtFinalize = 0, kExtQueue = 1, kExtPut = 2, kExtGet = 3, kExtArg = 4;
constexpr uint8_t kSleepFork = 1;

uint8_t KindCode(StepKind k) {
  if (k == StepKind::kFork) k = StepKind::kSleep;  // kSleepFork says fork
  int v = static_cast<int>(k);
  return static_cast<uint8_t>(v < kKindBits ? v : kKindBits);
}
uint8_t ExtCode(StepKind k) {
  switch (k) {
    case StepKind::kQueue: return kExtQueue;
    case StepKind::kClose: return kExtQueue | kExtArg;  // the queue byte says close (kQueueClose)
    case StepKind::kPut: return kExtPut;
    case StepKind::kGet: return kExtGet;
    case StepKind::kShare:
    case StepKind::kCall: return kExtFinalize | kExtArg;  // a call: the share's attribute byte says so
    default: return kExtFinalize;
  }
}
StepKind FromCode(uint8_t kind, uint8_t sel) {
  if (kind < kKindBits) return static_cast<StepKind>(kind);
  switch (sel & 3) {
    case kExtQueue: return StepKind::kQueue;
    case kExtPut: return StepKind::kPut;
    case kExtGet: return StepKind::kGet;
    default: return (sel & kExtArg) ? StepKind::kShare : StepKind::kFinalize;
  }
}

// A share's attribute: an index into kShareAttrNames, or (bit 7) a string
// that falls back to the index when it is not a valid name. Bit 6 makes the
// share a call, whose function (CallFunc) the low bits pick.
constexpr uint8_t kAttrString = 128, kAttrCall = 64;

// A queue step with kExtArg starts with a queue byte: bit 7 makes it a
// `close` (bit 0: force=1; a byte indexing the channels follows), bit 6 a
// `channel` (no maxsize); else the low bits pick unbound= and the queue's
// maxsize follows.
constexpr uint8_t kQueueClose = 128, kQueueChannel = 64, kQueueForce = 1;

// The strategy table as the header byte sees it: the entries that keep their
// arguments in typed fields (cache, dedicated; kHDedicated picks the second)
// and the rest, which the extended byte names by index (kXPython).
const std::vector<const StrategyInfo*>& HeaderStrategies() {
  static const auto* v = [] {
    auto* out = new std::vector<const StrategyInfo*>;
    for (const StrategyInfo& i : Strategies()) {
      if (i.kind != StrategyKind::kPython) out->push_back(&i);
    }
    return out;
  }();
  return *v;
}

const std::vector<const StrategyInfo*>& ExtendedStrategies() {
  static const auto* v = [] {
    auto* out = new std::vector<const StrategyInfo*>;
    for (const StrategyInfo& i : Strategies()) {
      if (i.kind == StrategyKind::kPython) out->push_back(&i);
    }
    return out;
  }();
  return *v;
}

// A header strategy's argument after the header byte (kHStrategyArg) and its
// capi-only argument (kHSticky); codec_test checks that these two are all a
// header strategy has.
const StrategyArg* HeaderNumber(const StrategyInfo& info) {
  for (const StrategyArg& a : info.args) {
    if (a.unit != ArgUnit::kWord) return &a;
  }
  return nullptr;
}

const StrategyArg* HeaderCapiOnly(const StrategyInfo& info) {
  for (const StrategyArg& a : info.args) {
    if (a.capi_only >= 0) return &a;
  }
  return nullptr;
}

// "a".."z" (prefix 0) or "t1".."tN": default names and spares for duplicates.
std::vector<std::string> MakeNames(char prefix, int count) {
  std::vector<std::string> v;
  for (int i = 0; i < count; ++i) {
    v.push_back(prefix == 0 ? std::string(1, static_cast<char>('a' + i))
                            : internal::Cat(std::string(1, prefix), i + 1));
  }
  return v;
}

const std::vector<std::string>& DefaultInterpNames() {
  static const auto* v = new std::vector<std::string>(MakeNames(0, kMaxSpawns));
  return *v;
}

const std::vector<std::string>& DefaultTaskNames() {
  static const auto* v = new std::vector<std::string>(MakeNames('t', kMaxTasks));
  return *v;
}

const std::vector<std::string>& SpareInterpNames() {
  static const auto* v = new std::vector<std::string>(MakeNames(0, 26));
  return *v;
}

const std::vector<std::string>& SpareTaskNames() {
  static const auto* v = new std::vector<std::string>(MakeNames('t', 2 * kMaxTasks));
  return *v;
}

const std::vector<std::string>& DefaultQueueNames() {
  static const auto* v = new std::vector<std::string>(MakeNames('q', kMaxQueues));
  return *v;
}

const std::vector<std::string>& SpareQueueNames() {
  static const auto* v = new std::vector<std::string>(MakeNames('q', 2 * kMaxQueues));
  return *v;
}

// Reads like FuzzedDataProvider: zeros once the input is exhausted.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  size_t remaining() const { return size_ - pos_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // LEB128, at most 10 bytes.
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && !empty(); shift += 7) {
      uint8_t b = Byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  }
  int64_t Int(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Varint() % static_cast<uint64_t>(hi - lo + 1));
  }
  // 0 is the default; x > 0 is lo + (x - 1).
  int64_t IntOr(int64_t def, int64_t lo, int64_t hi) {
    uint64_t x = Varint();
    if (x == 0) return def;
    return lo + static_cast<int64_t>((x - 1) % static_cast<uint64_t>(hi - lo + 1));
  }
  std::string Bytes(uint64_t len) {
    len = std::min<uint64_t>({len, static_cast<uint64_t>(kMaxStringLength), remaining()});
    std::string s(reinterpret_cast<const char*>(data_ + pos_), static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return s;
  }
  std::string String() { return Bytes(Varint()); }
  // Length 0 is the default; length L > 0 is L - 1 bytes.
  std::string StringOr(std::string_view def) {
    uint64_t len = Varint();
    if (len == 0) return std::string(def);
    return Bytes(len - 1);
  }
  std::string Name() {
    int len = Byte() % kMaxNameLength + 1;
    std::string s;
    for (int i = 0; i < len; ++i) {
      uint8_t b = Byte();
      s.push_back(i == 0 ? kNameFirst[b % kNameFirst.size()] : kNameRest[b % kNameRest.size()]);
    }
    return s;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

class Writer {
 public:
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    Byte(static_cast<uint8_t>(v));
  }
  void Int(int64_t v, int64_t lo) { Varint(static_cast<uint64_t>(v - lo)); }
  void IntOr(int64_t v, int64_t def, int64_t lo) {
    Varint(v == def ? 0 : static_cast<uint64_t>(v - lo) + 1);
  }
  void String(std::string_view s) {
    Varint(s.size());
    out_.append(s);
  }
  void StringOr(std::string_view s, std::string_view def) {
    if (s == def) {
      Varint(0);
      return;
    }
    Varint(s.size() + 1);
    out_.append(s);
  }
  void Name(std::string_view s) {
    Byte(static_cast<uint8_t>(s.size() - 1));
    for (size_t i = 0; i < s.size(); ++i) {
      Byte(static_cast<uint8_t>((i == 0 ? kNameFirst : kNameRest).find(s[i])));
    }
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// A tri-state spawn flag (-1, 0, 1) in two bits; 3 reads as -1.
int8_t Flag(uint8_t bits) { return static_cast<int8_t>(bits % 3) - 1; }
uint8_t FlagBits(int8_t v) { return static_cast<uint8_t>(v + 1); }

template <typename E>
int IndexOf(E value) {
  int i = 0;
  for (const auto& k : Words<E>::kAll) {
    if (k.value == value) return i;
    ++i;
  }
  return 0;
}

template <typename E>
E At(int i) {
  return Words<E>::kAll[i % std::size(Words<E>::kAll)].value;
}

// The operands a step may name at this point, in table order. Pointers into
// `table` or the tracker, valid until either changes.
using Names = std::vector<const std::string*>;

Names Usable(const internal::Tracker& t, const std::vector<std::string>& table) {
  Names out;
  for (const std::string& n : table) {
    if (t.CanUse(n)) out.push_back(&n);
  }
  return out;
}

Names Spawnable(const internal::Tracker& t, const std::vector<std::string>& table) {
  Names out;
  for (const std::string& n : table) {
    if (t.CanSpawn(n)) out.push_back(&n);
  }
  return out;
}

Names Defined(const internal::Tracker& t) {
  Names out;
  for (const std::string& n : t.task_order()) out.push_back(&n);
  return out;
}

// Every interpreter spawned so far, in any state (nested target=).
Names Known(const internal::Tracker& t) {
  Names out;
  for (const auto& [name, info] : t.interps()) out.push_back(&name);
  return out;
}

Names Queues(const internal::Tracker& t, const std::vector<std::string>& table) {
  Names out;
  for (const std::string& n : table) {
    if (t.HasQueue(n)) out.push_back(&n);
  }
  return out;
}

Names Channels(const internal::Tracker& t, const std::vector<std::string>& table) {
  Names out;
  for (const std::string& n : table) {
    if (t.IsChannel(n)) out.push_back(&n);
  }
  return out;
}

// The defined queues that are not channels: what `value=queue:Q` may name.
Names PlainQueues(const internal::Tracker& t, const std::vector<std::string>& table) {
  Names out;
  for (const std::string& n : table) {
    if (t.HasQueue(n) && !t.IsChannel(n)) out.push_back(&n);
  }
  return out;
}

Names Cancellable(const internal::Tracker& t) {
  Names out;
  for (const std::string& n : t.task_order()) {
    if (!t.tasks().at(n).destroys) out.push_back(&n);
  }
  return out;
}

// Appends `fresh` or, when it is already in `table`, the first of
// `candidates` that is not.
void AddUnique(std::vector<std::string>* table, std::string fresh,
               const std::vector<std::string>& candidates) {
  if (std::find(table->begin(), table->end(), fresh) != table->end()) {
    for (const std::string& c : candidates) {
      if (std::find(table->begin(), table->end(), c) == table->end()) {
        fresh = c;
        break;
      }
    }
  }
  table->push_back(std::move(fresh));
}

// Picks list[index % size]; false when the list is empty.
bool Pick(const Names& list, uint8_t index, std::string* out) {
  if (list.empty()) return false;
  *out = *list[index % list.size()];
  return true;
}

int PositionOf(const Names& list, const std::string& name) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (*list[i] == name) return static_cast<int>(i);
  }
  return 0;
}

// A `value=`: its kind, then an int's number, a str's or bytes' text, or a
// queue handle's queue (an index into the defined queues that are not
// channels; with none defined, the value is none).
Value ReadValue(Reader& r, const internal::Tracker& t, const std::vector<std::string>& queues) {
  Value v;
  v.kind = At<Value::Kind>(r.Byte());
  if (v.kind == Value::Kind::kInt) v.n = r.Int(0, kMaxIntValue);
  if (v.has_text()) v.text = r.String();
  if (v.kind == Value::Kind::kQueue && !Pick(PlainQueues(t, queues), r.Byte(), &v.text)) v = Value{};
  return v;
}
void WriteValue(const Value& v, const internal::Tracker& t, const std::vector<std::string>& queues, Writer* w) {
  w->Byte(static_cast<uint8_t>(IndexOf(v.kind)));
  if (v.kind == Value::Kind::kInt) w->Int(v.n, 0);
  if (v.has_text()) w->String(v.text);
  if (v.kind == Value::Kind::kQueue) w->Byte(static_cast<uint8_t>(PositionOf(PlainQueues(t, queues), v.text)));
}

}  // namespace

Scenario DecodeScenario(const uint8_t* data, size_t size) {
  Reader r(data, size);
  Scenario s;
  std::vector<std::string> custom_interps, custom_tasks, custom_queues;
  const std::vector<std::string>* interps_table = &DefaultInterpNames();
  const std::vector<std::string>* tasks_table = &DefaultTaskNames();
  const std::vector<std::string>* queues_table = &DefaultQueueNames();

  const uint8_t h = r.Byte();
  s.driver = (h & kHInterpreters) ? Driver::kInterpreters : Driver::kCapi;
  {
    // The header's strategy: cache, or dedicated with kHDedicated; its
    // number argument after the header with kHStrategyArg; its capi-only
    // value with kHSticky (under driver capi).
    const StrategyInfo& info = *HeaderStrategies()[(h & kHDedicated) ? 1 : 0];
    s.strategy = DefaultSpec(info);
    if (const StrategyArg* a = HeaderNumber(info); a && (h & kHStrategyArg)) {
      SetStrategyArg(&s.strategy, a->key, r.Int(a->min, a->max));
    }
    if (const StrategyArg* a = HeaderCapiOnly(info); a && (h & kHSticky) && s.driver == Driver::kCapi) {
      SetStrategyArg(&s.strategy, a->key, a->capi_only);
    }
  }
  if (h & kHDeadline) s.deadline_ms = r.Int(1, kMaxMs);
  if (h & kHExtended) {
    const uint8_t x = r.Byte();
    if (x & kXName) s.name = r.String();
    if (x & kXExpect) {
      Expect e;
      e.verdict = std::string(kVerdictWords[r.Byte() % kNumVerdicts]);
      e.detail = r.String();
      s.expect = std::move(e);
    }
    if (x & kXRequires) {
      int n = r.Byte() % kMaxRequirements + 1;
      for (int i = 0; i < n; ++i) {
        uint8_t b = r.Byte();
        Requirement q;
        if (b & 1) {
          q.kind = Requirement::Kind::kCapability;
          q.capability = std::string(kCapabilityWords[(b >> 1) % kNumCapabilities]);
        } else {
          q.kind = Requirement::Kind::kPythonVersion;
          q.op = At<Requirement::Op>((b >> 1) % kNumOps);
          q.major = static_cast<int>(r.Int(0, kMaxVersionComponent));
          q.minor = static_cast<int>(r.Int(0, kMaxVersionComponent));
          q.micro = static_cast<int>(r.Int(0, kMaxVersionComponent + 1)) - 1;
        }
        s.requires_.push_back(std::move(q));
      }
    }
    if (x & kXInterpNames) {
      int n = r.Byte() % kMaxSpawns + 1;
      std::vector<std::string> table;
      for (int i = 0; i < n; ++i) AddUnique(&table, r.Name(), SpareInterpNames());
      custom_interps = std::move(table);
      interps_table = &custom_interps;
    }
    if (x & kXTaskNames) {
      int n = r.Byte() % kMaxTasks + 1;
      std::vector<std::string> table;
      for (int i = 0; i < n; ++i) AddUnique(&table, r.Name(), SpareTaskNames());
      custom_tasks = std::move(table);
      tasks_table = &custom_tasks;
    }
    if (x & kXQueueNames) {
      int n = r.Byte() % kMaxQueues + 1;
      std::vector<std::string> table;
      for (int i = 0; i < n; ++i) AddUnique(&table, r.Name(), SpareQueueNames());
      custom_queues = std::move(table);
      queues_table = &custom_queues;
    }
    if (x & kXPython) {
      // Any other strategy of the table replaces the header's: an entry by
      // index with its arguments (0 = default), or a user's module with
      // string arguments.
      const std::vector<const StrategyInfo*>& table = ExtendedStrategies();
      const StrategyInfo& info = *table[r.Byte() % table.size()];
      StrategySpec sp = DefaultSpec(info);
      if (!info.user_module) {
        for (const StrategyArg& a : info.args) SetStrategyArg(&sp, a.key, r.IntOr(a.default_value, a.min, a.max));
      } else {
        sp.module = r.String();
        int n = r.Byte() % (kMaxStrategyArgs + 1);
        for (int k = 0; k < n; ++k) {
          std::string key = r.String(), value = r.String();
          bool fresh = true;
          for (const auto& kv : sp.args) fresh &= kv.first != key;
          if (fresh) sp.args.emplace_back(std::move(key), std::move(value));
        }
      }
      if (!internal::StrategyProblem(sp, s.driver).has_value()) s.strategy = std::move(sp);
    }
  }

  const std::vector<std::string>& interps = *interps_table;
  const std::vector<std::string>& tasks = *tasks_table;
  const std::vector<std::string>& queues = *queues_table;
  internal::Tracker tracker;
  s.steps.reserve(std::min<size_t>(r.remaining(), kMaxSteps));
  while (!r.empty() && !tracker.finalized() && tracker.steps() < kMaxSteps) {
    const uint8_t b = r.Byte();
    const uint8_t sel = b >> 5;
    Step st;
    st.kind = FromCode(b & 7, sel);
    bool ok = true;
    bool wants_as = false;
    switch (st.kind) {
      case StepKind::kSpawn: {
        ok = Pick(Spawnable(tracker, interps), r.Byte(), &st.interp);
        if (sel & 1) {
          uint8_t a = r.Byte(), c = r.Byte();
          InterpConfig& cf = st.config;
          cf.base = (a & 1) ? InterpConfig::Base::kLegacy : InterpConfig::Base::kIsolated;
          cf.gil = static_cast<InterpConfig::Gil>((a >> 1 & 3) % 3);
          cf.obmalloc = static_cast<InterpConfig::Obmalloc>((a >> 3 & 3) % 3);
          cf.threads = Flag(a >> 5 & 3);
          cf.daemon_threads = Flag(c & 3);
          cf.fork = Flag(c >> 2 & 3);
          cf.exec = Flag(c >> 4 & 3);
          cf.check_extensions = Flag(c >> 6 & 3);
          if (a & 0x80) {  // gil="TEXT" follows (then no gil word)
            cf.gil = InterpConfig::Gil::kDefault;
            std::string text = r.String();
            if (text.size() > static_cast<size_t>(kMaxGilTextLength)) text.resize(kMaxGilTextLength);
            cf.gil_text = std::move(text);
          }
        }
        break;
      }
      case StepKind::kExec: {
        ok = Pick(Usable(tracker, interps), r.Byte(), &st.interp);
        Snippet sn;
        sn.kind = static_cast<SnippetKind>(r.Byte() % AllSnippets().size());
        for (const SnippetArg& a : InfoOf(sn.kind).Args()) {
          switch (a.type) {
            case ArgType::kInt:
              SetIntField(&sn, a.field, r.IntOr(a.def, a.min, a.max));
              break;
            case ArgType::kBool:
              SetIntField(&sn, a.field, r.Byte() & 1);
              break;
            case ArgType::kIdentOrString:
              sn.text = r.StringOr(a.text_def);
              break;
            case ArgType::kSource:
              sn.text = r.String();
              break;
            case ArgType::kInterp:
              ok = Pick(Known(tracker), r.Byte(), &sn.text) && ok;
              break;
          }
        }
        st.snippet = std::move(sn);
        st.on = At<ExecOn>(sel & 3);
        wants_as = (b & kSAs) && st.on != ExecOn::kConductor;
        break;
      }
      case StepKind::kWait:
        ok = Pick(Defined(tracker), r.Byte(), &st.task);
        if (sel & 1) st.timeout_ms = r.Int(0, kMaxMs);
        break;
      case StepKind::kCancel:
        ok = Pick(Cancellable(tracker), r.Byte(), &st.task);
        st.via = At<CancelVia>(sel % 3);
        break;
      case StepKind::kDestroy:
        ok = Pick(Usable(tracker, interps), r.Byte(), &st.interp);
        st.destroy_via = At<DestroyVia>(sel & 3);
        if (sel & 4) st.from = At<DestroyFrom>(1 + r.Byte() % 2);
        wants_as = b & kSAs;
        break;
      case StepKind::kSleep:
        if (sel & kSleepFork) st.kind = StepKind::kFork;
        st.ms = r.Int(0, kMaxMs);
        break;
      case StepKind::kGc:
        ok = Pick(Usable(tracker, interps), r.Byte(), &st.interp);
        break;
      case StepKind::kFinalize:
        // A finalize byte with the `as` bit is an `exit`; its code follows.
        if (b & kSAs) {
          st.kind = StepKind::kExit;
          st.code = r.Int(0, kMaxExitCode);
        }
        break;
      case StepKind::kClose:  // FromCode gives a queue step; its queue byte makes it a close
      case StepKind::kCall:   // FromCode gives a share step; its attribute byte makes it a call
      case StepKind::kExit:   // FromCode gives a finalize; its `as` bit makes it an exit
      case StepKind::kFork:   // FromCode gives a sleep; its kSleepFork bit makes it a fork
        break;
      case StepKind::kQueue:
        // Defines the next queue of the table, while there is one.
        ok = tracker.queues().size() < queues.size();
        if (ok) st.queue = queues[tracker.queues().size()];
        if (sel & kExtArg) {
          const uint8_t q = r.Byte();
          if (q & kQueueClose) {
            st.kind = StepKind::kClose;
            st.force = q & kQueueForce;
            ok = Pick(Channels(tracker, queues), r.Byte(), &st.queue);
            break;
          }
          st.unbound = At<Unbound>(q & (kQueueChannel - 1));
          st.channel = q & kQueueChannel;
          if (!st.channel) st.maxsize = r.Int(0, kMaxQueueSize);
        }
        break;
      case StepKind::kPut:
      case StepKind::kGet:
        ok = Pick(Queues(tracker, queues), r.Byte(), &st.queue);
        ok = Pick(Usable(tracker, interps), r.Byte(), &st.interp) && ok;
        if ((sel & kExtArg) && st.kind == StepKind::kGet) st.timeout_ms = r.Int(0, kMaxMs);
        if ((sel & kExtArg) && st.kind == StepKind::kPut) st.value = ReadValue(r, tracker, queues);
        wants_as = b & kSAs;
        break;
      case StepKind::kShare: {
        ok = Pick(Usable(tracker, interps), r.Byte(), &st.interp);
        const uint8_t a = r.Byte();
        if (a & kAttrCall) {
          st.kind = StepKind::kCall;
          st.func = At<CallFunc>(a & ~kAttrCall);
          st.value = ReadValue(r, tracker, queues);
          break;
        }
        st.attr = kShareAttrNames[(a & ~kAttrString) % std::size(kShareAttrNames)];
        if (a & kAttrString) {
          std::string name = r.String();
          if (internal::IsAttrName(name)) st.attr = std::move(name);
        }
        st.value = ReadValue(r, tracker, queues);
        break;
      }
    }
    if (b & kSDelay) st.delay_us = r.Int(0, kMaxDelayUs);
    // `as` defines the next task of the table, while there is one.
    size_t defined = tracker.task_order().size();
    if (wants_as && defined < tasks.size()) st.task = tasks[defined];
    if (!ok) continue;
    if (!tracker.Advance(st, internal::Origin{0, static_cast<int>(s.steps.size() + 1)})) {
      s.steps.push_back(std::move(st));
    }
  }
  return s;
}

Scenario DecodeScenario(std::string_view bytes) {
  return DecodeScenario(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

std::string EncodeScenario(const Scenario& original) {
  // Invalid scenarios are encoded as their repair (the identity on valid ones).
  Scenario repaired;
  const bool valid = CheckScenario(original).ok();
  if (!valid) {
    repaired = original;
    RepairScenario(&repaired);
  }
  const Scenario& s = valid ? original : repaired;

  // Name tables: the defaults when they fit, else names in order of first use.
  std::vector<std::string> spawned, defined, queued;
  for (const Step& st : s.steps) {
    if (st.kind == StepKind::kQueue) queued.push_back(st.queue);
    if (st.kind == StepKind::kSpawn &&
        std::find(spawned.begin(), spawned.end(), st.interp) == spawned.end()) {
      spawned.push_back(st.interp);
    }
    if (st.kind != StepKind::kWait && st.kind != StepKind::kCancel && !st.task.empty()) {
      defined.push_back(st.task);
    }
  }
  const std::vector<std::string>& default_queues = DefaultQueueNames();
  const bool custom_queues =
      !std::equal(queued.begin(), queued.end(), default_queues.begin(),
                  default_queues.begin() + std::min(queued.size(), default_queues.size()));
  const std::vector<std::string>& queues = custom_queues ? queued : default_queues;
  const std::vector<std::string>& default_interps = DefaultInterpNames();
  const std::vector<std::string>& default_tasks = DefaultTaskNames();
  const bool custom_interps =
      std::any_of(spawned.begin(), spawned.end(), [&](const std::string& n) {
        return std::find(default_interps.begin(), default_interps.end(), n) ==
               default_interps.end();
      });
  const bool custom_tasks =
      !std::equal(defined.begin(), defined.end(), default_tasks.begin(),
                  default_tasks.begin() + std::min(defined.size(), default_tasks.size()));
  const std::vector<std::string>& interps = custom_interps ? spawned : default_interps;
  const std::vector<std::string>& tasks = custom_tasks ? defined : default_tasks;

  Writer w;
  const StrategySpec& sp = s.strategy;
  const std::vector<const StrategyInfo*>& header = HeaderStrategies();
  const StrategyInfo* info = InfoOf(sp);
  // An invalid spec (not in the table) encodes as the default strategy.
  const bool extended = info != nullptr && info->kind == StrategyKind::kPython;
  const StrategyInfo& hinfo = info != nullptr && !extended ? *info : *header[0];
  const StrategyArg* number = extended ? nullptr : HeaderNumber(hinfo);
  const StrategyArg* capi_only = extended ? nullptr : HeaderCapiOnly(hinfo);
  const bool strategy_arg = number && StrategyArgValue(sp, number->key) != number->default_value;
  uint8_t x = (s.name.empty() ? 0 : kXName) | (s.expect ? kXExpect : 0) |
              (s.requires_.empty() ? 0 : kXRequires) | (custom_interps ? kXInterpNames : 0) |
              (custom_tasks ? kXTaskNames : 0) | (extended ? kXPython : 0) |
              (custom_queues ? kXQueueNames : 0);
  uint8_t h = (s.driver == Driver::kInterpreters ? kHInterpreters : 0) |
              (&hinfo == header[1] ? kHDedicated : 0) |
              (capi_only && StrategyArgValue(sp, capi_only->key) == capi_only->capi_only ? kHSticky : 0) |
              (strategy_arg ? kHStrategyArg : 0) |
              (s.deadline_ms != Scenario{}.deadline_ms ? kHDeadline : 0) | (x ? kHExtended : 0);
  w.Byte(h);
  if (strategy_arg) w.Int(StrategyArgValue(sp, number->key), number->min);
  if (h & kHDeadline) w.Int(s.deadline_ms, 1);
  if (x) {
    w.Byte(x);
    if (x & kXName) w.String(s.name);
    if (x & kXExpect) {
      w.Byte(static_cast<uint8_t>(
          std::find(std::begin(kVerdictWords), std::end(kVerdictWords), s.expect->verdict) -
          std::begin(kVerdictWords)));
      w.String(s.expect->detail);
    }
    if (x & kXRequires) {
      w.Byte(static_cast<uint8_t>(s.requires_.size() - 1));
      for (const Requirement& q : s.requires_) {
        if (q.kind == Requirement::Kind::kCapability) {
          int i = static_cast<int>(
              std::find(std::begin(kCapabilityWords), std::end(kCapabilityWords), q.capability) -
              std::begin(kCapabilityWords));
          w.Byte(static_cast<uint8_t>(1 | i << 1));
        } else {
          w.Byte(static_cast<uint8_t>(IndexOf(q.op) << 1));
          w.Int(q.major, 0);
          w.Int(q.minor, 0);
          w.Int(q.micro, -1);
        }
      }
    }
    if (x & kXInterpNames) {
      w.Byte(static_cast<uint8_t>(interps.size() - 1));
      for (const std::string& n : interps) w.Name(n);
    }
    if (x & kXTaskNames) {
      w.Byte(static_cast<uint8_t>(tasks.size() - 1));
      for (const std::string& n : tasks) w.Name(n);
    }
    if (x & kXQueueNames) {
      w.Byte(static_cast<uint8_t>(queues.size() - 1));
      for (const std::string& n : queues) w.Name(n);
    }
    if (x & kXPython) {
      const std::vector<const StrategyInfo*>& table = ExtendedStrategies();
      size_t index = std::find(table.begin(), table.end(), info) - table.begin();
      w.Byte(static_cast<uint8_t>(index));
      if (!info->user_module) {
        for (const StrategyArg& a : info->args) w.IntOr(StrategyArgValue(sp, a.key), a.default_value, a.min);
      } else {
        w.String(sp.module);
        size_t n = std::min<size_t>(sp.args.size(), kMaxStrategyArgs);
        w.Byte(static_cast<uint8_t>(n));
        for (size_t k = 0; k < n; ++k) {
          w.String(sp.args[k].first);
          w.String(sp.args[k].second);
        }
      }
    }
  }

  internal::Tracker tracker;
  for (const Step& st : s.steps) {
    uint8_t sel = 0;
    Writer body;
    switch (st.kind) {
      case StepKind::kSpawn: {
        body.Byte(static_cast<uint8_t>(PositionOf(Spawnable(tracker, interps), st.interp)));
        const InterpConfig& c = st.config;
        if (c != InterpConfig{}) {
          sel = 1;
          body.Byte(static_cast<uint8_t>(
              (c.base == InterpConfig::Base::kLegacy ? 1 : 0) | static_cast<int>(c.gil) << 1 |
              static_cast<int>(c.obmalloc) << 3 | FlagBits(c.threads) << 5 | (c.gil_text ? 0x80 : 0)));
          body.Byte(static_cast<uint8_t>(FlagBits(c.daemon_threads) | FlagBits(c.fork) << 2 |
                                         FlagBits(c.exec) << 4 |
                                         FlagBits(c.check_extensions) << 6));
          if (c.gil_text) body.String(*c.gil_text);
        }
        break;
      }
      case StepKind::kExec: {
        body.Byte(static_cast<uint8_t>(PositionOf(Usable(tracker, interps), st.interp)));
        const Snippet& sn = st.snippet;
        body.Byte(static_cast<uint8_t>(sn.kind));
        for (const SnippetArg& a : InfoOf(sn.kind).Args()) {
          switch (a.type) {
            case ArgType::kInt:
              body.IntOr(GetIntField(sn, a.field), a.def, a.min);
              break;
            case ArgType::kBool:
              body.Byte(static_cast<uint8_t>(GetIntField(sn, a.field)));
              break;
            case ArgType::kIdentOrString:
              body.StringOr(sn.text, a.text_def);
              break;
            case ArgType::kSource:
              body.String(sn.text);
              break;
            case ArgType::kInterp:
              body.Byte(static_cast<uint8_t>(PositionOf(Known(tracker), sn.text)));
              break;
          }
        }
        sel = static_cast<uint8_t>(IndexOf(st.on));
        break;
      }
      case StepKind::kWait:
        body.Byte(static_cast<uint8_t>(PositionOf(Defined(tracker), st.task)));
        if (st.timeout_ms != 0) {
          sel = 1;
          body.Int(st.timeout_ms, 0);
        }
        break;
      case StepKind::kCancel:
        body.Byte(static_cast<uint8_t>(PositionOf(Cancellable(tracker), st.task)));
        sel = static_cast<uint8_t>(IndexOf(st.via));
        break;
      case StepKind::kDestroy:
        body.Byte(static_cast<uint8_t>(PositionOf(Usable(tracker, interps), st.interp)));
        sel = static_cast<uint8_t>(IndexOf(st.destroy_via));
        if (st.from != DestroyFrom::kConductor) {
          sel |= 4;
          body.Byte(static_cast<uint8_t>(IndexOf(st.from) - 1));
        }
        break;
      case StepKind::kSleep:
        body.Int(st.ms, 0);
        break;
      case StepKind::kFork:
        sel = kSleepFork;
        body.Int(st.ms, 0);
        break;
      case StepKind::kGc:
        body.Byte(static_cast<uint8_t>(PositionOf(Usable(tracker, interps), st.interp)));
        break;
      case StepKind::kFinalize:
        break;
      case StepKind::kExit:
        body.Int(st.code, 0);
        break;
      case StepKind::kQueue:
        sel = kExtQueue;
        if (st.channel || st.maxsize != 0 || st.unbound != Unbound::kReplace) {
          sel |= kExtArg;
          body.Byte(static_cast<uint8_t>(IndexOf(st.unbound) | (st.channel ? kQueueChannel : 0)));
          if (!st.channel) body.Int(st.maxsize, 0);
        }
        break;
      case StepKind::kClose:
        sel = ExtCode(st.kind);
        body.Byte(static_cast<uint8_t>(kQueueClose | (st.force ? kQueueForce : 0)));
        body.Byte(static_cast<uint8_t>(PositionOf(Channels(tracker, queues), st.queue)));
        break;
      case StepKind::kPut:
      case StepKind::kGet:
        sel = ExtCode(st.kind);
        body.Byte(static_cast<uint8_t>(PositionOf(Queues(tracker, queues), st.queue)));
        body.Byte(static_cast<uint8_t>(PositionOf(Usable(tracker, interps), st.interp)));
        if (st.kind == StepKind::kGet && st.timeout_ms != 0) {
          sel |= kExtArg;
          body.Int(st.timeout_ms, 0);
        }
        if (st.kind == StepKind::kPut && st.value != Value{}) {
          sel |= kExtArg;
          WriteValue(st.value, tracker, queues, &body);
        }
        break;
      case StepKind::kShare: {
        sel = ExtCode(st.kind);
        body.Byte(static_cast<uint8_t>(PositionOf(Usable(tracker, interps), st.interp)));
        const auto* named = std::find(std::begin(kShareAttrNames), std::end(kShareAttrNames), st.attr);
        if (named != std::end(kShareAttrNames)) {
          body.Byte(static_cast<uint8_t>(named - std::begin(kShareAttrNames)));
        } else {
          body.Byte(kAttrString);
          body.String(st.attr);
        }
        WriteValue(st.value, tracker, queues, &body);
        break;
      }
      case StepKind::kCall:
        sel = ExtCode(st.kind);
        body.Byte(static_cast<uint8_t>(PositionOf(Usable(tracker, interps), st.interp)));
        body.Byte(static_cast<uint8_t>(kAttrCall | static_cast<uint8_t>(st.func)));
        WriteValue(st.value, tracker, queues, &body);
        break;
    }
    if (st.delay_us != 0) body.Int(st.delay_us, 0);
    // The `as` bit defines a task; on a finalize byte it makes an exit.
    const bool as_bit = st.kind == StepKind::kExit ||
                        (!st.task.empty() && st.kind != StepKind::kWait && st.kind != StepKind::kCancel);
    w.Byte(static_cast<uint8_t>(KindCode(st.kind) | (st.delay_us ? kSDelay : 0) | (as_bit ? kSAs : 0) | sel << 5));
    std::string b = body.Take();
    for (char c : b) w.Byte(static_cast<uint8_t>(c));
    tracker.Apply(st, {});
  }
  return w.Take();
}

}  // namespace endgame::scenario
