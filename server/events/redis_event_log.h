// The event log a fleet of gateways shares: one Redis server holds the
// events of every replica, so a cursor means the same on each and an event
// id is stored once whichever replica received it. Each operation is one
// Lua script, so it is atomic against every other replica's.
//
// Keys, under `prefix`: `:next` (the last cursor assigned), `:log` (a
// stream, entry id `<cursor>-0`, one field per StoredEvent member), `:ids`
// (a hash from event id to cursor: the dedupe), `:order:<order_id>` (a
// sorted set of the order's cursors, so replaying an order reads only it)
// and `:pruned` (pruned_through).
//
// Durability is Redis's: an append returns once Redis has applied it, and
// the server's persistence decides whether that survives a crash (AOF with
// `appendfsync always` does); with `min_replicas`, once that many replicas
// have it too (WAIT).
//
// Connections: one for commands and one for Follow's blocking XREAD (see
// RedisClient for how they reconnect).
#ifndef SERVER_EVENTS_REDIS_EVENT_LOG_H_
#define SERVER_EVENTS_REDIS_EVENT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "server/events/event_log.h"
#include "server/redis/redis_client.h"

namespace gateway::events {

class RedisEventLog final : public EventLog {
 public:
  struct Options {
    redis::RedisClient::Options server;
    std::string prefix = "partner-gateway:events";
    // Replicas that must have an append before it is acknowledged.
    int min_replicas = 0;
  };

  // Connects on first use: until Redis answers, every call is UNAVAILABLE.
  explicit RedisEventLog(Options options);

  absl::StatusOr<std::vector<Appended>> AppendBatch(absl::Span<const StoredEvent> events) override;
  absl::StatusOr<std::vector<StoredEvent>> ReadAfter(uint64_t after, size_t limit,
                                                     absl::Span<const std::string> order_ids) override;
  absl::StatusOr<std::vector<StoredEvent>> Follow(uint64_t after, size_t limit, absl::Duration wait) override;
  absl::StatusOr<Bounds> GetBounds() override;
  absl::StatusOr<int64_t> DropReceivedBefore(absl::Time cutoff) override;

 private:
  // The events of stream entries (XRANGE's answer).
  static absl::StatusOr<std::vector<StoredEvent>> EventsOf(const redis::Reply& entries);

  const Options options_;
  redis::RedisClient commands_;
  redis::RedisClient follow_;
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_REDIS_EVENT_LOG_H_
