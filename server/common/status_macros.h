// Propagation macros for absl::Status / absl::StatusOr, which Abseil 20220623
// does not ship.
#ifndef SERVER_COMMON_STATUS_MACROS_H_
#define SERVER_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GATEWAY_CONCAT_INNER_(a, b) a##b
#define GATEWAY_CONCAT_(a, b) GATEWAY_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    if (absl::Status _st = (expr); !_st.ok()) {      \
      return _st;                                    \
    }                                                \
  } while (0)

// `ASSIGN_OR_RETURN(T x, Fn());` declares x from an OK StatusOr, or returns
// its status from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  GATEWAY_ASSIGN_OR_RETURN_IMPL_(GATEWAY_CONCAT_(_status_or_, __LINE__), lhs, expr)

#define GATEWAY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();       \
  lhs = std::move(tmp).value()

#endif  // SERVER_COMMON_STATUS_MACROS_H_
