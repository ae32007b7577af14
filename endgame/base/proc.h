// File: endgame/base/proc.h
//
// Resource counters of the current process read from /proc/self: OS threads
// (with their names), open file descriptors (with what they point to) and the
// resident set size; a `ResourceSnapshot` of all three and `Diff()`, which
// says in one line what appeared or went away between two snapshots. The
// leak oracles compare a snapshot taken before a scenario with one taken
// after it. `ChildrenOf()` lists the children of any process (a test that
// watches a campaign's supervised runs).
//
//   ResourceSnapshot before = Snapshot();
//   RunScenario();
//   ResourceDelta delta = Diff(before, Snapshot());
//   if (delta.threads != 0 || delta.fds != 0) {
//     // e.g. `threads +1 (tid 1234 "python-thread"), fds +2 (/tmp/x, pipe:[123])`
//     Report("leak", delta.ToString());
//   }
//
// Every function returns what it could read; a count is -1 only when /proc
// itself could not be opened (e.g. the fd table is full: EMFILE).
#ifndef ENDGAME_BASE_PROC_H_
#define ENDGAME_BASE_PROC_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace endgame {

// ThreadCount() returns the number of OS threads of this process (entries of
// /proc/self/task), or -1.
int ThreadCount();

// ThreadIds() returns the kernel thread ids (LWP) of this process, sorted.
std::vector<pid_t> ThreadIds();

// ThreadName() returns the name of thread `tid` of this process
// (/proc/self/task/<tid>/comm, at most 15 bytes), or "" when it is gone.
std::string ThreadName(pid_t tid);

// ThreadInfo is one OS thread: its kernel id and name.
struct ThreadInfo {
  pid_t tid = 0;
  std::string name;
};

// Threads() returns every thread of this process with its name, by tid.
std::vector<ThreadInfo> Threads();

// FdInfo is one open file descriptor and what it refers to (the target of the
// /proc/self/fd/<fd> link: a path, `pipe:[123]`, `socket:[456]`,
// `anon_inode:[eventfd]`...).
struct FdInfo {
  int fd = -1;
  std::string target;
};

// FdCount() returns the number of open file descriptors of this process, not
// counting the one used to list them, or -1.
int FdCount();

// OpenFds() returns the open file descriptors of this process, by number,
// without the one used to list them.
std::vector<FdInfo> OpenFds();

// MappedFiles() returns the paths of the files mapped into this process
// (/proc/self/maps), sorted and without repeats. An fd open on one of them
// belongs to a loaded library (libffi keeps its own .so open for its
// trampolines), which is never unloaded.
std::vector<std::string> MappedFiles();

// RssBytes() returns the resident set size of this process in bytes
// (/proc/self/statm), or -1.
int64_t RssBytes();

// ChildrenOf() returns the pids of the live (or not yet reaped) children of
// process `parent`, sorted, from the ppid fields of /proc/<pid>/stat.
std::vector<pid_t> ChildrenOf(pid_t parent);

// ResourceSnapshot holds the threads, fds and RSS of this process at one time.
struct ResourceSnapshot {
  std::vector<ThreadInfo> threads;  // by tid
  std::vector<FdInfo> fds;          // by fd
  int64_t rss_bytes = -1;
};

// Snapshot() takes a ResourceSnapshot of this process.
ResourceSnapshot Snapshot();

// ResourceDelta is the difference `after - before` of two snapshots.
struct ResourceDelta {
  int threads = 0;                       // change of the thread count
  int fds = 0;                           // change of the fd count
  int64_t rss_bytes = 0;                 // change of the RSS
  std::vector<ThreadInfo> new_threads;   // in `after` only
  std::vector<ThreadInfo> gone_threads;  // in `before` only
  std::vector<FdInfo> new_fds;           // in `after` only (or reused for another target)
  std::vector<FdInfo> closed_fds;        // in `before` only (or reused for another target)

  // ResourceDelta::Empty() tells whether no thread and no fd changed (RSS
  // is not considered: it always moves a little).
  bool Empty() const;

  // ResourceDelta::ToString() describes the thread and fd changes, e.g.
  // `threads +1 (tid 1234 "python-thread"), fds +2 (/tmp/x, pipe:[123])`;
  // replaced items read `threads +0 (tid 12 "a"; gone tid 10 "b")`. Returns
  // "" when Empty(). RSS is left out (use rss_bytes).
  std::string ToString() const;
};

// Diff() returns what changed from `before` to `after`.
ResourceDelta Diff(const ResourceSnapshot& before, const ResourceSnapshot& after);

}  // namespace endgame

#endif  // ENDGAME_BASE_PROC_H_
