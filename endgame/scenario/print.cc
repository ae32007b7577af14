// The canonical printer: fixed argument order, defaults omitted.
#include <cstdio>

#include "endgame/scenario/internal/lexer.h"
#include "endgame/scenario/internal/strings.h"
#include "endgame/scenario/names.h"
#include "endgame/scenario/snippets.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"

namespace endgame::scenario {
namespace {

void PrintRequirement(const Requirement& r, std::string* out) {
  if (r.kind == Requirement::Kind::kCapability) {
    internal::Append(out, r.capability);
    return;
  }
  internal::Append(out, "python", NameOf(r.op), r.major, ".", r.minor);
  if (r.micro >= 0) internal::Append(out, ".", r.micro);
}

void PrintFlag(const char* key, int8_t v, std::string* out) {
  if (v >= 0) internal::Append(out, " ", key, "=", static_cast<int>(v));
}

void PrintSnippet(const Snippet& sn, std::string* out) {
  const SnippetInfo& info = InfoOf(sn.kind);
  internal::Append(out, " ", info.name);
  for (const SnippetArg& a : info.Args()) {
    if (a.type == ArgType::kSource) {
      internal::Append(out, " ", QuoteString(sn.text));
    } else if (!ArgIsDefault(sn, a)) {
      internal::Append(out, " ", a.name, "=");
      if (a.type == ArgType::kInterp) {
        internal::Append(out, sn.text);
      } else if (a.type == ArgType::kIdentOrString) {
        internal::Append(out, IsDottedIdentifier(sn.text) ? sn.text : QuoteString(sn.text));
      } else {
        internal::Append(out, GetIntField(sn, a.field));
      }
    }
  }
}

void PrintStep(const Step& st, std::string* out) {
  internal::Append(out, StepWord(st));
  switch (st.kind) {
    case StepKind::kSpawn: {
      const InterpConfig& c = st.config;
      internal::Append(out, " ", st.interp);
      if (c.base != InterpConfig::Base::kIsolated) internal::Append(out, " ", NameOf(c.base));
      if (c.gil != InterpConfig::Gil::kDefault) internal::Append(out, " gil=", NameOf(c.gil));
      if (c.gil_text) internal::Append(out, " gil=", QuoteString(*c.gil_text));
      if (c.obmalloc != InterpConfig::Obmalloc::kDefault) {
        internal::Append(out, " obmalloc=", NameOf(c.obmalloc));
      }
      PrintFlag("threads", c.threads, out);
      PrintFlag("daemon_threads", c.daemon_threads, out);
      PrintFlag("fork", c.fork, out);
      PrintFlag("exec", c.exec, out);
      PrintFlag("check_extensions", c.check_extensions, out);
      break;
    }
    case StepKind::kExec:
      internal::Append(out, " ", st.interp);
      PrintSnippet(st.snippet, out);
      if (st.on != ExecOn::kStrategy) internal::Append(out, " on=", NameOf(st.on));
      break;
    case StepKind::kWait:
      internal::Append(out, " ", st.task);
      if (st.timeout_ms != 0) internal::Append(out, " timeout_ms=", st.timeout_ms);
      break;
    case StepKind::kCancel:
      internal::Append(out, " ", st.task);
      if (st.via != CancelVia::kAsyncExc) internal::Append(out, " via=", NameOf(st.via));
      break;
    case StepKind::kDestroy:
      internal::Append(out, " ", st.interp);
      if (st.destroy_via != DestroyVia::kAuto)
        internal::Append(out, " via=", NameOf(st.destroy_via));
      if (st.from != DestroyFrom::kConductor) internal::Append(out, " from=", NameOf(st.from));
      break;
    case StepKind::kSleep:
      internal::Append(out, " ms=", st.ms);
      break;
    case StepKind::kGc:
      internal::Append(out, " ", st.interp);
      break;
    case StepKind::kFinalize:
      break;
    case StepKind::kExit:
      if (st.code != 0) internal::Append(out, " code=", st.code);
      break;
    case StepKind::kFork:
      if (st.ms != 0) internal::Append(out, " ms=", st.ms);
      break;
    case StepKind::kQueue:
      internal::Append(out, " ", st.queue);
      if (st.maxsize != 0) internal::Append(out, " maxsize=", st.maxsize);
      if (st.unbound != Unbound::kReplace) internal::Append(out, " unbound=", NameOf(st.unbound));
      break;
    case StepKind::kPut:
      internal::Append(out, " ", st.queue, " from=", st.interp);
      if (st.value != Value{}) internal::Append(out, " value=", ValueText(st.value));
      break;
    case StepKind::kGet:
      internal::Append(out, " ", st.queue, " in=", st.interp);
      if (st.timeout_ms != 0) internal::Append(out, " timeout_ms=", st.timeout_ms);
      break;
    case StepKind::kClose:
      internal::Append(out, " ", st.queue);
      if (st.force) internal::Append(out, " force=1");
      break;
    case StepKind::kShare:
      internal::Append(out, " ", st.interp, " name=", st.attr);
      if (st.value != Value{}) internal::Append(out, " value=", ValueText(st.value));
      break;
    case StepKind::kCall:
      internal::Append(out, " ", st.interp);
      if (st.func != CallFunc::kEcho) internal::Append(out, " func=", NameOf(st.func));
      if (st.value != Value{}) internal::Append(out, " value=", ValueText(st.value));
      break;
  }
  if (st.delay_us != 0) internal::Append(out, " delay_us=", st.delay_us);
  if (!st.task.empty() && st.kind != StepKind::kWait && st.kind != StepKind::kCancel) {
    internal::Append(out, " as ", st.task);
  }
  out->push_back('\n');
}

}  // namespace

std::string PrintStep(const Step& step) {
  std::string out;
  PrintStep(step, &out);
  out.pop_back();  // the '\n'
  return out;
}

std::string QuoteString(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      default:
        break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (size_t n = internal::Utf8SequenceLength(text, i)) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
    ++i;
  }
  out += "\"";
  return out;
}

std::string ValueText(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kInt:
      return std::to_string(v.n);
    case Value::Kind::kStr:
      return QuoteString(v.text);
    case Value::Kind::kBytes: {
      std::string out = "bytes:";
      for (unsigned char c : v.text) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
      }
      return out;
    }
    case Value::Kind::kQueue:
      return "queue:" + v.text;
    case Value::Kind::kNone:
    case Value::Kind::kTuple:
    case Value::Kind::kUnshareable:
      break;
  }
  return std::string(NameOf(v.kind));
}

std::string PrintScenario(const Scenario& s) {
  std::string out;
  if (!s.name.empty()) internal::Append(&out, "name ", QuoteString(s.name), "\n");
  if (!s.requires_.empty()) {
    out += "requires";
    for (const Requirement& r : s.requires_) {
      out += " ";
      PrintRequirement(r, &out);
    }
    out += "\n";
  }
  if (s.driver != Driver::kCapi) internal::Append(&out, "driver ", NameOf(s.driver), "\n");
  if (s.strategy != StrategySpec{}) {
    const StrategySpec& st = s.strategy;
    internal::Append(&out, "strategy ", StrategyWord(st));
    const StrategyInfo* info = InfoOf(st);
    if (info != nullptr && !info->user_module) {
      // Table order, defaults omitted.
      for (const StrategyArg& a : info->args) {
        int64_t v = StrategyArgValue(st, a.key);
        if (v != a.default_value) internal::Append(&out, " ", a.key, "=", ArgText(a, v));
      }
    } else {
      // Bare when it lexes back as one word, else quoted.
      auto value = [](const std::string& v) {
        bool bare = !v.empty();
        for (unsigned char c : v) bare &= c > 0x20 && c < 0x7f && c != '#' && c != '"' && c != '\\';
        return bare ? v : QuoteString(v);
      };
      if (!st.module.empty()) internal::Append(&out, " module=", value(st.module));
      for (const auto& [k, v] : st.args) internal::Append(&out, " ", k, "=", value(v));
    }
    out += "\n";
  }
  if (s.deadline_ms != Scenario{}.deadline_ms)
    internal::Append(&out, "deadline_ms ", s.deadline_ms, "\n");
  for (const Step& st : s.steps) PrintStep(st, &out);
  if (s.expect) {
    internal::Append(&out, "expect ", s.expect->verdict);
    if (!s.expect->detail.empty()) internal::Append(&out, " ", QuoteString(s.expect->detail));
    out += "\n";
  }
  return out;
}

}  // namespace endgame::scenario
