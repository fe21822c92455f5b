package french

import "strings"

// A message that reports a problem on the spot or asks the town to act on one
// (« il y a un trou énorme au rond-point », « le lampadaire est en panne ») is
// a possible demande for the services rather than a question: mining flags
// such groups, and the chat proposes to file a demande.

// problemWords say that something on the spot is broken, dirty or dangerous.
var problemWords = wordSetOf(`trou trous panne pannes casse cassee casses cassees fuite fuites bouche bouchee bouches deborde debordent
	tombe tombee tombes abime abimee abimes degrade degradee degrades arrache arrachee effondre inonde inondee inondation
	tag tags graffiti graffitis dangereux dangereuse danger souleve soulevee crevasse nid dechets sauvage sauvages
	ecroule ecroulee fissure fissures rats`)

// actionWords ask someone to act.
var actionWords = wordSetOf(`signaler signale signalement reparer reparez reparation intervenir intervention nettoyer nettoyez
	boucher enlever enlevez ramasser`)

// problemPhrases say it in several words.
var problemPhrases = []string{"ne marche plus", "ne fonctionne plus", "marche plus", "fonctionne plus", "pas ete ramasse",
	"pas ete ramassee", "pas ete ramasses", "pas ete ramassees", "plus ramasse", "est pas passe", "pas passe", "en plein jour"}

func wordSetOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// RequestToAct reports whether a question reports a problem on the spot or asks
// the town to act on one.
func RequestToAct(text string) bool {
	ws := Words(text)
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
