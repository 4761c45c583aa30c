package kalshitest

import (
	"math/rand/v2"
	"sync"
	"time"
)

// DefaultWSPingInterval is how often the fake pings each WebSocket
// connection, as Kalshi does (see WithWSPingInterval).
const DefaultWSPingInterval = 10 * time.Second

// DefaultWSBufferSize is how many data frames a WebSocket subscription may
// have waiting to be written before it ends with error 25 (see
// WithWSBufferSize).
const DefaultWSBufferSize = 16384

// WSFaults are failures the fake injects into its WebSocket feed, drawn
// for each data frame it sends, for testing that a client recovers from them.
// The zero value injects nothing. Set them with WithWSFaults, or at any
// moment with Server.InjectWSFaults; for a fault at a moment of the test's
// choosing, see DropWSConns and the methods of WSConn.
type WSFaults struct {
	// DropRate is the probability (0 to 1) that, instead of sending a data
	// frame, the server closes the connection abruptly.
	DropRate float64
	// SkipSeqRate is the probability that a numbered data frame carries one
	// sequence number more than it should, as if a frame had been lost.
	SkipSeqRate float64
	// UnknownTypeRate is the probability that a data frame is preceded, on
	// its subscription, by a frame of UnknownMessageType.
	UnknownTypeRate float64
	// StallRate is the probability that, after a data frame, the server
	// stops writing to the connection (pings included) for StallFor.
	StallRate float64
	// StallFor is how long a stall drawn by StallRate lasts.
	StallFor time.Duration
}

func (f WSFaults) active() bool {
	return f.DropRate > 0 || f.SkipSeqRate > 0 || f.UnknownTypeRate > 0 || (f.StallRate > 0 && f.StallFor > 0)
}

// wsConfig is the WebSocket part of the server's configuration.
type wsConfig struct {
	pingInterval time.Duration
	bufferSize   int
	faults       WSFaults
	indexEvery   time.Duration // the index feeds' cadence (ws_indices.go); < 0: off
}

func (c wsConfig) withDefaults() wsConfig {
	if c.pingInterval <= 0 {
		c.pingInterval = DefaultWSPingInterval
	}
	if c.bufferSize <= 0 {
		c.bufferSize = DefaultWSBufferSize
	}
	return c
}

// WithWSPingInterval sets how often the server pings each WebSocket
// connection (default DefaultWSPingInterval). Tests of a client's
// heartbeat use a short one.
func WithWSPingInterval(d time.Duration) Option { return func(c *config) { c.ws.pingInterval = d } }

// WithWSBufferSize sets how many data frames a WebSocket subscription may
// have waiting to be written (default DefaultWSBufferSize). When a slow
// reader or a stall lets more pile up, the subscription ends with Kalshi's
// error 25 (subscription buffer overflow) and the client must subscribe
// again.
func WithWSBufferSize(n int) Option { return func(c *config) { c.ws.bufferSize = n } }

// WithWSFaults injects faults into the WebSocket feed from the start (see
// WSFaults); Server.InjectWSFaults changes them later.
func WithWSFaults(f WSFaults) Option { return func(c *config) { c.ws.faults = f } }

// InjectWSFaults replaces the faults injected into the WebSocket feed from
// the next frame on.
func (s *Server) InjectWSFaults(f WSFaults) { s.ws.faults.set(f) }

// WSFaults returns the WebSocket faults in force.
func (s *Server) WSFaults() WSFaults { return s.ws.faults.get() }

// wsFaultState is the live WebSocket fault settings and their random
// source.
type wsFaultState struct {
	mu  sync.Mutex
	f   WSFaults
	rng *rand.Rand
}

func (fs *wsFaultState) set(f WSFaults) {
	fs.mu.Lock()
	fs.f = f
	fs.mu.Unlock()
}

func (fs *wsFaultState) get() WSFaults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

// faultDraw is what the fault layer decided for one data frame.
type faultDraw struct {
	drop, skip, unknown bool
	stall               time.Duration
}

func (fs *wsFaultState) draw() faultDraw {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := &fs.f
	if !f.active() {
		return faultDraw{}
	}
	var d faultDraw
	d.drop = f.DropRate > 0 && fs.rng.Float64() < f.DropRate
	d.skip = f.SkipSeqRate > 0 && fs.rng.Float64() < f.SkipSeqRate
	d.unknown = f.UnknownTypeRate > 0 && fs.rng.Float64() < f.UnknownTypeRate
	if f.StallRate > 0 && f.StallFor > 0 && fs.rng.Float64() < f.StallRate {
		d.stall = f.StallFor
	}
	return d
}
