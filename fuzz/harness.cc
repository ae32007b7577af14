#include "fuzz/harness.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "endgame/base/subprocess.h"
#include "endgame/py/capabilities.h"
#include "endgame/run/embedded.h"
#include "endgame/report/findings.h"
#include "endgame/run/conductor.h"
#include "endgame/scenario/codec.h"
#include "endgame/scenario/mutator.h"
#include "endgame/scenario/strategies.h"
#include "endgame/scenario/text.h"

// libFuzzer's byte mutator; weak so that builds without libFuzzer link.
extern "C" __attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace endgame::fuzz {
namespace {

namespace fs = std::filesystem;
namespace sc = ::endgame::scenario;

struct State {
  sc::FuzzTarget target = sc::FuzzTarget::kLifecycle;
  sc::FuzzLimits limits;
  sc::GeneratorOptions mutator_options;
  run::RunOptions run_options;
};

State* g_state = nullptr;
// The scenario being run and under what, for the watchdog's hang report.
std::atomic<const sc::Scenario*> g_current{nullptr};
std::atomic<const char*> g_current_label{""};

// " under <word>" for a strategy of the table; the strings live for the process.
const char* LabelFor(const sc::StrategySpec& spec) {
  static const auto* labels = [] {
    auto* v = new std::vector<std::string>;
    for (const sc::StrategyInfo& i : sc::Strategies()) v->push_back(absl::StrCat(" under ", std::string(i.word)));
    return v;
  }();
  const sc::StrategyInfo* info = sc::InfoOf(spec);
  return info == nullptr ? " under ?" : (*labels)[static_cast<size_t>(info - sc::Strategies().data())].c_str();
}

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "endgame-fuzz: %s\n", msg.c_str());
  std::fflush(stderr);
  _exit(1);
}

// libFuzzer's -timeout (seconds), 0 when not given.
int TimeoutSeconds(int argc, char** argv) {
  int t = 0;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (std::strncmp(a, "-timeout=", 9) == 0 && !absl::SimpleAtoi(a + 9, &t)) t = 0;
  }
  return t;
}

std::string PythonHome() {
  if (const char* env = std::getenv("ENDGAME_PYTHONHOME")) return env;
  absl::StatusOr<std::string> exe = SelfExe();
  if (!exe.ok()) return "";
  fs::path shipped = fs::path(*exe).parent_path() / "python";
  std::error_code ec;
  if (fs::is_directory(shipped / "lib", ec)) return shipped.string();
  return "";
}

}  // namespace

void Initialize(int* argc, char*** argv, sc::FuzzTarget target) {
  static State state;
  g_state = &state;
  state.target = target;
  // The watchdog must fire well before libFuzzer's -timeout: a step gets a
  // quarter of it (at most the scenario's own deadline, at most 5 s).
  int timeout = TimeoutSeconds(*argc, *argv);
  if (timeout > 0) state.limits.max_deadline_ms = std::clamp<int64_t>(timeout * 1000 / 4, 250, 5000);
  state.mutator_options = sc::FuzzMutatorOptions(target);

  // CPython's signal handlers stay off: libFuzzer owns the signals, as in
  // CPython's own fuzzers.
  run::EmbeddedOptions eo;
  eo.home = PythonHome();
  absl::StatusOr<py::Capabilities> caps = run::PrepareEmbedded(eo);
  if (!caps.ok()) Die(std::string(caps.status().message()));
  state.run_options.python_gdb_script = caps->gdb_script;
  state.run_options.on_hang = [](const run::RunResult& r) {
    const sc::Scenario* s = g_current.load();
    ReportAndAbort(s ? *s : sc::Scenario(),
                   absl::StrCat(r.verdict.ToString(), " (signature ", r.signature, ")", g_current_label.load()), r);
  };
  std::fprintf(stderr, "endgame-fuzz: target %s on CPython %s %s%s, step deadline <= %lld ms\n",
               sc::FuzzTargetName(target), caps->version.c_str(), caps->build.c_str(),
               caps->asan ? " asan" : "", static_cast<long long>(state.limits.max_deadline_ms));
}

sc::Scenario Decode(const uint8_t* data, size_t size) {
  return sc::ShapeForFuzzing(sc::DecodeScenario(data, size), g_state->target, g_state->limits);
}

run::RunResult Run(const sc::Scenario& s, const sc::StrategySpec* strategy) {
  run::RunOptions o = g_state->run_options;
  o.strategy_override = strategy;
  g_current.store(&s);
  g_current_label.store(strategy == nullptr ? "" : LabelFor(*strategy));
  run::RunResult r = run::RunScenario(s, o);
  g_current.store(nullptr);
  return r;
}

void ReportAndAbort(const sc::Scenario& s, const std::string& headline, const run::RunResult& r) {
  std::string text = absl::StrCat("==endgame-fuzz== finding: ", headline, " in ",
                                  sc::FuzzTargetName(g_state->target), "\n");
  absl::StrAppend(&text, "==endgame-fuzz== scenario (save it and run: endgame run FILE):\n",
                  sc::PrintScenario(s), "==endgame-fuzz== result:\n", run::ToJson(r), "\n");
  if (!r.stacks.empty()) absl::StrAppend(&text, "==endgame-fuzz== stacks:\n", r.stacks, "\n");
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  std::abort();
}

run::RunResult RunAndJudge(const sc::Scenario& s, const sc::StrategySpec* strategy) {
  run::RunResult r = Run(s, strategy);
  if (report::IsFinding(r)) {
    ReportAndAbort(s, absl::StrCat(r.verdict.ToString(), " (signature ", r.signature, ")", g_current_label.load()),
                   r);
  }
  if (r.poisoned) ReportAndAbort(s, "threads still run inside interpreters after the scenario", r);
  return r;
}

size_t CustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  if (LLVMFuzzerMutate && seed % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  return sc::MutateBytes(data, size, max_size, seed, g_state->mutator_options);
}

}  // namespace endgame::fuzz
