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
	// without an answer.
	DropRate float64
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
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
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
	}
	return f.Latency, faultNone
}

// applyFaults runs the fault layer; it reports whether the request was
// answered (or dropped) by it.
func (s *Server) applyFaults(w http.ResponseWriter, r *http.Request) bool {
	delay, action := s.faults.decide()
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	switch action {
	case faultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2 or a wrapped writer: abort the stream
	case faultRateLimit:
		writeRateLimited(w)
		return true
	case faultServerError:
		writeError(w, errInternal("internal server error (injected by kalshitest)"))
		return true
	case faultUnavailable:
		writeError(w, errUnavailable())
		return true
	}
	return false
}

// InjectFaults replaces the faults injected into API requests from now on.
func (s *Server) InjectFaults(f Faults) { s.faults.set(f) }

// Faults returns the faults in force (RateLimitBurst counts down as 429s
// are sent).
func (s *Server) Faults() Faults { return s.faults.get() }
