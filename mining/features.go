package mining

import (
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// featurizer turns a normalised question into a TF-IDF vector over its stems.
// Spellings are tied together before, by the vocabulary (see [vocabulary]).
type featurizer struct {
	index map[string]int32
	df    []int
	docs  int
}

type vector struct {
	idx []int32
	val []float32
}

func newFeaturizer() *featurizer {
	f := &featurizer{index: map[string]int32{}}
	// Document frequencies start from a background of administrative questions,
	// so that a word is rare or common whatever the size of the traffic: in ten
	// questions about defibrillators, "défibrillateur" is still what they share.
	background.once.Do(func() {
		bg := &featurizer{index: map[string]int32{}}
		for _, q := range kb.BackgroundQuestions() {
			if k := (*vocabulary)(nil).key(q); k != "" {
				bg.observe(k)
			}
		}
		background.f = bg
	})
	f.docs = background.f.docs
	f.df = slices.Clone(background.f.df)
	f.index = maps.Clone(background.f.index)
	return f
}

var background struct {
	once sync.Once
	f    *featurizer
}

func features(key string) map[string]float64 {
	out := map[string]float64{}
	for _, w := range strings.Fields(key) {
		out[w] = 1
	}
	return out
}

func (f *featurizer) id(feature string) int32 {
	id, ok := f.index[feature]
	if !ok {
		id = int32(len(f.df))
		f.index[feature] = id
		f.df = append(f.df, 0)
	}
	return id
}

// observe counts a question's features for the document frequencies.
func (f *featurizer) observe(key string) {
	for feat := range features(key) {
		f.df[f.id(feat)]++
	}
	f.docs++
}

func (f *featurizer) vector(key string) vector {
	var v vector
	var sq float64
	for feat, w := range features(key) {
		id := f.id(feat)
		x := w * math.Log(1+float64(f.docs+1)/float64(f.df[id]+1))
		v.idx = append(v.idx, id)
		v.val = append(v.val, float32(x))
		sq += x * x
	}
	if n := math.Sqrt(sq); n > 0 {
		for i := range v.val {
			v.val[i] /= float32(n)
		}
	}
	return v
}

// vocabulary ties a corpus's spellings together: a rare word near a frequent one
// is taken for a typo of it ("defibrilateur" → "defibrillateur"), unless it is a
// correct French word of the lexicon.
type vocabulary struct {
	sp *french.Speller
}

// minFrequent is how often a word must occur to be a correction target.
const minFrequent = 3

func newVocabulary(counts map[string]int) *vocabulary {
	frequent := map[string]int{}
	for w, n := range counts {
		if n >= minFrequent {
			frequent[w] = n
		}
	}
	return &vocabulary{sp: french.NewSpeller(frequent, lexicon())}
}

// key normalises a question: content words, corrected, stemmed. A nil
// vocabulary corrects nothing.
func (v *vocabulary) key(text string) string {
	ws := french.ContentWords(text)
	for i, w := range ws {
		if v != nil {
			if c, ok := v.sp.Correct(w); ok {
				w = c
			}
		}
		ws[i] = french.Stem(w)
	}
	return strings.Join(ws, " ")
}

var (
	lexiconOnce sync.Once
	lexiconSet  *french.Lexicon
)

// lexicon returns the correct French words as the vocabulary sees them: the
// content words of the lexicon's words, each synonym brought to the first word of
// its group, that are correct words themselves.
func lexicon() *french.Lexicon {
	lexiconOnce.Do(func() {
		all := french.NewLexicon(maps.Keys(kb.FrenchWords()))
		content := map[string]bool{}
		for w := range kb.FrenchWords() {
			for _, f := range french.ContentWords(w) {
				if all.Known(f) {
					content[f] = true
				}
			}
		}
		lexiconSet = french.NewLexicon(maps.Keys(content))
	})
	return lexiconSet
}
