package bot

import (
	"maps"
	"slices"

	"github.com/parvis-civic/parvis/french"
)

// Language is what the engine knows of French beyond the knowledge base: correct
// words that spelling correction must leave alone (a [french.Lexicon]), and
// background questions (national administrative topics) that tell a question the
// knowledge base does not cover from one it does. A nil *Language is valid: no
// lexicon, no background.
type Language struct {
	known      *french.Lexicon
	background []string
	compounds  map[string]map[string]bool // noun stem → the stems of the words naming its kinds there (see kindnouns.go)
}

// NewLanguage folds a list of correct words, with those of the system's French
// word list ([french.WordList]), and keeps the background questions (see
// kb.FrenchWords and kb.BackgroundQuestions), to which it adds citizens' own
// ([everydayQuestions]).
func NewLanguage(words map[string]bool, background []string) *Language {
	all := func(yield func(string) bool) {
		for w := range maps.Keys(words) {
			if !yield(w) {
				return
			}
		}
		for _, w := range french.WordList() {
			if !yield(w) {
				return
			}
		}
	}
	bg := append(slices.Clone(background), everydayQuestions...)
	return &Language{known: french.NewLexicon(all), background: bg, compounds: compoundsOf(bg)}
}

func (l *Language) lexicon() *french.Lexicon {
	if l == nil {
		return nil
	}
	return l.known
}

func (l *Language) backgroundQuestions() []string {
	if l == nil {
		return nil
	}
	return l.background
}

// kindsOutside returns the nouns of the background questions, each with the
// words that follow it there (see [compoundsOf]).
func (l *Language) kindsOutside() map[string]map[string]bool {
	if l == nil {
		return nil
	}
	return l.compounds
}
