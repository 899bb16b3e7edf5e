// Several gateways sharing one real redis-server (AOF, `appendfsync always`)
// as their event log, as replicas of one Deployment do: events cross
// replicas, cursors mean the same on each, an event id is stored once, and a
// Redis outage costs webhooks a 503 and streams an UNAVAILABLE, never an
// acknowledged event or a unary call.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/order_event.grpc.pb.h"
#include "server/redis/redis_client.h"
#include "tests/integration/redis_server.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

using Reader = grpc::ClientReader<v1::StreamOrderEventsResponse>;

// One gateway (with its own partner-sandbox) whose event log is `redis`.
std::unique_ptr<Stack> Replica(const RedisServer& redis) {
  Stack::Options options;
  options.webhooks = true;
  options.gateway_args = {"--event-log", absl::StrCat("redis://127.0.0.1:", redis.port())};
  auto stack = Stack::Start(options);
  EXPECT_TRUE(stack.ok()) << stack.status();
  return stack.ok() ? *std::move(stack) : nullptr;
}

struct Stream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<Reader> reader;
};

Stream Open(Stack& stack, const std::string& order_id, const std::string& resume_after) {
  Stream stream;
  stream.context = std::make_unique<grpc::ClientContext>();
  stream.context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::StreamOrderEventsRequest request;
  request.add_order_ids(order_id);
  request.set_resume_after(resume_after);
  stream.reader = v1::OrderEventService::NewStub(stack.channel())->StreamOrderEvents(stream.context.get(), request);
  return stream;
}

std::vector<v1::OrderEvent> Read(Stream& stream, size_t count) { return ReadEvents(*stream.reader, count); }

std::vector<std::string> Ids(const std::vector<v1::OrderEvent>& events) {
  std::vector<std::string> ids;
  for (const v1::OrderEvent& event : events) ids.push_back(event.id());
  return ids;
}

void Post(Stack& stack, const std::string& event_id, const std::string& order_id) {
  const WebhookAnswer answer = PostWebhook(stack.webhook_port(), event_id, order_id);
  ASSERT_EQ(answer.status, 200) << answer.body;
}

grpc::health::v1::HealthCheckResponse::ServingStatus EventStoreHealth(Stack& stack) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("event-store");
  grpc::health::v1::HealthCheckResponse reply;
  const grpc::Status status =
      grpc::health::v1::Health::NewStub(stack.channel())->Check(ContextWithDeadline().get(), request, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply.status();
}

// Polls until the event store's health name reads `want` (or 20 s passed).
bool AwaitEventStoreHealth(Stack& stack, grpc::health::v1::HealthCheckResponse::ServingStatus want) {
  for (const absl::Time give_up = absl::Now() + absl::Seconds(20); absl::Now() < give_up;) {
    if (EventStoreHealth(stack) == want) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

std::string Get(int port, const std::string& path) {
  httplib::Client admin("127.0.0.1", port);
  auto result = admin.Get(path);
  return result ? result->body : "";
}

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    a_ = Replica(*redis_);
    ASSERT_NE(a_, nullptr);
    b_ = Replica(*redis_);
    ASSERT_NE(b_, nullptr);
  }

  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<Stack> a_;
  std::unique_ptr<Stack> b_;
};

TEST_F(FleetTest, WebhooksPostedToAReachASubscriberOnB) {
  Post(*a_, "evt_fleet_cross_1", "ord_cross");
  Stream on_b = Open(*b_, "ord_cross", "0");
  ASSERT_THAT(Ids(Read(on_b, 1)), ElementsAre("evt_fleet_cross_1"));  // Replayed from the shared log…
  Post(*a_, "evt_fleet_cross_2", "ord_cross");
  Post(*a_, "evt_fleet_cross_3", "ord_cross");
  EXPECT_THAT(Ids(Read(on_b, 2)), ElementsAre("evt_fleet_cross_2", "evt_fleet_cross_3"));  // …and live.
}

TEST_F(FleetTest, TheSameEventPostedToAAndBAtOnceIsStoredOnceAndStreamedOnce) {
  for (int round = 0; round < 10; ++round) {
    const std::string id = absl::StrCat("evt_fleet_twice_", round);
    std::atomic<bool> go{false};
    WebhookAnswer answers[2];
    std::vector<std::thread> posters;
    for (int i = 0; i < 2; ++i) {
      posters.emplace_back([&, i] {
        while (!go) {
        }
        answers[i] = PostWebhook((i == 0 ? *a_ : *b_).webhook_port(), id, "ord_twice");
      });
    }
    go = true;
    for (std::thread& poster : posters) poster.join();
    EXPECT_EQ(answers[0].status, 200) << answers[0].body;
    EXPECT_EQ(answers[1].status, 200) << answers[1].body;
    // One of them stored it, the other found it stored.
    EXPECT_NE(absl::StrContains(answers[0].body, "duplicate"), absl::StrContains(answers[1].body, "duplicate"))
        << answers[0].body << " / " << answers[1].body;
  }
  Post(*b_, "evt_fleet_twice_end", "ord_twice");
  std::vector<std::string> expected;
  for (int round = 0; round < 10; ++round) expected.push_back(absl::StrCat("evt_fleet_twice_", round));
  expected.push_back("evt_fleet_twice_end");
  for (Stack* stack : {a_.get(), b_.get()}) {
    Stream stream = Open(*stack, "ord_twice", "0");
    EXPECT_THAT(Ids(Read(stream, expected.size())), ElementsAreArray(expected));
  }
}

TEST_F(FleetTest, AStreamCutOnAResumesOnBWithExactlyTheRest) {
  for (int i = 1; i <= 4; ++i) Post(*a_, absl::StrCat("evt_fleet_rest_", i), "ord_rest");
  std::string cursor;
  {
    Stream on_a = Open(*a_, "ord_rest", "0");
    const std::vector<v1::OrderEvent> first = Read(on_a, 2);
    ASSERT_THAT(Ids(first), ElementsAre("evt_fleet_rest_1", "evt_fleet_rest_2"));
    cursor = first.back().cursor();
    on_a.context->TryCancel();
  }
  Stream on_b = Open(*b_, "ord_rest", cursor);
  EXPECT_THAT(Ids(Read(on_b, 2)), ElementsAre("evt_fleet_rest_3", "evt_fleet_rest_4"));
  Post(*b_, "evt_fleet_rest_5", "ord_rest");
  EXPECT_THAT(Ids(Read(on_b, 1)), ElementsAre("evt_fleet_rest_5"));
}

TEST_F(FleetTest, ASubscriberOfAKilledReplicaResumesOnTheOtherWithNothingLostOrRepeated) {
  constexpr int kEvents = 60;
  std::atomic<int> posted{0};
  // Webhooks keep coming, to whichever replica is up, as the Service would
  // route them.
  std::thread partner([&] {
    for (int i = 0; i < kEvents; ++i) {
      const std::string id = absl::StrCat("evt_fleet_kill_", i);
      WebhookAnswer answer = PostWebhook(b_->webhook_port(), id, "ord_kill");
      EXPECT_EQ(answer.status, 200) << answer.body;
      ++posted;
      absl::SleepFor(absl::Milliseconds(10));
    }
  });
  std::vector<v1::OrderEvent> seen;
  {
    Stream on_a = Open(*a_, "ord_kill", "0");
    seen = Read(on_a, 10);
    ASSERT_EQ(seen.size(), 10u);
    a_->gateway().Signal(SIGKILL);
    ASSERT_TRUE(a_->gateway().Wait(absl::Seconds(10)).has_value());
    // What A sent before it died counts; the stream then ends.
    for (v1::OrderEvent& event : Read(on_a, kEvents)) seen.push_back(std::move(event));
  }
  Stream on_b = Open(*b_, "ord_kill", seen.back().cursor());
  for (v1::OrderEvent& event : Read(on_b, kEvents - seen.size())) seen.push_back(std::move(event));
  partner.join();
  std::vector<std::string> expected;
  for (int i = 0; i < kEvents; ++i) expected.push_back(absl::StrCat("evt_fleet_kill_", i));
  EXPECT_THAT(Ids(seen), ElementsAreArray(expected));
}

// redis-server dies (SIGKILL) after acknowledging events, and comes back
// from its AOF: nothing acknowledged is lost, and the gateway recovers by
// itself. Meanwhile webhooks get 503, streams UNAVAILABLE, the store's
// health name NOT_SERVING, and unary calls go on.
TEST_F(FleetTest, ARedisCrashLosesNoAcknowledgedEventAndEverythingRecoversOnItsOwn) {
  for (int i = 1; i <= 3; ++i) Post(*a_, absl::StrCat("evt_fleet_crash_", i), "ord_crash");
  Stream live = Open(*a_, "ord_crash", "0");
  ASSERT_EQ(Read(live, 3).size(), 3u);

  redis_->Kill();
  // The open stream ends with UNAVAILABLE, for its client to resume.
  EXPECT_THAT(Read(live, 1), ::testing::IsEmpty());
  const grpc::Status ended = live.reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE) << ended.error_message();
  EXPECT_THAT(ended.error_message(), HasSubstr("event store is unavailable"));

  ASSERT_TRUE(AwaitEventStoreHealth(*a_, grpc::health::v1::HealthCheckResponse::NOT_SERVING));
  EXPECT_THAT(Get(a_->admin_port(), "/readyz"), HasSubstr("event-store: NOT_SERVING"));
  EXPECT_THAT(Get(a_->admin_port(), "/metrics"), HasSubstr("gateway_event_store_up 0\n"));
  const WebhookAnswer refused = PostWebhook(a_->webhook_port(), "evt_fleet_crash_refused", "ord_crash");
  EXPECT_EQ(refused.status, 503) << refused.body;
  Stream refused_stream = Open(*b_, "ord_crash", "0");
  EXPECT_THAT(Read(refused_stream, 1), ::testing::IsEmpty());
  EXPECT_EQ(refused_stream.reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  v1::GetAccountResponse account;
  const grpc::Status unary = v1::AccountService::NewStub(a_->channel())
                                 ->GetAccount(ContextWithDeadline().get(), v1::GetAccountRequest(), &account);
  EXPECT_TRUE(unary.ok()) << unary.error_message();

  ASSERT_TRUE(redis_->Restart().ok());
  for (Stack* stack : {a_.get(), b_.get()}) {
    EXPECT_TRUE(AwaitEventStoreHealth(*stack, grpc::health::v1::HealthCheckResponse::SERVING));
  }
  EXPECT_THAT(Get(a_->admin_port(), "/metrics"), HasSubstr("gateway_event_store_up 1\n"));
  // The Partner retries what got a 503; it is stored now.
  Post(*a_, "evt_fleet_crash_refused", "ord_crash");
  Post(*b_, "evt_fleet_crash_4", "ord_crash");
  Stream resumed = Open(*b_, "ord_crash", "0");
  EXPECT_THAT(Ids(Read(resumed, 5)), ElementsAre("evt_fleet_crash_1", "evt_fleet_crash_2", "evt_fleet_crash_3",
                                                 "evt_fleet_crash_refused", "evt_fleet_crash_4"));
}

// A stream opened from now and cut before its first event resumes where it
// started, which its first message (a heartbeat) told the client, so the
// events stored while it was cut still reach it. The C++ client resumes on
// its channel: A, restarted on the same port, after B stored the events.
TEST_F(FleetTest, AStreamFromNowCutBeforeItsFirstEventMissesNothingStoredInTheGap) {
  auto port = FreeLoopbackPort();
  ASSERT_TRUE(port.ok());
  Stack::Options options;
  options.webhooks = true;
  options.gateway_args = {"--event-log", absl::StrCat("redis://127.0.0.1:", redis_->port()), "--grpc-listen",
                          absl::StrCat("127.0.0.1:", *port)};
  auto restartable = Stack::Start(options);
  ASSERT_TRUE(restartable.ok()) << restartable.status();
  Stack& a = **restartable;
  Post(*b_, "evt_fleet_gap_before", "ord_gap");  // Stored before the stream: not for it.

  std::vector<std::string> resumed_after;
  std::vector<std::string> seen;
  std::thread subscriber([&] {
    auto client = a.Client();
    v1::StreamOrderEventsRequest request;
    request.add_order_ids("ord_gap");
    const grpc::Status status = client.StreamOrderEvents(
        request, std::chrono::system_clock::now() + std::chrono::seconds(30),
        [&](const v1::OrderEvent& event) {
          seen.push_back(event.id());
          return seen.size() < 3;
        },
        [&](const grpc::Status&, const std::string& cursor) { resumed_after.push_back(cursor); });
    EXPECT_TRUE(status.ok()) << status.error_message();
  });
  // The stream is open once A counts its subscriber; its first message, the
  // heartbeat, follows at once.
  for (const absl::Time give_up = absl::Now() + absl::Seconds(10);
       !absl::StrContains(Get(a.admin_port(), "/metrics"), "gateway_event_subscribers 1\n") && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  absl::SleepFor(absl::Milliseconds(200));
  a.gateway().Signal(SIGKILL);
  ASSERT_TRUE(a.gateway().Wait(absl::Seconds(10)).has_value());
  for (int i = 1; i <= 3; ++i) Post(*b_, absl::StrCat("evt_fleet_gap_", i), "ord_gap");
  ASSERT_TRUE(a.StartGateway().ok());
  subscriber.join();
  EXPECT_THAT(seen, ElementsAre("evt_fleet_gap_1", "evt_fleet_gap_2", "evt_fleet_gap_3"));
  ASSERT_FALSE(resumed_after.empty());
  EXPECT_NE(resumed_after.front(), "");  // The start cursor, not "from now" again.
}

v1::CreateBundleRequest BundleWithId(const std::string& request_id) {
  v1::CreateBundleRequest request;
  request.set_name("Fleet");
  request.set_monthly_sending_volume(25000);
  request.set_request_id(request_id);
  return request;
}

grpc::Status CreateBundle(Stack& stack, const v1::CreateBundleRequest& request, v1::CreateBundleResponse* reply) {
  return v1::BundleService::Stub(stack.channel()).CreateBundle(stack.Client().NewContext().get(), request, reply);
}

// Each replica has its own partner-sandbox here, so the Partner calls of the
// fleet are the sum of what both received.
size_t BundlesCreated(Stack& a, Stack& b) {
  return a.SandboxRequestsTo("POST", "/bundles").size() + b.SandboxRequestsTo("POST", "/bundles").size();
}

TEST_F(FleetTest, TheSameRequestIdSentToTwoReplicasMakesOnePartnerCall) {
  const v1::CreateBundleRequest request = BundleWithId("0c9f4e2a-6d1b-4f3e-8a2c-5b7d9e1f3a5c");
  v1::CreateBundleResponse on_a, on_b;
  ASSERT_TRUE(CreateBundle(*a_, request, &on_a).ok());
  const grpc::Status repeated = CreateBundle(*b_, request, &on_b);
  ASSERT_TRUE(repeated.ok()) << repeated.error_message();
  EXPECT_EQ(on_b.bundle().id(), on_a.bundle().id());
  EXPECT_EQ(BundlesCreated(*a_, *b_), 1u);
  EXPECT_EQ(b_->RequestIdDecisions("replayed"), 1);
}

TEST_F(FleetTest, ATwinOnAnotherReplicaWaitsForTheFirstCallsOutcome) {
  ASSERT_TRUE(a_->InjectFault({{"method", "POST"}, {"path", "/partner/v1/bundles"}, {"delay_ms", 800}}).ok());
  const v1::CreateBundleRequest request = BundleWithId("1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6");
  v1::CreateBundleResponse on_a, on_b;
  grpc::Status status_a;
  std::thread first([&] { status_a = CreateBundle(*a_, request, &on_a); });
  while (a_->RequestIdDecisions("new") < 1) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  const grpc::Status status_b = CreateBundle(*b_, request, &on_b);
  first.join();
  ASSERT_TRUE(status_a.ok()) << status_a.error_message();
  ASSERT_TRUE(status_b.ok()) << status_b.error_message();
  EXPECT_EQ(on_b.bundle().id(), on_a.bundle().id());
  EXPECT_EQ(BundlesCreated(*a_, *b_), 1u);
  EXPECT_EQ(b_->RequestIdDecisions("waited"), 1);
}

// Without the ledger a write with a request id cannot be kept to one run, so
// it is refused before anything is sent, with RetryInfo; a write without
// one runs as before.
TEST_F(FleetTest, WhileRedisIsDownAWriteWithARequestIdIsRefusedUnsent) {
  redis_->Kill();
  v1::CreateBundleResponse reply;
  const grpc::Status refused = CreateBundle(*a_, BundleWithId("2e3f4a5b-6c7d-4e8f-9a0b-c1d2e3f4a5b6"), &reply);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_THAT(refused.error_message(), HasSubstr("nothing was sent"));
  EXPECT_TRUE(DetailsOf(refused).retry_info.has_value());
  EXPECT_EQ(BundlesCreated(*a_, *b_), 0u);
  const grpc::Status without_id = CreateBundle(*a_, BundleWithId(""), &reply);
  EXPECT_TRUE(without_id.ok()) << without_id.error_message();
  EXPECT_EQ(BundlesCreated(*a_, *b_), 1u);
}

// With --redis-min-replicas, a webhook is acknowledged only once a Redis
// replica holds it too; without the replica it is a 503, for the Partner to
// retry.
TEST(FleetDurabilityTest, WithMinReplicasAWebhookIsAcknowledgedOnlyOnceARedisReplicaHasIt) {
  auto primary = RedisServer::Start();
  ASSERT_TRUE(primary.ok()) << primary.status();
  RedisServer::Options replica_options;
  replica_options.replica_of = (*primary)->port();
  auto replica = RedisServer::Start(replica_options);
  ASSERT_TRUE(replica.ok()) << replica.status();
  Stack::Options options;
  options.webhooks = true;
  options.gateway_args = {"--event-log", absl::StrCat("redis://127.0.0.1:", (*primary)->port()),
                          "--redis-min-replicas", "1"};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  Post(**stack, "evt_fleet_replicated", "ord_replicated");
  redis::RedisClient::Options replica_address;
  replica_address.port = (*replica)->port();
  redis::RedisClient on_replica(replica_address);
  auto length = on_replica.Command({"XLEN", "partner-gateway:events:log"}, "XLEN");
  ASSERT_TRUE(length.ok()) << length.status();
  EXPECT_EQ(length->integer, 1);

  (*replica)->Kill();
  const WebhookAnswer refused = PostWebhook((*stack)->webhook_port(), "evt_fleet_unreplicated", "ord_replicated");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("only 0 of the 1 Redis replicas"));
}

// The Redis password comes from its file, is re-read when the file changes,
// and never shows in the gateway's output or answers.
TEST(FleetDurabilityTest, TheRedisPasswordIsReadFromItsFileWhenItChangesAndNeverShown) {
  constexpr char kWrong[] = "FAKE-redis-old-password";
  constexpr char kRight[] = "FAKE-redis-rotated-password-2";
  RedisServer::Options with_password;
  with_password.password = kRight;
  auto redis = RedisServer::Start(with_password);
  ASSERT_TRUE(redis.ok()) << redis.status();
  const std::string password_file = ::testing::TempDir() + "/fleet-redis.password";
  std::ofstream(password_file, std::ios::trunc) << kWrong << "\n";
  Stack::Options options;
  options.webhooks = true;
  options.gateway_args = {"--event-log", absl::StrCat("redis://127.0.0.1:", (*redis)->port()),
                          "--redis-password-file", password_file};
  auto stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  const WebhookAnswer refused = PostWebhook((*stack)->webhook_port(), "evt_fleet_password", "ord_password");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("AUTH"));

  std::ofstream(password_file, std::ios::trunc) << kRight << "\n";
  WebhookAnswer stored;
  for (const absl::Time give_up = absl::Now() + absl::Seconds(30); stored.status != 200 && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(200));
    stored = PostWebhook((*stack)->webhook_port(), "evt_fleet_password", "ord_password");
  }
  EXPECT_EQ(stored.status, 200) << stored.body;
  EXPECT_TRUE(AwaitEventStoreHealth(**stack, grpc::health::v1::HealthCheckResponse::SERVING));
  const std::string everything = absl::StrCat((*stack)->gateway().Output(), refused.body, stored.body,
                                              Get((*stack)->admin_port(), "/readyz"),
                                              Get((*stack)->admin_port(), "/metrics"));
  EXPECT_THAT(everything, Not(HasSubstr("FAKE-redis")));
}

// Three replicas with a budget of 60 calls a minute, driven at three times
// that: the one partner-sandbox they all call (itself limited to 60 a
// minute) sees at most 60 and answers none with 429.
TEST(FleetBudgetTest, ThreeReplicasTogetherKeepToOneBudget) {
  constexpr int kLimit = 60;
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  std::vector<std::unique_ptr<Stack>> replicas;
  std::string partner_url;
  for (int i = 0; i < 3; ++i) {
    Stack::Options options;
    options.sandbox_args = {"--rate-limit", absl::StrCat(kLimit)};
    options.gateway_args = {"--event-log", absl::StrCat("redis://127.0.0.1:", (*redis)->port()),
                            "--partner-rate-limit", absl::StrCat(kLimit), "--fleet-size", "3"};
    // Every replica calls the first one's sandbox: one Partner.
    if (!partner_url.empty()) options.gateway_args.insert(options.gateway_args.end(), {"--partner-base-url", partner_url});
    auto stack = Stack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    if (partner_url.empty()) partner_url = absl::StrCat("http://127.0.0.1:", (*stack)->sandbox_port(), "/partner/v1");
    replicas.push_back(*std::move(stack));
  }
  std::atomic<int> ok{0};
  std::atomic<int> exhausted{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 3 * kLimit; ++i) {
    callers.emplace_back([&, i] {
      v1::ListBundlesResponse reply;
      const grpc::Status status = v1::BundleService::NewStub(replicas[i % 3]->channel())
                                      ->ListBundles(ContextWithDeadline(std::chrono::seconds(5)).get(),
                                                    v1::ListBundlesRequest(), &reply);
      if (status.ok()) ++ok;
      if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++exhausted;
      EXPECT_THAT(status.error_code(), AnyOf(grpc::StatusCode::OK, grpc::StatusCode::RESOURCE_EXHAUSTED))
          << status.error_message();
    });
  }
  for (std::thread& caller : callers) caller.join();
  auto requests = replicas[0]->SandboxRequests(/*with_readiness_checks=*/true);
  ASSERT_TRUE(requests.ok()) << requests.status();
  // All within a few seconds, so within one window: readiness checks count
  // in the budget too.
  EXPECT_LE(requests->size(), static_cast<size_t>(kLimit));
  for (const nlohmann::json& request : *requests) EXPECT_NE(request["status"], 429) << request.dump();
  EXPECT_EQ(ok + exhausted, 3 * kLimit);
  EXPECT_GE(ok, kLimit - 6);  // Up to two readiness checks per replica took the rest.
  EXPECT_LE(ok, kLimit);
}

}  // namespace
}  // namespace gateway::testing
