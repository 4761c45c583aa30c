// Command hammer is one of the processes of redislimit's measurement: it
// sends reads (GetBalance) and writes (CreateOrderV2) as fast as a client
// paced by the Redis limiter allows, from a start time to an end time,
// and prints what happened second by second as JSON.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/redislimit"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Report is what one process saw, by second from the start.
type Report struct {
	ReadTokens  []int // tokens of reads answered 2xx
	WriteTokens []int // tokens of writes answered 2xx
	Refused     []int // attempts answered 429
	Unavailable []int // calls ended by redislimit.ErrUnavailable
	Failed      []int // calls ended by any other error
	// FallbackDraws counts draws served while the limiter paced locally.
	FallbackDraws int
	// FirstUnavailableAt is when the first call failed with
	// ErrUnavailable, from the start; 0 when none did.
	FirstUnavailableAt time.Duration
	// FirstFailure is the first error other than ErrUnavailable, and
	// FirstUnavailable the first of those.
	FirstFailure, FirstUnavailable string
}

func main() {
	base := flag.String("base", "", "the fake exchange's base URL")
	redisURL := flag.String("redis", "", "the Redis URL")
	keyID := flag.String("key-id", "", "the API key ID")
	keyFile := flag.String("key", "", "the private key's PEM file")
	ticker := flag.String("ticker", "", "the market to place orders on")
	startMs := flag.Int64("start", 0, "start time, Unix milliseconds")
	seconds := flag.Int("seconds", 10, "how long to run")
	mode := flag.String("fail", "closed", "open or closed; local paces each process on its own, without Redis")
	processes := flag.Int("processes", 4, "how many processes share the account")
	readers := flag.Int("readers", 8, "concurrent readers")
	writers := flag.Int("writers", 4, "concurrent writers")
	flag.Parse()
	if err := run(*base, *redisURL, *keyID, *keyFile, *ticker, time.UnixMilli(*startMs), *seconds, *mode, *processes, *readers, *writers); err != nil {
		fmt.Fprintln(os.Stderr, "hammer:", err)
		os.Exit(1)
	}
}

func run(base, redisURL, keyID, keyFile, ticker string, start time.Time, seconds int, mode string, processes, readers, writers int) error {
	redis.SetLogger(quiet{})
	key, err := signing.LoadPrivateKey(keyFile)
	if err != nil {
		return err
	}
	signer, err := signing.New(keyID, key)
	if err != nil {
		return err
	}
	ropts, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(ropts)
	defer rdb.Close()
	basic, err := kalshi.Basic.RateLimit()
	if err != nil {
		return err
	}
	o := redislimit.Options{Account: keyID, Limits: basic, Processes: processes}
	if mode == "open" {
		o.FailMode = redislimit.FailOpen
	}
	shared, err := redislimit.New(rdb, o)
	if err != nil {
		return err
	}
	var lim kalshi.Limiter = shared
	if mode == "local" { // the baseline: each process on its own buckets
		if lim, err = kalshi.NewLocalLimiter(basic); err != nil {
			return err
		}
	}
	// Connect before the start, as a running bot would have.
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		return err
	}
	rep := &recorder{start: start, r: Report{
		ReadTokens: make([]int, seconds), WriteTokens: make([]int, seconds), Refused: make([]int, seconds),
		Unavailable: make([]int, seconds), Failed: make([]int, seconds),
	}, lim: shared}
	c, err := kalshi.New(kalshi.WithBaseURL(base), kalshi.WithSigner(signer), kalshi.WithLimiter(lim), kalshi.WithObserver(rep))
	if err != nil {
		return err
	}
	end := start.Add(time.Duration(seconds) * time.Second)
	time.Sleep(time.Until(start))
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()

	var wg sync.WaitGroup
	loop := func(call func(context.Context) error) {
		defer wg.Done()
		for ctx.Err() == nil {
			err := call(ctx)
			if errors.Is(err, context.DeadlineExceeded) {
				return // the tokens would come after the run's end
			}
			if err == nil || ctx.Err() != nil {
				continue
			}
			rep.failed(err)
			if errors.Is(err, redislimit.ErrUnavailable) {
				time.Sleep(50 * time.Millisecond) // as a bot would, rather than spin
			}
		}
	}
	for range readers {
		wg.Add(1)
		go loop(func(ctx context.Context) error {
			_, err := c.GetBalance(ctx, nil)
			return err
		})
	}
	order := gen.CreateOrderV2Request{
		Ticker: ticker, Side: gen.BookSideBid, Count: money.MustCount("1"), Price: money.MustDollars("0.01"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	}
	for range writers {
		wg.Add(1)
		go loop(func(ctx context.Context) error {
			_, err := c.CreateOrderV2(ctx, order)
			return err
		})
	}
	wg.Wait()
	return json.NewEncoder(os.Stdout).Encode(rep.report())
}

// recorder counts answers and draws by second; it is the client's
// observer.
type recorder struct {
	observe.Nop
	start time.Time
	lim   *redislimit.Limiter
	mu    sync.Mutex
	r     Report
}

func (r *recorder) second() int {
	s := int(time.Since(r.start) / time.Second)
	if s < 0 || s >= len(r.r.Refused) {
		return -1
	}
	return s
}

func (r *recorder) AttemptEnd(_ context.Context, a *observe.Attempt) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.second()
	if s < 0 {
		return
	}
	switch {
	case a.StatusCode == 429:
		r.r.Refused[s]++
	case a.StatusCode >= 200 && a.StatusCode < 300:
		if a.Operation == "CreateOrderV2" {
			r.r.WriteTokens[s] += 10
		} else {
			r.r.ReadTokens[s] += 10
		}
	}
}

func (r *recorder) RateLimitWait(context.Context, observe.RateLimitWait) {
	if r.lim.Err() != nil {
		r.mu.Lock()
		r.r.FallbackDraws++
		r.mu.Unlock()
	}
}

func (r *recorder) failed(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.second()
	if s < 0 {
		return
	}
	if errors.Is(err, redislimit.ErrUnavailable) {
		r.r.Unavailable[s]++
		if r.r.FirstUnavailableAt == 0 {
			r.r.FirstUnavailableAt = time.Since(r.start)
		}
		if r.r.FirstUnavailable == "" {
			r.r.FirstUnavailable = fmt.Sprintf("second %d: %v", s, err)
		}
	} else {
		r.r.Failed[s]++
		if r.r.FirstFailure == "" {
			r.r.FirstFailure = err.Error()
		}
	}
}

func (r *recorder) report() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r
}

// quiet silences the Redis client's log of failed dials while Redis is
// stopped: the report counts them.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}
