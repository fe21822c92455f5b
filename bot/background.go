package bot

import "github.com/parvis-civic/parvis/french"

// background is an index of questions the knowledge base does not answer:
// national administrative questions (service-public.fr titles) minus those an
// entry already covers. A message that one of them explains better than any
// entry is most likely outside the knowledge base.
type background struct {
	docs     []phrasing
	postings map[string][]int32
}

// A question is covered by an entry when it is close to one of the entry's
// phrasings (coveredDice) or, for the built-in conversation entries (see
// conversation.go), when the entry explains most of it (coveredCoverage). A
// background question is left out when an entry covers it by a phrasing only:
// an entry with many phrasings holds, together, the words of many short
// questions it does not answer (« combien coûte un timbre ? » in the passport's
// « timbre fiscal » and « combien ça coûte »).
const (
	coveredDice     = 0.6
	coveredCoverage = 0.75
)

func newBackground(ix *Index, questions []string) *background {
	bg := &background{postings: map[string][]int32{}}
	for _, q := range questions {
		a := ix.analyzeWords(french.Words(q), false)
		if len(a.terms) == 0 {
			continue
		}
		if cs := ix.search(a, "", 1); len(cs) > 0 && cs[0].Phrasing >= coveredDice {
			continue
		}
		doc := phrasing{entry: -1, terms: a.terms}
		for _, t := range a.terms {
			doc.mass += ix.idfOrMax(t)
			bg.postings[t] = append(bg.postings[t], int32(len(bg.docs)))
		}
		bg.docs = append(bg.docs, doc)
	}
	return bg
}

// best returns the highest similarity of the message to a background question.
// match is scratch space.
func (bg *background) best(ix *Index, a analyzed, match *sparse) float64 {
	if bg == nil || len(bg.docs) == 0 || a.mass == 0 {
		return 0
	}
	for _, t := range a.terms {
		w := a.weight[t] * ix.idfOrMax(t)
		for _, d := range bg.postings[t] {
			match.add(d, w)
		}
	}
	var best float64
	for _, d := range match.touched {
		best = max(best, 2*match.v[d]/(a.mass+bg.docs[d].mass))
	}
	return best
}
