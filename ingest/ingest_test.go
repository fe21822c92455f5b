package ingest

import (
	"errors"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	s := NewService(Config{MaxRunes: 10}, nil, nil, nil)
	tests := []struct {
		in, want string
		err      error
	}{
		{"  bonjour\x00\x07 ", "bonjour", nil},
		{"a\nb\tc", "a b c", nil},
		{"cafe\u0301", "caf\u00e9", nil}, // NFC
		{"   ", "", ErrEmpty},
		{"\xff\xfe", "", ErrInvalidText},
		{strings.Repeat("é", 11), "", ErrTooLong},
		{strings.Repeat("é", 10), strings.Repeat("é", 10), nil},
	}
	for _, tt := range tests {
		got, err := s.Clean(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want {
			t.Errorf("Clean(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	var tl *TooLongError
	if _, err := s.Clean(strings.Repeat("x", 25)); !errors.As(err, &tl) || tl.Runes != 25 || tl.Max != 10 {
		t.Errorf("TooLongError = %+v", tl)
	}
}
