package ws

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Envelope is the part every frame shares: {"type", "id", "sid", "seq", "msg"}. Every message
// type embeds it; Header gives access to it through the Message interface.
type Envelope struct {
	// Type is the frame's "type" ("orderbook_delta", "subscribed", ...).
	Type string
	// ID is the id of the command this frame answers, 0 if none.
	ID int64
	// SID is the subscription the frame belongs to, 0 if none. For "subscribed" replies the
	// new sid is in the message body (Subscribed.SID), as Kalshi sends it.
	SID int64
	// Seq is the frame's position in its subscription's sequence, 0 on unsequenced channels.
	Seq int64
	// Warnings lists fields of the frame that could not be decoded into their Go type and were
	// left zero (for example a number where text was expected). Decode never fails for them.
	Warnings []error
}

// Header returns the envelope itself, so that every message type satisfies Message.
func (e *Envelope) Header() *Envelope { return e }

// Message is any message a subscription delivers: a decoded Kalshi frame (*OrderbookDelta,
// *Ticker, ..., *RawMessage for types this package does not know) or one of the client's own
// events (*Gap, *Resubscribed). Use a type switch to tell them apart.
type Message interface {
	// Header returns the message's envelope: type, sid, seq and warnings.
	Header() *Envelope
}

// ErrNotObject is returned (wrapped) by Decode for a frame that is not a JSON object.
var ErrNotObject = errors.New("ws: frame is not a JSON object")

// wireEnvelope is the frame as it arrives, before the body is typed.
type wireEnvelope struct {
	Type string          `json:"type"`
	ID   int64           `json:"id"`
	SID  int64           `json:"sid"`
	Seq  int64           `json:"seq"`
	Msg  json.RawMessage `json:"msg"`
}

// Decode parses one WebSocket frame into its typed message. Frames of a type this package does
// not know, and frames whose body is not an object where one is expected, come back as
// *RawMessage, never as an error; fields that drifted from the documented types are left zero
// and listed in Envelope.Warnings. Decode fails only when the frame is not a JSON object.
func Decode(frame []byte) (Message, error) {
	if m, ok := decodeDeltaFast(frame); ok {
		return m, nil
	}
	return decodeGeneral(frame)
}

// decodeGeneral is Decode without the orderbook_delta fast path.
func decodeGeneral(frame []byte) (Message, error) {
	var env wireEnvelope
	warnings, err := decodeInto(frame, &env)
	if err != nil || !isObject(frame) {
		return nil, fmt.Errorf("%w: %w", ErrNotObject, errOrInvalid(err, frame))
	}
	m := newMessage(env.Type)
	if m == nil {
		return &RawMessage{Envelope: envelopeOf(env, warnings), Msg: cloneRaw(env.Msg)}, nil
	}
	bodyWarnings, err := decodeBody(env.Type, env.Msg, m)
	if err != nil {
		return &RawMessage{Envelope: envelopeOf(env, append(warnings, err)), Msg: cloneRaw(env.Msg)}, nil
	}
	setEnvelope(m, envelopeOf(env, append(warnings, bodyWarnings...)))
	return m, nil
}

// DecodeMsg decodes the body ("msg") of a frame whose type is known from elsewhere, for
// recordings that kept only the body. An unknown type gives a *RawMessage.
func DecodeMsg(typ string, msg []byte) (Message, error) {
	m := newMessage(typ)
	if m == nil {
		return &RawMessage{Envelope: Envelope{Type: typ}, Msg: cloneRaw(msg)}, nil
	}
	warnings, err := decodeBody(typ, msg, m)
	if err != nil {
		return nil, err
	}
	setEnvelope(m, Envelope{Type: typ, Warnings: warnings})
	return m, nil
}

func decodeBody(typ string, msg json.RawMessage, m Message) ([]error, error) {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || string(msg) == "null" {
		return nil, nil
	}
	if u, ok := m.(json.Unmarshaler); ok {
		// Types with their own decoding (list replies, legacy-field repair) are lenient
		// internally; an error means the body has the wrong shape altogether.
		if err := u.UnmarshalJSON(msg); err != nil {
			return nil, fmt.Errorf("ws: %s body: %w", typ, err)
		}
		return nil, nil
	}
	w, err := decodeInto(msg, m)
	if err != nil {
		return nil, fmt.Errorf("ws: %s body: %w", typ, err)
	}
	if f, ok := m.(legacyFixer); ok {
		f.fixLegacy(msg)
	}
	return w, nil
}

// legacyFixer is implemented by messages whose older form carried cent or integer fields
// instead of the fixed-point ones; fixLegacy fills fields the body left unset from them.
type legacyFixer interface {
	fixLegacy(msg []byte)
}

// setEnvelope stores env in m, keeping warnings the body's own decoder recorded.
func setEnvelope(m Message, env Envelope) {
	h := m.Header()
	w := append(env.Warnings, h.Warnings...)
	*h = env
	h.Warnings = nil
	if len(w) > 0 {
		h.Warnings = w
	}
}

func envelopeOf(env wireEnvelope, warnings []error) Envelope {
	if len(warnings) == 0 {
		warnings = nil
	}
	return Envelope{Type: env.Type, ID: env.ID, SID: env.SID, Seq: env.Seq, Warnings: warnings}
}

func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{'
}

func errOrInvalid(err error, frame []byte) error {
	if err != nil {
		return err
	}
	n := min(len(frame), 40)
	return fmt.Errorf("starts with %q", frame[:n])
}

func cloneRaw(b json.RawMessage) json.RawMessage {
	if b == nil {
		return nil
	}
	return bytes.Clone(b)
}

// Encode renders a message as the frame Kalshi sends: {"type","id","sid","seq","msg"}, with
// id, sid and seq left out when zero. It is the inverse of Decode for every Kalshi message
// type, so a fake exchange can build frames from the same types. The client's own events
// (*Gap, *Resubscribed) are not frames and give an error.
func Encode(m Message) ([]byte, error) {
	h := m.Header()
	if isLocalType(h.Type) {
		return nil, fmt.Errorf("ws: %s is a client event, not a Kalshi frame", h.Type)
	}
	typ := h.Type
	if typ == "" {
		typ = defaultType(m)
	}
	if typ == "" {
		return nil, errors.New("ws: message has no type")
	}
	b := []byte(`{"type":`)
	b = strconv.AppendQuote(b, typ)
	if h.ID != 0 {
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, h.ID, 10)
	}
	if h.SID != 0 {
		b = append(b, `,"sid":`...)
		b = strconv.AppendInt(b, h.SID, 10)
	}
	if h.Seq != 0 {
		b = append(b, `,"seq":`...)
		b = strconv.AppendInt(b, h.Seq, 10)
	}
	var body []byte
	switch v := m.(type) {
	case *RawMessage:
		body = v.Msg
	case *Unsubscribed:
	default:
		var err error
		if body, err = json.Marshal(m); err != nil {
			return nil, fmt.Errorf("ws: encode %s: %w", typ, err)
		}
	}
	if len(body) > 0 {
		b = append(b, `,"msg":`...)
		b = append(b, body...)
	}
	return append(b, '}'), nil
}
