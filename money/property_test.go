package money_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

const propertyRounds = 20_000

// randUnits draws int64s that cover every size class: tick-sized prices,
// fees with six places, large balances and the extremes.
func randUnits(r *rand.Rand) int64 {
	var v int64
	switch r.IntN(5) {
	case 0:
		v = r.Int64N(1_000_001) // $0 to $1 in micro-dollars; 0 to 10000 contracts
	case 1:
		v = r.Int64N(100_000_000)
	case 2:
		v = r.Int64N(1 << 40)
	case 3:
		v = r.Int64() // anywhere up to MaxInt64
	default:
		v = []int64{0, 1, 99, 100, 9_999, 10_000, math.MaxInt64, math.MaxInt64 - 1}[r.IntN(8)]
	}
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}

func TestPropertyStringRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range propertyRounds {
		u := randUnits(r)
		d := money.DollarsFromMicros(u)
		if got, err := money.ParseDollars(d.String()); err != nil || got != d {
			t.Fatalf("ParseDollars(%q) = %v, %v; want %d micros", d.String(), got, err, u)
		}
		c := money.CountFromHundredths(u)
		if got, err := money.ParseCount(c.String()); err != nil || got != c {
			t.Fatalf("ParseCount(%q) = %v, %v; want %d hundredths", c.String(), got, err, u)
		}
	}
}

func TestPropertyJSONRoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	type pair struct {
		P money.Dollars `json:"p"`
		C money.Count   `json:"c"`
	}
	for range propertyRounds {
		in := pair{money.DollarsFromMicros(randUnits(r)), money.CountFromHundredths(randUnits(r))}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out pair
		if err := json.Unmarshal(b, &out); err != nil || out != in {
			t.Fatalf("%s decoded to %+v, %v; want %+v", b, out, err, in)
		}
		// The same text sent as JSON numbers decodes to the same values.
		num := []byte(`{"p":` + in.P.String() + `,"c":` + in.C.String() + `}`)
		out = pair{}
		if err := json.Unmarshal(num, &out); err != nil || out != in {
			t.Fatalf("%s decoded to %+v, %v; want %+v", num, out, err, in)
		}
	}
}

func TestPropertyArithmetic(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for range propertyRounds {
		// Halve so a+b cannot overflow.
		a, b := randUnits(r)/2, randUnits(r)/2
		da, db := money.DollarsFromMicros(a), money.DollarsFromMicros(b)
		if got := da.Add(db).Sub(db); got != da {
			t.Fatalf("%v + %v - %v = %v", da, db, db, got)
		}
		if got := da.Add(db); got != db.Add(da) || got.Micros() != a+b {
			t.Fatalf("%v + %v = %v, want %d micros", da, db, got, a+b)
		}
		if got := da.Sub(db); got != db.Neg().Add(da) {
			t.Fatalf("%v - %v = %v, want %v", da, db, got, db.Neg().Add(da))
		}
		ca, cb := money.CountFromHundredths(a), money.CountFromHundredths(b)
		if got := ca.Add(cb).Sub(cb); got != ca {
			t.Fatalf("%v + %v - %v = %v", ca, cb, cb, got)
		}
		if got := ca.Min(cb).Hundredths(); got != min(a, b) {
			t.Fatalf("min(%v, %v) = %d", ca, cb, got)
		}
		if got := ca.Abs().Hundredths(); got != max(a, -a) {
			t.Fatalf("|%v| = %d", ca, got)
		}

		wantCmp := 0
		switch {
		case a < b:
			wantCmp = -1
		case a > b:
			wantCmp = 1
		}
		if da.Cmp(db) != wantCmp || ca.Cmp(cb) != wantCmp || (da == db) != (wantCmp == 0) {
			t.Fatalf("Cmp(%d, %d): Dollars %d, Count %d, want %d", a, b, da.Cmp(db), ca.Cmp(cb), wantCmp)
		}
		if da.Sign() != da.Cmp(money.Zero) || ca.Sign() != ca.Cmp(money.Count{}) {
			t.Fatalf("Sign disagrees with Cmp for %d", a)
		}
		cents, exact := da.Cents()
		if cents != a/10_000 || exact != (a%10_000 == 0) {
			t.Fatalf("Cents(%d micros) = %d, %v", a, cents, exact)
		}
	}
}

// refMul is price × count in micro-dollars computed with big.Int, rounded
// half away from zero; ok is false when it does not fit in an int64.
func refMul(micros, hundredths int64) (int64, bool) {
	prod := new(big.Int).Mul(big.NewInt(micros), big.NewInt(hundredths))
	q, m := new(big.Int).QuoRem(prod, big.NewInt(100), new(big.Int)) // truncates toward zero
	if new(big.Int).Abs(m).Cmp(big.NewInt(50)) >= 0 {
		q.Add(q, big.NewInt(int64(prod.Sign())))
	}
	return q.Int64(), q.IsInt64()
}

func TestPropertyMul(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	var fits, overflows int
	for range propertyRounds {
		p, c := randUnits(r), randUnits(r)
		if r.IntN(4) == 0 {
			c = int64(r.IntN(201)) - 100 // -1.00 .. 1.00 contracts: mostly sub-micro results
		}
		want, ok := refMul(p, c)
		got, err := money.DollarsFromMicros(p).MulChecked(money.CountFromHundredths(c))
		if ok {
			fits++
			if err != nil || got.Micros() != want {
				t.Fatalf("%d µ$ × %d/100 = %v, %v; want %d", p, c, got, err, want)
			}
			// Cross-check the rounding rule against exact rationals.
			exact := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(p), big.NewInt(c)), big.NewInt(100))
			diff := new(big.Rat).Sub(exact, new(big.Rat).SetInt64(want))
			if diff.Abs(diff).Cmp(big.NewRat(1, 2)) > 0 {
				t.Fatalf("%d µ$ × %d/100 = %d is more than half a micro-dollar from %s", p, c, want, exact.FloatString(2))
			}
		} else {
			overflows++
			if !errors.Is(err, money.ErrRange) {
				t.Fatalf("%d µ$ × %d/100 overflows but MulChecked = %v, %v", p, c, got, err)
			}
		}
	}
	if fits < propertyRounds/4 || overflows < propertyRounds/20 {
		t.Errorf("poor coverage: %d products fit, %d overflowed", fits, overflows)
	}
}
