// What the SQLite stores share: one way to open a database file (WAL mode,
// `synchronous=FULL`, a 2 s busy timeout), to map SQLite's result codes to
// statuses, and to run prepared statements and write transactions. The event
// log and the request ledger keep their tables in the same file, each on its
// own connection.
//
// Statuses name `label` (e.g. "event log /var/lib/…/events.db"), the
// operation and SQLite's reason, never a bound value: a busy, full or failing
// disk is UNAVAILABLE; a path that cannot be opened and a file that is not a
// database are FAILED_PRECONDITION; anything else is INTERNAL.
#ifndef SERVER_SQLITE_SQLITE_DB_H_
#define SERVER_SQLITE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gateway::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using OwnedDb = std::unique_ptr<sqlite3, DbCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using OwnedStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view label, absl::string_view operation);

// Opens (creating when absent) the database at `path` for use from any
// thread one call at a time, in WAL mode with `synchronous=FULL`: a commit
// survives the process being killed and the machine losing power right
// after. A write lock held by another connection is waited for up to 2 s.
absl::StatusOr<OwnedDb> Open(const std::string& path, absl::string_view label);

// One use of a prepared statement: binds parameters, steps through rows, and
// resets the statement (keeping it prepared) and its bindings at the end, so
// that no bound buffer outlives the use. A failed bind surfaces at Step.
class Use {
 public:
  Use(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  ~Use();

  // `value` must outlive the use (it is bound without a copy).
  void Text(int index, absl::string_view value);
  void Blob(int index, absl::string_view value);
  void Int(int index, int64_t value);

  // True when a row is ready, false when the statement is done.
  absl::StatusOr<bool> Step(absl::string_view label, absl::string_view operation);
  // Steps a statement that returns no rows.
  absl::Status Run(absl::string_view label, absl::string_view operation);

  sqlite3_stmt* statement() const { return statement_; }

 private:
  sqlite3* const db_;
  sqlite3_stmt* const statement_;
  int rc_ = SQLITE_OK;
};

// Column `column` of the current row as text, or as bytes ("" for NULL).
std::string ColumnText(sqlite3_stmt* statement, int column);
std::string ColumnBlob(sqlite3_stmt* statement, int column);

absl::Status Exec(sqlite3* db, absl::string_view label, const char* sql, absl::string_view operation);

absl::StatusOr<OwnedStatement> PrepareOnce(sqlite3* db, absl::string_view label, const std::string& sql,
                                           absl::string_view operation);

// A store's statements, prepared once for its connection's life and
// finalized together before the connection closes; `begin`, `commit` and
// `rollback` serve its WriteTransactions.
class PersistentStatements {
 public:
  PersistentStatements() = default;
  PersistentStatements(const PersistentStatements&) = delete;
  PersistentStatements& operator=(const PersistentStatements&) = delete;
  ~PersistentStatements() { Finalize(); }

  // Prepares the transaction statements and each `sql` into its statement.
  absl::Status Prepare(sqlite3* db, absl::string_view label,
                       std::initializer_list<std::pair<sqlite3_stmt**, std::string>> statements);
  void Finalize();

  sqlite3_stmt* begin = nullptr;
  sqlite3_stmt* commit = nullptr;
  sqlite3_stmt* rollback = nullptr;

 private:
  std::vector<sqlite3_stmt**> prepared_;
};

// The first column of the first row of `sql`, which must return one.
absl::StatusOr<int64_t> QueryInt(sqlite3* db, absl::string_view label, const std::string& sql,
                                 absl::string_view operation);
absl::StatusOr<std::string> QueryText(sqlite3* db, absl::string_view label, const std::string& sql,
                                      absl::string_view operation);

// A write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so
// what is read inside is what the write applies to). Rolled back unless
// committed.
class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, absl::string_view label, const PersistentStatements& statements)
      : db_(db),
        label_(label),
        begin_(statements.begin),
        commit_(statements.commit),
        rollback_(statements.rollback) {}
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();

  absl::Status Begin(absl::string_view operation) { return Use(db_, begin_).Run(label_, operation); }
  absl::Status Commit(absl::string_view operation) { return Use(db_, commit_).Run(label_, operation); }

 private:
  sqlite3* const db_;
  const absl::string_view label_;
  sqlite3_stmt* const begin_;
  sqlite3_stmt* const commit_;
  sqlite3_stmt* const rollback_;
};

}  // namespace gateway::sqlite

#endif  // SERVER_SQLITE_SQLITE_DB_H_
