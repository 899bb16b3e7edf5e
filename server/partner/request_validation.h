// Checks a request against what the Partner contract makes clear, before any
// Partner call: a bad request costs no upstream call and no rate budget, and
// the caller learns every problem at once. Each Validate function returns OK
// or INVALID_ARGUMENT with a google.rpc.BadRequest listing every violation;
// the Check helpers are the shared rules they are built from.
#ifndef SERVER_PARTNER_REQUEST_VALIDATION_H_
#define SERVER_PARTNER_REQUEST_VALIDATION_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "peeker/partner/v1/bundle.pb.h"
#include "peeker/partner/v1/domain.pb.h"
#include "peeker/partner/v1/order.pb.h"
#include "server/partner/json_reader.h"

namespace gateway::partner {

// The Partner's limits per call (contract §9, June 2026).
inline constexpr int kMaxAvailabilityNames = 50;
inline constexpr int kMaxImportNames = 25;
inline constexpr int kMaxImportJobNames = 500;
inline constexpr int kMaxLookupNames = 100;
inline constexpr int kMaxForwardingDomains = 25;
inline constexpr int kMaxPersonas = 10;

// Collects violations and turns them into one INVALID_ARGUMENT status.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    list_.emplace_back(std::move(field), std::move(description));
  }
  // OK when nothing was added.
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> list_;
};

// "field[index]".
std::string Indexed(absl::string_view field, int index);

// `domains`: 1 to `max` names, none empty, each a syntactically valid domain
// name when `require_syntax`.
void CheckNameList(const google::protobuf::RepeatedPtrField<std::string>& names, int max, bool require_syntax,
                   Violations& violations);
// A required id (a path segment): not empty, not "." or "..".
void RequireId(absl::string_view field, const std::string& id, Violations& violations);
// The whole check of a request that is only an id.
absl::Status ValidateId(absl::string_view field, const std::string& id);
// A provider split: each 0–100, summing to 100.
void CheckSplit(absl::string_view google_field, int32_t google_percent, absl::string_view microsoft_field,
                int32_t microsoft_percent, Violations& violations);
// 2 or 3.
void CheckGoogleInboxesPerDomain(int32_t value, Violations& violations);
// 1 to kMaxPersonas personas, each with first and last name and a present
// `profile_picture_url`.
void CheckPersonas(const google::protobuf::RepeatedPtrField<peeker::partner::v1::Persona>& personas,
                   Violations& violations);

// A list filter set to a value this version cannot name would be dropped
// (see AddFilter), widening the list: refuse it instead.
template <typename E, size_t N>
void CheckEnumFilter(const char* field, E value, const EnumName<E> (&names)[N], Violations& violations) {
  if (value != E{} && EnumToName(value, names) == nullptr) {
    violations.Add(field, "unknown value " + std::to_string(static_cast<int>(value)));
  }
}

// The whole check of a list whose only enum filter is `status`.
template <typename E, size_t N>
absl::Status ValidateStatusFilter(E value, const EnumName<E> (&names)[N]) {
  Violations violations;
  CheckEnumFilter("status", value, names, violations);
  return violations.ToStatus();
}

absl::Status ValidateCreateBundle(const peeker::partner::v1::CreateBundleRequest& request);
// `max_names`: the gateway's per-call maximum; it splits longer lists into
// Partner-sized batches.
absl::Status ValidateCheckAvailability(const peeker::partner::v1::CheckAvailabilityRequest& request, int max_names);
absl::Status ValidateImportDomains(const peeker::partner::v1::ImportDomainsRequest& request);
absl::Status ValidatePlaceOrder(const peeker::partner::v1::PlaceOrderRequest& request);

}  // namespace gateway::partner

#endif  // SERVER_PARTNER_REQUEST_VALIDATION_H_
