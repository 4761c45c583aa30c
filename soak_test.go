package kalshi_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
)

// soakMarkets are traded by the soak; each has liquidity on both sides so
// that some orders fill and some rest.
var soakMarkets = []string{"KXSOAK-26JAN01-A", "KXSOAK-26JAN01-B"}

// soakLog is what the soak's calls reported, to be checked against the
// exchange afterwards.
type soakLog struct {
	mu        sync.Mutex
	created   map[string]string // client_order_id -> order_id, reported placed
	notPlaced []string          // client_order_ids reported not placed
	canceled  []string          // order_ids reported cancelled
	notCancel []string          // order_ids reported not cancelled
	amended   map[string]amend  // order_id -> the amend reported applied
	notAmend  map[string]amend  // order_id -> the amend reported not applied
	unknown   int               // calls that ended with ErrOutcomeUnknown (and batch items)
	calls     int
	resting   []string // order_ids that may be cancelled or amended
}

type amend struct {
	price money.Dollars
	count money.Count
}

func (l *soakLog) takeResting(r *rand.Rand) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.resting) == 0 {
		return "", false
	}
	i := r.IntN(len(l.resting))
	id := l.resting[i]
	l.resting = append(l.resting[:i], l.resting[i+1:]...)
	return id, true
}

// TestSoakLostAnswers runs concurrent single and batch creates, cancels and
// amends against the fake exchange while it loses 40% of the answers after
// acting (a dropped connection, a proxy's 502 or 504). No order is ever
// placed twice, and no call reports a failure whose effect happened: it
// reports success, or a failure that did not take effect, or
// ErrOutcomeUnknown with the client_order_ids to settle it by, which must
// stay rare.
func TestSoakLostAnswers(t *testing.T) {
	t.Parallel()
	opts := []kalshitest.Option{kalshitest.WithMarkets(0), kalshitest.WithSeed(7)}
	for _, m := range soakMarkets {
		spec := kalshitest.MarketSpec{Ticker: m}
		for c := int64(40); c < 45; c++ {
			spec.Bids = append(spec.Bids, money.PriceLevel{Price: money.DollarsFromCents(c), Count: money.CountFromInt(50)})
			spec.Asks = append(spec.Asks, money.PriceLevel{Price: money.DollarsFromCents(c + 15), Count: money.CountFromInt(50)})
		}
		opts = append(opts, kalshitest.WithMarket(spec))
	}
	srv := kalshitest.NewServer(opts...)
	defer srv.Close()
	signer, pub := newSigner(t)
	srv.AddAccount(signer.KeyID(), pub, money.DollarsFromCents(100_000_000))
	policy := kalshi.DefaultRetryPolicy()
	policy.BaseDelay, policy.MaxDelay = time.Millisecond, 10*time.Millisecond
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(policy))
	require.NoError(t, err)
	srv.InjectFaults(kalshitest.Faults{LostAnswerRate: 0.4})

	log := &soakLog{created: map[string]string{}, amended: map[string]amend{}, notAmend: map[string]amend{}}
	const workers, perWorker = 16, 60
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 99))
			for range perWorker {
				soakStep(t, c, r, log)
			}
		}()
	}
	wg.Wait()
	srv.InjectFaults(kalshitest.Faults{})
	lost := srv.LostAnswers()

	// What the exchange holds, by client_order_id.
	byClientID := map[string][]gen.Order{}
	byOrderID := map[string]gen.Order{}
	for o, err := range c.GetOrdersIter(context.Background(), nil) {
		require.NoError(t, err)
		byClientID[o.ClientOrderID] = append(byClientID[o.ClientOrderID], o)
		byOrderID[o.OrderID] = o
	}
	for id, orders := range byClientID {
		if id != "" {
			assert.Len(t, orders, 1, "client_order_id %s was placed %d times", id, len(orders))
		}
	}
	for clientID, orderID := range log.created {
		orders := byClientID[clientID]
		if assert.Len(t, orders, 1, "reported placed: %s", clientID) {
			assert.Equal(t, orderID, orders[0].OrderID)
		}
	}
	for _, clientID := range log.notPlaced {
		assert.Empty(t, byClientID[clientID], "reported not placed, but it was: %s", clientID)
	}
	for _, id := range log.canceled {
		assert.Equal(t, gen.OrderStatusCanceled, byOrderID[id].Status, "reported cancelled: %s", id)
	}
	for _, id := range log.notCancel {
		assert.NotEqual(t, gen.OrderStatusCanceled, byOrderID[id].Status, "reported not cancelled, but it was: %s", id)
	}
	for id, a := range log.amended {
		o := byOrderID[id]
		assert.Zero(t, o.YesPriceDollars.Cmp(a.price), "reported amended to %s: %s", a.price, id)
	}
	for id, a := range log.notAmend {
		o := byOrderID[id]
		total := o.FillCountFp.Add(o.RemainingCountFp)
		assert.False(t, o.YesPriceDollars.Cmp(a.price) == 0 && total.Cmp(a.count) == 0, "reported not amended, but it was: %s", id)
	}
	t.Logf("%d calls, %d answers lost after the exchange acted: %d orders placed, %d reported not placed, %d cancels, %d amends, %d outcomes unknown",
		log.calls, lost, len(log.created), len(log.notPlaced), len(log.canceled), len(log.amended), log.unknown)
	assert.Greater(t, lost, log.calls/5, "the fault was at work")
	assert.LessOrEqual(t, log.unknown*20, log.calls, "outcomes left unknown stay rare (at most 5%% of calls)")
	assert.Greater(t, len(log.created), workers*perWorker/4, "most orders were placed")
}

// soakStep makes one random call and records what it reported.
func soakStep(t *testing.T, c *kalshi.Client, r *rand.Rand, log *soakLog) {
	ctx := context.Background()
	market := soakMarkets[r.IntN(len(soakMarkets))]
	order := func() gen.CreateOrderV2Request {
		// Mostly resting bids below the book; sometimes one that crosses.
		price := money.DollarsFromCents(int64(20 + r.IntN(20)))
		if r.IntN(5) == 0 {
			price = money.DollarsFromCents(60)
		}
		return gen.CreateOrderV2Request{Ticker: market, Side: gen.BookSideBid, Price: price, Count: money.CountFromInt(int64(1 + r.IntN(3))),
			TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross}
	}
	log.mu.Lock()
	log.calls++
	log.mu.Unlock()
	switch n := r.IntN(10); {
	case n < 4:
		res, err := c.CreateOrderV2(ctx, order())
		log.mu.Lock()
		defer log.mu.Unlock()
		switch {
		case err == nil:
			require.NotNil(t, res.ClientOrderID, "a create result carries its client_order_id")
			log.created[*res.ClientOrderID] = res.OrderID
			if res.RemainingCount.Sign() > 0 {
				log.resting = append(log.resting, res.OrderID)
			}
		case errors.Is(err, kalshi.ErrOutcomeUnknown):
			log.unknown++
			requireIDs(t, err, 1)
		default:
			log.notPlaced = append(log.notPlaced, requireIDs(t, err, 1)...)
		}
	case n < 6:
		req := gen.BatchCreateOrdersV2Request{Orders: []gen.CreateOrderV2Request{order(), order(), order()}}
		res, err := c.BatchCreateOrdersV2(ctx, req)
		log.mu.Lock()
		defer log.mu.Unlock()
		if err != nil {
			if errors.Is(err, kalshi.ErrOutcomeUnknown) {
				log.unknown++
			} else {
				log.notPlaced = append(log.notPlaced, requireIDs(t, err, 3)...)
			}
			return
		}
		require.Len(t, res.Orders, 3)
		for _, item := range res.Orders {
			require.NotNil(t, item.ClientOrderID, "every batch item carries its client_order_id")
			switch {
			case item.Error == nil:
				log.created[*item.ClientOrderID] = *item.OrderID
				if item.RemainingCount != nil && item.RemainingCount.Sign() > 0 {
					log.resting = append(log.resting, *item.OrderID)
				}
			case item.Error.Code != nil && *item.Error.Code == kalshi.CodeOutcomeUnknown:
				log.unknown++
			default:
				log.notPlaced = append(log.notPlaced, *item.ClientOrderID)
			}
		}
	case n < 8:
		id, ok := log.takeResting(r)
		if !ok {
			return
		}
		_, err := c.CancelOrderV2(ctx, id, nil)
		log.mu.Lock()
		defer log.mu.Unlock()
		switch {
		case err == nil:
			log.canceled = append(log.canceled, id)
		case errors.Is(err, kalshi.ErrOutcomeUnknown):
			log.unknown++
		default:
			log.notCancel = append(log.notCancel, id)
		}
	default:
		id, ok := log.takeResting(r)
		if !ok {
			return
		}
		got, err := c.GetOrder(ctx, id)
		if err != nil || got.Order.Status != gen.OrderStatusResting {
			return
		}
		a := amend{price: money.DollarsFromCents(int64(20 + r.IntN(20))), count: got.Order.FillCountFp.Add(money.CountFromInt(int64(1 + r.IntN(3))))}
		_, err = c.AmendOrderV2(ctx, id, nil, gen.AmendOrderV2Request{Ticker: got.Order.Ticker, Side: gen.BookSideBid, Price: a.price, Count: a.count})
		log.mu.Lock()
		defer log.mu.Unlock()
		switch {
		case err == nil:
			log.amended[id] = a
			log.resting = append(log.resting, id)
		case errors.Is(err, kalshi.ErrOutcomeUnknown):
			log.unknown++
			// This amend may have been applied, so an earlier amend of the
			// same order no longer says what the order holds.
			delete(log.amended, id)
		default:
			log.notAmend[id] = a
		}
	}
}

// requireIDs checks that a create's error carries its n client_order_ids.
func requireIDs(t *testing.T, err error, n int) []string {
	var apiErr *kalshi.APIError
	var callErr *kalshi.CallError
	var ids []string
	switch {
	case errors.As(err, &callErr) && callErr.ClientOrderIDs != nil:
		ids = callErr.ClientOrderIDs
	case errors.As(err, &apiErr):
		ids = apiErr.ClientOrderIDs
	}
	require.Len(t, ids, n, "the error carries the client_order_ids: %v", err)
	for _, id := range ids {
		require.NotEmpty(t, id, fmt.Sprint(err))
	}
	return ids
}
