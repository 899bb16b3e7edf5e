// The durable, ordered log of webhook events behind StreamOrderEvents. The
// embedded implementation is SqliteEventLog; the one several replicas share
// is RedisEventLog. Both pass the same tests
// (tests/unit/events/event_log_test.cc).
#ifndef SERVER_EVENTS_EVENT_LOG_H_
#define SERVER_EVENTS_EVENT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "server/events/stored_event.h"

namespace gateway::events {

class EventLog {
 public:
  struct Appended {
    // The cursor of the stored event (of the earlier one for a duplicate).
    uint64_t cursor = 0;
    // True when an event with the same id was already stored; nothing
    // changed.
    bool duplicate = false;
  };
  struct Bounds {
    // Every cursor up to this one was deleted by retention (0: none was).
    uint64_t pruned_through = 0;
    // The newest cursor ever assigned (0: none yet).
    uint64_t last = 0;
  };

  virtual ~EventLog() = default;

  // Stores `events` (their `cursor`s are ignored) in order under the next
  // cursors, all at once and durably: every one is on disk when this returns
  // OK, and none is stored when it returns an error. An event whose id is
  // already stored, or comes earlier in `events`, is not stored again.
  // Returns one Appended per event, in the order of `events`. Writing many
  // events in one call costs about as much as writing one, so callers that
  // can wait for each other batch. Thread-safe.
  virtual absl::StatusOr<std::vector<Appended>> AppendBatch(absl::Span<const StoredEvent> events) = 0;

  // Up to `limit` events with a cursor greater than `after`, oldest first;
  // when `order_ids` is not empty, only events of those orders. Thread-safe.
  virtual absl::StatusOr<std::vector<StoredEvent>> ReadAfter(uint64_t after, size_t limit,
                                                             absl::Span<const std::string> order_ids) = 0;

  // Like ReadAfter with no order filter, for the hub's live tail: when
  // nothing is stored after `after`, waits up to `wait` for an append and
  // returns what it stored (or nothing when the wait ran out). An append
  // through this object ends the wait at once; so does one by another
  // process sharing the log, where the store can tell (Redis), or else the
  // next call finds it. Thread-safe.
  virtual absl::StatusOr<std::vector<StoredEvent>> Follow(uint64_t after, size_t limit, absl::Duration wait) = 0;

  virtual absl::StatusOr<Bounds> GetBounds() = 0;

  // Deletes the events received before `cutoff` and returns how many. Their
  // ids no longer count as duplicates, so the retention period is also the
  // dedupe window. Thread-safe.
  virtual absl::StatusOr<int64_t> DropReceivedBefore(absl::Time cutoff) = 0;
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_EVENT_LOG_H_
