package kalshi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// BodyLimits caps how much of an answer the client reads, so that an
// endless or runaway body ends in an error instead of filling memory.
type BodyLimits struct {
	// Success caps a 2xx body. Past it the call fails with
	// ErrResponseTooLarge. 0 means the default, 64 MiB: far above
	// Kalshi's largest page (1,000 markets is about 2.3 MB).
	Success int64
	// Error caps any other body; the rest is not read, and the
	// *APIError is made from what was (its Body ends there). 0 means the
	// default, 1 MiB.
	Error int64
}

// The default body limits.
const (
	DefaultSuccessBodyLimit = 64 << 20
	DefaultErrorBodyLimit   = 1 << 20
)

// ErrResponseTooLarge matches a call whose 2xx answer was larger than
// BodyLimits.Success. It is not retried.
var ErrResponseTooLarge = errors.New("kalshi: response too large")

func (l BodyLimits) withDefaults() BodyLimits {
	if l.Success <= 0 {
		l.Success = DefaultSuccessBodyLimit
	}
	if l.Error <= 0 {
		l.Error = DefaultErrorBodyLimit
	}
	return l
}

// apply bounds resp's body as the retry layer receives it. Error bodies
// are read whole (up to the limit) so the error mapper and the generated
// parsers see them; for the typed methods the success body is read whole
// too, within the attempt, into st.body. Other success bodies stream
// through a reader that fails past the limit. A failure to read is the
// attempt's error.
func (l BodyLimits) apply(resp *http.Response, st *callState) error {
	st.buffered, st.body = false, nil
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if success && !st.buffer {
		resp.Body = &limitedBody{ReadCloser: resp.Body, left: l.Success}
		return nil
	}
	limit := l.Success
	if !success {
		limit = l.Error
	}
	body, over, err := readUpTo(resp.Body, resp.ContentLength, limit)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("reading the %d answer: %w", resp.StatusCode, err)
	}
	if over && success {
		return fmt.Errorf("%w: the %d answer is larger than %d bytes (BodyLimits.Success)", ErrResponseTooLarge, resp.StatusCode, limit)
	}
	if !success && strings.Contains(resp.Header.Get("Content-Type"), "json") && !json.Valid(body) {
		// A proxy's HTML page sent as JSON: say what it is, so the
		// generated parsers do not fail on it and the error mapper reads
		// it as text.
		resp.Header = resp.Header.Clone()
		resp.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	st.buffered, st.body = true, body
	return nil
}

// readUpTo reads r to its end or to limit bytes, whichever comes first;
// over reports that there was more. size is the announced length, -1 if
// unknown.
//
// It allocates the body once when its length is announced (a hint only:
// a hand-made response may not say, or say 0), and otherwise reads it in
// chunks joined at the end, so a body costs about twice its size at most,
// never the doubling of a growing buffer.
func readUpTo(r io.Reader, size, limit int64) (body []byte, over bool, err error) {
	r = io.LimitReader(r, limit+1)
	if size > 0 && size <= limit {
		body = takeBuffer(int(size))
		n, err := io.ReadFull(r, body)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return body[:n], false, nil
		}
		if err != nil {
			return nil, false, err
		}
		var extra [1]byte
		if n, _ := r.Read(extra[:]); n == 0 {
			return body, false, nil
		}
		// Longer than announced: read the rest the other way.
		rest, _, err := readUpTo(r, -1, limit)
		if err != nil {
			return nil, false, err
		}
		body = append(append(body, extra[0]), rest...)
		if int64(len(body)) > limit {
			return body[:limit], true, nil
		}
		return body, false, nil
	}
	// Chunks start small (most answers are a few hundred bytes) and
	// double, so a large body takes few reads and little copying.
	chunkSize := 1 << 10
	var chunks [][]byte
	total := int64(0)
	for ; ; chunkSize = min(2*chunkSize, 1<<20) {
		chunk := make([]byte, chunkSize)
		n, err := io.ReadFull(r, chunk)
		if n > 0 {
			chunks = append(chunks, chunk[:n])
			total += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
	}
	if len(chunks) == 1 {
		body = chunks[0]
	} else {
		body = make([]byte, 0, total)
		for _, c := range chunks {
			body = append(body, c...)
		}
	}
	if total > limit {
		return body[:limit], true, nil
	}
	return body, false, nil
}

// limitedBody fails with ErrResponseTooLarge once more than left bytes
// have been read.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrResponseTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), fmt.Errorf("%w: the answer is larger than the body limit (BodyLimits.Success)", ErrResponseTooLarge)
	}
	return n, err
}

// bodyBuffers keeps the buffers of answers that were decoded and are no
// longer referenced (the decoder copies what it keeps), so that a bot
// polling large pages reuses them instead of allocating megabytes a call.
var bodyBuffers sync.Pool

// maxPooledBuffer is the largest buffer kept for reuse.
const maxPooledBuffer = 16 << 20

// takeBuffer returns a buffer of length n, reused when one is at hand.
func takeBuffer(n int) []byte {
	if p, ok := bodyBuffers.Get().(*[]byte); ok {
		if cap(*p) >= n {
			return (*p)[:n]
		}
		bodyBuffers.Put(p) // too small for this one; keep it for another
	}
	return make([]byte, n)
}

// releaseBuffer gives back a body nothing refers to any more.
func releaseBuffer(b []byte) {
	if cap(b) == 0 || cap(b) > maxPooledBuffer {
		return
	}
	b = b[:0]
	bodyBuffers.Put(&b)
}
