package kalshi

import (
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/internal/kalshierr"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// clockCorrection handles Kalshi's refusal of a stale timestamp
// (header_timestamp_expired): the Signer's clock is set from the answer's
// Date header and the request is sent once more.
type clockCorrection struct {
	signer *signing.Signer
	report func(offset time.Duration)
}

// correct reports whether resp (its body buffered) refused the request's
// timestamp and the signer's clock was corrected from the answer's Date,
// so that sending it again can succeed.
func (c *clockCorrection) correct(resp *http.Response, st *callState) bool {
	if c == nil || st.clockCorrected || resp.StatusCode != http.StatusUnauthorized || !st.buffered {
		return false
	}
	if kalshierr.Parse(resp.StatusCode, st.body).Code != "header_timestamp_expired" {
		return false
	}
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return false // nothing to correct by
	}
	// Date has whole seconds: Kalshi's time is within the next one.
	server := date.Add(500 * time.Millisecond)
	if d := server.Sub(c.signer.Now()); d > -time.Second && d < time.Second {
		return false // the clocks agree as far as Date can tell: not the cause
	}
	offset := c.signer.CorrectClock(server)
	st.clockCorrected = true
	if c.report != nil {
		c.report(offset)
	}
	return true
}

// WithClockCorrection says what the client does when Kalshi refuses a
// request's timestamp as stale (header_timestamp_expired), which happens
// on every call of a machine whose clock is off by more than Kalshi
// allows. By default (on) it sets the signer's clock offset from the
// answer's Date header (signing.Signer.CorrectClock: every later request,
// the WebSocket handshake included, is signed with the corrected time) and
// sends the refused request once more. report, when not nil, is told each
// offset adopted: a clock that needs one should be fixed (NTP). Off, the
// refusal is returned as an *APIError with a hint to check the clock.
func WithClockCorrection(on bool, report func(offset time.Duration)) Option {
	return func(c *config) error {
		c.clockCorrection = on
		c.clockReport = report
		return nil
	}
}
