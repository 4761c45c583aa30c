package main

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemo(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"rsa", "ed25519"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			args := []string{"demo"}
			if typ != "rsa" {
				args = append(args, "--type", typ)
			}
			// The demo ignores the user's credentials and environment: it
			// is offline and signs with the key it makes.
			env := map[string]string{"KALSHI_ENV": "prod", "KALSHI_BASE_URL": "http://127.0.0.1:1/trade-api/v2", "KALSHI_API_KEY_ID": "x", "KALSHI_PRIVATE_KEY_PATH": "/nonexistent"}
			r := invocation{env: env}.run(t, args...)
			require.Equalf(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			assert.Empty(t, r.stderr)

			out := r.stdout
			alg := map[string]string{"rsa": "RSA", "ed25519": "Ed25519"}[typ]
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`Started the fake exchange \(kalshitest, seed 1\) at http://127\.0\.0\.1:\d+/trade-api/v2`),
				regexp.MustCompile(`Generated a new ` + alg + ` key pair`),
				regexp.MustCompile(`-----BEGIN PUBLIC KEY-----`),
				regexp.MustCompile(`Registered it with CreateApiKey: API key ID (\S+)`),
				regexp.MustCompile(`GetExchangeStatus: exchange active yes, trading active yes`),
				regexp.MustCompile(`GetMarketsIter: \d+ open markets in \d+ pages`),
				regexp.MustCompile(`GetMarketOrderbook \S+:`),
				regexp.MustCompile(`best YES bid \d\.\d{4} x`),
				regexp.MustCompile(`CreateOrderV2: resting bid, 5\.00 YES`),
				regexp.MustCompile(`filled 0\.00, resting 5\.00`),
				regexp.MustCompile(`CreateOrderV2: crossing bid, 3\.00 YES`),
				regexp.MustCompile(`filled 3\.00, remaining 0\.00`),
				regexp.MustCompile(`CancelOrderV2 \S+: 5\.00 contracts taken off the book`),
				regexp.MustCompile(`GetFills: 1 fill\(s\)`),
				regexp.MustCompile(`bid\s+3\.00\s+\d\.\d{4}\s+\d\.\d{4}\s+taker`),
				regexp.MustCompile(`GetBalance: 1000\.0000 available`),
				regexp.MustCompile(`balance 1000\.0000 - contracts \S+ - fees \S+ = (\S+); the exchange says (\S+)`),
				regexp.MustCompile(`position in \S+: 3\.00 contracts, as the fills add up to 3\.00`),
				regexp.MustCompile(`All \d+ requests after registration were signed with ` + alg + ` key \S+\. Demo complete\.`),
			} {
				assert.Regexp(t, want, out)
			}
			m := regexp.MustCompile(`= (\S+); the exchange says (\S+)`).FindStringSubmatch(out)
			require.NotNil(t, m)
			assert.Equal(t, m[1], m[2], "the balance reconciles")
			assert.NotContains(t, out, "PRIVATE KEY", "the demo never shows a private key")
			// Steps are numbered in order.
			for i := 1; i <= 14; i++ {
				assert.Contains(t, out, fmt.Sprintf("\n%d. ", i))
			}
		})
	}
}
