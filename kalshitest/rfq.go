package kalshitest

import "time"

// rfqState holds the fake's RFQs, quotes and block trades.
type rfqState struct{}

// seedRFQ gives the domain its starting data (exchange lock held).
func (x *exchange) seedRFQ(now time.Time) {}
