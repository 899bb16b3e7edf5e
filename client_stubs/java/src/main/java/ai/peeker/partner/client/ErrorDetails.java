package ai.peeker.partner.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RequestInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The readable parts of a failed call: the status code and message, and the google.rpc details the
 * gateway sends in the {@code grpc-status-details-bin} trailer.
 *
 * <pre>{@code
 * try {
 *   client.bundles().createBundle(request);
 * } catch (StatusRuntimeException e) {
 *   System.err.println(ErrorDetails.of(e)); // INVALID_ARGUMENT: ... reason=... field=... (...)
 * }
 * }</pre>
 */
public final class ErrorDetails {
  private final Status.Code code;
  private final String message;
  private ErrorInfo errorInfo;
  private BadRequest badRequest;
  private RequestInfo requestInfo;
  private RetryInfo retryInfo;

  private ErrorDetails(Status status, com.google.rpc.Status richStatus) {
    this.code = status.getCode();
    this.message = status.getDescription() == null ? "" : status.getDescription();
    if (richStatus == null) {
      return;
    }
    for (Any detail : richStatus.getDetailsList()) {
      try {
        if (detail.is(ErrorInfo.class)) {
          errorInfo = detail.unpack(ErrorInfo.class);
        } else if (detail.is(BadRequest.class)) {
          badRequest = detail.unpack(BadRequest.class);
        } else if (detail.is(RequestInfo.class)) {
          requestInfo = detail.unpack(RequestInfo.class);
        } else if (detail.is(RetryInfo.class)) {
          retryInfo = detail.unpack(RetryInfo.class);
        }
      } catch (InvalidProtocolBufferException e) {
        // A detail that does not parse is left out: the code and message still describe the error.
      }
    }
  }

  /**
   * The details of {@code error}, typically a {@link io.grpc.StatusRuntimeException}; any other
   * throwable reads as {@code UNKNOWN} without details.
   */
  public static ErrorDetails of(Throwable error) {
    return new ErrorDetails(Status.fromThrowable(error), StatusProto.fromThrowable(error));
  }

  public Status.Code code() {
    return code;
  }

  public String message() {
    return message;
  }

  /** Why it failed, as a machine-readable reason (e.g. INVALID_REQUEST) and metadata. */
  public Optional<ErrorInfo> errorInfo() {
    return Optional.ofNullable(errorInfo);
  }

  /** Which request fields are invalid, and why. */
  public Optional<BadRequest> badRequest() {
    return Optional.ofNullable(badRequest);
  }

  /** The request id to quote when reporting the failure. */
  public Optional<RequestInfo> requestInfo() {
    return Optional.ofNullable(requestInfo);
  }

  /** How long to wait before retrying. */
  public Optional<RetryInfo> retryInfo() {
    return Optional.ofNullable(retryInfo);
  }

  /**
   * One line: {@code CODE: message reason=R {k=v} field=f (description) request_id=id
   * retry_delay=1500ms}, with the parts that are present.
   */
  @Override
  public String toString() {
    StringJoiner line = new StringJoiner(" ");
    line.add(code.name() + ":").add(message);
    if (errorInfo != null) {
      line.add("reason=" + errorInfo.getReason());
      if (!errorInfo.getMetadataMap().isEmpty()) {
        line.add(errorInfo.getMetadataMap().toString());
      }
    }
    if (badRequest != null) {
      for (BadRequest.FieldViolation violation : badRequest.getFieldViolationsList()) {
        line.add("field=" + violation.getField() + " (" + violation.getDescription() + ")");
      }
    }
    if (requestInfo != null) {
      line.add("request_id=" + requestInfo.getRequestId());
    }
    if (retryInfo != null) {
      com.google.protobuf.Duration delay = retryInfo.getRetryDelay();
      line.add(
          "retry_delay="
              + Duration.ofSeconds(delay.getSeconds(), delay.getNanos()).toMillis()
              + "ms");
    }
    return line.toString();
  }
}
