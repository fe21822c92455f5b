package redact

import "testing"

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
		{"corse 2 69 05 2A 004 123 45 (clé fausse)", "corse 2 69 05 2A 004 123 45 (clé fausse)", nil},
		{"IBAN FR76 3000 6000 0112 3456 7890 189 merci", "IBAN [IBAN] merci", map[string]int{KindIBAN: 1}},
		{"iban fr7630006000011234567890189", "iban [IBAN]", map[string]int{KindIBAN: 1}},
		{"IBAN FR76 3000 6000 0112 3456 7890 188 (faux)", "IBAN FR76 3000 6000 0112 3456 7890 188 (faux)", nil},
		{"carte 4970 1012 3456 7893 exp", "carte [CARTE] exp", map[string]int{KindCard: 1}},
		{"carte 4970-1012-3456-7890", "carte 4970-1012-3456-7890", nil},
		{"j'habite au 12 rue des Lilas depuis mars", "j'habite au [ADRESSE] depuis mars", map[string]int{KindAddress: 1}},
		{"un trou devant le 3 bis, avenue Jean Jaurès", "un trou devant le [ADRESSE]", map[string]int{KindAddress: 1}},
		{"dossier 2024-123 du 12 mars", "dossier 2024-123 du 12 mars", nil},
		{"nid de poule au 8 rue de la gare vite", "nid de poule au [ADRESSE] vite", map[string]int{KindAddress: 1}},
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

// TestPlaceholders checks that what Redact writes is what ReplacePlaceholders
// finds: the French word splitter relies on it to drop personal data's labels.
func TestPlaceholders(t *testing.T) {
	for _, kind := range []string{KindEmail, KindPhone, KindNIR, KindIBAN, KindCard, KindAddress} {
		in := "avant " + Placeholder(kind) + " après"
		if got := ReplacePlaceholders(in, "_"); got != "avant _ après" {
			t.Errorf("ReplacePlaceholders(%q) = %q, want the placeholder replaced", in, got)
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
