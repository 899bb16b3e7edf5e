package ai.peeker.partner.client;

import ai.peeker.partner.v1.AccountServiceGrpc;
import ai.peeker.partner.v1.AccountServiceGrpc.AccountServiceBlockingStub;
import ai.peeker.partner.v1.BundleServiceGrpc;
import ai.peeker.partner.v1.BundleServiceGrpc.BundleServiceBlockingStub;
import ai.peeker.partner.v1.DomainServiceGrpc;
import ai.peeker.partner.v1.DomainServiceGrpc.DomainServiceBlockingStub;
import ai.peeker.partner.v1.OrderEventServiceGrpc;
import ai.peeker.partner.v1.OrderEventServiceGrpc.OrderEventServiceBlockingStub;
import ai.peeker.partner.v1.OrderServiceGrpc;
import ai.peeker.partner.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import ai.peeker.partner.v1.StreamOrderEventsRequest;
import ai.peeker.partner.v1.SwapServiceGrpc;
import ai.peeker.partner.v1.SwapServiceGrpc.SwapServiceBlockingStub;
import ai.peeker.partner.v1.UserServiceGrpc;
import ai.peeker.partner.v1.UserServiceGrpc.UserServiceBlockingStub;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the partner gateway with a blocking stub for every {@code peeker.partner.v1}
 * service.
 *
 * <p>Every call made through it carries the {@code peeker-environment} metadata, and unary calls
 * get a deadline of {@link Options#timeout()} unless the caller set one. A write whose {@code
 * request_id} is empty gets a new one ({@link #newRequestId()}), which the channel's retries keep.
 * The channel uses the gateway's service config, which retries the safe methods on {@code
 * UNAVAILABLE} and the writes on {@code UNAVAILABLE} and {@code ABORTED}. Future and async
 * stubs get the same defaults when built on {@link #channel()}, e.g. {@code
 * BundleServiceGrpc.newFutureStub(client.channel())}.
 */
public final class PartnerClient implements AutoCloseable {
  private static final String SERVICE_CONFIG_RESOURCE = "service_config.json";
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  /** Connection settings; {@link #defaults()} is the sandbox environment with a 10 s timeout. */
  public static final class Options {
    private final String environment;
    private final Duration timeout;

    private Options(String environment, Duration timeout) {
      this.environment = environment;
      this.timeout = timeout;
    }

    public static Options defaults() {
      return new Options("sandbox", Duration.ofSeconds(10));
    }

    /** "sandbox" or "live": the Partner environment (and key) the gateway uses for the calls. */
    public Options withEnvironment(String environment) {
      return new Options(Objects.requireNonNull(environment, "environment"), timeout);
    }

    /** The deadline of unary calls made without one. */
    public Options withTimeout(Duration timeout) {
      return new Options(environment, Objects.requireNonNull(timeout, "timeout"));
    }

    public String environment() {
      return environment;
    }

    public Duration timeout() {
      return timeout;
    }
  }

  private final ManagedChannel managedChannel;
  private final Channel channel;
  private final AccountServiceBlockingStub accounts;
  private final UserServiceBlockingStub users;
  private final BundleServiceBlockingStub bundles;
  private final DomainServiceBlockingStub domains;
  private final OrderServiceBlockingStub orders;
  private final OrderEventServiceBlockingStub orderEvents;
  private final SwapServiceBlockingStub swaps;

  private PartnerClient(ManagedChannel managedChannel, Options options) {
    this.managedChannel = managedChannel;
    this.channel =
        ClientInterceptors.intercept(
            managedChannel, new DefaultsInterceptor(options.environment(), options.timeout()));
    this.accounts = AccountServiceGrpc.newBlockingStub(channel);
    this.users = UserServiceGrpc.newBlockingStub(channel);
    this.bundles = BundleServiceGrpc.newBlockingStub(channel);
    this.domains = DomainServiceGrpc.newBlockingStub(channel);
    this.orders = OrderServiceGrpc.newBlockingStub(channel);
    this.orderEvents = OrderEventServiceGrpc.newBlockingStub(channel);
    this.swaps = SwapServiceGrpc.newBlockingStub(channel);
  }

  /**
   * A random UUID for a write's {@code request_id}. Set one yourself to keep it across retries of
   * your own, e.g. after your process restarted.
   */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  /** Connects to the gateway at {@code target} ("host:port") with {@link Options#defaults()}. */
  public static PartnerClient connect(String target) {
    return connect(target, Options.defaults());
  }

  /** Connects to the gateway at {@code target} ("host:port") over plaintext. */
  public static PartnerClient connect(String target, Options options) {
    return connect(target, options, InsecureChannelCredentials.create());
  }

  /**
   * Connects to the gateway at {@code target} ("host:port") with {@code credentials}, e.g. {@code
   * TlsChannelCredentials.newBuilder().trustManager(caFile).keyManager(certFile, keyFile).build()}
   * for mutual TLS.
   */
  public static PartnerClient connect(String target, Options options, ChannelCredentials credentials) {
    ManagedChannel managedChannel =
        Grpc.newChannelBuilder(target, Objects.requireNonNull(credentials, "credentials"))
            .defaultServiceConfig(loadServiceConfig())
            .enableRetry()
            .build();
    return new PartnerClient(managedChannel, options);
  }

  /**
   * Reads the service config bundled with this class. Gson's untyped parse yields exactly the
   * shapes {@code defaultServiceConfig} accepts: maps, lists, strings, doubles and booleans.
   */
  private static Map<String, ?> loadServiceConfig() {
    InputStream resource = PartnerClient.class.getResourceAsStream(SERVICE_CONFIG_RESOURCE);
    Objects.requireNonNull(resource, SERVICE_CONFIG_RESOURCE + " is missing from the classpath");
    try (Reader reader = new InputStreamReader(resource, StandardCharsets.UTF_8)) {
      return new Gson().fromJson(reader, new TypeToken<Map<String, Object>>() {}.getType());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The channel with this client's defaults, for building other kinds of stubs. */
  public Channel channel() {
    return channel;
  }

  public AccountServiceBlockingStub accounts() {
    return accounts;
  }

  public UserServiceBlockingStub users() {
    return users;
  }

  public BundleServiceBlockingStub bundles() {
    return bundles;
  }

  public DomainServiceBlockingStub domains() {
    return domains;
  }

  public OrderServiceBlockingStub orders() {
    return orders;
  }

  /** The plain stub; {@link #streamOrderEvents} adds resuming to {@code StreamOrderEvents}. */
  public OrderEventServiceBlockingStub orderEvents() {
    return orderEvents;
  }

  public SwapServiceBlockingStub swaps() {
    return swaps;
  }

  /**
   * {@link #streamOrderEvents(StreamOrderEventsRequest, OrderEventStream.ResumeListener)} without a
   * listener.
   */
  public OrderEventStream streamOrderEvents(StreamOrderEventsRequest request) {
    return streamOrderEvents(request, (status, cursor) -> {});
  }

  /**
   * Streams the order events matching {@code request}, reconnecting from the last event returned
   * when the gateway restarts or drops a slow subscriber; see {@link OrderEventStream}. {@code
   * onResume} is told about every reconnect. Close the stream to stop it.
   */
  public OrderEventStream streamOrderEvents(
      StreamOrderEventsRequest request, OrderEventStream.ResumeListener onResume) {
    return new OrderEventStream(orderEvents, request, onResume);
  }

  /** Shuts the channel down, waiting briefly for calls in flight, then cancelling them. */
  @Override
  public void close() {
    managedChannel.shutdown();
    try {
      if (!managedChannel.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        managedChannel.shutdownNow();
      }
    } catch (InterruptedException e) {
      managedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
