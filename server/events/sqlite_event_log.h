// The embedded event log: one SQLite file in WAL mode, the default when a
// single gateway replica owns its events (DESIGN.md §3). Several replicas
// that must share events use RedisEventLog instead.
#ifndef SERVER_EVENTS_SQLITE_EVENT_LOG_H_
#define SERVER_EVENTS_SQLITE_EVENT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "server/events/event_log.h"
#include "server/events/stored_event.h"

struct sqlite3;

namespace gateway::events {

// What a caller can rely on beyond EventLog:
// - AppendBatch returns OK only after its events are committed, in one
//   transaction, with `synchronous=FULL`: they survive the process being
//   killed and the machine losing power right after.
// - Times are stored as whole microseconds since the epoch (finer parts are
//   truncated), so a time with microsecond precision reads back equal.
// - A batch holding an event with an empty id is refused as a whole
//   (INVALID_ARGUMENT) before anything is written: the id is the dedupe key.
// - Cursors come from the file, not from memory: they keep increasing across
//   restarts and are never reused, even after every event was dropped.
// - DropReceivedBefore always deletes a prefix of the log, so that
//   `pruned_through` stays exact: it deletes the events before the oldest one
//   received at or after `cutoff`. Should the clock have stepped back, an old
//   event behind a newer one is kept until that one expires too; no event
//   received at or after `cutoff` is ever deleted.
// - ReadAfter accepts up to kMaxOrderIds distinct order ids (more is
//   INVALID_ARGUMENT); repeating an id changes nothing.
// - Errors: a busy, full or failing disk is UNAVAILABLE; a path that cannot
//   be opened, a file that is not a database and a file with another schema
//   are FAILED_PRECONDITION naming the path; anything else is INTERNAL.
//   Messages name the operation and SQLite's reason, never event contents.
//
// One connection serves all threads, one call at a time. Other processes may
// open the same file; a write lock held elsewhere is waited for up to 2 s.
// The request ledger (server/requests/sqlite_request_ledger.h) keeps its
// table in the same file, on a connection of its own.
class SqliteEventLog final : public EventLog {
 public:
  static constexpr size_t kMaxOrderIds = 10000;

  // Opens the log stored at `path`, creating the file and its schema when
  // absent. The directory must exist.
  static absl::StatusOr<std::unique_ptr<SqliteEventLog>> Open(const std::string& path);

  SqliteEventLog(const SqliteEventLog&) = delete;
  SqliteEventLog& operator=(const SqliteEventLog&) = delete;
  ~SqliteEventLog() override;

  absl::StatusOr<std::vector<Appended>> AppendBatch(absl::Span<const StoredEvent> events) override;
  absl::StatusOr<std::vector<StoredEvent>> ReadAfter(uint64_t after, size_t limit,
                                                     absl::Span<const std::string> order_ids) override;
  // Woken by this object's appends; another process's are found by the
  // next call.
  absl::StatusOr<std::vector<StoredEvent>> Follow(uint64_t after, size_t limit, absl::Duration wait) override
      ABSL_LOCKS_EXCLUDED(appends_mu_);
  absl::StatusOr<Bounds> GetBounds() override;
  absl::StatusOr<int64_t> DropReceivedBefore(absl::Time cutoff) override;

 private:
  struct Statements;

  SqliteEventLog(std::string label, sqlite3* db, std::unique_ptr<Statements> statements);

  // "event log <path>", which every error names.
  const std::string label_;
  absl::Mutex mu_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);
  const std::unique_ptr<Statements> statements_ ABSL_PT_GUARDED_BY(mu_);
  // Counts the commits that stored an event, for Follow to wait on.
  absl::Mutex appends_mu_;
  uint64_t appends_ ABSL_GUARDED_BY(appends_mu_) = 0;
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_SQLITE_EVENT_LOG_H_
