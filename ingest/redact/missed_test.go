package redact

import (
	"strings"
	"testing"
)

// Personal data once missed, each case as a citizen wrote it.

// leaks fails for every input whose redaction still holds one of its pieces of
// personal data.
func leaks(t *testing.T, cases map[string][]string) {
	t.Helper()
	for in, pii := range cases {
		out, _ := Redact(in)
		for _, p := range pii {
			if strings.Contains(out, p) {
				t.Errorf("Redact(%q) = %q: %q is still there", in, out, p)
			}
		}
	}
}

// TestNameLabels: a name given after « nom de famille », « nom de jeune
// fille », « nom de naissance », « nom d'usage », « nom d'épouse » or « née »
// (the words of every état-civil request to a town hall) is a name.
func TestNameLabels(t *testing.T) {
	leaks(t, map[string][]string{
		"mon nom de famille est Dupont":                        {"Dupont"},
		"mon nom de jeune fille est Martin":                    {"Martin"},
		"mon nom de jeune fille : Martin":                      {"Martin"},
		"nom de naissance : Martin":                            {"Martin"},
		"nom d'usage : Dupont":                                 {"Dupont"},
		"mon nom d'épouse est Dupont":                          {"Dupont"},
		"acte de mariage pour Marie Dupont, née Martin":        {"Martin"},
		"je voudrais un acte de naissance, je suis née Martin": {"Martin"},
	})
}

// TestSurnameIsAWord: after « je m'appelle », a capitalised surname that is
// also a function word, a weekday or an office (Le Maire, Dimanche, Bon) is
// part of the name; the same words elsewhere stay.
func TestSurnameIsAWord(t *testing.T) {
	leaks(t, map[string][]string{
		"je m'appelle Bruno Le Maire": {"Maire"},
		"je m'appelle Paul Dimanche":  {"Dimanche"},
		"je m'appelle Marie Bon":      {"Bon"},
	})
	for in, stays := range map[string]string{"je voudrais parler à Monsieur le Maire": "le Maire",
		"je m'appelle Paul, dimanche je passe": "dimanche je passe", "je m'appelle paul le maire est là ?": "le maire est là"} {
		if out, _ := Redact(in); !strings.Contains(out, stays) {
			t.Errorf("Redact(%q) = %q: %q names no one", in, out, stays)
		}
	}
}

// TestMainStreetAndNumbers: « Grande Rue », the main street of thousands of
// French villages, is a street with its number; so are a range of numbers and
// a number after the street. The street alone stays.
func TestMainStreetAndNumbers(t *testing.T) {
	leaks(t, map[string][]string{
		"j'habite 12 Grande Rue":                  {"12 Grande"},
		"j'habite au 12 Grand'Rue":                {"12 Grand"},
		"j'habite 12 Grand Rue":                   {"12 Grand"},
		"trou devant le 12-14 rue Pasteur":        {"12-14 rue Pasteur"},
		"nid de poule rue Pasteur devant le 12":   {"Pasteur devant le 12"},
		"Grande Rue de la Croix-Rousse n° 12":     {"Croix-Rousse n° 12"},
		"j'habite grande rue du Château numéro 5": {"Château numéro 5"},
	})
	for _, in := range []string{"la Grande Rue est fermée ce matin", "un trou rue Pasteur devant la boulangerie"} {
		if out, _ := Redact(in); out != in {
			t.Errorf("Redact(%q) = %q: a street without a house is no one's address", in, out)
		}
	}
}

// TestEmailSpaceOnOneSide: a space on one side only of the domain's dot, as
// phones' keyboards insert after a « . », is an address all the same.
func TestEmailSpaceOnOneSide(t *testing.T) {
	leaks(t, map[string][]string{
		"mon mail : jean.dupont@gmail. com":  {"jean.dupont"},
		"mon mail : jean.dupont@gmail .com":  {"jean.dupont"},
		"mon mail : jean.dupont @gmail .com": {"jean.dupont"},
	})
	if out, _ := Redact("écrivez à jean.dupont@gmail.com. Passeport perdu hier"); !strings.Contains(out, "Passeport perdu") {
		t.Errorf("the sentence after an address went with it: %q", out)
	}
}
