#include "server/partner/partner_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/partner/json_codec.h"
#include "server/partner/partner_error.h"
#include "server/partner/request_validation.h"

namespace gateway::partner {
namespace {

namespace v1 = ::peeker::partner::v1;

absl::string_view EnvironmentName(v1::Environment env) {
  return env == v1::ENVIRONMENT_LIVE ? "live" : "sandbox";
}

// A decoder for a reply that holds one decoded resource, e.g.
// CreateBundleResponse.bundle.
template <typename Reply, typename Resource>
auto Wrapped(absl::StatusOr<Resource> (*decode)(const nlohmann::json&), Resource* (Reply::*field)()) {
  return [decode, field](const nlohmann::json& data) -> absl::StatusOr<Reply> {
    absl::StatusOr<Resource> resource = decode(data);
    if (!resource.ok()) return resource.status();
    Reply reply;
    *(reply.*field)() = *std::move(resource);
    return reply;
  };
}

}  // namespace

PartnerClient::PartnerClient(http::HttpClient* http, PartnerKeys keys, Options options)
    : http_(http), keys_(std::move(keys)), options_(std::move(options)) {}

absl::StatusOr<common::Secret> PartnerClient::KeyFor(v1::Environment env) const {
  const auto& file = env == v1::ENVIRONMENT_LIVE ? keys_.live : keys_.sandbox;
  if (file == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the gateway has no Partner key for the ", EnvironmentName(env), " environment"));
  }
  return file->Current();
}

template <typename T>
void PartnerClient::Call(v1::Environment env, const char* method, const char* path, const nlohmann::json& body,
                         absl::Time deadline, Decoder<T> decode, Callback<T> done) {
  absl::StatusOr<common::Secret> key = KeyFor(env);
  if (!key.ok()) {
    std::move(done)(key.status());
    return;
  }
  http::HttpRequest request;
  request.method = method;
  request.url = absl::StrCat(options_.base_url, path);
  request.headers = {{"Authorization", absl::StrCat("Bearer ", key->Reveal())},
                     {"Accept", "application/json"}};
  if (!body.is_null()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body.dump();
  }
  const absl::Time start = absl::Now();
  const absl::Time effective_deadline = std::min(deadline, start + options_.default_timeout);
  http_->Send(
      std::move(request), effective_deadline,
      [method, path, env, start, decode = std::move(decode),
       done = std::move(done)](absl::StatusOr<http::HttpResponse> response) mutable {
        if (!response.ok()) {
          common::Log(common::LogLevel::kWarning, "partner call failed",
                      {{"method", method}, {"path", path}, {"environment", std::string(EnvironmentName(env))},
                       {"error", response.status().ToString()}});
          std::move(done)(StatusFromTransportError(response.status()));
          return;
        }
        const std::string request_id = response->Header("Peeker-Request-Id");
        common::Log(common::LogLevel::kDebug, "partner call",
                    {{"method", method}, {"path", path}, {"environment", std::string(EnvironmentName(env))},
                     {"status", absl::StrCat(response->status)},
                     {"duration_ms", absl::StrCat(absl::ToDoubleMilliseconds(absl::Now() - start))},
                     {"request_id", request_id}});
        if (response->status < 200 || response->status > 299) {
          std::move(done)(StatusFromPartnerError(*response));
          return;
        }
        auto json = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded()) {
          std::move(done)(PartnerBadResponse("the body is not JSON", request_id));
          return;
        }
        auto data = json.is_object() ? json.find("data") : json.end();
        if (data == json.end() || !data->is_object()) {
          std::move(done)(PartnerBadResponse("the body has no \"data\" object", request_id));
          return;
        }
        absl::StatusOr<T> reply = std::move(decode)(*data);
        if (!reply.ok()) {
          std::move(done)(PartnerBadResponse(reply.status().message(), request_id));
          return;
        }
        std::move(done)(std::move(reply));
      });
}

void PartnerClient::CreateBundle(v1::Environment env, const v1::CreateBundleRequest& request, absl::Time deadline,
                                 Callback<v1::CreateBundleResponse> done) {
  if (absl::Status status = ValidateCreateBundle(request); !status.ok()) return std::move(done)(status);
  Call<v1::CreateBundleResponse>(
      env, "POST", "/bundles", EncodeCreateBundleRequest(request), deadline,
      Wrapped(&DecodeBundle, &v1::CreateBundleResponse::mutable_bundle), std::move(done));
}

void PartnerClient::CheckAvailability(v1::Environment env, const v1::CheckAvailabilityRequest& request,
                                      absl::Time deadline, Callback<v1::CheckAvailabilityResponse> done) {
  if (absl::Status status = ValidateCheckAvailability(request); !status.ok()) return std::move(done)(status);
  Call<v1::CheckAvailabilityResponse>(
      env, "POST", "/domains/availability", EncodeCheckAvailabilityRequest(request), deadline,
      &DecodeCheckAvailabilityResponse, std::move(done));
}

void PartnerClient::ImportDomains(v1::Environment env, const v1::ImportDomainsRequest& request, absl::Time deadline,
                                  Callback<v1::ImportDomainsResponse> done) {
  if (absl::Status status = ValidateImportDomains(request); !status.ok()) return std::move(done)(status);
  Call<v1::ImportDomainsResponse>(
      env, "POST", "/domains/import", EncodeImportDomainsRequest(request), deadline,
      Wrapped(&DecodeDomainImport, &v1::ImportDomainsResponse::mutable_domain_import), std::move(done));
}

void PartnerClient::PlaceOrder(v1::Environment env, const v1::PlaceOrderRequest& request, absl::Time deadline,
                               Callback<v1::PlaceOrderResponse> done) {
  if (absl::Status status = ValidatePlaceOrder(request); !status.ok()) return std::move(done)(status);
  Call<v1::PlaceOrderResponse>(
      env, "POST", "/orders", EncodePlaceOrderRequest(request), deadline,
      Wrapped(&DecodeOrder, &v1::PlaceOrderResponse::mutable_order), std::move(done));
}

}  // namespace gateway::partner
