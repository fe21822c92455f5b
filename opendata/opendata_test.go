package opendata

import (
	"errors"
	"testing"
	"time"
)

func TestMonth(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in, last string
		ok       bool
	}{
		{"2026-02", "2026-02-28", true},
		{"2024-02", "2024-02-29", true},
		{"2026-03", "2026-03-31", true}, // the current month, so far
		{"2026-04", "", false},          // to come
		{"2026-13", "", false},
		{"2026-3", "", false},
		{"2026-03-01", "", false},
		{"1999-12", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			from, to, last, err := Month(tt.in, now)
			if !tt.ok {
				if !errors.Is(err, ErrMonth) {
					t.Errorf("Month(%q) = %v, want ErrMonth", tt.in, err)
				}
				return
			}
			if err != nil || last != tt.last || from.Day() != 1 || to.Day() != 1 || from.Hour() != 0 || from.Location().String() != "Europe/Paris" {
				t.Errorf("Month(%q) = %v, %v, %q, %v", tt.in, from, to, last, err)
			}
		})
	}
}
