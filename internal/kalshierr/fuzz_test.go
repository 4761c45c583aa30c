package kalshierr

import (
	"testing"
	"unicode/utf8"
)

// Any body a server (or something in between) sends is read without a
// panic into a short, valid line.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"error":{"code":"not_found","message":"m","details":{"a":1}}}`,
		`{"code":"bad_request","message":"bad"}`, `{"msg":"limit"}`, `{"error":"x"}`,
		`<html><title>502</title></html>`, `<<<>>>`, "", "\x00\xff",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := Parse(500, []byte(body))
		if got.Message == "" && got.Code == "" {
			t.Errorf("Parse(%q) says nothing", body)
		}
		s := Summary([]byte(body))
		if len(s) > 210 {
			t.Errorf("Summary(%q) is %d bytes", body, len(s))
		}
		if utf8.ValidString(body) && !utf8.ValidString(s) {
			t.Errorf("Summary(%q) = %q is not valid UTF-8", body, s)
		}
	})
}
