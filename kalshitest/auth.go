package kalshitest

import (
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// DefaultMaxSkew is how far a request's KALSHI-ACCESS-TIMESTAMP may be from
// the fake's clock before it is refused with header_timestamp_expired.
const DefaultMaxSkew = 30 * time.Second

// apiKey is a registered API key.
type apiKey struct {
	id, userID, name string
	pub              crypto.PublicKey
	scopes           []string
	subaccount       *int
	created          time.Time
}

// keyRing holds the API keys, by ID.
type keyRing struct {
	mu   sync.RWMutex
	keys map[string]*apiKey
}

func (k *keyRing) add(key *apiKey) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys == nil {
		k.keys = map[string]*apiKey{}
	}
	k.keys[key.id] = key
}

func (k *keyRing) get(id string) (*apiKey, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, ok := k.keys[id]
	return key, ok
}

// remove deletes a key of userID; it reports whether there was one.
func (k *keyRing) remove(userID, id string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	key, ok := k.keys[id]
	if !ok || key.userID != userID {
		return false
	}
	delete(k.keys, id)
	return true
}

// list returns userID's keys, oldest first.
func (k *keyRing) list(userID string) []*apiKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	var out []*apiKey
	for _, key := range k.keys {
		if key.userID == userID {
			out = append(out, key)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].created.Equal(out[j].created) {
			return out[i].created.Before(out[j].created)
		}
		return out[i].id < out[j].id
	})
	return out
}

// authenticate checks the request's signature and returns its key, or the
// 401 Kalshi would answer: signature_is_missing_from_headers when a header
// is missing, authentication_error with NOT_FOUND for an unknown key or
// INCORRECT_API_KEY_SIGNATURE for a bad signature, header_timestamp_expired
// for a stale (or future) timestamp.
func (s *Server) authenticate(r *http.Request) (*apiKey, error) {
	id := r.Header.Get(signing.HeaderKey)
	if id == "" || r.Header.Get(signing.HeaderTimestamp) == "" || r.Header.Get(signing.HeaderSignature) == "" {
		return nil, errMissingSignature()
	}
	key, ok := s.keys.get(id)
	if !ok {
		return nil, errAuth("NOT_FOUND")
	}
	now := s.authNow()
	memo := id + "\x00" + r.Header.Get(signing.HeaderTimestamp) + "\x00" + r.Method + "\x00" + signing.SigningPath(r.URL) + "\x00" + r.Header.Get(signing.HeaderSignature)
	if s.verified.has(memo) && withinSkew(r.Header.Get(signing.HeaderTimestamp), now, s.maxSkew) {
		return key, nil
	}
	err := signing.Verify(key.pub, r, now, s.maxSkew)
	if err == nil {
		s.verified.add(memo)
	}
	switch {
	case err == nil:
		return key, nil
	case errors.Is(err, signing.ErrMissingHeaders):
		return nil, errMissingSignature()
	case errors.Is(err, signing.ErrTimestampExpired):
		return nil, errTimestampExpired()
	default:
		return nil, errAuth("INCORRECT_API_KEY_SIGNATURE")
	}
}

// authNow is the time signatures are checked against: the real clock
// (signers sign with it) moved by any injected clock skew.
func (s *Server) authNow() time.Time {
	return time.Now().Add(s.faults.skew())
}

// AddAPIKey registers an API key of the default account, so requests
// signed with the private half of pub (an RSA or Ed25519 public key) under
// keyID are accepted. It panics if pub is neither.
func (s *Server) AddAPIKey(keyID string, pub crypto.PublicKey) {
	s.addKey(keyID, DefaultUserID, "test key", pub)
}

// AddAccount registers keyID for a new account of its own holding balance,
// for tests with several traders. It returns the account's user ID. It
// panics if pub is neither an RSA nor an Ed25519 public key, or if keyID
// is already registered.
func (s *Server) AddAccount(keyID string, pub crypto.PublicKey, balance money.Dollars) string {
	if _, ok := s.keys.get(keyID); ok {
		panic(fmt.Sprintf("kalshitest: AddAccount: key %q is already registered", keyID))
	}
	s.x.mu.Lock()
	userID := s.x.newID()
	s.x.ensureAccount(userID, balance)
	s.x.mu.Unlock()
	s.addKey(keyID, userID, "test key", pub)
	return userID
}

func (s *Server) addKey(keyID, userID, name string, pub crypto.PublicKey) {
	if _, err := signing.MarshalPublicKey(pub); err != nil {
		panic(fmt.Sprintf("kalshitest: API key %q: %v", keyID, err))
	}
	s.keys.add(&apiKey{id: keyID, userID: userID, name: name, pub: pub, scopes: []string{"read", "write"}, created: s.clock()})
}

// verifiedCache remembers the signatures that verified (with their key,
// timestamp, method and path), so that requests carrying the very same
// headers, as a burst to one path in one millisecond does with an Ed25519
// key, are checked once. It holds at most verifiedCacheSize entries.
type verifiedCache struct {
	mu sync.Mutex
	m  map[string]struct{}
}

const verifiedCacheSize = 4096

func (c *verifiedCache) has(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[k]
	return ok
}

func (c *verifiedCache) add(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= verifiedCacheSize {
		c.m = make(map[string]struct{}, verifiedCacheSize)
	}
	c.m[k] = struct{}{}
}

// withinSkew reports whether a timestamp header (Unix milliseconds) is
// within maxSkew of now: a remembered signature still expires.
func withinSkew(ts string, now time.Time, maxSkew time.Duration) bool {
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.UnixMilli(ms))
	return d <= maxSkew && d >= -maxSkew
}
