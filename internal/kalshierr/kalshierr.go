// Package kalshierr reads Kalshi's error bodies and says what to do about
// the usual authentication failures: the one reading shared by the REST
// client's *APIError and the WebSocket handshake's error.
package kalshierr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fields are what an error body says.
type Fields struct {
	Code    string // Kalshi's error code, e.g. "authentication_error"
	Message string // its message, or a summary of a body that is not Kalshi's JSON
	Details string // extra detail, e.g. "INCORRECT_API_KEY_SIGNATURE"
	Service string // the Kalshi service that answered, when given
}

// errorBody covers the three shapes of Kalshi's error bodies:
// {"error":{"code","message","details","service"}}, the same fields flat,
// and {"msg":"..."}; "error" may also be a bare string.
type errorBody struct {
	Error   json.RawMessage `json:"error"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
	Service string          `json:"service"`
	Msg     string          `json:"msg"`
}

type errorFields struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details"`
	Service string          `json:"service"`
}

// Parse reads an error body in any of Kalshi's shapes. A body that is not
// one of them (a proxy's HTML page, say) is summarized as the Message; an
// empty one gives the status text.
func Parse(status int, body []byte) Fields {
	var f Fields
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		switch {
		case len(eb.Error) > 0 && eb.Error[0] == '{':
			var ef errorFields
			_ = json.Unmarshal(eb.Error, &ef)
			f = Fields{ef.Code, ef.Message, rawText(ef.Details), ef.Service}
		case len(eb.Error) > 0 && eb.Error[0] == '"':
			_ = json.Unmarshal(eb.Error, &f.Message)
		case eb.Code != "" || eb.Message != "":
			f = Fields{eb.Code, eb.Message, rawText(eb.Details), eb.Service}
		case eb.Msg != "":
			f.Message = eb.Msg
		}
		if f.Code != "" || f.Message != "" {
			return f
		}
	}
	f.Message = Summary(trimmed)
	if f.Message == "" {
		f.Message = http.StatusText(status)
	}
	return f
}

// rawText turns a details value into text: strings as they are, anything
// else as its JSON.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// AuthHint says what to do about a refused signature or key, from the
// status, code and details of Kalshi's answer; "" when the cause is not
// one it knows.
func AuthHint(status int, code, details string) string {
	switch {
	case status == http.StatusUnauthorized && details == "NOT_FOUND":
		return "the API key ID is unknown to this environment: keys work only in the environment (demo or prod) that created them; check the environment and the key ID"
	case details == "INCORRECT_API_KEY_SIGNATURE":
		return "the signature did not verify: check that the private key belongs to this API key ID"
	case code == "header_timestamp_expired":
		return "the request timestamp was refused as stale: check this machine's clock (NTP)"
	case code == "signature_is_missing_from_headers":
		return "the request was not signed: configure a signer (WithSigner, or KALSHI_API_KEY_ID with KALSHI_PRIVATE_KEY)"
	}
	return ""
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// Summary gives a short readable line for a body that is not one of
// Kalshi's JSON shapes, such as a proxy's HTML error page: its title, or
// its text without tags, spaces collapsed, at most 200 bytes.
func Summary(body []byte) string {
	if len(body) > 8<<10 {
		body = body[:8<<10] // the first lines say what it is
	}
	if m := htmlTitle.FindSubmatch(body); m != nil {
		body = m[1]
	}
	var b strings.Builder
	inTag, space := false, false
	for _, r := range string(body) {
		switch {
		case r == '<':
			inTag, space = true, true
		case r == '>' && inTag:
			inTag = false
		case inTag:
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
		if b.Len() > 200 {
			s := b.String()
			cut := 200
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut-- // never split a character
			}
			return s[:cut] + "..."
		}
	}
	return b.String()
}
