#include "server/events/webhook_receiver.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "server/common/log.h"
#include "server/events/webhook_envelope.h"

namespace gateway::events {
namespace {

std::string ErrorBody(Rejection reason, absl::string_view message) {
  return nlohmann::json{{"error", {{"code", RejectionName(reason)}, {"message", message}}}}.dump();
}

}  // namespace

WebhookReceiver::WebhookReceiver(const WebhookVerifier* verifier, EventHub* hub, Options options,
                                 common::Metrics* metrics)
    : verifier_(verifier),
      hub_(hub),
      options_(std::move(options)),
      deliveries_(metrics->AddCounter("gateway_webhooks_total",
                                      "Webhook deliveries by outcome: stored, duplicate, or rejected and why.",
                                      {"outcome", "reason"})),
      stored_(deliveries_.With({"stored", ""})),
      duplicates_(deliveries_.With({"duplicate", ""})) {
  // Every series from the start, at 0, so that a rate over them is defined.
  for (int i = 0; i < kRejectionCount; ++i) {
    rejected_[i] = &deliveries_.With({"rejected", std::string(RejectionName(static_cast<Rejection>(i)))});
  }
}

WebhookReceiver::~WebhookReceiver() = default;

absl::Status WebhookReceiver::Start() {
  auto server = std::make_unique<httplib::Server>();
  server->set_payload_max_length(options_.max_body_bytes);
  // A declared length over the cap is refused from the headers alone.
  server->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    uint64_t length = 0;
    if (!absl::SimpleAtoi(request.get_header_value("Content-Length"), &length) || length <= options_.max_body_bytes) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const Reply reply = Refuse(Rejection::kBodyTooLarge, request.get_header_value("Peeker-Event-Id"),
                               absl::StrCat("the body is larger than ", options_.max_body_bytes, " bytes"));
    response.status = reply.status;
    response.set_header("Connection", "close");
    response.set_content(reply.body, "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  server->Post(options_.path, [this](const httplib::Request& request, httplib::Response& response) {
    Delivery delivery;
    delivery.event_id = request.get_header_value("Peeker-Event-Id");
    delivery.timestamp = request.get_header_value("Peeker-Timestamp");
    delivery.signature = request.get_header_value("Peeker-Signature");
    delivery.body = request.body;
    const Reply reply = Handle(delivery, absl::Now());
    response.status = reply.status;
    response.set_content(reply.body, "application/json");
  });
  absl::StatusOr<std::unique_ptr<http::HttpListener>> listener =
      http::HttpListener::Start(std::move(server), options_.listen, options_.threads);
  if (!listener.ok()) return listener.status();
  listener_ = *std::move(listener);
  return absl::OkStatus();
}

int WebhookReceiver::port() const { return listener_ == nullptr ? 0 : listener_->port(); }

WebhookReceiver::Reply WebhookReceiver::Handle(const Delivery& delivery, absl::Time now) {
  if (delivery.body.size() > options_.max_body_bytes) {
    return Refuse(Rejection::kBodyTooLarge, delivery.event_id,
                  absl::StrCat("the body is larger than ", options_.max_body_bytes, " bytes"));
  }
  if (delivery.event_id.empty()) return Refuse(Rejection::kMissingHeader, "", "Peeker-Event-Id is missing");
  Rejection reason = Rejection::kSignatureMismatch;
  absl::StatusOr<peeker::partner::v1::Environment> environment =
      verifier_->Verify(delivery.timestamp, delivery.signature, delivery.body, now, &reason);
  if (!environment.ok()) return Refuse(reason, delivery.event_id, environment.status().message());
  absl::StatusOr<StoredEvent> event = ParseEnvelope(delivery.body);
  if (!event.ok()) return Refuse(Rejection::kBadEnvelope, delivery.event_id, event.status().message());
  if (event->id != delivery.event_id) {
    return Refuse(Rejection::kEventIdMismatch, delivery.event_id,
                  absl::StrCat("the envelope id ", event->id, " differs from Peeker-Event-Id"));
  }
  event->environment = *environment;
  event->received_at = now;
  const std::string type = event->type;
  absl::StatusOr<EventHub::Ingested> ingested = hub_->Ingest(*std::move(event));
  if (!ingested.ok()) {
    return Refuse(Rejection::kStoreFailed, delivery.event_id,
                  absl::StrCat("the event could not be stored: ", ingested.status().message()));
  }
  (ingested->duplicate ? duplicates_ : stored_).Add();
  common::Log(common::LogLevel::kInfo, "webhook",
              {{"event_id", delivery.event_id},
               {"type", type},
               {"cursor", absl::StrCat(ingested->cursor)},
               {"duplicate", ingested->duplicate ? "true" : "false"}});
  Reply reply;
  reply.body = nlohmann::json{{"status", ingested->duplicate ? "duplicate" : "stored"}}.dump();
  return reply;
}

WebhookReceiver::Reply WebhookReceiver::Refuse(Rejection reason, const std::string& event_id,
                                               absl::string_view message) {
  rejected_[static_cast<int>(reason)]->Add();
  common::Log(common::LogLevel::kWarning, "webhook refused",
              {{"reason", std::string(RejectionName(reason))}, {"event_id", event_id}, {"error", std::string(message)}});
  Reply reply;
  reply.status = RejectionHttpStatus(reason);
  reply.body = ErrorBody(reason, message);
  return reply;
}

}  // namespace gateway::events
