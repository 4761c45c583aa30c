package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/examples/internal/target"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// TestRotateAgainstTheFake rotates the key on the fake exchange: the saved
// key signs, the old key is refused, and a second rotation onto the same
// file is refused before anything is registered.
func TestRotateAgainstTheFake(t *testing.T) {
	tg, err := target.Open(true)
	require.NoError(t, err)
	defer tg.Close()
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "new.pem")
	var stdout bytes.Buffer
	require.NoError(t, rotate(ctx, tg, config{fake: true, out: out, name: "rotated"}, &stdout))
	assert.Contains(t, stdout.String(), "deleted old key example-key")

	_, err = tg.Client.GetBalance(ctx, nil)
	assert.ErrorIs(t, err, kalshi.ErrUnauthorized, "the old key is gone")

	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	key, err := signing.LoadPrivateKey(out)
	require.NoError(t, err)
	var newID string
	for _, line := range bytes.Split(stdout.Bytes(), []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("registered new key ")); ok {
			newID = string(rest)
		}
	}
	require.NotEmpty(t, newID)
	signer, err := signing.New(newID, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(tg.Fake.URL()), kalshi.WithSigner(signer))
	require.NoError(t, err)
	_, err = c.GetBalance(ctx, nil)
	require.NoError(t, err, "the saved key signs")

	// Rotating again onto the same file: refused, nothing registered.
	tg.Client, tg.Signer = c, signer
	before, err := c.GetAPIKeys(ctx, nil)
	require.NoError(t, err)
	err = rotate(ctx, tg, config{fake: true, out: out, name: "again"}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "saving the new key")
	after, err := c.GetAPIKeys(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, after.APIKeys, len(before.APIKeys), "no key registered when the new one could not be saved")
}
