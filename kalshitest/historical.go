package kalshitest

import "time"

// historicalState holds the fake's the historical tier.
type historicalState struct{}

// seedHistorical gives the domain its starting data (exchange lock held).
func (x *exchange) seedHistorical(now time.Time) {}
