// Checks a request against what the Partner contract makes clear, before any
// Partner call: a bad request costs no upstream call and no rate budget, and
// the caller learns every problem at once. Each function returns OK or
// INVALID_ARGUMENT with a google.rpc.BadRequest listing every violation.
#ifndef SERVER_PARTNER_REQUEST_VALIDATION_H_
#define SERVER_PARTNER_REQUEST_VALIDATION_H_

#include "absl/status/status.h"
#include "peeker/partner/v1/bundle.pb.h"
#include "peeker/partner/v1/domain.pb.h"
#include "peeker/partner/v1/order.pb.h"

namespace gateway::partner {

inline constexpr int kMaxAvailabilityNames = 50;
inline constexpr int kMaxImportNames = 25;
inline constexpr int kMaxPersonas = 10;

absl::Status ValidateCreateBundle(const peeker::partner::v1::CreateBundleRequest& request);
absl::Status ValidateCheckAvailability(const peeker::partner::v1::CheckAvailabilityRequest& request);
absl::Status ValidateImportDomains(const peeker::partner::v1::ImportDomainsRequest& request);
absl::Status ValidatePlaceOrder(const peeker::partner::v1::PlaceOrderRequest& request);

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_REQUEST_VALIDATION_H_
