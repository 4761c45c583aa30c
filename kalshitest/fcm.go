package kalshitest

import (
	"crypto"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// fcmState holds the fake's FCM (futures commission merchant) members,
// their subtraders and the API keys bound to a subtrader. A subtrader
// trades as an account of its own (x.accounts[subtrader ID]), so its
// orders, fills and positions are its own; this state holds only what
// makes it a subtrader: its member, its daily premium cap and its blocked
// categories.
type fcmState struct {
	members    map[string]*fcmMember    // by the member's user ID
	subtraders map[string]*fcmSubtrader // by subtrader ID
	boundKeys  map[string]string        // API key ID -> subtrader ID
}

// fcmMember is one FCM member and its subtraders.
type fcmMember struct {
	userID     string
	subtraders []*fcmSubtrader // oldest first
}

// fcmSubtrader is one subtrader: {member user ID}_{suffix}.
type fcmSubtrader struct {
	id, member string
	created    time.Time
	dailyCap   *money.Dollars  // event-contract daily cap on net premium; nil when none is set
	blocked    map[string]bool // event categories its bound keys may not trade
}

// seedFCM gives the domain its starting data (exchange lock held): there
// are no FCM members until AddFCMAccount makes one.
func (x *exchange) seedFCM(now time.Time) { x.fcm.init() }

// init makes the maps (the exchange may have been made without
// seedDomains, as the engine's own tests do).
func (f *fcmState) init() {
	if f.members == nil {
		f.members = map[string]*fcmMember{}
		f.subtraders = map[string]*fcmSubtrader{}
		f.boundKeys = map[string]string{}
	}
}

// maxSubtraderSuffix is the longest subtrader suffix Kalshi accepts.
const maxSubtraderSuffix = 16

// validSubtraderSuffix reports whether s is 1-16 ASCII letters or digits.
func validSubtraderSuffix(s string) bool {
	if len(s) == 0 || len(s) > maxSubtraderSuffix {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// createSubtrader makes member's subtrader {member}_{suffix} with an
// account of its own holding no cash (SetBalance funds it).
func (x *exchange) createSubtrader(m *fcmMember, suffix string, now time.Time) (*fcmSubtrader, error) {
	if !validSubtraderSuffix(suffix) {
		return nil, errBadRequest(fmt.Sprintf("subtrader_suffix %q must be 1-%d ASCII letters or digits", suffix, maxSubtraderSuffix))
	}
	id := m.userID + "_" + suffix
	if _, ok := x.fcm.subtraders[id]; ok {
		return nil, errSubtraderExists(id)
	}
	st := &fcmSubtrader{id: id, member: m.userID, created: now, blocked: map[string]bool{}}
	x.fcm.subtraders[id] = st
	m.subtraders = append(m.subtraders, st)
	x.ensureAccount(id, money.Zero)
	return st, nil
}

// subtraderOf returns the member's subtrader id: 403 when the ID is not
// spelled {member}_{suffix}, 404 when the member has no such subtrader.
func (x *exchange) subtraderOf(m *fcmMember, id string) (*fcmSubtrader, error) {
	owner, suffix, _ := cutLast(id, "_")
	if owner != m.userID || suffix == "" {
		return nil, errFCMForbidden(fmt.Sprintf("subtrader %q does not belong to your FCM", id))
	}
	st, ok := x.fcm.subtraders[id]
	if !ok {
		return nil, errFCMNotFound(fmt.Sprintf("subtrader %q does not exist", id))
	}
	return st, nil
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// categories returns the subtrader's blocked categories in ascending order.
func (st *fcmSubtrader) categories() []string {
	out := make([]string, 0, len(st.blocked))
	for c := range st.blocked {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// --- API keys bound to a subtrader ---

// fcmKeyBinding checks the fcm_subtrader_id of a CreateApiKey or
// GenerateApiKey body of userID: only FCM members may bind a key, only to
// a subtrader of their own, and not together with a subaccount. It
// returns the subtrader to bind the key to ("" for none: an absent or
// empty fcm_subtrader_id) and the warning Kalshi gives when that
// subtrader lacks a daily cap.
func (s *Server) fcmKeyBinding(userID string, subtraderID *string, subaccount *int) (bind string, warning *string, err error) {
	if subtraderID == nil || *subtraderID == "" {
		return "", nil, nil
	}
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, ok := x.fcm.members[userID]
	if !ok {
		return "", nil, errFCMForbidden("fcm_subtrader_id is for FCM members only")
	}
	if subaccount != nil {
		return "", nil, errBadRequest("fcm_subtrader_id and subaccount exclude each other")
	}
	st, err := x.subtraderOf(m, *subtraderID)
	if err != nil {
		if e, ok := err.(*apiError); ok && e.status == http.StatusNotFound {
			return "", nil, errBadRequest(fmt.Sprintf("fcm_subtrader_id %q is not one of your subtraders", *subtraderID))
		}
		return "", nil, err
	}
	if st.dailyCap == nil {
		warning = ptr(fmt.Sprintf("subtrader %s has no event-contract daily cap: the key cannot place orders until one is set", st.id))
	}
	return st.id, warning, nil
}

// bindFCMKey records that keyID is bound to subtraderID (nothing when
// subtraderID is empty).
func (s *Server) bindFCMKey(keyID, subtraderID string) {
	if subtraderID == "" {
		return
	}
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	s.x.fcm.init()
	s.x.fcm.boundKeys[keyID] = subtraderID
}

// fcmKeySubtrader returns the subtrader keyID is bound to, or "".
func (s *Server) fcmKeySubtrader(keyID string) string {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	return s.x.fcm.boundKeys[keyID]
}

// --- public API ---

// AddFCMAccount registers keyID for a new account of its own holding
// balance, as AddAccount does, and makes that account an FCM (futures
// commission merchant) member: its keys may call the fcm endpoints, create
// subtraders ({userID}_{suffix}, each trading as an account of its own,
// which starts with no cash: fund it with SetBalance) and bind API keys
// to them. It returns the member's user ID, and panics as AddAccount does.
func (s *Server) AddFCMAccount(keyID string, pub crypto.PublicKey, balance money.Dollars) (userID string) {
	userID = s.AddAccount(keyID, pub, balance)
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	s.x.fcm.init()
	s.x.fcm.members[userID] = &fcmMember{userID: userID}
	return userID
}

// PlaceSubtraderOrder places an order for an FCM subtrader, as Kalshi
// takes one over FIX: its REST API has no way to order for a subtrader,
// and refuses keys bound to one. keyID names the session's API key.
//
// A key bound to a subtrader (CreateApiKey or GenerateApiKey with
// fcm_subtrader_id) orders for that subtrader; subtraderID must then be
// empty or the same. The subtrader's risk controls apply: without an
// event-contract daily cap it cannot order at all, an order whose
// worst-case net premium would take the day's utilization past the cap is
// refused with event_contract_daily_cap_exceeded, and an order in a market
// of a blocked category is refused with category_blocked.
//
// An unbound key of an FCM member orders for subtraderID, one of the
// member's subtraders, without those controls: Kalshi says orders the FCM
// submits for a subtrader through its own keys are not affected by them.
//
// Otherwise the order is taken as CreateOrderV2 takes one (same checks,
// matching, fills, positions and WebSocket messages), for the subtrader's
// own account. Errors are Kalshi's error codes.
func (s *Server) PlaceSubtraderOrder(keyID, subtraderID string, order gen.CreateOrderV2Request) (*gen.CreateOrderV2Response, error) {
	key, ok := s.keys.get(keyID)
	if !ok {
		return nil, errAuth("NOT_FOUND")
	}
	switch order.Side {
	case "bid", "ask":
	default:
		return nil, errInvalidOrder(fmt.Sprintf("side %q must be bid or ask", order.Side))
	}
	switch order.TimeInForce {
	case "fill_or_kill", "good_till_canceled", "immediate_or_cancel":
	default:
		return nil, errInvalidOrder(fmt.Sprintf("time_in_force %q must be fill_or_kill, good_till_canceled or immediate_or_cancel", order.TimeInForce))
	}
	switch order.SelfTradePreventionType {
	case "", "taker_at_cross", "maker":
	default:
		return nil, errInvalidOrder(fmt.Sprintf("self_trade_prevention_type %q must be taker_at_cross or maker", order.SelfTradePreventionType))
	}
	if order.Subaccount != nil && *order.Subaccount != 0 {
		return nil, errInvalidOrder("a subtrader has no subaccounts")
	}
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	m, ok := x.fcm.members[key.userID]
	if !ok {
		return nil, errFCMForbidden("only FCM members order for subtraders")
	}
	bound := x.fcm.boundKeys[keyID]
	if bound != "" {
		if subtraderID != "" && subtraderID != bound {
			return nil, errFCMForbidden(fmt.Sprintf("the key is bound to subtrader %s", bound))
		}
		subtraderID = bound
	}
	if subtraderID == "" {
		return nil, errBadRequest("subtraderID is required with a key not bound to a subtrader")
	}
	st, err := x.subtraderOf(m, subtraderID)
	if err != nil {
		return nil, err
	}
	req := orderRequestOf(st.id, order)
	if bound != "" {
		if err := x.fcmRiskCheck(st, req, now); err != nil {
			return nil, err
		}
	}
	pl, err := x.placeLocked(req, now)
	if err != nil {
		return nil, err
	}
	out := createResponse(pl)
	return &out, nil
}

// --- errors ---

// errFCMForbidden is the 403 of a caller that may not do what it asked:
// not an FCM member, a subtrader of another member, a key bound to a
// subtrader where such keys are refused.
func errFCMForbidden(details string) *apiError {
	return &apiError{status: http.StatusForbidden, code: "forbidden", message: "forbidden", details: details}
}

func errFCMNotFound(details string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", message: "not found", details: details}
}

func errSubtraderExists(id string) *apiError {
	return &apiError{status: http.StatusConflict, code: "subtrader_already_exists", message: "subtrader already exists", details: id}
}
