package french

import (
	"regexp"
	"strings"
)

// A long message tells a story before it asks: "Bonjour, je suis né en 1965 et
// j'ai été exempté du service militaire. Pour un dossier on me demande un
// justificatif, comment l'obtenir ?". The clause that carries the need (a
// question, a request) says what the citizen wants; the others give context.
// The bot weighs the context's words down when it decides, and mining when it
// groups, each by its own weight.

// Clause is a part of a message: its words (see [Words]) and whether it
// states a need.
type Clause struct {
	Words []string
	Need  bool
}

// clauseBreak splits a message into clauses: punctuation, and the conjunctions
// that start a new thought; sentenceBreak into sentences.
var (
	clauseBreak   = regexp.MustCompile(`[.?!;:,\n]+|\s(?:mais|car|parce que|du coup|sauf que|sinon|aussi)\s`)
	sentenceBreak = regexp.MustCompile(`[.?!\n]+`)
)

// needCues are words that mark a clause stating a need (folded; the first part
// of "peut-on", "faut-il").
var needCues = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`comment quand combien quel quelle quels quelles pourquoi qui quoi
	peut puis faut dois doit peux veux pouvez pourriez voudrais voudrait voudrions souhaite souhaiterais
	souhaitons aimerais cherche recherche besoin demande demander savoir connaitre renseigner possible
	obtenir faire inscrire signaler reserver`) {
		m[Fold(w)] = true
	}
	return m
}()

// Clauses returns the clauses of a message that hold words: a clause states a
// need when a question mark ends it or a word of asking is in it.
func Clauses(text string) []Clause { return split(text, clauseBreak) }

// Sentences is [Clauses] cut at the ends of sentences only.
func Sentences(text string) []Clause { return split(text, sentenceBreak) }

func split(text string, re *regexp.Regexp) []Clause {
	var out []Clause
	for _, loc := range Spans(text, re) {
		ws := Words(text[loc[0]:loc[1]])
		if len(ws) == 0 {
			continue
		}
		c := Clause{Words: ws, Need: strings.Contains(text[loc[1]:min(len(text), loc[1]+2)], "?")}
		for _, w := range ws {
			if needCues[w] {
				c.Need = true
				break
			}
		}
		out = append(out, c)
	}
	return out
}
