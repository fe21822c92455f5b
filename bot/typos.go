package bot

import "github.com/parvis-civic/parvis/french"

// Phrasings written as citizens write carry their typos (« passport »,
// « biblioteque »), the more so when they come from citizens themselves (a
// campaign's assigned phrasings, accepted suggestions). Taken as vocabulary, a
// typo would become a word the speller corrects to: « pasport » would find
// « passport », whose stem is not the passport's. typosOf finds them: a word of
// the phrasings that is not French and that the speller, over the base's French
// words, corrects to one the base uses twice as often at least and that the
// same entry uses (its question, another phrasing, its answer). The index reads
// it as that word and leaves it out of the speller.
//
// A word that an answer uses is the base's own spelling, not a typo: the
// médiathèque « Colette » is not « collecte ». The correction must be a word of
// the entry: over a large base the closest frequent French word is often
// another topic's (« mediatek » would read « mediateur », « Valfleur »
// « valeur »), and a typo left as vocabulary costs less than a wrong reading.
//
// vocab holds each entry's words (its question, phrasings and answer, as the
// index's first pass read them); written the words of the answers that lex does
// not know.
func typosOf(vocab []map[string]bool, freq map[string]int, written map[string]bool, lex *french.Lexicon) map[string]string {
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
	in := map[string][]int{} // a suspect word of the phrasings → the entries that hold it
	for i, words := range vocab {
		for w := range words {
			if _, ok := freq[w]; ok && !lex.Known(w) && !written[w] {
				in[w] = append(in[w], i)
			}
		}
	}
	sp := french.NewSpeller(trusted, lex)
	typos := map[string]string{}
	for w, entriesOf := range in {
		c, ok := sp.Correct(w)
		if !ok || freq[c] < 2*freq[w] || french.Stem(c) == french.Stem(w) {
			continue
		}
		for _, i := range entriesOf {
			if vocab[i][c] {
				typos[w] = c
				break
			}
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
