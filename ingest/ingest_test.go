package ingest

import (
	"errors"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		in, want string
		kinds    map[string]int
	}{
		{"mon mail jean.dupont@example.org merci", "mon mail [EMAIL] merci", map[string]int{KindEmail: 1}},
		{"appelez le 06 12 34 56 78 ou le 01.23.45.67.89", "appelez le [TELEPHONE] ou le [TELEPHONE]", map[string]int{KindPhone: 2}},
		{"+33 6 12 34 56 78 / 0033612345678", "[TELEPHONE] / [TELEPHONE]", map[string]int{KindPhone: 2}},
		{"ma fille a 16 ans, rue 12", "ma fille a 16 ans, rue 12", nil},
	}
	for _, tt := range tests {
		got, kinds := Redact(tt.in)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for k, n := range tt.kinds {
			if kinds[k] != n {
				t.Errorf("Redact(%q) counted %v, want %v", tt.in, kinds, tt.kinds)
			}
		}
	}
}

func FuzzRedact(f *testing.F) {
	f.Add("jean@x.fr 06 12 34 56 78")
	f.Add("+33 (0)1 23 45 67 89")
	f.Fuzz(func(t *testing.T, s string) {
		out, _ := Redact(s)
		again, counts := Redact(out)
		if again != out || len(counts) != 0 {
			t.Fatalf("redacted text still holds personal data: %q → %q (%v)", out, again, counts)
		}
	})
}

func TestClean(t *testing.T) {
	s := NewService(Config{MaxRunes: 10}, nil, nil, nil)
	tests := []struct {
		in, want string
		err      error
	}{
		{"  bonjour\x00\x07 ", "bonjour", nil},
		{"a\nb\tc", "a b c", nil},
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
	if !NewLimiter(0).Allow("x") {
		t.Error("no limit should allow")
	}
}
