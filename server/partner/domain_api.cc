#include "server/partner/domain_api.h"

#include <cstddef>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/partner/json_codec.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

using nlohmann::json;

constexpr EnumName<v1::DomainCategory> kDomainCategories[] = {
    {"inventory", v1::DOMAIN_CATEGORY_INVENTORY},
    {"connected", v1::DOMAIN_CATEGORY_CONNECTED},
};
constexpr EnumName<v1::DomainStatus> kDomainStatuses[] = {
    {"active", v1::DOMAIN_STATUS_ACTIVE},
    {"available", v1::DOMAIN_STATUS_AVAILABLE},
    {"cancel_scheduled", v1::DOMAIN_STATUS_CANCEL_SCHEDULED},
    {"cancelled", v1::DOMAIN_STATUS_CANCELLED},
};
constexpr EnumName<v1::ForwardingJobStatus> kForwardingJobStatuses[] = {
    {"in_progress", v1::FORWARDING_JOB_STATUS_IN_PROGRESS},
    {"completed", v1::FORWARDING_JOB_STATUS_COMPLETED},
    {"partial_success", v1::FORWARDING_JOB_STATUS_PARTIAL_SUCCESS},
    {"failed", v1::FORWARDING_JOB_STATUS_FAILED},
};
constexpr EnumName<v1::ForwardingFailureReason> kForwardingFailureReasons[] = {
    {"dns_lookup_failed", v1::FORWARDING_FAILURE_REASON_DNS_LOOKUP_FAILED},
    {"target_unreachable", v1::FORWARDING_FAILURE_REASON_TARGET_UNREACHABLE},
    {"invalid_target", v1::FORWARDING_FAILURE_REASON_INVALID_TARGET},
};


absl::Status ValidateNames(const google::protobuf::RepeatedPtrField<std::string>& names, int max,
                           bool require_syntax) {
  Violations violations;
  CheckNameList(names, max, require_syntax, violations);
  return violations.ToStatus();
}

absl::Status ValidateListDomains(const v1::ListDomainsRequest& request) {
  Violations violations;
  CheckEnumFilter("category", request.category(), kDomainCategories, violations);
  CheckEnumFilter("usable_for", request.usable_for(), kMailProviders, violations);
  CheckEnumFilter("status", request.status(), kDomainStatuses, violations);
  return violations.ToStatus();
}

absl::Status ValidateSetDomainForwarding(const v1::SetDomainForwardingRequest& request) {
  Violations violations;
  // `dom_…` ids are accepted as well as names, so no name syntax applies.
  CheckNameList(request.domains(), kMaxForwardingDomains, /*require_syntax=*/false, violations);
  if (absl::StripAsciiWhitespace(request.forwarding_url()).empty()) {
    violations.Add("forwarding_url", "a target URL is required");
  }
  return violations.ToStatus();
}

PartnerRequest EncodeListDomains(const v1::ListDomainsRequest& request) {
  PartnerRequest partner_request = RequestTo("/domains");
  AddFilter(partner_request, "category", request.category(), kDomainCategories);
  AddFilter(partner_request, "user_id", request.user_id());
  AddFilter(partner_request, "user_email", request.user_email());
  AddFilter(partner_request, "usable_for", request.usable_for(), kMailProviders);
  AddFilter(partner_request, "status", request.status(), kDomainStatuses);
  return partner_request;
}

PartnerRequest EncodeLookupDomainImports(const v1::LookupDomainImportsRequest& request) {
  PartnerRequest partner_request = RequestTo("/domains/import");
  // One comma-separated parameter, as documented; PartnerClient escapes it.
  partner_request.query.emplace_back("domains", absl::StrJoin(request.domains(), ","));
  return partner_request;
}

absl::StatusOr<v1::Domain> DecodeDomain(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::Domain domain;
  domain.set_id(r.String("id", /*required=*/true));
  domain.set_domain(r.String("domain"));
  domain.set_category(r.Enum("category", kDomainCategories));
  domain.set_status(r.Enum("status", kDomainStatuses));
  domain.set_provider(r.Enum("provider", kMailProviders));
  domain.set_user_id(r.String("user_id"));
  domain.set_order_id(r.String("order_id"));
  r.Strings("usable_for", [&](const std::string& name) { domain.add_usable_for(EnumFromName(name, kMailProviders)); });
  if (auto url = r.OptionalString("forwarding_url")) domain.set_forwarding_url(*url);
  if (auto time = r.Timestamp("created_at")) *domain.mutable_created_at() = *time;
  return Finish(error, std::move(domain));
}

absl::StatusOr<v1::ForwardingJob> DecodeForwardingJob(const json& data) {
  absl::Status error;
  Reader r(data, "data", &error);
  v1::ForwardingJob job;
  job.set_id(r.String("id", /*required=*/true));
  job.set_status(r.Enum("status", kForwardingJobStatuses));
  job.set_completed_count(r.Int32("completed_count"));
  job.set_failed_count(r.Int32("failed_count"));
  job.set_forwarding_url(r.String("forwarding_url"));
  r.Strings("completed", [&](const std::string& name) { job.add_completed(name); });
  r.Objects("failed", [&](Reader& row) {
    v1::ForwardingFailure* failure = job.add_failed();
    failure->set_domain(row.String("domain"));
    failure->set_reason(row.Enum("reason", kForwardingFailureReasons));
  });
  if (auto time = r.Timestamp("created_at")) *job.mutable_created_at() = *time;
  if (auto time = r.Timestamp("completed_at")) *job.mutable_completed_at() = *time;
  return Finish(error, std::move(job));
}

}  // namespace

const Endpoint<v1::CheckAvailabilityRequest, v1::CheckAvailabilityResponse> kCheckAvailabilityBatch = {
    "POST",
    "/domains/availability",
    Idempotency::kIdempotent,
    [](const v1::CheckAvailabilityRequest& request) {
      return ValidateCheckAvailability(request, kMaxAvailabilityNames);
    },
    [](const v1::CheckAvailabilityRequest& request) {
      return RequestTo("/domains/availability", EncodeCheckAvailabilityRequest(request));
    },
    &DecodeCheckAvailabilityResponse,
};

const Endpoint<v1::ImportDomainsRequest, v1::ImportDomainsResponse> kImportDomains = {
    "POST",
    "/domains/import",
    Idempotency::kIdempotent,
    &ValidateImportDomains,
    [](const v1::ImportDomainsRequest& request) {
      return RequestTo("/domains/import", EncodeImportDomainsRequest(request));
    },
    &DecodeInto<&DecodeDomainImport, &v1::ImportDomainsResponse::mutable_domain_import>,
};

const Endpoint<v1::LookupDomainImportsRequest, v1::LookupDomainImportsResponse> kLookupDomainImports = {
    "GET",
    "/domains/import",
    Idempotency::kIdempotent,
    [](const v1::LookupDomainImportsRequest& request) {
      return ValidateNames(request.domains(), kMaxLookupNames, /*require_syntax=*/false);
    },
    &EncodeLookupDomainImports,
    &DecodeEach<&DecodeDomainImport, &v1::LookupDomainImportsResponse::add_domain_imports>,
};

const Endpoint<v1::GetDomainImportRequest, v1::GetDomainImportResponse> kGetDomainImport = {
    "GET",
    "/domains/import/{id}",
    Idempotency::kIdempotent,
    [](const v1::GetDomainImportRequest& request) { return ValidateId("import_id", request.import_id()); },
    [](const v1::GetDomainImportRequest& request) {
      return RequestTo("/domains/import/" + UrlEscape(request.import_id()));
    },
    &DecodeInto<&DecodeDomainImport, &v1::GetDomainImportResponse::mutable_domain_import>,
};

// The Partner dedupes jobs by their normalized set of domains, so a repeat
// returns the same job.
const Endpoint<v1::CreateDomainImportJobRequest, v1::CreateDomainImportJobResponse> kCreateDomainImportJob = {
    "POST",
    "/domains/import/jobs",
    Idempotency::kIdempotent,
    [](const v1::CreateDomainImportJobRequest& request) {
      return ValidateNames(request.domains(), kMaxImportJobNames, /*require_syntax=*/true);
    },
    [](const v1::CreateDomainImportJobRequest& request) {
      return RequestTo("/domains/import/jobs", {{"domains", StringArray(request.domains())}});
    },
    &DecodeInto<&DecodeDomainImport, &v1::CreateDomainImportJobResponse::mutable_domain_import>,
};

const Endpoint<v1::GetDomainImportJobRequest, v1::GetDomainImportJobResponse> kGetDomainImportJob = {
    "GET",
    "/domains/import/jobs/{id}",
    Idempotency::kIdempotent,
    [](const v1::GetDomainImportJobRequest& request) { return ValidateId("job_id", request.job_id()); },
    [](const v1::GetDomainImportJobRequest& request) {
      return RequestTo("/domains/import/jobs/" + UrlEscape(request.job_id()));
    },
    &DecodeInto<&DecodeDomainImport, &v1::GetDomainImportJobResponse::mutable_domain_import>,
};

const Endpoint<v1::ListDomainsRequest, v1::ListDomainsResponse> kListDomains = {
    "GET",
    "/domains",
    Idempotency::kIdempotent,
    &ValidateListDomains,
    &EncodeListDomains,
    &DecodeEach<&DecodeDomain, &v1::ListDomainsResponse::add_domains>,
};

// Domains already pointing at the target come back as completed, so a
// repeat changes nothing.
const Endpoint<v1::SetDomainForwardingRequest, v1::SetDomainForwardingResponse> kSetDomainForwarding = {
    "POST",
    "/domains/forwarding",
    Idempotency::kIdempotent,
    &ValidateSetDomainForwarding,
    [](const v1::SetDomainForwardingRequest& request) {
      return RequestTo("/domains/forwarding",
                       {{"domains", StringArray(request.domains())}, {"forwarding_url", request.forwarding_url()}});
    },
    &DecodeInto<&DecodeForwardingJob, &v1::SetDomainForwardingResponse::mutable_forwarding_job>,
};

const Endpoint<v1::GetForwardingJobRequest, v1::GetForwardingJobResponse> kGetForwardingJob = {
    "GET",
    "/domains/forwarding/{id}",
    Idempotency::kIdempotent,
    [](const v1::GetForwardingJobRequest& request) { return ValidateId("job_id", request.job_id()); },
    [](const v1::GetForwardingJobRequest& request) {
      return RequestTo("/domains/forwarding/" + UrlEscape(request.job_id()));
    },
    &DecodeInto<&DecodeForwardingJob, &v1::GetForwardingJobResponse::mutable_forwarding_job>,
};

}  // namespace gateway::partner
