#include "server/events/redis_event_log.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gateway::events {

namespace {

constexpr size_t kDropChunk = 500;
// The most events one read returns, whatever its limit (Lua keeps integers
// exact below 2^53).
constexpr size_t kMaxRead = 1'000'000'000;

// Stores each event unless its id is stored already; KEYS: next, log, ids,
// then one order key per event; ARGV: 9 fields per event. Returns cursor,
// duplicate (0/1) per event.
constexpr char kAppendScript[] = R"lua(
local out = {}
for i = 0, #KEYS - 4 do
  local b = i * 9
  local id = ARGV[b + 1]
  local cursor = redis.call('HGET', KEYS[3], id)
  if cursor then
    out[#out + 1] = tonumber(cursor)
    out[#out + 1] = 1
  else
    cursor = redis.call('INCR', KEYS[1])
    redis.call('XADD', KEYS[2], cursor .. '-0', 'id', id, 'type', ARGV[b + 2], 'environment', ARGV[b + 3],
               'created_us', ARGV[b + 4], 'received_us', ARGV[b + 5], 'order_id', ARGV[b + 6],
               'user_id', ARGV[b + 7], 'user_email', ARGV[b + 8], 'data', ARGV[b + 9])
    redis.call('HSET', KEYS[3], id, cursor)
    if ARGV[b + 6] ~= '' then redis.call('ZADD', KEYS[4 + i], cursor, cursor) end
    out[#out + 1] = cursor
    out[#out + 1] = 0
  end
end
return out
)lua";

// The entries of the orders' events after ARGV[1], at most ARGV[2], oldest
// first; KEYS: log, then the orders' index keys.
constexpr char kReadOrdersScript[] = R"lua(
local limit = tonumber(ARGV[2])
local cursors = {}
for i = 2, #KEYS do
  for _, c in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], '(' .. ARGV[1], '+inf', 'LIMIT', 0, limit)) do
    cursors[#cursors + 1] = tonumber(c)
  end
end
table.sort(cursors)
local out = {}
for i = 1, math.min(#cursors, limit) do
  local entry = redis.call('XRANGE', KEYS[1], cursors[i] .. '-0', cursors[i] .. '-0')
  if entry[1] then out[#out + 1] = entry[1] end
end
return out
)lua";

// Deletes, oldest first, up to ARGV[2] events received before ARGV[1] (µs),
// stopping at the first to keep, so that what goes is always a prefix;
// KEYS: log, ids, pruned; ARGV[3]: the prefix of order index keys. Returns
// {dropped, finished}.
constexpr char kDropScript[] = R"lua(
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', tonumber(ARGV[2]))
local dropped, last, finished = 0, nil, #entries < tonumber(ARGV[2])
for _, entry in ipairs(entries) do
  local f = {}
  for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
  if tonumber(f.received_us) >= tonumber(ARGV[1]) then
    finished = true
    break
  end
  local cursor = string.match(entry[1], '^(%d+)')
  redis.call('XDEL', KEYS[1], entry[1])
  redis.call('HDEL', KEYS[2], f.id)
  if f.order_id ~= '' then redis.call('ZREM', ARGV[3] .. f.order_id, cursor) end
  last = tonumber(cursor)
  dropped = dropped + 1
end
if last and last > tonumber(redis.call('GET', KEYS[3]) or '0') then redis.call('SET', KEYS[3], last) end
return {dropped, finished and 1 or 0}
)lua";

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(absl::StrCat("Redis event log: unexpected answer to ", what));
}

absl::StatusOr<uint64_t> Unsigned(const std::string& text, absl::string_view what) {
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return Malformed(what);
  return value;
}

// The event a stream entry holds.
absl::StatusOr<StoredEvent> EventOf(const std::vector<std::string>& fields, const std::string& entry_id) {
  StoredEvent event;
  auto cursor = Unsigned(std::string(absl::StripSuffix(entry_id, "-0")), "a read of events (entry id)");
  if (!cursor.ok()) return cursor.status();
  event.cursor = *cursor;
  if (fields.size() % 2 != 0) return Malformed("a read of events (fields)");
  for (size_t i = 0; i < fields.size(); i += 2) {
    const std::string& name = fields[i];
    const std::string& value = fields[i + 1];
    int64_t number = 0;
    if (name == "id") {
      event.id = value;
    } else if (name == "type") {
      event.type = value;
    } else if (name == "order_id") {
      event.order_id = value;
    } else if (name == "user_id") {
      event.user_id = value;
    } else if (name == "user_email") {
      event.user_email = value;
    } else if (name == "data") {
      event.data = value;
    } else if (!absl::SimpleAtoi(value, &number)) {
      return Malformed(absl::StrCat("a read of events (", name, ")"));
    } else if (name == "environment") {
      event.environment = static_cast<peeker::partner::v1::Environment>(number);
    } else if (name == "created_us") {
      event.created_at = absl::FromUnixMicros(number);
    } else if (name == "received_us") {
      event.received_at = absl::FromUnixMicros(number);
    }
  }
  return event;
}

}  // namespace

RedisEventLog::RedisEventLog(Options options)
    : options_(std::move(options)), commands_(options_.server), follow_(options_.server) {}

absl::StatusOr<std::vector<EventLog::Appended>> RedisEventLog::AppendBatch(absl::Span<const StoredEvent> events) {
  std::vector<Appended> appended;
  if (events.empty()) return appended;
  std::vector<std::string> args = {"EVAL", kAppendScript, absl::StrCat(3 + events.size()),
                                   options_.prefix + ":next", options_.prefix + ":log", options_.prefix + ":ids"};
  for (const StoredEvent& event : events) args.push_back(absl::StrCat(options_.prefix, ":order:", event.order_id));
  for (const StoredEvent& event : events) {
    for (std::string field : {event.id, event.type, absl::StrCat(static_cast<int>(event.environment)),
                              absl::StrCat(absl::ToUnixMicros(event.created_at)),
                              absl::StrCat(absl::ToUnixMicros(event.received_at)), event.order_id, event.user_id,
                              event.user_email, event.data}) {
      args.push_back(std::move(field));
    }
  }
  auto reply = commands_.Command(args, "the append of events");
  if (!reply.ok()) return reply.status();
  if (reply->elements.size() != 2 * events.size()) return Malformed("the append of events");
  for (size_t i = 0; i < events.size(); ++i) {
    appended.push_back({static_cast<uint64_t>(reply->elements[2 * i].integer), reply->elements[2 * i + 1].integer != 0});
  }
  if (options_.min_replicas > 0) {
    const absl::Duration timeout = options_.server.timeout;
    auto waited = commands_.Command(
        {"WAIT", absl::StrCat(options_.min_replicas), absl::StrCat(absl::ToInt64Milliseconds(timeout))},
        "WAIT for replicas", 2 * timeout);
    if (!waited.ok()) return waited.status();
    if (waited->integer < options_.min_replicas) {
      return absl::UnavailableError(absl::StrCat("only ", waited->integer, " of the ", options_.min_replicas,
                                                 " Redis replicas required acknowledged the events in time"));
    }
  }
  return appended;
}

absl::StatusOr<std::vector<StoredEvent>> RedisEventLog::ReadAfter(uint64_t after, size_t limit,
                                                                  absl::Span<const std::string> order_ids) {
  std::vector<StoredEvent> events;
  if (limit == 0) return events;
  const std::string count = absl::StrCat(std::min(limit, kMaxRead));
  std::vector<std::string> args;
  if (order_ids.empty()) {
    args = {"XRANGE", options_.prefix + ":log", absl::StrCat("(", after, "-0"), "+", "COUNT", count};
  } else {
    args = {"EVAL", kReadOrdersScript, "0", options_.prefix + ":log"};
    absl::flat_hash_set<std::string> seen;
    for (const std::string& order_id : order_ids) {
      if (seen.insert(order_id).second) args.push_back(absl::StrCat(options_.prefix, ":order:", order_id));
    }
    args[2] = absl::StrCat(args.size() - 3);
    args.push_back(absl::StrCat(after));
    args.push_back(count);
  }
  auto reply = commands_.Command(args, "a read of events");
  if (!reply.ok()) return reply.status();
  return EventsOf(*reply);
}

absl::StatusOr<std::vector<StoredEvent>> RedisEventLog::Follow(uint64_t after, size_t limit, absl::Duration wait) {
  // BLOCK 0 would wait for ever.
  const int64_t block_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(wait));
  auto reply = follow_.Command({"XREAD", "COUNT", absl::StrCat(std::min(limit, kMaxRead)), "BLOCK", absl::StrCat(block_ms),
                        "STREAMS", options_.prefix + ":log", absl::StrCat(after, "-0")},
                               "a wait for new events", wait + options_.server.timeout);
  if (!reply.ok()) return reply.status();
  if (reply->type == redis::Reply::kNil || reply->elements.empty()) return std::vector<StoredEvent>();
  // One stream: [[key, entries]].
  if (reply->elements[0].elements.size() != 2) return Malformed("a wait for new events");
  return EventsOf(reply->elements[0].elements[1]);
}

absl::StatusOr<std::vector<StoredEvent>> RedisEventLog::EventsOf(const redis::Reply& entries) {
  std::vector<StoredEvent> events;
  for (const redis::Reply& entry : entries.elements) {
    if (entry.elements.size() != 2) return Malformed("a read of events");
    std::vector<std::string> fields;
    for (const redis::Reply& field : entry.elements[1].elements) fields.push_back(field.text);
    auto event = EventOf(fields, entry.elements[0].text);
    if (!event.ok()) return event.status();
    events.push_back(*std::move(event));
  }
  return events;
}

absl::StatusOr<EventLog::Bounds> RedisEventLog::GetBounds() {
  auto reply =
      commands_.Command({"MGET", options_.prefix + ":pruned", options_.prefix + ":next"}, "a read of the bounds");
  if (!reply.ok()) return reply.status();
  if (reply->elements.size() != 2) return Malformed("a read of the bounds");
  Bounds bounds;
  for (auto [element, value] : {std::pair{&reply->elements[0], &bounds.pruned_through},
                                std::pair{&reply->elements[1], &bounds.last}}) {
    if (element->type == redis::Reply::kNil) continue;
    auto number = Unsigned(element->text, "a read of the bounds");
    if (!number.ok()) return number.status();
    *value = *number;
  }
  return bounds;
}

absl::StatusOr<int64_t> RedisEventLog::DropReceivedBefore(absl::Time cutoff) {
  int64_t dropped = 0;
  // In chunks, so that no one script holds Redis for long.
  while (true) {
    auto reply = commands_.Command({"EVAL", kDropScript, "3", options_.prefix + ":log", options_.prefix + ":ids",
                          options_.prefix + ":pruned", absl::StrCat(CeilMicros(cutoff)),
                          absl::StrCat(kDropChunk), absl::StrCat(options_.prefix, ":order:")},
                         "the deletion of old events");
    if (!reply.ok()) return reply.status();
    if (reply->elements.size() != 2) return Malformed("the deletion of old events");
    dropped += reply->elements[0].integer;
    if (reply->elements[1].integer != 0) return dropped;
  }
}

}  // namespace gateway::events
