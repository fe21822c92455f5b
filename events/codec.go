package events

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/segmentio/encoding/json"
)

// ErrInvalid is wrapped by every decoding error: the event does not belong on the
// log and goes to the dead-letter topic.
var ErrInvalid = errors.New("invalid event")

// Decode decodes and checks an event: envelope fields present, known type and
// version, payload of the right shape with no unknown field.
func Decode(data []byte) (Envelope, Payload, error) {
	var e Envelope
	if err := strict(data, &e); err != nil {
		return e, nil, fmt.Errorf("events: %w: envelope: %v", ErrInvalid, err)
	}
	switch {
	case e.ID == "":
		return e, nil, fmt.Errorf("events: %w: missing id", ErrInvalid)
	case e.Type == "":
		return e, nil, fmt.Errorf("events: %w: missing type", ErrInvalid)
	case e.At.IsZero():
		return e, nil, fmt.Errorf("events: %w: missing at", ErrInvalid)
	case len(e.Payload) == 0:
		return e, nil, fmt.Errorf("events: %w: missing payload", ErrInvalid)
	}
	reg, ok := registry[e.Type]
	if !ok {
		return e, nil, fmt.Errorf("events: %w: unknown type %q", ErrInvalid, e.Type)
	}
	if e.V != reg.version {
		return e, nil, fmt.Errorf("events: %w: %s version %d not supported (want %d)", ErrInvalid, e.Type, e.V, reg.version)
	}
	p := reg.payload()
	if err := strict(e.Payload, p); err != nil {
		return e, nil, fmt.Errorf("events: %w: %s payload: %v", ErrInvalid, e.Type, err)
	}
	if e.Topic() == TopicConversations && e.ConversationID == "" {
		return e, nil, fmt.Errorf("events: %w: %s without conversation_id", ErrInvalid, e.Type)
	}
	return e, p, nil
}

// strict decodes one JSON value into v, refusing unknown fields and trailing
// data. segmentio/encoding's parser does it in one pass where encoding/json's
// Decoder scans each value twice: decoding is most of what a projector and an
// API process following the log spend on an event.
func strict(data []byte, v any) error {
	rest, err := json.Parse(data, v, json.DisallowUnknownFields)
	if err != nil {
		return withoutText(err)
	}
	if len(rest) > 0 {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// withoutText rewrites a JSON decoding error so that it quotes none of the
// input, only where it is and what was wrong: the parser quotes the bytes
// from the bad value on, which may be a citizen's message, and the error goes
// to the logs and to the dead letters' reason.
func withoutText(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Errorf("field %q: %s where %s is wanted", te.Field, jsonKind(te.Value), te.Type)
	case errors.As(err, &se):
		return fmt.Errorf("malformed JSON at byte %d", se.Offset)
	}
	return err
}

// jsonKind names the kind of a JSON value from its first bytes, as the
// parser quotes them.
func jsonKind(v string) string {
	if raw, err := strconv.Unquote(v); err == nil {
		v = raw
	}
	switch {
	case v == "":
		return "nothing"
	case v[0] == '"':
		return "a string"
	case v[0] == '{':
		return "an object"
	case v[0] == '[':
		return "an array"
	case v[0] == 't' || v[0] == 'f':
		return "a boolean"
	case v[0] == 'n':
		return "null"
	}
	return "a number"
}
