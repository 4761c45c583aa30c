package kalshitest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/seed-c9ca4919/kalshi/kalshitest/internal/api"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// BasePath is where the REST API is served, as on Kalshi's hosts.
const BasePath = "/trade-api/v2"

// Server is a fake Kalshi exchange serving the Trade API v2 over HTTP on
// a loopback port. It is safe for concurrent use.
type Server struct {
	x        *exchange
	keys     keyRing
	verified verifiedCache
	faults   faultState
	limits   *limiter
	maxSkew  time.Duration
	clock    func() time.Time

	routes    *routeTable
	validator *validator
	mux       *http.ServeMux
	ws        *wsFeed

	listener net.Listener
	http     *http.Server
	closing  sync.Once
	served   chan struct{}
}

// NewServer starts a fake exchange on a free loopback port (see WithAddr)
// and returns it; Close stops it. Like httptest.NewServer it panics when it
// cannot start (a port in use, an invalid option), since tests have no
// use for a half-made server.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Start is NewServer for programs that serve the fake themselves (on an
// address that may be taken, say): it returns an error where NewServer
// panics.
func Start(opts ...Option) (*Server, error) {
	s, err := newServer(opts...)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.addr(opts))
	if err != nil {
		return nil, fmt.Errorf("kalshitest: listening: %w", err)
	}
	s.listener = ln
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

func (s *Server) addr(opts []Option) string {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg.addr
}

// newServer builds the server without listening: Handler serves it.
func newServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	lim, err := newLimiter(cfg.tier)
	if err != nil {
		return nil, err
	}
	spec, err := loadSpec()
	if err != nil {
		return nil, err
	}
	s := &Server{
		x:         newExchange(cfg.clock, cfg.seed, cfg.idSeed()),
		limits:    lim,
		maxSkew:   cfg.maxSkew,
		clock:     cfg.clock,
		validator: newValidator(),
		mux:       http.NewServeMux(),
	}
	s.faults.rng = rand.New(rand.NewPCG(cfg.seed, cfg.seed+1))
	s.faults.f = cfg.faults

	x := s.x
	x.mu.Lock()
	x.ensureAccount(houseUser, houseBalance)
	x.ensureAccount(DefaultUserID, cfg.balance)
	x.generate(cfg.markets, cfg.liquidity, x.now())
	for _, spec := range cfg.specs {
		if err := x.addSpec(spec); err != nil {
			x.mu.Unlock()
			return nil, err
		}
	}
	x.seedDomains(x.now())
	x.mu.Unlock()

	wrapper := &api.ServerInterfaceWrapper{
		Handler:          &handlers{s: s},
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) { writeError(w, errParam(err.Error())) },
	}
	if s.routes, err = newRouteTable(spec, BasePath, wrapper); err != nil {
		return nil, err
	}
	s.mux.Handle(BasePath+"/", http.HandlerFunc(s.serveAPI))
	s.ws = newWSFeed(s, cfg.ws, cfg.seed)
	s.mux.Handle(signing.WebSocketPath, s.ws)
	return s, nil
}

// Handler returns the server's HTTP handler, to serve the fake in a server
// of your own (the API lives below BasePath).
func (s *Server) Handler() http.Handler { return s }

// ServeHTTP serves the API and any handlers added with Handle.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Handle adds a handler for pattern (http.ServeMux syntax) beside the REST
// API. Patterns below BasePath are the API's, and the WebSocket endpoint
// signing.WebSocketPath is served already.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// URL returns the REST base URL, including /trade-api/v2, for
// kalshi.WithBaseURL.
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() + BasePath }

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.listener.Addr() }

// Close stops the server and closes open connections, WebSocket ones
// included. It is safe to call more than once.
func (s *Server) Close() {
	s.closing.Do(func() {
		s.ws.shutdown()
		if s.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if err := s.http.Shutdown(ctx); err != nil {
				_ = s.http.Close()
			}
			<-s.served
		}
	})
}

// ctxKey keys the request context values the middleware sets.
type ctxKey int

const (
	opKey ctxKey = iota
	keyKey
)

// serveAPI is the middleware stack of every API request: faults, routing,
// signature, rate limit, validation, then the generated routing into the
// handlers.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	done, lose := s.applyFaults(w, r)
	if done {
		return
	}
	if lose {
		s.handleAPI(&discardWriter{}, r)
		s.loseAnswer(w)
		return
	}
	s.handleAPI(w, r)
}

// handleAPI routes, authenticates, limits, validates and handles one API
// request.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	op, params, found, methodOK := s.routes.match(r)
	if !methodOK {
		if found {
			writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed", message: "method not allowed"})
			return
		}
		writeError(w, &apiError{status: http.StatusNotFound, code: "not_found", message: "not found"})
		return
	}
	ctx := context.WithValue(r.Context(), opKey, op)
	caller := "addr:" + remoteHost(r)
	if op.secured {
		key, err := s.authenticate(r)
		if err != nil {
			writeError(w, err)
			return
		}
		ctx = context.WithValue(ctx, keyKey, key)
		caller = "key:" + key.id
	}
	if !s.limits.allow(caller, &op.facts, r, time.Now()) {
		writeRateLimited(w)
		return
	}
	r = r.WithContext(ctx)
	if err := s.validator.check(ctx, r, op, params); err != nil {
		writeError(w, err)
		return
	}
	for name, v := range params {
		r.SetPathValue(name, v)
	}
	op.serve(w, r)
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// notImplemented answers 501 for an operation the fake does not implement.
func notImplemented(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, BasePath)
	if op, ok := r.Context().Value(opKey).(*operation); ok {
		name = op.id
	}
	writeError(w, errNotImplemented(name))
}

// callerKey returns the API key of an authenticated request.
func callerKey(r *http.Request) (*apiKey, bool) {
	k, ok := r.Context().Value(keyKey).(*apiKey)
	return k, ok
}

// userOf returns the user ID of an authenticated request.
func userOf(r *http.Request) string {
	if k, ok := callerKey(r); ok {
		return k.userID
	}
	return DefaultUserID
}

// loadSpec decodes the spec embedded in server.gen.go. Its servers are
// dropped: routing is by path below BasePath, whatever the host.
func loadSpec() (*openapi3.T, error) {
	spec, err := api.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("kalshitest: loading the embedded spec: %w", err)
	}
	spec.Servers = nil
	return spec, nil
}

// SettleMarket settles a market with result "yes" or "no": resting orders
// are canceled, each contract on the winning outcome pays $1 to its
// holder, and everyone's position in it closes into a settlement.
func (s *Server) SettleMarket(ticker, result string) error { return s.x.settle(ticker, result) }

// AddMarket adds a market while the server runs.
func (s *Server) AddMarket(spec MarketSpec) error {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	events := len(s.x.eventOrder)
	if err := s.x.addSpec(spec); err != nil {
		return err
	}
	s.x.publishEventsSince(events, s.x.now())
	if m, ok := s.x.markets[spec.Ticker]; ok {
		s.x.publishLifecycle(m, s.x.now())
	}
	return nil
}

// SetBalance sets an account's available cash (DefaultUserID for the
// default account).
func (s *Server) SetBalance(userID string, d money.Dollars) error {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	a, ok := s.x.accounts[userID]
	if !ok {
		return errors.New("kalshitest: no account " + userID)
	}
	a.balance = d
	return nil
}

// Subscribe returns a subscription to the exchange's event stream from
// this moment: book changes, trades, fills, order and position updates,
// market lifecycle. It is the hook for a WebSocket layer; pair it with
// OrderbookSnapshot, whose MarketSeq says which deltas it already holds.
func (s *Server) Subscribe() *Subscription {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	return s.x.hub.subscribe()
}

// OrderbookSnapshot returns a market's book as Kalshi's order-book levels
// (YES bids, and asks as NO bids at 1 − price, both ascending) and the
// book's MarketSeq: deltas with a higher MarketSeq come after it.
func (s *Server) OrderbookSnapshot(ticker string) (yes, no []money.PriceLevel, marketSeq uint64, err error) {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	m, ok := s.x.markets[ticker]
	if !ok {
		return nil, nil, 0, fmt.Errorf("kalshitest: no market %s", ticker)
	}
	return m.book.depth(bid, 0), m.book.depth(ask, 0), m.bookSeq, nil
}

// Authenticate checks a request's KALSHI-ACCESS-* signature headers the way
// the REST API does, for handlers mounted with Handle (such as the
// WebSocket handshake). It returns the key's user ID, or an error whose
// text is Kalshi's error code.
func (s *Server) Authenticate(r *http.Request) (userID string, err error) {
	key, err := s.authenticate(r)
	if err != nil {
		return "", err
	}
	return key.userID, nil
}
