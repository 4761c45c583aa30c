package main

import (
	"flag"
	"fmt"
	"iter"
	"strings"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

func runOrdersList(a *app, args []string) error {
	fset := a.flags()
	ticker := fset.String("ticker", "", "only this market `TICKER`")
	event := fset.String("event", "", "only markets of these event `TICKERS` (comma-separated)")
	status := fset.String("status", "", "only orders with this `STATUS`: resting, canceled or executed")
	limit := fset.Int64("limit", 0, "orders per page, 1 to 1000 (default Kalshi's)")
	cursor := fset.String("cursor", "", "start from this page `CURSOR`")
	all := fset.Bool("all", false, "follow the cursor through every page")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	params := &gen.GetOrdersParams{}
	switch gen.OrderStatus(*status) {
	case "", gen.OrderStatusResting, gen.OrderStatusCanceled, gen.OrderStatusExecuted:
	default:
		return usageErrorf("--status %q: want resting, canceled or executed", *status)
	}
	setString(&params.Status, *status)
	setString(&params.Ticker, *ticker)
	setString(&params.EventTicker, *event)
	setString(&params.Cursor, *cursor)
	if err := pageLimit(&params.Limit, *limit); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	return listing[gen.Order, *gen.GetOrdersResponse]{
		noun: "orders", all: *all,
		iter:  func(o kalshi.PageOption) iter.Seq2[gen.Order, error] { return c.GetOrdersIter(a.ctx, params, o) },
		page:  func() (*gen.GetOrdersResponse, error) { return c.GetOrders(a.ctx, params) },
		items: func(r *gen.GetOrdersResponse) ([]gen.Order, string) { return r.Orders, r.Cursor },
		whole: func(os []gen.Order) any { return gen.GetOrdersResponse{Orders: os} },
		table: func(os []gen.Order) { writeOrders(a, os) },
	}.show(a)
}

func writeOrders(a *app, orders []gen.Order) {
	t := newTable(a.stdout, "ORDER ID", "TICKER", "SIDE", "YES PRICE", "FILLED", "REMAINING", "STATUS", "CREATED")
	for _, o := range orders {
		t.row(o.OrderID, o.Ticker, string(o.BookSide), o.YesPriceDollars, o.FillCountFp, o.RemainingCountFp, string(o.Status), o.CreatedTime)
	}
	t.flush()
}

func runOrdersGet(a *app, args []string) error {
	fset := a.flags()
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	resp, err := c.GetOrder(a.ctx, pos[0])
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	o := resp.Order
	t := newTable(a.stdout)
	t.row("order id", o.OrderID)
	t.row("client order id", o.ClientOrderID)
	t.row("ticker", o.Ticker)
	t.row("side", string(o.BookSide))
	t.row("yes price", o.YesPriceDollars)
	t.row("status", string(o.Status))
	t.row("initial", o.InitialCountFp)
	t.row("filled", o.FillCountFp)
	t.row("remaining", o.RemainingCountFp)
	t.row("taker fees", o.TakerFeesDollars)
	t.row("maker fees", o.MakerFeesDollars)
	t.row("created", o.CreatedTime)
	if o.ExpirationTime != nil {
		t.row("expires", o.ExpirationTime)
	}
	return t.flush()
}

// timeInForce reads --tif: the short forms gtc, ioc and fok, or Kalshi's
// names.
func timeInForce(s string) (gen.CreateOrderV2RequestTimeInForce, bool) {
	switch strings.ToLower(s) {
	case "gtc", string(gen.CreateOrderV2RequestTimeInForceGoodTillCanceled):
		return gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, true
	case "ioc", string(gen.CreateOrderV2RequestTimeInForceImmediateOrCancel):
		return gen.CreateOrderV2RequestTimeInForceImmediateOrCancel, true
	case "fok", string(gen.CreateOrderV2RequestTimeInForceFillOrKill):
		return gen.CreateOrderV2RequestTimeInForceFillOrKill, true
	}
	return "", false
}

// orderRequest checks the flags of orders create and builds the request.
func orderRequest(ticker, side, price, count, tif, stp, clientID string, postOnly bool) (gen.CreateOrderV2Request, error) {
	var req gen.CreateOrderV2Request
	if ticker == "" || side == "" || price == "" || count == "" {
		return req, usageErrorf("--ticker, --side, --price and --count are required")
	}
	switch gen.BookSide(strings.ToLower(side)) {
	case gen.BookSideBid:
		req.Side = gen.BookSideBid
	case gen.BookSideAsk:
		req.Side = gen.BookSideAsk
	default:
		return req, usageErrorf("--side %q: want bid (buy YES) or ask (sell YES)", side)
	}
	p, err := money.ParseDollars(price)
	if err != nil {
		return req, usageErrorf("--price: %v", err)
	}
	if p.Sign() <= 0 || p.Cmp(money.MustDollars("1")) >= 0 {
		return req, usageErrorf("--price %s: a YES price in dollars between 0 and 1, such as 0.56", price)
	}
	n, err := money.ParseCount(count)
	if err != nil {
		return req, usageErrorf("--count: %v", err)
	}
	if n.Sign() <= 0 {
		return req, usageErrorf("--count %s: want a positive number of contracts", count)
	}
	t, ok := timeInForce(tif)
	if !ok {
		return req, usageErrorf("--tif %q: want gtc, ioc or fok", tif)
	}
	switch s := gen.SelfTradePreventionType(stp); s {
	case gen.SelfTradePreventionTypeTakerAtCross, gen.SelfTradePreventionTypeMaker:
		req.SelfTradePreventionType = s
	default:
		return req, usageErrorf("--stp %q: want taker_at_cross or maker", stp)
	}
	req.Ticker, req.Price, req.Count, req.TimeInForce, req.ClientOrderID = ticker, p, n, t, clientID
	if postOnly {
		req.PostOnly = &postOnly
	}
	return req, nil
}

func runOrdersCreate(a *app, args []string) error {
	fset := a.flags()
	ticker := fset.String("ticker", "", "market `TICKER` (required)")
	side := fset.String("side", "", "bid (buy YES) or ask (sell YES) (required)")
	price := fset.String("price", "", "limit `PRICE` for YES in dollars, such as 0.56 (required)")
	count := fset.String("count", "", "number of contracts, such as 10 (required)")
	tif := fset.String("tif", "gtc", "time in force: gtc (rest until canceled), ioc (fill what crosses, cancel the rest) or fok (all at once or nothing)")
	stp := fset.String("stp", string(gen.SelfTradePreventionTypeTakerAtCross), "self-trade prevention: taker_at_cross or maker")
	clientID := fset.String("client-order-id", "", "your own `ID` for the order (default a fresh one, so retries never place it twice)")
	postOnly := fset.Bool("post-only", false, "refuse the order instead of letting it take liquidity")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	req, err := orderRequest(*ticker, *side, *price, *count, *tif, *stp, *clientID, *postOnly)
	if err != nil {
		return err
	}
	if err := a.confirm(fmt.Sprintf("place an order: %s %s %s @ %s", req.Side, req.Count, req.Ticker, req.Price)); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	resp, err := c.CreateOrderV2(a.ctx, req)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	t := newTable(a.stdout)
	t.row("order id", resp.OrderID)
	t.row("client order id", resp.ClientOrderID)
	t.row("filled", resp.FillCount)
	t.row("remaining", resp.RemainingCount)
	if resp.AverageFillPrice != nil {
		t.row("average fill price", resp.AverageFillPrice)
	}
	if resp.AverageFeePaid != nil {
		t.row("average fee", resp.AverageFeePaid)
	}
	return t.flush()
}

func runOrdersCancel(a *app, args []string) error {
	fset := a.flags()
	ticker := fset.String("ticker", "", "the order's market `TICKER` (optional; helps Kalshi route the cancel)")
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	id := pos[0]
	if err := a.confirm("cancel order " + id); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	params := &gen.CancelOrderV2Params{}
	setString(&params.MarketTicker, *ticker)
	resp, err := c.CancelOrderV2(a.ctx, id, params)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	fmt.Fprintf(a.stdout, "canceled order %s: %s contracts no longer resting\n", resp.OrderID, resp.ReducedBy)
	return nil
}

func runOrdersAmend(a *app, args []string) error {
	fset := a.flags()
	price := fset.String("price", "", "new limit `PRICE` for YES in dollars (default the order's)")
	count := fset.String("count", "", "new total `COUNT`, including what already filled (default the order's)")
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	if *price == "" && *count == "" {
		return usageErrorf("give --price, --count or both")
	}
	id := pos[0]
	c, err := a.client()
	if err != nil {
		return err
	}
	got, err := c.GetOrder(a.ctx, id)
	if err != nil {
		return err
	}
	o := got.Order
	req := gen.AmendOrderV2Request{Ticker: o.Ticker, Side: o.BookSide, Price: o.YesPriceDollars, Count: o.FillCountFp.Add(o.RemainingCountFp)}
	if *price != "" {
		p, err := money.ParseDollars(*price)
		if err != nil {
			return usageErrorf("--price: %v", err)
		}
		if p.Sign() <= 0 || p.Cmp(money.One) >= 0 {
			return usageErrorf("--price %s: a YES price in dollars between 0 and 1, such as 0.56", *price)
		}
		req.Price = p
	}
	if *count != "" {
		n, err := money.ParseCount(*count)
		if err != nil {
			return usageErrorf("--count: %v", err)
		}
		if n.Cmp(o.FillCountFp) <= 0 {
			return usageErrorf("--count %s: the total must be above the %s contracts already filled", *count, o.FillCountFp)
		}
		req.Count = n
	}
	if err := a.confirm(fmt.Sprintf("amend order %s to %s %s @ %s", id, req.Side, req.Count, req.Price)); err != nil {
		return err
	}
	resp, err := c.AmendOrderV2(a.ctx, id, nil, req)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	t := newTable(a.stdout)
	t.row("order id", resp.OrderID)
	t.row("price", req.Price)
	t.row("total count", req.Count)
	if resp.FillCount != nil {
		t.row("filled", *resp.FillCount)
	}
	if resp.RemainingCount != nil {
		t.row("remaining", *resp.RemainingCount)
	}
	return t.flush()
}

func runOrdersCancelAll(a *app, args []string) error {
	fset := a.flags()
	ticker := fset.String("ticker", "", "only the resting orders of this market `TICKER` (default every market)")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	if flagSet(fset, "ticker") {
		return cancelAllInMarket(a, *ticker)
	}
	if err := a.confirm("cancel every resting order of the account"); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	if _, err := c.CancelAllOrders(a.ctx, nil); err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(map[string]any{"canceled": "all"})
	}
	fmt.Fprintln(a.stdout, "canceled every resting order")
	return nil
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fset *flag.FlagSet, name string) bool {
	set := false
	fset.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// cancelAllInMarket is orders cancel-all --ticker: every resting order of
// one market, through kalshi.Client.CancelOrdersInMarket. What was canceled
// is printed even when some cancels were refused; the command then fails.
func cancelAllInMarket(a *app, ticker string) error {
	if strings.TrimSpace(ticker) == "" {
		return usageErrorf("--ticker is empty: give a market ticker, or leave --ticker out to cancel in every market")
	}
	if err := a.confirm("cancel every resting order in " + ticker); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	res, err := c.CancelOrdersInMarket(a.ctx, ticker)
	if res == nil {
		return err
	}
	if a.jsonOut() {
		if perr := a.printJSON(res); perr != nil {
			return perr
		}
		return err
	}
	fmt.Fprintf(a.stdout, "canceled %d of %d resting orders in %s\n", len(res.Canceled), res.Resting, ticker)
	if len(res.NotResting) > 0 {
		fmt.Fprintf(a.stdout, "%d no longer resting when their cancel arrived (filled or canceled meanwhile)\n", len(res.NotResting))
	}
	if len(res.Failed) > 0 {
		t := newTable(a.stdout, "ORDER ID", "CODE", "MESSAGE")
		for _, f := range res.Failed {
			t.row(f.OrderID, f.Code, f.Message)
		}
		if ferr := t.flush(); ferr != nil {
			return ferr
		}
	}
	return err
}
