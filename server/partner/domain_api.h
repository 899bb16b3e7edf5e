// The domain endpoints (contract §9.5).
#ifndef SERVER_PARTNER_DOMAIN_API_H_
#define SERVER_PARTNER_DOMAIN_API_H_

#include "peeker/partner/v1/domain.pb.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

// POST /domains/availability with at most kMaxAvailabilityNames names; PartnerClient::CheckAvailability splits longer lists into these.
extern const Endpoint<v1::CheckAvailabilityRequest, v1::CheckAvailabilityResponse> kCheckAvailabilityBatch;
// POST /domains/import
extern const Endpoint<v1::ImportDomainsRequest, v1::ImportDomainsResponse> kImportDomains;
// GET /domains/import?domains=…
extern const Endpoint<v1::LookupDomainImportsRequest, v1::LookupDomainImportsResponse> kLookupDomainImports;
// GET /domains/import/{id}
extern const Endpoint<v1::GetDomainImportRequest, v1::GetDomainImportResponse> kGetDomainImport;
// POST /domains/import/jobs
extern const Endpoint<v1::CreateDomainImportJobRequest, v1::CreateDomainImportJobResponse> kCreateDomainImportJob;
// GET /domains/import/jobs/{id}
extern const Endpoint<v1::GetDomainImportJobRequest, v1::GetDomainImportJobResponse> kGetDomainImportJob;
// GET /domains
extern const Endpoint<v1::ListDomainsRequest, v1::ListDomainsResponse> kListDomains;
// POST /domains/forwarding
extern const Endpoint<v1::SetDomainForwardingRequest, v1::SetDomainForwardingResponse> kSetDomainForwarding;
// GET /domains/forwarding/{id}
extern const Endpoint<v1::GetForwardingJobRequest, v1::GetForwardingJobResponse> kGetForwardingJob;

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_DOMAIN_API_H_
