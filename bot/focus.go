package bot

import (
	"regexp"
	"strings"

	"github.com/parvis-civic/parvis/french"
)

// A long message tells a story before it asks: "Bonjour, je suis né en 1965 et
// j'ai été exempté du service militaire. Pour un dossier on me demande un
// justificatif, comment l'obtenir ?". The clause that carries the need (a
// question, a request) says what the citizen wants; the others give context,
// whose words count less. A message that asks two things is decided on each
// question as well, so that the second does not dilute the first.

// contextWeight is the weight of a word found only in the context of a message
// that also states its need.
const contextWeight = 0.6

// clauseBreak splits a message into clauses: punctuation, and the conjunctions
// that start a new thought; sentenceBreak into sentences.
var (
	clauseBreak   = regexp.MustCompile(`[.?!;:,\n]+|\s(?:mais|car|parce que|du coup|sauf que|sinon|aussi)\s`)
	sentenceBreak = regexp.MustCompile(`[.?!\n]+`)
)

// needCues are words that mark a clause stating a need (folded; the first part
// of "peut-on", "faut-il").
var needCues = setOfFolded(`comment quand combien quel quelle quels quelles pourquoi qui quoi
	peut puis faut dois doit peux veux pouvez pourriez voudrais voudrait voudrions souhaite souhaiterais
	souhaitons aimerais cherche recherche besoin demande demander savoir connaitre renseigner possible
	obtenir faire inscrire signaler reserver`)

func setOfFolded(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[french.Fold(w)] = true
	}
	return m
}

// clause is a part of a message: its words and whether it states a need.
type clause struct {
	words []string
	need  bool
}

// splitClauses returns the parts of a message that hold words, cut where re
// matches.
func splitClauses(text string, re *regexp.Regexp) []clause {
	var out []clause
	for _, loc := range french.Spans(text, re) {
		part := text[loc[0]:loc[1]]
		ws := french.Words(part)
		if len(ws) == 0 {
			continue
		}
		c := clause{words: ws, need: strings.Contains(text[loc[1]:min(len(text), loc[1]+2)], "?")}
		for _, w := range ws {
			if needCues[w] {
				c.need = true
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// views returns the ways of reading a message that the engine decides on: the
// whole message, with the words of its context weighed down when it also
// states a need; and, when it asks several questions in several sentences, each
// question with the sentences that ask nothing, without the other questions.
func (ix *Index) views(text string) []analyzed {
	whole := ix.analyze(text)
	if len(whole.terms) < focusFrom {
		return []analyzed{whole}
	}
	clauses := splitClauses(text, clauseBreak)
	inNeed := map[string]bool{}
	context := false
	for _, c := range clauses {
		if !c.need {
			context = true
			continue
		}
		for _, t := range ix.analyzeWords(c.words, true).terms {
			inNeed[t] = true
		}
	}
	if len(inNeed) > 0 && context {
		ix.focus(&whole, inNeed)
	}
	views := []analyzed{whole}
	sentences := splitClauses(text, sentenceBreak)
	var questions []int
	for i, c := range sentences {
		if c.need && len(ix.analyzeWords(c.words, true).terms) >= 3 {
			questions = append(questions, i)
		}
	}
	if len(questions) < 2 {
		return views
	}
	for _, q := range questions {
		// The question's own words at full weight, the sentences that ask
		// nothing as context, the other questions left out.
		var ws []string
		for i, c := range sentences {
			if i == q || !c.need {
				ws = append(ws, c.words...)
			}
		}
		v := ix.analyzeWords(ws, true)
		own := map[string]bool{}
		for _, t := range ix.analyzeWords(sentences[q].words, true).terms {
			own[t] = true
		}
		ix.focus(&v, own)
		views = append(views, v)
	}
	return views
}

// focusFrom is the number of content words from which a message is read for
// its need: shorter messages are all need.
const focusFrom = 6

// focus weighs down the terms of a that are not in need, and weighs a again.
func (ix *Index) focus(a *analyzed, need map[string]bool) {
	for _, t := range a.terms {
		if !need[t] {
			a.weight[t] *= contextWeight
		}
	}
	ix.weigh(a)
}
