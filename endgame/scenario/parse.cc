// The `.scn` parser: one pass over the lines, header lines first, then steps.
// Values are checked where they are read (so errors point at the token), and
// each step goes through the Tracker as soon as it is read, so the first error
// in file order is the one reported.
#include <algorithm>
#include <functional>
#include <map>
#include <utility>

#include "endgame/base/check.h"
#include "endgame/scenario/check.h"
#include "endgame/scenario/internal/lexer.h"
#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/internal/tracker.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

using internal::LexError;
using internal::Token;

// Arguments after a step's operands: key=value tokens, `as NAME`, and bare
// words the step allows (spawn's isolated/legacy).
struct Options {
  std::vector<std::pair<std::string, const Token*>> values;  // in source order
  const Token* as = nullptr;                                 // the name after `as`
  const Token* word = nullptr;                               // the one allowed bare word, if given

  const Token* Find(std::string_view key) const {
    for (const auto& kv : values) {
      if (kv.first == key) return kv.second;
    }
    return nullptr;
  }
};

class Parser {
 public:
  explicit Parser(std::string_view filename) : filename_(filename) {}

  absl::StatusOr<Scenario> Run(std::string_view text);

 private:
  absl::Status Fail(int column, std::string_view message) const {
    return absl::InvalidArgumentError(
        internal::Cat(filename_, ":", line_, ":", column, ": ", message));
  }
  absl::Status FailAt(const Token& t, std::string_view message) const {
    return Fail(t.column, message);
  }
  absl::Status FailValue(const Token& t, std::string_view message) const {
    return Fail(t.value_column, message);
  }
  // Column just after the last token: where a missing token would go.
  int EndColumn() const { return toks_.empty() ? 1 : toks_.back().end_column + 1; }

  absl::Status Line(std::string_view line);
  absl::Status Header(const Token& keyword);
  absl::Status Requires();
  absl::Status Strategy();
  absl::Status UserStrategy(const Token& word);
  absl::Status Expect();
  absl::Status StepLine(StepKind kind, bool channel = false);
  absl::Status ExecArgs(Step* step, size_t first);
  absl::Status SpawnArgs(Step* step, size_t first);
  absl::Status QueueStep(Step* step, Options* o);
  absl::Status ValueArg(const Token& t, Value* out);
  absl::Status CheckHeaderCombination(const Token& last);

  // Reads tokens[first..] as options. `allowed` keys; `allow_as`; `words`
  // allowed as bare words (at most one). `unknown_key` phrases the error for a
  // key that is not allowed.
  absl::Status ReadOptions(size_t first, const std::vector<std::string_view>& allowed,
                           bool allow_as, const std::vector<std::string_view>& words,
                           const std::function<std::string(const std::string&)>& unknown_key,
                           Options* out);
  // Positional operand `index`; fails when missing, quoted or key=value.
  absl::Status Operand(size_t index, std::string_view what, const Token** out);
  absl::Status Name(size_t index, std::string_view what, std::string* out, int* column);
  absl::Status Int(const Token& t, std::string_view name, int64_t min, int64_t max, int64_t* out);
  absl::Status Bool(const Token& t, std::string_view name, int8_t* out);
  template <typename E>
  absl::Status Enum(const Token& t, std::string_view name, E* out);
  // One of `words`; *out is its index.
  absl::Status Word(const Token& t, std::string_view name, const std::vector<std::string_view>& words,
                    int64_t* out);
  absl::Status ExpectEnd(size_t index);

  std::string_view filename_;
  int line_ = 0;
  std::vector<Token> toks_;
  Scenario s_;
  internal::Tracker tracker_;
  int first_step_line_ = 0;
  std::map<std::string, int> header_lines_;  // header keyword -> line
  // For the tstate=sticky / driver interpreters conflict.
  int driver_line_ = 0;
  int capi_only_line_ = 0;       // the strategy line with a capi-only value
  std::string capi_only_text_;   // that value as written ("tstate=sticky")
};

absl::StatusOr<Scenario> Parser::Run(std::string_view text) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_;
    ENDGAME_RETURN_IF_ERROR(Line(line));
    start = nl + 1;
  }
  // Everything was checked while reading; this only guards the invariant that
  // parsed scenarios are valid.
  ENDGAME_RETURN_IF_ERROR(CheckScenario(s_, filename_));
  return std::move(s_);
}

absl::Status Parser::Line(std::string_view line) {
  LexError err;
  if (!internal::LexLine(line, &toks_, &err)) return Fail(err.column, err.message);
  if (toks_.empty()) return absl::OkStatus();
  const Token& kw = toks_[0];
  if (kw.quoted || kw.has_key)
    return FailAt(kw, "expected a step or header keyword, got " + Quoted(kw.raw));
  if (std::find(std::begin(kHeaderWords), std::end(kHeaderWords), kw.value) !=
      std::end(kHeaderWords)) {
    return Header(kw);
  }
  if (auto kind = FromName<StepKind>(kw.value)) {
    if (first_step_line_ == 0) first_step_line_ = line_;
    return StepLine(*kind);
  }
  if (kw.value == kChannelWord) {
    if (first_step_line_ == 0) first_step_line_ = line_;
    return StepLine(StepKind::kQueue, /*channel=*/true);
  }
  std::vector<std::string_view> all = AllNames<StepKind>();
  all.push_back(kChannelWord);
  all.insert(all.end(), std::begin(kHeaderWords), std::end(kHeaderWords));
  return FailAt(kw, "unknown keyword " + Quoted(kw.value) + DidYouMean(kw.value, all));
}

absl::Status Parser::Header(const Token& kw) {
  const std::string word = kw.value;
  if (word != "expect" && first_step_line_ != 0) {
    return FailAt(kw, internal::Cat("'", word, "' must come before the first step (line ",
                                    first_step_line_, ")"));
  }
  if (word != "requires") {
    auto [it, fresh] = header_lines_.emplace(word, line_);
    if (!fresh) {
      return FailAt(kw,
                    internal::Cat("duplicate '", word, "' line (first at line ", it->second, ")"));
    }
  }
  if (word == "name") {
    if (toks_.size() < 2) return Fail(EndColumn(), "expected a quoted string after 'name'");
    const Token* t = &toks_[1];
    if (!t->quoted || t->has_key) {
      return FailAt(*t, "expected a quoted string after 'name', got " + Quoted(t->raw));
    }
    if (t->value.size() > static_cast<size_t>(kMaxStringLength)) {
      return FailAt(*t, internal::Cat("name is longer than ", kMaxStringLength, " bytes"));
    }
    s_.name = t->value;
    return ExpectEnd(2);
  }
  if (word == "requires") return Requires();
  if (word == "driver") {
    const Token* t;
    ENDGAME_RETURN_IF_ERROR(Operand(1, "a driver", &t));
    auto d = FromName<Driver>(t->value);
    if (!d) {
      std::vector<std::string_view> all = AllNames<Driver>();
      std::string hint = DidYouMean(t->value, all);
      if (hint.empty()) hint = " (expected " + OrList(all) + ")";
      return FailAt(*t, "unknown driver " + Quoted(t->value) + hint);
    }
    s_.driver = *d;
    driver_line_ = line_;
    ENDGAME_RETURN_IF_ERROR(ExpectEnd(2));
    return CheckHeaderCombination(*t);
  }
  if (word == "strategy") return Strategy();
  if (word == "deadline_ms") {
    const Token* t;
    ENDGAME_RETURN_IF_ERROR(Operand(1, "a number of milliseconds", &t));
    ENDGAME_RETURN_IF_ERROR(Int(*t, "deadline_ms", 1, kMaxMs, &s_.deadline_ms));
    return ExpectEnd(2);
  }
  return Expect();
}

absl::Status Parser::Requires() {
  if (toks_.size() < 2) return Fail(EndColumn(), "expected a requirement after 'requires'");
  for (size_t i = 1; i < toks_.size(); ++i) {
    const Token& t = toks_[i];
    if (t.quoted) return FailAt(t, "expected a requirement, got a string");
    if (s_.requires_.size() >= static_cast<size_t>(kMaxRequirements)) {
      return FailAt(t, internal::Cat("too many requirements (at most ", kMaxRequirements, ")"));
    }
    Requirement r;
    std::string_view raw = t.raw;
    constexpr std::string_view kPython = "python";
    if (raw.substr(0, kPython.size()) == kPython) {
      std::string_view rest = raw.substr(kPython.size());
      bool ok = false;
      for (const auto& k : Words<Requirement::Op>::kAll) {
        if (rest.substr(0, k.word.size()) == k.word) {
          r.op = k.value;
          rest.remove_prefix(k.word.size());
          ok = true;
          break;
        }
      }
      // X.Y or X.Y.Z, each component at most kMaxVersionComponent.
      int parts[3] = {0, 0, -1};
      int n = 0;
      while (ok) {
        size_t digits = 0;
        int64_t v = 0;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9' &&
               v <= kMaxVersionComponent) {
          v = v * 10 + (rest[digits] - '0');
          ++digits;
        }
        if (digits == 0 || v > kMaxVersionComponent || n == 3) {
          ok = false;
          break;
        }
        parts[n++] = static_cast<int>(v);
        rest.remove_prefix(digits);
        if (rest.empty()) break;
        if (rest[0] != '.') {
          ok = false;
          break;
        }
        rest.remove_prefix(1);
      }
      if (!ok || n < 2) {
        return FailAt(t,
                      "bad requirement " + Quoted(raw) +
                          internal::Cat(" (expected python<op>X.Y[.Z], op one of >=, >, <=, <, ==, "
                                        "!=, each number at most ",
                                        kMaxVersionComponent, ")"));
      }
      r.kind = Requirement::Kind::kPythonVersion;
      r.major = parts[0];
      r.minor = parts[1];
      r.micro = parts[2];
    } else {
      if (!IsCapabilityWord(raw)) {
        std::vector<std::string_view> all(std::begin(kCapabilityWords), std::end(kCapabilityWords));
        std::string hint = DidYouMean(raw, all);
        if (hint.empty()) hint = " (expected python<op>X.Y or " + OrList(all) + ")";
        return FailAt(t, "unknown requirement " + Quoted(raw) + hint);
      }
      r.kind = Requirement::Kind::kCapability;
      r.capability = std::string(raw);
    }
    s_.requires_.push_back(std::move(r));
  }
  return absl::OkStatus();
}

// `strategy WORD [key=value...]`: an entry of the strategy table
// (strategies.h), its arguments bounded numbers or words; `strategy python`
// goes to UserStrategy.
absl::Status Parser::Strategy() {
  const Token* t;
  ENDGAME_RETURN_IF_ERROR(Operand(1, "a strategy", &t));
  const StrategyInfo* info = FindStrategy(t->value);
  if (info == nullptr) {
    std::vector<std::string_view> all;
    for (const StrategyInfo& i : Strategies()) all.push_back(i.word);
    std::string hint = DidYouMean(t->value, all);
    if (hint.empty()) hint = " (expected " + OrList(all) + ")";
    return FailAt(*t, "unknown strategy " + Quoted(t->value) + hint);
  }
  if (info->user_module) return UserStrategy(*t);
  StrategySpec spec = DefaultSpec(*info);
  const std::string what = internal::Cat("'strategy ", t->value, "'");
  std::vector<std::string_view> allowed;
  for (const StrategyArg& a : info->args) allowed.push_back(a.key);
  Options o;
  ENDGAME_RETURN_IF_ERROR(ReadOptions(
      2, allowed, false, {},
      [&](const std::string& key) {
        return what + " takes no argument " + Quoted(key) + DidYouMean(key, allowed);
      },
      &o));
  const Token* capi_only = nullptr;
  for (const StrategyArg& a : info->args) {
    const Token* tok = o.Find(a.key);
    if (tok == nullptr) continue;
    int64_t v;
    if (a.unit == ArgUnit::kWord) {
      ENDGAME_RETURN_IF_ERROR(Word(*tok, a.key, a.words, &v));
    } else {
      ENDGAME_RETURN_IF_ERROR(Int(*tok, a.key, a.min, a.max, &v));
    }
    SetStrategyArg(&spec, a.key, v);
    if (v == a.capi_only) capi_only = tok;
  }
  s_.strategy = std::move(spec);
  if (capi_only) {
    capi_only_line_ = line_;
    capi_only_text_ = capi_only->raw;
    return CheckHeaderCombination(*capi_only);
  }
  return absl::OkStatus();
}

// `strategy python module=NAME|PATH k=v...`: a user's module; its arguments
// are strings, for the module's make(**args) to judge.
absl::Status Parser::UserStrategy(const Token& word) {
  StrategySpec spec;
  spec.kind = StrategyKind::kPython;
  spec.python = word.value;
  std::vector<std::pair<std::string, std::string>> given;
  for (size_t i = 2; i < toks_.size(); ++i) {
    const Token& t = toks_[i];
    if (!t.has_key) return FailAt(t, "unexpected " + Quoted(t.raw) + " (arguments are key=value)");
    if (given.size() >= static_cast<size_t>(kMaxStrategyArgs) + 1) {
      return FailAt(t, internal::Cat("too many strategy arguments (at most ", kMaxStrategyArgs, " besides module=)"));
    }
    for (const auto& kv : given) {
      if (kv.first == t.key) return FailAt(t, "duplicate argument " + Quoted(t.key));
    }
    if (t.value.size() > static_cast<size_t>(kMaxStringLength)) {
      return FailValue(t, internal::Cat("'", t.key, "' is longer than ", kMaxStringLength, " bytes"));
    }
    if (t.key == "module") {
      if (t.value.empty()) return FailValue(t, "module= needs a module name or a file path");
      spec.module = t.value;
    }
    given.emplace_back(t.key, t.value);
  }
  if (spec.module.empty()) {
    return Fail(EndColumn(), "'strategy python' needs module=NAME (on sys.path) or module=PATH (a .py file)");
  }
  for (auto& kv : given) {
    if (kv.first != "module") spec.args.push_back(std::move(kv));
  }
  s_.strategy = std::move(spec);
  return absl::OkStatus();
}

// A capi-only strategy value (tstate=sticky) needs driver capi; reported at
// whichever line came second.
absl::Status Parser::CheckHeaderCombination(const Token& last) {
  if (s_.driver == Driver::kCapi || capi_only_line_ == 0) return absl::OkStatus();
  if (line_ == capi_only_line_) {
    return FailAt(last, internal::Cat(capi_only_text_, " needs driver capi (driver ", NameOf(s_.driver),
                                      " at line ", driver_line_, ")"));
  }
  return FailAt(last, internal::Cat("driver ", NameOf(s_.driver), " cannot use ", capi_only_text_, " (line ",
                                    capi_only_line_, ")"));
}

absl::Status Parser::Expect() {
  const Token* t;
  ENDGAME_RETURN_IF_ERROR(Operand(1, "a verdict", &t));
  if (!IsVerdictWord(t->value)) {
    std::vector<std::string_view> all(std::begin(kVerdictWords), std::end(kVerdictWords));
    std::string hint = DidYouMean(t->value, all);
    if (hint.empty()) hint = " (expected " + OrList(all) + ")";
    return FailAt(*t, "unknown verdict " + Quoted(t->value) + hint);
  }
  scenario::Expect e;
  e.verdict = t->value;
  if (toks_.size() > 2) {
    // The detail: a quoted string, or one bare word (`expect error RuntimeError`).
    const Token& d = toks_[2];
    e.detail = d.quoted && !d.has_key ? d.value : d.raw;
    if (e.detail.size() > static_cast<size_t>(kMaxStringLength)) {
      return FailAt(d, internal::Cat("expect detail is longer than ", kMaxStringLength, " bytes"));
    }
  }
  s_.expect = std::move(e);
  return ExpectEnd(3);
}

absl::Status Parser::StepLine(StepKind kind, bool channel) {
  Step step;
  step.kind = kind;
  step.channel = channel;
  step.pos.line = line_;
  step.pos.column = toks_[0].column;
  const std::string kw = toks_[0].value;
  auto unknown_for_step = [&](std::vector<std::string_view> allowed) {
    return [kw, allowed](const std::string& key) {
      return internal::Cat("'", kw, "' takes no argument ", Quoted(key), DidYouMean(key, allowed));
    };
  };
  Options o;
  switch (kind) {
    case StepKind::kSpawn:
      ENDGAME_RETURN_IF_ERROR(Name(1, "interpreter", &step.interp, &step.pos.target_column));
      ENDGAME_RETURN_IF_ERROR(SpawnArgs(&step, 2));
      break;
    case StepKind::kExec:
      ENDGAME_RETURN_IF_ERROR(Name(1, "interpreter", &step.interp, &step.pos.target_column));
      ENDGAME_RETURN_IF_ERROR(ExecArgs(&step, 2));
      break;
    case StepKind::kWait: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "task", &step.task, &step.pos.target_column));
      std::vector<std::string_view> allowed = {"timeout_ms", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, false, {}, unknown_for_step(allowed), &o));
      if (const Token* v = o.Find("timeout_ms")) {
        ENDGAME_RETURN_IF_ERROR(Int(*v, "timeout_ms", 0, kMaxMs, &step.timeout_ms));
      }
      break;
    }
    case StepKind::kCancel: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "task", &step.task, &step.pos.target_column));
      std::vector<std::string_view> allowed = {"via", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, false, {}, unknown_for_step(allowed), &o));
      if (const Token* v = o.Find("via")) {
        ENDGAME_RETURN_IF_ERROR(Enum(*v, "via", &step.via));
      }
      break;
    }
    case StepKind::kDestroy: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "interpreter", &step.interp, &step.pos.target_column));
      std::vector<std::string_view> allowed = {"via", "from", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, true, {}, unknown_for_step(allowed), &o));
      if (const Token* v = o.Find("via")) {
        ENDGAME_RETURN_IF_ERROR(Enum(*v, "via", &step.destroy_via));
      }
      if (const Token* v = o.Find("from")) {
        ENDGAME_RETURN_IF_ERROR(Enum(*v, "from", &step.from));
      }
      break;
    }
    case StepKind::kSleep: {
      std::vector<std::string_view> allowed = {"ms", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(1, allowed, false, {}, unknown_for_step(allowed), &o));
      const Token* v = o.Find("ms");
      if (!v) return Fail(EndColumn(), "'sleep' needs ms=N");
      ENDGAME_RETURN_IF_ERROR(Int(*v, "ms", 0, kMaxMs, &step.ms));
      break;
    }
    case StepKind::kGc: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "interpreter", &step.interp, &step.pos.target_column));
      std::vector<std::string_view> allowed = {"delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, false, {}, unknown_for_step(allowed), &o));
      break;
    }
    case StepKind::kFinalize: {
      std::vector<std::string_view> allowed = {"delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(1, allowed, false, {}, unknown_for_step(allowed), &o));
      break;
    }
    case StepKind::kExit: {
      std::vector<std::string_view> allowed = {"code", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(1, allowed, false, {}, unknown_for_step(allowed), &o));
      if (const Token* v = o.Find("code")) {
        ENDGAME_RETURN_IF_ERROR(Int(*v, "code", 0, kMaxExitCode, &step.code));
      }
      break;
    }
    case StepKind::kFork: {
      std::vector<std::string_view> allowed = {"ms", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(1, allowed, false, {}, unknown_for_step(allowed), &o));
      if (const Token* v = o.Find("ms")) ENDGAME_RETURN_IF_ERROR(Int(*v, "ms", 0, kMaxMs, &step.ms));
      break;
    }
    case StepKind::kQueue:
    case StepKind::kPut:
    case StepKind::kGet: {
      // A channel has no maxsize: a non-blocking send never fails for room.
      std::vector<std::string_view> allowed =
          kind == StepKind::kQueue ? (channel ? std::vector<std::string_view>{"unbound", "delay_us"}
                                              : std::vector<std::string_view>{"maxsize", "unbound", "delay_us"})
          : kind == StepKind::kPut ? std::vector<std::string_view>{"from", "value", "delay_us"}
                                   : std::vector<std::string_view>{"in", "timeout_ms", "delay_us"};
      int* column = kind == StepKind::kQueue ? &step.pos.target_column : &step.pos.queue_column;
      ENDGAME_RETURN_IF_ERROR(Name(1, channel ? "channel" : "queue", &step.queue, column));
      ENDGAME_RETURN_IF_ERROR(
          ReadOptions(2, allowed, kind != StepKind::kQueue, {}, unknown_for_step(allowed), &o));
      ENDGAME_RETURN_IF_ERROR(QueueStep(&step, &o));
      break;
    }
    case StepKind::kClose: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "channel", &step.queue, &step.pos.queue_column));
      std::vector<std::string_view> allowed = {"force", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, false, {}, unknown_for_step(allowed), &o));
      if (const Token* v = o.Find("force")) {
        int8_t force = 0;
        ENDGAME_RETURN_IF_ERROR(Bool(*v, "force", &force));
        step.force = force == 1;
      }
      break;
    }
    case StepKind::kShare: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "interpreter", &step.interp, &step.pos.target_column));
      std::vector<std::string_view> allowed = {"name", "value", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, false, {}, unknown_for_step(allowed), &o));
      const Token* name = o.Find("name");
      if (name == nullptr) return Fail(EndColumn(), "'share' needs name=ATTRIBUTE (the __main__ name to set)");
      if (name->quoted || !internal::IsAttrName(name->value)) {
        return FailValue(*name, internal::BadAttrName(name->value));
      }
      step.attr = name->value;
      if (const Token* v = o.Find("value")) ENDGAME_RETURN_IF_ERROR(ValueArg(*v, &step.value));
      break;
    }
    case StepKind::kCall: {
      ENDGAME_RETURN_IF_ERROR(Name(1, "interpreter", &step.interp, &step.pos.target_column));
      std::vector<std::string_view> allowed = {"func", "value", "delay_us"};
      ENDGAME_RETURN_IF_ERROR(ReadOptions(2, allowed, false, {}, unknown_for_step(allowed), &o));
      if (const Token* f = o.Find("func")) ENDGAME_RETURN_IF_ERROR(Enum(*f, "func", &step.func));
      if (const Token* v = o.Find("value")) ENDGAME_RETURN_IF_ERROR(ValueArg(*v, &step.value));
      break;
    }
  }
  // Exec and spawn read their own options (and delay_us) above.
  if (kind != StepKind::kExec && kind != StepKind::kSpawn) {
    if (const Token* v = o.Find("delay_us")) {
      ENDGAME_RETURN_IF_ERROR(Int(*v, "delay_us", 0, kMaxDelayUs, &step.delay_us));
    }
    if (o.as) {
      step.task = o.as->value;
      step.pos.as_column = o.as->column;
    }
  }
  if (auto p = tracker_.Advance(step, internal::Origin{line_, 0})) {
    int col = step.pos.column;
    if (p->where == internal::Where::kTarget && step.pos.target_column)
      col = step.pos.target_column;
    if (p->where == internal::Where::kAs && step.pos.as_column) col = step.pos.as_column;
    if (p->where == internal::Where::kQueue && step.pos.queue_column) col = step.pos.queue_column;
    return Fail(col, p->message);
  }
  s_.steps.push_back(std::move(step));
  return absl::OkStatus();
}

// The arguments of queue, put and get (Options already read).
absl::Status Parser::QueueStep(Step* step, Options* o) {
  if (step->kind == StepKind::kQueue) {
    if (const Token* v = o->Find("maxsize")) {
      ENDGAME_RETURN_IF_ERROR(Int(*v, "maxsize", 0, kMaxQueueSize, &step->maxsize));
    }
    if (const Token* v = o->Find("unbound")) ENDGAME_RETURN_IF_ERROR(Enum(*v, "unbound", &step->unbound));
    return absl::OkStatus();
  }
  const char* key = step->kind == StepKind::kPut ? "from" : "in";
  const Token* who = o->Find(key);
  if (who == nullptr) {
    return Fail(EndColumn(), internal::Cat("'", NameOf(step->kind), "' needs ", key, "=INTERPRETER"));
  }
  if (who->quoted || !IsValidName(who->value)) {
    return FailValue(*who, internal::Cat("bad interpreter name ", Quoted(who->value),
                                         " (names are [a-z][a-z0-9_]*, at most ", kMaxNameLength,
                                         " characters)"));
  }
  step->interp = who->value;
  step->pos.target_column = who->value_column;
  if (const Token* v = o->Find("value")) ENDGAME_RETURN_IF_ERROR(ValueArg(*v, &step->value));
  if (const Token* v = o->Find("timeout_ms")) {
    ENDGAME_RETURN_IF_ERROR(Int(*v, "timeout_ms", 0, kMaxMs, &step->timeout_ms));
  }
  return absl::OkStatus();
}

absl::Status Parser::ValueArg(const Token& t, Value* out) {
  if (t.quoted) {
    if (t.value.size() > static_cast<size_t>(kMaxStringLength)) {
      return FailValue(t, internal::Cat("'value' is longer than ", kMaxStringLength, " bytes"));
    }
    out->kind = Value::Kind::kStr;
    out->text = t.value;
    return absl::OkStatus();
  }
  const std::string& v = t.value;
  if (!v.empty() && v[0] >= '0' && v[0] <= '9') {
    out->kind = Value::Kind::kInt;
    return Int(t, "value", 0, kMaxIntValue, &out->n);
  }
  if (v.rfind("bytes:", 0) == 0) {
    std::string_view hex = std::string_view(v).substr(6);
    auto nibble = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    bool ok = hex.size() % 2 == 0 && hex.size() / 2 <= static_cast<size_t>(kMaxStringLength);
    std::string bytes;
    for (size_t i = 0; ok && i < hex.size(); i += 2) {
      int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
      ok = hi >= 0 && lo >= 0;
      bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    if (!ok) {
      return FailValue(t, internal::Cat("bad bytes value ", Quoted(v),
                                        " (bytes:HEX, an even number of lowercase hex digits, at most ",
                                        kMaxStringLength, " bytes)"));
    }
    out->kind = Value::Kind::kBytes;
    out->text = std::move(bytes);
    return absl::OkStatus();
  }
  if (v.rfind("queue:", 0) == 0) {
    std::string name = v.substr(6);
    if (!IsValidName(name)) {
      return FailValue(t, internal::Cat("bad queue name ", Quoted(name), " in 'value' (queue:Q; names are [a-z][a-z0-9_]*, at most ",
                                        kMaxNameLength, " characters)"));
    }
    out->kind = Value::Kind::kQueue;
    out->text = std::move(name);
    return absl::OkStatus();
  }
  for (Value::Kind k : {Value::Kind::kNone, Value::Kind::kTuple, Value::Kind::kUnshareable}) {
    if (v == NameOf(k)) {
      out->kind = k;
      return absl::OkStatus();
    }
  }
  const std::vector<std::string_view> words = {"none", "tuple", "unshareable", "bytes:", "queue:"};
  std::string hint = DidYouMean(v, words);
  if (hint.empty()) hint = " (expected a number, a quoted string, bytes:HEX, none, tuple, unshareable or queue:Q)";
  return FailValue(t, internal::Cat("unknown value ", Quoted(v), " for 'value'", hint));
}

absl::Status Parser::SpawnArgs(Step* step, size_t first) {
  std::vector<std::string_view> allowed = {"gil",  "obmalloc", "threads",          "daemon_threads",
                                           "fork", "exec",     "check_extensions", "delay_us"};
  Options o;
  ENDGAME_RETURN_IF_ERROR(ReadOptions(
      first, allowed, false, AllNames<InterpConfig::Base>(),
      [&](const std::string& key) {
        return "'spawn' takes no argument " + Quoted(key) + DidYouMean(key, allowed);
      },
      &o));
  InterpConfig& c = step->config;
  if (o.word) c.base = *FromName<InterpConfig::Base>(o.word->value);
  for (const auto& [key, tok] : o.values) {
    if (key == "gil" && tok->quoted) {
      if (tok->value.size() > static_cast<size_t>(kMaxGilTextLength)) {
        return FailValue(*tok, internal::Cat("'gil' is longer than ", kMaxGilTextLength, " bytes"));
      }
      c.gil_text = tok->value;
    } else if (key == "gil") {
      if (!FromName<InterpConfig::Gil>(tok->value)) {
        return FailValue(*tok, internal::Cat("unknown value ", Quoted(tok->value),
                                             " for 'gil' (expected own or shared; a quoted string passes any text)"));
      }
      ENDGAME_RETURN_IF_ERROR(Enum(*tok, key, &c.gil));
    } else if (key == "obmalloc") {
      ENDGAME_RETURN_IF_ERROR(Enum(*tok, key, &c.obmalloc));
    } else if (key == "threads") {
      ENDGAME_RETURN_IF_ERROR(Bool(*tok, key, &c.threads));
    } else if (key == "daemon_threads") {
      ENDGAME_RETURN_IF_ERROR(Bool(*tok, key, &c.daemon_threads));
    } else if (key == "fork") {
      ENDGAME_RETURN_IF_ERROR(Bool(*tok, key, &c.fork));
    } else if (key == "exec") {
      ENDGAME_RETURN_IF_ERROR(Bool(*tok, key, &c.exec));
    } else if (key == "check_extensions") {
      ENDGAME_RETURN_IF_ERROR(Bool(*tok, key, &c.check_extensions));
    } else {
      ENDGAME_RETURN_IF_ERROR(Int(*tok, key, 0, kMaxDelayUs, &step->delay_us));
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::ExecArgs(Step* step, size_t first) {
  if (first >= toks_.size()) return Fail(EndColumn(), "expected a snippet name");
  const Token& name = toks_[first];
  if (name.quoted || name.has_key) {
    return FailAt(name, "expected a snippet name, got " + Quoted(name.raw));
  }
  const SnippetInfo* info = FindSnippet(name.value);
  if (!info) {
    return FailAt(name,
                  "unknown snippet " + Quoted(name.value) + DidYouMean(name.value, SnippetNames()));
  }
  Snippet sn = DefaultSnippet(info->kind);
  size_t next = first + 1;
  for (const SnippetArg& a : info->Args()) {
    if (a.type != ArgType::kSource) continue;
    if (next >= toks_.size()) {
      return Fail(EndColumn(), internal::Cat("expected a quoted string after '", info->name, "'"));
    }
    const Token& src = toks_[next];
    if (!src.quoted || src.has_key) {
      return FailAt(src, internal::Cat("expected a quoted string after '", info->name, "', got ",
                                       Quoted(src.raw)));
    }
    if (src.value.size() > static_cast<size_t>(kMaxStringLength)) {
      return FailAt(src, internal::Cat("'", info->name, "' source is longer than ",
                                       kMaxStringLength, " bytes"));
    }
    sn.text = src.value;
    ++next;
  }
  std::vector<std::string_view> allowed;
  for (const SnippetArg& a : info->Args()) {
    if (a.type != ArgType::kSource) allowed.push_back(a.name);
  }
  allowed.push_back("on");
  allowed.push_back("delay_us");
  const std::vector<std::string_view> snippet_args = AllSnippetArgNames();
  Options o;
  ENDGAME_RETURN_IF_ERROR(ReadOptions(
      next, allowed, true, {},
      [&](const std::string& key) {
        if (std::find(snippet_args.begin(), snippet_args.end(), key) != snippet_args.end()) {
          return internal::Cat("snippet '", info->name, "' takes no argument ", Quoted(key),
                               DidYouMean(key, allowed));
        }
        return "'exec' takes no argument " + Quoted(key) + DidYouMean(key, allowed);
      },
      &o));
  for (const auto& [key, tok] : o.values) {
    if (key == "on") {
      ENDGAME_RETURN_IF_ERROR(Enum(*tok, key, &step->on));
      continue;
    }
    if (key == "delay_us") {
      ENDGAME_RETURN_IF_ERROR(Int(*tok, key, 0, kMaxDelayUs, &step->delay_us));
      continue;
    }
    const SnippetArg& a = *info->FindArg(key);
    if (a.type == ArgType::kInt) {
      int64_t v;
      ENDGAME_RETURN_IF_ERROR(Int(*tok, key, a.min, a.max, &v));
      SetIntField(&sn, a.field, v);
    } else if (a.type == ArgType::kBool) {
      int8_t v;
      ENDGAME_RETURN_IF_ERROR(Bool(*tok, key, &v));
      SetIntField(&sn, a.field, v);
    } else if (a.type == ArgType::kInterp) {
      if (tok->quoted || !IsValidName(tok->value)) {
        return FailValue(*tok, internal::BadTargetName(key, tok->value));
      }
      sn.text = tok->value;
    } else {
      if (!tok->quoted && !IsDottedIdentifier(tok->value)) {
        return FailValue(*tok, internal::Cat("bad value ", Quoted(tok->value), " for '", key,
                                             "' (expected a dotted name like os.path, or a "
                                             "quoted string)"));
      }
      if (tok->value.size() > static_cast<size_t>(kMaxStringLength)) {
        return FailValue(*tok,
                         internal::Cat("'", key, "' is longer than ", kMaxStringLength, " bytes"));
      }
      sn.text = tok->value;
    }
  }
  for (const SnippetArg& a : info->Args()) {
    if (a.type == ArgType::kInterp && o.Find(a.name) == nullptr) {
      return Fail(EndColumn(), internal::MissingTarget(info->name, a.name));
    }
  }
  step->snippet = std::move(sn);
  if (o.as) {
    step->task = o.as->value;
    step->pos.as_column = o.as->column;
  }
  return absl::OkStatus();
}

absl::Status Parser::ReadOptions(size_t first, const std::vector<std::string_view>& allowed,
                                 bool allow_as, const std::vector<std::string_view>& words,
                                 const std::function<std::string(const std::string&)>& unknown_key,
                                 Options* out) {
  for (size_t i = first; i < toks_.size(); ++i) {
    const Token& t = toks_[i];
    if (t.has_key) {
      if (std::find(allowed.begin(), allowed.end(), t.key) == allowed.end()) {
        return FailAt(t, unknown_key(t.key));
      }
      for (const auto& kv : out->values) {
        if (kv.first == t.key) return FailAt(t, "duplicate argument " + Quoted(t.key));
      }
      out->values.emplace_back(t.key, &t);
      continue;
    }
    if (t.quoted) return FailAt(t, "unexpected string " + QuoteString(t.value));
    if (allow_as && t.value == "as") {
      if (out->as) return FailAt(t, "duplicate argument 'as'");
      if (i + 1 >= toks_.size()) return Fail(EndColumn(), "expected a task name after 'as'");
      std::string ignored;
      int column;
      ENDGAME_RETURN_IF_ERROR(Name(i + 1, "task", &ignored, &column));
      out->as = &toks_[++i];
      continue;
    }
    if (std::find(words.begin(), words.end(), t.value) != words.end()) {
      if (out->word) {
        return FailAt(t, out->word->value == t.value
                             ? "duplicate argument " + Quoted(t.value)
                             : Quoted(t.value) + " conflicts with " + Quoted(out->word->value));
      }
      out->word = &t;
      continue;
    }
    std::vector<std::string_view> hints = words;
    if (allow_as) hints.push_back("as");
    return FailAt(t, "unexpected " + Quoted(t.raw) + DidYouMean(t.value, hints));
  }
  return absl::OkStatus();
}

absl::Status Parser::Operand(size_t index, std::string_view what, const Token** out) {
  if (index >= toks_.size()) {
    return Fail(EndColumn(),
                internal::Cat("expected ", what, " after '", toks_[index - 1].raw, "'"));
  }
  const Token& t = toks_[index];
  if (t.quoted || t.has_key)
    return FailAt(t, internal::Cat("expected ", what, ", got ", Quoted(t.raw)));
  *out = &t;
  return absl::OkStatus();
}

absl::Status Parser::Name(size_t index, std::string_view what, std::string* out, int* column) {
  const Token* t;
  ENDGAME_RETURN_IF_ERROR(
      Operand(index, internal::Cat(what == "interpreter" ? "an " : "a ", what, " name"), &t));
  if (!IsValidName(t->value)) {
    return FailAt(
        *t, internal::Cat("bad ", what, " name ", Quoted(t->value),
                          " (names are [a-z][a-z0-9_]*, at most ", kMaxNameLength, " characters)"));
  }
  *out = t->value;
  *column = t->column;
  return absl::OkStatus();
}

absl::Status Parser::Int(const Token& t, std::string_view name, int64_t min, int64_t max,
                         int64_t* out) {
  if (t.quoted)
    return FailValue(t, internal::Cat("expected a number for '", name, "', got a string"));
  const std::string& v = t.value;
  if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return FailValue(t, internal::Cat("expected a number for '", name, "', got ", Quoted(v)));
  }
  // Leading zeros are fine; more than 18 significant digits is out of any range.
  size_t nz = v.find_first_not_of('0');
  std::string_view digits =
      nz == std::string::npos ? std::string_view("0") : std::string_view(v).substr(nz);
  int64_t value = 0;
  bool too_big = digits.size() > 18;
  if (!too_big) {
    for (char c : digits) value = value * 10 + (c - '0');
  }
  if (too_big || value < min || value > max) {
    return FailValue(t, internal::RangeMessage(name, min, max, v));
  }
  *out = value;
  return absl::OkStatus();
}

absl::Status Parser::Bool(const Token& t, std::string_view name, int8_t* out) {
  if (t.quoted || (t.value != "0" && t.value != "1")) {
    return FailValue(t, internal::Cat("'", name, "' must be 0 or 1, got ",
                                      t.quoted ? "a string" : Quoted(t.value)));
  }
  *out = t.value == "1" ? 1 : 0;
  return absl::OkStatus();
}

template <typename E>
absl::Status Parser::Enum(const Token& t, std::string_view name, E* out) {
  if (t.quoted)
    return FailValue(t, internal::Cat("expected a word for '", name, "', got a string"));
  if (auto v = FromName<E>(t.value)) {
    *out = *v;
    return absl::OkStatus();
  }
  std::vector<std::string_view> all = AllNames<E>();
  std::string hint = DidYouMean(t.value, all);
  if (hint.empty()) hint = " (expected " + OrList(all) + ")";
  return FailValue(t, internal::Cat("unknown value ", Quoted(t.value), " for '", name, "'", hint));
}

absl::Status Parser::Word(const Token& t, std::string_view name, const std::vector<std::string_view>& words,
                          int64_t* out) {
  if (t.quoted) return FailValue(t, internal::Cat("expected a word for '", name, "', got a string"));
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == t.value) {
      *out = static_cast<int64_t>(i);
      return absl::OkStatus();
    }
  }
  std::string hint = DidYouMean(t.value, words);
  if (hint.empty()) hint = " (expected " + OrList(words) + ")";
  return FailValue(t, internal::Cat("unknown value ", Quoted(t.value), " for '", name, "'", hint));
}

absl::Status Parser::ExpectEnd(size_t index) {
  if (index < toks_.size()) return FailAt(toks_[index], "unexpected " + Quoted(toks_[index].raw));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Scenario> ParseScenario(std::string_view text, std::string_view filename) {
  return Parser(filename).Run(text);
}

}  // namespace endgame::scenario
