package redislimit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/redislimit"
	"github.com/seed-c9ca4919/kalshi/redislimit/redistest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Two bots on one account share its Basic budget through Redis: together
// they ask for twice what the read bucket holds, and Kalshi (here the
// fake exchange, enforcing Basic's limits) refuses none of it.
func Example() {
	rds, err := redistest.New() // a throwaway redis-server; yours is at an address of its own
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rds.Close()
	exchange := kalshitest.NewServer(kalshitest.WithTier(kalshi.Basic))
	defer exchange.Close()
	key, _, _, _ := signing.GenerateKey(signing.Ed25519)
	exchange.AddAPIKey("bots-key", key.Public())

	basic, _ := kalshi.Basic.RateLimit()
	newBot := func() *kalshi.Client {
		// Each bot, in its own process or on its own machine, does this.
		rdb := redis.NewClient(&redis.Options{Addr: rds.Addr()})
		limiter, err := redislimit.New(rdb, redislimit.Options{
			Account:     "bots-key", // the API key ID, or a name all the bots agree on
			Environment: kalshi.Demo,
			Limits:      basic,
			FailMode:    redislimit.FailOpen, // if Redis fails, pace with 1/Processes of the budget
			Processes:   2,
		})
		if err != nil {
			panic(err)
		}
		signer, _ := signing.New("bots-key", key)
		c, _ := kalshi.New(kalshi.WithBaseURL(exchange.URL()), kalshi.WithSigner(signer),
			kalshi.WithLimiter(limiter), kalshi.WithRetry(kalshi.NoRetry())) // no retry: a 429 would show
		return c
	}
	bots := []*kalshi.Client{newBot(), newBot()}

	// 40 reads of 10 tokens: 400 tokens, twice the bucket of 200.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := bots[i%2].GetBalance(context.Background(), nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, kalshi.ErrRateLimited):
				refused++
			default:
				fmt.Println(err)
			}
		}()
	}
	wg.Wait()
	fmt.Println("answered:", ok, "refused with 429:", refused)
	// Output:
	// answered: 40 refused with 429: 0
}
