package main

import (
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
	b, raw, err := call(c.GetBalanceWithResponse(a.ctx, &gen.GetBalanceParams{}))
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printRaw(raw)
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
	if *limit < 0 || *limit > 1000 {
		return usageErrorf("--limit %d: want 1 to 1000", *limit)
	} else if *limit > 0 {
		l := gen.PositionsLimitQuery(*limit)
		params.Limit = &l
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var positions []gen.MarketPosition
	if *all {
		opt, done := a.progress("positions")
		for p, err := range c.GetPositionsMarketPositionsIter(a.ctx, params, opt) {
			if err != nil {
				done()
				return err
			}
			positions = append(positions, p)
		}
		done()
		if a.jsonOut() {
			return a.printJSON(map[string]any{"market_positions": nonNil(positions)})
		}
	} else {
		resp, raw, err := call(c.GetPositionsWithResponse(a.ctx, params))
		if err != nil {
			return err
		}
		if a.jsonOut() {
			return a.printRaw(raw)
		}
		positions = resp.MarketPositions
		if resp.Cursor != nil {
			defer a.moreHint(*resp.Cursor, "positions")
		}
	}
	writePositions(a, positions)
	return nil
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
	if *limit < 0 || *limit > 1000 {
		return usageErrorf("--limit %d: want 1 to 1000", *limit)
	} else if *limit > 0 {
		params.Limit = limit
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	var fills []gen.Fill
	if *all {
		opt, done := a.progress("fills")
		for f, err := range c.GetFillsIter(a.ctx, params, opt) {
			if err != nil {
				done()
				return err
			}
			fills = append(fills, f)
		}
		done()
		if a.jsonOut() {
			return a.printJSON(gen.GetFillsResponse{Fills: nonNil(fills)})
		}
	} else {
		resp, raw, err := call(c.GetFillsWithResponse(a.ctx, params))
		if err != nil {
			return err
		}
		if a.jsonOut() {
			return a.printRaw(raw)
		}
		fills = resp.Fills
		defer a.moreHint(resp.Cursor, "fills")
	}
	writeFills(a, fills)
	return nil
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
