// EventHub and Subscription against a real SqliteEventLog in a temporary
// file, driven the way a gRPC stream drives them: Next() until kIdle, then
// wait for the wakeup.
#include "server/events/event_hub.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/common/status_details.h"
#include "server/events/sqlite_event_log.h"

namespace gateway::events {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

StoredEvent Event(const std::string& id, const std::string& order_id = "ord_1",
                  const std::string& type = "domain.connected") {
  StoredEvent event;
  event.id = id;
  event.type = type;
  event.environment = v1::ENVIRONMENT_SANDBOX;
  event.created_at = absl::Now();
  event.received_at = absl::Now();
  event.order_id = order_id;
  event.user = "Alex@Acme.com";
  event.data = "{}";
  return event;
}

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
    log_.reset();
    std::filesystem::remove_all(dir_);
  }

  EventHub& Hub(EventHub::Options options = {}) {
    hub_ = std::make_unique<EventHub>(log_.get(), options);
    return *hub_;
  }

  void Subscribe(Reader& reader, EventFilter filter = {}, std::optional<uint64_t> resume_after = std::nullopt) {
    auto subscription = hub_->Subscribe(std::move(filter), resume_after, [wakeups = reader.wakeups] { ++*wakeups; });
    ASSERT_TRUE(subscription.ok()) << subscription.status();
    reader.subscription = *std::move(subscription);
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteEventLog> log_;
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
  StoredEvent old = Event("evt_old");
  old.received_at = absl::Now() - absl::Hours(24 * 8);
  const uint64_t old_cursor = hub.Ingest(old)->cursor;
  const uint64_t new_cursor = hub.Ingest(Event("evt_new"))->cursor;
  ASSERT_EQ(*log_->DropReceivedBefore(absl::Now() - absl::Hours(24 * 7)), 1);

  auto expired = hub.Subscribe({}, old_cursor - 1, [] {});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(expired.status().message(), HasSubstr(absl::StrCat("oldest stored cursor is ", old_cursor + 1)));
  // Right after the dropped event is still fine.
  EXPECT_TRUE(hub.Subscribe({}, old_cursor, [] {}).ok());

  auto beyond = hub.Subscribe({}, new_cursor + 1, [] {});
  EXPECT_EQ(beyond.status().code(), absl::StatusCode::kInvalidArgument);
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

TEST_F(EventHubTest, EndAllEndsEverySubscription) {
  EventHub& hub = Hub();
  Reader reader;
  Subscribe(reader);
  reader.Drain();
  hub.EndAll(absl::UnavailableError("shutting down"));
  EXPECT_EQ(*reader.wakeups, 1);
  EXPECT_THAT(reader.Drain(), ElementsAre("end:UNAVAILABLE"));
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

}  // namespace
}  // namespace gateway::events
