package bot

import (
	"github.com/parvis-civic/parvis/french"
)

// A long message tells a story before it asks (see [french.Clauses]): the
// clause that carries the need says what the citizen wants, the others give
// context, whose words count less. A message that asks two things is decided
// on each question as well, so that the second does not dilute the first.

// contextWeight is the weight of a word found only in the context of a message
// that also states its need.
const contextWeight = 0.6

// views returns the ways of reading a message that the engine decides on: the
// whole message, with the words of its context weighed down when it also
// states a need; and, when it asks several questions in several sentences, each
// question with the sentences that ask nothing, without the other questions.
func (ix *Index) views(text string) []analyzed {
	whole := ix.analyze(text)
	if len(whole.terms) < focusFrom {
		return []analyzed{whole}
	}
	clauses := french.Clauses(text)
	inNeed := map[string]bool{}
	context := false
	for _, c := range clauses {
		if !c.Need {
			context = true
			continue
		}
		for _, t := range ix.analyzeWords(c.Words, true).terms {
			inNeed[t] = true
		}
	}
	if len(inNeed) > 0 && context {
		ix.focus(&whole, inNeed)
	}
	views := []analyzed{whole}
	sentences := french.Sentences(text)
	var questions []int
	detailOf := map[int]int{} // a sentence that asks a detail → the sentence it asks it of
	for i, c := range sentences {
		// A question that only asks a detail of the one before it is read
		// with it, not alone.
		if i > 0 && french.AsksOn(c.Words, sentences[i-1].Words) {
			detailOf[i] = i - 1
			if q, ok := detailOf[i-1]; ok {
				detailOf[i] = q
			}
			continue
		}
		if c.Need && len(ix.analyzeWords(c.Words, true).terms) >= 3 {
			questions = append(questions, i)
		}
	}
	if len(questions) < 2 {
		return views
	}
	for _, q := range questions {
		// The question's own words and its details' at full weight, the
		// sentences that ask nothing as context, the other questions left out.
		var ws, mine []string
		for i, c := range sentences {
			if q2, ok := detailOf[i]; i == q || ok && q2 == q {
				ws, mine = append(ws, c.Words...), append(mine, c.Words...)
			} else if !c.Need {
				ws = append(ws, c.Words...)
			}
		}
		v := ix.analyzeWords(ws, true)
		own := map[string]bool{}
		for _, t := range ix.analyzeWords(mine, true).terms {
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
