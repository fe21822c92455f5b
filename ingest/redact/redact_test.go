package redact

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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
		{"06-12-34-56-78, 0612345678 et +33 (0)6 12 34 56 78", "[TELEPHONE], [TELEPHONE] et [TELEPHONE]", map[string]int{KindPhone: 3}},
		{"mon numéro de sécu 1 85 05 78 006 084 91", "mon numéro de sécu [NIR]", map[string]int{KindNIR: 1}},
		{"NIR 185057800608491 svp", "NIR [NIR] svp", map[string]int{KindNIR: 1}},
		// A mistyped key still leaves someone's NIR or IBAN: written in groups
		// with the right structure, it is redacted all the same.
		{"corse 2 69 05 2A 004 123 45 (clé fausse)", "corse [NIR] (clé fausse)", map[string]int{KindNIR: 1}},
		{"IBAN FR76 3000 6000 0112 3456 7890 189 merci", "IBAN [IBAN] merci", map[string]int{KindIBAN: 1}},
		{"iban fr7630006000011234567890189", "iban [IBAN]", map[string]int{KindIBAN: 1}},
		{"IBAN FR76 3000 6000 0112 3456 7890 188 (faux)", "IBAN [IBAN] (faux)", map[string]int{KindIBAN: 1}},
		{"carte 4970 1012 3456 7893 exp", "carte [CARTE] exp", map[string]int{KindCard: 1}},
		{"carte 4970-1012-3456-7890", "carte 4970-1012-3456-7890", nil},
		// After its label, a card number is one even when mistyped.
		{"ma carte bleue 4970 1012 3456 7890", "ma carte bleue [CARTE]", map[string]int{KindCard: 1}},
		{"numéro de carte : 4970101234567890", "numéro de carte : [CARTE]", map[string]int{KindCard: 1}},
		{"CB 5132 0000 1111 2222 exp 12/27", "CB [CARTE] exp 12/27", map[string]int{KindCard: 1}},
		// The longest candidate fails Luhn's check; the card inside it passes.
		{"carte 4970 1012 3456 7893 12/27", "carte [CARTE] 12/27", map[string]int{KindCard: 1}},
		// A date then a number is no phone: its separators differ.
		{"le 01/02/2023 12 personnes", "le 01/02/2023 12 personnes", nil},
		// Found by FuzzRedact: the second pass used to see a card in what the
		// first left of a number run.
		{"00000000701010100 01 00 00 00 00", "[NUMERO] [TELEPHONE]", map[string]int{KindNumber: 1, KindPhone: 1}},
		{"la piscine rue Jean Jaurès est ouverte ?", "la piscine rue Jean Jaurès est ouverte ?", nil},
		{"j'habite rue Jean Jaurès", "j'habite [ADRESSE]", map[string]int{KindAddress: 1}},
		{"Cordialement, Jean Dupont", "Cordialement, [NOM]", map[string]int{KindName: 1}},
		{"j'habite au 12 rue des Lilas depuis mars", "j'habite au [ADRESSE] depuis mars", map[string]int{KindAddress: 1}},
		{"un trou devant le 3 bis, avenue Jean Jaurès", "un trou devant le [ADRESSE]", map[string]int{KindAddress: 1}},
		{"dossier 2024-123 du 12 mars", "dossier 2024-123 du 12 mars", nil},
		{"nid de poule au 8 rue de la gare vite", "nid de poule au [ADRESSE] vite", map[string]int{KindAddress: 1}},
	}
	for _, tt := range tests {
		got, kinds := Redact(tt.in)
		if got != tt.want || !maps.Equal(kinds, tt.kinds) {
			t.Errorf("Redact(%q) = %q, %v; want %q, %v", tt.in, got, kinds, tt.want, tt.kinds)
		}
	}
}

// FuzzRedact checks what must hold of any text: no panic; valid UTF-8 out;
// idempotence, Redact(Redact(x)) == Redact(x); placeholders of known kinds only,
// as many as counted; no run of nine digits left. Its seeds are the corpus's
// messages and testdata/fuzz/FuzzRedact.
func FuzzRedact(f *testing.F) {
	for _, l := range readCorpus(f, "corpus.jsonl") {
		f.Add(l.Text)
	}
	f.Add("jean@x.fr 06 12 34 56 78")
	f.Add("+33 (0)1 23 45 67 89")
	known := map[string]bool{}
	for _, fd := range finders {
		known[fd.kind] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, counts := Redact(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Redact(%q) = %q: not valid UTF-8", s, out)
		}
		if again, more := Redact(out); again != out || len(more) != 0 {
			t.Fatalf("Redact(%q) = %q, but redacted again %q (%v)", s, out, again, more)
		}
		before, after := countPlaceholders(strings.ToValidUTF8(s, "\uFFFD")), countPlaceholders(out)
		for kind, n := range after {
			if known[kind] && n-before[kind] != counts[kind] || !known[kind] && n > before[kind] {
				t.Fatalf("Redact(%q) = %q: %d placeholders %s, counted %v", s, out, n, kind, counts)
			}
		}
		if hasNineDigits(out) {
			t.Fatalf("Redact(%q) = %q: nine digits in a row left", s, out)
		}
		// find moves where candidates start from a view to the next rather
		// than look for them again.
		valid := strings.ToValidUTF8(s, "\uFFFD")
		spans := find(valid)
		if got, want := shiftStarts(starts(valid), spans), starts(render(valid, spans)); !slices.Equal(got, want) {
			t.Fatalf("starts in %q moved to %v, want %v", render(valid, spans), got, want)
		}
	})
}

func countPlaceholders(s string) map[string]int {
	n := map[string]int{}
	for _, p := range placeholders.FindAllString(s, -1) {
		n[p[1:len(p)-1]]++
	}
	return n
}

// TestPlaceholders checks that what Redact writes is what ReplacePlaceholders
// finds: the French word splitter relies on it to drop personal data's labels.
func TestPlaceholders(t *testing.T) {
	for _, fd := range finders {
		kind := fd.kind
		in := "avant " + Placeholder(kind) + " après"
		if got := ReplacePlaceholders(in, "_"); got != "avant _ après" {
			t.Errorf("ReplacePlaceholders(%q) = %q, want the placeholder replaced", in, got)
		}
		if !HasPlaceholder(in) {
			t.Errorf("HasPlaceholder(%q) = false", in)
		}
	}
	for _, in := range []string{"sans crochet", "[minuscules] et [] restent"} {
		if HasPlaceholder(in) {
			t.Errorf("HasPlaceholder(%q) = true", in)
		}
	}
	tests := []struct{ in, want string }{
		{"sans crochet", "sans crochet"},
		{"[minuscules] et [] restent", "[minuscules] et [] restent"},
		{"[EMAIL][TELEPHONE]", "__"},
	}
	for _, tt := range tests {
		if got := ReplacePlaceholders(tt.in, "_"); got != tt.want {
			t.Errorf("ReplacePlaceholders(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
