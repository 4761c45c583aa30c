package redislimit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/redislimit/redistest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

const (
	measureProcesses = 4
	measureSeconds   = 10
	stopRedisAt      = 5 // seconds into the run
)

// hammerReport is what one hammer process prints (internal/hammer's
// Report).
type hammerReport struct {
	ReadTokens, WriteTokens, Refused, Unavailable, Failed []int
	FallbackDraws                                         int
	FirstFailure, FirstUnavailable                        string
	FirstUnavailableAt                                    time.Duration
}

// exchange is a kalshitest server at the Basic tier with its rate limits
// on, behind a handler that counts what it answered.
type exchange struct {
	srv    *kalshitest.Server
	http   *httptest.Server
	mu     sync.Mutex
	status map[int]int
	tokens [2]int // admitted read, write tokens
}

func (e *exchange) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	e.srv.ServeHTTP(rec, r)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status[rec.status]++
	if rec.status >= 200 && rec.status < 300 {
		if r.Method == http.MethodPost {
			e.tokens[1] += 10 // CreateOrderV2
		} else {
			e.tokens[0] += 10 // GetBalance
		}
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// run is one measurement: four hammer processes sharing a Basic budget
// through one Redis for ten seconds, with Redis stopped halfway through
// when stop is set.
type run struct {
	mode     string // fail mode: "open" or "closed"
	stop     bool
	reports  []hammerReport
	status   map[int]int
	admitted [2]int
}

func (r *run) sum(f func(hammerReport) []int) []int {
	out := make([]int, measureSeconds)
	for _, rep := range r.reports {
		for i, v := range f(rep) {
			out[i] += v
		}
	}
	return out
}

func total(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// measure runs r, with hammer the built program.
func measure(t *testing.T, hammer string, r *run) {
	dir := t.TempDir()
	key, priv, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	keyFile := filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(keyFile, priv, 0o600))

	redisSrv := redistest.Start(t)
	ex := &exchange{status: map[int]int{}}
	ex.srv = kalshitest.NewServer(kalshitest.WithTier(kalshi.Basic), kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXMEASURE-26DEC31-T1"}))
	t.Cleanup(ex.srv.Close)
	ex.srv.AddAccount("bots", key.Public(), money.MustDollars("100000"))
	ex.http = httptest.NewServer(ex)
	t.Cleanup(ex.http.Close)

	start := time.Now().Add(2 * time.Second) // every process is up by then
	outs := make([]bytes.Buffer, measureProcesses)
	errs := make([]bytes.Buffer, measureProcesses)
	cmds := make([]*exec.Cmd, measureProcesses)
	for i := range cmds {
		cmds[i] = exec.Command(hammer,
			"-base", ex.http.URL+kalshitest.BasePath, "-redis", redisSrv.URL(), "-key-id", "bots", "-key", keyFile,
			"-ticker", "KXMEASURE-26DEC31-T1", "-start", strconv.FormatInt(start.UnixMilli(), 10),
			"-seconds", strconv.Itoa(measureSeconds), "-fail", r.mode, "-processes", strconv.Itoa(measureProcesses))
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &errs[i]
		require.NoError(t, cmds[i].Start())
	}
	if r.stop {
		time.Sleep(time.Until(start.Add(stopRedisAt * time.Second)))
		redisSrv.Stop()
	}
	for i, cmd := range cmds {
		require.NoError(t, cmd.Wait(), "hammer %d: %s", i, errs[i].String())
		var rep hammerReport
		require.NoError(t, json.Unmarshal(outs[i].Bytes(), &rep), "hammer %d printed %q", i, outs[i].String())
		r.reports = append(r.reports, rep)
	}
	ex.mu.Lock()
	r.status, r.admitted = ex.status, ex.tokens
	ex.mu.Unlock()
}

// budget is what Kalshi admits of a bucket in the run: a full bucket and
// the refill of every second.
func budget(b kalshi.Bucket) int { return b.Capacity + b.RefillPerSecond*measureSeconds }

// TestMeasureFourProcesses is issue 15's measurement, against kalshitest
// with Basic rate limits on: four OS processes, each a client paced by
// the Redis limiter with readers and writers as fast as it allows, share
// one account for ten seconds. No request may be refused with 429, and
// together they must use at least 90% of each bucket's budget. The same
// run with Redis stopped after five seconds shows both fail modes: fail
// closed sends nothing more and ends calls with ErrUnavailable; fail open
// paces each process with a quarter of the budget, still without 429s.
// A last run without Redis, each process on its own buckets, is the
// baseline: it draws 429s.
// Each run takes twelve seconds; -short leaves out all but the first.
func TestMeasureFourProcesses(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		redistest.Start(t) // skips, or fails under CI, with the reason
	}
	hammer := filepath.Join(t.TempDir(), "hammer")
	build := exec.Command("go", "build", "-o", hammer, "./internal/hammer")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the hammer: %s", out)

	basic, err := kalshi.Basic.RateLimit()
	require.NoError(t, err)
	shared := &run{mode: "closed"}
	closed := &run{mode: "closed", stop: true}
	open := &run{mode: "open", stop: true}
	local := &run{mode: "local"}
	runs := []*run{shared}
	if !testing.Short() {
		runs = append(runs, closed, open, local)
	}
	for _, r := range runs {
		t.Run(fmt.Sprintf("fail-%s-stop-%v", r.mode, r.stop), func(t *testing.T) { measure(t, hammer, r) })
	}
	if t.Failed() {
		return
	}

	readBudget, writeBudget := budget(basic.Read), budget(basic.Write)
	t.Logf("budget in %d s at Basic: %d read tokens, %d write tokens", measureSeconds, readBudget, writeBudget)
	for _, r := range runs {
		reads, writes := r.sum(func(h hammerReport) []int { return h.ReadTokens }), r.sum(func(h hammerReport) []int { return h.WriteTokens })
		label := "Redis up throughout"
		if r == local {
			label = "each process on its own buckets (no Redis)"
		}
		if r.stop {
			label = fmt.Sprintf("Redis stopped at %d s", stopRedisAt)
		}
		t.Logf("fail %s, %s: the exchange admitted %d read tokens (%.1f%%), %d write tokens (%.1f%%); statuses %v",
			r.mode, label, r.admitted[0], pct(r.admitted[0], readBudget),
			r.admitted[1], pct(r.admitted[1], writeBudget), r.status)
		t.Logf("  read tokens by second  %v", reads)
		t.Logf("  write tokens by second %v", writes)
		t.Logf("  429 by second %v, ErrUnavailable by second %v, other failures %d %s",
			r.sum(func(h hammerReport) []int { return h.Refused }), r.sum(func(h hammerReport) []int { return h.Unavailable }),
			total(r.sum(func(h hammerReport) []int { return h.Failed })), firstFailure(r))
		var fallback int
		var unavailable []string
		var first time.Duration
		for _, rep := range r.reports {
			fallback += rep.FallbackDraws
			if rep.FirstUnavailableAt > 0 && (first == 0 || rep.FirstUnavailableAt < first) {
				first = rep.FirstUnavailableAt
			}
			if rep.FirstUnavailable != "" {
				unavailable = append(unavailable, rep.FirstUnavailable)
			}
		}
		t.Logf("  draws paced locally %d; first ErrUnavailable at %s; first ErrUnavailable of each process: %s",
			fallback, first.Round(time.Millisecond), strings.Join(unavailable, "; "))
		if r == local {
			continue
		}
		assert.Zero(t, r.status[http.StatusTooManyRequests], "fail %s, stop %v: no request refused with 429", r.mode, r.stop)
		assert.Zero(t, total(r.sum(func(h hammerReport) []int { return h.Failed })), "fail %s, stop %v: %s", r.mode, r.stop, firstFailure(r))
	}

	assert.GreaterOrEqual(t, pct(shared.admitted[0], readBudget), 90.0, "the processes together use the read budget")
	assert.GreaterOrEqual(t, pct(shared.admitted[1], writeBudget), 90.0, "the processes together use the write budget")
	assert.Zero(t, total(shared.sum(func(h hammerReport) []int { return h.Unavailable })))

	if testing.Short() {
		return
	}
	// The baseline: each process on its own in-memory buckets, the four
	// send what the exchange refuses.
	assert.Positive(t, local.status[http.StatusTooManyRequests], "without the shared budget the processes overdraw it")

	// Fail closed: after the stop (and the calls in flight then), nothing
	// is admitted, and calls end with ErrUnavailable.
	after := func(xs []int) int { return total(xs[stopRedisAt+1:]) }
	assert.Zero(t, after(closed.sum(func(h hammerReport) []int { return h.ReadTokens })), "fail closed sends nothing after Redis stopped")
	assert.Positive(t, after(closed.sum(func(h hammerReport) []int { return h.Unavailable })))
	for i, rep := range closed.reports {
		// Each process learns it at its next draw: two tries of
		// DefaultTimeout, and the scheduling of a busy machine.
		assert.Less(t, rep.FirstUnavailableAt-stopRedisAt*time.Second, 2*time.Second, "process %d learnt soon that Redis stopped", i)
	}

	// Fail open: the processes go on, each with its share.
	openReads := after(open.sum(func(h hammerReport) []int { return h.ReadTokens }))
	assert.Positive(t, openReads, "fail open goes on")
	assert.Zero(t, total(open.sum(func(h hammerReport) []int { return h.Unavailable })), "fail open never fails a call")
	t.Logf("fail open after the stop: %d read tokens in %d s (%.0f%% of the refill)", openReads, measureSeconds-stopRedisAt-1,
		pct(openReads, basic.Read.RefillPerSecond*(measureSeconds-stopRedisAt-1)))
}

func pct(n, of int) float64 { return 100 * float64(n) / float64(of) }

func firstFailure(r *run) string {
	var fs []string
	for _, rep := range r.reports {
		if rep.FirstFailure != "" {
			fs = append(fs, rep.FirstFailure)
		}
	}
	return strings.Join(fs, "; ")
}
