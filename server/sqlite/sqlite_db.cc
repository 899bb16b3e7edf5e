#include "server/sqlite/sqlite_db.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace gateway::sqlite {
namespace {

// How long a call waits for a write lock held by another connection (another
// store on the same file, another process, or a backup) before failing with
// UNAVAILABLE.
constexpr int kBusyTimeoutMs = 2000;

absl::StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

// SQLite's messages name tables, columns and constraints, never bound values,
// so stored contents cannot leak into a Status.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view label, absl::string_view operation) {
  const char* reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return absl::Status(CodeFor(rc), absl::StrCat(label, ": ", operation, " failed: ", reason));
}

absl::StatusOr<OwnedDb> Open(const std::string& path, absl::string_view label) {
  sqlite3* raw_db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  OwnedDb db(raw_db);
  if (rc != SQLITE_OK) return SqliteError(db.get(), rc, label, "open");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  // The first statement reads the file: this is where a file that is not a
  // database is found.
  ASSIGN_OR_RETURN(const std::string journal_mode,
                   QueryText(db.get(), label, "PRAGMA journal_mode = WAL", "open (set WAL mode)"));
  if (journal_mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat(label, ": cannot use WAL mode (journal mode stays ", journal_mode, ")"));
  }
  // In WAL mode, FULL syncs the WAL at every commit: a commit survives a
  // power loss, not only a crash of the process.
  RETURN_IF_ERROR(Exec(db.get(), label, "PRAGMA synchronous = FULL", "open (set synchronous)"));
  return db;
}

Use::~Use() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

void Use::Text(int index, absl::string_view value) {
  // A null pointer would bind NULL, not an empty string.
  const char* data = value.data() != nullptr ? value.data() : "";
  if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_text64(statement_, index, data, value.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void Use::Blob(int index, absl::string_view value) {
  // A null pointer would bind NULL, not an empty blob.
  const char* data = value.data() != nullptr ? value.data() : "";
  if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_blob64(statement_, index, data, value.size(), SQLITE_STATIC);
}

void Use::Int(int index, int64_t value) {
  if (rc_ == SQLITE_OK) rc_ = sqlite3_bind_int64(statement_, index, value);
}

absl::StatusOr<bool> Use::Step(absl::string_view label, absl::string_view operation) {
  if (rc_ == SQLITE_OK) {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    rc_ = rc;
  }
  return SqliteError(db_, rc_, label, operation);
}

absl::Status Use::Run(absl::string_view label, absl::string_view operation) {
  absl::StatusOr<bool> row = Step(label, operation);
  return row.ok() ? absl::OkStatus() : row.status();
}

std::string ColumnText(sqlite3_stmt* statement, int column) {
  // sqlite3_column_bytes must follow sqlite3_column_text to count the text.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  const int size = sqlite3_column_bytes(statement, column);
  return text == nullptr ? std::string() : std::string(text, static_cast<size_t>(size));
}

std::string ColumnBlob(sqlite3_stmt* statement, int column) {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
  const int size = sqlite3_column_bytes(statement, column);
  return bytes == nullptr ? std::string() : std::string(bytes, static_cast<size_t>(size));
}

absl::Status Exec(sqlite3* db, absl::string_view label, const char* sql, absl::string_view operation) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? absl::OkStatus() : SqliteError(db, rc, label, operation);
}

absl::StatusOr<OwnedStatement> PrepareOnce(sqlite3* db, absl::string_view label, const std::string& sql,
                                           absl::string_view operation) {
  sqlite3_stmt* statement = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size() + 1), &statement, nullptr);
  OwnedStatement owned(statement);
  if (rc != SQLITE_OK) return SqliteError(db, rc, label, operation);
  return owned;
}

absl::Status PersistentStatements::Prepare(
    sqlite3* db, absl::string_view label, std::initializer_list<std::pair<sqlite3_stmt**, std::string>> statements) {
  std::vector<std::pair<sqlite3_stmt**, std::string>> all = {
      {&begin, "BEGIN IMMEDIATE"}, {&commit, "COMMIT"}, {&rollback, "ROLLBACK"}};
  all.insert(all.end(), statements.begin(), statements.end());
  for (const auto& [statement, sql] : all) {
    const int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                      statement, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db, rc, label, "open (prepare statements)");
    prepared_.push_back(statement);
  }
  return absl::OkStatus();
}

void PersistentStatements::Finalize() {
  for (sqlite3_stmt** statement : prepared_) {
    sqlite3_finalize(*statement);
    *statement = nullptr;
  }
  prepared_.clear();
}

absl::StatusOr<int64_t> QueryInt(sqlite3* db, absl::string_view label, const std::string& sql,
                                 absl::string_view operation) {
  ASSIGN_OR_RETURN(OwnedStatement statement, PrepareOnce(db, label, sql, operation));
  Use use(db, statement.get());
  ASSIGN_OR_RETURN(const bool row, use.Step(label, operation));
  if (!row) return absl::InternalError(absl::StrCat(label, ": ", operation, " returned no row"));
  return sqlite3_column_int64(statement.get(), 0);
}

absl::StatusOr<std::string> QueryText(sqlite3* db, absl::string_view label, const std::string& sql,
                                      absl::string_view operation) {
  ASSIGN_OR_RETURN(OwnedStatement statement, PrepareOnce(db, label, sql, operation));
  Use use(db, statement.get());
  ASSIGN_OR_RETURN(const bool row, use.Step(label, operation));
  if (!row) return absl::InternalError(absl::StrCat(label, ": ", operation, " returned no row"));
  return ColumnText(statement.get(), 0);
}

WriteTransaction::~WriteTransaction() {
  // A failed COMMIT can leave the transaction open; an I/O error can have
  // rolled it back already.
  if (!sqlite3_get_autocommit(db_)) (void)Use(db_, rollback_).Run(label_, "roll back");
}

}  // namespace gateway::sqlite
