package money_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

// fixturesDir finds the recorded Kalshi responses that sit beside the
// repository (../shared/fixtures from the module root). ok is false when
// they are absent, as they are for anyone who only cloned the module.
func fixturesDir(t *testing.T) (dir string, ok bool) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for root := wd; ; {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			dir = filepath.Join(root, "..", "shared", "fixtures")
			info, err := os.Stat(dir)
			return dir, err == nil && info.IsDir()
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Fatalf("no go.mod above %s", wd)
		}
		root = parent
	}
}

type fixedKind int

const (
	notMoney fixedKind = iota
	dollarsKind
	countKind
)

// kindOfKey decides from a JSON key whether its string value is Dollars or
// a Count, following Kalshi's naming: *_dollars are amounts, *_fp are
// counts, plus a few older names without a suffix.
func kindOfKey(key string) fixedKind {
	switch key {
	case "fee_cost", "average_fee_paid", "average_fill_price", "price_dollars":
		return dollarsKind
	case "fill_count", "remaining_count", "reduced_by", "delta_fp":
		return countKind
	}
	switch {
	case strings.HasSuffix(key, "_dollars"):
		return dollarsKind
	case strings.HasSuffix(key, "_fp"):
		return countKind
	}
	return notMoney
}

// levelKeys hold order-book levels: arrays of [price, count] pairs.
var levelKeys = map[string]bool{"yes_dollars": true, "no_dollars": true, "yes_dollars_fp": true, "no_dollars_fp": true}

// fixedValue is one fixed-point value found in a fixture.
type fixedValue struct {
	where string // file and JSON path, for failure messages
	kind  fixedKind
	text  string // the string's contents, or a number's literal
	num   bool   // sent as a JSON number
}

// collectFixed walks a decoded JSON value and gathers every fixed-point
// value, by key.
func collectFixed(t *testing.T, where, key string, v any, out *[]fixedValue) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			collectFixed(t, where+"."+k, k, e, out)
		}
	case []any:
		if levelKeys[key] {
			for i, lvl := range v {
				pair, ok := lvl.([]any)
				if !ok || len(pair) != 2 {
					t.Errorf("%s[%d]: order-book level is %v, want [price, count]", where, i, lvl)
					continue
				}
				at := where + "[" + strconv.Itoa(i) + "]"
				collectFixed(t, at+"[0]", "price_dollars", pair[0], out)
				collectFixed(t, at+"[1]", "count_fp", pair[1], out)
			}
			return
		}
		for i, e := range v {
			collectFixed(t, where+"["+strconv.Itoa(i)+"]", key, e, out)
		}
	case string:
		if k := kindOfKey(key); k != notMoney {
			*out = append(*out, fixedValue{where: where, kind: k, text: v})
		}
	case json.Number:
		if k := kindOfKey(key); k != notMoney {
			*out = append(*out, fixedValue{where: where, kind: k, text: string(v), num: true})
		}
	}
}

// loadFixtureValues reads every *.json fixture and returns its fixed-point
// values, or skips the test when the fixtures are not beside the module.
func loadFixtureValues(t *testing.T) []fixedValue {
	t.Helper()
	dir, ok := fixturesDir(t)
	if !ok {
		t.Skipf("recorded Kalshi fixtures not found at %s (they live in ../shared/fixtures beside the repository, which a plain clone of the module does not have)", dir)
	}
	var values []fixedValue
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		files++
		rel, _ := filepath.Rel(dir, path)
		collectFixed(t, filepath.ToSlash(rel)+":$", "", v, &values)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d fixed-point values in %d fixture files", len(values), files)
	return values
}

// canonicalDollars reports whether s is already in the form Dollars.String
// produces: digits without a redundant leading zero, then 4 decimal places,
// or 6 when the last two are not both zero.
func canonicalDollars(s string) bool {
	whole, frac, ok := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if !ok || whole == "" || (len(whole) > 1 && whole[0] == '0') {
		return false
	}
	switch len(frac) {
	case 4:
	case 6:
		if frac[4:] == "00" {
			return false
		}
	default:
		return false
	}
	return !strings.HasPrefix(s, "-") || strings.Trim(whole+frac, "0") != ""
}

// canonicalCount reports whether s is in the form Count.String produces.
func canonicalCount(s string) bool {
	whole, frac, ok := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if !ok || whole == "" || (len(whole) > 1 && whole[0] == '0') || len(frac) != 2 {
		return false
	}
	return !strings.HasPrefix(s, "-") || strings.Trim(whole+frac, "0") != ""
}

// TestFixtureRoundTrips parses every fixed-point value Kalshi sent in the
// recorded responses and checks that nothing is lost on the way back out.
func TestFixtureRoundTrips(t *testing.T) {
	t.Parallel()
	values := loadFixtureValues(t)

	var dollars, counts, exact, shortened, empty int
	for _, fv := range values {
		if fv.text == "" {
			// The ticker sends price_dollars: "" for "no price".
			empty++
			checkEmptyFixture(t, fv)
			continue
		}
		quoted := []byte(strconv.Quote(fv.text))
		if fv.num {
			quoted = []byte(fv.text)
		}
		switch fv.kind {
		case dollarsKind:
			dollars++
			d, err := money.ParseDollars(fv.text)
			if err != nil {
				t.Errorf("%s: %v", fv.where, err)
				continue
			}
			out := d.String()
			if again, err := money.ParseDollars(out); err != nil || again != d {
				t.Errorf("%s: %q -> %q -> %v, %v; want %v", fv.where, fv.text, out, again, err, d)
			}
			var j money.Dollars
			if err := j.UnmarshalJSON(quoted); err != nil || j != d {
				t.Errorf("%s: UnmarshalJSON(%s) = %v, %v; want %v", fv.where, quoted, j, err, d)
			}
			switch {
			case canonicalDollars(fv.text):
				exact++
				if out != fv.text {
					t.Errorf("%s: canonical %q printed as %q", fv.where, fv.text, out)
				}
			case len(fv.text) > 7 && fv.text[len(fv.text)-7] == '.' && strings.HasSuffix(fv.text, "00"):
				// Six places ending in 00 ("0.017500"): same amount, 4 places.
				shortened++
				if want := fv.text[:len(fv.text)-2]; out != want {
					t.Errorf("%s: %q printed as %q, want %q", fv.where, fv.text, out, want)
				}
			}
		case countKind:
			counts++
			c, err := money.ParseCount(fv.text)
			if err != nil {
				t.Errorf("%s: %v", fv.where, err)
				continue
			}
			out := c.String()
			if again, err := money.ParseCount(out); err != nil || again != c {
				t.Errorf("%s: %q -> %q -> %v, %v; want %v", fv.where, fv.text, out, again, err, c)
			}
			var j money.Count
			if err := j.UnmarshalJSON(quoted); err != nil || j != c {
				t.Errorf("%s: UnmarshalJSON(%s) = %v, %v; want %v", fv.where, quoted, j, err, c)
			}
			if canonicalCount(fv.text) {
				exact++
				if out != fv.text {
					t.Errorf("%s: canonical %q printed as %q", fv.where, fv.text, out)
				}
			}
		}
	}
	t.Logf("%d Dollars, %d Counts, %d empty; %d printed back byte for byte, %d six-place values shortened to four",
		dollars, counts, empty, exact, shortened)

	// The fixtures hold several hundred of each; far fewer means the walk
	// or the key rules broke, not that the code is right.
	if dollars < 400 || counts < 280 || exact < 650 || shortened < 60 || empty < 1 {
		t.Errorf("too few values checked (dollars %d, counts %d, canonical %d, shortened %d, empty %d)",
			dollars, counts, exact, shortened, empty)
	}
}

// checkEmptyFixture checks the "" that Kalshi sends for a missing value:
// JSON decoding gives zero, while ParseDollars/ParseCount refuse it.
func checkEmptyFixture(t *testing.T, fv fixedValue) {
	t.Helper()
	d, c := money.MustDollars("1"), money.MustCount("1")
	var err error
	if fv.kind == dollarsKind {
		err = d.UnmarshalJSON([]byte(`""`))
		if _, perr := money.ParseDollars(""); perr == nil {
			t.Errorf("ParseDollars(\"\") succeeded")
		}
		if !d.IsZero() {
			t.Errorf("%s: \"\" decoded to %v, want zero", fv.where, d)
		}
	} else {
		err = c.UnmarshalJSON([]byte(`""`))
		if _, perr := money.ParseCount(""); perr == nil {
			t.Errorf("ParseCount(\"\") succeeded")
		}
		if !c.IsZero() {
			t.Errorf("%s: \"\" decoded to %v, want zero", fv.where, c)
		}
	}
	if err != nil {
		t.Errorf("%s: UnmarshalJSON(\"\"): %v", fv.where, err)
	}
}
