package mining

import (
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/kb"
)

// featurizer turns a normalised question into a TF-IDF vector over its stems
// and the character trigrams of its stems: the stems carry the meaning, the
// trigrams tie together spellings that the stemmer keeps apart
// ("defibrilateur", "défibrillateur").
type featurizer struct {
	index map[string]int32
	df    []int
	docs  int
}

// gramWeight is the weight of a trigram against 1 for a stem.
const gramWeight = 0.35

type vector struct {
	idx  []int32
	val  []float32
	word []bool // a stem, not a trigram
}

func newFeaturizer() *featurizer {
	f := &featurizer{index: map[string]int32{}}
	// Document frequencies start from a background of administrative questions,
	// so that a word is rare or common whatever the size of the traffic: in ten
	// questions about defibrillators, "défibrillateur" is still what they share.
	background.once.Do(func() {
		bg := &featurizer{index: map[string]int32{}}
		for _, q := range kb.BackgroundQuestions() {
			if k := Key(q); k != "" {
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
		padded := "^" + w + "$"
		for i := 0; i+3 <= len(padded); i++ {
			g := "#" + padded[i:i+3]
			if _, ok := out[g]; !ok {
				out[g] = gramWeight
			}
		}
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
		v.word = append(v.word, feat[0] != '#')
		sq += x * x
	}
	if n := math.Sqrt(sq); n > 0 {
		for i := range v.val {
			v.val[i] /= float32(n)
		}
	}
	return v
}

func splitKey(key string) []string { return strings.Fields(key) }
