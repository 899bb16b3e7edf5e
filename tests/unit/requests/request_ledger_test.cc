// The request ledger's decisions, the same for SQLite and for a real
// redis-server, on a fake clock: a repeat with the same request gets the
// stored outcome, another request a conflict, a repeat while the first call
// runs waits, an unknown outcome is replayed or handed over to be settled,
// and after 24 hours the id is new again.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/requests/redis_request_ledger.h"
#include "server/events/sqlite_event_log.h"
#include "server/requests/sqlite_request_ledger.h"
#include "tests/integration/redis_server.h"

namespace gateway::requests {

void PrintTo(const Decision& decision, std::ostream* os) {
  *os << "{state " << static_cast<int>(decision.state) << ", outcome kind "
      << static_cast<int>(decision.outcome.kind) << ", body \"" << decision.outcome.body << "\"}";
}

namespace {

namespace v1 = ::peeker::partner::v1;
using State = Decision::State;
using Kind = Outcome::Kind;
using ::testing::IsEmpty;
using ::testing::Not;

const absl::Duration kLease = absl::Seconds(20);

// A clock the test moves, starting now: Redis's own expiry then stays in
// the future whatever the test does.
class FakeClock {
 public:
  absl::Time Now() {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mu_);
    now_ += by;
  }
  std::function<absl::Time()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  absl::Mutex mu_;
  // Whole microseconds, as the stores keep times.
  absl::Time now_ = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
};

// Opens the ledger under test in `dir` (an empty directory) on `clock`. A
// second open of the same dir stands for a second replica (or a restart).
struct LedgerFactory {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<RequestLedger>>(const std::string& dir, FakeClock& clock)> open;
};
void PrintTo(const LedgerFactory& factory, std::ostream* os) { *os << factory.name; }

class RequestLedgerTest : public ::testing::TestWithParam<LedgerFactory> {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = absl::StrCat(::testing::TempDir(), "/request_ledger_test_", ::getpid(), "_", counter++);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ledger_ = Open();
    ASSERT_NE(ledger_, nullptr);
    key_.environment = v1::ENVIRONMENT_SANDBOX;
    key_.method = "/peeker.partner.v1.BundleService/CreateBundle";
    key_.request_id = "8a1c3e52-6b0f-4d8e-9a37-1f2b3c4d5e6f";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<RequestLedger> Open() {
    auto ledger = GetParam().open(dir_, clock_);
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return ledger.ok() ? *std::move(ledger) : nullptr;
  }

  Decision Claim(RequestLedger& ledger, absl::string_view fingerprint = "fp-1", bool settle = false) {
    absl::StatusOr<Decision> decision = ledger.Claim(key_, fingerprint, kLease, settle);
    EXPECT_TRUE(decision.ok()) << decision.status();
    return decision.value_or(Decision());
  }
  Decision Claim(absl::string_view fingerprint = "fp-1", bool settle = false) {
    return Claim(*ledger_, fingerprint, settle);
  }

  std::string dir_;
  FakeClock clock_;
  std::unique_ptr<RequestLedger> ledger_;
  RequestKey key_;
};

TEST_P(RequestLedgerTest, TheFirstClaimOwnsTheIdAndARepeatGetsTheRecordedReply) {
  const Decision first = Claim();
  ASSERT_EQ(first.state, State::kNew);
  EXPECT_THAT(first.token, Not(IsEmpty()));
  const Outcome reply{Kind::kReply, std::string("\x0a\x03" "bun\x00\x01", 7)};
  ASSERT_TRUE(ledger_->Record(key_, first.token, reply).ok());

  // Another replica (or this one after a restart) finds the same.
  for (RequestLedger* ledger : {ledger_.get(), Open().release()}) {
    const Decision again = Claim(*ledger);
    EXPECT_EQ(again.state, State::kDone);
    EXPECT_EQ(again.outcome, reply);
    if (ledger != ledger_.get()) delete ledger;
  }
}

TEST_P(RequestLedgerTest, ARecordedErrorIsReplayedToo) {
  const Decision first = Claim();
  const Outcome error{Kind::kError, "status bytes"};
  ASSERT_TRUE(ledger_->Record(key_, first.token, error).ok());
  const Decision again = Claim();
  EXPECT_EQ(again.state, State::kDone);
  EXPECT_EQ(again.outcome, error);
}

TEST_P(RequestLedgerTest, TheSameIdWithAnotherRequestIsAConflictAndChangesNothing) {
  const Decision first = Claim("fp-1");
  ASSERT_TRUE(ledger_->Record(key_, first.token, {Kind::kReply, "reply"}).ok());
  EXPECT_EQ(Claim("fp-2").state, State::kConflict);
  EXPECT_EQ(Claim("fp-1").outcome, (Outcome{Kind::kReply, "reply"}));
}

TEST_P(RequestLedgerTest, TheKeyHoldsEnvironmentMethodAndId) {
  ASSERT_EQ(Claim().state, State::kNew);
  RequestKey other = key_;
  other.environment = v1::ENVIRONMENT_LIVE;
  EXPECT_EQ(ledger_->Claim(other, "fp-2", kLease, false)->state, State::kNew);
  other = key_;
  other.method = "/peeker.partner.v1.UserService/CreateUser";
  EXPECT_EQ(ledger_->Claim(other, "fp-2", kLease, false)->state, State::kNew);
  other = key_;
  other.request_id = "00000000-0000-4000-8000-000000000000";
  EXPECT_EQ(ledger_->Claim(other, "fp-2", kLease, false)->state, State::kNew);
}

TEST_P(RequestLedgerTest, ARepeatWhileTheFirstRunsIsInFlightUntilItsOutcome) {
  const Decision first = Claim();
  std::unique_ptr<RequestLedger> replica = Open();
  const Decision twin = Claim(*replica);
  EXPECT_EQ(twin.state, State::kInFlight);
  EXPECT_EQ(twin.lease_until, clock_.Now() + kLease);
  EXPECT_THAT(twin.token, IsEmpty());
  clock_.Advance(kLease - absl::Seconds(1));
  EXPECT_EQ(Claim(*replica).state, State::kInFlight);
  ASSERT_TRUE(ledger_->Record(key_, first.token, {Kind::kReply, "reply"}).ok());
  EXPECT_EQ(Claim(*replica).state, State::kDone);
}

TEST_P(RequestLedgerTest, OneOfManyConcurrentClaimsOwnsTheId) {
  std::vector<std::unique_ptr<RequestLedger>> replicas;
  for (int i = 0; i < 4; ++i) replicas.push_back(Open());
  std::atomic<int> owners{0}, in_flight{0};
  std::vector<std::thread> threads;
  for (auto& replica : replicas) {
    threads.emplace_back([&, ledger = replica.get()] {
      for (int i = 0; i < 5; ++i) {
        absl::StatusOr<Decision> decision = ledger->Claim(key_, "fp-1", kLease, false);
        ASSERT_TRUE(decision.ok()) << decision.status();
        (decision->state == State::kNew ? owners : in_flight)++;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(owners.load(), 1);
  EXPECT_EQ(in_flight.load(), 19);
}

TEST_P(RequestLedgerTest, AReleasedIdRunsAgain) {
  const Decision first = Claim();
  ASSERT_TRUE(ledger_->Release(key_, first.token).ok());
  const Decision again = Claim();
  EXPECT_EQ(again.state, State::kNew);
  EXPECT_NE(again.token, first.token);
  // The old token releases nothing now.
  ASSERT_TRUE(ledger_->Release(key_, first.token).ok());
  EXPECT_EQ(Claim().state, State::kInFlight);
}

TEST_P(RequestLedgerTest, AnUnknownOutcomeIsReplayedOrHandedOverToSettle) {
  const Decision first = Claim();
  const Outcome unknown{Kind::kUnknown, "unknown status"};
  ASSERT_TRUE(ledger_->Record(key_, first.token, unknown).ok());
  EXPECT_EQ(Claim("fp-1", /*settle=*/false).outcome, unknown);
  EXPECT_EQ(Claim("fp-1", /*settle=*/false).state, State::kDone);

  const Decision settler = Claim("fp-1", /*settle=*/true);
  ASSERT_EQ(settler.state, State::kUnsettled);
  EXPECT_EQ(settler.outcome, unknown);
  // While it settles, a repeat waits for it.
  EXPECT_EQ(Claim("fp-1", /*settle=*/true).state, State::kInFlight);
  ASSERT_TRUE(ledger_->Record(key_, settler.token, {Kind::kReply, "settled"}).ok());
  const Decision settled = Claim("fp-1", /*settle=*/true);
  EXPECT_EQ(settled.state, State::kDone);
  EXPECT_EQ(settled.outcome, (Outcome{Kind::kReply, "settled"}));
}

TEST_P(RequestLedgerTest, AClaimWhoseOwnerVanishedIsAnUnknownOutcomeOnceItsLeasePassed) {
  const Decision first = Claim();
  clock_.Advance(kLease);
  const Decision replay = Claim("fp-1", /*settle=*/false);
  EXPECT_EQ(replay.state, State::kDone);
  EXPECT_EQ(replay.outcome, (Outcome{Kind::kUnknown, ""}));

  const Decision settler = Claim("fp-1", /*settle=*/true);
  EXPECT_EQ(settler.state, State::kUnsettled);
  EXPECT_EQ(settler.outcome.kind, Kind::kUnknown);
  // The owner that came back too late cannot record over the settler.
  EXPECT_EQ(ledger_->Record(key_, first.token, {Kind::kReply, "late"}).code(), absl::StatusCode::kFailedPrecondition);
  // Nor release the settler's claim.
  ASSERT_TRUE(ledger_->Release(key_, first.token).ok());
  EXPECT_EQ(Claim("fp-1", /*settle=*/true).state, State::kInFlight);
  // A settler that vanished too leaves the unknown outcome, not a new id.
  clock_.Advance(kLease);
  EXPECT_EQ(Claim("fp-1", /*settle=*/false).outcome.kind, Kind::kUnknown);
}

TEST_P(RequestLedgerTest, AnOutcomeIsKept24HoursFromTheClaimThenTheIdIsNew) {
  const Decision first = Claim("fp-1");
  ASSERT_TRUE(ledger_->Record(key_, first.token, {Kind::kReply, "reply"}).ok());
  clock_.Advance(kRetention - absl::Seconds(1));
  EXPECT_EQ(Claim("fp-1").state, State::kDone);
  EXPECT_EQ(Claim("fp-2").state, State::kConflict);
  clock_.Advance(absl::Seconds(1));
  const Decision renewed = Claim("fp-2");
  EXPECT_EQ(renewed.state, State::kNew);
  EXPECT_NE(renewed.token, first.token);
}

absl::StatusOr<std::unique_ptr<RequestLedger>> OpenSqlite(const std::string& dir, FakeClock& clock) {
  SqliteRequestLedger::Options options;
  options.clock = clock.AsFunction();
  auto ledger = SqliteRequestLedger::Open(dir + "/events.db", options);
  if (!ledger.ok()) return ledger.status();
  return std::unique_ptr<RequestLedger>(*std::move(ledger));
}

absl::StatusOr<std::unique_ptr<RequestLedger>> OpenRedis(const std::string& dir, FakeClock& clock) {
  static auto* const server = new absl::StatusOr<std::unique_ptr<testing::RedisServer>>(testing::RedisServer::Start());
  if (!server->ok()) return server->status();
  RedisRequestLedger::Options options;
  options.server.port = (**server)->port();
  options.prefix = absl::StrCat("request_ledger_test:", dir);
  options.clock = clock.AsFunction();
  return std::make_unique<RedisRequestLedger>(std::move(options));
}

INSTANTIATE_TEST_SUITE_P(Stores, RequestLedgerTest,
                         ::testing::Values(LedgerFactory{"Sqlite", OpenSqlite}, LedgerFactory{"Redis", OpenRedis}),
                         [](const ::testing::TestParamInfo<LedgerFactory>& param) { return param.param.name; });

// The ledger's table sits beside the event log's in one file, whichever
// opens it first.
TEST(SqliteRequestLedgerTest, SharesTheEventLogsFile) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/request_ledger_shared_", ::getpid(), ".db");
  std::filesystem::remove(path);
  auto ledger = SqliteRequestLedger::Open(path);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  auto log = events::SqliteEventLog::Open(path);
  ASSERT_TRUE(log.ok()) << log.status();
  auto again = SqliteRequestLedger::Open(path);
  ASSERT_TRUE(again.ok()) << again.status();
  std::filesystem::remove(path);
}

TEST(SqliteRequestLedgerTest, AnUnopenableFileIsAnErrorNamingIt) {
  auto ledger = SqliteRequestLedger::Open("/nonexistent-dir/events.db");
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(ledger.status().message()), ::testing::HasSubstr("/nonexistent-dir/events.db"));
}

}  // namespace
}  // namespace gateway::requests
