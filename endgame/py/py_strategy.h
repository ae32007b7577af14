// File: endgame/py/py_strategy.h
//
// A strategy written in Python (docs/strategies.md, "Python strategies"),
// loaded into the main interpreter: a module whose make(**args) returns an
// object with submit(interp_id, code) -> concurrent.futures.Future,
// cancel(future, via), before_destroy(interp_id) -> bool and shutdown().
// PyStrategyObject calls that object and reports each future's outcome to a
// C++ callback, so the conductor can wait on it with the GIL released.
//
// Example (attached to the main interpreter):
//   ENDGAME_ASSIGN_OR_RETURN(auto s, PyStrategyObject::Load({"actor", source, "", {}}));
//   ENDGAME_ASSIGN_OR_RETURN(int64_t f, s->Submit(id, "pass", [](absl::Status st) { ... }));
//   ENDGAME_ASSIGN_OR_RETURN(bool settled, s->BeforeDestroy(id));
//   ENDGAME_RETURN_IF_ERROR(s->Shutdown());
#ifndef ENDGAME_PY_PY_STRATEGY_H_
#define ENDGAME_PY_PY_STRATEGY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace endgame::py {

struct PyStrategySource {
  std::string name;    // the built-in's word, or "python"
  std::string source;  // a built-in's module text; "" to import `module`
  std::string module;  // a dotted name on sys.path or a path to a .py file
  std::vector<std::pair<std::string, std::string>> args;  // make(**args), as strings
};

class PyStrategyObject {
 public:
  // Imports the module and calls make(**args). Errors:
  //   Unimplemented: the module or make() raised ImportError (a library or a
  //     CPython feature it needs is missing): the scenario is skipped;
  //   NotFound: a user's module or file that does not exist;
  //   InvalidArgument: anything else the module or make() raised.
  static absl::StatusOr<std::unique_ptr<PyStrategyObject>> Load(const PyStrategySource& src);
  ~PyStrategyObject();  // attached to main, or after finalization (then it leaks the objects)

  // strategy.submit(interp_id, code); `on_done` runs once, when the future
  // completes, on the thread that completes it (GIL held: it must not block
  // or call into Python). Its status: OK (None), a Python error of the
  // snapshot's or the raised exception's type, or Cancelled.
  // Returns the future's token for Cancel.
  absl::StatusOr<int64_t> Submit(int64_t interp_id, const std::string& code,
                                 std::function<void(absl::Status)> on_done);
  // strategy.cancel(future, via); Unimplemented for NotImplementedError.
  absl::Status Cancel(int64_t token, const std::string& via);
  // strategy.before_destroy(interp_id): true settled, false abandoned.
  absl::StatusOr<bool> BeforeDestroy(int64_t interp_id);
  // strategy.shutdown(), once.
  absl::Status Shutdown();
  // Native ids of threads the strategy keeps that end by themselves (an idle
  // cache worker's timeout): the optional strategy.lingering() -> [native_id].
  std::vector<int64_t> Lingering();

 private:
  explicit PyStrategyObject(void* handle) : handle_(handle) {}
  void* handle_;  // PyObject*: the glue's Handle wrapping the strategy
};

}  // namespace endgame::py

#endif  // ENDGAME_PY_PY_STRATEGY_H_
