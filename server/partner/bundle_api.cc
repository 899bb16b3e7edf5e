#include "server/partner/bundle_api.h"

#include <string>

#include "absl/strings/ascii.h"
#include "server/partner/json_codec.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

using nlohmann::json;

PartnerRequest BundlePath(const std::string& bundle_id) { return RequestTo("/bundles/" + UrlEscape(bundle_id)); }


absl::Status ValidateListBundles(const v1::ListBundlesRequest& request) {
  Violations violations;
  if (request.status() == v1::BUNDLE_STATUS_DELETED) {
    violations.Add("status", "deleted bundles are not listed; filter by ACTIVE or ARCHIVED");
  } else {
    CheckEnumFilter("status", request.status(), kBundleStatuses, violations);
  }
  return violations.ToStatus();
}

absl::Status ValidateUpdateBundle(const v1::UpdateBundleRequest& request) {
  Violations violations;
  RequireId("bundle_id", request.bundle_id(), violations);
  if (request.has_name() && absl::StripAsciiWhitespace(request.name()).empty()) {
    violations.Add("name", "must not be empty");
  }
  if (request.has_monthly_sending_volume() && request.monthly_sending_volume() <= 0) {
    violations.Add("monthly_sending_volume", "must be positive");
  }
  switch (request.split_change_case()) {
    case v1::UpdateBundleRequest::kSplit:
      CheckSplit("split.google_percent", request.split().google_percent(), "split.microsoft_percent",
                 request.split().microsoft_percent(), violations);
      break;
    case v1::UpdateBundleRequest::kUseRecommendedSplit:
      if (!request.use_recommended_split()) violations.Add("use_recommended_split", "must be true when set");
      break;
    case v1::UpdateBundleRequest::SPLIT_CHANGE_NOT_SET:
      break;
  }
  if (request.has_google_inboxes_per_domain()) {
    CheckGoogleInboxesPerDomain(request.google_inboxes_per_domain(), violations);
  }
  if (!request.has_name() && !request.has_monthly_sending_volume() &&
      request.split_change_case() == v1::UpdateBundleRequest::SPLIT_CHANGE_NOT_SET &&
      !request.has_send_on_weekends() && !request.has_google_inboxes_per_domain()) {
    violations.Add("bundle_id", "nothing to change: set at least one field");
  }
  return violations.ToStatus();
}

PartnerRequest EncodeUpdateBundle(const v1::UpdateBundleRequest& request) {
  PartnerRequest partner_request = BundlePath(request.bundle_id());
  json& body = partner_request.body = json::object();
  if (request.has_name()) body["name"] = request.name();
  if (request.has_monthly_sending_volume()) body["monthly_sending_volume"] = request.monthly_sending_volume();
  if (request.has_split()) {
    body["google_percent"] = request.split().google_percent();
    body["microsoft_percent"] = request.split().microsoft_percent();
  } else if (request.has_use_recommended_split()) {
    body["google_percent"] = nullptr;
    body["microsoft_percent"] = nullptr;
  }
  if (request.has_send_on_weekends()) body["send_on_weekends"] = request.send_on_weekends();
  if (request.has_google_inboxes_per_domain()) body["google_inboxes_per_domain"] = request.google_inboxes_per_domain();
  return partner_request;
}

absl::StatusOr<v1::DeleteBundleResponse> DecodeDeleteBundle(const json& data) {
  absl::Status error;
  v1::DeleteBundleResponse reply;
  {
    Reader r(data, "data", &error);
    reply.set_bundle_id(r.String("id", /*required=*/true));
    reply.set_status(r.Enum("status", kBundleStatuses));
  }
  return Finish(error, std::move(reply));
}

}  // namespace

const Endpoint<v1::CreateBundleRequest, v1::CreateBundleResponse> kCreateBundle = {
    "POST",
    "/bundles",
    Idempotency::kNotIdempotent,
    &ValidateCreateBundle,
    [](const v1::CreateBundleRequest& request) { return RequestTo("/bundles", EncodeCreateBundleRequest(request)); },
    &DecodeInto<&DecodeBundle, &v1::CreateBundleResponse::mutable_bundle>,
};

const Endpoint<v1::ListBundlesRequest, v1::ListBundlesResponse> kListBundles = {
    "GET",
    "/bundles",
    Idempotency::kIdempotent,
    &ValidateListBundles,
    [](const v1::ListBundlesRequest& request) {
      PartnerRequest partner_request = RequestTo("/bundles");
      AddFilter(partner_request, "status", request.status(), kBundleStatuses);
      return partner_request;
    },
    &DecodeEach<&DecodeBundle, &v1::ListBundlesResponse::add_bundles>,
};

const Endpoint<v1::GetBundleRequest, v1::GetBundleResponse> kGetBundle = {
    "GET",
    "/bundles/{id}",
    Idempotency::kIdempotent,
    [](const v1::GetBundleRequest& request) { return ValidateId("bundle_id", request.bundle_id()); },
    [](const v1::GetBundleRequest& request) { return BundlePath(request.bundle_id()); },
    &DecodeInto<&DecodeBundle, &v1::GetBundleResponse::mutable_bundle>,
};

const Endpoint<v1::UpdateBundleRequest, v1::UpdateBundleResponse> kUpdateBundle = {
    "PATCH",
    "/bundles/{id}",
    Idempotency::kIdempotent,
    &ValidateUpdateBundle,
    &EncodeUpdateBundle,
    &DecodeInto<&DecodeBundle, &v1::UpdateBundleResponse::mutable_bundle>,
};

const Endpoint<v1::DeleteBundleRequest, v1::DeleteBundleResponse> kDeleteBundle = {
    "DELETE",
    "/bundles/{id}",
    Idempotency::kNotIdempotent,
    [](const v1::DeleteBundleRequest& request) { return ValidateId("bundle_id", request.bundle_id()); },
    [](const v1::DeleteBundleRequest& request) { return BundlePath(request.bundle_id()); },
    &DecodeDeleteBundle,
};

}  // namespace gateway::partner
