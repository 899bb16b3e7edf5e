// The gRPC services that front the Partner API. Each RPC is one line that
// says whether it reads or writes: the endpoint it runs
// (server/partner/*_api.h) does validation, encoding and decoding,
// PartnerClient does the call; these classes only adapt the callback API to
// it, and audit the writes.
#ifndef SERVER_SERVICE_PARTNER_SERVICES_H_
#define SERVER_SERVICE_PARTNER_SERVICES_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "peeker/partner/v1/account.grpc.pb.h"
#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "peeker/partner/v1/swap.grpc.pb.h"
#include "peeker/partner/v1/user.grpc.pb.h"
#include "server/partner/account_api.h"
#include "server/partner/bundle_api.h"
#include "server/partner/domain_api.h"
#include "server/partner/order_api.h"
#include "server/partner/partner_client.h"
#include "server/partner/swap_api.h"
#include "server/partner/user_api.h"
#include "server/service/unary_call.h"

namespace gateway::service {

// A service implementation of `Service` that forwards to a PartnerClient.
template <typename Service>
class PartnerService : public Service::CallbackService {
 public:
  // `request_ids` keeps the writes with a request_id to one run.
  PartnerService(partner::PartnerClient* partner, RequestIds* request_ids)
      : partner_(partner), request_ids_(request_ids) {}

 protected:
  // "/<package>.<Service>/<rpc>", the path of the RPC and of its policy rules.
  static std::string MethodPath(absl::string_view rpc) {
    return absl::StrCat("/", Service::service_full_name(), "/", rpc);
  }

  partner::PartnerClient* const partner_;
  RequestIds* const request_ids_;
};

// RPC `Rpc` of a PartnerService runs the endpoint `partner::kRpc`. A
// GATEWAY_PARTNER_WRITE changes state at the Partner: it is audited, and
// kept to one run per request_id.
#define GATEWAY_PARTNER_START(Rpc)                                                \
  [this, request](auto env, absl::Time deadline, auto done) {                     \
    partner_->Call(env, partner::k##Rpc, *request, deadline, std::move(done));    \
  }
#define GATEWAY_PARTNER_SIGNATURE(Rpc)                                            \
  grpc::ServerUnaryReactor* Rpc(grpc::CallbackServerContext* context,             \
                                const ::peeker::partner::v1::Rpc##Request* request, \
                                ::peeker::partner::v1::Rpc##Response* reply) override
#define GATEWAY_PARTNER_READ(Rpc)                                                              \
  GATEWAY_PARTNER_SIGNATURE(Rpc) {                                                             \
    static const std::string path = MethodPath(#Rpc);                                          \
    return ForwardUnary(path, Effect::kRead, context, request, reply, GATEWAY_PARTNER_START(Rpc)); \
  }
#define GATEWAY_PARTNER_WRITE(Rpc)                                                                         \
  GATEWAY_PARTNER_SIGNATURE(Rpc) {                                                                         \
    static const std::string path = MethodPath(#Rpc);                                                      \
    return ForwardWrite(path, request_ids_, context, request, reply, GATEWAY_PARTNER_START(Rpc));          \
  }

class GrpcAccountService final : public PartnerService<peeker::partner::v1::AccountService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_READ(GetAccount)
};

class GrpcUserService final : public PartnerService<peeker::partner::v1::UserService> {
 public:
  using PartnerService::PartnerService;
  // An unknown outcome settles by looking the email up: the Partner keeps
  // one user per email, so the user found is the one the call created, and
  // none found means it did not happen.
  GATEWAY_PARTNER_SIGNATURE(CreateUser) {
    static const std::string path = MethodPath("CreateUser");
    return ForwardWrite(
        path, request_ids_, context, request, reply, GATEWAY_PARTNER_START(CreateUser),
        [this, request](auto env, absl::Time deadline, auto settled) {
          peeker::partner::v1::ListUsersRequest lookup;
          lookup.set_email(request->email());
          partner_->Call(env, partner::kListUsers, lookup, deadline,
                         [email = request->email(), settled = std::move(settled)](
                             absl::StatusOr<peeker::partner::v1::ListUsersResponse> users, absl::string_view) mutable {
                           if (!users.ok()) return std::move(settled)(users.status());
                           std::optional<peeker::partner::v1::CreateUserResponse> created;
                           for (const peeker::partner::v1::User& user : users->users()) {
                             if (absl::EqualsIgnoreCase(user.email(), email)) *created.emplace().mutable_user() = user;
                           }
                           std::move(settled)(std::move(created));
                         });
        });
  }
  GATEWAY_PARTNER_READ(ListUsers)
  GATEWAY_PARTNER_READ(GetUser)
  GATEWAY_PARTNER_WRITE(UpdateUser)
  GATEWAY_PARTNER_WRITE(DeleteUser)
};

class GrpcBundleService final : public PartnerService<peeker::partner::v1::BundleService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_WRITE(CreateBundle)
  GATEWAY_PARTNER_READ(ListBundles)
  GATEWAY_PARTNER_READ(GetBundle)
  GATEWAY_PARTNER_WRITE(UpdateBundle)
  GATEWAY_PARTNER_WRITE(DeleteBundle)
};

class GrpcDomainService final : public PartnerService<peeker::partner::v1::DomainService> {
 public:
  using PartnerService::PartnerService;
  // Batched by PartnerClient beyond the Partner's 50 names per call.
  grpc::ServerUnaryReactor* CheckAvailability(grpc::CallbackServerContext* context,
                                              const peeker::partner::v1::CheckAvailabilityRequest* request,
                                              peeker::partner::v1::CheckAvailabilityResponse* reply) override {
    static const std::string path = MethodPath("CheckAvailability");
    return ForwardUnary(path, Effect::kRead, context, request, reply,
                        [this, request](auto env, absl::Time deadline, auto done) {
                          partner_->CheckAvailability(env, *request, deadline, std::move(done));
                        });
  }
  GATEWAY_PARTNER_WRITE(ImportDomains)
  GATEWAY_PARTNER_READ(LookupDomainImports)
  GATEWAY_PARTNER_READ(GetDomainImport)
  GATEWAY_PARTNER_WRITE(CreateDomainImportJob)
  GATEWAY_PARTNER_READ(GetDomainImportJob)
  GATEWAY_PARTNER_READ(ListDomains)
  GATEWAY_PARTNER_WRITE(SetDomainForwarding)
  GATEWAY_PARTNER_READ(GetForwardingJob)
};

class GrpcOrderService final : public PartnerService<peeker::partner::v1::OrderService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_WRITE(PlaceOrder)
  GATEWAY_PARTNER_READ(ListOrders)
  GATEWAY_PARTNER_READ(ListPendingActions)
  GATEWAY_PARTNER_WRITE(CancelOrder)
};

class GrpcSwapService final : public PartnerService<peeker::partner::v1::SwapService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_WRITE(CreateSwap)
  GATEWAY_PARTNER_READ(ListSwaps)
  GATEWAY_PARTNER_READ(GetSwap)
  GATEWAY_PARTNER_WRITE(CreateUserNameSwap)
};

#undef GATEWAY_PARTNER_WRITE
#undef GATEWAY_PARTNER_READ
#undef GATEWAY_PARTNER_SIGNATURE
#undef GATEWAY_PARTNER_START

}  // namespace gateway::service

#endif  // SERVER_SERVICE_PARTNER_SERVICES_H_
