package main

import (
	"iter"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

func runBalance(a *app, args []string) error {
	fset := a.flags()
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	b, err := c.GetBalance(a.ctx, &gen.GetBalanceParams{})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(b)
	}
	t := newTable(a.stdout)
	t.row("balance", balanceDollars(b))
	t.row("portfolio value", money.DollarsFromCents(b.PortfolioValue))
	return t.flush()
}

// balanceDollars is the balance in dollars: balance_dollars, or the cents
// field where an older answer carries only that.
func balanceDollars(b *gen.GetBalanceResponse) money.Dollars {
	if b.BalanceDollars.IsZero() && b.Balance != 0 {
		return money.DollarsFromCents(b.Balance)
	}
	return b.BalanceDollars
}

func runPositions(a *app, args []string) error {
	fset := a.flags()
	ticker := fset.String("ticker", "", "only this market `TICKER`")
	event := fset.String("event", "", "only markets of this event `TICKER`")
	limit := fset.Int("limit", 0, "positions per page, 1 to 1000 (default Kalshi's)")
	cursor := fset.String("cursor", "", "start from this page `CURSOR`")
	all := fset.Bool("all", false, "follow the cursor through every page")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	params := &gen.GetPositionsParams{}
	setString(&params.Ticker, *ticker)
	setString(&params.EventTicker, *event)
	setString(&params.Cursor, *cursor)
	if err := pageLimit(&params.Limit, int64(*limit)); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	return listing[gen.MarketPosition, *gen.GetPositionsResponse]{
		noun: "positions", all: *all,
		iter: func(o kalshi.PageOption) iter.Seq2[gen.MarketPosition, error] {
			return c.GetPositionsMarketPositionsIter(a.ctx, params, o)
		},
		page: func() (*gen.GetPositionsResponse, error) {
			return c.GetPositions(a.ctx, params)
		},
		items: func(r *gen.GetPositionsResponse) ([]gen.MarketPosition, string) {
			return r.MarketPositions, deref(r.Cursor)
		},
		whole: func(ps []gen.MarketPosition) any { return map[string]any{"market_positions": ps} },
		table: func(ps []gen.MarketPosition) { writePositions(a, ps) },
	}.show(a)
}

func writePositions(a *app, positions []gen.MarketPosition) {
	t := newTable(a.stdout, "TICKER", "POSITION", "EXPOSURE", "REALIZED P&L", "FEES", "TRADED")
	for _, p := range positions {
		t.row(p.Ticker, p.PositionFp, p.MarketExposureDollars, p.RealizedPNLDollars, p.FeesPaidDollars, p.TotalTradedDollars)
	}
	t.flush()
}

func runFills(a *app, args []string) error {
	fset := a.flags()
	ticker := fset.String("ticker", "", "only this market `TICKER`")
	order := fset.String("order", "", "only fills of this order `ID`")
	limit := fset.Int64("limit", 0, "fills per page, 1 to 1000 (default Kalshi's)")
	cursor := fset.String("cursor", "", "start from this page `CURSOR`")
	all := fset.Bool("all", false, "follow the cursor through every page")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	params := &gen.GetFillsParams{}
	setString(&params.Ticker, *ticker)
	setString(&params.OrderID, *order)
	setString(&params.Cursor, *cursor)
	if err := pageLimit(&params.Limit, *limit); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	return listing[gen.Fill, *gen.GetFillsResponse]{
		noun: "fills", all: *all,
		iter:  func(o kalshi.PageOption) iter.Seq2[gen.Fill, error] { return c.GetFillsIter(a.ctx, params, o) },
		page:  func() (*gen.GetFillsResponse, error) { return c.GetFills(a.ctx, params) },
		items: func(r *gen.GetFillsResponse) ([]gen.Fill, string) { return r.Fills, r.Cursor },
		whole: func(fs []gen.Fill) any { return gen.GetFillsResponse{Fills: fs} },
		table: func(fs []gen.Fill) { writeFills(a, fs) },
	}.show(a)
}

func writeFills(a *app, fills []gen.Fill) {
	t := newTable(a.stdout, "TIME", "TICKER", "SIDE", "COUNT", "YES PRICE", "FEE", "ROLE", "ORDER ID")
	for _, f := range fills {
		role := "maker"
		if f.IsTaker {
			role = "taker"
		}
		ticker := f.MarketTicker
		if ticker == "" {
			ticker = f.Ticker
		}
		t.row(f.CreatedTime, ticker, string(f.BookSide), f.CountFp, f.YesPriceDollars, f.FeeCost, role, f.OrderID)
	}
	t.flush()
}
