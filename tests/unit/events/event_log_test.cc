// The EventLog conformance suite, written against the interface only and run
// for every implementation (one INSTANTIATE_TEST_SUITE_P each), followed by
// the tests of what is specific to SqliteEventLog.
#include "server/events/event_log.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/events/redis_event_log.h"
#include "server/events/sqlite_event_log.h"
#include "tests/integration/redis_server.h"
#include "server/events/stored_event.h"

namespace gateway::events {

// Short enough to read in a failure message even when `data` is large.
void PrintTo(const StoredEvent& event, std::ostream* os) {
  *os << "{cursor " << event.cursor << ", id \"" << event.id << "\", type \"" << event.type << "\", environment "
      << event.environment << ", created_at " << absl::FormatTime(event.created_at) << ", received_at "
      << absl::FormatTime(event.received_at) << ", order_id \"" << event.order_id << "\", user_id \""
      << event.user_id << "\", user_email \"" << event.user_email << "\", data " << event.data.size() << " bytes}";
}

void PrintTo(const EventLog::Appended& appended, std::ostream* os) {
  *os << "{cursor " << appended.cursor << (appended.duplicate ? ", duplicate}" : "}");
}

namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// How the suite opens the implementation under test. Opening again with the
// same `dir` must give the same log, contents and bounds included; a new dir
// gives a new, empty log. `dir` is an existing, empty directory the test
// removes afterwards.
struct EventLogFactory {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<EventLog>>(const std::string& dir)> open;
};

void PrintTo(const EventLogFactory& factory, std::ostream* os) { *os << factory.name; }

const absl::Time kT0 = absl::FromUnixSeconds(1778400000);  // 2026-05-10

StoredEvent Event(const std::string& id, const std::string& order_id = "ord_1", absl::Time received_at = kT0) {
  StoredEvent event;
  event.id = id;
  event.type = "order.in_progress";
  event.environment = v1::ENVIRONMENT_SANDBOX;
  event.created_at = received_at - absl::Seconds(2);
  event.received_at = received_at;
  event.order_id = order_id;
  event.user_id = "usr_1";
  event.user_email = "user@example.com";
  event.data = absl::StrCat(R"({"id":")", order_id, R"(","status":"in_progress"})");
  return event;
}

// Everything but the cursor, which AppendBatch assigns.
auto Contents(const StoredEvent& event) {
  return std::tie(event.id, event.type, event.environment, event.created_at, event.received_at, event.order_id,
                  event.user_id, event.user_email, event.data);
}

MATCHER_P2(IsAppended, cursor, duplicate, "") { return arg.cursor == cursor && arg.duplicate == duplicate; }

MATCHER_P(HasContentsOf, expected, "has the contents of " + ::testing::PrintToString(expected)) {
  return Contents(arg) == Contents(expected);
}

// A batch of one.
absl::StatusOr<EventLog::Appended> AppendOne(EventLog& log, const StoredEvent& event) {
  absl::StatusOr<std::vector<EventLog::Appended>> appended = log.AppendBatch(absl::MakeConstSpan(&event, 1));
  if (!appended.ok()) return appended.status();
  if (appended->size() != 1) {
    return absl::InternalError(absl::StrCat("a batch of one event gave ", appended->size(), " results"));
  }
  return appended->front();
}

std::vector<std::string> Ids(const std::vector<StoredEvent>& events) {
  std::vector<std::string> ids;
  for (const StoredEvent& event : events) ids.push_back(event.id);
  return ids;
}

std::vector<uint64_t> Cursors(const std::vector<StoredEvent>& events) {
  std::vector<uint64_t> cursors;
  for (const StoredEvent& event : events) cursors.push_back(event.cursor);
  return cursors;
}

// A fresh directory under the test temp dir, removed with its contents.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = absl::StrCat(::testing::TempDir(), "/event_log_test_", ::getpid(), "_", counter++);
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    std::filesystem::create_directories(path_, error);
    EXPECT_FALSE(error) << path_ << ": " << error.message();
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class EventLogConformanceTest : public ::testing::TestWithParam<EventLogFactory> {
 protected:
  void SetUp() override {
    log_ = Open();
    ASSERT_NE(log_, nullptr);
  }

  std::unique_ptr<EventLog> Open() {
    absl::StatusOr<std::unique_ptr<EventLog>> log = GetParam().open(dir_.path());
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *std::move(log) : nullptr;
  }

  // Closes the log and opens it again from the same place.
  void Reopen() {
    log_.reset();
    log_ = Open();
    ASSERT_NE(log_, nullptr);
  }

  EventLog::Appended Append(const StoredEvent& event) {
    absl::StatusOr<EventLog::Appended> appended = AppendOne(*log_, event);
    EXPECT_TRUE(appended.ok()) << appended.status();
    return appended.value_or(EventLog::Appended{});
  }

  std::vector<EventLog::Appended> AppendBatch(const std::vector<StoredEvent>& events) {
    absl::StatusOr<std::vector<EventLog::Appended>> appended = log_->AppendBatch(events);
    EXPECT_TRUE(appended.ok()) << appended.status();
    return appended.value_or(std::vector<EventLog::Appended>{});
  }

  std::vector<StoredEvent> Read(uint64_t after, size_t limit, const std::vector<std::string>& order_ids = {}) {
    absl::StatusOr<std::vector<StoredEvent>> events = log_->ReadAfter(after, limit, order_ids);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.value_or(std::vector<StoredEvent>{});
  }

  std::vector<StoredEvent> ReadAll() { return Read(0, std::numeric_limits<size_t>::max()); }

  EventLog::Bounds Bounds() {
    absl::StatusOr<EventLog::Bounds> bounds = log_->GetBounds();
    EXPECT_TRUE(bounds.ok()) << bounds.status();
    return bounds.value_or(EventLog::Bounds{});
  }

  int64_t Drop(absl::Time cutoff) {
    absl::StatusOr<int64_t> dropped = log_->DropReceivedBefore(cutoff);
    EXPECT_TRUE(dropped.ok()) << dropped.status();
    return dropped.value_or(-1);
  }

  ScratchDir dir_;
  std::unique_ptr<EventLog> log_;
};

TEST_P(EventLogConformanceTest, CursorsStartAtOneAndFollowAppendOrder) {
  StoredEvent first = Event("evt_a");
  first.cursor = 77;  // ignored
  EventLog::Appended a = Append(first);
  EventLog::Appended b = Append(Event("evt_b"));
  EventLog::Appended c = Append(Event("evt_c"));

  EXPECT_EQ(a.cursor, 1u);
  EXPECT_EQ(b.cursor, 2u);
  EXPECT_EQ(c.cursor, 3u);
  EXPECT_FALSE(a.duplicate || b.duplicate || c.duplicate);
  const std::vector<StoredEvent> events = ReadAll();
  EXPECT_THAT(Ids(events), ElementsAre("evt_a", "evt_b", "evt_c"));
  EXPECT_THAT(Cursors(events), ElementsAre(1, 2, 3));
}

TEST_P(EventLogConformanceTest, EveryFieldRoundTripsExactly) {
  StoredEvent full;
  full.id = "evt_01JZ9Q6W7P3K8M2N4R5T6V7X8Y";
  full.type = "order.completed";
  full.environment = v1::ENVIRONMENT_LIVE;
  full.created_at = absl::FromUnixMicros(-1'234'567);  // before the epoch, to the microsecond
  full.received_at = kT0 + absl::Microseconds(123'456);
  full.order_id = "ord_é_日本";
  full.user_id = "usr_日本_🚀";
  full.user_email = "Zoë Ångström <zoë@exämple.com> 🚀";
  // About 2 MB of JSON with escapes, quotes, newlines and multi-byte text.
  full.data = R"({"note":"line\nbreak \"quoted\" back\\slash \u0000 tab\t","items":[)";
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) full.data += ",";
    absl::StrAppend(&full.data, R"({"n":)", i, R"(,"name":"inbox-)", i, R"(-Ünïcødé-日本語-🚀","ok":true})");
  }
  full.data += "]}\n";

  StoredEvent empty;
  empty.id = "evt_empty";
  // Every other field empty, zero or unspecified.
  EXPECT_EQ(empty.environment, v1::ENVIRONMENT_UNSPECIFIED);

  StoredEvent sandbox = Event("evt_sandbox");
  sandbox.received_at = kT0 + absl::Microseconds(1);
  sandbox.created_at = kT0 - absl::Microseconds(999'999);

  Append(full);
  Append(empty);
  Append(sandbox);

  const std::vector<StoredEvent> events = ReadAll();
  ASSERT_THAT(events, SizeIs(3));
  EXPECT_THAT(events[0], HasContentsOf(full));
  EXPECT_THAT(events[1], HasContentsOf(empty));
  EXPECT_THAT(events[2], HasContentsOf(sandbox));
  EXPECT_EQ(events[0].data, full.data);  // said twice: a mismatch here prints the difference
}

TEST_P(EventLogConformanceTest, DuplicateIdReturnsTheFirstCursorAndChangesNothing) {
  const StoredEvent original = Event("evt_a", "ord_1", kT0);
  Append(original);
  Append(Event("evt_b"));

  StoredEvent again = Event("evt_a", "ord_2", kT0 + absl::Hours(1));
  again.type = "order.failed";
  again.data = R"({"other":true})";
  const EventLog::Appended duplicate = Append(again);

  EXPECT_EQ(duplicate.cursor, 1u);
  EXPECT_TRUE(duplicate.duplicate);
  EXPECT_EQ(Bounds().last, 2u);
  const std::vector<StoredEvent> events = ReadAll();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_THAT(events[0], HasContentsOf(original));
  EXPECT_EQ(events[0].cursor, 1u);

  const EventLog::Appended second = Append(Event("evt_b"));
  EXPECT_EQ(second.cursor, 2u);
  EXPECT_TRUE(second.duplicate);
  // A duplicate uses up no cursor.
  const EventLog::Appended next = Append(Event("evt_c"));
  EXPECT_EQ(next.cursor, 3u);
  EXPECT_FALSE(next.duplicate);
}

TEST_P(EventLogConformanceTest, ABatchIsStoredInOrderAndDeduplicatedWithinItself) {
  Append(Event("evt_stored"));
  const StoredEvent first_a = Event("evt_a", "ord_1");
  StoredEvent second_a = Event("evt_a", "ord_2");
  second_a.data = R"({"other":true})";

  const std::vector<EventLog::Appended> appended =
      AppendBatch({first_a, Event("evt_stored"), Event("evt_b"), second_a, Event("evt_c")});

  EXPECT_THAT(appended, ElementsAre(IsAppended(2u, false), IsAppended(1u, true), IsAppended(3u, false),
                                    IsAppended(2u, true), IsAppended(4u, false)));
  const std::vector<StoredEvent> events = ReadAll();
  EXPECT_THAT(Ids(events), ElementsAre("evt_stored", "evt_a", "evt_b", "evt_c"));
  ASSERT_THAT(events, SizeIs(4));
  EXPECT_THAT(events[1], HasContentsOf(first_a));
  EXPECT_EQ(Bounds().last, 4u);
}

TEST_P(EventLogConformanceTest, AnEmptyBatchStoresNothing) {
  EXPECT_THAT(AppendBatch({}), IsEmpty());
  EXPECT_EQ(Bounds().last, 0u);
  EXPECT_EQ(Append(Event("evt_a")).cursor, 1u);
}

TEST_P(EventLogConformanceTest, ReadAfterPagesWithLimitAndAfter) {
  for (int i = 1; i <= 10; ++i) Append(Event(absl::StrCat("evt_", i)));

  std::vector<size_t> page_sizes;
  std::vector<uint64_t> cursors;
  uint64_t after = 0;
  while (true) {
    const std::vector<StoredEvent> page = Read(after, 3);
    if (page.empty()) break;
    page_sizes.push_back(page.size());
    for (const StoredEvent& event : page) cursors.push_back(event.cursor);
    after = page.back().cursor;
    ASSERT_LE(page_sizes.size(), 10u);
  }
  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 3, 1));
  EXPECT_THAT(cursors, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

  EXPECT_THAT(Ids(Read(4, 2)), ElementsAre("evt_5", "evt_6"));
  EXPECT_THAT(Read(10, 5), IsEmpty());
  EXPECT_THAT(Read(0, 0), IsEmpty());
  EXPECT_THAT(Read(std::numeric_limits<uint64_t>::max(), 5), IsEmpty());
  EXPECT_THAT(Read(0, std::numeric_limits<size_t>::max()), SizeIs(10));
}

TEST_P(EventLogConformanceTest, ReadAfterFiltersByOrderIds) {
  Append(Event("evt_1", "ord_a"));
  Append(Event("evt_2", "ord_b"));
  Append(Event("evt_3", "ord_a"));
  Append(Event("evt_4", "ord_c"));
  Append(Event("evt_5", ""));
  Append(Event("evt_6", "ord_b"));
  Append(Event("evt_7", "ord_a"));
  const size_t kAll = 100;

  EXPECT_THAT(Cursors(Read(0, kAll, {"ord_a"})), ElementsAre(1, 3, 7));
  EXPECT_THAT(Cursors(Read(1, 1, {"ord_a"})), ElementsAre(3));
  EXPECT_THAT(Cursors(Read(3, kAll, {"ord_a"})), ElementsAre(7));
  EXPECT_THAT(Cursors(Read(0, kAll, {"ord_b", "ord_c"})), ElementsAre(2, 4, 6));
  EXPECT_THAT(Cursors(Read(0, kAll, {"ord_c", "ord_b", "ord_c"})), ElementsAre(2, 4, 6));
  EXPECT_THAT(Cursors(Read(2, 2, {"ord_b", "ord_c"})), ElementsAre(4, 6));
  EXPECT_THAT(Cursors(Read(0, kAll, {"ord_a", "ord_missing"})), ElementsAre(1, 3, 7));
  EXPECT_THAT(Read(0, kAll, {"ord_missing"}), IsEmpty());
  EXPECT_THAT(Read(0, kAll, {"ord_missing", "ord_gone"}), IsEmpty());
  EXPECT_THAT(Read(7, kAll, {"ord_a", "ord_b"}), IsEmpty());
  EXPECT_THAT(Cursors(Read(0, kAll, {})), ElementsAre(1, 2, 3, 4, 5, 6, 7));
}

TEST_P(EventLogConformanceTest, BoundsOfAnEmptyLogAreZero) {
  const EventLog::Bounds bounds = Bounds();
  EXPECT_EQ(bounds.pruned_through, 0u);
  EXPECT_EQ(bounds.last, 0u);
}

TEST_P(EventLogConformanceTest, BoundsFollowAppendsAndRetention) {
  Append(Event("evt_1", "ord_1", kT0));
  Append(Event("evt_2", "ord_1", kT0 + absl::Seconds(1)));
  Append(Event("evt_3", "ord_1", kT0 + absl::Seconds(2)));
  EXPECT_EQ(Bounds().pruned_through, 0u);
  EXPECT_EQ(Bounds().last, 3u);

  Append(Event("evt_2"));  // a duplicate
  EXPECT_EQ(Bounds().last, 3u);

  ASSERT_EQ(Drop(kT0 + absl::Seconds(2)), 2);
  EXPECT_EQ(Bounds().pruned_through, 2u);
  EXPECT_EQ(Bounds().last, 3u);

  ASSERT_EQ(Drop(absl::InfiniteFuture()), 1);
  EXPECT_EQ(Bounds().pruned_through, 3u);
  EXPECT_EQ(Bounds().last, 3u);

  Append(Event("evt_4", "ord_1", kT0 + absl::Seconds(3)));
  EXPECT_EQ(Bounds().pruned_through, 3u);
  EXPECT_EQ(Bounds().last, 4u);
}

TEST_P(EventLogConformanceTest, DropReceivedBeforeDeletesExactlyTheOlderEvents) {
  for (int i = 1; i <= 5; ++i) Append(Event(absl::StrCat("evt_", i), "ord_1", kT0 + absl::Seconds(i)));

  EXPECT_EQ(Drop(kT0), 0);
  EXPECT_EQ(Bounds().pruned_through, 0u);

  // evt_3, received exactly at the cutoff, stays.
  EXPECT_EQ(Drop(kT0 + absl::Seconds(3)), 2);
  EXPECT_THAT(Ids(ReadAll()), ElementsAre("evt_3", "evt_4", "evt_5"));
  EXPECT_EQ(Bounds().pruned_through, 2u);

  EXPECT_EQ(Drop(kT0 + absl::Seconds(3)), 0);
  EXPECT_EQ(Bounds().pruned_through, 2u);

  // Less than a microsecond after evt_3 is still after it.
  EXPECT_EQ(Drop(kT0 + absl::Seconds(3) + absl::Nanoseconds(1)), 1);
  EXPECT_THAT(Ids(ReadAll()), ElementsAre("evt_4", "evt_5"));
  EXPECT_EQ(Bounds().pruned_through, 3u);
  EXPECT_THAT(Cursors(Read(0, 100, {"ord_1"})), ElementsAre(4, 5));
}

TEST_P(EventLogConformanceTest, DroppedIdCanBeAppendedAgainUnderANewCursor) {
  Append(Event("evt_a", "ord_1", kT0));
  Append(Event("evt_b", "ord_1", kT0 + absl::Seconds(1)));
  ASSERT_EQ(Drop(kT0 + absl::Seconds(1)), 1);

  const StoredEvent again = Event("evt_a", "ord_1", kT0 + absl::Seconds(2));
  const EventLog::Appended appended = Append(again);
  EXPECT_EQ(appended.cursor, 3u);
  EXPECT_FALSE(appended.duplicate);
  const std::vector<StoredEvent> events = ReadAll();
  EXPECT_THAT(Cursors(events), ElementsAre(2, 3));
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_THAT(events[1], HasContentsOf(again));
}

TEST_P(EventLogConformanceTest, CursorsAreNotReusedAfterEveryEventIsDropped) {
  for (int i = 1; i <= 3; ++i) Append(Event(absl::StrCat("evt_", i)));
  ASSERT_EQ(Drop(absl::InfiniteFuture()), 3);
  EXPECT_THAT(ReadAll(), IsEmpty());

  EXPECT_EQ(Append(Event("evt_4")).cursor, 4u);
  ASSERT_EQ(Drop(absl::InfiniteFuture()), 1);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(Append(Event("evt_5")).cursor, 5u);
  EXPECT_EQ(Append(Event("evt_1")).cursor, 6u);
}

TEST_P(EventLogConformanceTest, EventsAndBoundsSurviveReopening) {
  StoredEvent live = Event("evt_2", "ord_ü", kT0 + absl::Seconds(1) + absl::Microseconds(7));
  live.environment = v1::ENVIRONMENT_LIVE;
  live.user_id = "";
  live.user_email = "";
  Append(Event("evt_1", "ord_1", kT0));
  Append(live);
  Append(Event("evt_3", "ord_1", kT0 + absl::Seconds(2)));
  ASSERT_EQ(Drop(kT0 + absl::Seconds(1)), 1);
  const std::vector<StoredEvent> before = ReadAll();

  ASSERT_NO_FATAL_FAILURE(Reopen());

  const std::vector<StoredEvent> after = ReadAll();
  ASSERT_THAT(after, SizeIs(2));
  EXPECT_THAT(Cursors(after), ElementsAre(2, 3));
  EXPECT_THAT(after[0], HasContentsOf(live));
  EXPECT_THAT(after[1], HasContentsOf(before[1]));
  EXPECT_EQ(Bounds().pruned_through, 1u);
  EXPECT_EQ(Bounds().last, 3u);
  const EventLog::Appended duplicate = Append(Event("evt_3"));
  EXPECT_TRUE(duplicate.duplicate);
  EXPECT_EQ(duplicate.cursor, 3u);
  EXPECT_EQ(Append(Event("evt_4")).cursor, 4u);
}

TEST_P(EventLogConformanceTest, ConcurrentAppendsGetUniqueContiguousCursors) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::vector<uint64_t>> cursors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &cursors] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<EventLog::Appended> appended =
            AppendOne(*log_, Event(absl::StrCat("evt_t", t, "_", i), absl::StrCat("ord_t", t)));
        EXPECT_TRUE(appended.ok()) << appended.status();
        if (appended.ok()) cursors[t].push_back(appended->cursor);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::map<uint64_t, std::string> id_at;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_THAT(cursors[t], SizeIs(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      if (i > 0) {
        EXPECT_GT(cursors[t][i], cursors[t][i - 1]) << "thread " << t;
      }
      EXPECT_TRUE(id_at.emplace(cursors[t][i], absl::StrCat("evt_t", t, "_", i)).second)
          << "cursor " << cursors[t][i] << " given twice";
    }
  }
  std::vector<uint64_t> expected_cursors;
  std::vector<std::string> expected_ids;
  for (const auto& [cursor, id] : id_at) {
    expected_cursors.push_back(cursor);
    expected_ids.push_back(id);
  }
  const std::vector<StoredEvent> events = ReadAll();
  EXPECT_THAT(Cursors(events), ElementsAreArray(expected_cursors));
  EXPECT_THAT(Ids(events), ElementsAreArray(expected_ids));
  ASSERT_THAT(events, SizeIs(kThreads * kPerThread));
  EXPECT_EQ(events.front().cursor, 1u);
  EXPECT_EQ(events.back().cursor, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(Bounds().last, uint64_t{kThreads * kPerThread});
}

TEST_P(EventLogConformanceTest, ConcurrentDuplicatesAreStoredOnce) {
  constexpr int kThreads = 8;
  constexpr int kIds = 12;
  absl::Mutex mu;
  std::map<std::string, std::vector<EventLog::Appended>> results;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &mu, &results] {
      for (int i = 0; i < kIds; ++i) {
        const std::string id = absl::StrCat("evt_", (i + t) % kIds);  // each thread in another order
        absl::StatusOr<EventLog::Appended> appended = AppendOne(*log_, Event(id));
        EXPECT_TRUE(appended.ok()) << appended.status();
        absl::MutexLock lock(&mu);
        if (appended.ok()) results[id].push_back(*appended);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  ASSERT_THAT(results, SizeIs(kIds));
  std::set<uint64_t> cursors;
  for (const auto& [id, appends] : results) {
    ASSERT_THAT(appends, SizeIs(kThreads)) << id;
    int stored = 0;
    for (const EventLog::Appended& appended : appends) {
      if (!appended.duplicate) ++stored;
      EXPECT_EQ(appended.cursor, appends.front().cursor) << id;
    }
    EXPECT_EQ(stored, 1) << id;
    cursors.insert(appends.front().cursor);
  }
  EXPECT_THAT(cursors, SizeIs(kIds));
  EXPECT_THAT(ReadAll(), SizeIs(kIds));
  EXPECT_EQ(Bounds().last, uint64_t{kIds});
}

// A reader that follows the log by its last cursor must not miss an event:
// no event may become visible after a later cursor already was.
TEST_P(EventLogConformanceTest, TailingReaderMissesNothingDuringConcurrentAppends) {
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 30;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([this, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        absl::StatusOr<EventLog::Appended> appended = AppendOne(*log_, Event(absl::StrCat("evt_w", w, "_", i)));
        EXPECT_TRUE(appended.ok()) << appended.status();
      }
    });
  }
  std::vector<StoredEvent> seen;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  uint64_t after = 0;
  while (seen.size() < kWriters * kPerWriter && absl::Now() < deadline) {
    absl::StatusOr<std::vector<StoredEvent>> page = log_->ReadAfter(after, 7, {});
    ASSERT_TRUE(page.ok()) << page.status();
    for (StoredEvent& event : *page) {
      EXPECT_GT(event.cursor, after);
      after = event.cursor;
      seen.push_back(std::move(event));
    }
    if (page->empty()) absl::SleepFor(absl::Milliseconds(1));
  }
  for (std::thread& writer : writers) writer.join();

  ASSERT_THAT(seen, SizeIs(kWriters * kPerWriter));
  const std::vector<std::string> seen_ids = Ids(seen);
  EXPECT_EQ(seen_ids, Ids(ReadAll()));
  EXPECT_EQ(std::set<std::string>(seen_ids.begin(), seen_ids.end()).size(), seen.size());
}

TEST_P(EventLogConformanceTest, FollowReturnsWhatIsStoredAfterTheCursorAtOnce) {
  Append(Event("evt_a"));
  Append(Event("evt_b"));
  Append(Event("evt_c"));
  absl::StatusOr<std::vector<StoredEvent>> events = log_->Follow(1, 10, absl::Seconds(30));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Ids(*events), ElementsAre("evt_b", "evt_c"));
  events = log_->Follow(0, 2, absl::Seconds(30));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Cursors(*events), ElementsAre(1, 2));
}

TEST_P(EventLogConformanceTest, FollowWithNothingNewReturnsNothingOnceItsWaitRanOut) {
  Append(Event("evt_a"));
  absl::StatusOr<std::vector<StoredEvent>> events = log_->Follow(1, 10, absl::Milliseconds(50));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(*events, IsEmpty());
}

TEST_P(EventLogConformanceTest, FollowIsWokenByAnAppendWithoutWaitingOutItsWait) {
  Append(Event("evt_a"));
  std::thread writer([this] {
    absl::SleepFor(absl::Milliseconds(100));
    Append(Event("evt_b"));
  });
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<StoredEvent>> events = log_->Follow(1, 10, absl::Seconds(60));
  writer.join();
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Ids(*events), ElementsAre("evt_b"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
}

// Another handle on the same log stands for another replica: what it
// stores, a follower here finds, within a few of its waits at most.
TEST_P(EventLogConformanceTest, FollowFindsWhatAnotherHandleStored) {
  std::unique_ptr<EventLog> other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(AppendOne(*other, Event("evt_elsewhere")).ok());
  std::vector<StoredEvent> seen;
  for (const absl::Time give_up = absl::Now() + absl::Seconds(10); seen.empty() && absl::Now() < give_up;) {
    absl::StatusOr<std::vector<StoredEvent>> events = log_->Follow(0, 10, absl::Milliseconds(200));
    ASSERT_TRUE(events.ok()) << events.status();
    seen = *std::move(events);
  }
  EXPECT_THAT(Ids(seen), ElementsAre("evt_elsewhere"));
}

absl::StatusOr<std::unique_ptr<EventLog>> OpenSqlite(const std::string& dir) {
  return SqliteEventLog::Open(dir + "/events.db");
}

// One redis-server for the whole binary; each directory is a key prefix of
// its own, so reopening a directory finds the same log.
absl::StatusOr<std::unique_ptr<EventLog>> OpenRedis(const std::string& dir) {
  static auto* const server = new absl::StatusOr<std::unique_ptr<testing::RedisServer>>(testing::RedisServer::Start());
  if (!server->ok()) return server->status();
  RedisEventLog::Options options;
  options.server.port = (**server)->port();
  options.prefix = absl::StrCat("event_log_test:", dir);
  return std::make_unique<RedisEventLog>(options);
}

INSTANTIATE_TEST_SUITE_P(Stores, EventLogConformanceTest,
                         ::testing::Values(EventLogFactory{"Sqlite", OpenSqlite}, EventLogFactory{"Redis", OpenRedis}),
                         [](const ::testing::TestParamInfo<EventLogFactory>& param) { return param.param.name; });

TEST(RedisEventLogTest, AnUnreachableServerIsUnavailableAndRetriedWithBackoff) {
  auto port = testing::FreeLoopbackPort();
  ASSERT_TRUE(port.ok());
  RedisEventLog::Options options;
  options.server.port = *port;
  RedisEventLog log(options);
  const auto first = log.GetBounds();
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(first.status().message(), HasSubstr(absl::StrCat("127.0.0.1:", *port)));
  // Within the backoff, calls fail with the same error without trying to
  // connect again.
  for (int i = 0; i < 1000; ++i) {
    const auto again = log.AppendBatch({Event(absl::StrCat("evt_", i))});
    ASSERT_EQ(again.status(), first.status());
  }
}

TEST(RedisEventLogTest, APasswordFromItsFileIsSentAndNeverShown) {
  const ScratchDir dir;
  const std::string password_path = dir.path() + "/redis.password";
  std::ofstream(password_path) << "bad-FAKE-password\n";
  testing::RedisServer::Options with_password;
  with_password.password = "right-FAKE-password";
  auto server = testing::RedisServer::Start(with_password);
  ASSERT_TRUE(server.ok()) << server.status();
  auto password = common::SecretFile::Open(password_path, absl::ZeroDuration());
  ASSERT_TRUE(password.ok()) << password.status();
  RedisEventLog::Options options;
  options.server.port = (*server)->port();
  options.server.password = *std::move(password);
  RedisEventLog log(options);
  const auto refused = log.GetBounds();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(refused.status().message(), HasSubstr("AUTH"));
  EXPECT_THAT(refused.status().message(), Not(HasSubstr("FAKE-password")));

  // The rotated file is read at the next connection, after the backoff.
  std::ofstream(password_path, std::ios::trunc) << "right-FAKE-password\n";
  absl::StatusOr<EventLog::Bounds> bounds = refused.status();
  for (const absl::Time give_up = absl::Now() + absl::Seconds(10); !bounds.ok() && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(50));
    bounds = log.GetBounds();
  }
  EXPECT_TRUE(bounds.ok()) << bounds.status();
}

// --- SqliteEventLog only ---------------------------------------------------

// A second connection to the file, for what the EventLog interface cannot
// reach.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), SQLITE_OK)
        << path;
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close_v2(db_); }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error != nullptr ? error : "");
    sqlite3_free(error);
  }

  // The first column of the first row of `sql`, as text ("" without a row).
  std::string Query(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    std::string value;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      if (text != nullptr) value = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(statement);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string FileContents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class SqliteEventLogTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteEventLog> Open() {
    absl::StatusOr<std::unique_ptr<SqliteEventLog>> log = SqliteEventLog::Open(path_);
    EXPECT_TRUE(log.ok()) << log.status();
    return log.ok() ? *std::move(log) : nullptr;
  }

  ScratchDir dir_;
  const std::string path_ = dir_.path() + "/events.db";
};

TEST_F(SqliteEventLogTest, OpenFailsWhenTheDirectoryIsMissing) {
  const std::string path = dir_.path() + "/missing/events.db";
  const absl::StatusOr<std::unique_ptr<SqliteEventLog>> log = SqliteEventLog::Open(path);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kFailedPrecondition) << log.status();
  EXPECT_THAT(log.status().message(), HasSubstr(path));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/missing"));
}

TEST_F(SqliteEventLogTest, OpenFailsOnAFileThatIsNotADatabase) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "this is a text file, not an event log\n";
  std::ofstream(path_, std::ios::binary) << text;

  const absl::StatusOr<std::unique_ptr<SqliteEventLog>> log = SqliteEventLog::Open(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kFailedPrecondition) << log.status();
  EXPECT_THAT(log.status().message(), HasSubstr(path_));
  EXPECT_THAT(log.status().message(), HasSubstr("not a database"));
  EXPECT_EQ(FileContents(path_), text);
}

TEST_F(SqliteEventLogTest, OpenRefusesAnUnknownSchemaVersion) {
  {
    std::unique_ptr<SqliteEventLog> log = Open();
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(AppendOne(*log, Event("evt_1")).ok());
  }
  RawDb(path_).Exec("PRAGMA user_version = 99");

  const absl::StatusOr<std::unique_ptr<SqliteEventLog>> log = SqliteEventLog::Open(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kFailedPrecondition) << log.status();
  EXPECT_THAT(log.status().message(), HasSubstr(path_));
  EXPECT_THAT(log.status().message(), HasSubstr("schema version 99"));
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("PRAGMA user_version"), "99");
  EXPECT_EQ(raw.Query("SELECT count(*) FROM events"), "1");
}

TEST_F(SqliteEventLogTest, AVersion1FileIsUpgradedWithTheCustomerOfEveryEvent) {
  // The schema of version 1: one `user` column, an email or else an id.
  RawDb(path_).Exec(R"sql(
CREATE TABLE events (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
  environment INTEGER NOT NULL, created_at_us INTEGER NOT NULL, received_at_us INTEGER NOT NULL,
  order_id TEXT NOT NULL, user TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX events_by_order_id ON events (order_id);
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
INSERT INTO meta (key, value) VALUES ('pruned_through', 0);
INSERT INTO events VALUES (1, 'evt_1', 'order.in_progress', 1, 0, 1778400000000000, 'ord_1', 'alex@acme.com',
  '{"order":{"id":"ord_1","status":"in_progress","user":{"id":"usr_1","email":"alex@acme.com"}}}');
INSERT INTO events VALUES (2, 'evt_2', 'order.completed', 1, 0, 1778400000000000, 'ord_1', '',
  '{"id":"ord_1","user_id":"usr_1","email":"alex@acme.com","status":"completed","domain_count":2}');
INSERT INTO events VALUES (3, 'evt_3', 'domain.connected', 1, 0, 1778400000000000, 'ord_1', '',
  '{"domain":{"name":"acme-mail.com","order_id":"ord_1"}}');
PRAGMA user_version = 1;
)sql");

  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  const absl::StatusOr<std::vector<StoredEvent>> events = log->ReadAfter(0, 10, {});
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_THAT(*events, SizeIs(3));
  for (int i : {0, 1}) {
    EXPECT_EQ((*events)[i].user_id, "usr_1") << (*events)[i].id;
    EXPECT_EQ((*events)[i].user_email, "alex@acme.com") << (*events)[i].id;
  }
  EXPECT_EQ((*events)[2].user_id, "");
  EXPECT_EQ((*events)[2].user_email, "");
  EXPECT_EQ(RawDb(path_).Query("PRAGMA user_version"), "2");
  // New events go on after the old ones.
  const absl::StatusOr<EventLog::Appended> appended = AppendOne(*log, Event("evt_4"));
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_THAT(*appended, IsAppended(4u, false));
}

TEST_F(SqliteEventLogTest, OpenRefusesAnotherApplicationsDatabase) {
  RawDb(path_).Exec("CREATE TABLE accounts (name TEXT)");

  const absl::StatusOr<std::unique_ptr<SqliteEventLog>> log = SqliteEventLog::Open(path_);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kFailedPrecondition) << log.status();
  EXPECT_THAT(log.status().message(), HasSubstr(path_));
  EXPECT_THAT(log.status().message(), HasSubstr("not an event log"));
  EXPECT_EQ(RawDb(path_).Query("SELECT group_concat(name) FROM sqlite_master"), "accounts");
}

TEST_F(SqliteEventLogTest, CreatesAVersionedSchemaInWalMode) {
  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  RawDb raw(path_);
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Query("PRAGMA user_version"), "2");
  // Reopening a file it created is fine.
  log.reset();
  EXPECT_NE(Open(), nullptr);
}

TEST_F(SqliteEventLogTest, ABatchWithAnEventWithoutAnIdIsRefusedWhole) {
  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  const absl::StatusOr<std::vector<EventLog::Appended>> appended = log->AppendBatch({Event("evt_1"), Event("")});
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kInvalidArgument) << appended.status();
  EXPECT_EQ(log->GetBounds()->last, 0u);
  EXPECT_THAT(*log->ReadAfter(0, 10, {}), IsEmpty());
}

TEST_F(SqliteEventLogTest, ABatchThatFailsHalfwayStoresNothing) {
  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(AppendOne(*log, Event("evt_0")).ok());
  // Fails one insert, after the batch's earlier events were inserted.
  RawDb(path_).Exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.id = 'evt_bad' BEGIN SELECT RAISE(ABORT, 'refused'); "
      "END");

  const absl::StatusOr<std::vector<EventLog::Appended>> appended =
      log->AppendBatch({Event("evt_1"), Event("evt_2"), Event("evt_bad"), Event("evt_3")});
  ASSERT_FALSE(appended.ok());
  EXPECT_THAT(appended.status().message(), HasSubstr("append (insert)"));
  EXPECT_THAT(Ids(*log->ReadAfter(0, 10, {})), ElementsAre("evt_0"));
  EXPECT_EQ(log->GetBounds()->last, 1u);

  // The transaction was rolled back, not left open: the next batch commits,
  // under the cursors the failed one did not keep.
  RawDb(path_).Exec("DROP TRIGGER refuse");
  const absl::StatusOr<std::vector<EventLog::Appended>> retried = log->AppendBatch({Event("evt_1"), Event("evt_2")});
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_THAT(*retried, ElementsAre(IsAppended(2u, false), IsAppended(3u, false)));
  EXPECT_THAT(Ids(*Open()->ReadAfter(0, 10, {})), ElementsAre("evt_0", "evt_1", "evt_2"));
}

TEST_F(SqliteEventLogTest, ReadAfterAcceptsUpToTheMaximumNumberOfOrderIds) {
  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(AppendOne(*log, Event("evt_1", "ord_7")).ok());
  std::vector<std::string> orders;
  for (size_t i = 0; i < SqliteEventLog::kMaxOrderIds; ++i) orders.push_back(absl::StrCat("ord_", i));

  const absl::StatusOr<std::vector<StoredEvent>> events = log->ReadAfter(0, 10, orders);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(Ids(*events), ElementsAre("evt_1"));

  orders.push_back("ord_one_too_many");
  EXPECT_EQ(log->ReadAfter(0, 10, orders).status().code(), absl::StatusCode::kInvalidArgument);
}

// Events received out of cursor order (concurrent appends, a clock step): an
// old event behind a newer one waits for it, so pruned_through stays exact.
TEST_F(SqliteEventLogTest, RetentionDeletesOnlyAPrefixOfTheLog) {
  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(AppendOne(*log, Event("evt_1", "ord_1", kT0)).ok());
  ASSERT_TRUE(AppendOne(*log, Event("evt_2", "ord_1", kT0 + absl::Seconds(10))).ok());
  ASSERT_TRUE(AppendOne(*log, Event("evt_3", "ord_1", kT0 + absl::Seconds(1))).ok());
  ASSERT_TRUE(AppendOne(*log, Event("evt_4", "ord_1", kT0 + absl::Seconds(20))).ok());

  EXPECT_EQ(*log->DropReceivedBefore(kT0 + absl::Seconds(5)), 1);
  EXPECT_THAT(Ids(*log->ReadAfter(0, 10, {})), ElementsAre("evt_2", "evt_3", "evt_4"));
  EXPECT_EQ(log->GetBounds()->pruned_through, 1u);

  EXPECT_EQ(*log->DropReceivedBefore(kT0 + absl::Seconds(15)), 2);
  EXPECT_THAT(Ids(*log->ReadAfter(0, 10, {})), ElementsAre("evt_4"));
  EXPECT_EQ(log->GetBounds()->pruned_through, 3u);
}

TEST_F(SqliteEventLogTest, ErrorsNameTheOperationAndNeverTheEvent) {
  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  RawDb other(path_);
  other.Exec("BEGIN IMMEDIATE");  // holds the write lock

  StoredEvent event = Event("evt_private_id", "ord_private");
  event.user_email = "private@example.com";
  event.data = R"({"login_password":"hunter2"})";
  const absl::StatusOr<EventLog::Appended> appended = AppendOne(*log, event);
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kUnavailable) << appended.status();
  EXPECT_THAT(appended.status().message(), HasSubstr("append"));
  EXPECT_THAT(appended.status().message(), HasSubstr(path_));
  for (const char* secret : {"private", "hunter2"}) EXPECT_THAT(appended.status().message(), Not(HasSubstr(secret)));
  // WAL: readers are not blocked by the writer.
  EXPECT_TRUE(log->ReadAfter(0, 10, {}).ok());
  EXPECT_TRUE(log->GetBounds().ok());

  other.Exec("ROLLBACK");
  const absl::StatusOr<EventLog::Appended> retried = AppendOne(*log, event);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->cursor, 1u);
  EXPECT_FALSE(retried->duplicate);
}

TEST_F(SqliteEventLogTest, AnAppendThatReturnedSurvivesSigkill) {
  constexpr int kEvents = 3;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    absl::StatusOr<std::unique_ptr<SqliteEventLog>> log = SqliteEventLog::Open(path_);
    if (!log.ok()) ::_exit(2);
    for (int i = 1; i <= kEvents; ++i) {
      if (!AppendOne(**log, Event(absl::StrCat("evt_", i))).ok()) ::_exit(3);
      if (::write(pipe_fds[1], "+", 1) != 1) ::_exit(4);
    }
    while (true) ::pause();  // killed with the log open and its WAL not checkpointed
  }
  ::close(pipe_fds[1]);
  int acknowledged = 0;
  char byte = 0;
  while (acknowledged < kEvents && ::read(pipe_fds[0], &byte, 1) == 1) ++acknowledged;
  ::close(pipe_fds[0]);
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_EQ(acknowledged, kEvents) << "child exit status " << wait_status;

  std::unique_ptr<SqliteEventLog> log = Open();
  ASSERT_NE(log, nullptr);
  EXPECT_THAT(Ids(*log->ReadAfter(0, 10, {})), ElementsAre("evt_1", "evt_2", "evt_3"));
  EXPECT_EQ(AppendOne(*log, Event("evt_4"))->cursor, 4u);
}

}  // namespace
}  // namespace gateway::events
