package kalshi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
)

// Every option that cannot apply says so, naming itself; New returns the
// first such error and nothing panics.
func TestOptionErrorsNameTheOption(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]kalshi.Option{
		"WithSigner(nil)":            kalshi.WithSigner(nil),
		"WithHTTPClient(nil)":        kalshi.WithHTTPClient(nil),
		`WithEnvironment("staging")`: kalshi.WithEnvironment("staging"),
		`WithBaseURL("")`:            kalshi.WithBaseURL(""),
		"WithTier":                   kalshi.WithTier("gold"),
		"WithRateLimit":              kalshi.WithRateLimit(kalshi.RateLimit{}),
		"WithRetry":                  kalshi.WithRetry(kalshi.RetryPolicy{}),
	} {
		_, err := kalshi.New(opt)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), name, "the error names the option")
		}
	}
}

func TestFirstOptionErrorWins(t *testing.T) {
	t.Parallel()
	_, err := kalshi.New(kalshi.WithTier("gold"), kalshi.WithSigner(nil), kalshi.WithHTTPClient(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithTier")

	// A later valid option does not hide an earlier error.
	_, err = kalshi.New(kalshi.WithHTTPClient(nil), kalshi.WithHTTPClient(&http.Client{}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithHTTPClient(nil)")
}

func TestNilOptionsAreIgnored(t *testing.T) {
	t.Parallel()
	c, err := kalshi.New(nil, kalshi.WithEnvironment(kalshi.Production), nil)
	require.NoError(t, err)
	assert.Equal(t, kalshi.Production, c.Environment())
}
