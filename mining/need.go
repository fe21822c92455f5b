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
//     [french.Concepts]) and words that administrative French hardly uses. Such
//     groups are listed last.

// problemWords say that something on the spot is broken, dirty or dangerous.
var problemWords = wordSet(`trou trous panne pannes casse cassee casses cassees fuite fuites bouche bouchee bouches deborde debordent
	tombe tombee tombes abime abimee abimes degrade degradee degrades arrache arrachee effondre inonde inondee inondation
	tag tags graffiti graffitis dangereux dangereuse danger souleve soulevee crevasse nid dechets sauvage sauvages
	ecroule ecroulee fissure fissures rats`)

// actionWords ask someone to act.
var actionWords = wordSet(`signaler signale signalement reparer reparez reparation intervenir intervention nettoyer nettoyez
	boucher enlever enlevez ramasser`)

// problemPhrases say it in several words.
var problemPhrases = []string{"ne marche plus", "ne fonctionne plus", "marche plus", "fonctionne plus", "pas ete ramasse",
	"pas ete ramassee", "pas ete ramasses", "pas ete ramassees", "plus ramasse", "est pas passe", "pas passe", "en plein jour"}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// requestToAct reports whether a question reports a problem on the spot or asks
// the town to act on one.
func requestToAct(text string) bool {
	ws := french.Words(text)
	for _, w := range ws {
		if problemWords[w] || actionWords[w] {
			return true
		}
	}
	joined := " " + strings.Join(ws, " ") + " "
	for _, p := range problemPhrases {
		if strings.Contains(joined, " "+p+" ") {
			return true
		}
	}
	return false
}

// civic reports whether a question (its key) is about something the town deals
// with: a subject of everyday life, or mostly words of administrative French.
func civic(key string, f *featurizer) bool {
	stems := strings.Fields(key)
	if len(french.Concepts(stems)) > 0 {
		return true
	}
	known := 0
	bg := background.f
	for _, s := range stems {
		if id, ok := bg.index[s]; ok && bg.df[id] >= minCivicDF {
			known++
		}
	}
	return len(stems) > 0 && 2*known > len(stems)
}

// minCivicDF is how many units of the administrative text must use a stem for it
// to be an administrative word.
const minCivicDF = 5

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
