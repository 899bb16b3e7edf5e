#include "server/service/partner_services.h"

#include "server/service/unary_call.h"

namespace gateway::service {

namespace v1 = ::peeker::partner::v1;
using partner::PartnerClient;

grpc::ServerUnaryReactor* GrpcBundleService::CreateBundle(grpc::CallbackServerContext* context,
                                                          const v1::CreateBundleRequest* request,
                                                          v1::CreateBundleResponse* reply) {
  return ForwardUnary("CreateBundle", context, request, reply, partner_, &PartnerClient::CreateBundle);
}

grpc::ServerUnaryReactor* GrpcDomainService::CheckAvailability(grpc::CallbackServerContext* context,
                                                               const v1::CheckAvailabilityRequest* request,
                                                               v1::CheckAvailabilityResponse* reply) {
  return ForwardUnary("CheckAvailability", context, request, reply, partner_, &PartnerClient::CheckAvailability);
}

grpc::ServerUnaryReactor* GrpcDomainService::ImportDomains(grpc::CallbackServerContext* context,
                                                           const v1::ImportDomainsRequest* request,
                                                           v1::ImportDomainsResponse* reply) {
  return ForwardUnary("ImportDomains", context, request, reply, partner_, &PartnerClient::ImportDomains);
}

grpc::ServerUnaryReactor* GrpcOrderService::PlaceOrder(grpc::CallbackServerContext* context,
                                                       const v1::PlaceOrderRequest* request,
                                                       v1::PlaceOrderResponse* reply) {
  return ForwardUnary("PlaceOrder", context, request, reply, partner_, &PartnerClient::PlaceOrder);
}

}  // namespace gateway::service
