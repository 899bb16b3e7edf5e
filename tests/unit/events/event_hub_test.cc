// EventHub and Subscription against a real SqliteEventLog in a temporary
// file, driven the way a gRPC stream drives them: Next() until kIdle, then
// wait for the wakeup.
#include "server/events/event_hub.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "server/common/status_macros.h"
#include "server/events/sqlite_event_log.h"

namespace gateway::events {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

StoredEvent Event(const std::string& id, const std::string& order_id = "ord_1",
                  const std::string& type = "domain.connected") {
  StoredEvent event;
  event.id = id;
  event.type = type;
  event.environment = v1::ENVIRONMENT_SANDBOX;
  event.created_at = absl::Now();
  event.received_at = absl::Now();
  event.order_id = order_id;
  event.user_id = "usr_alex";
  event.user_email = "Alex@Acme.com";
  event.data = "{}";
  return event;
}

EventFilter ForOrders(std::initializer_list<std::string> order_ids) {
  EventFilter filter;
  filter.order_ids.insert(order_ids.begin(), order_ids.end());
  return filter;
}

std::vector<std::string> Ids(const std::vector<StoredEvent>& events) {
  std::vector<std::string> ids;
  for (const StoredEvent& event : events) ids.push_back(event.id);
  return ids;
}

// Writes through to a real log, except that a test can hold AppendBatch
// (so that other Ingest calls queue up behind it) and make it fail, and
// make every read fail as an unreachable store would.
class GatedLog final : public EventLog {
 public:
  explicit GatedLog(EventLog* log) : log_(log) {}

  // From now on, AppendBatch waits for Open().
  void Close() {
    absl::MutexLock lock(&mu_);
    open_ = false;
  }
  // Lets AppendBatch go on, returning `status` unless it is OK.
  void Open(absl::Status status) {
    absl::MutexLock lock(&mu_);
    open_ = true;
    status_ = std::move(status);
  }
  // Waits until an AppendBatch call waits for Open().
  void AwaitWaiter() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&waiting_));
  }
  // Every read fails with `status` from now on, until it is OK.
  void FailReads(absl::Status status) {
    absl::MutexLock lock(&mu_);
    read_status_ = std::move(status);
  }
  // The sizes of the batches AppendBatch was called with.
  std::vector<size_t> batch_sizes() {
    absl::MutexLock lock(&mu_);
    return batch_sizes_;
  }

  absl::StatusOr<std::vector<Appended>> AppendBatch(absl::Span<const StoredEvent> events) override {
    {
      absl::MutexLock lock(&mu_);
      batch_sizes_.push_back(events.size());
      waiting_ = true;
      mu_.Await(absl::Condition(&open_));
      waiting_ = false;
      if (!status_.ok()) return status_;
    }
    return log_->AppendBatch(events);
  }
  absl::StatusOr<std::vector<StoredEvent>> ReadAfter(uint64_t after, size_t limit,
                                                     absl::Span<const std::string> order_ids) override {
    RETURN_IF_ERROR(read_status());
    return log_->ReadAfter(after, limit, order_ids);
  }
  absl::StatusOr<std::vector<StoredEvent>> Follow(uint64_t after, size_t limit, absl::Duration wait) override {
    RETURN_IF_ERROR(read_status());
    return log_->Follow(after, limit, wait);
  }
  absl::StatusOr<Bounds> GetBounds() override {
    RETURN_IF_ERROR(read_status());
    return log_->GetBounds();
  }
  absl::StatusOr<int64_t> DropReceivedBefore(absl::Time cutoff) override { return log_->DropReceivedBefore(cutoff); }

 private:
  EventLog* const log_;
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = true;
  bool waiting_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  absl::Status read_status_ ABSL_GUARDED_BY(mu_);
  absl::Status read_status() {
    absl::MutexLock lock(&mu_);
    return read_status_;
  }
  std::vector<size_t> batch_sizes_ ABSL_GUARDED_BY(mu_);
};

// A subscriber that counts its wakeups.
struct Reader {
  // Shared with the wakeup callback, which the hub may still call after the
  // reader is gone.
  std::shared_ptr<std::atomic<int>> wakeups = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<Subscription> subscription;

  // Pulls until kIdle or kEnd; returns the event ids (and "^" for kCaughtUp,
  // "♥" for a heartbeat, "end:<code>" for kEnd).
  std::vector<std::string> Drain() {
    std::vector<std::string> seen;
    while (true) {
      Subscription::Item item = subscription->Next();
      switch (item.kind) {
        case Subscription::Item::kEvent:
          seen.push_back(item.event->id);
          break;
        case Subscription::Item::kCaughtUp:
          seen.push_back("^");
          break;
        case Subscription::Item::kHeartbeat:
          seen.push_back("♥");
          break;
        case Subscription::Item::kIdle:
          return seen;
        case Subscription::Item::kEnd:
          seen.push_back(absl::StrCat("end:", absl::StatusCodeToString(item.status.code())));
          last_status = item.status;
          return seen;
      }
    }
  }
  absl::Status last_status;

  // Drains until `count` items arrived (events are offered by the hub's
  // fan-out thread, shortly after Ingest returns) or 10 s passed.
  std::vector<std::string> Collect(size_t count) {
    std::vector<std::string> seen;
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (seen.size() < count && absl::Now() < give_up) {
      for (std::string& item : Drain()) seen.push_back(std::move(item));
      if (seen.size() < count) absl::SleepFor(absl::Milliseconds(1));
    }
    return seen;
  }
};

class EventHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           absl::StrCat("event_hub_test_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto log = SqliteEventLog::Open((dir_ / "events.db").string());
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }
  void TearDown() override {
    hub_.reset();
    gated_log_.reset();
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  EventHub& Hub(EventHub::Options options = {}) {
    EventLog* log = log_.get();
    if (gated_log_ != nullptr) log = gated_log_.get();
    hub_ = std::make_unique<EventHub>(log, options);
    return *hub_;
  }

  // Puts a GatedLog in front of the real log, for the hub to be made next.
  GatedLog& Gate() {
    gated_log_ = std::make_unique<GatedLog>(log_.get());
    return *gated_log_;
  }

  // Ingests each of `events` from a thread of its own while the log holds
  // the first one's commit, so that the others queue up behind it; then lets
  // the log go on, failing with `outcome` unless it is OK. Returns each
  // call's result.
  std::vector<absl::StatusOr<EventHub::Ingested>> IngestBehindAHeldCommit(GatedLog& log,
                                                                          std::vector<StoredEvent> events,
                                                                          absl::Status outcome) {
    std::vector<absl::StatusOr<EventHub::Ingested>> results(events.size(), absl::UnknownError("not ingested"));
    std::vector<std::thread> callers;
    log.Close();
    for (size_t i = 0; i < events.size(); ++i) {
      callers.emplace_back([this, &events, &results, i] { results[i] = hub_->Ingest(std::move(events[i])); });
      if (i == 0) log.AwaitWaiter();
    }
    // A moment for the others to queue, so that one commit usually takes
    // them all; what the tests check holds however they were batched.
    absl::SleepFor(absl::Milliseconds(50));
    log.Open(std::move(outcome));
    for (std::thread& caller : callers) caller.join();
    return results;
  }

  std::vector<StoredEvent> Stored() {
    absl::StatusOr<std::vector<StoredEvent>> events = log_->ReadAfter(0, std::numeric_limits<size_t>::max(), {});
    EXPECT_TRUE(events.ok()) << events.status();
    return events.value_or(std::vector<StoredEvent>{});
  }

  void Subscribe(Reader& reader, EventFilter filter = {}, std::optional<uint64_t> resume_after = std::nullopt) {
    auto subscription = hub_->Subscribe(std::move(filter), resume_after, [wakeups = reader.wakeups] { ++*wakeups; });
    ASSERT_TRUE(subscription.ok()) << subscription.status();
    reader.subscription = *std::move(subscription);
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteEventLog> log_;
  std::unique_ptr<GatedLog> gated_log_;
  std::unique_ptr<EventHub> hub_;
};

TEST_F(EventHubTest, LiveSubscriberGetsNewEventsOnlyAndIsWokenOnce) {
  EventHub& hub = Hub();
  ASSERT_TRUE(hub.Ingest(Event("evt_old")).ok());
  Reader reader;
  Subscribe(reader);
  EXPECT_THAT(reader.Drain(), ElementsAre("^"));
  ASSERT_TRUE(hub.Ingest(Event("evt_a")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_b")).ok());
  EXPECT_THAT(reader.Collect(2), ElementsAre("evt_a", "evt_b"));
  EXPECT_GE(*reader.wakeups, 1);
}

TEST_F(EventHubTest, ResumeReplaysExactlyTheMissedEventsThenGoesLive) {
  EventHub& hub = Hub();
  std::vector<uint64_t> cursors;
  for (int i = 1; i <= 5; ++i) cursors.push_back(hub.Ingest(Event(absl::StrCat("evt_", i)))->cursor);
  Reader reader;
  Subscribe(reader, {}, cursors[1]);
  EXPECT_THAT(reader.Drain(), ElementsAre("evt_3", "evt_4", "evt_5", "^"));
  ASSERT_TRUE(hub.Ingest(Event("evt_6")).ok());
  EXPECT_THAT(reader.Collect(1), ElementsAre("evt_6"));
  EXPECT_EQ(reader.subscription->last_cursor(), cursors[4] + 1);
}

TEST_F(EventHubTest, DuplicatesAreNeitherStoredNorOfferedAgain) {
  EventHub& hub = Hub();
  Reader reader;
  Subscribe(reader);
  reader.Drain();
  auto first = hub.Ingest(Event("evt_same"));
  auto again = hub.Ingest(Event("evt_same"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->cursor, first->cursor);
  ASSERT_TRUE(hub.Ingest(Event("evt_next")).ok());
  EXPECT_THAT(reader.Collect(2), ElementsAre("evt_same", "evt_next"));
}

TEST(EventFilterTest, TheUserIsTheIdExactlyOrTheEmailInAnyCase) {
  StoredEvent event;
  event.user_id = "usr_alex";
  event.user_email = "Alex@Acme.com";
  StoredEvent domain_event;  // Names no customer.
  StoredEvent id_only;
  id_only.user_id = "usr_alex";
  const struct {
    const char* user;
    bool matches_event;
    bool matches_id_only;
  } kCases[] = {
      {"", true, true},
      {"usr_alex", true, true},
      {"USR_ALEX", false, false},
      {"alex@acme.com", true, false},
      {"ALEX@ACME.COM", true, false},
      {"usr_sam", false, false},
      {"sam@acme.com", false, false},
  };
  for (const auto& c : kCases) {
    EventFilter filter;
    filter.user = c.user;
    EXPECT_EQ(filter.Matches(event), c.matches_event) << c.user;
    EXPECT_EQ(filter.Matches(id_only), c.matches_id_only) << c.user;
    EXPECT_EQ(filter.Matches(domain_event), filter.user.empty()) << c.user;
  }
}

TEST_F(EventHubTest, FiltersApplyToReplayAndLive) {
  EventHub& hub = Hub();
  ASSERT_TRUE(hub.Ingest(Event("evt_1", "ord_1", "order.in_progress")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_2", "ord_2", "order.in_progress")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_3", "ord_1", "domain.connected")).ok());
  EventFilter filter;
  filter.order_ids = {"ord_1"};
  filter.types = {"order.in_progress", "order.completed"};
  filter.user = "alex@ACME.com";  // Case does not matter.
  Reader reader;
  Subscribe(reader, filter, 0);
  EXPECT_THAT(reader.Drain(), ElementsAre("evt_1", "^"));
  ASSERT_TRUE(hub.Ingest(Event("evt_4", "ord_1", "order.completed")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_5", "ord_2", "order.completed")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_6", "ord_1", "order.completed")).ok());
  EXPECT_THAT(reader.Collect(2), ElementsAre("evt_4", "evt_6"));

  EventFilter live_only;
  live_only.environment = v1::ENVIRONMENT_LIVE;
  Reader live;
  Subscribe(live, live_only, 0);
  EXPECT_THAT(live.Drain(), ElementsAre("^"));
}

TEST_F(EventHubTest, ASlowSubscriberIsEndedWithItsCursorAndOthersGoOn) {
  EventHub::Options options;
  options.subscriber_buffer = 3;
  EventHub& hub = Hub(options);
  const uint64_t first = hub.Ingest(Event("evt_0"))->cursor;
  Reader slow;
  Reader fast;
  Subscribe(slow, {}, 0);
  Subscribe(fast, {}, 0);
  EXPECT_THAT(slow.Drain(), ElementsAre("evt_0", "^"));
  fast.Drain();
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(hub.Ingest(Event(absl::StrCat("evt_", i))).ok());
    EXPECT_EQ(fast.Collect(1).size(), 1u);  // The fast one keeps up…
  }
  // …the slow one never pulled; its fourth event overflowed the buffer.
  EXPECT_THAT(slow.Collect(1), ElementsAre("end:RESOURCE_EXHAUSTED"));
  EXPECT_THAT(slow.last_status.message(), HasSubstr(absl::StrCat("resume_after=", first)));
  auto info = common::GetDetail<google::rpc::ErrorInfo>(slow.last_status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->metadata().at("resume_after"), absl::StrCat(first));
  // Resuming from that cursor gives exactly what it missed.
  Reader resumed;
  Subscribe(resumed, {}, first);
  EXPECT_THAT(resumed.Drain(), ElementsAre("evt_1", "evt_2", "evt_3", "evt_4", "^"));
}

TEST_F(EventHubTest, CursorsPastRetentionOrBeyondTheNewestAreRefused) {
  EventHub& hub = Hub();
  uint64_t old_cursor = 0;
  for (const char* id : {"evt_older", "evt_old"}) {
    StoredEvent old = Event(id);
    old.received_at = absl::Now() - absl::Hours(24 * 8);
    old_cursor = hub.Ingest(old)->cursor;
  }
  const uint64_t new_cursor = hub.Ingest(Event("evt_new"))->cursor;
  ASSERT_EQ(*log_->DropReceivedBefore(absl::Now() - absl::Hours(24 * 7)), 2);

  auto expired = hub.Subscribe({}, old_cursor - 1, [] {});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(expired.status().message(), HasSubstr(absl::StrCat("oldest stored cursor is ", old_cursor + 1)));
  // Right after the dropped event is still fine.
  EXPECT_TRUE(hub.Subscribe({}, old_cursor, [] {}).ok());

  auto beyond = hub.Subscribe({}, new_cursor + 1, [] {});
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EventHubTest, CursorZeroStartsAtTheOldestStoredEventEvenAfterRetention) {
  EventHub& hub = Hub();
  StoredEvent old = Event("evt_old");
  old.received_at = absl::Now() - absl::Hours(24 * 8);
  ASSERT_TRUE(hub.Ingest(old).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_kept")).ok());
  ASSERT_EQ(*log_->DropReceivedBefore(absl::Now() - absl::Hours(24 * 7)), 1);
  Reader reader;
  Subscribe(reader, {}, 0);
  EXPECT_THAT(reader.Drain(), ElementsAre("evt_kept", "^"));
}

TEST_F(EventHubTest, QuietStreamsGetHeartbeats) {
  EventHub::Options options;
  options.heartbeat_interval = absl::Milliseconds(40);
  EventHub& hub = Hub(options);
  Reader reader;
  Subscribe(reader);
  reader.Drain();
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (*reader.wakeups == 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_THAT(reader.Drain(), ElementsAre("♥"));
  (void)hub;
}

TEST_F(EventHubTest, CloseEndsEverySubscriptionAndRefusesNewOnes) {
  EventHub& hub = Hub();
  Reader reader;
  Subscribe(reader);
  reader.Drain();
  hub.Close(absl::UnavailableError("shutting down"));
  EXPECT_EQ(*reader.wakeups, 1);
  EXPECT_THAT(reader.Drain(), ElementsAre("end:UNAVAILABLE"));
  auto late = hub.Subscribe({}, std::nullopt, [] {});
  EXPECT_EQ(late.status(), absl::UnavailableError("shutting down"));
}

TEST_F(EventHubTest, ReplayRacingIngestGivesEveryEventOnceInOrder) {
  EventHub& hub = Hub();
  constexpr int kBefore = 600;  // More than two replay pages.
  constexpr int kDuring = 400;
  for (int i = 0; i < kBefore; ++i) ASSERT_TRUE(hub.Ingest(Event(absl::StrCat("evt_", i))).ok());
  Reader reader;
  Subscribe(reader, {}, 0);
  std::thread writer([&] {
    for (int i = kBefore; i < kBefore + kDuring; ++i) ASSERT_TRUE(hub.Ingest(Event(absl::StrCat("evt_", i))).ok());
  });
  std::vector<std::string> seen;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (seen.size() < kBefore + kDuring + 1 && absl::Now() < give_up) {
    for (std::string& id : reader.Drain()) seen.push_back(std::move(id));
  }
  writer.join();
  for (std::string& id : reader.Collect(kBefore + kDuring + 1 - seen.size())) seen.push_back(std::move(id));
  std::vector<std::string> expected;
  for (int i = 0; i < kBefore + kDuring; ++i) expected.push_back(absl::StrCat("evt_", i));
  seen.erase(std::remove(seen.begin(), seen.end(), "^"), seen.end());
  EXPECT_EQ(seen, expected);
}

TEST_F(EventHubTest, ConcurrentIngestsAreStoredOnceAndOfferedOnceInCursorOrder) {
  constexpr size_t kThreads = 8;
  constexpr int kPerThread = 200;
  constexpr size_t kShared = kPerThread / 4;  // ids every thread ingests
  EventHub::Options options;
  options.subscriber_buffer = kThreads * kPerThread;
  EventHub& hub = Hub(options);
  Reader reader;
  Subscribe(reader);
  ASSERT_THAT(reader.Drain(), ElementsAre("^"));

  absl::Mutex mu;
  std::map<std::string, std::vector<EventHub::Ingested>> results;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&hub, &mu, &results, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every fourth event is one all threads send at about the same time.
        const std::string id = i % 4 == 0 ? absl::StrCat("evt_shared_", i / 4) : absl::StrCat("evt_t", t, "_", i);
        absl::StatusOr<EventHub::Ingested> ingested = hub.Ingest(Event(id, absl::StrCat("ord_", i % 7)));
        ASSERT_TRUE(ingested.ok()) << ingested.status();
        absl::MutexLock lock(&mu);
        results[id].push_back(*ingested);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  ASSERT_THAT(results, SizeIs(kThreads * (kPerThread - kShared) + kShared));
  std::map<uint64_t, std::string> id_at;
  for (const auto& [id, ingests] : results) {
    int originals = 0;
    for (const EventHub::Ingested& ingested : ingests) {
      if (!ingested.duplicate) ++originals;
      EXPECT_EQ(ingested.cursor, ingests.front().cursor) << id;
    }
    EXPECT_EQ(originals, 1) << id;
    EXPECT_TRUE(id_at.emplace(ingests.front().cursor, id).second) << "cursor " << ingests.front().cursor;
  }
  const std::vector<StoredEvent> stored = Stored();
  ASSERT_THAT(stored, SizeIs(id_at.size()));
  for (const StoredEvent& event : stored) EXPECT_EQ(event.id, id_at[event.cursor]);
  EXPECT_EQ(reader.Collect(stored.size()), Ids(stored));
}

TEST_F(EventHubTest, DuplicatesQueuedTogetherAreStoredOnceAndAnEventWithoutAnIdFailsAlone) {
  GatedLog& log = Gate();
  Hub();
  Reader reader;
  Subscribe(reader);
  ASSERT_THAT(reader.Drain(), ElementsAre("^"));

  const std::vector<absl::StatusOr<EventHub::Ingested>> results = IngestBehindAHeldCommit(
      log, {Event("evt_first"), Event("evt_same"), Event(""), Event("evt_same"), Event("evt_other")}, absl::OkStatus());

  ASSERT_THAT(results, SizeIs(5));
  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kInvalidArgument) << results[2].status();
  for (size_t i : {0, 1, 3, 4}) ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
  EXPECT_EQ(results[1]->cursor, results[3]->cursor);
  EXPECT_NE(results[1]->duplicate, results[3]->duplicate);
  EXPECT_FALSE(results[0]->duplicate || results[4]->duplicate);
  const std::vector<StoredEvent> stored = Stored();
  ASSERT_THAT(Ids(stored), UnorderedElementsAre("evt_first", "evt_same", "evt_other"));
  EXPECT_EQ(stored.front().id, "evt_first");
  EXPECT_EQ(reader.Collect(stored.size()), Ids(stored));
}

TEST_F(EventHubTest, AFailedCommitFailsEveryCallerInItAndStoresNothing) {
  constexpr int kCallers = 6;
  GatedLog& log = Gate();
  EventHub& hub = Hub();
  Reader reader;
  Subscribe(reader);
  ASSERT_THAT(reader.Drain(), ElementsAre("^"));

  std::vector<StoredEvent> events;
  for (int i = 0; i < kCallers; ++i) events.push_back(Event(absl::StrCat("evt_", i)));
  const std::vector<absl::StatusOr<EventHub::Ingested>> results =
      IngestBehindAHeldCommit(log, events, absl::UnavailableError("the disk is gone"));

  for (const absl::StatusOr<EventHub::Ingested>& result : results) {
    EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
    EXPECT_THAT(result.status().message(), HasSubstr("the disk is gone"));
  }
  const std::vector<size_t> sizes = log.batch_sizes();
  EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), size_t{0}), size_t{kCallers});
  EXPECT_THAT(Stored(), IsEmpty());

  // No cursor was used up; the hub goes on with the next commit, and the
  // subscriber sees only that event.
  log.Open(absl::OkStatus());
  const absl::StatusOr<EventHub::Ingested> next = hub.Ingest(Event("evt_0"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->cursor, 1u);
  EXPECT_FALSE(next->duplicate);
  EXPECT_THAT(reader.Collect(1), ElementsAre("evt_0"));
}

TEST_F(EventHubTest, EventsAreOfferedOnlyToTheSubscriptionsOfTheirOrder) {
  EventHub& hub = Hub();
  Reader a;
  Reader also_a;
  Reader b;
  Reader a_or_b;
  Reader c;
  Reader any;
  Subscribe(a, ForOrders({"ord_a"}));
  Subscribe(also_a, ForOrders({"ord_a"}));
  Subscribe(b, ForOrders({"ord_b"}));
  Subscribe(a_or_b, ForOrders({"ord_a", "ord_b"}));
  Subscribe(c, ForOrders({"ord_c"}));
  Subscribe(any);
  for (Reader* reader : {&a, &also_a, &b, &a_or_b, &c, &any}) ASSERT_THAT(reader->Drain(), ElementsAre("^"));
  EXPECT_EQ(hub.subscriber_count(), 6u);

  ASSERT_TRUE(hub.Ingest(Event("evt_1", "ord_a")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_2", "ord_b")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_3", "")).ok());  // about no order
  ASSERT_TRUE(hub.Ingest(Event("evt_4", "ord_c")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_5", "ord_a")).ok());
  EXPECT_THAT(a.Collect(2), ElementsAre("evt_1", "evt_5"));
  EXPECT_THAT(also_a.Collect(2), ElementsAre("evt_1", "evt_5"));
  EXPECT_THAT(b.Collect(1), ElementsAre("evt_2"));
  EXPECT_THAT(a_or_b.Collect(3), ElementsAre("evt_1", "evt_2", "evt_5"));
  EXPECT_THAT(c.Collect(1), ElementsAre("evt_4"));
  EXPECT_THAT(any.Collect(5), ElementsAre("evt_1", "evt_2", "evt_3", "evt_4", "evt_5"));

  const int c_wakeups = *c.wakeups;
  hub.Unsubscribe(c.subscription);
  hub.Unsubscribe(also_a.subscription);
  EXPECT_EQ(hub.subscriber_count(), 4u);
  ASSERT_TRUE(hub.Ingest(Event("evt_6", "ord_c")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_7", "ord_a")).ok());
  ASSERT_TRUE(hub.Ingest(Event("evt_8", "")).ok());
  EXPECT_THAT(a.Collect(1), ElementsAre("evt_7"));
  EXPECT_THAT(a_or_b.Collect(1), ElementsAre("evt_7"));
  // The fan-out offers one event to all its subscriptions before the next:
  // with evt_8 here, evt_6 and evt_7 went wherever they were going to go.
  EXPECT_THAT(any.Collect(3), ElementsAre("evt_6", "evt_7", "evt_8"));
  EXPECT_THAT(c.Drain(), IsEmpty());
  EXPECT_THAT(also_a.Drain(), IsEmpty());
  EXPECT_EQ(*c.wakeups, c_wakeups);
}

// Two hubs on two handles of one log stand for two replicas sharing it:
// what one ingests, the other's subscribers get live.
TEST_F(EventHubTest, WhatAnotherHubOnTheSameLogIngestsReachesThisHubsSubscribers) {
  EventHub& here = Hub();
  auto other_log = SqliteEventLog::Open((dir_ / "events.db").string());
  ASSERT_TRUE(other_log.ok()) << other_log.status();
  {
    EventHub elsewhere(other_log->get(), {});
    Reader reader;
    Subscribe(reader);
    ASSERT_THAT(reader.Drain(), ElementsAre("^"));
    ASSERT_TRUE(elsewhere.Ingest(Event("evt_1")).ok());
    ASSERT_TRUE(elsewhere.Ingest(Event("evt_2")).ok());
    ASSERT_TRUE(here.Ingest(Event("evt_3")).ok());
    EXPECT_THAT(reader.Collect(3), ElementsAre("evt_1", "evt_2", "evt_3"));
  }
}

TEST_F(EventHubTest, AStoreThatCannotBeReadEndsEveryStreamAndRefusesNewOnesUntilItIsBack) {
  GatedLog& log = Gate();
  absl::Mutex states_mu;
  std::vector<absl::StatusCode> states;
  EventHub::Options options;
  options.on_store_state = [&](const absl::Status& state) {
    absl::MutexLock lock(&states_mu);
    states.push_back(state.code());
  };
  EventHub& hub = Hub(options);
  Reader reader;
  Subscribe(reader);
  ASSERT_THAT(reader.Drain(), ElementsAre("^"));
  const uint64_t before = hub.Ingest(Event("evt_before"))->cursor;
  ASSERT_THAT(reader.Collect(1), ElementsAre("evt_before"));

  log.FailReads(absl::UnavailableError("Redis at 10.0.0.7:6379: Connection refused"));
  EXPECT_THAT(reader.Collect(1), ElementsAre("end:UNAVAILABLE"));
  EXPECT_THAT(reader.last_status.message(), HasSubstr("the event store is unavailable"));
  EXPECT_THAT(reader.last_status.message(), HasSubstr("Connection refused"));
  EXPECT_EQ(hub.store_state().code(), absl::StatusCode::kUnavailable);
  auto refused = hub.Subscribe({}, before, [] {});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  // Stored while no one could follow: not lost.
  ASSERT_TRUE(hub.Ingest(Event("evt_during")).ok());

  log.FailReads(absl::OkStatus());
  for (const absl::Time give_up = absl::Now() + absl::Seconds(10); !hub.store_state().ok() && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(hub.store_state().ok());
  Reader resumed;
  Subscribe(resumed, {}, before);
  EXPECT_THAT(resumed.Drain(), ElementsAre("evt_during", "^"));
  ASSERT_TRUE(hub.Ingest(Event("evt_after")).ok());
  EXPECT_THAT(resumed.Collect(1), ElementsAre("evt_after"));
  absl::MutexLock lock(&states_mu);
  EXPECT_THAT(states, ElementsAre(absl::StatusCode::kUnavailable, absl::StatusCode::kOk));
}

}  // namespace
}  // namespace gateway::events
