package main

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

func runExchangeStatus(a *app, args []string) error {
	fset := a.flags()
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	st, err := c.GetExchangeStatus(a.ctx)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(st)
	}
	t := newTable(a.stdout)
	t.row("target", a.target())
	t.row("exchange active", st.ExchangeActive)
	t.row("trading active", st.TradingActive)
	if st.ExchangeEstimatedResumeTime != nil {
		t.row("estimated resume", st.ExchangeEstimatedResumeTime)
	}
	return t.flush()
}

// marketStatuses are the values GetMarkets takes for status.
var marketStatuses = []gen.GetMarketsParamsStatus{
	gen.GetMarketsParamsStatusUnopened, gen.GetMarketsParamsStatusOpen, gen.GetMarketsParamsStatusPaused,
	gen.GetMarketsParamsStatusClosed, gen.GetMarketsParamsStatusSettled,
}

func runMarketsList(a *app, args []string) error {
	fset := a.flags()
	status := fset.String("status", "", "only markets with this `STATUS`: unopened, open, paused, closed or settled")
	series := fset.String("series", "", "only markets of this series `TICKER`")
	event := fset.String("event", "", "only markets of this event `TICKER`")
	limit := fset.Int64("limit", 0, "markets per page, 1 to 1000 (default Kalshi's, 100)")
	cursor := fset.String("cursor", "", "start from this page `CURSOR` (printed after a page)")
	all := fset.Bool("all", false, "follow the cursor through every page")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	params := &gen.GetMarketsParams{}
	if *status != "" {
		s := gen.GetMarketsParamsStatus(*status)
		if !slices.Contains(marketStatuses, s) {
			return usageErrorf("--status %q: want unopened, open, paused, closed or settled", *status)
		}
		params.Status = &s
	}
	setString(&params.SeriesTicker, *series)
	setString(&params.EventTicker, *event)
	setString(&params.Cursor, *cursor)
	if err := pageLimit(&params.Limit, *limit); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	return listing[gen.Market, *gen.GetMarketsResponse]{
		noun: "markets", all: *all,
		iter:  func(o kalshi.PageOption) iter.Seq2[gen.Market, error] { return c.GetMarketsIter(a.ctx, params, o) },
		page:  func() (*gen.GetMarketsResponse, error) { return c.GetMarkets(a.ctx, params) },
		items: func(r *gen.GetMarketsResponse) ([]gen.Market, string) { return r.Markets, r.Cursor },
		whole: func(ms []gen.Market) any { return gen.GetMarketsResponse{Markets: ms} },
		table: func(ms []gen.Market) {
			t := newTable(a.stdout, "TICKER", "STATUS", "YES BID", "YES ASK", "LAST", "VOLUME", "CLOSES", "TITLE")
			for _, m := range ms {
				t.row(m.Ticker, string(m.Status), m.YesBidDollars, m.YesAskDollars, m.LastPriceDollars, m.VolumeFp, m.CloseTime, marketTitle(m))
			}
			t.flush()
		},
	}.show(a)
}

// marketTitle is the market's title, with its YES subtitle when that
// tells markets of one event apart.
func marketTitle(m gen.Market) string {
	title := m.Title
	if m.YesSubTitle != "" && !strings.Contains(title, m.YesSubTitle) {
		if title != "" {
			title += ": "
		}
		title += m.YesSubTitle
	}
	return title
}

func runMarketsGet(a *app, args []string) error {
	fset := a.flags()
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	resp, err := c.GetMarket(a.ctx, pos[0])
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	m := resp.Market
	t := newTable(a.stdout)
	t.row("ticker", m.Ticker)
	t.row("event", m.EventTicker)
	t.row("title", marketTitle(m))
	t.row("status", string(m.Status))
	t.row("yes bid", fmt.Sprintf("%s (%s)", m.YesBidDollars, m.YesBidSizeFp))
	t.row("yes ask", fmt.Sprintf("%s (%s)", m.YesAskDollars, m.YesAskSizeFp))
	t.row("no bid", m.NoBidDollars)
	t.row("no ask", m.NoAskDollars)
	t.row("last price", m.LastPriceDollars)
	t.row("volume", m.VolumeFp)
	t.row("volume 24h", m.Volume24HFp)
	t.row("open interest", m.OpenInterestFp)
	t.row("opens", m.OpenTime)
	t.row("closes", m.CloseTime)
	if m.Result != "" {
		t.row("result", string(m.Result))
	}
	if m.RulesPrimary != "" {
		t.row("rules", m.RulesPrimary)
	}
	return t.flush()
}

func runOrderbook(a *app, args []string) error {
	fset := a.flags()
	depth := fset.Int("depth", 0, "price levels per side, 1 to 100 (default all)")
	watch := fset.Bool("watch", false, "follow the book live over the WebSocket feed, redrawing it on every change")
	count := fset.Int("count", 0, "with --watch, stop after `N` redraws (default: until interrupted)")
	wsURL := fset.String("ws-url", "", "with --watch, the WebSocket `URL` (default: beside --base-url, else the environment's)")
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	if *watch {
		if *depth < 0 || *count < 0 {
			return usageErrorf("--depth and --count must not be negative")
		}
		return watchOrderbook(a, pos[0], *depth, *count, *wsURL)
	}
	params := &gen.GetMarketOrderbookParams{}
	if *depth < 0 || *depth > 100 {
		return usageErrorf("--depth %d: want 1 to 100", *depth)
	} else if *depth > 0 {
		params.Depth = depth
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	resp, err := c.GetMarketOrderbook(a.ctx, pos[0], params)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	fmt.Fprintln(a.stdout, pos[0])
	writeBook(a, resp.OrderbookFp)
	return nil
}

// writeBook prints an order book as a ladder: YES bids and NO bids side by
// side, best first, and the best YES bid and ask (a NO bid at p is a YES
// ask at 1 - p).
func writeBook(a *app, ob gen.OrderbookCountFp) {
	yes, no := bestFirst(ob.YesDollars), bestFirst(ob.NoDollars)
	t := newTable(a.stdout, "YES BID", "SIZE", " ", "NO BID", "SIZE")
	for i := range max(len(yes), len(no)) {
		var row [5]any
		if i < len(yes) {
			row[0], row[1] = yes[i].Price, yes[i].Count
		} else {
			row[0], row[1] = " ", " "
		}
		row[2] = " "
		if i < len(no) {
			row[3], row[4] = no[i].Price, no[i].Count
		} else {
			row[3], row[4] = " ", " "
		}
		t.row(row[:]...)
	}
	t.flush()
	one := money.MustDollars("1")
	bid, ask := "none", "none"
	if len(yes) > 0 {
		bid = fmt.Sprintf("%s x %s", yes[0].Price, yes[0].Count)
	}
	if len(no) > 0 {
		ask = fmt.Sprintf("%s x %s", one.Sub(no[0].Price), no[0].Count)
	}
	fmt.Fprintf(a.stdout, "best YES bid %s, best YES ask %s\n", bid, ask)
}

// bestFirst returns the levels by price, highest (best bid) first.
func bestFirst(levels []money.PriceLevel) []money.PriceLevel {
	out := slices.Clone(levels)
	slices.SortFunc(out, func(x, y money.PriceLevel) int { return cmp.Compare(y.Price.Micros(), x.Price.Micros()) })
	return out
}

// setString points *dst at v when v is not empty.
func setString[T ~string](dst **T, v string) {
	if v != "" {
		t := T(v)
		*dst = &t
	}
}

// nonNil returns s, or an empty slice for nil, so JSON shows [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
