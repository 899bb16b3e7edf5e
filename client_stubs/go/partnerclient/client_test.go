package partnerclient

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	partnerv1 "github.com/peeker/partner-gateway/client_stubs/go/peeker/partner/v1"
)

// newTestClient serves the given services in memory and returns a client
// of them.
func newTestClient(t *testing.T, register func(*grpc.Server), opts ...Option) *Client {
	t.Helper()
	listener := bufconn.Listen(1 << 20)
	server := grpc.NewServer()
	register(server)
	go server.Serve(listener)
	t.Cleanup(server.Stop)
	dial := func(ctx context.Context, _ string) (net.Conn, error) { return listener.DialContext(ctx) }
	client, err := New("passthrough:///bufnet", append(opts, WithDialOptions(grpc.WithContextDialer(dial)))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func environmentOf(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	return fmt.Sprint(md.Get(EnvironmentMetadata))
}

// accounts answers GetAccount with an error that carries every detail kind,
// after checking the call's metadata and deadline.
type accounts struct {
	partnerv1.UnimplementedAccountServiceServer
}

func (accounts) GetAccount(ctx context.Context, _ *partnerv1.GetAccountRequest) (*partnerv1.GetAccountResponse, error) {
	deadline, ok := ctx.Deadline()
	if env := environmentOf(ctx); env != "[live]" {
		return nil, status.Errorf(codes.Internal, "environment metadata %s", env)
	}
	if left := time.Until(deadline); !ok || left > 3*time.Second || left < 2*time.Second {
		return nil, status.Errorf(codes.Internal, "deadline %v away", left)
	}
	st, err := status.New(codes.InvalidArgument, "bad request").WithDetails(
		&errdetails.ErrorInfo{Reason: "INVALID_REQUEST", Metadata: map[string]string{"b": "2", "a": "1"}},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "name", Description: "is required"}}},
		&errdetails.RequestInfo{RequestId: "req_1"})
	if err != nil {
		return nil, err
	}
	return nil, st.Err()
}

func TestUnaryCallsGetEnvironmentAndDeadline(t *testing.T) {
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterAccountServiceServer(s, accounts{}) },
		WithEnvironment("live"), WithTimeout(3*time.Second))
	_, err := client.Accounts().GetAccount(context.Background(), &partnerv1.GetAccountRequest{})
	const want = "INVALID_ARGUMENT: bad request [reason INVALID_REQUEST a=1 b=2] [field name: is required] [request req_1]"
	if got := DetailsOf(err).String(); got != want {
		t.Errorf("DetailsOf(err) = %q, want %q", got, want)
	}
}

// flakyAccounts answers GetAccount UNAVAILABLE on the first call and OK
// after, counting the calls.
type flakyAccounts struct {
	partnerv1.UnimplementedAccountServiceServer
	calls atomic.Int32
}

func (a *flakyAccounts) GetAccount(context.Context, *partnerv1.GetAccountRequest) (*partnerv1.GetAccountResponse, error) {
	if a.calls.Add(1) == 1 {
		return nil, status.Error(codes.Unavailable, "not yet")
	}
	return &partnerv1.GetAccountResponse{}, nil
}

// flakyBundles fails each CreateBundle with UNAVAILABLE, then ABORTED, then
// answers, and records the request_id of every attempt.
type flakyBundles struct {
	partnerv1.UnimplementedBundleServiceServer
	mu         sync.Mutex
	requestIDs []string
}

func (b *flakyBundles) CreateBundle(_ context.Context, req *partnerv1.CreateBundleRequest) (*partnerv1.CreateBundleResponse, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.requestIDs = append(b.requestIDs, req.GetRequestId())
	switch len(b.requestIDs) % 3 {
	case 1:
		return nil, status.Error(codes.Unavailable, "down")
	case 2:
		return nil, status.Error(codes.Aborted, "its twin is running")
	}
	return &partnerv1.CreateBundleResponse{}, nil
}

var uuid4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestServiceConfigRetriesReadsOnUnavailable(t *testing.T) {
	accounts := &flakyAccounts{}
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterAccountServiceServer(s, accounts) })
	if _, err := client.Accounts().GetAccount(context.Background(), &partnerv1.GetAccountRequest{}); err != nil {
		t.Errorf("GetAccount: %v, want it retried to OK", err)
	}
	if n := accounts.calls.Load(); n != 2 {
		t.Errorf("GetAccount reached the server %d times, want 2", n)
	}
}

func TestAWriteGetsARequestIdThatItsRetriesKeep(t *testing.T) {
	bundles := &flakyBundles{}
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterBundleServiceServer(s, bundles) })
	request := &partnerv1.CreateBundleRequest{Name: "Starter"}
	if _, err := client.Bundles().CreateBundle(context.Background(), request); err != nil {
		t.Fatalf("CreateBundle: %v, want it retried to OK", err)
	}
	if request.GetRequestId() != "" {
		t.Errorf("the caller's request was changed: request_id %q", request.GetRequestId())
	}
	if _, err := client.Bundles().CreateBundle(context.Background(), request); err != nil {
		t.Fatalf("second CreateBundle: %v", err)
	}
	bundles.mu.Lock()
	defer bundles.mu.Unlock()
	ids := bundles.requestIDs
	if len(ids) != 6 {
		t.Fatalf("request ids %q, want 3 attempts of each call", ids)
	}
	if !uuid4.MatchString(ids[0]) || ids[1] != ids[0] || ids[2] != ids[0] {
		t.Errorf("first call's attempts carried %q, want one UUID", ids[:3])
	}
	if ids[3] == ids[0] || ids[4] != ids[3] || ids[5] != ids[3] {
		t.Errorf("second call's attempts carried %q, want one new UUID", ids[3:])
	}
}

func TestARequestIdTheCallerSetIsKept(t *testing.T) {
	bundles := &flakyBundles{}
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterBundleServiceServer(s, bundles) })
	id := NewRequestId()
	if _, err := client.Bundles().CreateBundle(context.Background(), &partnerv1.CreateBundleRequest{RequestId: id}); err != nil {
		t.Fatalf("CreateBundle: %v", err)
	}
	bundles.mu.Lock()
	defer bundles.mu.Unlock()
	if !slices.Equal(bundles.requestIDs, []string{id, id, id}) {
		t.Errorf("attempts carried %q, want %q each time", bundles.requestIDs, id)
	}
}

// orderEvents plays one scripted stream per call and records the
// resume_after of each call.
type orderEvents struct {
	partnerv1.UnimplementedOrderEventServiceServer
	scripts      []func(partnerv1.OrderEventService_StreamOrderEventsServer) error
	resumeAfters []string
}

func (o *orderEvents) StreamOrderEvents(req *partnerv1.StreamOrderEventsRequest,
	stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
	if env := environmentOf(stream.Context()); env != "[sandbox]" {
		return status.Errorf(codes.Internal, "environment metadata %s", env)
	}
	if _, ok := stream.Context().Deadline(); ok {
		return status.Error(codes.Internal, "a stream got a deadline")
	}
	o.resumeAfters = append(o.resumeAfters, req.GetResumeAfter())
	script := o.scripts[0]
	o.scripts = o.scripts[1:]
	return script(stream)
}

// sendEvents sends an event for each cursor, and a heartbeat before each.
func sendEvents(stream partnerv1.OrderEventService_StreamOrderEventsServer, cursors ...string) {
	for _, cursor := range cursors {
		stream.Send(&partnerv1.StreamOrderEventsResponse{
			Kind: &partnerv1.StreamOrderEventsResponse_Heartbeat{Heartbeat: &partnerv1.Heartbeat{}}})
		stream.Send(&partnerv1.StreamOrderEventsResponse{
			Kind: &partnerv1.StreamOrderEventsResponse_Event{Event: &partnerv1.OrderEvent{Cursor: cursor}}})
	}
}

func TestStreamOrderEventsResumes(t *testing.T) {
	server := &orderEvents{scripts: []func(partnerv1.OrderEventService_StreamOrderEventsServer) error{
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			return status.Error(codes.Unavailable, "not yet")
		},
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			sendEvents(stream, "1", "2")
			return status.Error(codes.Unavailable, "shutting down")
		},
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			// What a gRPC core server that is shutting down answers.
			return status.Error(codes.Canceled, "Server shutdown")
		},
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			sendEvents(stream, "3")
			st, err := status.New(codes.ResourceExhausted, "too slow").WithDetails(
				&errdetails.ErrorInfo{Reason: "SUBSCRIBER_TOO_SLOW", Metadata: map[string]string{"resume_after": "3"}})
			if err != nil {
				return err
			}
			return st.Err()
		},
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			return status.Error(codes.FailedPrecondition, "past retention")
		},
	}}
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterOrderEventServiceServer(s, server) })

	var resumes, cursors []string
	var failure error
	hook := OnResume(func(cut *status.Status, resumeAfter string) {
		resumes = append(resumes, CodeName(cut.Code())+" "+resumeAfter)
	})
	request := &partnerv1.StreamOrderEventsRequest{ResumeAfter: "0"}
	for event, err := range client.StreamOrderEvents(context.Background(), request, hook) {
		if err != nil {
			failure = err
			continue
		}
		cursors = append(cursors, event.GetCursor())
	}

	if want := []string{"1", "2", "3"}; !slices.Equal(cursors, want) {
		t.Errorf("cursors %v, want %v", cursors, want)
	}
	if want := []string{"0", "0", "2", "2", "3"}; !slices.Equal(server.resumeAfters, want) {
		t.Errorf("resume_after of the calls %v, want %v", server.resumeAfters, want)
	}
	want := []string{"UNAVAILABLE 0", "UNAVAILABLE 2", "CANCELLED 2", "RESOURCE_EXHAUSTED 3"}
	if !slices.Equal(resumes, want) {
		t.Errorf("resumes %v, want %v", resumes, want)
	}
	if status.Code(failure) != codes.FailedPrecondition {
		t.Errorf("ended with %v, want FAILED_PRECONDITION", failure)
	}
	if request.GetResumeAfter() != "0" {
		t.Errorf("the caller's request was changed: resume_after %q", request.GetResumeAfter())
	}
}

func TestStreamOrderEventsStopsWhenTheCallerStops(t *testing.T) {
	ended := make(chan error, 1)
	server := &orderEvents{scripts: []func(partnerv1.OrderEventService_StreamOrderEventsServer) error{
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			sendEvents(stream, "1", "2")
			<-stream.Context().Done()
			ended <- stream.Context().Err()
			return nil
		},
	}}
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterOrderEventServiceServer(s, server) })
	for _, err := range client.StreamOrderEvents(context.Background(), &partnerv1.StreamOrderEventsRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the call went on after the caller stopped iterating")
	}
}

func TestStreamOrderEventsEndsWhenTheCallerCancels(t *testing.T) {
	server := &orderEvents{scripts: []func(partnerv1.OrderEventService_StreamOrderEventsServer) error{
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			sendEvents(stream, "1", "2")
			<-stream.Context().Done()
			return nil
		},
		func(stream partnerv1.OrderEventService_StreamOrderEventsServer) error {
			return status.Error(codes.Internal, "resumed after the caller cancelled")
		},
	}}
	client := newTestClient(t, func(s *grpc.Server) { partnerv1.RegisterOrderEventServiceServer(s, server) })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var resumes []string
	var failures []error
	hook := OnResume(func(cut *status.Status, resumeAfter string) {
		resumes = append(resumes, CodeName(cut.Code())+" "+resumeAfter)
	})
	for _, err := range client.StreamOrderEvents(ctx, &partnerv1.StreamOrderEventsRequest{}, hook) {
		if err != nil {
			failures = append(failures, err)
			continue
		}
		cancel()
	}

	if len(resumes) != 0 {
		t.Errorf("resumed after the caller cancelled: %v", resumes)
	}
	if len(failures) != 1 || status.Code(failures[0]) != codes.Canceled {
		t.Errorf("ended with %v, want one CANCELLED", failures)
	}
	if len(server.resumeAfters) != 1 {
		t.Errorf("%d calls, want 1", len(server.resumeAfters))
	}
}
