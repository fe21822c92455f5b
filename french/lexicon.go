package french

import (
	"iter"
	"strings"
)

// Lexicon is a set of correct French words, folded. A [Speller] leaves them
// alone: a correct word that its vocabulary happens not to hold is not a typo of
// the nearest word it does hold. A nil *Lexicon is valid and knows no word.
type Lexicon struct {
	known map[string]bool
}

// NewLexicon folds words (see [Fold]) into a lexicon; a word that folds into
// several ("aujourd'hui") gives each of them.
func NewLexicon(words iter.Seq[string]) *Lexicon {
	l := &Lexicon{known: map[string]bool{}}
	for w := range words {
		for _, f := range strings.Fields(Fold(w)) {
			l.known[f] = true
		}
	}
	return l
}

// Known reports whether w, a folded word, is in the lexicon.
func (l *Lexicon) Known(w string) bool { return l != nil && l.known[w] }
