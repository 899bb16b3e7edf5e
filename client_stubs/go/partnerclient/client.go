// Package partnerclient is a thin client for the Partner gateway over the
// generated stubs in package partnerv1. Every call it makes carries the
// `peeker-environment` metadata; unary calls get a default deadline; a write
// whose request_id is empty gets a new one (NewRequestId), which the
// channel's retries keep; and the safe methods are retried on UNAVAILABLE, the
// writes on UNAVAILABLE and ABORTED, as the gateway's service config says.
// Requests, replies and errors are the stubs' and grpc-go's own types.
package partnerclient

import (
	"context"
	"crypto/rand"
	_ "embed"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	partnerv1 "github.com/peeker/partner-gateway/client_stubs/go/peeker/partner/v1"
)

// serviceConfig is client_stubs/service_config.json, copied here by
// generate.sh: the retry policy of the methods that are safe to repeat and of
// the writes.
//
//go:embed service_config.json
var serviceConfig string

// EnvironmentMetadata is the metadata key that selects the Partner
// environment (and so the key) the gateway uses for a call.
const EnvironmentMetadata = "peeker-environment"

type options struct {
	environment string
	timeout     time.Duration
	dialOptions []grpc.DialOption
}

// Option changes a default of New.
type Option func(*options)

// WithEnvironment selects the Partner environment, "sandbox" (the default)
// or "live".
func WithEnvironment(environment string) Option {
	return func(o *options) { o.environment = environment }
}

// WithTimeout sets the deadline of unary calls whose context has none
// (default 10 s). Streams get no default deadline.
func WithTimeout(timeout time.Duration) Option {
	return func(o *options) { o.timeout = timeout }
}

// WithDialOptions adds grpc.DialOptions after the client's own, e.g.
// transport credentials to replace the default insecure ones.
func WithDialOptions(dialOptions ...grpc.DialOption) Option {
	return func(o *options) { o.dialOptions = append(o.dialOptions, dialOptions...) }
}

// Client holds one channel to the gateway and a stub for every service.
type Client struct {
	conn        *grpc.ClientConn
	accounts    partnerv1.AccountServiceClient
	users       partnerv1.UserServiceClient
	bundles     partnerv1.BundleServiceClient
	domains     partnerv1.DomainServiceClient
	orders      partnerv1.OrderServiceClient
	orderEvents partnerv1.OrderEventServiceClient
	swaps       partnerv1.SwapServiceClient
}

// New creates a client for the gateway at target ("host:port"), over an
// insecure channel (in-cluster use) unless WithDialOptions says otherwise.
// It connects lazily, on the first call. Close it when done.
func New(target string, opts ...Option) (*Client, error) {
	o := options{environment: "sandbox", timeout: 10 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	dialOptions := append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(serviceConfig),
		grpc.WithUnaryInterceptor(unaryDefaults(o.environment, o.timeout)),
		grpc.WithStreamInterceptor(streamDefaults(o.environment)),
	}, o.dialOptions...)
	conn, err := grpc.NewClient(target, dialOptions...)
	if err != nil {
		return nil, err
	}
	return &Client{
		conn:        conn,
		accounts:    partnerv1.NewAccountServiceClient(conn),
		users:       partnerv1.NewUserServiceClient(conn),
		bundles:     partnerv1.NewBundleServiceClient(conn),
		domains:     partnerv1.NewDomainServiceClient(conn),
		orders:      partnerv1.NewOrderServiceClient(conn),
		orderEvents: partnerv1.NewOrderEventServiceClient(conn),
		swaps:       partnerv1.NewSwapServiceClient(conn),
	}, nil
}

// Close closes the channel; calls in flight fail with CANCELED.
func (c *Client) Close() error { return c.conn.Close() }

// Accounts is the AccountService stub.
func (c *Client) Accounts() partnerv1.AccountServiceClient { return c.accounts }

// Users is the UserService stub.
func (c *Client) Users() partnerv1.UserServiceClient { return c.users }

// Bundles is the BundleService stub.
func (c *Client) Bundles() partnerv1.BundleServiceClient { return c.bundles }

// Domains is the DomainService stub.
func (c *Client) Domains() partnerv1.DomainServiceClient { return c.domains }

// Orders is the OrderService stub.
func (c *Client) Orders() partnerv1.OrderServiceClient { return c.orders }

// OrderEvents is the OrderEventService stub; see also StreamOrderEvents,
// which resumes a cut stream.
func (c *Client) OrderEvents() partnerv1.OrderEventServiceClient { return c.orderEvents }

// Swaps is the SwapService stub.
func (c *Client) Swaps() partnerv1.SwapServiceClient { return c.swaps }

func unaryDefaults(environment string, timeout time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		ctx = metadata.AppendToOutgoingContext(ctx, EnvironmentMetadata, environment)
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		return invoker(ctx, method, withRequestID(req), reply, cc, opts...)
	}
}

// NewRequestId returns a random (version 4) UUID for a write's request_id.
// Set one yourself to keep it across retries of your own, e.g. after your
// process restarted.
func NewRequestId() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// withRequestID returns req, or for a write (a message with a request_id
// field) whose id is empty, a copy with a new one. It runs once per call,
// above the channel's retries, which resend the same bytes.
func withRequestID(req any) any {
	message, ok := req.(proto.Message)
	if !ok {
		return req
	}
	reflected := message.ProtoReflect()
	field := reflected.Descriptor().Fields().ByName("request_id")
	if field == nil || field.Kind() != protoreflect.StringKind || reflected.Get(field).String() != "" {
		return req
	}
	copied := proto.Clone(message)
	copied.ProtoReflect().Set(field, protoreflect.ValueOfString(NewRequestId()))
	return copied
}

func streamDefaults(environment string) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
		streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		ctx = metadata.AppendToOutgoingContext(ctx, EnvironmentMetadata, environment)
		return streamer(ctx, desc, cc, method, opts...)
	}
}
