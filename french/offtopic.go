package french

// offTopic are words of what people ask a chatbot that has nothing to do with a
// town: the weather, sport results, recipes, jokes and insults, gadgets and
// shopping, general knowledge.
var offTopic = wordSetOf(`meteo pleuvoir pleut pluie soleil orage tempete neiger previsions
	match matchs score scores ligue championnat buteur mbappe psg jo olympiques
	recette recettes cuisiner blanquette gateau
	blague blagues rigoler rire drole toto
	con debile nul nuls incapables idiot stupide
	iphone android whatsapp windows excel wifi tele television samsung ps5 playstation amazon zalando promo aspirateur
	capitale philosophie maths`)

// OffTopic reports whether a message is about nothing a town deals with: it
// names no subject of everyday life (see [Concepts]; stems are its content
// words, stemmed) and holds a word of those things (« il va pleuvoir
// demain ? », « raconte une blague »). A message about a need no list knows
// (« un défibrillateur ») is not off topic.
func OffTopic(text string, stems []string) bool {
	if len(Concepts(stems)) > 0 {
		return false
	}
	for _, w := range Words(text) {
		if offTopic[w] {
			return true
		}
	}
	return false
}

// Stems returns the stems of a text's content words, as [Concepts] takes them.
func Stems(text string) []string {
	ws := ContentWords(text)
	for i, w := range ws {
		ws[i] = Stem(w)
	}
	return ws
}
