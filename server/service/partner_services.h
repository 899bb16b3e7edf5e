// The gRPC services that front the Partner API. Each RPC is one line: the
// endpoint it runs (server/partner/*_api.h) does validation, encoding and
// decoding, PartnerClient does the call; these classes only adapt the
// callback API to it.
#ifndef SERVER_SERVICE_PARTNER_SERVICES_H_
#define SERVER_SERVICE_PARTNER_SERVICES_H_

#include <utility>

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

// A service implementation that forwards to a PartnerClient.
template <typename CallbackService>
class PartnerService : public CallbackService {
 public:
  explicit PartnerService(partner::PartnerClient* partner) : partner_(partner) {}

 protected:
  partner::PartnerClient* const partner_;
};

// RPC `Rpc` of a PartnerService runs the endpoint `partner::kRpc`.
#define GATEWAY_PARTNER_RPC(Rpc)                                                                               \
  grpc::ServerUnaryReactor* Rpc(grpc::CallbackServerContext* context,                                         \
                                const ::peeker::partner::v1::Rpc##Request* request,                           \
                                ::peeker::partner::v1::Rpc##Response* reply) override {                       \
    return ForwardUnary(#Rpc, context, reply, [this, request](auto env, absl::Time deadline, auto done) {     \
      partner_->Call(env, partner::k##Rpc, *request, deadline, std::move(done));                              \
    });                                                                                                        \
  }

class GrpcAccountService final : public PartnerService<peeker::partner::v1::AccountService::CallbackService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_RPC(GetAccount)
};

class GrpcUserService final : public PartnerService<peeker::partner::v1::UserService::CallbackService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_RPC(CreateUser)
  GATEWAY_PARTNER_RPC(ListUsers)
  GATEWAY_PARTNER_RPC(GetUser)
  GATEWAY_PARTNER_RPC(UpdateUser)
  GATEWAY_PARTNER_RPC(DeleteUser)
};

class GrpcBundleService final : public PartnerService<peeker::partner::v1::BundleService::CallbackService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_RPC(CreateBundle)
  GATEWAY_PARTNER_RPC(ListBundles)
  GATEWAY_PARTNER_RPC(GetBundle)
  GATEWAY_PARTNER_RPC(UpdateBundle)
  GATEWAY_PARTNER_RPC(DeleteBundle)
};

class GrpcDomainService final : public PartnerService<peeker::partner::v1::DomainService::CallbackService> {
 public:
  using PartnerService::PartnerService;
  // Batched by PartnerClient beyond the Partner's 50 names per call.
  grpc::ServerUnaryReactor* CheckAvailability(grpc::CallbackServerContext* context,
                                              const peeker::partner::v1::CheckAvailabilityRequest* request,
                                              peeker::partner::v1::CheckAvailabilityResponse* reply) override {
    return ForwardUnary("CheckAvailability", context, reply,
                        [this, request](auto env, absl::Time deadline, auto done) {
                          partner_->CheckAvailability(env, *request, deadline, std::move(done));
                        });
  }
  GATEWAY_PARTNER_RPC(ImportDomains)
  GATEWAY_PARTNER_RPC(LookupDomainImports)
  GATEWAY_PARTNER_RPC(GetDomainImport)
  GATEWAY_PARTNER_RPC(CreateDomainImportJob)
  GATEWAY_PARTNER_RPC(GetDomainImportJob)
  GATEWAY_PARTNER_RPC(ListDomains)
  GATEWAY_PARTNER_RPC(SetDomainForwarding)
  GATEWAY_PARTNER_RPC(GetForwardingJob)
};

class GrpcOrderService final : public PartnerService<peeker::partner::v1::OrderService::CallbackService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_RPC(PlaceOrder)
  GATEWAY_PARTNER_RPC(ListOrders)
  GATEWAY_PARTNER_RPC(ListPendingActions)
  GATEWAY_PARTNER_RPC(CancelOrder)
};

class GrpcSwapService final : public PartnerService<peeker::partner::v1::SwapService::CallbackService> {
 public:
  using PartnerService::PartnerService;
  GATEWAY_PARTNER_RPC(CreateSwap)
  GATEWAY_PARTNER_RPC(ListSwaps)
  GATEWAY_PARTNER_RPC(GetSwap)
  GATEWAY_PARTNER_RPC(CreateUserNameSwap)
};

#undef GATEWAY_PARTNER_RPC

}  // namespace gateway::service

#endif  // SERVER_SERVICE_PARTNER_SERVICES_H_
