package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/examples/internal/target"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

func openFake(t *testing.T) *target.Target {
	t.Helper()
	tg, err := target.Open(true)
	require.NoError(t, err)
	t.Cleanup(tg.Close)
	return tg
}

// TestMarketMakerAgainstTheFake quotes one market of the fake exchange for
// a few seconds while another account trades against it: fills happen,
// the position never passes the limit, the fills explain the position and
// the balance to the micro-dollar, and nothing is left resting.
func TestMarketMakerAgainstTheFake(t *testing.T) {
	tg := openFake(t)
	cfg := config{fake: true, duration: 3 * time.Second, size: money.CountFromInt(1), limit: money.CountFromInt(3), every: 20 * time.Millisecond}
	var log bytes.Buffer
	rep, err := run(context.Background(), tg, cfg, &log)
	require.NoError(t, err, "log:\n%s", log.String())
	require.NotNil(t, rep)
	var out bytes.Buffer
	rep.print(&out)
	t.Log("\n" + out.String())

	assert.Positive(t, rep.Fills, "the counterparty trades every 20 ms")
	assert.Positive(t, rep.Bought.Sign()+rep.Sold.Sign(), "fills on at least one side")
	assert.True(t, rep.PositionAgrees && rep.CashAgrees && rep.StreamAgrees && rep.NothingResting, "%+v", rep)
	assert.LessOrEqual(t, rep.MaxPosition.Cmp(cfg.limit), 0, "the position stays within the limit")
	assert.Equal(t, 0, rep.Refused, "post-only quotes from the book never cross; log:\n%s", log.String())

	// Independently of the report: nothing rests anywhere, and the balance
	// and position are those reconciled.
	ctx := context.Background()
	status := string(gen.OrderStatusResting)
	for o, err := range tg.Client.GetOrdersIter(ctx, &gen.GetOrdersParams{Status: &status}) {
		require.NoError(t, err)
		t.Errorf("order %s still rests in %s", o.OrderID, o.Ticker)
	}
	end, err := snapshot(ctx, tg.Client, rep.Ticker)
	require.NoError(t, err)
	assert.Equal(t, rep.ExpectedBalance, end.balance)
	assert.Equal(t, rep.FillPosition, end.position)
	assert.Contains(t, out.String(), "resting   0  ok")
}

// TestMarketMakerWithoutRoom: a limit of zero leaves no side to quote.
func TestMarketMakerWithoutRoom(t *testing.T) {
	tg := openFake(t)
	cfg := config{fake: true, duration: 500 * time.Millisecond, size: money.CountFromInt(1), every: 20 * time.Millisecond}
	rep, err := run(context.Background(), tg, cfg, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Zero(t, rep.Creates)
	assert.Zero(t, rep.Fills)
	assert.True(t, rep.CashAgrees)
}

func TestMarketMakerNeedsATickerAgainstKalshi(t *testing.T) {
	tg := openFake(t)
	tg.Fake.Close()
	tg.Fake = nil // as against Kalshi
	_, err := run(context.Background(), tg, config{size: money.CountFromInt(1)}, &bytes.Buffer{})
	assert.EqualError(t, err, "give the market to quote with -ticker")
}

// TestMarketMakerStopsWhenInterrupted: the context ending (how Ctrl-C and
// SIGTERM arrive) stops the quoting like -duration does, and everything is
// cancelled.
func TestMarketMakerStopsWhenInterrupted(t *testing.T) {
	tg := openFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(time.Second, cancel)
	cfg := config{fake: true, size: money.CountFromInt(2), limit: money.CountFromInt(4), every: 20 * time.Millisecond}
	rep, err := run(ctx, tg, cfg, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Positive(t, rep.Creates)
	assert.True(t, rep.NothingResting && rep.PositionAgrees && rep.CashAgrees, "%+v", rep)
}
