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
// Connections: one for commands and one for Follow's blocking XREAD, each
// made again after a failure. While Redis cannot be reached, a new attempt
// waits 100 ms, doubling to 5 s; calls in between fail at once with the
// last error (UNAVAILABLE), so an outage costs no busy loop.
#ifndef SERVER_EVENTS_REDIS_EVENT_LOG_H_
#define SERVER_EVENTS_REDIS_EVENT_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "server/common/secret.h"
#include "server/events/event_log.h"

struct redisContext;

namespace gateway::events {

class RedisEventLog final : public EventLog {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    // Read on every connect and sent with AUTH when set, so a rotated
    // password takes effect on the next connection; never logged or put
    // in a status.
    std::shared_ptr<common::SecretFile> password;
    std::string prefix = "partner-gateway:events";
    // Replicas that must have an append before it is acknowledged.
    int min_replicas = 0;
    absl::Duration timeout = absl::Seconds(2);
  };

  // Connects on first use: until Redis answers, every call is UNAVAILABLE.
  explicit RedisEventLog(Options options) : options_(std::move(options)) {}
  RedisEventLog(const RedisEventLog&) = delete;
  RedisEventLog& operator=(const RedisEventLog&) = delete;
  ~RedisEventLog() override;

  absl::StatusOr<std::vector<Appended>> AppendBatch(absl::Span<const StoredEvent> events) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<StoredEvent>> ReadAfter(uint64_t after, size_t limit,
                                                     absl::Span<const std::string> order_ids) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<StoredEvent>> Follow(uint64_t after, size_t limit, absl::Duration wait) override
      ABSL_LOCKS_EXCLUDED(follow_mu_);
  absl::StatusOr<Bounds> GetBounds() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int64_t> DropReceivedBefore(absl::Time cutoff) override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Reply;
  // One connection to Redis and its reconnection state; used under the
  // mutex that guards it.
  struct Connection {
    redisContext* context = nullptr;
    absl::Time next_attempt = absl::InfinitePast();
    absl::Duration backoff = absl::ZeroDuration();
    absl::Status last_error;
  };

  // One command on `connection`, made (again) when there is none; a
  // connection that failed is dropped, so the next call reconnects.
  // `timeout` bounds the answer's wait.
  absl::StatusOr<Reply> Command(Connection& connection, const std::vector<std::string>& args, absl::string_view what,
                                absl::Duration timeout);
  absl::Status Connect(Connection& connection);
  // The events of stream entries (XRANGE's answer).
  static absl::StatusOr<std::vector<StoredEvent>> EventsOf(const Reply& entries);

  const Options options_;
  absl::Mutex mu_;
  Connection commands_ ABSL_GUARDED_BY(mu_);
  absl::Mutex follow_mu_;
  Connection follow_ ABSL_GUARDED_BY(follow_mu_);
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_REDIS_EVENT_LOG_H_
