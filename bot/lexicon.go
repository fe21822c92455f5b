package bot

import "strings"

// Lexicon folds a list of correct words (see kb.FrenchWords) the way the engine
// folds messages, ready to pass to [New].
func Lexicon(words map[string]bool) map[string]bool {
	out := make(map[string]bool, len(words))
	for w := range words {
		for _, f := range strings.Fields(fold(w)) {
			out[f] = true
		}
	}
	return out
}
