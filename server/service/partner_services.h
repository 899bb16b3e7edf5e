// The gRPC services that front the Partner API. Each RPC is one line: the
// typed PartnerClient does validation, encoding and the call; these classes
// only adapt the callback API to it.
#ifndef SERVER_SERVICE_PARTNER_SERVICES_H_
#define SERVER_SERVICE_PARTNER_SERVICES_H_

#include "peeker/partner/v1/bundle.grpc.pb.h"
#include "peeker/partner/v1/domain.grpc.pb.h"
#include "peeker/partner/v1/order.grpc.pb.h"
#include "server/partner/partner_client.h"

namespace gateway::service {

class GrpcBundleService final : public peeker::partner::v1::BundleService::CallbackService {
 public:
  explicit GrpcBundleService(partner::PartnerClient* partner) : partner_(partner) {}

  grpc::ServerUnaryReactor* CreateBundle(grpc::CallbackServerContext* context,
                                         const peeker::partner::v1::CreateBundleRequest* request,
                                         peeker::partner::v1::CreateBundleResponse* reply) override;

 private:
  partner::PartnerClient* const partner_;
};

class GrpcDomainService final : public peeker::partner::v1::DomainService::CallbackService {
 public:
  explicit GrpcDomainService(partner::PartnerClient* partner) : partner_(partner) {}

  grpc::ServerUnaryReactor* CheckAvailability(grpc::CallbackServerContext* context,
                                              const peeker::partner::v1::CheckAvailabilityRequest* request,
                                              peeker::partner::v1::CheckAvailabilityResponse* reply) override;
  grpc::ServerUnaryReactor* ImportDomains(grpc::CallbackServerContext* context,
                                          const peeker::partner::v1::ImportDomainsRequest* request,
                                          peeker::partner::v1::ImportDomainsResponse* reply) override;

 private:
  partner::PartnerClient* const partner_;
};

class GrpcOrderService final : public peeker::partner::v1::OrderService::CallbackService {
 public:
  explicit GrpcOrderService(partner::PartnerClient* partner) : partner_(partner) {}

  grpc::ServerUnaryReactor* PlaceOrder(grpc::CallbackServerContext* context,
                                       const peeker::partner::v1::PlaceOrderRequest* request,
                                       peeker::partner::v1::PlaceOrderResponse* reply) override;

 private:
  partner::PartnerClient* const partner_;
};

}  // namespace gateway::service

#endif  // SERVER_SERVICE_PARTNER_SERVICES_H_
