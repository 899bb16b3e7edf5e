// Fan-out of stored events to subscribers. Ingest appends to the EventLog;
// the hub's follower tails the log (the events of every replica, when the
// log is shared) and offers each new event to the live subscriptions that
// can match it. A subscription first replays what the log holds after its
// start cursor, then follows live events, so there is no gap and no
// duplicate at the seam. Nothing a subscriber does (or fails to do) blocks
// ingest or other subscribers: each has a bounded buffer and is ended when
// it overflows.
#ifndef SERVER_EVENTS_EVENT_HUB_H_
#define SERVER_EVENTS_EVENT_HUB_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "server/events/event_log.h"

namespace gateway::events {

// Which events a subscriber wants. Empty members match everything.
struct EventFilter {
  absl::flat_hash_set<std::string> order_ids;
  // A user id (compared exactly) or an email (compared without case).
  std::string user;
  absl::flat_hash_set<std::string> types;
  peeker::partner::v1::Environment environment = peeker::partner::v1::ENVIRONMENT_UNSPECIFIED;

  bool Matches(const StoredEvent& event) const;
};

// One subscriber's queue. The writer (a gRPC stream) pulls with Next() one
// item at a time; when Next() says kIdle, the subscription calls `wakeup`
// once, from whichever thread has news, and the writer pulls again.
class Subscription {
 public:
  struct Item {
    enum Kind {
      kEvent,      // write `event`
      kHeartbeat,  // write a heartbeat
      kCaughtUp,   // the replay reached the live edge (once, before live events)
      kIdle,       // nothing now; `wakeup` will be called
      kEnd,        // finish the stream with `status`
    };
    Kind kind = kIdle;
    std::shared_ptr<const StoredEvent> event;
    absl::Status status;
    // kHeartbeat: every event up to it was handed out or filtered out.
    uint64_t cursor = 0;
  };

  Subscription(EventLog* log, EventFilter filter, uint64_t start_after, size_t buffer_limit,
               absl::Duration heartbeat_interval, absl::AnyInvocable<void()> wakeup);

  // The next thing to write. Reads the log while replaying (a page at a
  // time), so call it from a thread that may do a short local read.
  Item Next() ABSL_LOCKS_EXCLUDED(mu_);

  // Ends the subscription: the next Next() (or the wakeup it triggers)
  // returns kEnd with `status`.
  void End(absl::Status status) ABSL_LOCKS_EXCLUDED(mu_);

  // The last cursor handed out by Next(); where a reconnect resumes.
  uint64_t last_cursor() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class EventHub;
  static constexpr size_t kReplayPage = 256;

  // From the hub: a newly stored event, in cursor order.
  void Offer(const std::shared_ptr<const StoredEvent>& event) ABSL_LOCKS_EXCLUDED(mu_);
  // From the hub's ticker: asks for a heartbeat if the stream was quiet.
  void Tick(absl::Time now) ABSL_LOCKS_EXCLUDED(mu_);
  // The wakeup to call (outside the lock) if the writer waits for news;
  // null otherwise.
  absl::AnyInvocable<void()>* TakeTurn() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  EventLog* const log_;
  const EventFilter filter_;
  const std::vector<std::string> order_ids_;  // filter_.order_ids, for log reads
  const size_t buffer_limit_;
  const absl::Duration heartbeat_interval_;
  absl::AnyInvocable<void()> wakeup_;

  mutable absl::Mutex mu_;
  // Replaying: events come from log reads, not from Offer.
  bool replaying_ ABSL_GUARDED_BY(mu_) = true;
  // Set by Offer while replaying: the log may hold more than the last read
  // saw, so read again before going live.
  bool offered_during_replay_ ABSL_GUARDED_BY(mu_) = false;
  // The replay has read the log up to this cursor.
  uint64_t read_through_ ABSL_GUARDED_BY(mu_);
  std::deque<std::shared_ptr<const StoredEvent>> pending_ ABSL_GUARDED_BY(mu_);
  // Every event up to this cursor has been handed out or filtered out.
  uint64_t last_cursor_ ABSL_GUARDED_BY(mu_);
  bool writer_waiting_ ABSL_GUARDED_BY(mu_) = false;
  bool heartbeat_due_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_write_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> end_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

class EventHub {
 public:
  struct Options {
    // Events a live subscriber may have waiting before it is ended.
    size_t subscriber_buffer = 1024;
    // A quiet stream gets a heartbeat this often.
    absl::Duration heartbeat_interval = absl::Seconds(30);
    // Events older than this are dropped from the log (checked every
    // `maintenance_interval`).
    absl::Duration retention = absl::Hours(24 * 7);
    absl::Duration maintenance_interval = absl::Minutes(1);
    // The longest the follower waits in one read of the log's tail; also
    // how long the hub's destruction may wait for it.
    absl::Duration follow_wait = absl::Milliseconds(200);
    // Called from the follower whenever the store's state changes: OK when
    // the log can be read again, else why it cannot.
    std::function<void(const absl::Status&)> on_store_state;
  };
  using Ingested = EventLog::Appended;

  // `log` must outlive the hub. Starts the heartbeat and retention thread.
  EventHub(EventLog* log, Options options);
  // Stops the thread and ends every subscription with UNAVAILABLE.
  ~EventHub();

  // Stores `event` durably and returns, so a webhook is answered without
  // waiting for subscribers; the follower then offers it to the
  // subscriptions that can match it. A duplicate id is neither stored nor
  // offered again. Safe from any thread; events are offered in cursor
  // order.
  //
  // Concurrent calls are committed together, in one transaction of the log:
  // should it fail, each of them returns the error and none of their events
  // is stored. An event without an id is INVALID_ARGUMENT, and only for its
  // own call.
  absl::StatusOr<Ingested> Ingest(StoredEvent event) ABSL_LOCKS_EXCLUDED(commit_mu_);

  // A subscription to events matching `filter` with a cursor after
  // `resume_after` (nullopt: from now on; 0: from the oldest stored event).
  // INVALID_ARGUMENT for a cursor beyond the newest, FAILED_PRECONDITION
  // (naming the oldest cursor) for one past retention, UNAVAILABLE while the
  // log cannot be read. Call Unsubscribe when the stream ends.
  absl::StatusOr<std::shared_ptr<Subscription>> Subscribe(EventFilter filter, std::optional<uint64_t> resume_after,
                                                          absl::AnyInvocable<void()> wakeup)
      ABSL_LOCKS_EXCLUDED(subscriptions_mu_);
  void Unsubscribe(const std::shared_ptr<Subscription>& subscription) ABSL_LOCKS_EXCLUDED(subscriptions_mu_);

  size_t subscriber_count() const ABSL_LOCKS_EXCLUDED(subscriptions_mu_);

  // OK while the follower reads the log; else the last error. While it
  // fails, every open stream is ended with UNAVAILABLE.
  absl::Status store_state() const ABSL_LOCKS_EXCLUDED(subscriptions_mu_);

  // Ends every subscription with `status` (UNAVAILABLE at shutdown) and
  // answers every later Subscribe with it, so a client that reconnects
  // while the gateway stops is told to try again rather than subscribed.
  void Close(const absl::Status& status) ABSL_LOCKS_EXCLUDED(subscriptions_mu_);

 private:
  using SubscriptionSet = absl::flat_hash_set<std::shared_ptr<Subscription>>;
  // Events waiting for the next group commit, each with the slot its caller
  // waits on for the result.
  struct CommitQueue {
    std::vector<StoredEvent> events;
    std::vector<std::optional<absl::StatusOr<Ingested>>*> results;
  };

  // Commits every queued event in one transaction and hands each caller its
  // result. Unlocks commit_mu_ while the log writes.
  void LeadCommit() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);
  void Maintain();
  // The follower: tails the log from its newest cursor at start, offering
  // every event to its candidates in cursor order.
  void Follow() ABSL_LOCKS_EXCLUDED(subscriptions_mu_);
  // Records the store's state; when it turns bad, ends every subscription.
  void SetStoreState(const absl::Status& state) ABSL_LOCKS_EXCLUDED(subscriptions_mu_);
  // The subscriptions whose filter can match `event`.
  std::vector<std::shared_ptr<Subscription>> CandidatesFor(const StoredEvent& event) const
      ABSL_LOCKS_EXCLUDED(subscriptions_mu_);
  std::vector<std::shared_ptr<Subscription>> Snapshot() const ABSL_LOCKS_EXCLUDED(subscriptions_mu_);

  EventLog* const log_;
  const Options options_;
  // Group commit: Ingest calls queue their events, and one of them at a time
  // (the leader) appends everything queued so far in one transaction, so a
  // burst of webhooks shares one disk sync instead of waiting for one each.
  absl::Mutex commit_mu_;
  CommitQueue commit_queue_ ABSL_GUARDED_BY(commit_mu_);
  bool committing_ ABSL_GUARDED_BY(commit_mu_) = false;
  mutable absl::Mutex subscriptions_mu_;
  // Set once the follower knows where the log ends: until then a new
  // subscription could go live before events the follower will never offer.
  bool following_ ABSL_GUARDED_BY(subscriptions_mu_) = false;
  absl::Status store_state_ ABSL_GUARDED_BY(subscriptions_mu_);
  // Every live subscription, for the ticker, Close and the count.
  SubscriptionSet subscriptions_ ABSL_GUARDED_BY(subscriptions_mu_);
  // Set by Close: the answer to every later Subscribe.
  std::optional<absl::Status> closed_ ABSL_GUARDED_BY(subscriptions_mu_);
  // The fan-out index, so that an event costs an Offer only to subscriptions
  // that can want it: those whose filter names its order id, and those
  // whose filter names no order.
  absl::flat_hash_map<std::string, SubscriptionSet> by_order_ ABSL_GUARDED_BY(subscriptions_mu_);
  SubscriptionSet any_order_ ABSL_GUARDED_BY(subscriptions_mu_);
  // The follower's position: the newest cursor it offered (nullopt until it
  // learns where the log ends). Only the follower touches it once started.
  std::optional<uint64_t> follow_after_;
  absl::Notification stop_;
  std::thread maintenance_;
  std::thread follower_;
};

}  // namespace gateway::events

#endif  // SERVER_EVENTS_EVENT_HUB_H_
