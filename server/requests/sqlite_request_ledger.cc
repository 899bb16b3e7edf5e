#include "server/requests/sqlite_request_ledger.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/sqlite/sqlite_db.h"

namespace gateway::requests {
namespace {

using sqlite::Use;

// `token` is empty once the outcome is recorded (`done`); `body` is the
// outcome's bytes. WITHOUT ROWID: the key is the primary key, so a lookup is
// one b-tree search. Expiry deletes by `created_us`.
constexpr char kCreateSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS requests (
  environment INTEGER NOT NULL,
  method TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  token TEXT NOT NULL,
  done INTEGER NOT NULL,
  created_us INTEGER NOT NULL,
  lease_until_us INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (environment, method, request_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS requests_by_created ON requests (created_us);
)sql";

constexpr char kWhereKey[] = " WHERE environment = ?1 AND method = ?2 AND request_id = ?3";

void BindKey(Use& use, const RequestKey& key) {
  use.Int(1, static_cast<int64_t>(key.environment));
  use.Text(2, key.method);
  use.Text(3, key.request_id);
}

}  // namespace

struct SqliteRequestLedger::Statements : sqlite::PersistentStatements {
  sqlite3_stmt* find = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* take = nullptr;
  sqlite3_stmt* record = nullptr;
  sqlite3_stmt* release = nullptr;
  sqlite3_stmt* expire = nullptr;

  absl::Status PrepareAll(sqlite3* db, absl::string_view label) {
    return Prepare(
        db, label,
        {
            {&find, absl::StrCat("SELECT fingerprint, token, done, created_us, lease_until_us, kind, body "
                                 "FROM requests",
                                 kWhereKey)},
            {&insert,
             "INSERT OR REPLACE INTO requests (environment, method, request_id, fingerprint, token, done, "
             "created_us, lease_until_us, kind, body) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, 0, x'')"},
            {&take,
             absl::StrCat("UPDATE requests SET token = ?4, done = 0, lease_until_us = ?5, kind = 2", kWhereKey)},
            {&record, absl::StrCat("UPDATE requests SET token = '', done = 1, kind = ?5, body = ?6", kWhereKey,
                                   " AND token = ?4 AND done = 0")},
            {&release, absl::StrCat("DELETE FROM requests", kWhereKey, " AND token = ?4 AND done = 0")},
            {&expire, "DELETE FROM requests WHERE created_us <= ?1"},
        });
  }
};

absl::StatusOr<std::unique_ptr<SqliteRequestLedger>> SqliteRequestLedger::Open(const std::string& path,
                                                                                 Options options) {
  if (path.empty()) return absl::InvalidArgumentError("request ledger: the path is empty");
  const std::string label = absl::StrCat("request ledger ", path);
  ASSIGN_OR_RETURN(sqlite::OwnedDb db, sqlite::Open(path, label));
  RETURN_IF_ERROR(sqlite::Exec(db.get(), label, kCreateSchema, "open (create table)"));
  auto statements = std::make_unique<Statements>();
  RETURN_IF_ERROR(statements->PrepareAll(db.get(), label));
  return std::unique_ptr<SqliteRequestLedger>(
      new SqliteRequestLedger(label, db.release(), std::move(statements), std::move(options)));
}

SqliteRequestLedger::SqliteRequestLedger(std::string label, sqlite3* db, std::unique_ptr<Statements> statements,
                                         Options options)
    : label_(std::move(label)), options_(std::move(options)), db_(db), statements_(std::move(statements)) {}

SqliteRequestLedger::~SqliteRequestLedger() {
  statements_->Finalize();
  sqlite3_close_v2(db_);
}

absl::StatusOr<Decision> SqliteRequestLedger::Claim(const RequestKey& key, absl::string_view fingerprint,
                                                    absl::Duration lease, bool settle) {
  const absl::Time now = options_.clock();
  const int64_t now_us = absl::ToUnixMicros(now);
  const int64_t lease_until_us = absl::ToUnixMicros(now + lease);
  absl::MutexLock lock(&mu_);
  const Statements& st = *statements_;
  sqlite::WriteTransaction transaction(db_, label_, st);
  RETURN_IF_ERROR(transaction.Begin("claim (begin)"));

  Decision decision;
  bool found = false;
  {
    Use find(db_, st.find);
    BindKey(find, key);
    ASSIGN_OR_RETURN(found, find.Step(label_, "claim (look up)"));
    if (found) {
      const bool expired = sqlite3_column_int64(st.find, 3) + absl::ToInt64Microseconds(kRetention) <= now_us;
      if (expired) {
        found = false;
      } else if (sqlite::ColumnText(st.find, 0) != fingerprint) {
        decision.state = Decision::State::kConflict;
      } else {
        const bool done = sqlite3_column_int64(st.find, 2) != 0;
        const int64_t owner_lease_us = sqlite3_column_int64(st.find, 4);
        // A pending entry has no outcome yet, or the unknown one a settling
        // owner took over.
        decision.outcome.kind =
            done ? static_cast<Outcome::Kind>(sqlite3_column_int64(st.find, 5)) : Outcome::Kind::kUnknown;
        decision.outcome.body = sqlite::ColumnBlob(st.find, 6);
        if (!done && now_us < owner_lease_us) {
          decision.state = Decision::State::kInFlight;
          decision.lease_until = absl::FromUnixMicros(owner_lease_us);
        } else if (decision.outcome.kind == Outcome::Kind::kUnknown && settle) {
          decision.state = Decision::State::kUnsettled;
        } else {
          decision.state = Decision::State::kDone;
        }
      }
    }
  }
  if (found && decision.state != Decision::State::kUnsettled) return decision;  // nothing written

  decision.token = NewToken();
  if (found) {
    Use take(db_, st.take);
    BindKey(take, key);
    take.Text(4, decision.token);
    take.Int(5, lease_until_us);
    RETURN_IF_ERROR(take.Run(label_, "claim (take over)"));
  } else {
    decision.state = Decision::State::kNew;
    {
      Use expire(db_, st.expire);
      expire.Int(1, now_us - absl::ToInt64Microseconds(kRetention));
      RETURN_IF_ERROR(expire.Run(label_, "claim (delete expired)"));
    }
    Use insert(db_, st.insert);
    BindKey(insert, key);
    insert.Text(4, fingerprint);
    insert.Text(5, decision.token);
    insert.Int(6, now_us);
    insert.Int(7, lease_until_us);
    RETURN_IF_ERROR(insert.Run(label_, "claim (insert)"));
  }
  RETURN_IF_ERROR(transaction.Commit("claim (commit)"));
  return decision;
}

absl::Status SqliteRequestLedger::Record(const RequestKey& key, absl::string_view token, const Outcome& outcome) {
  absl::MutexLock lock(&mu_);
  Use record(db_, statements_->record);
  BindKey(record, key);
  record.Text(4, token);
  record.Int(5, static_cast<int64_t>(outcome.kind));
  record.Blob(6, outcome.body);
  RETURN_IF_ERROR(record.Run(label_, "record an outcome"));
  if (sqlite3_changes64(db_) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(label_, ": the claim on request_id ", key.request_id, " was taken over before its outcome"));
  }
  return absl::OkStatus();
}

absl::Status SqliteRequestLedger::Release(const RequestKey& key, absl::string_view token) {
  absl::MutexLock lock(&mu_);
  Use release(db_, statements_->release);
  BindKey(release, key);
  release.Text(4, token);
  return release.Run(label_, "release a claim");
}

}  // namespace gateway::requests
