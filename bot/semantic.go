package bot

import (
	"fmt"
	"math"
	"sort"
)

// Embedder turns texts into vectors whose cosine says how close their meanings
// are: a sentence-embedding model (package semantic runs one in pure Go). Embed
// returns one vector of Dim floats per text, in the order of the texts. It is
// called from every message being decided at once, so it must be safe for
// concurrent use.
type Embedder interface {
	Embed(texts []string) ([][]float32, error)
	Dim() int
}

// Option changes how an [Engine] is built.
type Option func(*Engine)

// WithEmbedder adds meaning to the engine's retrieval: every phrasing of the
// knowledge base (question and alternatives) is embedded once, in one batch,
// when the version that brings it is indexed (the phrasings a new version keeps
// keep their vectors); each message is embedded when it is
// decided; and an entry's score becomes a weighted sum of its lexical score and
// its best cosine with the message (see [semanticWeight]). A nil embedder
// leaves the engine as it is without the option, to the last bit.
func WithEmbedder(em Embedder) Option {
	return func(e *Engine) { e.emb = em }
}

// semanticWeight is the share of the combined score that meaning takes, the
// lexical score keeping the rest.
//
// The fusion is a weighted sum, not reciprocal-rank fusion, because the
// confidence model reads the best score and its margin as levels: both parts are
// already in 0..1 (the lexical score by construction, the cosine clamped at 0),
// so their sum keeps "nothing matches well" low, where rank fusion would give
// the best of poor candidates the same score as the best of good ones and the
// engine would answer what it should admit it does not know. The weight is
// small so that the lexical engine, whose confidence was fitted without meaning,
// still leads; a model finds entries that share no word with the message, at a
// score that is low unless the model is sure.
const semanticWeight = 0.3

// semanticPool is how many entries, the closest in meaning, join the pool of
// candidates whatever their lexical score: the ones that share no word with the
// message would never be in it otherwise.
const semanticPool = 8

// semanticIndex holds the unit vectors of the phrasings of a knowledge base
// version.
type semanticIndex struct {
	vecs   [][]float32          // per phrasing, unit length
	entry  []int32              // phrasing → entry
	n      int                  // entries
	byText map[string][]float32 // phrasing text → its vector, for the next version
}

// newSemanticIndex embeds the phrasings of the index's entries in one batch,
// taking from prev (the previous version's, or nil) the vectors of the
// phrasings it already had: an expert's edit to one entry costs one entry's
// embeddings, not the whole base's.
func newSemanticIndex(ix *Index, em Embedder, prev *semanticIndex) (*semanticIndex, error) {
	s := &semanticIndex{n: len(ix.entries), byText: map[string][]float32{}}
	var texts []string
	for i, e := range ix.entries {
		for _, p := range e.Phrasings() {
			s.entry = append(s.entry, int32(i))
			if _, ok := s.byText[p]; ok {
				continue
			}
			if prev != nil && prev.byText[p] != nil {
				s.byText[p] = prev.byText[p]
				continue
			}
			s.byText[p] = nil
			texts = append(texts, p)
		}
	}
	if len(texts) > 0 {
		vs, err := em.Embed(texts)
		if err != nil {
			return nil, err
		}
		if len(vs) != len(texts) {
			return nil, fmt.Errorf("%d vectors for %d phrasings", len(vs), len(texts))
		}
		for i, v := range vs {
			u, ok := unit(v, em.Dim())
			if !ok {
				return nil, fmt.Errorf("phrasing %q: vector of %d floats, want %d", texts[i], len(v), em.Dim())
			}
			s.byText[texts[i]] = u
		}
	}
	for _, e := range ix.entries {
		for _, p := range e.Phrasings() {
			s.vecs = append(s.vecs, s.byText[p])
		}
	}
	return s, nil
}

// unit returns v scaled to unit length (a zero vector stays zero), or false when
// it has not dim floats.
func unit(v []float32, dim int) ([]float32, bool) {
	if len(v) != dim {
		return nil, false
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	u := make([]float32, dim)
	if norm == 0 {
		return u, true
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		u[i] = float32(float64(x) / norm)
	}
	return u, true
}

// similarities returns, per entry, the best cosine between the message's unit
// vector q and the entry's phrasings, clamped at 0: an opposite meaning is no
// better than an unrelated one.
func (s *semanticIndex) similarities(q []float32) []float64 {
	sims := make([]float64, s.n)
	for p, v := range s.vecs {
		var dot float64
		for i, x := range v {
			dot += float64(x) * float64(q[i])
		}
		if e := s.entry[p]; dot > sims[e] {
			sims[e] = dot
		}
	}
	return sims
}

// closest returns the k entries of highest similarity, best first, leaving out
// those of similarity 0.
func closest(sims []float64, k int) []int32 {
	var top []int32
	for e, s := range sims {
		if s > 0 {
			top = append(top, int32(e))
		}
	}
	sort.Slice(top, func(i, j int) bool {
		if sims[top[i]] != sims[top[j]] {
			return sims[top[i]] > sims[top[j]]
		}
		return top[i] < top[j]
	})
	return top[:min(k, len(top))]
}

// embedQuery returns the unit vector of a message, or nil when the embedder
// fails on it: the message is then decided on its words alone.
func (e *Engine) embedQuery(text string) []float32 {
	vs, err := e.emb.Embed([]string{text})
	if err != nil || len(vs) != 1 {
		e.embedErrors.Add(1)
		return nil
	}
	u, ok := unit(vs[0], e.emb.Dim())
	if !ok {
		e.embedErrors.Add(1)
		return nil
	}
	return u
}

// EmbedErrors is how many messages the embedder failed on since the engine was
// built; they were decided on their words alone.
func (e *Engine) EmbedErrors() int64 { return e.embedErrors.Load() }
