// UserService through the real stack: generated stubs → partner-gateway →
// partner-sandbox. One stack serves the suite, so every test makes its own
// users with emails no other test uses.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peeker/partner/v1/user.grpc.pb.h"
#include "tests/integration/stack.h"

namespace gateway::testing {
namespace {

namespace v1 = ::peeker::partner::v1;
using peeker::partner::client::Describe;
using ::testing::Contains;
using ::testing::Not;
using ::testing::StartsWith;


v1::CreateUserRequest NewUser(const std::string& email) {
  v1::CreateUserRequest request;
  request.set_email(email);
  request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);
  return request;
}

class UsersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto stack = Stack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    users_ = v1::UserService::NewStub(stack_->channel());
  }

  static void TearDownTestSuite() {
    users_.reset();
    stack_.reset();
  }

  void SetUp() override { ASSERT_NE(stack_, nullptr) << "the stack did not start"; }

  // Runs one RPC with the client's deadline and environment.
  template <typename Request, typename Reply>
  static grpc::Status Call(grpc::Status (v1::UserService::Stub::*rpc)(grpc::ClientContext*, const Request&, Reply*),
                           const Request& request, Reply* reply) {
    std::unique_ptr<grpc::ClientContext> context = stack_->Client().NewContext();
    return (users_.get()->*rpc)(context.get(), request, reply);
  }

  static v1::User Create(const std::string& email) {
    v1::CreateUserResponse reply;
    const grpc::Status status = Call(&v1::UserService::Stub::CreateUser, NewUser(email), &reply);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return reply.user();
  }

  static grpc::Status Delete(const std::string& user_id, v1::DeleteUserResponse* reply) {
    v1::DeleteUserRequest request;
    request.set_user_id(user_id);
    return Call(&v1::UserService::Stub::DeleteUser, request, reply);
  }

  static size_t PartnerCalls() {
    auto requests = stack_->SandboxRequests();
    EXPECT_TRUE(requests.ok()) << requests.status();
    return requests.ok() ? requests->size() : 0;
  }

  static std::vector<std::string> Ids(const v1::ListUsersResponse& page) {
    std::vector<std::string> ids;
    for (const v1::User& user : page.users()) ids.push_back(user.id());
    return ids;
  }

  static inline std::unique_ptr<Stack> stack_;
  static inline std::unique_ptr<v1::UserService::Stub> users_;
};

TEST_F(UsersTest, CreateUserReturnsTheNewUser) {
  v1::CreateUserRequest request = NewUser("alex@create.users-test.example");
  request.set_first_name("Alex");
  request.set_last_name("Rivera");
  request.mutable_sequencer()->set_client_id(366903);
  v1::CreateUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::CreateUser, request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  const v1::User& user = reply.user();
  EXPECT_THAT(user.id(), StartsWith("usr_"));
  EXPECT_EQ(user.email(), "alex@create.users-test.example");
  EXPECT_EQ(user.first_name(), "Alex");
  EXPECT_EQ(user.last_name(), "Rivera");
  EXPECT_EQ(user.status(), v1::USER_STATUS_ACTIVE);
  EXPECT_EQ(user.sequencer().provider(), v1::SEQUENCER_PROVIDER_SMARTLEAD);
  EXPECT_EQ(user.sequencer().client_id(), 366903);
  EXPECT_GT(user.created_at().seconds(), 0);

  // Without a client id the user takes the partner's default route.
  const v1::User plain = Create("sam@create.users-test.example");
  EXPECT_FALSE(plain.sequencer().has_client_id());
  EXPECT_EQ(plain.first_name(), "");
}

TEST_F(UsersTest, CreateUserWithAnEmailInUseIsAlreadyExists) {
  Create("taken@create.users-test.example");
  v1::CreateUserResponse reply;
  const grpc::Status status =
      Call(&v1::UserService::Stub::CreateUser, NewUser("taken@create.users-test.example"), &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::ALREADY_EXISTS, "email_taken", {}, "email"}))
      << Describe(status);
}

TEST_F(UsersTest, CreateUserIsValidatedBeforeAnyPartnerCall) {
  const size_t calls = PartnerCalls();
  v1::CreateUserRequest request;
  request.set_email("not-an-address");
  v1::CreateUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::CreateUser, request, &reply);
  EXPECT_EQ(FailureOf(status),
            (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"email", "sequencer"}, ""}))
      << Describe(status);
  EXPECT_EQ(PartnerCalls(), calls);
}

TEST_F(UsersTest, ListUsersFiltersByEmailAndStatus) {
  const v1::User kept = Create("kept@list.users-test.example");
  const v1::User gone = Create("gone@list.users-test.example");
  v1::DeleteUserResponse deleted;
  ASSERT_TRUE(Delete(gone.id(), &deleted).ok());

  v1::ListUsersRequest by_email;
  by_email.set_email("kept@list.users-test.example");
  v1::ListUsersResponse page;
  grpc::Status status = Call(&v1::UserService::Stub::ListUsers, by_email, &page);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(page.users_size(), 1);
  EXPECT_EQ(page.users(0).id(), kept.id());
  EXPECT_EQ(page.users(0).email(), kept.email());
  EXPECT_TRUE(page.next_page_token().empty());

  v1::ListUsersRequest by_status;
  by_status.set_status(v1::USER_STATUS_DELETED);
  status = Call(&v1::UserService::Stub::ListUsers, by_status, &page);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(Ids(page), Contains(gone.id()));
  EXPECT_THAT(Ids(page), Not(Contains(kept.id())));
  for (const v1::User& user : page.users()) EXPECT_EQ(user.status(), v1::USER_STATUS_DELETED);
}

TEST_F(UsersTest, ListUsersPagesThroughEveryUser) {
  std::vector<std::string> created;
  for (int i = 0; i < 3; ++i) created.push_back(Create(absl::StrCat("p", i, "@pages.users-test.example")).id());
  v1::ListUsersRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    v1::ListUsersResponse page;
    const grpc::Status status = Call(&v1::UserService::Stub::ListUsers, request, &page);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_LE(page.users_size(), 2);
    for (const std::string& id : Ids(page)) seen.push_back(id);
    request.set_page_token(page.next_page_token());
    ASSERT_LT(++pages, 100);
  } while (!request.page_token().empty());
  EXPECT_GE(pages, 2);
  for (const std::string& id : created) EXPECT_THAT(seen, Contains(id));
}

TEST_F(UsersTest, ListUsersRejectsAPageTokenOfOtherFilters) {
  Create("t1@token.users-test.example");
  Create("t2@token.users-test.example");
  v1::ListUsersRequest request;
  request.set_page_size(1);
  v1::ListUsersResponse page;
  ASSERT_TRUE(Call(&v1::UserService::Stub::ListUsers, request, &page).ok());
  ASSERT_FALSE(page.next_page_token().empty());

  const size_t calls = PartnerCalls();
  request.set_page_token(page.next_page_token());
  request.set_status(v1::USER_STATUS_ACTIVE);
  const grpc::Status status = Call(&v1::UserService::Stub::ListUsers, request, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_EQ(FailureOf(status).fields, std::vector<std::string>{"page_token"});
  EXPECT_EQ(PartnerCalls(), calls);
}

TEST_F(UsersTest, GetUserReturnsTheUser) {
  const v1::User created = Create("dana@get.users-test.example");
  v1::GetUserRequest request;
  request.set_user_id(created.id());
  v1::GetUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::GetUser, request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(reply.user().id(), created.id());
  EXPECT_EQ(reply.user().email(), "dana@get.users-test.example");
  EXPECT_EQ(reply.user().status(), v1::USER_STATUS_ACTIVE);
}

TEST_F(UsersTest, GetUserOfAnUnknownIdIsNotFound) {
  v1::GetUserRequest request;
  request.set_user_id("usr_00000000000000000000000000");
  v1::GetUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::GetUser, request, &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, ""})) << Describe(status);

  request.set_user_id("..");
  const grpc::Status bad = Call(&v1::UserService::Stub::GetUser, request, &reply);
  EXPECT_EQ(FailureOf(bad), (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"user_id"}, ""}))
      << Describe(bad);
}

TEST_F(UsersTest, UpdateUserChangesOnlyWhatIsSet) {
  v1::CreateUserRequest create = NewUser("old@update.users-test.example");
  create.set_first_name("Robin");
  create.mutable_sequencer()->set_client_id(42);
  v1::CreateUserResponse created;
  ASSERT_TRUE(Call(&v1::UserService::Stub::CreateUser, create, &created).ok());

  v1::UpdateUserRequest request;
  request.set_user_id(created.user().id());
  request.set_email("new@update.users-test.example");
  request.set_last_name("Okafor");
  request.mutable_sequencer()->set_provider(v1::SEQUENCER_PROVIDER_SMARTLEAD);  // Back to the default route.
  v1::UpdateUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::UpdateUser, request, &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(reply.user().email(), "new@update.users-test.example");
  EXPECT_EQ(reply.user().first_name(), "Robin");
  EXPECT_EQ(reply.user().last_name(), "Okafor");
  EXPECT_FALSE(reply.user().sequencer().has_client_id());

  v1::GetUserRequest get;
  get.set_user_id(created.user().id());
  v1::GetUserResponse fetched;
  ASSERT_TRUE(Call(&v1::UserService::Stub::GetUser, get, &fetched).ok());
  EXPECT_EQ(fetched.user().email(), "new@update.users-test.example");
  EXPECT_EQ(fetched.user().last_name(), "Okafor");
}

TEST_F(UsersTest, UpdateUserToAnEmailInUseIsAlreadyExists) {
  Create("first@conflict.users-test.example");
  const v1::User second = Create("second@conflict.users-test.example");
  v1::UpdateUserRequest request;
  request.set_user_id(second.id());
  request.set_email("first@conflict.users-test.example");
  v1::UpdateUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::UpdateUser, request, &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::ALREADY_EXISTS, "email_taken", {}, "email"}))
      << Describe(status);
}

TEST_F(UsersTest, UpdateUserWithNothingToChangeIsRejectedLocally) {
  const v1::User user = Create("same@noop.users-test.example");
  const size_t calls = PartnerCalls();
  v1::UpdateUserRequest request;
  request.set_user_id(user.id());
  v1::UpdateUserResponse reply;
  const grpc::Status status = Call(&v1::UserService::Stub::UpdateUser, request, &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"user_id"}, ""}))
      << Describe(status);
  EXPECT_EQ(PartnerCalls(), calls);
}

TEST_F(UsersTest, DeleteUserKeepsADeletedRecordOnce) {
  const v1::User user = Create("bye@delete.users-test.example");
  v1::DeleteUserResponse reply;
  grpc::Status status = Delete(user.id(), &reply);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(reply.user().id(), user.id());
  EXPECT_EQ(reply.user().status(), v1::USER_STATUS_DELETED);

  status = Delete(user.id(), &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, ""})) << Describe(status);

  v1::UpdateUserRequest update;
  update.set_user_id(user.id());
  update.set_first_name("Again");
  v1::UpdateUserResponse updated;
  status = Call(&v1::UserService::Stub::UpdateUser, update, &updated);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::NOT_FOUND, "not_found", {}, ""})) << Describe(status);

  v1::GetUserRequest get;
  get.set_user_id(user.id());
  v1::GetUserResponse fetched;
  ASSERT_TRUE(Call(&v1::UserService::Stub::GetUser, get, &fetched).ok());
  EXPECT_EQ(fetched.user().status(), v1::USER_STATUS_DELETED);

  // Only active users hold their email.
  EXPECT_NE(Create("bye@delete.users-test.example").id(), user.id());
}

TEST_F(UsersTest, DeleteUserWithoutAnIdIsRejectedLocally) {
  const size_t calls = PartnerCalls();
  v1::DeleteUserResponse reply;
  const grpc::Status status = Delete("", &reply);
  EXPECT_EQ(FailureOf(status), (Failure{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"user_id"}, ""}))
      << Describe(status);
  EXPECT_EQ(PartnerCalls(), calls);
}

}  // namespace
}  // namespace gateway::testing
