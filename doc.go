// Package kalshi is a client for Kalshi's Trade API v2, the REST interface of
// Kalshi's regulated prediction-market exchange.
//
// # Clients
//
// New makes a Client for the demo environment unless WithEnvironment or
// WithBaseURL says otherwise; NewFromEnv reads the environment, base URL, key
// ID and private key from KALSHI_* variables. Private operations are signed
// with a *signing.Signer (WithSigner); without one, public operations work and
// private ones fail with ErrNoCredentials before anything is sent. A Client is
// safe for concurrent use.
//
//	signer, err := signing.New(keyID, key)
//	c, err := kalshi.New(kalshi.WithEnvironment(kalshi.Demo), kalshi.WithSigner(signer))
//	markets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ...})
//
// # Calls
//
// Every operation of the spec is one method named after it (GetMarkets,
// CreateOrderV2, ...) that takes a context, the path parameters, a params
// struct for the query and a typed body, and returns the typed success value
// or an error, never both nil. A non-2xx answer is an *APIError carrying
// Kalshi's status, code, message and a hint; the sentinel errors
// (ErrUnauthorized, ErrNotFound, ErrRateLimited, ErrOrderAlreadyExists, ...)
// match it with errors.Is. A call that got no usable answer is a *CallError
// naming the operation and the attempts made. A path parameter that would
// change which endpoint is called ("" or "." as an order ID) is refused with
// ErrInvalidParameter before anything is sent. Paginated list operations also
// have <Operation>Iter and <Operation>Pages, which follow the cursor.
//
// # Orders
//
// Order creation carries a client_order_id on every order (one is generated
// when none is given) and is retried only then, since Kalshi refuses a repeated
// client_order_id; an order therefore cannot be placed twice by a retry. When
// the answer to an order operation is lost, the client looks the order up and
// returns what happened; if it cannot tell, the error matches
// ErrOutcomeUnknown and carries the client_order_id to look it up later.
//
// # Retries, timeouts, limits
//
// Requests pass through a transport stack: the operation, credential check,
// order idempotency, retry, client-side rate limit, signing, then the HTTP
// client. Every retry draws its rate-limit tokens and is signed afresh. DefaultRetryPolicy retries 429 always
// and server errors and connection failures where repeating is safe, within
// 4 attempts and 30 seconds, each attempt bounded by 15 seconds; answers are
// bounded in size (BodyLimits); redirects are never followed. WithTier or
// WithRateLimit paces requests with Kalshi's read and write token buckets, and
// SyncLimits loads the account's own limits and endpoint costs. The buckets
// are a Limiter: LocalLimiter in memory, or with WithLimiter one shared by
// many processes (module redislimit keeps them in Redis).
//
// # Drift and observability
//
// Kalshi's answers sometimes differ from the spec (a number sent as a string,
// an undeclared field, another status); the client decodes them leniently and
// reports each difference to WithDriftReporter. WithObserver and WithLogger
// report every call, attempt and rate-limit wait (package observe).
//
// # Related packages
//
// Package gen holds the generated types and the operation table; money the
// exact decimal types of prices and counts; signing the request signatures;
// ws the WebSocket feed; orderbook exact local order books; observe the events
// for logs, traces and metrics; kalshitest a fake exchange to test against
// without money or network.
package kalshi
