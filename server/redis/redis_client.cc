#include "server/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gateway::redis {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(100);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);

timeval Timeval(absl::Duration duration) {
  timeval value{};
  value.tv_sec = absl::ToInt64Seconds(duration);
  value.tv_usec = absl::ToInt64Microseconds(duration) % 1'000'000;
  return value;
}

Reply Copy(const redisReply& from) {
  Reply to;
  switch (from.type) {
    case REDIS_REPLY_STRING: to.type = Reply::kString; break;
    case REDIS_REPLY_ARRAY: to.type = Reply::kArray; break;
    case REDIS_REPLY_INTEGER: to.type = Reply::kInteger; break;
    case REDIS_REPLY_NIL: to.type = Reply::kNil; break;
    case REDIS_REPLY_STATUS: to.type = Reply::kStatus; break;
    case REDIS_REPLY_ERROR: to.type = Reply::kError; break;
    default: to.type = Reply::kOther; break;
  }
  to.integer = from.integer;
  if (from.str != nullptr) to.text.assign(from.str, from.len);
  for (size_t i = 0; i < from.elements; ++i) to.elements.push_back(Copy(*from.element[i]));
  return to;
}

}  // namespace

RedisClient::~RedisClient() {
  absl::MutexLock lock(&mu_);
  if (context_ != nullptr) redisFree(context_);
}

absl::Status RedisClient::Connect() {
  const absl::Time now = absl::Now();
  if (now < next_attempt_) return last_error_;
  redisContext* context = redisConnectWithTimeout(options_.host.c_str(), options_.port, Timeval(options_.timeout));
  absl::Status status;
  if (context == nullptr || context->err != 0) {
    status = absl::UnavailableError(absl::StrCat("Redis at ", options_.host, ":", options_.port, ": ",
                                                 context != nullptr ? context->errstr : "out of memory"));
    if (context != nullptr) redisFree(context);
  } else {
    context_ = context;
    std::vector<std::vector<std::string>> setup;
    if (options_.password != nullptr) setup.push_back({"AUTH", std::string(options_.password->Current().Reveal())});
    setup.push_back({"SELECT", absl::StrCat(options_.db)});
    for (const auto& command : setup) {
      bool closed = false;
      status = Send(command, command.front() == "AUTH" ? "AUTH (the password file's password)" : "SELECT",
                    options_.timeout, closed)
                   .status();
      if (!status.ok()) break;
    }
  }
  if (status.ok()) {
    backoff_ = absl::ZeroDuration();
    return status;
  }
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
  backoff_ = std::clamp(2 * backoff_, kFirstBackoff, kMaxBackoff);
  next_attempt_ = now + backoff_;
  last_error_ = status;
  return status;
}

absl::StatusOr<Reply> RedisClient::Send(const std::vector<std::string>& args, absl::string_view what,
                                        absl::Duration timeout, bool& closed) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  redisSetTimeout(context_, Timeval(timeout));
  auto* raw = static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (raw == nullptr) {
    closed = context_->err == REDIS_ERR_EOF || (context_->err == REDIS_ERR_IO && (errno == ECONNRESET || errno == EPIPE));
    const std::string error = context_->errstr;
    redisFree(context_);
    context_ = nullptr;
    return absl::UnavailableError(absl::StrCat("Redis at ", options_.host, ":", options_.port, " (", what, "): ", error));
  }
  Reply reply = Copy(*raw);
  freeReplyObject(raw);
  if (reply.type == Reply::kError) {
    return absl::UnavailableError(absl::StrCat("Redis refused ", what, ": ", reply.text));
  }
  return reply;
}

absl::StatusOr<Reply> RedisClient::Command(const std::vector<std::string>& args, absl::string_view what,
                                           absl::Duration timeout) {
  if (timeout == absl::ZeroDuration()) timeout = options_.timeout;
  absl::MutexLock lock(&mu_);
  const bool reused = context_ != nullptr;
  if (!reused) {
    if (absl::Status connected = Connect(); !connected.ok()) return connected;
  }
  bool closed = false;
  absl::StatusOr<Reply> reply = Send(args, what, timeout, closed);
  // A connection idle since Redis restarted fails its next command at once.
  if (!reply.ok() && reused && closed) {
    if (absl::Status connected = Connect(); !connected.ok()) return connected;
    reply = Send(args, what, timeout, closed);
  }
  return reply;
}

}  // namespace gateway::redis
