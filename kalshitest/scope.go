package kalshitest

import (
	"fmt"
	"net/http"
)

// An API key may be restricted to one subaccount (the subaccount field of
// CreateApiKey and GenerateApiKey): it then reads and trades only there,
// and cannot transfer cash or create subaccounts. These helpers apply that
// restriction to a request.

// keySubaccount returns the subaccount the request's key is restricted
// to, or nil for a key of the whole account.
func keySubaccount(r *http.Request) *int {
	if k, ok := callerKey(r); ok {
		return k.subaccount
	}
	return nil
}

// errForbidden refuses a request the key may not make.
func errForbidden(details string) *apiError {
	return &apiError{status: http.StatusForbidden, code: "forbidden", message: "forbidden", details: details}
}

// errKeyRestricted refuses a request for another subaccount than the
// key's own.
func errKeyRestricted(keySub int) *apiError {
	return errForbidden(fmt.Sprintf("this API key is restricted to subaccount %d", keySub))
}

// scopedSubaccount resolves a request's subaccount parameter: for a key
// restricted to a subaccount, that subaccount when the parameter is
// omitted and 403 when it names another; otherwise the parameter as given
// (nil when omitted, for the operation's own default) after a range check.
func scopedSubaccount(r *http.Request, param *int) (*int, error) {
	if param != nil && (*param < 0 || *param > maxSubaccount) {
		return nil, errParam(fmt.Sprintf("subaccount must be 0 (the primary account) to %d, got %d", maxSubaccount, *param))
	}
	ks := keySubaccount(r)
	if ks == nil {
		return param, nil
	}
	if param != nil && *param != *ks {
		return nil, errKeyRestricted(*ks)
	}
	return ks, nil
}

// scopedOrPrimary is scopedSubaccount for parameters that default to the
// primary account.
func scopedOrPrimary(r *http.Request, param *int) (int, error) {
	sub, err := scopedSubaccount(r, param)
	if err != nil || sub == nil {
		return 0, err
	}
	return *sub, nil
}

// bodySubaccount is the subaccount a request body (an order's, say) acts
// for: the one it names, else the key's own, else the primary account. A
// key restricted to a subaccount may name only its own.
func bodySubaccount(r *http.Request, body *int) (int, error) {
	ks := keySubaccount(r)
	switch {
	case ks != nil && body != nil && *body != *ks:
		return 0, errKeyRestricted(*ks)
	case ks != nil:
		return *ks, nil
	case body != nil:
		return *body, nil
	}
	return 0, nil
}

// refuseRestrictedKey refuses account-wide changes (transfers, new
// subaccounts, settings) to keys restricted to a subaccount.
func refuseRestrictedKey(r *http.Request, what string) error {
	if ks := keySubaccount(r); ks != nil {
		return errForbidden(fmt.Sprintf("this API key is restricted to subaccount %d and cannot %s", *ks, what))
	}
	return nil
}

// orderInScope answers not_found for an order of another subaccount than
// the key's own, as if it did not exist. An order's subaccount never
// changes, so the check holds for the request that follows it.
func (h *handlers) orderInScope(r *http.Request, orderID string) error {
	ks := keySubaccount(r)
	if ks == nil {
		return nil
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	o, err := x.lookup(userOf(r), orderID)
	if err != nil {
		return err
	}
	if o.subaccount != *ks {
		return errNotFound()
	}
	return nil
}

// checkNewKeySubaccount refuses a new API key for a subaccount the user has
// not created, and any new key asked for with a key restricted to a
// subaccount (which would undo the restriction).
func (h *handlers) checkNewKeySubaccount(r *http.Request, sub *int) error {
	if err := refuseRestrictedKey(r, "create API keys"); err != nil {
		return err
	}
	if sub == nil {
		return nil
	}
	if err := checkSubaccountNumber(*sub); err != nil {
		return err
	}
	return h.s.x.checkLedger(userOf(r), *sub)
}
