// The C++ client's defaults against fake gateway services on loopback: a
// write gets a request_id that its retries keep, the service config retries
// the safe methods on UNAVAILABLE and the writes on UNAVAILABLE and ABORTED,
// and StreamOrderEvents resumes a cut stream after its last cursor.
#include "peeker/partner/client/gateway_client.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::GatewayClient;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::MatchesRegex;
using ::testing::Pair;
using ::testing::SizeIs;

// GetAccount fails with UNAVAILABLE once, then with ABORTED; CreateBundle
// fails with UNAVAILABLE, then ABORTED, then answers. Both record what they
// received.
class FlakyServices final : public v1::AccountService::Service, public v1::BundleService::Service {
 public:
  grpc::Status GetAccount(grpc::ServerContext*, const v1::GetAccountRequest*, v1::GetAccountResponse*) override {
    return ++get_account_calls == 1 ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again")
                                    : grpc::Status(grpc::StatusCode::ABORTED, "not for a read");
  }
  grpc::Status CreateBundle(grpc::ServerContext*, const v1::CreateBundleRequest* request,
                            v1::CreateBundleResponse*) override {
    absl::MutexLock lock(&mu);
    request_ids.push_back(request->request_id());
    if (request_ids.size() % 3 == 1) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again");
    if (request_ids.size() % 3 == 2) return grpc::Status(grpc::StatusCode::ABORTED, "its twin is running");
    return grpc::Status::OK;
  }

  std::atomic<int> get_account_calls{0};
  absl::Mutex mu;
  std::vector<std::string> request_ids ABSL_GUARDED_BY(mu);
};

// Each call is scripted: the events it sends (cursors), then how it ends.
class ScriptedEvents final : public v1::OrderEventService::Service {
 public:
  struct Call {
    std::vector<std::string> cursors;
    grpc::Status end;
  };
  explicit ScriptedEvents(std::vector<Call> script) : script_(std::move(script)) {}

  grpc::Status StreamOrderEvents(grpc::ServerContext*, const v1::StreamOrderEventsRequest* request,
                                 grpc::ServerWriter<v1::StreamOrderEventsResponse>* writer) override {
    const size_t n = resume_after.size();
    resume_after.push_back(request->resume_after());
    if (n >= script_.size()) return grpc::Status(grpc::StatusCode::INTERNAL, "unscripted call");
    for (const std::string& cursor : script_[n].cursors) {
      v1::StreamOrderEventsResponse response;
      response.mutable_event()->set_cursor(cursor);
      writer->Write(response);
    }
    return script_[n].end;
  }

  // The resume_after of every call, in order.
  std::vector<std::string> resume_after;

 private:
  const std::vector<Call> script_;
};

// One server on a loopback port for `services`.
std::pair<std::unique_ptr<grpc::Server>, std::string> Serve(const std::vector<grpc::Service*>& services) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  return {std::move(server), "127.0.0.1:" + std::to_string(port)};
}

TEST(GatewayClientTest, AReadIsRetriedOnUnavailableOnly) {
  FlakyServices services;
  auto [server, target] = Serve({static_cast<v1::AccountService::Service*>(&services)});
  GatewayClient client = GatewayClient::Connect(target, {});
  v1::GetAccountResponse account;
  EXPECT_EQ(client.account()->GetAccount(client.NewContext().get(), {}, &account).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(services.get_account_calls, 2);
  server->Shutdown();
}

TEST(GatewayClientTest, AWriteGetsARequestIdThatItsRetriesKeep) {
  FlakyServices services;
  auto [server, target] = Serve({static_cast<v1::BundleService::Service*>(&services)});
  GatewayClient client = GatewayClient::Connect(target, {});

  v1::CreateBundleRequest request;
  request.set_name("Starter");
  v1::CreateBundleResponse bundle;
  const grpc::Status status = client.CreateBundle(request, &bundle);
  EXPECT_TRUE(status.ok()) << peeker::partner::client::Describe(status);
  EXPECT_TRUE(request.request_id().empty()) << "the caller's request is left as it was";
  // A second logical call gets an id of its own; an id the caller set is
  // kept.
  const grpc::Status second = client.bundles()->CreateBundle(client.NewContext().get(), request, &bundle);
  EXPECT_TRUE(second.ok()) << peeker::partner::client::Describe(second);
  // (Through a server of its own: gRPC's retry throttle, kept per server
  // name, is down to half its tokens after four failures.)
  auto [other_server, other_target] = Serve({static_cast<v1::BundleService::Service*>(&services)});
  request.set_request_id("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
  EXPECT_TRUE(GatewayClient::Connect(other_target, {}).CreateBundle(request, &bundle).ok());
  other_server->Shutdown();

  absl::MutexLock lock(&services.mu);
  ASSERT_THAT(services.request_ids, SizeIs(9));
  const std::string first = services.request_ids[0];
  EXPECT_THAT(first, MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_THAT(std::vector(services.request_ids.begin(), services.request_ids.begin() + 3), Each(first));
  EXPECT_THAT(std::vector(services.request_ids.begin() + 3, services.request_ids.begin() + 6),
              Each(services.request_ids[3]));
  EXPECT_NE(services.request_ids[3], first);
  EXPECT_THAT(std::vector(services.request_ids.begin() + 6, services.request_ids.end()),
              Each("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"));
  server->Shutdown();
}

TEST(GatewayClientTest, NewRequestIdIsARandomVersion4Uuid) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = peeker::partner::client::NewRequestId();
    ASSERT_THAT(id, MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    ids.insert(id);
  }
  EXPECT_THAT(ids, SizeIs(1000));
}

TEST(GatewayClientTest, StreamOrderEventsResumesAfterTheLastCursorUntilAnotherError) {
  ScriptedEvents events({
      {{"1", "2"}, grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting")},
      {{}, grpc::Status(grpc::StatusCode::CANCELLED, "stopping")},
      {{"3"}, grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "fell behind")},
      {{}, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad cursor")},
  });
  auto [server, target] = Serve({&events});
  GatewayClient client = GatewayClient::Connect(target, {});

  v1::StreamOrderEventsRequest request;
  request.set_resume_after("0");
  std::vector<std::string> received;
  std::vector<std::pair<grpc::StatusCode, std::string>> resumes;
  const grpc::Status status = client.StreamOrderEvents(
      request, std::chrono::system_clock::now() + std::chrono::seconds(30),
      [&](const v1::OrderEvent& event) {
        received.push_back(event.cursor());
        return true;
      },
      [&](const grpc::Status& cut, const std::string& resume_after) {
        resumes.emplace_back(cut.error_code(), resume_after);
      });

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(received, ElementsAre("1", "2", "3"));
  EXPECT_THAT(events.resume_after, ElementsAre("0", "2", "2", "3"));
  EXPECT_THAT(resumes, ElementsAre(Pair(grpc::StatusCode::UNAVAILABLE, "2"), Pair(grpc::StatusCode::CANCELLED, "2"),
                                   Pair(grpc::StatusCode::RESOURCE_EXHAUSTED, "3")));
  server->Shutdown();
}

TEST(GatewayClientTest, StreamOrderEventsStopsWhenTheCallerDoes) {
  ScriptedEvents events({{{"1", "2", "3"}, grpc::Status::OK}});
  auto [server, target] = Serve({&events});
  GatewayClient client = GatewayClient::Connect(target, {});

  std::vector<std::string> received;
  const grpc::Status status = client.StreamOrderEvents(
      {}, std::chrono::system_clock::now() + std::chrono::seconds(30), [&](const v1::OrderEvent& event) {
        received.push_back(event.cursor());
        return event.cursor() != "2";
      });

  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(received, ElementsAre("1", "2"));
  EXPECT_EQ(events.resume_after.size(), 1u);
  server->Shutdown();
}

}  // namespace
}  // namespace gateway::testing
