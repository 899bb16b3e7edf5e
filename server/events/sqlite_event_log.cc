#include "server/events/sqlite_event_log.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "server/common/status_macros.h"
#include "server/events/webhook_envelope.h"
#include "server/sqlite/sqlite_db.h"

namespace gateway::events {
namespace {

using sqlite::ColumnText;
using sqlite::Exec;
using sqlite::OwnedStatement;
using sqlite::PrepareOnce;
using sqlite::QueryInt;
using sqlite::SqliteError;
using sqlite::Use;
using sqlite::WriteTransaction;

// The schema this build reads and writes, kept in `PRAGMA user_version`. A
// new file has version 0 and no tables. Version 1 kept one `user` column
// (an email, else an id); MigrateToVersion2 upgrades such a file in place.
constexpr int kSchemaVersion = 2;

constexpr int64_t kMaxInt64 = std::numeric_limits<int64_t>::max();

// `cursor` is the rowid; AUTOINCREMENT keeps the highest cursor ever used in
// sqlite_sequence, so cursors are not reused even once every row is deleted.
// The order_id index holds the rowid too: it serves `order_id = ? AND
// cursor > ? ORDER BY cursor` without sorting. Retention needs no index on
// received_at: it walks the log in cursor order from the oldest event (see
// DropReceivedBefore).
constexpr char kCreateSchema[] = R"sql(
CREATE TABLE events (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  environment INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  received_at_us INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_email TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX events_by_order_id ON events (order_id);
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('pruned_through', 0);
)sql";

constexpr char kColumns[] =
    "cursor, id, type, environment, created_at_us, received_at_us, order_id, user_id, user_email, data";

// Reads a row selected with kColumns.
StoredEvent EventFromRow(sqlite3_stmt* statement) {
  StoredEvent event;
  event.cursor = static_cast<uint64_t>(sqlite3_column_int64(statement, 0));
  event.id = ColumnText(statement, 1);
  event.type = ColumnText(statement, 2);
  event.environment = static_cast<peeker::partner::v1::Environment>(sqlite3_column_int(statement, 3));
  event.created_at = absl::FromUnixMicros(sqlite3_column_int64(statement, 4));
  event.received_at = absl::FromUnixMicros(sqlite3_column_int64(statement, 5));
  event.order_id = ColumnText(statement, 6);
  event.user_id = ColumnText(statement, 7);
  event.user_email = ColumnText(statement, 8);
  event.data = ColumnText(statement, 9);
  return event;
}

absl::StatusOr<std::vector<StoredEvent>> ReadEvents(Use& use, absl::string_view label) {
  std::vector<StoredEvent> events;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, use.Step(label, "read events"));
    if (!row) return events;
    events.push_back(EventFromRow(use.statement()));
  }
}

// Version 1 → 2: the one `user` column becomes `user_id` and `user_email`,
// both read again from each stored event's `data`, so that events of either
// data shape can be found by id and by email. Runs inside the schema
// transaction.
absl::Status MigrateToVersion2(sqlite3* db, absl::string_view label) {
  RETURN_IF_ERROR(Exec(db, label,
                       "ALTER TABLE events DROP COLUMN user;"
                       "ALTER TABLE events ADD COLUMN user_id TEXT NOT NULL DEFAULT '';"
                       "ALTER TABLE events ADD COLUMN user_email TEXT NOT NULL DEFAULT '';",
                       "open (migrate the schema to version 2)"));
  ASSIGN_OR_RETURN(OwnedStatement read, PrepareOnce(db, label, "SELECT cursor, data FROM events", "open (migrate)"));
  ASSIGN_OR_RETURN(OwnedStatement write,
                   PrepareOnce(db, label, "UPDATE events SET user_id = ?2, user_email = ?3 WHERE cursor = ?1",
                               "open (migrate)"));
  Use rows(db, read.get());
  while (true) {
    ASSIGN_OR_RETURN(const bool row, rows.Step(label, "open (migrate: read events)"));
    if (!row) return absl::OkStatus();
    const std::string data = ColumnText(read.get(), 1);
    const Customer customer =
        CustomerOf(nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false));
    Use update(db, write.get());
    update.Int(1, sqlite3_column_int64(read.get(), 0));
    update.Text(2, customer.id);
    update.Text(3, customer.email);
    RETURN_IF_ERROR(update.Run(label, "open (migrate: update an event)"));
  }
}

absl::Status WriteSchemaVersion(sqlite3* db, absl::string_view label) {
  return Exec(db, label, absl::StrCat("PRAGMA user_version = ", kSchemaVersion).c_str(), "open (write schema version)");
}

// Creates the schema in a new file, upgrades an older one, or checks that an
// existing file has the schema this build knows.
absl::Status EnsureSchema(sqlite3* db, absl::string_view label) {
  RETURN_IF_ERROR(Exec(db, label, "BEGIN IMMEDIATE", "open (begin schema check)"));
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(const int64_t version, QueryInt(db, label, "PRAGMA user_version", "open (read schema version)"));
    if (version == kSchemaVersion) return absl::OkStatus();
    if (version == 1) {
      RETURN_IF_ERROR(MigrateToVersion2(db, label));
      return WriteSchemaVersion(db, label);
    }
    if (version != 0) {
      return absl::FailedPreconditionError(absl::StrCat(label, ": the file has schema version ", version,
                                                        "; this build reads version ", kSchemaVersion));
    }
    // The request ledger's table (server/requests/) may be there already.
    ASSIGN_OR_RETURN(const int64_t objects,
                     QueryInt(db, label, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'requests%'",
                              "open (read schema)"));
    if (objects != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(label, ": the file is an SQLite database but not an event log"));
    }
    RETURN_IF_ERROR(Exec(db, label, kCreateSchema, "open (create schema)"));
    return WriteSchemaVersion(db, label);
  }();
  if (status.ok()) status = Exec(db, label, "COMMIT", "open (commit schema)");
  if (!status.ok() && !sqlite3_get_autocommit(db)) (void)Exec(db, label, "ROLLBACK", "open (roll back)");
  return status;
}

}  // namespace

struct SqliteEventLog::Statements : sqlite::PersistentStatements {
  sqlite3_stmt* find_id = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* read_all = nullptr;
  sqlite3_stmt* read_order = nullptr;
  sqlite3_stmt* bounds = nullptr;
  sqlite3_stmt* first_kept = nullptr;
  sqlite3_stmt* last_dropped = nullptr;
  sqlite3_stmt* drop_through = nullptr;
  sqlite3_stmt* set_pruned = nullptr;

  absl::Status PrepareAll(sqlite3* db, absl::string_view label) {
    return Prepare(
        db, label,
        {
            {&find_id, "SELECT cursor FROM events WHERE id = ?1"},
            {&insert,
             "INSERT INTO events (id, type, environment, created_at_us, received_at_us, order_id, user_id, "
             "user_email, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
            {&read_all, absl::StrCat("SELECT ", kColumns, " FROM events WHERE cursor > ?1 ORDER BY cursor LIMIT ?2")},
            {&read_order, absl::StrCat("SELECT ", kColumns,
                                       " FROM events WHERE order_id = ?3 AND cursor > ?1 ORDER BY cursor LIMIT ?2")},
            {&bounds,
             "SELECT (SELECT value FROM meta WHERE key = 'pruned_through'), "
             "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)"},
            // The unary + keeps the planner on the cursor order, so the scan
            // stops at the first event to keep.
            {&first_kept, "SELECT cursor FROM events WHERE +received_at_us >= ?1 ORDER BY cursor LIMIT 1"},
            {&last_dropped, "SELECT MAX(cursor) FROM events WHERE cursor <= ?1"},
            {&drop_through, "DELETE FROM events WHERE cursor <= ?1"},
            {&set_pruned, "UPDATE meta SET value = MAX(value, ?1) WHERE key = 'pruned_through'"},
        });
  }
};

absl::StatusOr<std::unique_ptr<SqliteEventLog>> SqliteEventLog::Open(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("event log: the path is empty");
  const std::string label = absl::StrCat("event log ", path);
  ASSIGN_OR_RETURN(sqlite::OwnedDb db, sqlite::Open(path, label));
  RETURN_IF_ERROR(EnsureSchema(db.get(), label));

  auto statements = std::make_unique<Statements>();
  RETURN_IF_ERROR(statements->PrepareAll(db.get(), label));
  return std::unique_ptr<SqliteEventLog>(new SqliteEventLog(label, db.release(), std::move(statements)));
}

SqliteEventLog::SqliteEventLog(std::string label, sqlite3* db, std::unique_ptr<Statements> statements)
    : label_(std::move(label)), db_(db), statements_(std::move(statements)) {}

SqliteEventLog::~SqliteEventLog() {
  // Statements first: closing a connection with live statements only defers
  // the close.
  statements_->Finalize();
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::vector<EventLog::Appended>> SqliteEventLog::AppendBatch(absl::Span<const StoredEvent> events) {
  std::vector<Appended> results(events.size());
  if (events.empty()) return results;
  for (const StoredEvent& event : events) {
    if (event.id.empty()) return absl::InvalidArgumentError("event log: an event without an id cannot be stored");
  }
  absl::MutexLock lock(&mu_);
  const Statements& st = *statements_;
  WriteTransaction transaction(db_, label_, st);
  RETURN_IF_ERROR(transaction.Begin("append (begin)"));
  bool stored_any = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const StoredEvent& event = events[i];
    Appended& appended = results[i];
    {
      // The transaction sees its own inserts, so this also finds an id that
      // came earlier in the batch.
      Use find(db_, st.find_id);
      find.Text(1, event.id);
      ASSIGN_OR_RETURN(const bool found, find.Step(label_, "append (look up id)"));
      if (found) {
        appended.cursor = static_cast<uint64_t>(sqlite3_column_int64(st.find_id, 0));
        appended.duplicate = true;
        continue;
      }
    }
    Use insert(db_, st.insert);
    insert.Text(1, event.id);
    insert.Text(2, event.type);
    insert.Int(3, static_cast<int64_t>(event.environment));
    insert.Int(4, absl::ToUnixMicros(event.created_at));
    insert.Int(5, absl::ToUnixMicros(event.received_at));
    insert.Text(6, event.order_id);
    insert.Text(7, event.user_id);
    insert.Text(8, event.user_email);
    insert.Text(9, event.data);
    RETURN_IF_ERROR(insert.Run(label_, "append (insert)"));
    appended.cursor = static_cast<uint64_t>(sqlite3_last_insert_rowid(db_));
    stored_any = true;
  }
  RETURN_IF_ERROR(transaction.Commit("append (commit)"));
  if (stored_any) {
    absl::MutexLock appends_lock(&appends_mu_);
    ++appends_;
  }
  return results;
}

absl::StatusOr<std::vector<StoredEvent>> SqliteEventLog::Follow(uint64_t after, size_t limit, absl::Duration wait) {
  uint64_t appends_before = 0;
  {
    absl::MutexLock lock(&appends_mu_);
    appends_before = appends_;
  }
  ASSIGN_OR_RETURN(std::vector<StoredEvent> events, ReadAfter(after, limit, {}));
  if (!events.empty()) return events;
  {
    absl::MutexLock lock(&appends_mu_);
    const auto appended = [this, appends_before]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(appends_mu_) {
      return appends_ != appends_before;
    };
    if (!appends_mu_.AwaitWithTimeout(absl::Condition(&appended), wait)) return events;
  }
  return ReadAfter(after, limit, {});
}

absl::StatusOr<std::vector<StoredEvent>> SqliteEventLog::ReadAfter(uint64_t after, size_t limit,
                                                                   absl::Span<const std::string> order_ids) {
  // No cursor is above the int64 range SQLite's rowids live in.
  if (limit == 0 || after >= static_cast<uint64_t>(kMaxInt64)) return std::vector<StoredEvent>();
  const auto after_value = static_cast<int64_t>(after);
  const auto limit_value = static_cast<int64_t>(std::min<uint64_t>(limit, static_cast<uint64_t>(kMaxInt64)));

  std::vector<absl::string_view> orders(order_ids.begin(), order_ids.end());
  std::sort(orders.begin(), orders.end());
  orders.erase(std::unique(orders.begin(), orders.end()), orders.end());
  if (orders.size() > kMaxOrderIds) {
    return absl::InvalidArgumentError(
        absl::StrCat("event log: cannot filter by more than ", kMaxOrderIds, " order ids at once"));
  }

  absl::MutexLock lock(&mu_);
  if (orders.size() <= 1) {
    Use read(db_, orders.empty() ? statements_->read_all : statements_->read_order);
    read.Int(1, after_value);
    read.Int(2, limit_value);
    if (!orders.empty()) read.Text(3, orders.front());
    return ReadEvents(read, label_);
  }
  // Rare enough (a client following several orders) that a statement
  // prepared per call costs nothing next to the read.
  std::string sql = absl::StrCat("SELECT ", kColumns, " FROM events WHERE cursor > ?1 AND order_id IN (?3");
  for (size_t i = 1; i < orders.size(); ++i) absl::StrAppend(&sql, ", ?", i + 3);
  absl::StrAppend(&sql, ") ORDER BY cursor LIMIT ?2");
  ASSIGN_OR_RETURN(OwnedStatement statement, PrepareOnce(db_, label_, sql, "read events (prepare)"));
  Use read(db_, statement.get());
  read.Int(1, after_value);
  read.Int(2, limit_value);
  for (size_t i = 0; i < orders.size(); ++i) read.Text(static_cast<int>(i + 3), orders[i]);
  return ReadEvents(read, label_);
}

absl::StatusOr<EventLog::Bounds> SqliteEventLog::GetBounds() {
  absl::MutexLock lock(&mu_);
  Use read(db_, statements_->bounds);
  ASSIGN_OR_RETURN(const bool row, read.Step(label_, "read bounds"));
  if (!row) return absl::InternalError(absl::StrCat(label_, ": read bounds returned no row"));
  Bounds bounds;
  bounds.pruned_through = static_cast<uint64_t>(sqlite3_column_int64(statements_->bounds, 0));
  bounds.last = static_cast<uint64_t>(sqlite3_column_int64(statements_->bounds, 1));
  return bounds;
}

absl::StatusOr<int64_t> SqliteEventLog::DropReceivedBefore(absl::Time cutoff) {
  const int64_t cutoff_us = CeilMicros(cutoff);

  absl::MutexLock lock(&mu_);
  const Statements& st = *statements_;
  WriteTransaction transaction(db_, label_, st);
  RETURN_IF_ERROR(transaction.Begin("drop old events (begin)"));

  // Only the events before the oldest one to keep go, so that what is
  // deleted is always a prefix and pruned_through stays exact even when
  // received_at is not in cursor order (concurrent appends, a clock step).
  int64_t drop_through = kMaxInt64;
  {
    Use find(db_, st.first_kept);
    find.Int(1, cutoff_us);
    ASSIGN_OR_RETURN(const bool found, find.Step(label_, "drop old events (find first kept)"));
    if (found) drop_through = sqlite3_column_int64(st.first_kept, 0) - 1;
  }
  int64_t last_dropped = 0;
  {
    Use find(db_, st.last_dropped);
    find.Int(1, drop_through);
    ASSIGN_OR_RETURN(const bool row, find.Step(label_, "drop old events (find last dropped)"));
    if (row) last_dropped = sqlite3_column_int64(st.last_dropped, 0);  // 0 for NULL: nothing to drop
  }
  if (last_dropped == 0) return int64_t{0};

  int64_t dropped = 0;
  {
    Use drop(db_, st.drop_through);
    drop.Int(1, last_dropped);
    RETURN_IF_ERROR(drop.Run(label_, "drop old events (delete)"));
    dropped = sqlite3_changes64(db_);
  }
  {
    Use update(db_, st.set_pruned);
    update.Int(1, last_dropped);
    RETURN_IF_ERROR(update.Run(label_, "drop old events (update pruned_through)"));
  }
  RETURN_IF_ERROR(transaction.Commit("drop old events (commit)"));
  return dropped;
}

}  // namespace gateway::events
