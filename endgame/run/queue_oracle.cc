#include "endgame/run/queue_oracle.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace endgame::run {
namespace {

bool IsError(const std::string& s, const char* type) {
  return absl::StartsWith(s, absl::StrCat("error ", type));
}

}  // namespace

QueueEffect PutEffect(const std::string& s) {
  if (s == "ok") return QueueEffect::kAdded;
  if (absl::StartsWith(s, "skipped")) return QueueEffect::kNone;
  // Refused before anything was queued: the value does not cross, or the queue is full.
  if (IsError(s, "NotShareableError") || IsError(s, "QueueFull")) return QueueEffect::kNone;
  // A channel that is closed or destroyed refuses it.
  if (IsError(s, "ChannelClosedError") || IsError(s, "ChannelNotFoundError")) return QueueEffect::kNone;
  return QueueEffect::kUnknown;
}

QueueEffect GetEffect(const std::string& s) {
  if (s == "ok") return QueueEffect::kTaken;
  if (absl::StartsWith(s, "skipped") || IsError(s, "QueueEmpty")) return QueueEffect::kNone;
  if (IsError(s, "ChannelEmptyError") || IsError(s, "ChannelClosedError") || IsError(s, "ChannelNotFoundError")) {
    return QueueEffect::kNone;
  }
  // An unbound=error item: taken, then raised (snippet_source.h, GetSource).
  if (IsError(s, "RuntimeError: ItemInterpreterDestroyed")) return QueueEffect::kTaken;
  return QueueEffect::kUnknown;
}

std::optional<OracleRecord> JudgeQueue(const QueueTally& t) {
  int64_t added = 0, taken = 0;
  for (const std::string& s : t.puts) {
    QueueEffect e = PutEffect(s);
    if (e == QueueEffect::kUnknown) return std::nullopt;
    added += e == QueueEffect::kAdded;
  }
  for (const std::string& s : t.gets) {
    QueueEffect e = GetEffect(s);
    if (e == QueueEffect::kUnknown) return std::nullopt;
    taken += e == QueueEffect::kTaken;
  }
  OracleRecord r;
  r.name = "queue_items";
  const int64_t should = t.closed ? 0 : added - taken;  // what should be left
  r.before = should;
  r.after = t.left;
  r.delta = t.left - should;
  r.detail = absl::StrCat(t.channel ? "channel " : "queue ", t.name, ": ", added, " put, ", taken, " got, ",
                          t.left, " left", t.closed ? " (closed)" : "");
  // unbound=remove: items go with the interpreter that put them, and the
  // drain destroyed every interpreter, so fewer left is what CPython promises.
  r.leak = r.delta > 0 || (r.delta < 0 && t.unbound != scenario::Unbound::kRemove);
  return r;
}

}  // namespace endgame::run
