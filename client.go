package kalshi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Version is this module's version, sent in the default User-Agent.
const Version = "0.1.0"

// Client is a Kalshi Trade API v2 client. Every REST operation of the
// spec is one method, named after the operation (GetMarkets,
// CreateOrderV2, ...), that returns the typed success value or an error:
// an *APIError for a non-2xx answer, a *CallError when no usable answer
// came. Paginated list operations also have iterators (<Operation>Iter,
// <Operation>Pages).
//
// Requests pass through a transport stack: credential check, order
// idempotency, retry, signing, then the HTTP client; so every retry is
// signed afresh and no retry can place an order twice. Every attempt,
// retries included, first draws its tokens from the rate limiter.
//
// A Client is safe for concurrent use.
type Client struct {
	raw     *gen.ClientWithResponses
	env     Environment
	baseURL string // without a trailing slash
	server  string // baseURL with one, as the generated request builders want it
	signer  *signing.Signer
	http    *http.Client
	limits  *limiter
	// bodyLimits caps the answers read (see BodyLimits).
	bodyLimits BodyLimits
	base       http.RoundTripper // below the stack: the connections
	userAgent  string
	router     *operationRouter
	drift      func(Drift)
	observer   observe.Observer // nil when none
}

// New returns a client for the demo environment unless options say
// otherwise. Without a signer, public operations work and authenticated
// ones fail with ErrNoCredentials before anything is sent.
func New(opts ...Option) (*Client, error) {
	cfg := config{env: Demo, retry: DefaultRetryPolicy(), userAgent: "kalshi-go/" + Version, clockCorrection: true}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	base := cfg.baseURL
	if base == "" {
		base = cfg.env.BaseURL()
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("kalshi: base URL %q must be an absolute http(s) URL such as %s", base, Demo.BaseURL())
	}
	base = strings.TrimSuffix(base, "/")

	c := &Client{env: cfg.env, baseURL: base, server: base + "/", signer: cfg.signer, router: newOperationRouter(u.Path), drift: cfg.drift, observer: cfg.observer}
	c.limits = newLimiter(cfg.limiter)
	c.bodyLimits = cfg.bodyLimits.withDefaults()
	c.userAgent = cfg.userAgent

	hc := &http.Client{}
	if cfg.httpClient != nil {
		*hc = *cfg.httpClient
	}
	c.http = hc
	hc.Transport = c.stack(hc.Transport, cfg)
	// Kalshi does not redirect; following a redirect would send a fresh
	// signature wherever it points.
	hc.CheckRedirect = signing.RefuseRedirect

	c.raw, err = gen.NewClientWithResponses(base, gen.WithHTTPClient(hc))
	if err != nil {
		return nil, fmt.Errorf("kalshi: %w", err)
	}
	return c, nil
}

// stack builds the transport stack, outermost first: the operation of the
// request, credential check, user agent, order idempotency, retry (which
// draws rate-limit tokens before every attempt), signing, net/http.
func (c *Client) stack(base http.RoundTripper, cfg config) http.RoundTripper {
	if base == nil {
		base = DefaultTransport()
	}
	c.base = base
	rt := base
	if c.signer != nil {
		rt = c.signer.Transport(rt)
	}
	retry := &retryTransport{next: rt, policy: cfg.retry, limits: c.bodyLimits, observer: cfg.observer,
		pacer: &pacer{limits: c.limits, observer: cfg.observer}}
	if c.signer != nil && cfg.clockCorrection {
		retry.clock = &clockCorrection{signer: c.signer, report: cfg.clockReport}
	}
	rt = retry
	rt = idempotencyTransport{next: rt}
	rt = headerTransport{next: rt, userAgent: cfg.userAgent}
	if c.signer == nil {
		rt = credentialGuard{next: rt}
	}
	return operationTransport{next: rt, router: c.router, closeIdle: func() { _ = c.Close() }}
}

// Environment returns the environment the client was made for.
func (c *Client) Environment() Environment { return c.env }

// BaseURL returns the REST base URL requests are sent to.
func (c *Client) BaseURL() string { return c.baseURL }

// WebSocketURL returns the URL of the WebSocket API beside the client's REST
// base URL, for ws.WithURL. For the base URL of a known environment (Demo,
// Production and the legacy hosts, whichever WithEnvironment says) it is
// that environment's WebSocket URL; Kalshi serves the feed from its own
// host. For any other base URL (a proxy, kalshitest) it is the same host
// with http turned into ws and https into wss, and the path's trailing
// /trade-api/v2 replaced by /trade-api/ws/v2 (appended when the path does
// not end so); the query is dropped.
func (c *Client) WebSocketURL() string {
	for _, e := range []Environment{c.env, Demo, Production, DemoLegacy, ProductionLegacy} {
		if c.baseURL == e.BaseURL() {
			return e.WebSocketURL()
		}
	}
	u, err := url.Parse(c.baseURL) // New checked it
	if err != nil {
		return c.env.WebSocketURL()
	}
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	path := strings.TrimSuffix(u.Path, "/")
	path = strings.TrimSuffix(path, "/trade-api/v2")
	u.Path, u.RawPath, u.RawQuery, u.Fragment = path+signing.WebSocketPath, "", "", ""
	return u.String()
}

// Signer returns the client's signer, or nil for a public-only client.
func (c *Client) Signer() *signing.Signer { return c.signer }

// HTTPClient returns the *http.Client carrying the client's transport
// stack (signing, retries, rate limits), for requests to paths the spec
// does not cover; CheckResponse turns its answers into errors.
func (c *Client) HTTPClient() *http.Client { return c.http }

// Raw returns the generated low-level client of package gen, sending
// through the same transport stack: for the rare case that needs the raw
// *http.Response or a request body of your own making. Its
// <Operation>WithResponse methods return the status and the decoded body
// without turning errors into Go errors; Result does that. Prefer the
// Client's own methods.
func (c *Client) Raw() *gen.ClientWithResponses { return c.raw }

// Close releases the client's idle connections. The client stays usable:
// a later call opens a connection again. Calls in flight are not affected;
// cancel their contexts to end them.
func (c *Client) Close() error {
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
	return nil
}

// DefaultIdleConnsPerHost is how many idle connections to Kalshi the
// client's default transport keeps: enough that a bot making up to 64
// calls at once reuses warm connections instead of opening new ones (each
// a TCP and TLS handshake). It leaves room above 64 because a connection
// whose answer was just read is not back in the pool at once, and a call
// that finds none idle meanwhile dials one more. net/http keeps 2.
const DefaultIdleConnsPerHost = 100

// DefaultTransport returns a new HTTP transport with the settings the
// client uses when WithHTTPClient does not give one: http.DefaultTransport's
// (proxy from the environment, HTTP/2 where the server offers it, dial and
// TLS timeouts) with DefaultIdleConnsPerHost idle connections per host.
// Each client has its own, so Close releases its connections only. To
// change a setting (a TLS configuration, a proxy), change the returned
// transport and pass it in: kalshi.WithHTTPClient(&http.Client{Transport: t}).
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = DefaultIdleConnsPerHost
	t.MaxIdleConns = max(t.MaxIdleConns, DefaultIdleConnsPerHost)
	return t
}

// String describes the client: its environment, base URL and key ID,
// never the key.
func (c Client) String() string {
	key := "none"
	if c.signer != nil {
		key = c.signer.KeyID()
	}
	return fmt.Sprintf("kalshi.Client(env=%s, base=%s, key=%s)", c.env, c.baseURL, key)
}

// Format prints String for every verb, so printing a client never walks
// its fields: neither the signer's nor the live connections'.
func (c Client) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, c.String()) }
