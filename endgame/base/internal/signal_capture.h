// File: endgame/base/internal/signal_capture.h
//
// The in-process fallback of CaptureAllStacks() (see stacks.h): a real-time
// signal to each thread, backtrace() in the handler into a preallocated slot,
// symbolization afterwards. Private to endgame/base.
//
//   absl::StatusOr<std::string> text = CaptureStacksInProcess(options);
#ifndef ENDGAME_BASE_INTERNAL_SIGNAL_CAPTURE_H_
#define ENDGAME_BASE_INTERNAL_SIGNAL_CAPTURE_H_

#include <string>

#include "absl/status/statusor.h"
#include "endgame/base/stacks.h"

namespace endgame::base_internal {

// CaptureStacksInProcess() returns the native stacks of every thread of this
// process in gdb's `thread apply all bt` layout, one `Thread N (LWP tid
// "name"):` section per thread (threads that did not answer within
// `options.fallback_wait` say so). Uses options.max_frames,
// options.fallback_wait and options.fallback_signal. Thread-safe.
absl::StatusOr<std::string> CaptureStacksInProcess(const StackOptions& options);

}  // namespace endgame::base_internal

#endif  // ENDGAME_BASE_INTERNAL_SIGNAL_CAPTURE_H_
