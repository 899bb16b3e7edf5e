// The C++ client's defaults against fake gateway services on loopback: the
// service config retries the safe methods only, and StreamOrderEvents
// resumes a cut stream after its last cursor.
#include "peeker/partner/client/gateway_client.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::GatewayClient;
using ::testing::ElementsAre;
using ::testing::Pair;

// GetAccount fails with UNAVAILABLE once, then answers; CreateBundle always
// fails with UNAVAILABLE.
class FlakyServices final : public v1::AccountService::Service, public v1::BundleService::Service {
 public:
  grpc::Status GetAccount(grpc::ServerContext*, const v1::GetAccountRequest*, v1::GetAccountResponse*) override {
    return ++get_account_calls == 1 ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again") : grpc::Status::OK;
  }
  grpc::Status CreateBundle(grpc::ServerContext*, const v1::CreateBundleRequest*,
                            v1::CreateBundleResponse*) override {
    ++create_bundle_calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again");
  }

  std::atomic<int> get_account_calls{0};
  std::atomic<int> create_bundle_calls{0};
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

TEST(GatewayClientTest, TheServiceConfigRetriesOnlyTheSafeMethods) {
  FlakyServices services;
  auto [server, target] = Serve({static_cast<v1::AccountService::Service*>(&services),
                                 static_cast<v1::BundleService::Service*>(&services)});
  GatewayClient client = GatewayClient::Connect(target, {});

  v1::GetAccountResponse account;
  EXPECT_TRUE(client.account()->GetAccount(client.NewContext().get(), {}, &account).ok());
  EXPECT_EQ(services.get_account_calls, 2);

  v1::CreateBundleResponse bundle;
  EXPECT_EQ(client.CreateBundle({}, &bundle).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(services.create_bundle_calls, 1);
  server->Shutdown();
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
