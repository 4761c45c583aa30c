package kalshi_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// secretForms are the ways a formatting verb could write some of a private
// key's bytes: as a byte list, in hex, quoted, or in base64; for RSA the
// private exponent and primes in decimal and hex.
func secretForms(key crypto.Signer) []string {
	var secrets [][]byte
	var numbers []string
	switch k := key.(type) {
	case ed25519.PrivateKey:
		secrets = append(secrets, k.Seed()[:12])
	case *rsa.PrivateKey:
		for _, n := range append([]*big.Int{k.D}, k.Primes...) {
			numbers = append(numbers, n.String()[:24], n.Text(16)[:24])
			secrets = append(secrets, n.Bytes()[:12])
		}
	}
	forms := numbers
	for _, b := range secrets {
		list := fmt.Sprint(b)
		forms = append(forms,
			list[:len(list)-1],    // [192 190 41 ...
			hex.EncodeToString(b), // c0be29...
			strings.ToUpper(hex.EncodeToString(b)),
			strings.Trim(strconv.Quote(string(b)), `"`), // \xc0\xbe)...
			base64.StdEncoding.EncodeToString(b)[:12],
		)
	}
	return forms
}

// No formatting verb of any value the library hands out can print key
// material: not the Signer, its transport, the Client, its HTTP client, an
// option, nor a WebSocket connection.
func TestNoVerbPrintsKeyMaterial(t *testing.T) {
	t.Parallel()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(1))
	defer srv.Close()
	for _, alg := range []signing.Algorithm{signing.Ed25519, signing.RSA} {
		key, _, _, err := signing.GenerateKey(alg)
		require.NoError(t, err)
		srv.AddAPIKey("secret-test-"+alg.String(), key.Public())
		signer, err := signing.New("secret-test-"+alg.String(), key)
		require.NoError(t, err)
		client, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
		require.NoError(t, err)
		conn, err := ws.Dial(context.Background(), ws.WithURL(srv.WebSocketURL()), ws.WithSigner(signer))
		require.NoError(t, err)

		values := map[string]any{
			"*Signer":         signer,
			"Signer":          *signer,
			"transport":       signer.Transport(nil),
			"*Client":         client,
			"Client":          *client,
			"HTTPClient":      client.HTTPClient(),
			"transport stack": client.HTTPClient().Transport,
			"option":          kalshi.WithSigner(signer),
			"ws.Conn":         conn,
			"in a slice":      []any{signer, client},
			"in a map":        map[string]any{"c": client},
		}
		forms := secretForms(key)
		for name, v := range values {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p"} {
				out := fmt.Sprintf(verb, v)
				for _, f := range forms {
					if strings.Contains(out, f) {
						t.Errorf("%s %s of %s prints key material (%q)", alg, verb, name, f)
					}
				}
			}
		}
		assert.Contains(t, fmt.Sprint(client), "key=secret-test-", "a client prints what it is")
		assert.Contains(t, fmt.Sprint(conn), "connected")
		conn.Close()
	}
}
