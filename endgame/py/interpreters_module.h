// File: endgame/py/interpreters_module.h
//
// Subinterpreters through the interpreters module of the running CPython
// (`_interpreters` on 3.13+, `_xxsubinterpreters` on 3.11/3.12, with
// `concurrent.interpreters` / `test.support.interpreters` for close()), called
// from a thread attached to the main interpreter, as an actor runtime calls
// them. Version differences are absorbed by a small adapter written in Python
// (kAdapter in the .cc), loaded once into the main interpreter.
//
// Example (attached to main):
//   ENDGAME_ASSIGN_OR_RETURN(InterpretersModule m, InterpretersModule::Load());
//   ENDGAME_ASSIGN_OR_RETURN(int64_t id, m.Create(InterpFlags::Isolated()));
//   ENDGAME_RETURN_IF_ERROR(m.Exec(id, "x = 1"));
//   ENDGAME_RETURN_IF_ERROR(m.Destroy(id));
#ifndef ENDGAME_PY_INTERPRETERS_MODULE_H_
#define ENDGAME_PY_INTERPRETERS_MODULE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "endgame/py/interp_config.h"

namespace endgame::py {

class InterpretersModule {
 public:
  // Imports the best available module; NotFound when there is none.
  static absl::StatusOr<InterpretersModule> Load();

  const std::string& name() const { return name_; }

  // Creates an interpreter. 3.13+: any config (new_config + overrides);
  // 3.12: isolated or legacy only; 3.11: legacy only.
  absl::StatusOr<int64_t> Create(const InterpFlags& flags) const;
  // Runs code in the interpreter on this thread. An exception raised inside
  // comes back as an error of the same type name (see error.h).
  absl::Status Exec(int64_t id, const std::string& code) const;
  // Sets `name` in the interpreter's __main__ to the value of the Python
  // expression `value_source`, evaluated here (set___main___attrs: the value
  // must be shareable; 3.13+).
  absl::Status Share(int64_t id, const std::string& name, const std::string& value_source) const;
  absl::Status Destroy(int64_t id) const;
  // High-level Interpreter(id).close(); Unimplemented when no high-level
  // module exists in this CPython.
  absl::Status Close(int64_t id) const;
  absl::StatusOr<std::vector<int64_t>> ListAll() const;

 private:
  explicit InterpretersModule(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

}  // namespace endgame::py

#endif  // ENDGAME_PY_INTERPRETERS_MODULE_H_
