package model

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// InputError is a value of the caller that does not fit a scalar; the API answers
// it with BAD_USER_INPUT.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// MarshalTime writes a time as RFC 3339 in UTC.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads an RFC 3339 time.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, &InputError{fmt.Sprintf("Date attendue au format RFC 3339 (ex. 2026-11-24T09:00:00Z), reçu %v.", v)}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, &InputError{fmt.Sprintf("Date %q illisible : format RFC 3339 attendu (ex. 2026-11-24T09:00:00Z).", s)}
	}
	return t, nil
}
