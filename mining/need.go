package mining

import (
	"strings"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/french"
)

// A group is one line for the communications team: a label, counts, and two
// flags computed here, from its questions' words.
//
//   - Demande: most of its questions ask the town to act on a problem on the spot
//     (« il y a un trou énorme au rond-point », « le lampadaire est en panne »):
//     a possible demande for the services, not a gap in the knowledge base.
//   - Noise: most of its questions are about nothing the town deals with (the
//     weather, a joke, a football score): no subject of everyday life (see
//     [french.Concepts]) and a word of those things. Such groups are listed last.

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// offTopic are words of what people ask a chatbot that has nothing to do with a
// town: the weather, sport results, recipes, jokes and insults, gadgets and
// shopping, general knowledge.
var offTopic = wordSet(`meteo pleuvoir pleut pluie soleil orage tempete neiger previsions
	match matchs score scores ligue championnat buteur mbappe psg jo olympiques
	recette recettes cuisiner blanquette gateau
	blague blagues rigoler rire drole toto
	con debile nul nuls incapables idiot stupide
	iphone android whatsapp windows excel wifi tele television samsung ps5 playstation amazon zalando promo aspirateur
	capitale philosophie maths`)

// onTopic reports whether a question (its text and key) may be about something
// the town deals with: it is about a subject of everyday life, or it has none of
// the words of what has nothing to do with a town. Only the latter is noise: a
// need the subjects do not list (« un défibrillateur ») is not.
func onTopic(text, key string) bool {
	if len(french.Concepts(strings.Fields(key))) > 0 {
		return true
	}
	for _, w := range french.Words(text) {
		if offTopic[w] {
			return false
		}
	}
	return true
}

// readability weighs a question as a group's label: a question of one or two
// words, or a long story, says less at a glance than one sentence.
func readability(text, key string) float64 {
	n := utf8.RuneCountInString(text)
	r := 1.0
	if n > labelLength {
		r = float64(labelLength) / float64(n)
	}
	if len(strings.Fields(key)) < 3 {
		r *= 0.85
	}
	return r
}

// labelLength is the length from which a label reads less well.
const labelLength = 110
