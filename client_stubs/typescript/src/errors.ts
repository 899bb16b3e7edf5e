// Readable details of a failed call: the status code's name, its message and
// the google.rpc details the gateway puts in the `grpc-status-details-bin`
// trailer.
import { type ServiceError, status } from "@grpc/grpc-js";
import type { Any } from "./gen/google/protobuf/any";
import { BadRequest, ErrorInfo, RequestInfo, RetryInfo } from "./gen/google/rpc/error_details";
import { Status } from "./gen/google/rpc/status";

export interface ErrorDetails {
  /** The status code. */
  code: status;
  /** Its name, e.g. "INVALID_ARGUMENT". */
  codeName: string;
  /** The status message. */
  message: string;
  /** Why the call failed: `reason` (e.g. "INVALID_REQUEST") and `metadata`. */
  errorInfo?: ErrorInfo;
  /** The request fields that were refused, and why. */
  badRequest?: BadRequest;
  /** The id of the Partner request, for support. */
  requestInfo?: RequestInfo;
  /** How long to wait before trying again. */
  retryInfo?: RetryInfo;
}

const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/**
 * Whether `error` is the error of a failed grpc-js call. Checked by shape, as
 * an application may load more than one copy of grpc-js.
 */
export function isServiceError(error: unknown): error is ServiceError {
  if (!(error instanceof Error)) return false;
  const { code, metadata } = error as Partial<ServiceError>;
  return typeof code === "number" && typeof metadata?.get === "function";
}

/** The code, message and google.rpc details of a failed call. */
export function errorDetails(error: ServiceError): ErrorDetails {
  const details: ErrorDetails = {
    code: error.code,
    codeName: status[error.code] ?? `CODE_${error.code}`,
    message: error.details,
  };
  const [encoded] = error.metadata.get(STATUS_DETAILS_KEY);
  if (!(encoded instanceof Buffer)) return details;
  for (const detail of Status.decode(encoded).details) {
    switch (typeName(detail)) {
      case "google.rpc.ErrorInfo":
        details.errorInfo = ErrorInfo.decode(detail.value);
        break;
      case "google.rpc.BadRequest":
        details.badRequest = BadRequest.decode(detail.value);
        break;
      case "google.rpc.RequestInfo":
        details.requestInfo = RequestInfo.decode(detail.value);
        break;
      case "google.rpc.RetryInfo":
        details.retryInfo = RetryInfo.decode(detail.value);
        break;
    }
  }
  return details;
}

/**
 * One line for a failed call, e.g. `INVALID_ARGUMENT: … [reason
 * INVALID_REQUEST] [field google_percent: …] [request req_…]`; other errors
 * as their message.
 */
export function describeError(error: unknown): string {
  if (!isServiceError(error)) return error instanceof Error ? error.message : String(error);
  const { codeName, message, errorInfo, badRequest, requestInfo, retryInfo } = errorDetails(error);
  const parts = [`${codeName}: ${message}`];
  if (errorInfo) parts.push(`[reason ${errorInfo.reason}]`);
  for (const { field, description } of badRequest?.fieldViolations ?? []) {
    parts.push(`[field ${field}: ${description}]`);
  }
  if (requestInfo) parts.push(`[request ${requestInfo.requestId}]`);
  if (retryInfo?.retryDelay) {
    const { seconds, nanos } = retryInfo.retryDelay;
    parts.push(`[retry after ${seconds + nanos / 1e9}s]`);
  }
  return parts.join(" ");
}

// The message type of an Any: the last segment of its type URL
// ("type.googleapis.com/google.rpc.ErrorInfo").
function typeName(detail: Any): string {
  return detail.typeUrl.slice(detail.typeUrl.lastIndexOf("/") + 1);
}
