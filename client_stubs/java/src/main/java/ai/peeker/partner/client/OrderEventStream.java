package ai.peeker.partner.client;

import ai.peeker.partner.v1.OrderEvent;
import ai.peeker.partner.v1.OrderEventServiceGrpc.OrderEventServiceBlockingStub;
import ai.peeker.partner.v1.StreamOrderEventsRequest;
import ai.peeker.partner.v1.StreamOrderEventsResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A resumable {@code StreamOrderEvents}: a blocking iterator over the stream's events (heartbeats
 * are skipped).
 *
 * <p>It remembers the cursor of the last event it returned. When the stream ends with {@code
 * UNAVAILABLE} (the gateway is stopping, or the connection broke), {@code CANCELLED} that neither
 * {@link #close()} nor the caller's {@link Context} caused (a stopping gateway cancels a call that
 * reaches it on its closing connection), or {@code RESOURCE_EXHAUSTED} (this subscriber fell
 * behind), it reconnects with {@code resume_after} set to that cursor (or to
 * the request's own {@code resume_after} before the first event), so no event is lost or repeated.
 * It waits between reconnects (100 ms doubling to 5 s, jittered, reset by every event) and waits
 * for the channel to be ready when reconnecting. Any other error is thrown from {@link #hasNext()}
 * as the {@link StatusRuntimeException}; a stream the gateway ends normally ends the iteration.
 *
 * <p>Iterate from one thread; {@link #close()} may be called from any thread and ends the
 * iteration.
 */
public final class OrderEventStream implements Iterator<OrderEvent>, AutoCloseable {
  /** Told about every reconnect: why the stream ended and the cursor it resumes after. */
  @FunctionalInterface
  public interface ResumeListener {
    void onResume(Status status, String cursor);
  }

  private static final Set<Status.Code> RESUMABLE =
      EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED);
  private static final long INITIAL_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final OrderEventServiceBlockingStub stub;
  private final StreamOrderEventsRequest request;
  private final ResumeListener onResume;

  /** The stub of the next call: the plain one first, then one that waits for a ready channel. */
  private OrderEventServiceBlockingStub nextCallStub;

  private String cursor;
  private long backoffMillis = INITIAL_BACKOFF_MILLIS;
  private Iterator<StreamOrderEventsResponse> responses;
  private OrderEvent pending;

  // Shared with close(), guarded by this.
  private Context.CancellableContext callContext;
  private boolean closed;

  OrderEventStream(
      OrderEventServiceBlockingStub stub,
      StreamOrderEventsRequest request,
      ResumeListener onResume) {
    this.stub = stub;
    this.nextCallStub = stub;
    this.request = request;
    this.onResume = onResume;
    this.cursor = request.getResumeAfter();
  }

  /** Blocks until the next event arrives or the stream ends. */
  @Override
  public boolean hasNext() {
    while (pending == null) {
      if (isClosed()) {
        return false;
      }
      try {
        if (responses == null) {
          responses = startCall();
        }
        if (!responses.hasNext()) {
          close();
          return false;
        }
        StreamOrderEventsResponse response = responses.next();
        if (response.hasEvent()) {
          pending = response.getEvent();
          backoffMillis = INITIAL_BACKOFF_MILLIS;
        } else if (!response.getHeartbeat().getCursor().isEmpty()) {
          // The resume point moves with heartbeats too: the first one tells
          // where a stream from now started.
          cursor = response.getHeartbeat().getCursor();
        }
      } catch (StatusRuntimeException e) {
        if (isClosed()) {
          return false;
        }
        if (!isResumable(e.getStatus())) {
          close();
          throw e;
        }
        responses = null;
        nextCallStub = stub.withWaitForReady();
        onResume.onResume(e.getStatus(), cursor);
        pauseBeforeReconnect();
      }
    }
    return true;
  }

  @Override
  public OrderEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    OrderEvent event = pending;
    pending = null;
    cursor = event.getCursor();
    return event;
  }

  private static boolean isResumable(Status status) {
    Status.Code code = status.getCode();
    return RESUMABLE.contains(code)
        || (code == Status.Code.CANCELLED && !Context.current().isCancelled());
  }

  /** Cancels the stream; {@link #hasNext()} then returns false. */
  @Override
  public synchronized void close() {
    closed = true;
    if (callContext != null) {
      callContext.cancel(null);
    }
    notifyAll();
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Starts a call after the current cursor in a context of its own, the way to cancel a blocking
   * stream from another thread.
   */
  private synchronized Iterator<StreamOrderEventsResponse> startCall() {
    if (callContext != null) {
      callContext.cancel(null);
    }
    callContext = Context.current().withCancellation();
    if (closed) {
      // close() ran since the caller last checked: the call starts cancelled and ends at once.
      callContext.cancel(null);
    }
    StreamOrderEventsRequest resumed = request.toBuilder().setResumeAfter(cursor).build();
    Context previous = callContext.attach();
    try {
      return nextCallStub.streamOrderEvents(resumed);
    } finally {
      callContext.detach(previous);
    }
  }

  /** Sleeps for the jittered backoff, or until close(); then doubles the backoff. */
  private synchronized void pauseBeforeReconnect() {
    long delayNanos =
        (long)
            (TimeUnit.MILLISECONDS.toNanos(backoffMillis)
                * ThreadLocalRandom.current().nextDouble(0.5, 1.0));
    backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    long end = System.nanoTime() + delayNanos;
    try {
      for (long left = delayNanos; !closed && left > 0; left = end - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }
}
