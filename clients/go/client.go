package accord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"accord/clients/go/accordpb"
)

// Client calls AccordService over one gRPC connection. It is safe for
// concurrent use. Close it when done.
type Client struct {
	accordpb.AccordServiceClient
	conn *grpc.ClientConn
}

type options struct {
	timeout        time.Duration
	maxAttempts    int
	initialBackoff time.Duration
	maxBackoff     time.Duration
	creds          credentials.TransportCredentials
	token          string
	dialOptions    []grpc.DialOption
}

// An Option configures Dial.
type Option func(*options)

// WithTimeout sets the deadline of each call whose context has none
// (default 10s). Zero or negative: no default deadline.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithRetries sets how many attempts a call gets when the server is
// UNAVAILABLE, the first included (default 4; 1 disables retries; gRPC caps
// it at 5), and the exponential backoff between them (defaults 100ms, 2s).
// Every Accord RPC is a read, so retrying is safe.
func WithRetries(maxAttempts int, initialBackoff, maxBackoff time.Duration) Option {
	return func(o *options) {
		o.maxAttempts, o.initialBackoff, o.maxBackoff = maxAttempts, initialBackoff, maxBackoff
	}
}

// WithTransportCredentials sets TLS credentials; the default is plaintext,
// which the server accepts on loopback only.
func WithTransportCredentials(c credentials.TransportCredentials) Option {
	return func(o *options) { o.creds = c }
}

// WithBearerToken sends "authorization: Bearer <token>" with every call, for
// a server started with --auth_token_file.
func WithBearerToken(token string) Option { return func(o *options) { o.token = token } }

// WithDialOptions passes extra options to grpc.NewClient.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(o *options) { o.dialOptions = append(o.dialOptions, opts...) }
}

// serviceConfig is the gRPC service config for the retry policy.
func serviceConfig(o *options) string {
	if o.maxAttempts <= 1 {
		return `{}`
	}
	return fmt.Sprintf(`{"methodConfig":[{"name":[{"service":"accord.v1.AccordService"}],`+
		`"retryPolicy":{"maxAttempts":%d,"initialBackoff":"%.9fs","maxBackoff":"%.9fs",`+
		`"backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}`,
		o.maxAttempts, o.initialBackoff.Seconds(), o.maxBackoff.Seconds())
}

// Dial makes a Client for target, e.g. "127.0.0.1:50051" or
// "dns:///accord.internal:50051". The connection is made lazily.
func Dial(target string, opts ...Option) (*Client, error) {
	o := &options{timeout: 10 * time.Second, maxAttempts: 4,
		initialBackoff: 100 * time.Millisecond, maxBackoff: 2 * time.Second}
	for _, opt := range opts {
		opt(o)
	}
	if o.maxAttempts > 5 {
		return nil, errors.New("accord: WithRetries: at most 5 attempts")
	}
	if o.maxAttempts > 1 && (o.initialBackoff <= 0 || o.maxBackoff < o.initialBackoff) {
		return nil, errors.New("accord: WithRetries: need 0 < initialBackoff <= maxBackoff")
	}
	creds := o.creds
	if creds == nil {
		creds = insecure.NewCredentials()
	}
	dial := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultServiceConfig(serviceConfig(o)),
		grpc.WithChainUnaryInterceptor(unaryInterceptor(o.timeout, o.token)),
		grpc.WithChainStreamInterceptor(streamInterceptor(o.token)),
	}
	conn, err := grpc.NewClient(target, append(dial, o.dialOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("accord: %w", err)
	}
	return &Client{AccordServiceClient: accordpb.NewAccordServiceClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// unaryInterceptor applies the default deadline and the bearer token, and
// turns every failure into an *Error.
func unaryInterceptor(timeout time.Duration, token string) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok && timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		if token != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
		}
		if err := invoker(ctx, method, req, reply, cc, opts...); err != nil {
			return FromError(err)
		}
		return nil
	}
}

// streamInterceptor applies the bearer token to streaming calls (Watch) and
// turns their failures into *Error; io.EOF (the end of a stream) stays
// io.EOF. Streams get no default deadline: Watch runs until its context
// ends.
func streamInterceptor(token string) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
		streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		if token != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
		}
		s, err := streamer(ctx, desc, cc, method, opts...)
		if err != nil {
			return nil, FromError(err)
		}
		return &typedErrorStream{s}, nil
	}
}

type typedErrorStream struct{ grpc.ClientStream }

func (s *typedErrorStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	return FromError(err)
}
