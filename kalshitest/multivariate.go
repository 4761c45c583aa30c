package kalshitest

import "time"

// multivariateState holds the fake's multivariate collections, event metadata and fee changes.
type multivariateState struct{}

// seedMultivariate gives the domain its starting data (exchange lock held).
func (x *exchange) seedMultivariate(now time.Time) {}
