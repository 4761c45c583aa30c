package signing

import (
	"net/url"
	"strconv"
	"strings"
)

// SigningPath returns the path that Kalshi signs for a request to u: the
// escaped URL path exactly as it is written on the request line, including
// any base path such as /trade-api/v2, without the query string or fragment.
// An empty path is "/", as net/http sends it.
//
// On the client side u is the URL being requested; on the server side it is
// the incoming request's URL, which yields the same text.
func SigningPath(u *url.URL) string {
	if u.Opaque != "" {
		// net/http writes an opaque URL verbatim; "//host/path" becomes an
		// absolute-form request target whose path is the part after the host.
		p := u.Opaque
		if strings.HasPrefix(p, "//") {
			i := strings.IndexByte(p[2:], '/')
			if i < 0 {
				return "/"
			}
			p = p[2+i:]
		}
		return p
	}
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return p
}

// PreSignText returns the text that is signed for a request made at the Unix
// millisecond timestamp ms with the given method and path: the decimal
// timestamp, the method in upper case ("GET" when empty, as net/http sends
// it) and the path, concatenated. The path must already be the escaped path
// without a query, as returned by [SigningPath].
func PreSignText(ms int64, method, path string) string {
	var buf [256]byte
	return string(appendPreSign(buf[:0], ms, method, path))
}

// appendPreSign appends the pre-sign text to dst. It is the one place the
// text is built, for signing and verifying alike.
func appendPreSign(dst []byte, ms int64, method, path string) []byte {
	dst = strconv.AppendInt(dst, ms, 10)
	dst = appendMethod(dst, method)
	return append(dst, path...)
}

func appendMethod(dst []byte, method string) []byte {
	if method == "" {
		return append(dst, "GET"...)
	}
	for i := 0; i < len(method); i++ {
		c := method[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
