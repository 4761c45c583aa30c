// Command benchtable measures the library's speed in one run and prints
// the table the README shows:
//
//	go run ./internal/benchtable
//
// It measures, on this machine, one after another:
//
//   - typed decoding of a 1,000-market GetMarkets page through the
//     client (MB/s, bytes and allocations per page), beside encoding/json
//     and beside Node's JSON.parse of the same bytes when node is installed;
//   - the cost of one call through the client's stack over an in-memory
//     transport;
//   - signed GetBalance throughput at concurrency 8 against kalshitest,
//     RSA and Ed25519, beside Kalshi's official TypeScript SDK (RSA) when
//     ../shared/tools/peer-ts and node are present;
//   - kalshitest's own cost per GetBalance and per CreateOrderV2;
//   - new connections opened at concurrency 64 after warm-up;
//   - WebSocket order book deltas decoded and applied per second on one
//     core.
//
// Ratios are measured side by side in the same run; the machine may be
// shared and noisy, so compare ratios, not absolute figures, across runs.
// The decoding and the WebSocket figures are the best of three runs.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

func main() {
	seconds := flag.Duration("duration", 3*time.Second, "how long each throughput run lasts")
	flag.Parse()
	t := &table{}
	fmt.Fprintf(os.Stderr, "benchtable: %s %s/%s, %d CPUs; this takes about a minute\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	deltas(t)
	decode(t)
	overhead(t)
	throughput(t, *seconds)
	fakeCost(t)
	connections(t)
	fmt.Printf("Measured %s on %s/%s, %d CPUs, %s (`go run ./internal/benchtable`).\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	t.print(os.Stdout)
}

// table is the rows measured so far.
type table struct{ rows [][4]string }

func (t *table) add(what, value, reference, ratio string) {
	fmt.Fprintf(os.Stderr, "  %s: %s %s %s\n", what, value, reference, ratio)
	t.rows = append(t.rows, [4]string{what, value, reference, ratio})
}

func (t *table) print(w io.Writer) {
	fmt.Fprintln(w, "| measure | this library | reference | ratio |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range t.rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r[0], r[1], r[2], r[3])
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchtable:", err)
	os.Exit(1)
}

// staticTransport answers every request with the same 200 body, in memory.
type staticTransport struct{ body []byte }

func (s staticTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": []string{"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(s.body)),
		ContentLength: int64(len(s.body)),
		Request:       req,
	}, nil
}

// marketsPage is a 1,000-market GetMarkets page: Kalshi's recorded demo
// page repeated with distinct tickers when it is beside the repository,
// else markets of a recorded shape.
func marketsPage() (body []byte, source string) {
	var markets []map[string]any
	if dir, ok := spectest.SharedDir(); ok {
		rec, err := os.ReadFile(filepath.Join(dir, "fixtures", "markets", "fortuna_limit5_page1_demo.json"))
		if err == nil {
			var page struct {
				Markets []map[string]any `json:"markets"`
			}
			if json.Unmarshal(rec, &page) == nil && len(page.Markets) > 0 {
				markets, source = page.Markets, "recorded demo page"
			}
		}
	}
	if markets == nil {
		source = "synthetic page"
		markets = []map[string]any{{
			"ticker": "KXBENCH-26JUN11-T1", "event_ticker": "KXBENCH-26JUN11", "market_type": "binary", "status": "active",
			"title": "Benchmark market", "yes_sub_title": "Yes", "no_sub_title": "No", "open_time": "2026-06-11T05:39:29Z",
			"close_time": "2026-06-25T16:00:00Z", "created_time": "2026-06-11T05:12:22.338653Z", "yes_bid_dollars": "0.4700",
			"yes_ask_dollars": "0.5300", "last_price_dollars": "0.5000", "volume_fp": "120.00", "open_interest_fp": "40.00",
			"rules_primary": "Resolves Yes if it happens.", "price_ranges": []any{map[string]any{"start": "0.0000", "end": "1.0000", "step": "0.0100"}},
		}}
	}
	out := make([]map[string]any, 1000)
	for i := range out {
		m := maps.Clone(markets[i%len(markets)])
		m["ticker"] = fmt.Sprintf("%s-%04d", m["ticker"], i)
		out[i] = m
	}
	body, err := json.Marshal(map[string]any{"cursor": "next", "markets": out})
	if err != nil {
		fail(err)
	}
	return body, source
}

func decode(t *table) {
	body, source := marketsPage()
	mb := float64(len(body)) / 1e6
	c, err := kalshi.New(kalshi.WithBaseURL("https://bench.test/trade-api/v2"), kalshi.WithHTTPClient(&http.Client{Transport: staticTransport{body}}))
	if err != nil {
		fail(err)
	}
	// Best of three, the client and Node taking turns, so that a burst of
	// load from elsewhere on a shared machine does not decide the ratio.
	var client testing.BenchmarkResult
	var clientMBs, node float64
	var nodeErr error
	for range 3 {
		r := testing.Benchmark(func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetMarkets(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		if mbPerSecond(r) > clientMBs {
			client, clientMBs = r, mbPerSecond(r)
		}
		if nodeErr == nil {
			var n float64
			if n, nodeErr = nodeParse(body); nodeErr == nil {
				node = max(node, n)
			}
		}
	}
	std := testing.Benchmark(func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v gen.GetMarketsResponse
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	what := fmt.Sprintf("GetMarkets, 1,000 markets (%.2f MB, %s), typed, through the client", mb, source)
	value := fmt.Sprintf("%.0f MB/s; %.2f MB and %d allocations a page (%.2fx the body)",
		clientMBs, float64(client.AllocedBytesPerOp())/1e6, client.AllocsPerOp(), float64(client.AllocedBytesPerOp())/float64(len(body)))
	if nodeErr != nil {
		t.add(what, value, "Node JSON.parse: "+nodeErr.Error(), "")
	} else {
		t.add(what, value, fmt.Sprintf("Node `JSON.parse` of the same bytes, untyped: %.0f MB/s", node), fmt.Sprintf("%.2fx", clientMBs/node))
	}
	t.add("the same page with encoding/json, typed", fmt.Sprintf("%.0f MB/s", mbPerSecond(std)), "", fmt.Sprintf("the client is %.1fx faster", clientMBs/mbPerSecond(std)))
}

func mbPerSecond(r testing.BenchmarkResult) float64 {
	return float64(r.Bytes) * float64(r.N) / r.T.Seconds() / 1e6
}

// nodeParse measures Node's JSON.parse of body, already a string in memory,
// for 2 seconds.
func nodeParse(body []byte) (float64, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return 0, fmt.Errorf("node is not installed")
	}
	f, err := os.CreateTemp("", "benchtable-*.json")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		return 0, err
	}
	f.Close()
	const script = `const s=require('fs').readFileSync(process.argv[1],'utf8');for(let i=0;i<20;i++)JSON.parse(s);
let n=0;const t0=process.hrtime.bigint();while(Number(process.hrtime.bigint()-t0)<2e9){JSON.parse(s);n++}
console.log(n*Buffer.byteLength(s)/(Number(process.hrtime.bigint()-t0)/1e9)/1e6)`
	out, err := exec.Command("node", "-e", script, f.Name()).Output()
	if err != nil {
		return 0, fmt.Errorf("node: %v", err)
	}
	var mbs float64
	_, err = fmt.Sscan(strings.TrimSpace(string(out)), &mbs)
	return mbs, err
}

func overhead(t *table) {
	c, err := kalshi.New(kalshi.WithBaseURL("https://bench.test/trade-api/v2"),
		kalshi.WithHTTPClient(&http.Client{Transport: staticTransport{[]byte(`{"exchange_active":true,"trading_active":true}`)}}))
	if err != nil {
		fail(err)
	}
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.GetExchangeStatus(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	t.add("one call through the client's stack, in memory, unsigned (GetExchangeStatus)",
		fmt.Sprintf("%.1f µs, %d B, %d allocations", float64(r.NsPerOp())/1e3, r.AllocedBytesPerOp(), r.AllocsPerOp()), "budget: 15 µs", "")
}

// throughput measures signed GetBalance calls at concurrency 8 against
// kalshitest, for each key type, and the TypeScript SDK (RSA).
func throughput(t *table, d time.Duration) {
	srv, err := kalshitest.Start(kalshitest.WithMarkets(5))
	if err != nil {
		fail(err)
	}
	defer srv.Close()
	rates := map[signing.Algorithm]float64{}
	var rsaPEM []byte
	for _, alg := range []signing.Algorithm{signing.RSA, signing.Ed25519} {
		key, priv, _, err := signing.GenerateKey(alg)
		if err != nil {
			fail(err)
		}
		if alg == signing.RSA {
			rsaPEM = priv
		}
		id := "bench-" + alg.String()
		srv.AddAPIKey(id, key.Public())
		s, err := signing.New(id, key)
		if err != nil {
			fail(err)
		}
		c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s))
		if err != nil {
			fail(err)
		}
		rates[alg] = callsPerSecond(c, 8, d)
	}
	peer, peerErr := peerRate(srv, rsaPEM)
	for _, alg := range []signing.Algorithm{signing.RSA, signing.Ed25519} {
		what := fmt.Sprintf("signed GetBalance against kalshitest, concurrency 8, %s key", alg)
		value := fmt.Sprintf("%.0f req/s", rates[alg])
		if peerErr != nil {
			t.add(what, value, "TypeScript SDK: "+peerErr.Error(), "")
			continue
		}
		t.add(what, value, fmt.Sprintf("Kalshi's TypeScript SDK (RSA; it cannot sign with Ed25519): %.0f req/s", peer), fmt.Sprintf("%.1fx", rates[alg]/peer))
	}
}

// callsPerSecond runs GetBalance from conc goroutines for d.
func callsPerSecond(c *kalshi.Client, conc int, d time.Duration) float64 {
	for range 50 { // warm-up
		if _, err := c.GetBalance(context.Background(), nil); err != nil {
			fail(err)
		}
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if _, err := c.GetBalance(context.Background(), nil); err != nil {
					fail(err)
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

// peerRate runs Kalshi's TypeScript SDK's GetBalance benchmark against srv.
func peerRate(srv *kalshitest.Server, rsaPEM []byte) (float64, error) {
	dir, ok := spectest.SharedDir()
	script := filepath.Join(dir, "tools", "peer-ts", "run.sh")
	if _, err := os.Stat(script); !ok || err != nil {
		return 0, fmt.Errorf("not measured (../shared/tools/peer-ts is absent)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		return 0, fmt.Errorf("not measured (node is not installed)")
	}
	key, err := signing.ParsePrivateKey(rsaPEM)
	if err != nil {
		return 0, err
	}
	srv.AddAPIKey("bench-peer", key.Public())
	pem := filepath.Join(os.TempDir(), fmt.Sprintf("benchtable-peer-%d.pem", os.Getpid()))
	if err := os.WriteFile(pem, rsaPEM, 0o600); err != nil {
		return 0, err
	}
	defer os.Remove(pem)
	out, err := exec.Command("bash", script, "bench", srv.URL(), "bench-peer", pem, "3000", "8", "GetBalance").Output()
	if err != nil {
		return 0, fmt.Errorf("the SDK's run failed: %v", err)
	}
	var r struct {
		RPS    float64 `json:"rps"`
		Errors int     `json:"errors"`
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil || r.Errors > 0 {
		return 0, fmt.Errorf("the SDK's run: %s", out)
	}
	return r.RPS, nil
}

// fakeCost measures kalshitest's own cost per request, in process: every
// request freshly signed (outside the measured time), so no remembered
// signature spares a check.
func fakeCost(t *table) {
	const ticker = "KXFAKE-26JAN01-T1"
	srv, err := kalshitest.Start(kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: ticker, Asks: []money.PriceLevel{{Price: money.MustDollars("0.60"), Count: money.CountFromInt(10)}},
	}))
	if err != nil {
		fail(err)
	}
	defer srv.Close()
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		fail(err)
	}
	srv.AddAccount("bench-fake", key.Public(), money.DollarsFromCents(100_000_000))
	var tick atomic.Int64
	base := time.Now()
	s, err := signing.New("bench-fake", key, signing.WithClock(func() time.Time {
		return base.Add(time.Duration(tick.Add(1)) * time.Millisecond) // a new text each call
	}))
	if err != nil {
		fail(err)
	}
	h := srv.Handler()
	order := []byte(`{"ticker":"` + ticker + `","side":"bid","price":"0.10","count":"1","time_in_force":"immediate_or_cancel","self_trade_prevention_type":"taker_at_cross"}`)
	// Requests signed beforehand, each at another millisecond, more than
	// kalshitest remembers: every one is checked.
	presigned := func(method, path string) []*http.Request {
		reqs := make([]*http.Request, 3*4096)
		for i := range reqs {
			reqs[i] = httptest.NewRequest(method, kalshitest.BasePath+path, nil)
			reqs[i].Header.Set("Content-Type", "application/json")
			if err := s.EditRequest(context.Background(), reqs[i]); err != nil {
				fail(err)
			}
		}
		return reqs
	}
	cost := func(method, path string, body []byte, want int) testing.BenchmarkResult {
		reqs := presigned(method, path)
		return testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				req := reqs[i%len(reqs)]
				i++
				req.Body = io.NopCloser(bytes.NewReader(body))
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != want {
					b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
				}
			}
		})
	}
	verify := testing.Benchmark(func(b *testing.B) {
		req := httptest.NewRequest(http.MethodGet, kalshitest.BasePath+"/portfolio/balance", nil)
		if err := s.EditRequest(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := signing.Verify(key.Public(), req, time.Now(), time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct {
		op, method, path string
		body             []byte
		want             int
	}{
		{"GetBalance", http.MethodGet, "/portfolio/balance", nil, http.StatusOK},
		{"CreateOrderV2 (an IOC that does not fill)", http.MethodPost, "/portfolio/events/orders", order, http.StatusCreated},
	} {
		r := cost(c.method, c.path, c.body, c.want)
		t.add("kalshitest's own cost per "+c.op+", Ed25519-signed, in process",
			fmt.Sprintf("%.0f µs, %d allocations", float64(r.NsPerOp())/1e3, r.AllocsPerOp()),
			fmt.Sprintf("of which the signature check: %.0f µs", float64(verify.NsPerOp())/1e3), "")
	}
}

// connections counts the connections a client opens at concurrency 64
// after warm-up.
func connections(t *table) {
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"exchange_active":true,"trading_active":true}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL + "/trade-api/v2"))
	if err != nil {
		fail(err)
	}
	run := func(n int) {
		var next atomic.Int32
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int32(n) {
					if _, err := c.GetExchangeStatus(context.Background()); err != nil {
						fail(err)
					}
				}
			}()
		}
		wg.Wait()
	}
	run(256)
	warm := opened.Load()
	run(10000)
	t.add("new connections for 10,000 calls at concurrency 64, after warm-up",
		fmt.Sprint(opened.Load()-warm), fmt.Sprintf("net/http's default keeps 2 idle per host; the client keeps %d", kalshi.DefaultIdleConnsPerHost), "")
}

// deltas measures order book deltas decoded and applied per second on one
// core.
func deltas(t *table) {
	const ticker = "KXBTCD-26MAR1213-T69499.99"
	var frames [][]byte
	for i := range 50 {
		for _, side := range []string{"yes", "no"} {
			for _, d := range []string{"12.00", "-12.00"} {
				frames = append(frames, fmt.Appendf(nil,
					`{"type":"orderbook_delta","sid":2,"seq":%d,"msg":{"market_ticker":%q,"market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price_dollars":"%s","delta_fp":"%s","side":"%s","ts":"2026-03-12T13:04:05.123456Z","ts_ms":1773320645123}}`,
					len(frames)+2, ticker, money.DollarsFromCents(int64(25+i)), d, side))
			}
		}
	}
	snap := &ws.OrderbookSnapshot{MarketTicker: ticker}
	for i := 1; i < 100; i++ {
		l := orderbook.Level{Price: money.DollarsFromCents(int64(i)), Count: money.CountFromInt(int64(i * 10))}
		snap.Yes, snap.No = append(snap.Yes, l), append(snap.No, l)
	}
	book := orderbook.NewBook(ticker)
	if err := book.ApplySnapshot(snap); err != nil {
		fail(err)
	}
	runtime.GC() // leave nothing of the runs before to the collector
	prev := runtime.GOMAXPROCS(1)
	var best float64 // deltas a second, best of three
	for range 3 {
		r := testing.Benchmark(func(b *testing.B) {
			i := 0
			for b.Loop() {
				m, err := ws.Decode(frames[i%len(frames)])
				if err != nil {
					b.Fatal(err)
				}
				if err := book.ApplyDelta(m.(*ws.OrderbookDelta)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		best = max(best, float64(r.N)/r.T.Seconds())
	}
	runtime.GOMAXPROCS(prev)
	t.add("WebSocket orderbook_delta frames decoded and applied, one core",
		fmt.Sprintf("%.2f million/s", best/1e6), "target: 1.5 million/s", "")
}
