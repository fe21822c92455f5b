package mining

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/kb"
)

// featurizer turns a normalised question into a TF-IDF vector over its stems.
// Spellings are tied together before, by the vocabulary (see [vocabulary]).
type featurizer struct {
	index map[string]int32
	df    []int
	docs  int
	terms *termModel // related stems; nil: none
}

type vector struct {
	idx []int32
	val []float32
}

func newFeaturizer(terms *termModel) *featurizer {
	f := &featurizer{index: map[string]int32{}, terms: terms}
	// Document frequencies start from a background of administrative text (the
	// sentences of the service-public.fr fiches, the knowledge base, the fiche
	// titles), so that a word is rare or common whatever the size of the traffic:
	// in ten questions about defibrillators, "défibrillateur" is still what they
	// share, and "toujours" or "matin" say little.
	background.once.Do(func() {
		bg := &featurizer{index: map[string]int32{}}
		d := domain()
		for _, s := range slices.Sorted(slices.Values(d.names)) {
			bg.df[bg.id(s)] = int(d.df[d.ids[s]])
		}
		bg.docs = d.units
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

// conceptWeight is the weight of a question's subjects (see [french.Concepts])
// beside its words (1), chosen on the tuning part of the dev set: whatever a
// question's length, two questions about the same subject are that close.
var conceptWeight = 2.5

// evidenceWeight raises a subject named by several of a question's words:
// « parapluie oublié, laissé à la salle des fêtes » is about lost property (three
// words) more than about the hall (one), weighed 1 + evidenceWeight·ln(words).
// Chosen on the tuning sets (0.5 to 1.5 alike; 2 and more fall back).
var evidenceWeight = 1.0

// features are a key's stems.
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
	for _, c := range french.Concepts(strings.Fields(key)) {
		f.df[f.id("@"+c)]++
	}
	f.docs++
}

// prepare gives an id to every stem related to the stems of the questions
// observed (their own stems and subjects have one): [featurizer.vector] then
// adds no feature, and may run on several goroutines at once.
func (f *featurizer) prepare(stems map[string]bool) {
	if f.terms == nil {
		return
	}
	for _, s := range slices.Sorted(maps.Keys(stems)) {
		for _, r := range f.terms.related[s] {
			f.id(r.stem)
		}
	}
}

// maxExpansions bounds the related stems added to a question.
const maxExpansions = 12

// expand turns the related stems on (tests compare without).
var expand = true

// maxIDF is the IDF of a feature seen nowhere.
func (f *featurizer) maxIDF() float64 { return math.Log(1 + float64(f.docs+1)) }

func (f *featurizer) idf(id int32) float64 {
	return math.Log(1 + float64(f.docs+1)/float64(f.df[id]+1))
}

// vector is a question's TF-IDF vector over its stems, widened with the stems
// related to them (see [termModel]), each at the weight of the relation times the
// weight of the stem it comes from, never above a stem of the question itself.
// need holds the stems of the clauses that state the question's need (see
// [needOf]); the others weigh contextWeight. nil: every stem is its need.
func (f *featurizer) vector(key string, need []string) vector {
	words := strings.Fields(key)
	// The question's own stems, each once, at their IDF; slices rather than
	// maps: a question has a few stems, and a regrouping computes hundreds of
	// thousands of vectors.
	stems := make([]string, 0, len(words))
	all := make([]feature, 0, 2*len(words)+maxExpansions)
	var sq float64
	for _, s := range words {
		if slices.Contains(stems, s) {
			continue
		}
		stems = append(stems, s)
		id := f.id(s)
		x := f.idf(id)
		if need != nil && !slices.Contains(need, s) {
			x *= contextWeight
		}
		all = append(all, feature{id, x})
		sq += x * x
	}

	if f.terms != nil && expand {
		var related []feature
		for i, s := range stems {
			for _, r := range f.terms.related[s] {
				if !slices.Contains(stems, r.stem) {
					related = append(related, feature{f.id(r.stem), r.weight() * all[i].w})
				}
			}
		}
		// Each related stem at its strongest relation, and the strongest only: a
		// long question would otherwise bring dozens.
		slices.SortFunc(related, func(a, b feature) int {
			if a.id != b.id {
				return cmp.Compare(a.id, b.id)
			}
			return cmp.Compare(b.w, a.w)
		})
		related = slices.CompactFunc(related, func(a, b feature) bool { return a.id == b.id })
		slices.SortFunc(related, func(a, b feature) int {
			if a.w != b.w {
				return cmp.Compare(b.w, a.w)
			}
			return cmp.Compare(a.id, b.id)
		})
		all = append(all, related[:min(len(related), maxExpansions)]...)
	}
	// The norm is the question's own: the related stems add to the similarity
	// of two questions without diluting that of their shared words.
	norm := float32(1)
	if n := math.Sqrt(sq); n > 0 {
		norm = float32(n)
	}
	vals := make([]float32, len(all))
	for i, x := range all {
		vals[i] = float32(x.w) / norm
	}
	// The subjects: conceptWeight shared between them, and the whole brought
	// back to a norm of 1 (related stems apart).
	// A subject weighs less the more frequent it is in the administrative text
	// and the traffic: « état civil » says less of a need than « vélo ».
	if cs, ns := french.ConceptCounts(words); len(cs) > 0 {
		var share float64
		k := math.Sqrt(float64(len(cs)))
		for i, name := range cs {
			id := f.id("@" + name)
			c := conceptWeight * f.idf(id) / f.maxIDF() * (1 + evidenceWeight*math.Log(float64(ns[i])))
			share += c * c
			all = append(all, feature{id, c})
			vals = append(vals, float32(c/k))
		}
		scale := float32(1 / math.Sqrt(1+share/float64(len(cs))))
		for i := range vals {
			vals[i] *= scale
		}
	}
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(all[a].id, all[b].id) })
	v := vector{idx: make([]int32, len(order)), val: make([]float32, len(order))}
	for k, i := range order {
		v.idx[k], v.val[k] = all[i].id, vals[i]
	}
	return v
}

// feature is a feature's id and weight while a vector is built.
type feature struct {
	id int32
	w  float64
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
	ws := contentWords(text)
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

// contentWords are a question's content words without those that name the town
// hall (see [french.IsAddressee]): what tells one need from another.
func contentWords(text string) []string {
	ws := french.ContentWords(text)
	out := ws[:0]
	for _, w := range ws {
		if !french.IsAddressee(w) {
			out = append(out, w)
		}
	}
	if !slices.Contains(out, "prenom") && aboutNames(text) {
		out = append(out, "prenom")
	}
	return out
}

// aboutNames reports a question about changing a first name: the redactor took
// the names out (« je m'appelle [NOM] mais tout le monde m'appelle [NOM] »), and
// with them the words that tell it is about a first name. Two names, or one
// after « m'appelle » or « prénommé », with words of a change or of the papers
// (« rectifier », « sur mes papiers », « officiellement ») say so; a name given
// in passing (« je m'appelle [NOM], je cherche un logement ») does not.
func aboutNames(text string) bool {
	const name = "[" + redact.KindName + "]"
	n := strings.Count(text, name)
	if n == 0 {
		return false
	}
	if n == 1 && !namedAfter(strings.Fields(french.Fold(text[:strings.Index(text, name)]))) {
		return false
	}
	for _, w := range strings.Fields(french.Fold(text)) {
		if nameChange[w] || slices.ContainsFunc(nameChangePrefixes, func(p string) bool { return strings.HasPrefix(w, p) }) {
			return true
		}
	}
	return false
}

// namedAfter reports words that end with a verb of naming: « je m'appelle »,
// « il s'appelle », « tout le monde l'appelle », « prénommé ».
func namedAfter(before []string) bool {
	if len(before) == 0 {
		return false
	}
	switch last := before[len(before)-1]; {
	case strings.HasPrefix(last, "prenomm"), strings.HasPrefix(last, "nomme"):
		return true
	case last == "appelle" || last == "apelle" || last == "appelles" || last == "appellent":
		return len(before) >= 2 && reflexive[before[len(before)-2]]
	case last == "mappelle" || last == "sappelle" || last == "jmappelle":
		return true
	}
	return false
}

var (
	reflexive          = map[string]bool{"m": true, "s": true, "t": true, "l": true, "jm": true}
	nameChange         = map[string]bool{"virer": true, "vire": true, "etat": true, "regrette": true, "regrettons": true}
	nameChangePrefixes = []string{"chang", "modifi", "rectifi", "enlev", "retir", "ajout", "officiel", "papier", "regularis", "troqu", "remplac"}
)

var (
	lexiconOnce sync.Once
	lexiconSet  *french.Lexicon
)

// lexicon returns the correct French words as the vocabulary sees them: the
// content words of the lexicon's words that are correct words themselves, and
// the words of the thesaurus, each synonym brought to the first word of its group. A correct
// word is never "corrected" into a frequent one (« rouge » is not « trouvé »).
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
		for _, w := range french.ThesaurusWordList() {
			if !french.IsStopword(w) {
				content[french.Canonical(w)] = true
			}
		}
		lexiconSet = french.NewLexicon(maps.Keys(content))
	})
	return lexiconSet
}
