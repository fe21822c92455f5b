package kb

import (
	"errors"
	"strings"
	"testing"
)

// TestEntryLengthsInCharacters: the limits of an entry count characters, as
// their messages say and as the spreadsheet import counts them, so that an
// answer of accented French is not refused for its bytes; a refusal names the
// field and its length.
func TestEntryLengthsInCharacters(t *testing.T) {
	accented := Entry{Question: strings.Repeat("é", MaxQuestionRunes), Answer: strings.Repeat("é", MaxAnswerRunes)}
	if err := check(&accented); err != nil {
		t.Errorf("an entry at the limits, in accented characters: %v", err)
	}
	for _, c := range []struct {
		name string
		e    Entry
		want string
	}{
		{"question", Entry{Question: strings.Repeat("q", MaxQuestionRunes+1), Answer: "R."}, "question trop longue (501 caractères, 500 au plus)"},
		{"answer", Entry{Question: "Q ?", Answer: strings.Repeat("a", MaxAnswerRunes+1)}, "réponse trop longue (20001 caractères, 20000 au plus)"},
		{"alternatives", Entry{Question: "Q ?", Answer: "R.", Alternatives: make([]string, MaxAlternatives+1)}, "trop d'autres formulations (201, 200 au plus)"},
	} {
		err := check(&c.e)
		if !errors.Is(err, ErrInvalidEntry) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want « %s »", c.name, err, c.want)
		}
	}
}
