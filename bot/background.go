package bot

import (
	"runtime"
	"sync"

	"github.com/parvis-civic/parvis/french"
)

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
	// The coverage check compares each question with every phrasing: the
	// questions are checked on every core, in shares whose results are joined
	// in order, so that the background is the same whatever the number of cores.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(questions)/256))
	shares := make([][]phrasing, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := w*len(questions)/workers, (w+1)*len(questions)/workers
			for _, q := range questions[lo:hi] {
				if doc, ok := ix.uncovered(q); ok {
					shares[w] = append(shares[w], doc)
				}
			}
		})
	}
	wg.Wait()
	bg := &background{postings: map[string][]int32{}}
	for _, share := range shares {
		for _, doc := range share {
			for _, t := range doc.terms {
				bg.postings[t] = append(bg.postings[t], int32(len(bg.docs)))
			}
			bg.docs = append(bg.docs, doc)
		}
	}
	return bg
}

// uncovered returns a background question as a document, unless an entry
// covers it.
func (ix *Index) uncovered(q string) (phrasing, bool) {
	a := ix.analyzeWords(french.Words(q), false)
	if len(a.terms) == 0 {
		return phrasing{}, false
	}
	if ix.closestPhrasing(a) >= coveredDice {
		return phrasing{}, false
	}
	doc := phrasing{entry: -1, terms: a.terms}
	for _, t := range a.terms {
		doc.mass += ix.idfOrMax(t)
	}
	return doc, true
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
