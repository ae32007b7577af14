// File: endgame/report/atomic_file.h
//
// Writes a file so that readers (and a crash or Ctrl-C midway) see either the
// old content or the new one, never half: write a temporary file in the same
// folder, fsync, rename over.
#ifndef ENDGAME_REPORT_ATOMIC_FILE_H_
#define ENDGAME_REPORT_ATOMIC_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace endgame::report {

absl::Status WriteFileAtomically(const std::string& path, const std::string& content);
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace endgame::report

#endif  // ENDGAME_REPORT_ATOMIC_FILE_H_
