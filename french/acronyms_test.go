package french

import (
	"maps"
	"strings"
	"testing"
)

func TestAcronyms(t *testing.T) {
	text := `Le revenu de solidarité active (RSA) est versé par la CAF. Adressez-vous à la
Maison départementale des personnes handicapées (MDPH). Le PLUi (plan local d'urbanisme
intercommunal) fixe les règles. Un projet d'accueil individualisé (PAI) est signé.
Appelez le 3939 (Allô Service Public). La TVA (20 %) s'applique. Voir le site (ANTS).`
	want := map[string]string{
		"RSA":  "revenu de solidarite active",
		"MDPH": "maison departementale des personnes handicapees",
		"PLUi": "plan local d urbanisme intercommunal",
		"PAI":  "projet d accueil individualise",
	}
	if got := Acronyms(text); !maps.Equal(got, want) {
		t.Errorf("Acronyms = %v, want %v", got, want)
	}
}

func FuzzAcronyms(f *testing.F) {
	for _, s := range []string{"revenu de solidarité active (RSA)", "PLUi (plan local d'urbanisme intercommunal)",
		"(AB)", "x (ÉÉÉ)", "de de de (DD)", "", "a b c d e f g h i j k l m n o p (ABCDEFGH)", "\xff (AB)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for acr, long := range Acronyms(s) {
			ws := strings.Fields(long)
			f := Fold(acr)
			if f == "" || len(ws) < 2 || ws[0][0] != f[0] || ws[len(ws)-1][0] != f[len(f)-1] && !('0' <= f[len(f)-1] && f[len(f)-1] <= '9') {
				t.Fatalf("Acronyms(%q): %q → %q, want a long form whose first and last words start the acronym's first and last letters", s, acr, long)
			}
		}
	})
}

func TestKnownAcronyms(t *testing.T) {
	got := KnownAcronyms("Qu'est-ce que l'OPAH ? Le RSA, la rsa, une Ame, le PC, la DGFiP")
	want := map[string]string{
		"OPAH":  "operation programmee d amelioration de l habitat",
		"RSA":   "revenu de solidarite active",
		"DGFiP": "direction generale des finances publiques",
	}
	if !maps.Equal(got, want) {
		t.Errorf("KnownAcronyms = %v, want %v: acronyms in capitals only, none that means several things", got, want)
	}
}

func TestSpelledOut(t *testing.T) {
	if long, ok := SpelledOut("apl"); !ok || long != "aide personnalisee au logement" {
		t.Errorf(`SpelledOut("apl") = %q, %v; want the aide personnalisée au logement`, long, ok)
	}
	for _, w := range []string{"cap", "ame", "velo"} {
		if long, ok := SpelledOut(w); ok {
			t.Errorf("SpelledOut(%q) = %q: a French word is no acronym", w, long)
		}
	}
}
