package main

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/money"
)

// jsonOut reports whether -o json was asked for.
func (a *app) jsonOut() bool { return a.output == "json" }

// printJSON prints v as indented JSON.
func (a *app) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("kalshi: encoding JSON: %w", err)
	}
	_, err = fmt.Fprintf(a.stdout, "%s\n", b)
	return err
}

// table writes aligned columns.
type table struct {
	tw *tabwriter.Writer
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(anySlice(header)...)
	}
	return t
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// row adds a row; each value is formatted with cell.
func (t *table) row(cols ...any) {
	for i, c := range cols {
		if i > 0 {
			io.WriteString(t.tw, "\t")
		}
		io.WriteString(t.tw, cell(c))
	}
	io.WriteString(t.tw, "\n")
}

func (t *table) flush() error { return t.tw.Flush() }

// cell formats one value for a table: money in Kalshi's canonical form,
// times in UTC, "-" for nothing.
func cell(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		s = "-"
	case string:
		s = x
	case money.Dollars:
		s = x.String()
	case *money.Dollars:
		if x == nil {
			return "-"
		}
		s = x.String()
	case money.Count:
		s = x.String()
	case time.Time:
		s = formatTime(x)
	case *time.Time:
		if x == nil {
			return "-"
		}
		s = formatTime(*x)
	case *string:
		if x == nil {
			return "-"
		}
		s = *x
	case *int:
		if x == nil {
			return "-"
		}
		s = fmt.Sprint(*x)
	case bool:
		s = "no"
		if x {
			s = "yes"
		}
	case fmt.Stringer:
		s = x.String()
	default:
		s = fmt.Sprint(x)
	}
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// progress returns an OnPage option that keeps one progress line on
// stderr, and a function that ends the line.
func (a *app) progress(noun string) (kalshi.PageOption, func()) {
	shown := false
	return kalshi.OnPage(func(p kalshi.PageInfo) {
			shown = true
			fmt.Fprintf(a.stderr, "\rpage %d, %d %s", p.Page, p.Total, noun)
		}), func() {
			if shown {
				fmt.Fprintln(a.stderr)
			}
		}
}

// moreHint tells, on stderr, how to get the next page of a list.
func (a *app) moreHint(cursor, noun string) {
	if cursor != "" {
		fmt.Fprintf(a.stderr, "more %s: --cursor %s, or --all for every page\n", noun, cursor)
	}
}

// listing is how one list command fetches and shows its items.
type listing[T, R any] struct {
	noun  string                                      // "markets", for progress and hints
	all   bool                                        // --all: every page
	iter  func(kalshi.PageOption) iter.Seq2[T, error] // every item, page after page
	page  func() (R, error)                           // one page
	items func(R) (list []T, cursor string)           // a page's items and next cursor
	whole func([]T) any                               // the JSON object for the items of every page
	table func([]T)                                   // prints the items as a table
}

// show fetches one page (or every page with --all, with progress on
// stderr) and prints it: the API's JSON with -o json, else a table, then
// how to get the next page.
func (l listing[T, R]) show(a *app) error {
	if l.all {
		var list []T
		opt, done := a.progress(l.noun)
		for it, err := range l.iter(opt) {
			if err != nil {
				done()
				return err
			}
			list = append(list, it)
		}
		done()
		if a.jsonOut() {
			return a.printJSON(l.whole(nonNil(list)))
		}
		l.table(list)
		return nil
	}
	r, err := l.page()
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(r)
	}
	list, cursor := l.items(r)
	l.table(list)
	a.moreHint(cursor, l.noun)
	return nil
}

// pageLimit checks --limit (1 to 1000; 0 leaves Kalshi's default) and
// sets it on the request parameters.
func pageLimit[N ~int | ~int32 | ~int64](dst **N, limit int64) error {
	if limit < 0 || limit > 1000 {
		return usageErrorf("--limit %d: want 1 to 1000", limit)
	}
	if limit > 0 {
		n := N(limit)
		*dst = &n
	}
	return nil
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
