package kalshitest

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Faults are failures the fake injects into API requests, for testing how
// code copes with a misbehaving exchange. The zero value injects nothing.
// Change them at any time with Server.InjectFaults.
type Faults struct {
	// Latency delays every request by this much before it is handled.
	Latency time.Duration
	// ServerErrorRate is the probability (0 to 1) that a request is
	// answered 500 or 503 instead of being handled.
	ServerErrorRate float64
	// DropRate is the probability (0 to 1) that the connection is closed
	// without an answer, before the request is handled.
	DropRate float64
	// LostAnswerRate is the probability (0 to 1) that a request is
	// handled (an order placed, cancelled, amended) and then its answer is
	// lost: the connection is closed, or a proxy's 502 or 504 page is sent
	// instead, a third of the time each. This is the fault that makes an
	// outcome ambiguous to the client.
	LostAnswerRate float64
	// RateLimitBurst answers the next this many requests 429, whatever
	// their tokens.
	RateLimitBurst int
	// ClockSkew moves the clock signatures are checked against: a skew
	// beyond the allowed window (DefaultMaxSkew) makes every signed request
	// fail with header_timestamp_expired, as a client with a wrong clock
	// would see.
	ClockSkew time.Duration
}

// faultState is the live fault settings and their random source.
type faultState struct {
	mu   sync.Mutex
	f    Faults
	rng  *rand.Rand
	lost int // answers lost after the request was handled
}

func (fs *faultState) set(f Faults) {
	fs.mu.Lock()
	fs.f = f
	fs.mu.Unlock()
}

func (fs *faultState) get() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

func (fs *faultState) skew() time.Duration {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f.ClockSkew
}

// faultAction is what the fault layer decided for one request.
type faultAction int

const (
	faultNone faultAction = iota
	faultDrop
	faultRateLimit
	faultServerError
	faultUnavailable
	faultLoseAnswer
)

// decide draws the fault for one request.
func (fs *faultState) decide() (time.Duration, faultAction) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := &fs.f
	switch {
	case f.RateLimitBurst > 0:
		f.RateLimitBurst--
		return f.Latency, faultRateLimit
	case f.DropRate > 0 && fs.rng.Float64() < f.DropRate:
		return f.Latency, faultDrop
	case f.ServerErrorRate > 0 && fs.rng.Float64() < f.ServerErrorRate:
		if fs.rng.IntN(2) == 0 {
			return f.Latency, faultServerError
		}
		return f.Latency, faultUnavailable
	case f.LostAnswerRate > 0 && fs.rng.Float64() < f.LostAnswerRate:
		return f.Latency, faultLoseAnswer
	}
	return f.Latency, faultNone
}

// applyFaults runs the fault layer; it reports whether the request was
// answered (or dropped) by it. lose reports that the request is to be
// handled with its answer lost afterwards (see loseAnswer).
func (s *Server) applyFaults(w http.ResponseWriter, r *http.Request) (done, lose bool) {
	delay, action := s.faults.decide()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true, false
		}
	}
	switch action {
	case faultDrop:
		dropConnection(w)
		return true, false
	case faultRateLimit:
		writeRateLimited(w)
		return true, false
	case faultServerError:
		writeError(w, errInternal("internal server error (injected by kalshitest)"))
		return true, false
	case faultUnavailable:
		writeError(w, errUnavailable())
		return true, false
	case faultLoseAnswer:
		return false, true
	}
	return false, false
}

// dropConnection closes the request's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 or a wrapped writer: abort the stream
}

// loseAnswer sends, in place of an answer the exchange produced, what a
// client sees when it is lost on the way: a closed connection, or a
// proxy's 502 or 504 page.
func (s *Server) loseAnswer(w http.ResponseWriter) {
	s.faults.mu.Lock()
	n := s.faults.rng.IntN(3)
	s.faults.lost++
	s.faults.mu.Unlock()
	switch n {
	case 0:
		dropConnection(w)
	case 1:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body>upstream closed the connection</body></html>"))
	default:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusGatewayTimeout)
		_, _ = w.Write([]byte("<html><head><title>504 Gateway Time-out</title></head><body>upstream timed out</body></html>"))
	}
}

// discardWriter takes the answer of a request whose answer is lost.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// WithFaults injects all of f from the start (see Faults; the With<fault>
// options set one each).
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// InjectFaults replaces the faults injected into API requests from now on.
func (s *Server) InjectFaults(f Faults) { s.faults.set(f) }

// LostAnswers returns how many requests were handled and then had their
// answers lost (Faults.LostAnswerRate) since the server started.
func (s *Server) LostAnswers() int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.lost
}

// Faults returns the faults in force (RateLimitBurst counts down as 429s
// are sent).
func (s *Server) Faults() Faults { return s.faults.get() }
