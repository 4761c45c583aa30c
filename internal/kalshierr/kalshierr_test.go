package kalshierr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseEveryShape(t *testing.T) {
	for _, tc := range []struct {
		body string
		want Fields
	}{
		{`{"error":{"code":"not_found","message":"order not found","details":"x","service":"exchange"}}`, Fields{"not_found", "order not found", "x", "exchange"}},
		{`{"code":"bad_request","message":"bad","details":{"field":"count"}}`, Fields{"bad_request", "bad", `{"field":"count"}`, ""}},
		{`{"msg":"limit must be at most 1000"}`, Fields{Message: "limit must be at most 1000"}},
		{`{"error":"too many requests"}`, Fields{Message: "too many requests"}},
		{`<html><head><title>502 Bad Gateway</title></head></html>`, Fields{Message: "502 Bad Gateway"}},
		{`<p>upstream   <b>timed</b>
out</p>`, Fields{Message: "upstream timed out"}},
		{``, Fields{Message: "Unauthorized"}},
	} {
		if got := Parse(401, []byte(tc.body)); got != tc.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.body, got, tc.want)
		}
	}
}

func TestSummaryIsShort(t *testing.T) {
	s := Summary([]byte(strings.Repeat("word ", 10000)))
	if len(s) > 210 || !strings.HasSuffix(s, "...") {
		t.Errorf("a long body is cut to about 200 bytes: %d %q", len(s), s[len(s)-10:])
	}
}

func TestAuthHint(t *testing.T) {
	for _, tc := range []struct {
		status        int
		code, details string
		contains      string
	}{
		{401, "authentication_error", "NOT_FOUND", "environment"},
		{401, "authentication_error", "INCORRECT_API_KEY_SIGNATURE", "private key"},
		{401, "header_timestamp_expired", "", "clock"},
		{401, "signature_is_missing_from_headers", "", "signer"},
		{400, "bad_request", "", ""},
	} {
		h := AuthHint(tc.status, tc.code, tc.details)
		if (tc.contains == "") != (h == "") || !strings.Contains(h, tc.contains) {
			t.Errorf("AuthHint(%d, %q, %q) = %q, want it to mention %q", tc.status, tc.code, tc.details, h, tc.contains)
		}
	}
}

func TestSummaryNeverSplitsACharacter(t *testing.T) {
	s := Summary([]byte(strings.Repeat("é", 300)))
	if !utf8.ValidString(s) {
		t.Errorf("%q is not valid UTF-8", s)
	}
}
