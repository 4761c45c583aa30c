package kalshi

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// PageOption adjusts how a paginated iterator walks its pages.
type PageOption func(*pageConfig)

type pageConfig struct {
	maxPages int
	onPage   func(PageInfo)
}

// PageInfo describes a page an iterator has just fetched.
type PageInfo struct {
	Page   int    // 1 for the first page
	Items  int    // items on this page
	Total  int    // items so far, this page included
	Cursor string // cursor of the next page; "" on the last
}

// MaxPages stops an iterator after n pages (n <= 0 means no limit).
func MaxPages(n int) PageOption {
	return func(c *pageConfig) { c.maxPages = n }
}

// OnPage calls f after each page is fetched, before its items are
// yielded: for progress reporting.
func OnPage(f func(PageInfo)) PageOption {
	return func(c *pageConfig) { c.onPage = f }
}

// ErrRepeatedCursor is yielded when the server hands back a cursor it has
// already given, which would otherwise loop forever.
var ErrRepeatedCursor = errors.New("kalshi: the server repeated a pagination cursor")

// pages is the one pagination loop behind every generated iterator. It
// copies the caller's params, follows cursors until the server returns an
// empty one, stops on a repeated cursor or when ctx ends, and honours the
// page options.
func pages[P any, R any](
	ctx context.Context,
	params *P,
	opts []PageOption,
	getCursor func(*P) string,
	setCursor func(*P, string),
	fetch func(context.Context, *P) (R, error),
	next func(R) (cursor string, items int),
) iter.Seq2[R, error] {
	var cfg pageConfig
	for _, o := range opts {
		o(&cfg)
	}
	return func(yield func(R, error) bool) {
		var p P
		if params != nil {
			p = *params
		}
		seen := map[string]bool{}
		if c := getCursor(&p); c != "" {
			seen[c] = true
		}
		total := 0
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				var zero R
				yield(zero, err)
				return
			}
			r, err := fetch(ctx, &p)
			if err != nil {
				yield(r, fmt.Errorf("page %d: %w", page, err))
				return
			}
			cursor, n := next(r)
			total += n
			if cfg.onPage != nil {
				cfg.onPage(PageInfo{Page: page, Items: n, Total: total, Cursor: cursor})
			}
			if !yield(r, nil) {
				return
			}
			if cursor == "" || (cfg.maxPages > 0 && page >= cfg.maxPages) {
				return
			}
			if seen[cursor] {
				var zero R
				yield(zero, fmt.Errorf("%w after page %d", ErrRepeatedCursor, page))
				return
			}
			seen[cursor] = true
			setCursor(&p, cursor)
		}
	}
}

// items flattens an iterator of pages into one of their items.
func items[R any, T any](pages iter.Seq2[R, error], list func(R) []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range list(page) {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}
