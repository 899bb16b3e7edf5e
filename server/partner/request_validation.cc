#include "server/partner/request_validation.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"
#include "server/common/status_details.h"
#include "server/partner/partner_error.h"

namespace gateway::partner {

namespace v1 = ::peeker::partner::v1;

absl::Status Violations::ToStatus() const {
  if (list_.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  google::rpc::BadRequest bad_request;
  for (const auto& [field, description] : list_) {
    parts.push_back(absl::StrCat(field, ": ", description));
    auto* violation = bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(description);
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrCat("invalid request: ", absl::StrJoin(parts, "; ")));
  google::rpc::ErrorInfo info;
  info.set_domain(std::string(common::kGatewayErrorDomain));
  info.set_reason("INVALID_REQUEST");
  common::AddDetail(status, info);
  common::AddDetail(status, bad_request);
  return status;
}

std::string Indexed(absl::string_view field, int index) { return absl::StrCat(field, "[", index, "]"); }

namespace {


// A host name of letters, digits and hyphens, two labels at least, with an
// alphabetic top-level label. Deliberately no public-suffix knowledge: the
// Partner decides what is registrable or a root domain.
bool IsDomainName(absl::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::vector<absl::string_view> labels = absl::StrSplit(name, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  for (char c : labels.back()) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

void CheckNameList(const google::protobuf::RepeatedPtrField<std::string>& names, int max, bool require_syntax,
                   Violations& violations) {
  if (names.empty()) violations.Add("domains", "at least one domain is required");
  if (names.size() > max) {
    violations.Add("domains", absl::StrCat("at most ", max, " domains per call, got ", names.size()));
  }
  for (int i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      violations.Add(Indexed("domains", i), "must not be empty");
    } else if (require_syntax && !IsDomainName(names[i])) {
      violations.Add(Indexed("domains", i), absl::StrCat("\"", names[i], "\" is not a domain name"));
    }
  }
}

void RequireId(absl::string_view field, const std::string& id, Violations& violations) {
  if (id.empty()) {
    violations.Add(std::string(field), "is required");
  } else if (id == "." || id == "..") {
    violations.Add(std::string(field), "is not an id");
  }
}

absl::Status ValidateId(absl::string_view field, const std::string& id) {
  Violations violations;
  RequireId(field, id, violations);
  return violations.ToStatus();
}

void CheckSplit(absl::string_view google_field, int32_t google_percent, absl::string_view microsoft_field,
                int32_t microsoft_percent, Violations& violations) {
  for (const auto& [field, value] :
       {std::pair{google_field, google_percent}, std::pair{microsoft_field, microsoft_percent}}) {
    if (value < 0 || value > 100) violations.Add(std::string(field), "must be between 0 and 100");
  }
  if (google_percent + microsoft_percent != 100) {
    violations.Add(std::string(google_field), absl::StrCat(google_field, " and ", microsoft_field, " must sum to 100"));
  }
}

void CheckGoogleInboxesPerDomain(int32_t value, Violations& violations) {
  if (value != 2 && value != 3) violations.Add("google_inboxes_per_domain", "must be 2 or 3");
}

void CheckPersonas(const google::protobuf::RepeatedPtrField<v1::Persona>& personas, Violations& violations) {
  if (personas.empty() || personas.size() > kMaxPersonas) {
    violations.Add("personas", absl::StrCat("1 to ", kMaxPersonas, " personas are required, got ", personas.size()));
  }
  for (int i = 0; i < personas.size(); ++i) {
    const v1::Persona& persona = personas[i];
    const std::string prefix = Indexed("personas", i);
    if (persona.first_name().empty()) violations.Add(prefix + ".first_name", "is required");
    if (persona.last_name().empty()) violations.Add(prefix + ".last_name", "is required");
    if (!persona.has_profile_picture_url()) {
      violations.Add(prefix + ".profile_picture_url", "must be present: a public URL, or \"\" for no picture");
    }
  }
}

absl::Status ValidateCreateBundle(const v1::CreateBundleRequest& request) {
  Violations violations;
  if (absl::StripAsciiWhitespace(request.name()).empty()) violations.Add("name", "must not be empty");
  if (request.monthly_sending_volume() <= 0) violations.Add("monthly_sending_volume", "must be positive");
  if (request.has_google_percent() != request.has_microsoft_percent()) {
    violations.Add(request.has_google_percent() ? "microsoft_percent" : "google_percent",
                   "google_percent and microsoft_percent are set together or not at all");
  } else if (request.has_google_percent()) {
    CheckSplit("google_percent", request.google_percent(), "microsoft_percent", request.microsoft_percent(),
               violations);
  }
  if (request.has_google_inboxes_per_domain()) {
    CheckGoogleInboxesPerDomain(request.google_inboxes_per_domain(), violations);
  }
  return violations.ToStatus();
}

absl::Status ValidateCheckAvailability(const v1::CheckAvailabilityRequest& request, int max_names) {
  Violations violations;
  CheckNameList(request.domains(), max_names, /*require_syntax=*/false, violations);
  return violations.ToStatus();
}

absl::Status ValidateImportDomains(const v1::ImportDomainsRequest& request) {
  Violations violations;
  CheckNameList(request.domains(), kMaxImportNames, /*require_syntax=*/true, violations);
  return violations.ToStatus();
}

absl::Status ValidatePlaceOrder(const v1::PlaceOrderRequest& request) {
  Violations violations;
  if (request.user().empty()) violations.Add("user", "a user id (usr_…) or an email is required");
  switch (request.plan_case()) {
    case v1::PlaceOrderRequest::kBundleId:
      if (request.bundle_id().empty()) violations.Add("bundle_id", "must not be empty");
      break;
    case v1::PlaceOrderRequest::kCustom:
      if (request.custom().google_licenses() < 0) violations.Add("custom.google_licenses", "must not be negative");
      if (request.custom().microsoft_licenses() < 0) {
        violations.Add("custom.microsoft_licenses", "must not be negative");
      }
      if (request.custom().google_licenses() <= 0 && request.custom().microsoft_licenses() <= 0) {
        violations.Add("custom", "a custom plan needs at least one license");
      }
      break;
    case v1::PlaceOrderRequest::PLAN_NOT_SET:
      violations.Add("bundle_id", "set bundle_id or custom");
      break;
  }
  if (!request.has_sequencer()) {
    violations.Add("sequencer", "is required");
  } else {
    const v1::Sequencer& sequencer = request.sequencer();
    if (sequencer.provider() != v1::SEQUENCER_PROVIDER_SMARTLEAD) {
      violations.Add("sequencer.provider", "must be SEQUENCER_PROVIDER_SMARTLEAD");
    } else {
      // The Partner cannot submit provider work with a client id alone.
      if (sequencer.login_email().empty()) violations.Add("sequencer.login_email", "is required for Smartlead");
      if (sequencer.login_password().empty()) {
        violations.Add("sequencer.login_password", "is required for Smartlead");
      }
    }
  }
  if (request.domains().empty()) violations.Add("domains", "at least one domain is required");
  for (int i = 0; i < request.domains_size(); ++i) {
    if (request.domains(i).domain().empty()) violations.Add(Indexed("domains", i) + ".domain", "must not be empty");
  }
  CheckPersonas(request.personas(), violations);
  return violations.ToStatus();
}

}  // namespace gateway::partner
