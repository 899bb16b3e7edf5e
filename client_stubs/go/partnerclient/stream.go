package partnerclient

import (
	"context"
	"io"
	"iter"
	"math/rand/v2"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	partnerv1 "github.com/peeker/partner-gateway/client_stubs/go/peeker/partner/v1"
)

// The wait before a reconnect doubles from the first to the last value and
// starts over after each event received.
const (
	firstResumeBackoff = 100 * time.Millisecond
	maxResumeBackoff   = 5 * time.Second
)

// ResumeHook is told why a stream was cut and the cursor it resumes after,
// just before StreamOrderEvents waits to reconnect.
type ResumeHook func(cut *status.Status, resumeAfter string)

type streamOptions struct {
	onResume ResumeHook
}

// StreamOption changes how StreamOrderEvents follows the events.
type StreamOption func(*streamOptions)

// OnResume calls hook on every reconnect, e.g. to log it.
func OnResume(hook ResumeHook) StreamOption {
	return func(o *streamOptions) { o.onResume = hook }
}

// StreamOrderEvents follows OrderEventService.StreamOrderEvents across
// disconnects: it yields each event (heartbeats are skipped) and, when the
// stream is cut with UNAVAILABLE (e.g. the gateway restarting), with a
// CANCELLED that ctx did not cause (a gateway shutting down) or with the
// gateway's RESOURCE_EXHAUSTED for a subscriber that fell behind, reconnects
// with resume_after set to the last event's cursor, so that no event is
// missed or repeated. Reconnects wait with a jittered backoff (100 ms
// doubling to 5 s) and then until the channel is ready. Any other error is
// yielded once and ends the sequence, as is ctx's end; a stream the gateway
// ends with OK ends it without an error. Stopping the iteration ends the
// call.
//
//	for event, err := range client.StreamOrderEvents(ctx, request) {
//		if err != nil { … }
//		…
//	}
func (c *Client) StreamOrderEvents(ctx context.Context, req *partnerv1.StreamOrderEventsRequest,
	opts ...StreamOption) iter.Seq2[*partnerv1.OrderEvent, error] {
	var o streamOptions
	for _, opt := range opts {
		opt(&o)
	}
	return func(yield func(*partnerv1.OrderEvent, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		// Its resume_after moves to the cursor of each event yielded.
		request := proto.CloneOf(req)
		backoff := firstResumeBackoff
		var callOptions []grpc.CallOption
		for {
			stream, err := c.orderEvents.StreamOrderEvents(ctx, request, callOptions...)
			for err == nil {
				var response *partnerv1.StreamOrderEventsResponse
				response, err = stream.Recv()
				// A heartbeat's cursor moves the resume point too: the first
				// one tells where a stream from now started.
				if cursor := response.GetHeartbeat().GetCursor(); cursor != "" {
					request.ResumeAfter = cursor
				}
				event := response.GetEvent() // nil for a heartbeat or after an error
				if event == nil {
					continue
				}
				request.ResumeAfter = event.GetCursor()
				backoff = firstResumeBackoff
				if !yield(event, nil) {
					return
				}
			}
			if err == io.EOF {
				return
			}
			resumeAfter, resumable := resumePoint(ctx, err, request.GetResumeAfter())
			if !resumable {
				yield(nil, err)
				return
			}
			request.ResumeAfter = resumeAfter
			if o.onResume != nil {
				o.onResume(status.Convert(err), resumeAfter)
			}
			select {
			case <-ctx.Done():
				yield(nil, status.FromContextError(ctx.Err()).Err())
				return
			case <-time.After(backoff/2 + rand.N(backoff/2)):
			}
			backoff = min(2*backoff, maxResumeBackoff)
			callOptions = []grpc.CallOption{grpc.WaitForReady(true)}
		}
	}
}

// resumePoint tells whether a stream of ctx cut by err can be resumed, and
// after which cursor: the gateway's own for a subscriber that fell behind,
// otherwise lastCursor.
func resumePoint(ctx context.Context, err error, lastCursor string) (string, bool) {
	details := DetailsOf(err)
	switch details.Code {
	case codes.Unavailable:
		return lastCursor, true
	case codes.Canceled:
		// The gateway is a gRPC C++ (core) server: while it shuts down, it
		// answers CANCELLED to a call that reaches it on its closing
		// connection (a reconnect right after an UNAVAILABLE, before the
		// client has read the server's GOAWAY). A cancellation of the
		// caller's own (ctx done) ends the stream.
		return lastCursor, ctx.Err() == nil
	case codes.ResourceExhausted:
		// Only the gateway's overflow says where to resume; another
		// RESOURCE_EXHAUSTED (e.g. an oversized message) would recur.
		cursor, ok := details.ErrorInfo.GetMetadata()["resume_after"]
		return cursor, ok
	default:
		return "", false
	}
}
