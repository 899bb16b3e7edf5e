package ai.peeker.partner.client;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call the client's defaults: the environment metadata, a unary deadline, and to a
 * write whose {@code request_id} is empty a new one. The id is set once per call, above the
 * channel's retries, which resend the same bytes: the gateway runs the write once however often it
 * is retried.
 */
final class DefaultsInterceptor implements ClientInterceptor {
  private static final Metadata.Key<String> ENVIRONMENT_KEY =
      Metadata.Key.of("peeker-environment", Metadata.ASCII_STRING_MARSHALLER);

  private final String environment;
  private final Duration timeout;

  DefaultsInterceptor(String environment, Duration timeout) {
    this.environment = environment;
    this.timeout = timeout;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    // A deadline set on the call or on the caller's Context wins; streams keep none, since they
    // are meant to stay open.
    boolean hasDeadline =
        callOptions.getDeadline() != null || Context.current().getDeadline() != null;
    if (method.getType() == MethodDescriptor.MethodType.UNARY && !hasDeadline) {
      callOptions = callOptions.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(
        next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        // A call that brings its own environment (e.g. through a stub interceptor) keeps it.
        if (!headers.containsKey(ENVIRONMENT_KEY)) {
          headers.put(ENVIRONMENT_KEY, environment);
        }
        super.start(responseListener, headers);
      }

      @Override
      public void sendMessage(ReqT message) {
        super.sendMessage(withRequestId(message));
      }
    };
  }

  @SuppressWarnings("unchecked") // toBuilder().build() of a ReqT is a ReqT
  private static <ReqT> ReqT withRequestId(ReqT request) {
    if (!(request instanceof Message)) {
      return request;
    }
    Message message = (Message) request;
    FieldDescriptor field = message.getDescriptorForType().findFieldByName("request_id");
    if (field == null
        || field.getType() != FieldDescriptor.Type.STRING
        || !((String) message.getField(field)).isEmpty()) {
      return request;
    }
    return (ReqT) message.toBuilder().setField(field, PartnerClient.newRequestId()).build();
  }
}
