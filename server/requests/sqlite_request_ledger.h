// The request ledger of a single gateway process: a table `requests` in the
// event log's SQLite file, on a connection of its own. Every claim and every
// outcome is committed with `synchronous=FULL` before the call goes on, so
// a restart, a crash or a power loss right after cannot make a write run
// twice. Entries older than kRetention are deleted as new ones arrive.
#ifndef SERVER_REQUESTS_SQLITE_REQUEST_LEDGER_H_
#define SERVER_REQUESTS_SQLITE_REQUEST_LEDGER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/requests/request_ledger.h"

struct sqlite3;

namespace gateway::requests {

class SqliteRequestLedger final : public RequestLedger {
 public:
  struct Options {
    std::function<absl::Time()> clock = [] { return absl::Now(); };
  };

  // Opens the ledger in the SQLite file at `path` (the event log's),
  // creating the file and the table when absent.
  static absl::StatusOr<std::unique_ptr<SqliteRequestLedger>> Open(const std::string& path, Options options);
  static absl::StatusOr<std::unique_ptr<SqliteRequestLedger>> Open(const std::string& path) {
    return Open(path, Options());
  }

  SqliteRequestLedger(const SqliteRequestLedger&) = delete;
  SqliteRequestLedger& operator=(const SqliteRequestLedger&) = delete;
  ~SqliteRequestLedger() override;

  absl::StatusOr<Decision> Claim(const RequestKey& key, absl::string_view fingerprint, absl::Duration lease,
                                 bool settle) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Record(const RequestKey& key, absl::string_view token, const Outcome& outcome) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Release(const RequestKey& key, absl::string_view token) override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Statements;

  SqliteRequestLedger(std::string label, sqlite3* db, std::unique_ptr<Statements> statements, Options options);

  // "request ledger <path>", which every error names.
  const std::string label_;
  const Options options_;
  absl::Mutex mu_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);
  const std::unique_ptr<Statements> statements_ ABSL_PT_GUARDED_BY(mu_);
};

}  // namespace gateway::requests

#endif  // SERVER_REQUESTS_SQLITE_REQUEST_LEDGER_H_
