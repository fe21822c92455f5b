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

func TestLimiter(t *testing.T) {
	l := NewLimiter(60) // burst of 12
	allowed := 0
	for range 50 {
		if l.Allow("1.2.3.4") {
			allowed++
		}
	}
	if allowed < 12 || allowed > 14 {
		t.Errorf("allowed %d of a burst of 50, want about 12", allowed)
	}
	if !l.Allow("5.6.7.8") {
		t.Error("another client is limited by the first one")
	}
	b := NewBurstLimiter(120, 80)
	allowed = 0
	for range 100 {
		if b.Allow("1.2.3.4") {
			allowed++
		}
	}
	if allowed < 80 || allowed > 82 {
		t.Errorf("burst limiter allowed %d of 100, want about 80", allowed)
	}
	if !NewLimiter(0).Allow("x") {
		t.Error("no limit should allow")
	}
}
