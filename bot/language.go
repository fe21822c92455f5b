package bot

import "strings"

// Language is what the engine knows of French beyond the knowledge base: correct
// words that spelling correction must leave alone, and background questions
// (national administrative topics) that tell a question the knowledge base does
// not cover from one it does. A nil *Language is valid: no lexicon, no background.
type Language struct {
	known      map[string]bool
	background []string
}

// NewLanguage folds a list of correct words and keeps the background questions
// (see kb.FrenchWords and kb.BackgroundQuestions).
func NewLanguage(words map[string]bool, background []string) *Language {
	l := &Language{known: make(map[string]bool, len(words)), background: background}
	for w := range words {
		for _, f := range strings.Fields(fold(w)) {
			l.known[f] = true
		}
	}
	return l
}

func (l *Language) knownWords() map[string]bool {
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

// Known reports whether w (folded) is a correct French word of the lexicon.
func (l *Language) Known(w string) bool { return l != nil && l.known[w] }
