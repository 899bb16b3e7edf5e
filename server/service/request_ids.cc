#include "server/service/request_ids.h"

#include <openssl/sha.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/alarm.h"
#include "server/common/log.h"
#include "server/common/status_details.h"
#include "server/partner/partner_error.h"
#include "server/partner/request_validation.h"
#include "server/service/grpc_status.h"

namespace gateway::service {
namespace {

using requests::Decision;
using requests::Outcome;

// A claim is held for the write's longest call and this much more.
constexpr absl::Duration kLeaseMargin = absl::Seconds(2);
// The RetryInfo of an ABORTED repeat: when its twin's claim ends, within
// these bounds.
constexpr absl::Duration kMinRetryDelay = absl::Milliseconds(100);
constexpr absl::Duration kMaxRetryDelay = absl::Seconds(1);

// What the ledger keeps of an answer: nothing (the id is released) when
// nothing reached the Partner.
std::optional<Outcome> OutcomeOf(const RequestIds::Answer& answer) {
  if (answer.status.ok()) return Outcome{Outcome::Kind::kReply, answer.reply};
  const std::string status = ToRpcStatus(answer.status).SerializeAsString();
  const std::optional<google::rpc::ErrorInfo> info = common::GetDetail<google::rpc::ErrorInfo>(answer.status);
  if (info.has_value() && info->reason() == partner::kOutcomeUnknownReason) {
    return Outcome{Outcome::Kind::kUnknown, status};
  }
  const bool partner_answered = info.has_value() && info->domain() == partner::kPartnerErrorDomain;
  if (partner_answered && !common::GetDetail<google::rpc::RetryInfo>(answer.status).has_value()) {
    return Outcome{Outcome::Kind::kError, status};
  }
  return std::nullopt;
}

// The unknown outcome of a call whose gateway stopped before it ended.
absl::Status VanishedOwner(const requests::RequestKey& key) {
  absl::Status status = absl::UnavailableError(absl::StrCat(
      "the outcome of request_id ", key.request_id,
      " is unknown: the gateway running it stopped while its write may have reached the Partner; look before "
      "writing again"));
  google::rpc::ErrorInfo info;
  info.set_domain(std::string(common::kGatewayErrorDomain));
  info.set_reason(std::string(partner::kOutcomeUnknownReason));
  (*info.mutable_metadata())["request_id"] = key.request_id;
  common::AddDetail(status, info);
  return status;
}

RequestIds::Answer AnswerOf(const Outcome& outcome, const requests::RequestKey& key) {
  if (outcome.kind == Outcome::Kind::kReply) return {absl::OkStatus(), outcome.body, ""};
  google::rpc::Status stored;
  if (outcome.body.empty() || !stored.ParseFromString(outcome.body)) return {VanishedOwner(key), "", ""};
  return {FromRpcStatus(stored), "", ""};
}

}  // namespace

// One write with a request id, from its claim to its answer. Owns itself:
// deleted once `done_` ran.
class RequestIds::Call {
 public:
  Call(RequestIds* ids, requests::RequestKey key, std::string fingerprint, absl::Time deadline, Send send,
       Settle settle, AnswerCallback done)
      : ids_(ids),
        key_(std::move(key)),
        fingerprint_(std::move(fingerprint)),
        deadline_(deadline),
        send_(std::move(send)),
        settle_(std::move(settle)),
        done_(std::move(done)) {}

  void Claim() {
    const absl::Time now = absl::Now();
    const absl::Duration lease = std::max(std::min(deadline_ - now, ids_->options_.max_call), absl::ZeroDuration());
    absl::StatusOr<Decision> decision = ids_->ledger_->Claim(key_, fingerprint_, lease + kLeaseMargin, settle_ != nullptr);
    if (!decision.ok()) {
      absl::Status status = absl::UnavailableError(
          absl::StrCat("the request ledger cannot be read, so a write with request_id cannot be kept to one run; "
                       "nothing was sent: ",
                       decision.status().message()));
      common::AddRetryInfo(status, kMaxRetryDelay);
      return Finish({status, "", ""});
    }
    token_ = decision->token;
    switch (decision->state) {
      case Decision::State::kNew:
        ids_->Count(kNew);
        return SendNow();
      case Decision::State::kUnsettled:
        return SettleNow(decision->outcome);
      case Decision::State::kDone:
        ids_->Count(kReplayed);
        return Finish(AnswerOf(decision->outcome, key_));
      case Decision::State::kConflict: {
        ids_->Count(kConflict);
        partner::Violations violations;
        violations.Add("request_id", absl::StrCat(key_.request_id,
                                                  " was used in the last 24 hours for a different request; a new "
                                                  "request needs a new id"));
        return Finish({violations.ToStatus(), "", ""});
      }
      case Decision::State::kInFlight:
        return Wait(decision->lease_until);
    }
  }

 private:
  void Wait(absl::Time twin_lease_until) {
    if (!waited_) ids_->Count(kWaited);
    waited_ = true;
    const absl::Time now = absl::Now();
    const absl::Time next = now + ids_->options_.poll_interval;
    if (next + ids_->options_.poll_interval > deadline_) {
      ids_->Count(kAborted);
      absl::Status status = absl::AbortedError(absl::StrCat(
          "another call with request_id ", key_.request_id, " is still running; retry to get its outcome"));
      common::AddRetryInfo(status, std::clamp(twin_lease_until - now, kMinRetryDelay, kMaxRetryDelay));
      return Finish({status, "", ""});
    }
    alarm_ = std::make_unique<grpc::Alarm>();
    alarm_->Set(absl::ToChronoTime(next), [this](bool) { Claim(); });
  }

  // `send_` and `settle_` are moved out before they run: either may answer
  // inline, which deletes this object.
  void SendNow() {
    Send send = std::move(send_);
    std::move(send)(std::min(deadline_, absl::Now() + ids_->options_.max_call), [this](Answer answer) {
      const std::optional<Outcome> outcome = OutcomeOf(answer);
      const absl::Status stored =
          outcome.has_value() ? ids_->ledger_->Record(key_, token_, *outcome) : ids_->ledger_->Release(key_, token_);
      if (!stored.ok()) {
        common::Log(common::LogLevel::kWarning, "the outcome of a write could not be stored in the request ledger",
                    {{"method", key_.method}, {"request_id", key_.request_id}, {"error", stored.ToString()}});
      }
      Finish(std::move(answer));
    });
  }

  void SettleNow(Outcome unknown) {
    Settle settle = std::move(settle_);
    std::move(settle)(deadline_, [this, unknown = std::move(unknown)](
                                      absl::StatusOr<std::optional<std::string>> settled) {
      if (settled.ok() && !settled->has_value()) return SendNow();  // the write did not happen
      Outcome outcome = unknown;
      if (settled.ok()) outcome = Outcome{Outcome::Kind::kReply, **settled};
      if (absl::Status stored = ids_->ledger_->Record(key_, token_, outcome); !stored.ok()) {
        common::Log(common::LogLevel::kWarning, "a settled outcome could not be stored in the request ledger",
                    {{"method", key_.method}, {"request_id", key_.request_id}, {"error", stored.ToString()}});
      }
      if (settled.ok()) ids_->Count(kSettled);
      Finish(AnswerOf(outcome, key_));
    });
  }

  void Finish(Answer answer) {
    std::move(done_)(std::move(answer));
    delete this;
  }

  RequestIds* const ids_;
  const requests::RequestKey key_;
  const std::string fingerprint_;
  const absl::Time deadline_;
  Send send_;
  Settle settle_;
  AnswerCallback done_;
  std::string token_;
  bool waited_ = false;
  std::unique_ptr<grpc::Alarm> alarm_;
};

void RequestIds::Run(requests::RequestKey key, std::string fingerprint, absl::Time deadline, Send send,
                     Settle settle, AnswerCallback done) {
  (new Call(this, std::move(key), std::move(fingerprint), deadline, std::move(send), std::move(settle),
            std::move(done)))
      ->Claim();
}

RequestIds::RequestIds(requests::RequestLedger* ledger, Options options, common::Metrics* metrics)
    : ledger_(ledger), options_(options) {
  static constexpr const char* kNames[kTallies] = {"new", "replayed", "conflict", "waited", "aborted", "settled"};
  auto& decisions = metrics->AddCounter(
      "gateway_request_id_decisions_total",
      "Writes with a request_id, by what the request ledger decided: new (sent), replayed (a stored outcome, "
      "nothing sent), conflict (the id of a different request), waited (a repeat that waited for its in-flight "
      "twin), aborted (gave up waiting), settled (an unknown outcome settled by a read).",
      {"decision"});
  for (int i = 0; i < kTallies; ++i) counts_[i] = &decisions.With({kNames[i]});
}

absl::Status CheckRequestId(absl::string_view request_id) {
  bool valid = request_id.size() == 36;
  for (size_t i = 0; valid && i < request_id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    valid = dash ? request_id[i] == '-' : absl::ascii_isxdigit(static_cast<unsigned char>(request_id[i]));
  }
  if (valid) return absl::OkStatus();
  partner::Violations violations;
  violations.Add("request_id", "must be a UUID: 8-4-4-4-12 hexadecimal digits, e.g. "
                               "\"6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\"");
  return violations.ToStatus();
}

std::string Fingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  if (const auto* field = copy->GetDescriptor()->FindFieldByName("request_id"); field != nullptr) {
    copy->GetReflection()->ClearField(copy.get(), field);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace gateway::service
