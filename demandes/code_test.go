package demandes

import (
	"errors"
	"strings"
	"testing"
)

func testCodes(t testing.TB) *Codes {
	t.Helper()
	cs, err := NewCodes("MTC", []byte("a server secret of some length"))
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestCodesNoCollisionAndCheckPart(t *testing.T) {
	cs := testCodes(t)
	seen := map[string]bool{}
	checks := map[string]int{}
	for n := int64(1); n <= 20000; n++ {
		c := cs.Make(2026, n).String()
		if seen[c] {
			t.Fatalf("code %s made twice", c)
		}
		seen[c] = true
		checks[c[len(c)-4:]]++
		if got, err := cs.Parse(c); err != nil || got.String() != c {
			t.Fatalf("Parse(%s) = %v, %v", c, got, err)
		}
	}
	// The check part spreads: no value is much more frequent than chance.
	for ch, n := range checks {
		if n > 8 {
			t.Errorf("check part %s given to %d numbers of 20,000", ch, n)
		}
	}
	// Another secret, other check parts: the codes cannot be made without it.
	other, _ := NewCodes("MTC", []byte("another secret, just as long"))
	if other.Make(2026, 123).Check == cs.Make(2026, 123).Check && other.Make(2026, 124).Check == cs.Make(2026, 124).Check {
		t.Error("the check part does not depend on the secret")
	}
}

func TestCodeRefusesAChangedCharacter(t *testing.T) {
	cs := testCodes(t)
	c := cs.Make(2026, 123).String() // MTC-2026-000123-XXXX
	for i, r := range c {
		if r == '-' || i < 4 {
			continue
		}
		for _, repl := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
			if repl == r {
				continue
			}
			changed := c[:i] + string(repl) + c[i+1:]
			if _, err := cs.Parse(changed); err == nil {
				// One in 2^20 per try: 14 positions × 31 values never should.
				t.Errorf("%s (from %s) accepted", changed, c)
			}
		}
	}
}

func TestParseSpellings(t *testing.T) {
	cs := testCodes(t)
	c := cs.Make(2026, 123)
	canon := c.String()
	ch := c.Check
	tests := []string{
		canon,
		strings.ToLower(canon),
		"MTC 2026 000123 " + ch,
		"MTC2026000123" + ch,
		"mtc2026000123" + strings.ToLower(ch),
		"MTC-2026-123-" + ch,
		"MTC-2O26-OOO123-" + ch,
		"MTC.2026.000123." + ch,
		"  MTC-2026-000123" + ch + " ",
		"MTC - 2026 - 000I23 - " + ch,
	}
	for _, typed := range tests {
		got, err := cs.Parse(typed)
		if err != nil || got.String() != canon {
			t.Errorf("Parse(%q) = %v, %v; want %s", typed, got, err, canon)
		}
	}
	for _, bad := range []string{"", "MTC", "MTC-2026-000123-K", "bonjour", "MTC-20266-000123-" + ch, "MTC-2026-0000000000123-" + ch} {
		if _, err := cs.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := cs.Parse("MTC-2026-000124-" + ch); !errors.Is(err, ErrCodeCheck) && !errors.Is(err, ErrCodeFormat) {
		t.Errorf("a neighbour's number with this check part: %v", err)
	}
}

func TestFindInMessage(t *testing.T) {
	cs := testCodes(t)
	canon := cs.Make(2026, 123).String()
	tests := []struct {
		text, want string
	}{
		{"où en est ma demande " + canon + " ?", canon},
		{"bjr c koi le statut de " + strings.ToLower(strings.ReplaceAll(canon, "-", " ")) + " svp", strings.ToLower(strings.ReplaceAll(canon, "-", " "))},
		{"ma demande MTC-2026-000123-K", "MTC-2026-000123-K"},
		{"le 12 mai 2026 à 14h", ""},
		{"quels sont les horaires de la mairie", ""},
	}
	for _, tt := range tests {
		got, _ := cs.Find(tt.text)
		if got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	cs := testCodes(f)
	f.Add(cs.Make(2026, 1).String())
	f.Add("mtc 2o26 12 abcd")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := cs.Parse(s)
		if err == nil {
			if again, err := cs.Parse(c.String()); err != nil || again != c {
				t.Errorf("%q reads as %s, which does not read back: %v", s, c, err)
			}
		}
	})
}
