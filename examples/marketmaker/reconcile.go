package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// state is the account as the exchange reports it.
type state struct {
	balance  money.Dollars // available cash
	position money.Count   // in the market: + YES, − NO
}

// snapshot reads the balance and the position in ticker.
func snapshot(ctx context.Context, c *kalshi.Client, ticker string) (state, error) {
	var s state
	b, err := c.GetBalance(ctx, nil)
	if err != nil {
		return s, err
	}
	s.balance = b.BalanceDollars
	for p, err := range c.GetPositionsMarketPositionsIter(ctx, &gen.GetPositionsParams{Ticker: &ticker}) {
		if err != nil {
			return s, err
		}
		if p.Ticker == ticker {
			s.position = p.PositionFp
		}
	}
	return s, nil
}

// report is the end of a run: what the maker did and how the exchange's
// figures reconcile with its fills.
type report struct {
	Ticker                       string
	Creates, Amends, Cancels     int
	Refused                      int // orders the exchange refused (a post-only order that would have crossed, say)
	Fills                        int // the fills of the maker's orders, from GetFills
	StreamFills                  int // the fills the fill stream delivered
	Bought, Sold                 money.Count
	Start, End                   state
	FillPosition                 money.Count // the start position plus the fills
	StreamPosition               money.Count // the position the fill stream last reported
	MaxPosition                  money.Count // the largest |position| the stream reported
	Cost, Fees, Payback          money.Dollars
	ExpectedBalance              money.Dollars // Start.balance − Cost − Fees + Payback
	Resting                      int           // resting orders left in the market
	PositionAgrees, CashAgrees   bool
	StreamAgrees, NothingResting bool
}

// reconcile waits for the fill stream to deliver every fill the exchange
// lists, then checks that the fills explain the change of position and
// balance to the micro-dollar and that nothing rests in the market.
//
// Cash: a bid that fills at YES price p costs p a contract, an ask (selling
// YES, that is buying NO) costs 1 − p, fees are paid on top, and every YES
// contract held against a NO contract pays back $1 at once. How many pairs
// closed follows from the volume traded and the positions alone:
// (bought + sold − (|end| − |start|)) / 2.
func (mk *maker) reconcile(ctx context.Context, start state, fills <-chan *ws.Fill) (*report, error) {
	var listed []gen.Fill
	deadline := time.Now().Add(10 * time.Second)
	for {
		listed = listed[:0]
		for f, err := range mk.c.GetFillsIter(ctx, &gen.GetFillsParams{Ticker: &mk.ticker}) {
			if err != nil {
				return nil, err
			}
			if mk.placed[f.OrderID] {
				listed = append(listed, f)
			}
		}
		if mk.fills >= len(listed) || time.Now().After(deadline) {
			break
		}
		select { // the stream is behind: take what it has
		case f := <-fills:
			mk.onFill(f)
		case <-time.After(100 * time.Millisecond):
		}
	}
	end, err := snapshot(ctx, mk.c, mk.ticker)
	if err != nil {
		return nil, err
	}
	status := string(gen.OrderStatusResting)
	r := &report{Ticker: mk.ticker, Creates: mk.actions.creates, Amends: mk.actions.amends, Cancels: mk.actions.cancels,
		Refused: mk.actions.refused, Fills: len(listed), StreamFills: mk.fills, Start: start, End: end,
		StreamPosition: mk.pos, MaxPosition: mk.maxAbs}
	for _, err := range mk.c.GetOrdersIter(ctx, &gen.GetOrdersParams{Ticker: &mk.ticker, Status: &status}) {
		if err != nil {
			return nil, err
		}
		r.Resting++
	}
	for _, f := range listed {
		if f.BookSide == gen.BookSideAsk {
			r.Sold = r.Sold.Add(f.CountFp)
			r.Cost = r.Cost.Add(money.One.Sub(f.YesPriceDollars).Mul(f.CountFp))
		} else {
			r.Bought = r.Bought.Add(f.CountFp)
			r.Cost = r.Cost.Add(f.YesPriceDollars.Mul(f.CountFp))
		}
		r.Fees = r.Fees.Add(f.FeeCost)
	}
	r.FillPosition = start.position.Add(r.Bought).Sub(r.Sold)
	closed := r.Bought.Add(r.Sold).Sub(end.position.Abs().Sub(start.position.Abs()))
	r.Payback = money.One.Mul(money.CountFromHundredths(closed.Hundredths() / 2))
	r.ExpectedBalance = start.balance.Sub(r.Cost).Sub(r.Fees).Add(r.Payback)

	r.PositionAgrees = r.FillPosition == end.position
	r.CashAgrees = r.ExpectedBalance == end.balance
	r.StreamAgrees = r.StreamFills == r.Fills && (r.Fills == 0 || r.StreamPosition == end.position)
	r.NothingResting = r.Resting == 0
	var errs []error
	if !r.PositionAgrees {
		errs = append(errs, fmt.Errorf("the position does not reconcile: %s + fills = %s, the exchange says %s", start.position, r.FillPosition, end.position))
	}
	if !r.CashAgrees {
		errs = append(errs, fmt.Errorf("the balance does not reconcile: expected %s, the exchange says %s", r.ExpectedBalance, end.balance))
	}
	if !r.StreamAgrees {
		errs = append(errs, fmt.Errorf("the fill stream does not agree: %d fills ending at position %s, the exchange lists %d ending at %s",
			r.StreamFills, r.StreamPosition, r.Fills, end.position))
	}
	if !r.NothingResting {
		errs = append(errs, fmt.Errorf("%d orders still rest in %s", r.Resting, mk.ticker))
	}
	return r, errors.Join(errs...)
}

// print writes the report as a table.
func (r *report) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k string, v ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprint(v...)) }
	ok := func(b bool) string {
		if b {
			return "ok"
		}
		return "MISMATCH"
	}
	row("market", r.Ticker)
	row("orders", fmt.Sprintf("%d placed, %d amended, %d canceled, %d refused", r.Creates, r.Amends, r.Cancels, r.Refused))
	row("fills", fmt.Sprintf("%d (bought %s, sold %s); the stream delivered %d", r.Fills, r.Bought, r.Sold, r.StreamFills))
	row("position", fmt.Sprintf("%s + fills = %s; the exchange says %s; the stream said %s; largest %s  %s",
		r.Start.position, r.FillPosition, r.End.position, r.StreamPosition, r.MaxPosition, ok(r.PositionAgrees && r.StreamAgrees)))
	row("balance", fmt.Sprintf("%s − cost %s − fees %s + pairs closed %s = %s; the exchange says %s  %s",
		r.Start.balance, r.Cost, r.Fees, r.Payback, r.ExpectedBalance, r.End.balance, ok(r.CashAgrees)))
	row("resting", fmt.Sprintf("%d  %s", r.Resting, ok(r.NothingResting)))
	tw.Flush()
}
