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
#include "server/events/event_log.h"

struct redisContext;

namespace gateway::events {

class RedisEventLog final : public EventLog {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    int db = 0;
    // Sent with AUTH when not empty; never logged or put in a status.
    std::string password;
    std::string prefix = "partner-gateway:events";
    // Replicas that must have an append before it is acknowledged.
    int min_replicas = 0;
    absl::Duration timeout = absl::Seconds(2);
  };

  // Parses "redis://host[:port][/db]" into the connection part of Options.
  static absl::StatusOr<Options> ParseUrl(const std::string& url);

  // Connects, and fails unless Redis answers.
  static absl::StatusOr<std::unique_ptr<RedisEventLog>> Open(Options options);
  ~RedisEventLog() override;

  absl::StatusOr<std::vector<Appended>> AppendBatch(absl::Span<const StoredEvent> events) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<StoredEvent>> ReadAfter(uint64_t after, size_t limit,
                                                     absl::Span<const std::string> order_ids) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<Bounds> GetBounds() override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<int64_t> DropReceivedBefore(absl::Time cutoff) override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  explicit RedisEventLog(Options options) : options_(std::move(options)) {}

  // One command, on a connection made (again) when there is none; a
  // connection that failed is dropped, so the next call reconnects.
  struct Reply;
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args, absl::string_view what)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Connect() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  absl::Mutex mu_;
  redisContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_REDIS_EVENT_LOG_H_
