// A thin client for the Partner gateway over the generated grpc-js stubs: one
// channel with the packaged service config, and on every call the
// environment metadata and, for unary calls, a default deadline; a write
// whose requestId is empty gets a new one, which the channel's retries keep.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type CallOptions,
  Channel,
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
  type ClientUnaryCall,
  credentials,
  InterceptingCall,
  type Interceptor,
  Metadata,
  type ServiceError,
  status,
} from "@grpc/grpc-js";
import { isServiceError } from "./errors";
import { AccountServiceClient } from "./gen/peeker/partner/v1/account";
import { BundleServiceClient } from "./gen/peeker/partner/v1/bundle";
import { DomainServiceClient } from "./gen/peeker/partner/v1/domain";
import { OrderServiceClient } from "./gen/peeker/partner/v1/order";
import {
  type OrderEvent,
  OrderEventServiceClient,
  type StreamOrderEventsRequest,
  type StreamOrderEventsResponse,
} from "./gen/peeker/partner/v1/order_event";
import { SwapServiceClient } from "./gen/peeker/partner/v1/swap";
import { UserServiceClient } from "./gen/peeker/partner/v1/user";

/** The Partner environment a client's calls go to. */
export type EnvironmentName = "sandbox" | "live";

export interface ConnectOptions {
  /** Sent as the `peeker-environment` metadata on every call. Default "sandbox". */
  environment?: EnvironmentName;
  /** Deadline of unary calls that set none themselves, in ms. Default 10 000. Streams get none. */
  timeoutMs?: number;
  /**
   * The channel's credentials, e.g. `credentials.createSsl(ca, key, cert)` from `@grpc/grpc-js` for
   * mutual TLS. Default: plaintext.
   */
  credentials?: ChannelCredentials;
}

export interface StreamOrderEventsOptions {
  /**
   * Called before each reconnect with the error that ended the stream and the
   * cursor the stream resumes after, e.g. to log it.
   */
  onResume?: (error: ServiceError, resumeAfter: string) => void;
  /** Ends the stream, also while it waits to reconnect; the iteration then throws an AbortError. */
  signal?: AbortSignal;
}

// The generated client classes, by the name PartnerClient exposes them under.
const SERVICES = {
  account: AccountServiceClient,
  users: UserServiceClient,
  bundles: BundleServiceClient,
  domains: DomainServiceClient,
  orders: OrderServiceClient,
  orderEvents: OrderEventServiceClient,
  swaps: SwapServiceClient,
};
type Services = typeof SERVICES;

/** The generated grpc-js clients (callback style), one per service. */
export type Stubs = { [K in keyof Services]: InstanceType<Services[K]> };

/** A unary method of a generated client, in its fullest overload. */
type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

/** A server-streaming method of a generated client. */
type StreamingMethod = (...args: never[]) => ClientReadableStream<unknown>;

/**
 * The RPCs of a generated client: unary ones return a Promise of the response
 * (rejected with the grpc-js ServiceError), streaming ones the grpc-js stream.
 * (Streaming methods are told apart first: by shape, a stream is also a
 * ClientUnaryCall.)
 */
export type PromiseClient<Stub> = {
  [K in keyof Stub as K extends keyof Client ? never : K]: Stub[K] extends StreamingMethod
    ? Stub[K]
    : Stub[K] extends UnaryMethod<infer Request, infer Response>
      ? (request: Request, metadata?: Metadata, options?: Partial<CallOptions>) => Promise<Response>
      : never;
};

/** Clients for every service of `peeker.partner.v1`, sharing one channel. */
export type PartnerClient = { readonly [K in keyof Services]: PromiseClient<Stubs[K]> } & {
  /** The generated clients themselves, with the same channel and defaults. */
  readonly stubs: Stubs;
  /**
   * StreamOrderEvents, resumed across gateway restarts and buffer overflows:
   * yields the events (not the heartbeats); when the stream ends with
   * UNAVAILABLE, CANCELLED (not caused by the caller) or RESOURCE_EXHAUSTED
   * it reconnects, once the channel is ready, with `resume_after` set to the
   * cursor of the last event yielded (the request's own before the first),
   * after a backoff of 100 ms doubling to 5 s, jittered and reset by every
   * event. Other errors are thrown as the ServiceError. Leaving the loop
   * cancels the call.
   */
  streamOrderEvents(
    request: StreamOrderEventsRequest,
    options?: StreamOrderEventsOptions,
  ): AsyncGenerator<OrderEvent, void, undefined>;
  /** Closes the channel; calls in flight are cancelled. */
  close(): void;
};

const ENVIRONMENT_METADATA_KEY = "peeker-environment";
const DEFAULT_TIMEOUT_MS = 10_000;
const RESUME_BACKOFF_INITIAL_MS = 100;
const RESUME_BACKOFF_MAX_MS = 5_000;

// generate.sh copies client_stubs/service_config.json to the package root,
// one level above this file's compiled location (dist/).
const SERVICE_CONFIG_PATH = join(__dirname, "..", "service_config.json");

/** A client for the gateway at `target` (host:port), over `options.credentials` (plaintext when unset). */
export function connect(target: string, options: ConnectOptions = {}): PartnerClient {
  const channelCredentials = options.credentials ?? credentials.createInsecure();
  const channel = new Channel(target, channelCredentials, {
    "grpc.service_config": readFileSync(SERVICE_CONFIG_PATH, "utf8"),
    // The packaged config is the one to use: no DNS TXT lookups for another.
    "grpc.service_config_disable_resolution": 1,
    "grpc.enable_retries": 1,
  });
  const interceptors = [
    defaultsInterceptor(options.environment ?? "sandbox", options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    requestIdInterceptor(writePaths()),
  ];
  const stubs = Object.fromEntries(
    Object.entries(SERVICES).map(([name, Stub]) => [
      name,
      new Stub(target, channelCredentials, { channelOverride: channel, interceptors }),
    ]),
  ) as Stubs;
  const promiseClients = Object.fromEntries(
    Object.entries(SERVICES).map(([name, Stub]) => [name, promiseClient(stubs[name as keyof Stubs], Stub.service)]),
  ) as { [K in keyof Services]: PromiseClient<Stubs[K]> };
  return {
    ...promiseClients,
    stubs,
    streamOrderEvents: (request, streamOptions = {}) => resumableOrderEvents(stubs.orderEvents, request, streamOptions),
    close: () => channel.close(),
  };
}

async function* resumableOrderEvents(
  stub: Stubs["orderEvents"],
  request: StreamOrderEventsRequest,
  { onResume, signal }: StreamOrderEventsOptions,
): AsyncGenerator<OrderEvent, void, undefined> {
  let resumeAfter = request.resumeAfter;
  let backoffMs = RESUME_BACKOFF_INITIAL_MS;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    // The first call fails fast when the gateway is unreachable; reconnects
    // wait for it to come back.
    const call = stub.streamOrderEvents({ ...request, resumeAfter }, new Metadata({ waitForReady: attempt > 0 }));
    const cancel = () => call.cancel();
    signal?.addEventListener("abort", cancel);
    try {
      for await (const message of call as AsyncIterable<StreamOrderEventsResponse>) {
        // A heartbeat's cursor moves the resume point too: the first one
        // tells where a stream from now started.
        if (message.heartbeat?.cursor) resumeAfter = message.heartbeat.cursor;
        if (message.event === undefined) continue;
        resumeAfter = message.event.cursor;
        backoffMs = RESUME_BACKOFF_INITIAL_MS;
        yield message.event;
      }
      return;
    } catch (error) {
      // A CANCELLED the caller caused never resumes: an aborted signal (whose
      // call.cancel() grpc-js reports as CANCELLED "Cancelled on client")
      // throws here, and leaving the loop returns through `finally`.
      signal?.throwIfAborted();
      if (!isServiceError(error) || !isResumable(error.code)) throw error;
      onResume?.(error, resumeAfter);
    } finally {
      signal?.removeEventListener("abort", cancel);
      // Cancelling a call whose reader has gone reports CANCELLED as an
      // 'error' event that nothing listens to any more.
      call.on("error", () => {});
      call.cancel();
    }
    await sleep(backoffMs * (0.5 + Math.random() / 2), undefined, { signal });
    backoffMs = Math.min(backoffMs * 2, RESUME_BACKOFF_MAX_MS);
  }
}

// UNAVAILABLE: the gateway went away (restart, deploy, network). CANCELLED
// from the server: the gateway is a gRPC C++ (core) server, which while it
// shuts down answers CANCELLED to a call that reached it on its closing
// connection (a reconnect right after an UNAVAILABLE, before the client has
// read the server's GOAWAY). RESOURCE_EXHAUSTED: the gateway dropped a
// subscriber that fell behind. None loses events: the gateway replays
// everything after the last cursor.
function isResumable(code: status): boolean {
  return code === status.UNAVAILABLE || code === status.CANCELLED || code === status.RESOURCE_EXHAUSTED;
}

// Adds the environment metadata to every call, and the default deadline to
// unary calls that have none.
function defaultsInterceptor(environment: EnvironmentName, timeoutMs: number): Interceptor {
  return (options, nextCall) => {
    const { requestStream, responseStream } = options.method_definition;
    const needsDeadline = !requestStream && !responseStream && options.deadline === undefined;
    return new InterceptingCall(nextCall(needsDeadline ? { ...options, deadline: Date.now() + timeoutMs } : options), {
      start(metadata, listener, next) {
        metadata.set(ENVIRONMENT_METADATA_KEY, environment);
        next(metadata, listener);
      },
    });
  };
}

/** A random UUID for a write's `requestId`. Set one yourself to keep it across retries of your own. */
export function newRequestId(): string {
  return randomUUID();
}

// The paths of the writes: the methods whose request message has a requestId.
function writePaths(): Set<string> {
  const paths = new Set<string>();
  for (const Stub of Object.values(SERVICES)) {
    for (const definition of Object.values(Stub.service)) {
      if (Object.hasOwn(definition.requestDeserialize(Buffer.alloc(0)) as object, "requestId")) {
        paths.add(definition.path);
      }
    }
  }
  return paths;
}

// Gives a write whose requestId is empty a new one. It runs once per call,
// above the channel's retries, which resend the same bytes, so the gateway
// runs the write once however often it is retried.
function requestIdInterceptor(writes: Set<string>): Interceptor {
  return (options, nextCall) => {
    if (!writes.has(options.method_definition.path)) return new InterceptingCall(nextCall(options));
    return new InterceptingCall(nextCall(options), {
      sendMessage(message: { requestId?: string }, next) {
        next(message.requestId ? message : { ...message, requestId: newRequestId() });
      },
    });
  };
}

// The stub's methods, unary ones wrapped to return a Promise.
function promiseClient(
  stub: object,
  service: Record<string, { requestStream: boolean; responseStream: boolean }>,
): Record<string, unknown> {
  const methods: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(service)) {
    const method = (stub as Record<string, (...args: unknown[]) => unknown>)[name].bind(stub);
    methods[name] =
      definition.requestStream || definition.responseStream
        ? method
        : (request: unknown, metadata = new Metadata(), callOptions: Partial<CallOptions> = {}) =>
            new Promise((resolve, reject) => {
              method(request, metadata, callOptions, (error: ServiceError | null, response: unknown) =>
                error ? reject(error) : resolve(response),
              );
            });
  }
  return methods;
}
