// The in-memory records of the Partner API emulator and the clock-driven
// transitions between their states. PartnerEmulator owns one EmulatorState
// and guards it with its mutex; the per-resource handlers (resource_api.h)
// read and change it.
#ifndef GATEWAY_SANDBOX_EMULATOR_STATE_H_
#define GATEWAY_SANDBOX_EMULATOR_STATE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sandbox/api_types.h"
#include "sandbox/json_util.h"

namespace gateway::sandbox {

// Records of one kind, in creation order (the order lists page through),
// with an index by id. Records are never erased, so positions are stable.
template <typename Record>
class Table {
 public:
  Record& Add(Record record) {
    by_id_[record.id] = rows_.size();
    return rows_.emplace_back(std::move(record));
  }
  Record* Find(absl::string_view id) {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &rows_[it->second];
  }
  size_t IndexOf(const Record& record) const { return by_id_.at(record.id); }
  size_t size() const { return rows_.size(); }
  Record& operator[](size_t i) { return rows_[i]; }
  const Record& operator[](size_t i) const { return rows_[i]; }
  std::vector<Record>& rows() { return rows_; }

 private:
  std::vector<Record> rows_;
  absl::flat_hash_map<std::string, size_t> by_id_;
};

// A name an order or a user-name swap puts on inboxes.
struct Persona {
  std::string first_name;
  std::string last_name;
  json profile_picture_url;  // as sent: a string or null
};

struct User {
  std::string id;  // usr_…
  std::string email;
  std::string first_name;
  std::string last_name;
  std::optional<int64_t> client_id;  // sequencer route; nullopt = default
  bool deleted = false;
  absl::Time created;
};

// The fields of a bundle a partner sets.
struct BundlePlan {
  std::string name;
  int64_t monthly_sending_volume = 0;
  std::optional<int64_t> google_percent;  // set together with microsoft's
  std::optional<int64_t> microsoft_percent;
  bool send_on_weekends = false;
  int64_t google_inboxes_per_domain = 2;
};

struct Bundle {
  std::string id;  // bun_…
  BundlePlan plan;
  // required_domains, derived from the plan.
  int64_t google_domains = 0;
  int64_t microsoft_domains = 0;
  bool archived = false;
  bool removed = false;  // deleted before any order used it: gone
  bool used = false;     // an order was placed on it
  absl::Time created;
};

struct Order {
  std::string id;  // ord_…
  std::string user_id;
  std::optional<std::string> bundle_id;
  // POST /orders' answer (status "in_progress"); a dedupe replay returns it.
  json receipt;
  // in_progress | completed | action_required | cancel_scheduled | cancelled
  std::string status = "in_progress";
  bool needs_action = false;  // settles as action_required, not completed
  int64_t google_inboxes_per_domain = 2;
  std::vector<size_t> domains;  // into EmulatorState::domains, request order
  absl::Time created;
  absl::Time renews;
};

struct Domain {
  std::string id;        // dom_…
  std::string name;      // lower-cased
  std::string category;  // inventory | connected
  // available (inventory) | active | cancel_scheduled | cancelled
  std::string status;
  std::string provider;  // google | microsoft; empty in inventory
  std::string user_id;   // empty in inventory
  std::string order_id;  // empty in inventory
  std::vector<std::string> usable_for;
  std::optional<std::string> forwarding_url;
  absl::Time created;
};

// A synchronous import or an import job; both share one shape.
struct DomainImport {
  std::string id;  // imp_…
  // As sent (synchronous) or normalized: trimmed, lower-cased, sorted,
  // unique (job).
  std::vector<std::string> domains;
  absl::Time created;
  std::optional<absl::Time> completed;  // nullopt while in progress
};

struct ForwardingJob {
  std::string id;  // fwj_…
  std::string forwarding_url;
  std::vector<std::string> targets;    // dom_ ids or names, as sent
  std::vector<std::string> completed;  // domain names
  std::vector<std::pair<std::string, std::string>> failed;  // domain, reason
  absl::Time created;
  std::optional<absl::Time> completed_at;  // nullopt while in progress
};

struct Swap {
  std::string id;    // swp_…
  std::string type;  // standard | premium | user_names
  std::string domain_id;
  std::optional<std::string> replacement_domain;  // nullopt for user_names
  // created | in_progress | completed | failed | action_required
  std::string status;
  std::string user_id;   // of the swapped domain
  std::string order_id;  // of the swapped domain
  absl::Time created;
};

// A row of GET /orders/pending; the sandbox never resolves one.
struct PendingAction {
  std::string id;  // act_…
  std::string order_id;
  size_t domain = 0;  // into EmulatorState::domains
  Persona persona;
  absl::Time created;  // listed from then on
};

// How new orders' webhook events are timed and shaped
// (PartnerEmulator::Options).
struct WebhookSettings {
  WebhookDataShape data = WebhookDataShape::kNested;
  absl::Duration delay = absl::ZeroDuration();
  absl::Duration interval = absl::Milliseconds(200);
};

// The records are public: the resource handlers read and change them
// directly, always under PartnerEmulator's mutex.
class EmulatorState {
 public:
  explicit EmulatorState(WebhookSettings webhook_settings)
      : webhooks(webhook_settings) {}

  // ULID-like: 10 chars of `now` in milliseconds, then 16 of a counter, so
  // ids are unique within a process and sort by creation.
  std::string NewId(absl::string_view prefix, absl::Time now);
  // Runs `transition` at the first Settle() with a time >= `when`.
  void At(absl::Time when, std::function<void(EmulatorState&)> transition);
  // Runs every transition due by `now`, earliest first. Called before each
  // Partner API request is answered, so reads see the state at `now`.
  void Settle(absl::Time now);

  const WebhookSettings webhooks;
  Table<User> users;
  // Lower-cased email -> id of the active user holding it.
  absl::flat_hash_map<std::string, std::string> active_user_by_email;
  Table<Bundle> bundles;
  Table<Order> orders;
  // (api key + '\n' + body bytes) -> the order it created.
  absl::flat_hash_map<std::string, std::string> order_dedupe;
  Table<Domain> domains;
  // Lower-cased names imported successfully; usable for either provider.
  absl::flat_hash_set<std::string> imported_domains;
  Table<DomainImport> imports;
  // Normalized domain set of an import job -> its id.
  absl::flat_hash_map<std::string, std::string> import_jobs_by_set;
  Table<ForwardingJob> forwarding_jobs;
  Table<Swap> swaps;
  Table<PendingAction> actions;

 private:
  uint64_t id_counter_ = 0;
  std::multimap<absl::Time, std::function<void(EmulatorState&)>> timers_;
};

}  // namespace gateway::sandbox

#endif  // GATEWAY_SANDBOX_EMULATOR_STATE_H_
