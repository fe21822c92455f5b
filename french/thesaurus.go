package french

import (
	_ "embed"
	"strings"
	"sync"
)

//go:generate go run genthesaurus.go -out thesaurus_fr.txt -words words_fr.txt

// thesaurusText is generated from Debian's mythes-fr (see genthesaurus.go).
//
//go:embed thesaurus_fr.txt
var thesaurusText string

var thesaurus = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(thesaurusText, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if ws := strings.Fields(line); len(ws) > 1 {
			m[ws[0]] = ws[1:]
		}
	}
	return m
})

// Thesaurus returns words of a close sense to w, a folded word: the pairs of the
// LibreOffice French thesaurus that list each other among their first synonyms
// (« bécane » → « bicyclette », « vélo »). Broader and less sure than [Synonyms]:
// a word may have several senses, so callers weigh these below the word itself.
func Thesaurus(w string) []string { return thesaurus()[w] }

// ThesaurusWords returns every word of the thesaurus with its words of a close
// sense (see [Thesaurus]). The map is shared: do not change it.
func ThesaurusWords() map[string][]string { return thesaurus() }

//go:embed words_fr.txt
var wordsText string

// ThesaurusWordList returns the single words of the LibreOffice French thesaurus
// (about 34,000, folded): correct French words, which a [Speller] must not
// correct into a frequent word of its vocabulary (« rouge » is not « trouve »).
var ThesaurusWordList = sync.OnceValue(func() []string {
	var words []string
	for _, line := range strings.Split(wordsText, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			words = append(words, line)
		}
	}
	return words
})
