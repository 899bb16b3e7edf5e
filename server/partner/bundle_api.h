// The bundle endpoints (contract §9.3).
#ifndef SERVER_PARTNER_BUNDLE_API_H_
#define SERVER_PARTNER_BUNDLE_API_H_

#include "peeker/partner/v1/bundle.pb.h"
#include "server/partner/endpoint.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

// POST /bundles
extern const Endpoint<v1::CreateBundleRequest, v1::CreateBundleResponse> kCreateBundle;
// GET /bundles
extern const Endpoint<v1::ListBundlesRequest, v1::ListBundlesResponse> kListBundles;
// GET /bundles/{id}
extern const Endpoint<v1::GetBundleRequest, v1::GetBundleResponse> kGetBundle;
// PATCH /bundles/{id}
extern const Endpoint<v1::UpdateBundleRequest, v1::UpdateBundleResponse> kUpdateBundle;
// DELETE /bundles/{id}
extern const Endpoint<v1::DeleteBundleRequest, v1::DeleteBundleResponse> kDeleteBundle;

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_BUNDLE_API_H_
