package french

import (
	"strings"
	"testing"
)

func TestClauses(t *testing.T) {
	text := "Bonjour, je suis né en 1965 et j'ai été exempté du service militaire. Pour un dossier on me demande un justificatif, comment l'obtenir ?"
	read := func(cs []Clause) string {
		var got []string
		for _, c := range cs {
			mark := "context"
			if c.Need {
				mark = "need"
			}
			got = append(got, mark+": "+strings.Join(c.Words, " "))
		}
		return strings.Join(got, "\n")
	}
	want := strings.Join([]string{
		"context: bonjour",
		"context: je suis ne en 1965 et j ai ete exempte du service militaire",
		"need: pour un dossier on me demande un justificatif",
		"need: comment l obtenir",
	}, "\n")
	if got := read(Clauses(text)); got != want {
		t.Errorf("clauses:\n%s\nwant:\n%s", got, want)
	}
	want = strings.Join([]string{
		"context: bonjour je suis ne en 1965 et j ai ete exempte du service militaire",
		"need: pour un dossier on me demande un justificatif comment l obtenir",
	}, "\n")
	if got := read(Sentences(text)); got != want {
		t.Errorf("sentences:\n%s\nwant:\n%s", got, want)
	}
}
