package kalshitest

import (
	"math/rand/v2"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/money"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	addr      string
	seed      uint64
	seedSet   bool // WithSeed was given: IDs follow the seed too
	clock     func() time.Time
	markets   int
	liquidity bool
	specs     []MarketSpec
	balance   money.Dollars
	tier      kalshi.Tier
	maxSkew   time.Duration
	faults    Faults
	ws        wsConfig
}

// DefaultUserID is the user ID of the account that AddAPIKey's keys
// trade for.
const DefaultUserID = "b7f2c6de-1d1b-4a6e-9a51-6f7a3c2e0d11"

// DefaultBalance is the default account's starting cash: $1,000.
var DefaultBalance = money.DollarsFromCents(100_000)

// DefaultMarkets is how many markets the generator lists unless
// WithMarkets says otherwise.
const DefaultMarkets = 60

func defaultConfig() config {
	return config{
		addr:      "127.0.0.1:0",
		seed:      1,
		clock:     time.Now,
		markets:   DefaultMarkets,
		liquidity: true,
		balance:   DefaultBalance,
		maxSkew:   DefaultMaxSkew,
	}
}

// WithAddr listens on addr instead of a free loopback port, e.g.
// "127.0.0.1:8080" to run the fake standalone.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithSeed makes the generated markets, house liquidity, IDs and injected
// faults follow seed: two servers with the same seed, options and requests
// give the same answers (up to timestamps, unless WithClock fixes those
// too). Without it the markets, liquidity and faults follow seed 1, and
// IDs (of users, keys, orders, trades and fills) are random, so no ID of
// one run comes back in another.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed, c.seedSet = seed, true } }

// WithClock sets the exchange's clock: the times in responses, order
// expiry and settlement times. Signatures are still checked against the
// real time (plus any injected clock skew), the clock real signers use.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithMarkets sets how many markets the generator lists (default
// DefaultMarkets; 0 for none), five to an event, across weather, crypto,
// sports and economics series. Most are active; every 17th is not open
// yet and the one after it closed.
func WithMarkets(n int) Option { return func(c *config) { c.markets = max(0, n) } }

// WithLiquidity turns the house account's resting orders on generated
// active markets on or off (default on): three bid and three ask levels
// around a fair price, so orders that cross fill without a second user.
func WithLiquidity(on bool) Option { return func(c *config) { c.liquidity = on } }

// WithMarket adds a market of your own, after the generated ones.
func WithMarket(spec MarketSpec) Option {
	return func(c *config) { c.specs = append(c.specs, spec) }
}

// WithBalance sets the default account's starting cash (default
// DefaultBalance).
func WithBalance(d money.Dollars) Option { return func(c *config) { c.balance = d } }

// WithTier enforces Kalshi's rate limits of tier t per API key (per
// remote address for public requests), answering 429 like Kalshi when a
// bucket runs dry. Off by default, so tests may send as fast as they like.
// NewServer panics on an unknown tier.
func WithTier(t kalshi.Tier) Option { return func(c *config) { c.tier = t } }

// WithMaxSkew sets how far a signature's timestamp may be from the clock
// (default DefaultMaxSkew).
func WithMaxSkew(d time.Duration) Option { return func(c *config) { c.maxSkew = d } }

// WithLatency delays every API request by d.
func WithLatency(d time.Duration) Option { return func(c *config) { c.faults.Latency = d } }

// WithServerErrorRate answers a fraction p (0 to 1) of API requests with
// 500 or 503.
func WithServerErrorRate(p float64) Option { return func(c *config) { c.faults.ServerErrorRate = p } }

// WithDropRate closes the connection without an answer for a fraction p
// (0 to 1) of API requests.
func WithDropRate(p float64) Option { return func(c *config) { c.faults.DropRate = p } }

// WithLostAnswerRate handles a fraction p (0 to 1) of API requests and then
// loses their answers (see Faults.LostAnswerRate): the order is placed, the
// client hears nothing, or a proxy's 502 or 504.
func WithLostAnswerRate(p float64) Option { return func(c *config) { c.faults.LostAnswerRate = p } }

// With429Burst answers the first n API requests 429.
func With429Burst(n int) Option { return func(c *config) { c.faults.RateLimitBurst = n } }

// WithClockSkew moves the clock signatures are checked against by d (see
// Faults.ClockSkew).
func WithClockSkew(d time.Duration) Option { return func(c *config) { c.faults.ClockSkew = d } }

// idSeed is the seed of the exchange's IDs: the user's seed, or a random one.
func (c *config) idSeed() uint64 {
	if c.seedSet {
		return c.seed
	}
	return rand.Uint64()
}
