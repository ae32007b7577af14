// File: endgame/py/error.h
//
// Python exceptions as absl::Status. A Python-level error becomes
// kAborted with the message "<ExcType>: <str(exc)>", so that the verdict
// `error <ExcType>` can be read back with PythonExceptionType().
#ifndef ENDGAME_PY_ERROR_H_
#define ENDGAME_PY_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace endgame::py {

// Fetches and clears the current thread's pending exception (the GIL must be
// held) and returns it as a status prefixed with `context`. OK when nothing
// is pending.
absl::Status FetchPythonError(absl::string_view context);

// A status for a Python exception of the given type name and text.
absl::Status PythonError(absl::string_view type, absl::string_view text);

// The exception type name of a status made by the functions above, or "".
std::string PythonExceptionType(const absl::Status& status);

}  // namespace endgame::py

#endif  // ENDGAME_PY_ERROR_H_
