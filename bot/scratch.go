package bot

import "sync"

// scratch holds the per-message working space of a search: dense scores per
// phrasing, per entry and per background question, and the lists of those
// touched, so that a message allocates almost nothing and resets only what it
// used. At thousands of entries, maps per message made garbage whose
// collection set the decision's 99th percentile.
type scratch struct {
	phrasingTerm, phrasing sparse // this word's best match per phrasing; the sum over words
	entryTerm, entry       sparse // the same per entry, for BM25F
	ref                    sparse // BM25 over the reference texts, per entry
	passage                sparse // BM25 of the best sentence of its answer, per entry
	sentenceTerm, sentence sparse // per sentence of the answers, for passage
	best                   sparse // best phrasing similarity per entry
	matched                []float64
	classes                sparse // classifier scores
	background             sparse
}

// sparse is a dense vector with the list of its non-zero positions.
type sparse struct {
	v       []float64
	touched []int32
}

func newSparse(n int) sparse { return sparse{v: make([]float64, n)} }

// add adds x (> 0) at i.
func (s *sparse) add(i int32, x float64) {
	if s.v[i] == 0 {
		s.touched = append(s.touched, i)
	}
	s.v[i] += x
}

// raise sets i to x (> 0) if x is higher.
func (s *sparse) raise(i int32, x float64) {
	if s.v[i] == 0 {
		s.touched = append(s.touched, i)
	}
	s.v[i] = max(s.v[i], x)
}

// reset zeroes what was touched.
func (s *sparse) reset() {
	for _, i := range s.touched {
		s.v[i] = 0
	}
	s.touched = s.touched[:0]
}

// scratchPool hands out scratch space sized for one index.
type scratchPool struct {
	pool sync.Pool
}

func newScratchPool(phrasings, entries, sentences, classes, background int) *scratchPool {
	sp := &scratchPool{}
	sp.pool.New = func() any {
		return &scratch{
			phrasingTerm: newSparse(phrasings), phrasing: newSparse(phrasings),
			entryTerm: newSparse(entries), entry: newSparse(entries), ref: newSparse(entries),
			passage: newSparse(entries), sentenceTerm: newSparse(sentences), sentence: newSparse(sentences),
			best: newSparse(entries), matched: make([]float64, entries),
			classes: newSparse(classes), background: newSparse(background),
		}
	}
	return sp
}

func (sp *scratchPool) get() *scratch { return sp.pool.Get().(*scratch) }

// put resets s and returns it to the pool.
func (sp *scratchPool) put(s *scratch) {
	s.phrasingTerm.reset()
	s.phrasing.reset()
	s.entryTerm.reset()
	for _, e := range s.best.touched {
		s.matched[e] = 0
	}
	s.best.reset()
	s.entry.reset()
	s.ref.reset()
	s.passage.reset()
	s.sentenceTerm.reset()
	s.sentence.reset()
	s.classes.reset()
	s.background.reset()
	sp.pool.Put(s)
}
