package connector

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-11-27", "2026-11-27"},
		{"27/11/2026", "2026-11-27"},
		{"7/1/2026", "2026-01-07"},
		{" 2026-11-27T10:00:00+01:00 ", "2026-11-27"},
		{"27-11-2026", ""},
		{"hier", ""},
		{"31/02/2026", ""},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
