#include "endgame/base/proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace endgame {
namespace {

// Calls `fn(name, dir_fd)` for every numeric entry of directory `path`;
// returns false when the directory cannot be opened.
template <typename Fn>
bool ForEachNumericEntry(const char* path, Fn fn) {
  DIR* dir = opendir(path);
  if (dir == nullptr) return false;
  int dir_fd = dirfd(dir);
  while (true) {
    errno = 0;
    struct dirent* e = readdir(dir);
    if (e == nullptr) break;
    int n = 0;
    if (!absl::SimpleAtoi(e->d_name, &n)) continue;  // ".", ".."
    fn(n, dir_fd);
  }
  closedir(dir);
  return true;
}

// Reads a small file into a string, at most `max` bytes; "" on error.
std::string ReadSmallFile(const char* path, size_t max) {
  int fd;
  do {
    fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return "";
  std::string out;
  char buf[512];
  while (out.size() < max) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (out.size() > max) out.resize(max);
  return out;
}

std::string FormatThread(const ThreadInfo& t) {
  return absl::StrCat("tid ", t.tid, " \"", t.name, "\"");
}

std::string Signed(int64_t v) { return v >= 0 ? absl::StrCat("+", v) : absl::StrCat(v); }

}  // namespace

int ThreadCount() {
  int count = 0;
  if (!ForEachNumericEntry("/proc/self/task", [&](int, int) { ++count; })) return -1;
  return count;
}

std::vector<pid_t> ThreadIds() {
  std::vector<pid_t> tids;
  ForEachNumericEntry("/proc/self/task", [&](int tid, int) { tids.push_back(tid); });
  std::sort(tids.begin(), tids.end());
  return tids;
}

std::string ThreadName(pid_t tid) {
  std::string path = absl::StrCat("/proc/self/task/", tid, "/comm");
  std::string name = ReadSmallFile(path.c_str(), 64);
  while (!name.empty() && name.back() == '\n') name.pop_back();
  return name;
}

std::vector<ThreadInfo> Threads() {
  std::vector<ThreadInfo> threads;
  for (pid_t tid : ThreadIds()) threads.push_back({tid, ThreadName(tid)});
  return threads;
}

int FdCount() {
  int count = 0;
  bool ok = ForEachNumericEntry("/proc/self/fd", [&](int fd, int dir_fd) {
    if (fd != dir_fd) ++count;
  });
  return ok ? count : -1;
}

std::vector<FdInfo> OpenFds() {
  std::vector<FdInfo> fds;
  ForEachNumericEntry("/proc/self/fd", [&](int fd, int dir_fd) {
    if (fd == dir_fd) return;
    char target[PATH_MAX];
    std::string name = absl::StrCat(fd);
    ssize_t n = readlinkat(dir_fd, name.c_str(), target, sizeof(target));
    // A fd closed by another thread while we list is skipped.
    if (n < 0) return;
    fds.push_back({fd, std::string(target, static_cast<size_t>(n))});
  });
  std::sort(fds.begin(), fds.end(), [](const FdInfo& a, const FdInfo& b) { return a.fd < b.fd; });
  return fds;
}

std::vector<std::string> MappedFiles() {
  std::vector<std::string> out;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  // address perms offset dev inode pathname
  while (std::getline(maps, line)) {
    size_t slash = line.find('/');
    if (slash == line.npos) continue;  // anonymous, [heap], [stack]...
    out.push_back(line.substr(slash));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int64_t RssBytes() {
  // statm: size resident shared text lib data dt (in pages).
  std::string statm = ReadSmallFile("/proc/self/statm", 256);
  const char* p = statm.c_str();
  char* end = nullptr;
  std::strtoll(p, &end, 10);  // size
  if (end == p) return -1;
  p = end;
  long long resident = std::strtoll(p, &end, 10);
  if (end == p) return -1;
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  ForEachNumericEntry("/proc", [&](int pid, int) {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    std::string stat = ReadSmallFile(absl::StrCat("/proc/", pid, "/stat").c_str(), 4096);
    size_t close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return;
    std::vector<absl::string_view> f = absl::StrSplit(absl::string_view(stat).substr(close + 2), ' ');
    int ppid = 0;
    if (f.size() > 1 && absl::SimpleAtoi(f[1], &ppid) && ppid == parent) out.push_back(pid);
  });
  std::sort(out.begin(), out.end());
  return out;
}

ResourceSnapshot Snapshot() {
  ResourceSnapshot s;
  s.threads = Threads();
  s.fds = OpenFds();
  s.rss_bytes = RssBytes();
  return s;
}

bool ResourceDelta::Empty() const {
  return threads == 0 && fds == 0 && new_threads.empty() && gone_threads.empty() &&
         new_fds.empty() && closed_fds.empty();
}

std::string ResourceDelta::ToString() const {
  std::vector<std::string> parts;
  if (threads != 0 || !new_threads.empty() || !gone_threads.empty()) {
    std::vector<std::string> items;
    for (const ThreadInfo& t : new_threads) items.push_back(FormatThread(t));
    for (const ThreadInfo& t : gone_threads) items.push_back("gone " + FormatThread(t));
    std::string part = absl::StrCat("threads ", Signed(threads));
    if (!items.empty()) absl::StrAppend(&part, " (", absl::StrJoin(items, "; "), ")");
    parts.push_back(part);
  }
  if (fds != 0 || !new_fds.empty() || !closed_fds.empty()) {
    std::vector<std::string> items;
    for (const FdInfo& f : new_fds) items.push_back(f.target);
    for (const FdInfo& f : closed_fds) items.push_back("closed " + f.target);
    std::string part = absl::StrCat("fds ", Signed(fds));
    if (!items.empty()) {
      // Only additions: a plain list, as in `fds +2 (/tmp/x, pipe:[123])`.
      absl::StrAppend(&part, " (", absl::StrJoin(items, closed_fds.empty() ? ", " : "; "), ")");
    }
    parts.push_back(part);
  }
  return absl::StrJoin(parts, ", ");
}

ResourceDelta Diff(const ResourceSnapshot& before, const ResourceSnapshot& after) {
  ResourceDelta d;
  d.threads = static_cast<int>(after.threads.size()) - static_cast<int>(before.threads.size());
  d.fds = static_cast<int>(after.fds.size()) - static_cast<int>(before.fds.size());
  if (before.rss_bytes >= 0 && after.rss_bytes >= 0) d.rss_bytes = after.rss_bytes - before.rss_bytes;

  auto by_tid = [](const ThreadInfo& a, const ThreadInfo& b) { return a.tid < b.tid; };
  std::vector<ThreadInfo> b = before.threads, a = after.threads;
  std::sort(b.begin(), b.end(), by_tid);
  std::sort(a.begin(), a.end(), by_tid);
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(d.new_threads),
                      by_tid);
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(d.gone_threads),
                      by_tid);

  // An fd number reused for another target counts as closed plus opened.
  auto by_fd = [](const FdInfo& x, const FdInfo& y) {
    return std::tie(x.fd, x.target) < std::tie(y.fd, y.target);
  };
  std::vector<FdInfo> fb = before.fds, fa = after.fds;
  std::sort(fb.begin(), fb.end(), by_fd);
  std::sort(fa.begin(), fa.end(), by_fd);
  std::set_difference(fa.begin(), fa.end(), fb.begin(), fb.end(), std::back_inserter(d.new_fds),
                      by_fd);
  std::set_difference(fb.begin(), fb.end(), fa.begin(), fa.end(), std::back_inserter(d.closed_fds),
                      by_fd);
  return d;
}

}  // namespace endgame
