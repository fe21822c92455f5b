package bot

import (
	"strings"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// Some nouns name a kind of thing that the word after them decides: a « carte »
// is an identity card, a voter's card, a bank card or a health insurance card
// (« carte Vitale »); a « permis » is to build, to demolish or to drive. A town's
// phrasings say which kinds it answers for (« carte d'identité », « carte
// d'électeur », « permis de construire »). A citizen who asks about a kind the
// base never names (« j'ai perdu ma carte Vitale », « renouveler mon titre de
// séjour ») shares the noun with an entry, not the need: the noun's match then
// counts little, and the unknown kind leaves the message as unexplained as it is.
// A kind is known as such when the questions outside the base (the background)
// name it (« carte Vitale », « titre de séjour »): a word that merely follows a
// noun (« chien aboie ») is not a kind.

// namedPlaces are nouns followed by a name rather than a kind: « rue Victor
// Hugo », « école Jean-Jaurès », « salle Pasteur ».
var namedPlaces = stemsOf(`rue rues avenue boulevard bd place chemin allee impasse quai route square quartier
	lotissement residence cite hameau ecole college lycee gymnase stade salle parc piscine eglise`)

func stemsOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[french.Stem(w)] = true
	}
	return m
}

// minKinds is how many different words must follow a noun in the phrasings for
// it to be a kind noun: fewer, and what follows it is the noun's usual company.
const minKinds = 3

// kindMismatchWeight is the weight of a kind noun whose kind the base never names.
const kindMismatchWeight = 0.3

// kindsOf returns the kind nouns of the entries' phrasings (stems), each with the
// stems of the words that follow it there.
func kindsOf(entries []*kb.Entry, words func(string) []string) map[string]map[string]bool {
	follow := map[string]map[string]bool{}
	for _, e := range entries {
		for _, p := range e.Phrasings() {
			addCompounds(follow, words(p))
		}
	}
	for h, cs := range follow {
		if len(cs) < minKinds || namedPlaces[h] {
			delete(follow, h)
		}
	}
	return follow
}

// compoundsOf returns the nouns of questions (stems), each with the stems of the
// words that follow it there (see [complementOf]).
func compoundsOf(questions []string) map[string]map[string]bool {
	follow := map[string]map[string]bool{}
	for _, q := range questions {
		addCompounds(follow, french.Words(q))
	}
	return follow
}

func addCompounds(follow map[string]map[string]bool, ws []string) {
	for i, w := range ws {
		if french.IsStopword(w) {
			continue
		}
		if j, ok := complementOf(ws, i); ok {
			h := french.Stem(w)
			if follow[h] == nil {
				follow[h] = map[string]bool{}
			}
			follow[h][french.Stem(ws[j])] = true
		}
	}
}

// complementOf returns the position of the word that says which kind ws[i] is:
// the next word, or the one after « de », « d' », « du », « des », if it is a
// content word (« carte de mon fils » names no kind).
func complementOf(ws []string, i int) (int, bool) {
	j := i + 1
	if j < len(ws) && (ws[j] == "de" || ws[j] == "d" || ws[j] == "du" || ws[j] == "des") {
		j++
	}
	if j >= len(ws) || french.IsStopword(ws[j]) || french.IsCourtesy(ws[j]) {
		return 0, false
	}
	return j, true
}

// foreignKinds returns the stems of the kind nouns of a message (its words ws,
// spelling corrected) that are followed only by kinds that the background names
// and the base's phrasings never use. A kind noun that the message also writes
// alone or with another word (« ma carte Vitale … la perte de la carte ») is
// left as it is: measured, reading only the base's kinds as naming one loses a
// right answer on a long message and wins none.
func (ix *Index) foreignKinds(ws []string) map[string]bool {
	var foreign, named map[string]bool
	for i, w := range ws {
		if french.IsStopword(w) {
			continue
		}
		h := french.Stem(w)
		if ix.kinds[h] == nil {
			continue
		}
		if j, ok := complementOf(ws, i); ok {
			c := french.Stem(ws[j])
			if ix.df[c] == 0 && !ix.kinds[h][c] && ix.outside[h][c] {
				if foreign == nil {
					foreign = map[string]bool{}
				}
				foreign[h] = true
				continue
			}
		}
		if named == nil {
			named = map[string]bool{}
		}
		named[h] = true
	}
	for h := range named {
		delete(foreign, h)
	}
	return foreign
}
