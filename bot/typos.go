package bot

import "github.com/parvis-civic/parvis/french"

// Phrasings written as citizens write carry their typos (« passport »,
// « biblioteque »), the more so when they come from citizens themselves (a
// campaign's assigned phrasings, accepted suggestions). Taken as vocabulary, a
// typo would become a word the speller corrects to: « pasport » would find
// « passport », whose stem is not the passport's. typosOf finds them: a word
// that is not French and that the speller, over the base's French words,
// corrects to one the base uses twice as often at least. The index reads it as
// that word and leaves it out of the speller.
func typosOf(freq map[string]int, lex *french.Lexicon) map[string]string {
	if lex == nil {
		return nil // without a word list every rare word would look misspelt
	}
	trusted := map[string]int{}
	for w, n := range freq {
		if lex.Known(w) {
			trusted[w] = n
		}
	}
	if len(trusted) == len(freq) {
		return nil
	}
	sp := french.NewSpeller(trusted, lex)
	typos := map[string]string{}
	for w, n := range freq {
		if _, ok := trusted[w]; ok {
			continue
		}
		if c, ok := sp.Correct(w); ok && freq[c] >= 2*n && french.Stem(c) != french.Stem(w) {
			typos[w] = c
		}
	}
	return typos
}

// phrasingWords returns the words of one of the base's phrasings, its typos
// corrected (see [typosOf]).
func (ix *Index) phrasingWords(p string) []string {
	ws := french.Words(p)
	if len(ix.typos) == 0 {
		return ws
	}
	for i, w := range ws {
		if c, ok := ix.typos[w]; ok {
			ws[i] = c
		}
	}
	return ws
}
