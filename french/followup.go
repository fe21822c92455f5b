package french

import (
	"maps"
	"slices"
	"strings"
)

// A citizen who has just been answered often asks on in a few words that only
// make sense with the question before: « et le samedi ? », « c'est combien ? »,
// « c payant ? », « il faut combien de témoins ». Read alone, such a message
// finds nothing, or anything.

// followUpWords is the most words a follow-up has; a longer message says
// enough to be read alone.
const followUpWords = 8

// askWords ask about a detail of what was just answered: its price, its date,
// its place, its conditions. They are the question words, « qui », and the
// words of a price or a delay.
var askWords = func() map[string]bool {
	m := wordSetOf(`qui prix tarif tarifs cout coute coutent cher gratuit gratuite payant payante delai delais`)
	maps.Copy(m, questionWords)
	return m
}()

// detailWords name such a detail: a follow-up may hold them besides the one
// thing it names.
var detailWords = wordSetOf(`prix gratuit payant cher payer paye payes chose quelque truc delai delais temps duree attendre attente date limite horaires heure age
	ouvert ouverte ferme fermee samedi dimanche lundi mardi mercredi jeudi vendredi rendezvous papiers`)

// FollowUp reports whether text may be a follow-up to the answer just given,
// whose question and answer are previous: a short message that asks (see
// [MayFollowUp]) and names one thing at most besides its details, a thing
// previous speaks of (« combien de témoins » after the answer on weddings,
// which lists them; not « et la poste ? » after the town hall's hours):
// anything else is a question of its own.
func FollowUp(text, previous string) bool {
	others, ok := followUpShape(text)
	if !ok {
		return false
	}
	for _, o := range others {
		if !slices.ContainsFunc(ContentWords(previous), func(p string) bool { return Stem(p) == Stem(o) }) {
			return false
		}
	}
	return true
}

// MayFollowUp reports whether text has the shape of a follow-up, whatever came
// before: a short message that starts with « et », or asks (a question mark, a
// question word, a price), and names one thing at most besides its details.
func MayFollowUp(text string) bool {
	_, ok := followUpShape(text)
	return ok
}

// NamesNothing reports whether a follow-up-shaped text names nothing besides
// the details of what was just answered (« c'est combien ? », « c cher ? », « et
// le samedi ? »): it cannot be about anything else.
func NamesNothing(text string) bool {
	others, ok := followUpShape(text)
	return ok && len(others) == 0
}

// AsksOn reports whether a sentence of a message, as folded words, only asks
// a detail of the sentence before it, previous (« C'est gratuit ou on paye ? »
// after « Ils donnent un ordinateur aux élèves de sixième ? »): it names one
// thing at most besides its details, a thing previous names (not « Et la
// piscine, quels horaires le samedi ? » after a question on identity cards).
func AsksOn(words, previous []string) bool {
	if len(contentOf(words)) > followUpWords {
		return false
	}
	others := detailsAside(words)
	if len(others) > 1 {
		return false
	}
	before := contentOf(previous)
	for _, o := range others {
		if !slices.ContainsFunc(before, func(p string) bool { return Stem(p) == Stem(o) }) {
			return false
		}
	}
	return true
}

// followUpShape returns the words of a follow-up-shaped text that are not
// details, or false when it is not one.
func followUpShape(text string) ([]string, bool) {
	ws := Words(text)
	if len(ws) == 0 || len(ws) > followUpWords {
		return nil, false
	}
	others := detailsAside(ws)
	asks := ws[0] == "et" || strings.HasSuffix(strings.TrimSpace(text), "?")
	for _, w := range ws {
		asks = asks || askWords[w]
	}
	return others, asks && len(others) <= 1
}

// detailsAside returns the content words of folded words that are not
// details, as [Canonical] gives them: a word is a detail as typed or as its
// canonical form (« paye » is a detail, though its canonical form is the
// salary).
func detailsAside(ws []string) []string {
	var others []string
	for _, w := range ws {
		if stopwords[w] || courtesy[w] || detailWords[w] {
			continue
		}
		if c := Canonical(w); !detailWords[c] {
			others = append(others, c)
		}
	}
	return others
}
