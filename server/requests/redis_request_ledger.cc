#include "server/requests/redis_request_ledger.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gateway::requests {
namespace {

// KEYS[1]: the entry. ARGV: fingerprint, token, now (µs), the lease's end
// (µs), kRetention (µs), settle (0/1), the entry's TTL (ms). Returns {state,
// kind, body, lease_until}. A claim already made with this token (the
// script ran before, its answer lost) is answered again, not refused.
constexpr char kClaimScript[] = R"lua(
local e = redis.call('HMGET', KEYS[1], 'fingerprint', 'token', 'done', 'created_us', 'lease_until_us', 'kind', 'body')
local now = tonumber(ARGV[3])
if not e[1] or tonumber(e[4]) + tonumber(ARGV[5]) <= now then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'token', ARGV[2], 'done', '0', 'created_us', ARGV[3],
             'lease_until_us', ARGV[4], 'kind', '0', 'body', '')
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  return {'new', '0', '', ''}
end
if e[1] ~= ARGV[1] then return {'conflict', '0', '', ''} end
local done = e[3] == '1'
if not done and e[2] == ARGV[2] then
  return {e[6] == '2' and 'unsettled' or 'new', e[6], e[7], ''}
end
if not done and now < tonumber(e[5]) then return {'in_flight', '0', '', e[5]} end
local kind = done and e[6] or '2'
local body = e[7] or ''
if kind == '2' and ARGV[6] == '1' then
  redis.call('HSET', KEYS[1], 'token', ARGV[2], 'done', '0', 'lease_until_us', ARGV[4], 'kind', '2', 'body', body)
  return {'unsettled', kind, body, ''}
end
return {'done', kind, body, ''}
)lua";

// KEYS[1]: the entry. ARGV: token, kind, body. 1 when stored (or stored
// already by this token), 0 when the claim is another's.
constexpr char kRecordScript[] = R"lua(
local e = redis.call('HMGET', KEYS[1], 'token', 'done')
if e[1] ~= ARGV[1] then return 0 end
if e[2] == '0' then redis.call('HSET', KEYS[1], 'done', '1', 'kind', ARGV[2], 'body', ARGV[3]) end
return 1
)lua";

// KEYS[1]: the entry. ARGV: token.
constexpr char kReleaseScript[] = R"lua(
local e = redis.call('HMGET', KEYS[1], 'token', 'done')
if e[1] == ARGV[1] and e[2] == '0' then redis.call('DEL', KEYS[1]) end
return 0
)lua";

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(absl::StrCat("Redis request ledger: unexpected answer to ", what));
}

}  // namespace

std::string RedisRequestLedger::KeyOf(const RequestKey& key) const {
  return absl::StrCat(options_.prefix, ":", static_cast<int>(key.environment), ":", key.method, ":", key.request_id);
}

absl::StatusOr<Decision> RedisRequestLedger::Claim(const RequestKey& key, absl::string_view fingerprint,
                                                   absl::Duration lease, bool settle) {
  const absl::Time now = options_.clock();
  Decision decision;
  decision.token = NewToken();
  auto reply = redis_.Command(
      {"EVAL", kClaimScript, "1", KeyOf(key), std::string(fingerprint), decision.token,
       absl::StrCat(absl::ToUnixMicros(now)), absl::StrCat(absl::ToUnixMicros(now + lease)),
       absl::StrCat(absl::ToInt64Microseconds(kRetention)), settle ? "1" : "0",
       absl::StrCat(absl::ToInt64Milliseconds(kRetention + lease))},
      "a request id claim");
  if (!reply.ok()) return reply.status();
  if (reply->elements.size() != 4) return Malformed("a request id claim");
  const std::string& state = reply->elements[0].text;
  int kind = 0;
  if (!absl::SimpleAtoi(reply->elements[1].text, &kind) || kind < 0 || kind > 2) {
    return Malformed("a request id claim (kind)");
  }
  decision.outcome.kind = static_cast<Outcome::Kind>(kind);
  decision.outcome.body = reply->elements[2].text;
  if (state == "new") {
    decision.state = Decision::State::kNew;
    decision.outcome = Outcome();
  } else if (state == "unsettled") {
    decision.state = Decision::State::kUnsettled;
  } else {
    decision.token.clear();
    if (state == "done") {
      decision.state = Decision::State::kDone;
    } else if (state == "conflict") {
      decision.state = Decision::State::kConflict;
      decision.outcome = Outcome();
    } else if (int64_t lease_until_us = 0; state == "in_flight" &&
                                           absl::SimpleAtoi(reply->elements[3].text, &lease_until_us)) {
      decision.state = Decision::State::kInFlight;
      decision.lease_until = absl::FromUnixMicros(lease_until_us);
      decision.outcome = Outcome();
    } else {
      return Malformed("a request id claim (state)");
    }
  }
  return decision;
}

absl::Status RedisRequestLedger::Record(const RequestKey& key, absl::string_view token, const Outcome& outcome) {
  auto reply = redis_.Command({"EVAL", kRecordScript, "1", KeyOf(key), std::string(token),
                                absl::StrCat(static_cast<int>(outcome.kind)), outcome.body},
                               "the record of a request's outcome");
  if (!reply.ok()) return reply.status();
  if (reply->integer == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("request ledger: the claim on request_id ", key.request_id, " was taken over before its outcome"));
  }
  return absl::OkStatus();
}

absl::Status RedisRequestLedger::Release(const RequestKey& key, absl::string_view token) {
  auto reply =
      redis_.Command({"EVAL", kReleaseScript, "1", KeyOf(key), std::string(token)}, "the release of a request id");
  return reply.ok() ? absl::OkStatus() : reply.status();
}

}  // namespace gateway::requests
