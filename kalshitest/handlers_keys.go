package kalshitest

import (
	"net/http"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/signing"
)

func (h *handlers) GetAPIKeys(w http.ResponseWriter, r *http.Request, p gen.GetAPIKeysParams) {
	out := gen.GetAPIKeysResponse{APIKeys: []gen.APIKey{}}
	for _, k := range h.s.keys.list(userOf(r)) {
		bound := h.s.fcmKeySubtrader(k.id) // FCM subtrader binding (fcm.go)
		if p.FCMSubtraderID != nil && *p.FCMSubtraderID != "" && bound != *p.FCMSubtraderID {
			continue
		}
		scopes := make([]gen.APIKeyScope, len(k.scopes))
		for i, s := range k.scopes {
			scopes[i] = gen.APIKeyScope(s)
		}
		key := gen.APIKey{APIKeyID: k.id, Name: k.name, Scopes: scopes, Subaccount: k.subaccount}
		if bound != "" {
			key.FCMSubtraderID = ptr(bound)
		}
		out.APIKeys = append(out.APIKeys, key)
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateAPIKey registers the user's own public key; the new key can sign
// the very next request.
func (h *handlers) CreateAPIKey(w http.ResponseWriter, r *http.Request) {
	var req gen.CreateAPIKeyRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	// the binding first: it refuses a subtrader and a subaccount together
	bind, warning, err := h.s.fcmKeyBinding(userOf(r), req.FCMSubtraderID, req.Subaccount) // fcm.go
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.checkNewKeySubaccount(r, req.Subaccount); err != nil {
		writeError(w, err)
		return
	}
	pub, err := signing.ParsePublicKey([]byte(req.PublicKey))
	if err != nil {
		writeError(w, errBadRequest("public_key: "+err.Error()))
		return
	}
	id := h.newKey(r, req.Name, req.Scopes, req.Subaccount, pub)
	h.s.bindFCMKey(id, bind)
	writeJSON(w, http.StatusCreated, gen.CreateAPIKeyResponse{APIKeyID: id, Warning: warning})
}

// GenerateAPIKey makes a key pair of the requested type (RSA unless
// key_type says ed25519) and returns the private key PEM, PKCS#1 for RSA
// and PKCS#8 for Ed25519, as Kalshi does.
func (h *handlers) GenerateAPIKey(w http.ResponseWriter, r *http.Request) {
	var req gen.GenerateAPIKeyRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	// the binding first: it refuses a subtrader and a subaccount together
	bind, warning, err := h.s.fcmKeyBinding(userOf(r), req.FCMSubtraderID, req.Subaccount) // fcm.go
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.checkNewKeySubaccount(r, req.Subaccount); err != nil {
		writeError(w, err)
		return
	}
	typ := gen.APIKeyType("rsa")
	alg := signing.RSA
	if req.KeyType != nil && *req.KeyType == "ed25519" {
		typ, alg = "ed25519", signing.Ed25519
	}
	key, privPEM, _, err := signing.GenerateKey(alg)
	if err != nil {
		writeError(w, errInternal("generating the key: "+err.Error()))
		return
	}
	id := h.newKey(r, req.Name, req.Scopes, req.Subaccount, key.Public())
	h.s.bindFCMKey(id, bind)
	writeJSON(w, http.StatusCreated, gen.GenerateAPIKeyResponse{APIKeyID: id, KeyType: &typ, PrivateKey: string(privPEM), Warning: warning})
}

func (h *handlers) newKey(r *http.Request, name string, scopes *[]gen.APIKeyScope, sub *int, pub any) string {
	x := h.s.x
	x.mu.Lock()
	id := x.newID()
	x.mu.Unlock()
	k := &apiKey{id: id, userID: userOf(r), name: name, pub: pub, scopes: []string{"read", "write"}, subaccount: sub, created: h.s.clock()}
	if scopes != nil && len(*scopes) > 0 {
		k.scopes = k.scopes[:0]
		for _, s := range *scopes {
			k.scopes = append(k.scopes, string(s))
		}
	}
	h.s.keys.add(k)
	return id
}

func (h *handlers) DeleteAPIKey(w http.ResponseWriter, r *http.Request, apiKey string) {
	if !h.s.keys.remove(userOf(r), apiKey) {
		writeError(w, errNotFound())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
