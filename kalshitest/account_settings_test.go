package kalshitest_test

import (
	"context"
	"net/http"
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

// TestDepositsAndWithdrawalsExplainTheBalance checks that each account's
// history adds up to the cash it started with, and pages.
func TestDepositsAndWithdrawalsExplainTheBalance(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithBalance(usd("1234.56")))
	ctx := context.Background()
	net := func(c *kalshi.Client) (int64, []gen.Deposit, []gen.Withdrawal) {
		var deposits []gen.Deposit
		cursor := ""
		for {
			page, err := c.GetDeposits(ctx, &gen.GetDepositsParams{Limit: ptr(int64(1)), Cursor: &cursor})
			require.NoError(t, err)
			deposits = append(deposits, page.Deposits...)
			require.NotNil(t, page.Cursor)
			if cursor = *page.Cursor; cursor == "" {
				break
			}
		}
		w, err := c.GetWithdrawals(ctx, nil)
		require.NoError(t, err)
		total := int64(0)
		for _, d := range deposits {
			if d.Status == "applied" {
				total += d.AmountCents - d.FeeCents
			}
		}
		for _, x := range w.Withdrawals {
			if x.Status == "applied" {
				total -= x.AmountCents + x.FeeCents
			}
		}
		return total, deposits, w.Withdrawals
	}

	total, deposits, withdrawals := net(c)
	assert.Equal(t, int64(1234_56), total, "applied deposits less withdrawals are the starting cash")
	require.Len(t, deposits, 2)
	assert.Equal(t, gen.DepositStatus("failed"), deposits[0].Status, "newest first")
	assert.Equal(t, gen.DepositStatus("applied"), deposits[1].Status)
	assert.Equal(t, gen.DepositType("ach"), deposits[1].Type)
	assert.Less(t, deposits[1].CreatedTS, deposits[0].CreatedTS)
	assert.Less(t, deposits[1].CreatedTS, time.Now().Unix(), "before the account opened")
	require.NotNil(t, deposits[1].FinalizedTS)
	assert.Greater(t, *deposits[1].FinalizedTS, deposits[1].CreatedTS)
	require.Len(t, withdrawals, 1)
	assert.Equal(t, int64(246_00), withdrawals[0].AmountCents, "a fifth, in whole dollars")
	assert.NotEqual(t, deposits[0].ID, deposits[1].ID)

	// another account's history is its own
	other := clientFor(t, srv, "other", "250")
	total, otherDeposits, _ := net(other)
	assert.Equal(t, int64(250_00), total)
	assert.NotEqual(t, deposits[1].ID, otherDeposits[1].ID)
	empty := clientFor(t, srv, "empty", "0")
	total, none, nothing := net(empty)
	assert.Zero(t, total)
	assert.Empty(t, none, "an account that started with nothing was never funded")
	assert.Empty(t, nothing)
}

func TestTargetBalanceAllocation(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(0))
	ctx := context.Background()
	got, err := c.GetTargetBalanceAllocation(ctx)
	require.NoError(t, err)
	assert.Empty(t, got.Allocations, "no rebalancing until set")
	assert.Equal(t, gen.RestingMarginReservation("sum"), got.RestingMarginReservation)

	in := func(shard, pct int) gen.TargetBalanceAllocationInput {
		return gen.TargetBalanceAllocationInput{ExchangeIndex: &shard, Percent: &pct}
	}
	_, err = c.SetTargetBalanceAllocation(ctx, gen.SetTargetBalanceAllocationRequest{
		Allocations: []gen.TargetBalanceAllocationInput{in(3, 40), in(0, 60)}, RestingMarginReservation: "max",
	})
	require.NoError(t, err)
	got, err = c.GetTargetBalanceAllocation(ctx)
	require.NoError(t, err)
	assert.Equal(t, []gen.TargetBalanceAllocation{{ExchangeIndex: 0, Percent: 60}, {ExchangeIndex: 3, Percent: 40}}, got.Allocations)
	assert.Equal(t, gen.RestingMarginReservation("max"), got.RestingMarginReservation)

	for name, list := range map[string][]gen.TargetBalanceAllocationInput{
		"under 100":   {in(0, 60), in(1, 30)},
		"over 100":    {in(0, 60), in(1, 50)},
		"shard twice": {in(0, 50), in(0, 50)},
		"no shard":    {in(101, 100)},
	} {
		_, err := c.SetTargetBalanceAllocation(ctx, gen.SetTargetBalanceAllocationRequest{Allocations: list})
		assert.Equal(t, http.StatusBadRequest, apiErr(t, err).StatusCode, name)
	}
	got, err = c.GetTargetBalanceAllocation(ctx)
	require.NoError(t, err)
	assert.Len(t, got.Allocations, 2, "a refused allocation changes nothing")

	_, err = c.SetTargetBalanceAllocation(ctx, gen.SetTargetBalanceAllocationRequest{Allocations: []gen.TargetBalanceAllocationInput{}})
	require.NoError(t, err)
	got, err = c.GetTargetBalanceAllocation(ctx)
	require.NoError(t, err)
	assert.Empty(t, got.Allocations, "an empty list turns rebalancing off")
	assert.Equal(t, gen.RestingMarginReservation("sum"), got.RestingMarginReservation, "sum when omitted")
}

func TestUpgradeAccountAPIUsageLevel(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 0)
	ctx := context.Background()
	limits := func() *gen.GetAccountAPILimitsResponse {
		l, err := c.GetAccountAPILimits(ctx)
		require.NoError(t, err)
		return l
	}
	// subEnv granted advanced by hand; a fresh account starts at basic
	srvBasic, fresh := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: subMarket}))
	l, err := fresh.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "basic", l.UsageTier)
	assert.Empty(t, l.Grants)
	assert.Equal(t, 100, l.Write.RefillRate)

	_, err = fresh.UpgradeAccountAPIUsageLevel(ctx)
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode, "no order placed through the API yet")
	_, err = subOrder(t, fresh, nil, "bid", "0.20", "1", "good_till_canceled")
	require.NoError(t, err)
	_, err = fresh.UpgradeAccountAPIUsageLevel(ctx)
	require.NoError(t, err)
	l, err = fresh.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "advanced", l.UsageTier)
	assert.Equal(t, gen.BucketLimit{RefillRate: 300, BucketCapacity: 300}, l.Write)
	assert.Equal(t, []gen.APIUsageLevelGrant{{ExchangeInstance: "event_contract", Level: "advanced", Source: "manual"}}, l.Grants)
	_, err = fresh.UpgradeAccountAPIUsageLevel(ctx)
	require.NoError(t, err, "claiming again is harmless")
	l, err = fresh.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Len(t, l.Grants, 1)

	assert.Equal(t, "advanced", limits().UsageTier)
	require.Error(t, srvBasic.GrantUsageLevel(kalshitest.DefaultUserID, "legendary"))
	require.Error(t, srvBasic.GrantUsageLevel("nobody", kalshi.Premier))
	require.NoError(t, srvBasic.GrantUsageLevel(kalshitest.DefaultUserID, kalshi.Premier))
	l, err = fresh.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "premier", l.UsageTier, "the highest grant counts")
	assert.Len(t, l.Grants, 2)

	// a server started at a tier reports at least that tier
	_, premier := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithTier(kalshi.Premier))
	l, err = premier.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "premier", l.UsageTier)
}

// TestVolumeProgress trades on two accounts and checks the volume each is
// credited with, and that the volume-based level follows it.
func TestVolumeProgress(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithBalance(usd("2000000")),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: subMarket}))
	ctx := context.Background()
	other := clientFor(t, srv, "other", "2000000")
	progress := func(c *kalshi.Client) gen.AccountAPIUsageLevelVolumeProgress {
		p, err := c.GetAccountAPIUsageLevelVolumeProgress(ctx)
		require.NoError(t, err)
		require.Len(t, p.VolumeProgress, 1)
		return p.VolumeProgress[0]
	}
	p := progress(c)
	assert.True(t, p.Trailing30DVolumeFp.IsZero())
	assert.InDelta(t, time.Now().Unix(), p.ComputedTS, 5)
	require.Len(t, p.Goals, 3)
	for i, level := range []string{"premier", "paragon", "prime"} {
		g := p.Goals[i]
		assert.Equal(t, level, g.Level)
		assert.Less(t, g.KeepVolumeGoalFp.Cmp(g.EarnVolumeGoalFp), 0, "keeping takes less than earning")
		if i > 0 {
			assert.Greater(t, g.EarnVolumeGoalFp.Cmp(p.Goals[i-1].EarnVolumeGoalFp), 0)
		}
	}
	premierGoal := p.Goals[0].EarnVolumeGoalFp

	// a resting order is no volume; its fills are, for both sides
	_, err := subOrder(t, c, nil, "bid", "0.01", "999999", "good_till_canceled")
	require.NoError(t, err)
	assert.True(t, progress(c).Trailing30DVolumeFp.IsZero())
	_, err = subOrder(t, other, nil, "ask", "0.01", "999999", "immediate_or_cancel")
	require.NoError(t, err)
	assert.Equal(t, qty("999999"), progress(c).Trailing30DVolumeFp)
	assert.Equal(t, qty("999999"), progress(other).Trailing30DVolumeFp)
	l, err := c.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "basic", l.UsageTier, "one contract short of the goal")

	_, err = subOrder(t, c, nil, "bid", "0.01", "1", "good_till_canceled")
	require.NoError(t, err)
	_, err = subOrder(t, other, nil, "ask", "0.01", "1", "immediate_or_cancel")
	require.NoError(t, err)
	assert.Equal(t, premierGoal, progress(c).Trailing30DVolumeFp)
	l, err = c.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "premier", l.UsageTier, "earned by volume")
	require.Len(t, l.Grants, 1)
	assert.Equal(t, "volume", l.Grants[0].Source)
	assert.Equal(t, "premier", l.Grants[0].Level)
	require.NotNil(t, l.Grants[0].ExpiresTS)
	assert.Greater(t, *l.Grants[0].ExpiresTS, time.Now().Unix())

	// volume traded in a subaccount counts for the user
	require.NoError(t, srv.GrantUsageLevel(kalshitest.DefaultUserID, kalshi.Advanced))
	sub, err := c.CreateSubaccount(ctx, gen.CreateSubaccountRequest{})
	require.NoError(t, err)
	transfer(t, c, 0, sub.SubaccountNumber, 100_00)
	_, err = subOrder(t, other, nil, "ask", "0.01", "5", "good_till_canceled")
	require.NoError(t, err)
	_, err = subOrder(t, c, &sub.SubaccountNumber, "bid", "0.01", "5", "immediate_or_cancel")
	require.NoError(t, err)
	assert.Equal(t, premierGoal.Add(qty("5")), progress(c).Trailing30DVolumeFp)
}

// TestUsageLevelVolumeWindow moves the clock past the 30-day window: old
// fills stop counting.
func TestUsageLevelVolumeWindow(t *testing.T) {
	t.Parallel()
	clock := newTestClock(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithClock(clock.now),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: subMarket, Close: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}))
	ctx := context.Background()
	other := clientFor(t, srv, "other", "1000")
	_, err := subOrder(t, other, nil, "ask", "0.50", "4", "good_till_canceled")
	require.NoError(t, err)
	_, err = subOrder(t, c, nil, "bid", "0.50", "4", "immediate_or_cancel")
	require.NoError(t, err)
	clock.add(20 * 24 * time.Hour)
	_, err = subOrder(t, other, nil, "ask", "0.50", "3", "good_till_canceled")
	require.NoError(t, err)
	_, err = subOrder(t, c, nil, "bid", "0.50", "3", "immediate_or_cancel")
	require.NoError(t, err)
	vol := func() money.Count {
		p, err := c.GetAccountAPIUsageLevelVolumeProgress(ctx)
		require.NoError(t, err)
		return p.VolumeProgress[0].Trailing30DVolumeFp
	}
	assert.Equal(t, qty("7"), vol())
	clock.add(11 * 24 * time.Hour)
	assert.Equal(t, qty("3"), vol(), "the first fills are 31 days old")
}

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
