#include "server/events/event_hub.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/log.h"
#include "server/common/status_details.h"

namespace gateway::events {
namespace {

namespace v1 = ::peeker::partner::v1;

absl::Status WithMetadata(absl::Status status, absl::string_view reason, absl::string_view key, uint64_t cursor) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(common::kGatewayErrorDomain));
  (*info.mutable_metadata())[std::string(key)] = absl::StrCat(cursor);
  common::AddDetail(status, info);
  return status;
}

}  // namespace

bool EventFilter::Matches(const StoredEvent& event) const {
  if (!order_ids.empty() && !order_ids.contains(event.order_id)) return false;
  if (!types.empty() && !types.contains(event.type)) return false;
  if (environment != v1::ENVIRONMENT_UNSPECIFIED && environment != event.environment) return false;
  if (user.empty()) return true;
  return user == event.user_id || (!event.user_email.empty() && absl::EqualsIgnoreCase(user, event.user_email));
}

Subscription::Subscription(EventLog* log, EventFilter filter, uint64_t start_after, size_t buffer_limit,
                           absl::Duration heartbeat_interval, absl::AnyInvocable<void()> wakeup)
    : log_(log),
      filter_(std::move(filter)),
      order_ids_(filter_.order_ids.begin(), filter_.order_ids.end()),
      buffer_limit_(buffer_limit),
      heartbeat_interval_(heartbeat_interval),
      wakeup_(std::move(wakeup)),
      read_through_(start_after),
      last_cursor_(start_after),
      last_write_(absl::Now()) {}

Subscription::Item Subscription::Next() {
  absl::MutexLock lock(&mu_);
  while (true) {
    if (end_.has_value()) {
      Item item;
      item.kind = Item::kEnd;
      item.status = *std::move(end_);
      end_.reset();
      ended_ = true;
      pending_.clear();
      return item;
    }
    if (ended_) return Item{};
    if (!pending_.empty()) {
      Item item;
      item.kind = Item::kEvent;
      item.event = std::move(pending_.front());
      pending_.pop_front();
      if (item.event->cursor <= last_cursor_) continue;  // Seen in the replay already.
      last_cursor_ = item.event->cursor;
      last_write_ = absl::Now();
      return item;
    }
    if (replaying_) {
      last_cursor_ = std::max(last_cursor_, read_through_);
      offered_during_replay_ = false;
      const uint64_t after = read_through_;
      mu_.Unlock();
      absl::StatusOr<std::vector<StoredEvent>> page = log_->ReadAfter(after, kReplayPage, order_ids_);
      mu_.Lock();
      if (!page.ok()) {
        end_ = absl::UnavailableError(absl::StrCat("the event store is unavailable (", page.status().message(),
                                                   "); reconnect with the last cursor"));
        continue;
      }
      if (page->empty()) {
        if (offered_during_replay_) continue;  // An event was stored meanwhile: read again.
        replaying_ = false;
        Item item;
        item.kind = Item::kCaughtUp;
        return item;
      }
      read_through_ = page->back().cursor;
      for (StoredEvent& event : *page) {
        if (filter_.Matches(event)) pending_.push_back(std::make_shared<const StoredEvent>(std::move(event)));
      }
      continue;
    }
    if (heartbeat_due_) {
      heartbeat_due_ = false;
      last_write_ = absl::Now();
      Item item;
      item.kind = Item::kHeartbeat;
      item.cursor = last_cursor_;
      return item;
    }
    writer_waiting_ = true;
    return Item{};
  }
}

void Subscription::End(absl::Status status) {
  absl::AnyInvocable<void()>* wakeup = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (ended_ || end_.has_value()) return;
    end_ = std::move(status);
    wakeup = TakeTurn();
  }
  if (wakeup != nullptr) (*wakeup)();
}

uint64_t Subscription::last_cursor() const {
  absl::MutexLock lock(&mu_);
  return last_cursor_;
}

void Subscription::Offer(const std::shared_ptr<const StoredEvent>& event) {
  absl::AnyInvocable<void()>* wakeup = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (ended_ || end_.has_value()) return;
    if (replaying_) {
      offered_during_replay_ = true;  // The replay reads it from the log.
      return;
    }
    if (event->cursor <= last_cursor_ || !filter_.Matches(*event)) return;
    if (pending_.size() >= buffer_limit_) {
      end_ = WithMetadata(absl::ResourceExhaustedError(absl::StrCat(
                              "the subscriber fell more than ", buffer_limit_,
                              " events behind; reconnect with resume_after=", last_cursor_)),
                          "SUBSCRIBER_TOO_SLOW", "resume_after", last_cursor_);
      pending_.clear();
    } else {
      pending_.push_back(event);
    }
    wakeup = TakeTurn();
  }
  if (wakeup != nullptr) (*wakeup)();
}

void Subscription::Tick(absl::Time now) {
  absl::AnyInvocable<void()>* wakeup = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (ended_ || now - last_write_ < heartbeat_interval_) return;
    heartbeat_due_ = true;
    wakeup = TakeTurn();
  }
  if (wakeup != nullptr) (*wakeup)();
}

absl::AnyInvocable<void()>* Subscription::TakeTurn() {
  if (!writer_waiting_) return nullptr;
  writer_waiting_ = false;
  return &wakeup_;
}

EventHub::EventHub(EventLog* log, Options options) : log_(log), options_(std::move(options)) {
  // Where the follower starts, known before the first Subscribe when the
  // log answers; otherwise the follower keeps asking.
  if (absl::StatusOr<EventLog::Bounds> bounds = log_->GetBounds(); bounds.ok()) {
    follow_after_ = bounds->last;
    absl::MutexLock lock(&subscriptions_mu_);
    following_ = true;
  } else {
    absl::MutexLock lock(&subscriptions_mu_);
    store_state_ = bounds.status();
  }
  maintenance_ = std::thread([this] { Maintain(); });
  follower_ = std::thread([this] { Follow(); });
}

EventHub::~EventHub() {
  stop_.Notify();
  maintenance_.join();
  // Events stored but not yet offered are replayed from the log by the
  // subscribers that reconnect.
  follower_.join();
  Close(absl::UnavailableError("the gateway is shutting down; reconnect with the last cursor"));
}

void EventHub::Close(const absl::Status& status) {
  {
    absl::MutexLock lock(&subscriptions_mu_);
    closed_ = status;
  }
  for (const std::shared_ptr<Subscription>& subscription : Snapshot()) subscription->End(status);
}

absl::StatusOr<EventHub::Ingested> EventHub::Ingest(StoredEvent event) {
  // Refused here: in the log it would fail the whole batch.
  if (event.id.empty()) return absl::InvalidArgumentError("an event without an id cannot be stored");
  std::optional<absl::StatusOr<Ingested>> result;
  absl::MutexLock lock(&commit_mu_);
  commit_queue_.events.push_back(std::move(event));
  commit_queue_.results.push_back(&result);
  // While a leader commits, later callers queue up behind it; once it is
  // done, one of those it did not take leads the next batch.
  const auto committed_or_no_leader = [this, &result]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_) {
    return result.has_value() || !committing_;
  };
  commit_mu_.Await(absl::Condition(&committed_or_no_leader));
  if (!result.has_value()) LeadCommit();
  return *std::move(result);
}

void EventHub::LeadCommit() {
  committing_ = true;
  CommitQueue batch = std::exchange(commit_queue_, {});
  commit_mu_.Unlock();
  absl::StatusOr<std::vector<Ingested>> appended = log_->AppendBatch(batch.events);
  commit_mu_.Lock();
  for (size_t i = 0; i < batch.results.size(); ++i) {
    *batch.results[i] = appended.ok() ? absl::StatusOr<Ingested>((*appended)[i]) : appended.status();
  }
  committing_ = false;
}

void EventHub::Follow() {
  constexpr size_t kPage = 1024;
  constexpr absl::Duration kFirstBackoff = absl::Milliseconds(100);
  constexpr absl::Duration kMaxBackoff = absl::Seconds(5);
  std::optional<uint64_t>& after = follow_after_;
  absl::Duration backoff = absl::ZeroDuration();
  while (!stop_.HasBeenNotified()) {
    absl::Status state;
    if (!after.has_value()) {
      absl::StatusOr<EventLog::Bounds> bounds = log_->GetBounds();
      if (bounds.ok()) {
        after = bounds->last;
        absl::MutexLock lock(&subscriptions_mu_);
        following_ = true;
      } else {
        state = bounds.status();
      }
    }
    if (after.has_value()) {
      absl::StatusOr<std::vector<StoredEvent>> events = log_->Follow(*after, kPage, options_.follow_wait);
      if (events.ok()) {
        for (StoredEvent& stored : *events) {
          after = stored.cursor;
          auto event = std::make_shared<const StoredEvent>(std::move(stored));
          for (const std::shared_ptr<Subscription>& subscription : CandidatesFor(*event)) subscription->Offer(event);
        }
      } else {
        state = events.status();
      }
    }
    SetStoreState(state);
    if (state.ok()) {
      backoff = absl::ZeroDuration();
    } else {
      backoff = std::clamp(2 * backoff, kFirstBackoff, kMaxBackoff);
      stop_.WaitForNotificationWithTimeout(backoff);
    }
  }
}

void EventHub::SetStoreState(const absl::Status& state) {
  {
    absl::MutexLock lock(&subscriptions_mu_);
    if (state.ok() == store_state_.ok()) {
      store_state_ = state;
      return;
    }
    store_state_ = state;
  }
  if (state.ok()) {
    common::Log(common::LogLevel::kInfo, "the event store is reachable again");
  } else {
    common::Log(common::LogLevel::kWarning, "the event store cannot be read; open streams end with UNAVAILABLE",
                {{"error", state.ToString()}});
    const absl::Status ended = absl::UnavailableError(absl::StrCat(
        "the event store is unavailable (", state.message(), "); reconnect with the last cursor"));
    for (const std::shared_ptr<Subscription>& subscription : Snapshot()) subscription->End(ended);
  }
  if (options_.on_store_state) options_.on_store_state(state);
}

absl::StatusOr<std::shared_ptr<Subscription>> EventHub::Subscribe(EventFilter filter,
                                                                 std::optional<uint64_t> resume_after,
                                                                 absl::AnyInvocable<void()> wakeup) {
  {
    absl::MutexLock lock(&subscriptions_mu_);
    if (!following_ || !store_state_.ok()) {
      return absl::UnavailableError(
          absl::StrCat("the event store is unavailable (", store_state_.message(), "); try again"));
    }
  }
  absl::StatusOr<EventLog::Bounds> bounds = log_->GetBounds();
  if (!bounds.ok()) {
    return absl::UnavailableError(absl::StrCat("the event store is unavailable (", bounds.status().message(),
                                               "); try again"));
  }
  uint64_t start_after = bounds->last;
  if (resume_after.has_value()) {
    if (*resume_after > bounds->last) {
      return absl::InvalidArgumentError(absl::StrCat("resume_after ", *resume_after,
                                                     " is beyond the newest stored event (", bounds->last, ")"));
    }
    // Cursor 0 comes before every event: it asks for all that is kept.
    if (*resume_after == 0) {
      start_after = bounds->pruned_through;
    } else if (*resume_after < bounds->pruned_through) {
      return WithMetadata(
          absl::FailedPreconditionError(absl::StrCat("the events after cursor ", *resume_after,
                                                     " are past retention; the oldest stored cursor is ",
                                                     bounds->pruned_through + 1)),
          "CURSOR_EXPIRED", "oldest_cursor", bounds->pruned_through + 1);
    } else {
      start_after = *resume_after;
    }
  }
  auto subscription = std::make_shared<Subscription>(log_, std::move(filter), start_after,
                                                     options_.subscriber_buffer, options_.heartbeat_interval,
                                                     std::move(wakeup));
  absl::MutexLock lock(&subscriptions_mu_);
  if (closed_.has_value()) return *closed_;
  subscriptions_.insert(subscription);
  if (subscription->filter_.order_ids.empty()) any_order_.insert(subscription);
  for (const std::string& order_id : subscription->filter_.order_ids) by_order_[order_id].insert(subscription);
  return subscription;
}

void EventHub::Unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  absl::MutexLock lock(&subscriptions_mu_);
  if (subscriptions_.erase(subscription) == 0) return;
  any_order_.erase(subscription);
  for (const std::string& order_id : subscription->filter_.order_ids) {
    const auto subscribers = by_order_.find(order_id);
    subscribers->second.erase(subscription);
    // Orders come and go; an index entry per order ever watched would grow
    // without bound.
    if (subscribers->second.empty()) by_order_.erase(subscribers);
  }
}

size_t EventHub::subscriber_count() const {
  absl::MutexLock lock(&subscriptions_mu_);
  return subscriptions_.size();
}

absl::Status EventHub::store_state() const {
  absl::MutexLock lock(&subscriptions_mu_);
  return store_state_;
}

std::vector<std::shared_ptr<Subscription>> EventHub::CandidatesFor(const StoredEvent& event) const {
  absl::MutexLock lock(&subscriptions_mu_);
  std::vector<std::shared_ptr<Subscription>> candidates(any_order_.begin(), any_order_.end());
  // Looked up for an event without an order id too: like Matches, the index
  // gives it to a filter that names the empty id.
  const auto subscribers = by_order_.find(event.order_id);
  if (subscribers != by_order_.end()) {
    candidates.insert(candidates.end(), subscribers->second.begin(), subscribers->second.end());
  }
  return candidates;
}

std::vector<std::shared_ptr<Subscription>> EventHub::Snapshot() const {
  absl::MutexLock lock(&subscriptions_mu_);
  return {subscriptions_.begin(), subscriptions_.end()};
}

void EventHub::Maintain() {
  const absl::Duration tick = std::min(options_.heartbeat_interval / 4, absl::Seconds(1));
  absl::Time next_retention = absl::Now();
  while (!stop_.WaitForNotificationWithTimeout(tick)) {
    const absl::Time now = absl::Now();
    for (const std::shared_ptr<Subscription>& subscription : Snapshot()) subscription->Tick(now);
    if (now < next_retention) continue;
    next_retention = now + options_.maintenance_interval;
    absl::StatusOr<int64_t> dropped = log_->DropReceivedBefore(now - options_.retention);
    if (!dropped.ok()) {
      common::Log(common::LogLevel::kWarning, "event retention failed", {{"error", dropped.status().ToString()}});
    } else if (*dropped > 0) {
      common::Log(common::LogLevel::kInfo, "event retention", {{"dropped", absl::StrCat(*dropped)}});
    }
  }
}

}  // namespace gateway::events
