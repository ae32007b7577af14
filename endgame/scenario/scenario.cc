#include "endgame/scenario/scenario.h"

#include <tuple>
#include <utility>

namespace endgame::scenario {

bool StrategySpec::operator==(const StrategySpec& o) const {
  return std::tie(kind, workers, tstate, bound_ms, python, module, args) ==
         std::tie(o.kind, o.workers, o.tstate, o.bound_ms, o.python, o.module, o.args);
}

bool Requirement::operator==(const Requirement& o) const {
  return std::tie(kind, op, major, minor, micro, capability) ==
         std::tie(o.kind, o.op, o.major, o.minor, o.micro, o.capability);
}

bool InterpConfig::operator==(const InterpConfig& o) const {
  return std::tie(base, gil, obmalloc, threads, daemon_threads, fork, exec, check_extensions, gil_text) ==
         std::tie(o.base, o.gil, o.obmalloc, o.threads, o.daemon_threads, o.fork, o.exec,
                  o.check_extensions, o.gil_text);
}

bool Snippet::operator==(const Snippet& o) const {
  return std::tie(kind, n, ms, kb, depth, daemon, text) ==
         std::tie(o.kind, o.n, o.ms, o.kb, o.depth, o.daemon, o.text);
}

bool Value::operator==(const Value& o) const {
  return std::tie(kind, n, text) == std::tie(o.kind, o.n, o.text);
}

// `pos` is deliberately left out: where a step was written is not what it means.
bool Step::operator==(const Step& o) const {
  return std::tie(kind, interp, task, config, snippet, on, via, destroy_via, from, timeout_ms, ms,
                  delay_us, queue, maxsize, unbound, channel, force, value, attr, func, code) ==
         std::tie(o.kind, o.interp, o.task, o.config, o.snippet, o.on, o.via, o.destroy_via, o.from,
                  o.timeout_ms, o.ms, o.delay_us, o.queue, o.maxsize, o.unbound, o.channel, o.force, o.value,
                  o.attr, o.func, o.code);
}

bool Expect::operator==(const Expect& o) const {
  return verdict == o.verdict && detail == o.detail;
}

bool Scenario::operator==(const Scenario& o) const {
  return std::tie(name, requires_, driver, strategy, deadline_ms, steps, expect) ==
         std::tie(o.name, o.requires_, o.driver, o.strategy, o.deadline_ms, o.steps, o.expect);
}

Step Step::Spawn(std::string interp, InterpConfig config) {
  Step s;
  s.kind = StepKind::kSpawn;
  s.interp = std::move(interp);
  s.config = config;
  return s;
}

Step Step::Exec(std::string interp, Snippet snippet, std::string task) {
  Step s;
  s.kind = StepKind::kExec;
  s.interp = std::move(interp);
  s.snippet = std::move(snippet);
  s.task = std::move(task);
  return s;
}

Step Step::Wait(std::string task, int64_t timeout_ms) {
  Step s;
  s.kind = StepKind::kWait;
  s.task = std::move(task);
  s.timeout_ms = timeout_ms;
  return s;
}

Step Step::Cancel(std::string task, CancelVia via) {
  Step s;
  s.kind = StepKind::kCancel;
  s.task = std::move(task);
  s.via = via;
  return s;
}

Step Step::Destroy(std::string interp, std::string task) {
  Step s;
  s.kind = StepKind::kDestroy;
  s.interp = std::move(interp);
  s.task = std::move(task);
  return s;
}

Step Step::Sleep(int64_t ms) {
  Step s;
  s.kind = StepKind::kSleep;
  s.ms = ms;
  return s;
}

Step Step::Gc(std::string interp) {
  Step s;
  s.kind = StepKind::kGc;
  s.interp = std::move(interp);
  return s;
}

Step Step::Finalize() {
  Step s;
  s.kind = StepKind::kFinalize;
  return s;
}

Step Step::Queue(std::string queue, int64_t maxsize, Unbound unbound) {
  Step s;
  s.kind = StepKind::kQueue;
  s.queue = std::move(queue);
  s.maxsize = maxsize;
  s.unbound = unbound;
  return s;
}

Step Step::Put(std::string queue, std::string from, Value value, std::string task) {
  Step s;
  s.kind = StepKind::kPut;
  s.queue = std::move(queue);
  s.interp = std::move(from);
  s.value = std::move(value);
  s.task = std::move(task);
  return s;
}

Step Step::Get(std::string queue, std::string in, int64_t timeout_ms, std::string task) {
  Step s;
  s.kind = StepKind::kGet;
  s.queue = std::move(queue);
  s.interp = std::move(in);
  s.timeout_ms = timeout_ms;
  s.task = std::move(task);
  return s;
}

Step Step::Share(std::string interp, std::string attr, Value value) {
  Step s;
  s.kind = StepKind::kShare;
  s.interp = std::move(interp);
  s.attr = std::move(attr);
  s.value = std::move(value);
  return s;
}

Step Step::Call(std::string interp, CallFunc func, Value value) {
  Step s;
  s.kind = StepKind::kCall;
  s.interp = std::move(interp);
  s.func = func;
  s.value = std::move(value);
  return s;
}

Step Step::Channel(std::string channel, Unbound unbound) {
  Step s = Queue(std::move(channel), 0, unbound);
  s.channel = true;
  return s;
}

Step Step::Close(std::string channel, bool force) {
  Step s;
  s.kind = StepKind::kClose;
  s.queue = std::move(channel);
  s.force = force;
  return s;
}

Step Step::Exit(int64_t code) {
  Step s;
  s.kind = StepKind::kExit;
  s.code = code;
  return s;
}

Step Step::Fork(int64_t ms) {
  Step s;
  s.kind = StepKind::kFork;
  s.ms = ms;
  return s;
}

}  // namespace endgame::scenario
