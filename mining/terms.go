package mining

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// Term similarity: which stems say nearly the same thing. Questions of one need
// share few words (« vélo en libre-service », « choper une bécane à la station »);
// a question's vector is widened with the stems related to its own, weighted
// below them, so that two such questions meet.
//
// Two sources, both in Go, at start-up:
//   - the thesaurus of package french (pairs that list each other), for words
//     that administrations and citizens write differently;
//   - co-occurrence: stems that occur together far more often than chance
//     (normalised pointwise mutual information) in the service-public.fr text,
//     the knowledge base's entries (an entry's question and alternatives count as
//     one unit: they are paraphrases), and the town's own traffic, added at each
//     regrouping.

//go:embed corpus/spf_fiches_text.jsonl
var fichesText []byte

// Weights and thresholds of the term model, chosen on the tuning part of the
// dev set (see TestNeedsRecovered).
var (
	thesaurusWeight = 0.5  // a thesaurus synonym, relative to the word itself
	coocWeight      = 0.6  // a co-occurring stem at NPMI 1
	minNPMI         = 0.35 // weaker associations are left out
	minPair         = 2    // units in which a pair occurs, at least
	maxRelated      = 8    // related stems kept per stem
	maxUnit         = 24   // stems of a unit that co-occur (longer units are split)
)

type relation struct {
	stem      string
	w         float64 // NPMI, or 1 for the thesaurus
	thesaurus bool
}

// weight is the relation's weight in a question's vector, relative to the stem
// it comes from.
func (r relation) weight() float64 {
	if r.thesaurus {
		return thesaurusWeight
	}
	return coocWeight * r.w
}

// termModel maps a stem to its related stems.
type termModel struct {
	related map[string][]relation
}

// cooc counts units and pairs of stems. Stems are numbered, and a pair is two
// numbers in one word, so that the pairs of a million questions fit in memory.
type cooc struct {
	units int
	ids   map[string]int32
	names []string
	df    []int32
	pairs map[uint64]int32
}

func newCooc() *cooc { return &cooc{ids: map[string]int32{}, pairs: map[uint64]int32{}} }

func (c *cooc) id(stem string) int32 {
	id, ok := c.ids[stem]
	if !ok {
		id = int32(len(c.names))
		c.ids[stem] = id
		c.names = append(c.names, stem)
		c.df = append(c.df, 0)
	}
	return id
}

// add counts one unit: a list of stems.
func (c *cooc) add(stems []string) {
	u := make([]int32, 0, maxUnit)
	for len(stems) > 0 {
		n := min(len(stems), maxUnit)
		u = u[:0]
		for _, s := range stems[:n] {
			u = append(u, c.id(s))
		}
		stems = stems[n:]
		slices.Sort(u)
		u = slices.Compact(u)
		c.units++
		for i, a := range u {
			c.df[a]++
			for _, b := range u[i+1:] {
				c.pairs[uint64(a)<<32|uint64(b)]++
			}
		}
	}
}

// addText counts a text's stems, and its subjects ("@velo") in the frequencies
// only.
func (c *cooc) addText(text string) {
	stems := stemsOf(text)
	c.add(stems)
	for _, s := range french.Concepts(stems) {
		c.df[c.id("@"+s)]++
	}
}

// stemsOf is a text's stems, without spelling correction.
func stemsOf(text string) []string {
	ws := french.ContentWords(text)
	for i, w := range ws {
		ws[i] = french.Stem(w)
	}
	return ws
}

// domain is the co-occurrence of the service-public.fr text and the knowledge
// base, counted once.
var domain = sync.OnceValue(func() *cooc {
	c := newCooc()
	sc := bufio.NewScanner(bytes.NewReader(fichesText))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var f struct{ Title, Text string }
		if json.Unmarshal(sc.Bytes(), &f) != nil {
			continue
		}
		c.addText(f.Title)
		for _, s := range sentences(f.Text) {
			c.addText(s)
		}
	}
	for _, e := range append(kb.Demo(), kb.ServicePublic()...) {
		c.addText(e.Question + " " + strings.Join(e.Alternatives, " "))
		for _, s := range sentences(e.Answer) {
			c.addText(s)
		}
	}
	for _, t := range kb.ServicePublicTitles() {
		c.addText(t)
	}
	return c
})

// sentences splits a text at sentence ends and line breaks.
func sentences(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '.' || r == '\n' || r == '!' || r == '?' || r == ';' })
}

// domainTerms is the model of the domain: the thesaurus and the co-occurrences of
// the service-public.fr text and the knowledge base.
var domainTerms = sync.OnceValue(func() *termModel {
	m := associations(domain())
	// A word is in the lists of many others: each is stemmed once.
	stems := map[string]string{}
	stem := func(w string) string {
		s, ok := stems[w]
		if !ok {
			s = french.Stem(french.Canonical(w))
			stems[w] = s
		}
		return s
	}
	for w, syns := range french.ThesaurusWords() {
		if french.IsStopword(w) {
			continue
		}
		from := stem(w)
		for _, s := range syns {
			if to := stem(s); to != from && !french.IsStopword(s) {
				m.add(from, relation{to, 1, true})
			}
		}
	}
	m.trim()
	return m
})

// newTermModel is the domain's model widened with the associations of the
// traffic's own questions (each distinct question a unit).
func newTermModel(traffic *cooc) *termModel {
	d := domainTerms()
	if traffic == nil {
		return d
	}
	t := associations(traffic)
	m := &termModel{related: make(map[string][]relation, len(d.related)+len(t.related))}
	for s, rs := range d.related {
		m.related[s] = rs
	}
	for s, rs := range t.related {
		m.related[s] = slices.Clone(m.related[s])
		for _, r := range rs {
			m.add(s, r)
		}
	}
	m.trim()
	return m
}

// associations are the pairs of stems whose normalised pointwise mutual
// information is high enough.
func associations(c *cooc) *termModel {
	m := &termModel{related: map[string][]relation{}}
	n := float64(c.units)
	for p, k := range c.pairs {
		if int(k) < minPair {
			continue
		}
		a, b := int32(p>>32), int32(p&0xffffffff)
		pab := float64(k) / n
		pmi := math.Log(pab / (float64(c.df[a]) / n * float64(c.df[b]) / n))
		npmi := 1.0
		if pab < 1 {
			npmi = pmi / -math.Log(pab)
		}
		if npmi < minNPMI {
			continue
		}
		m.related[c.names[a]] = append(m.related[c.names[a]], relation{c.names[b], npmi, false})
		m.related[c.names[b]] = append(m.related[c.names[b]], relation{c.names[a], npmi, false})
	}
	m.trim()
	return m
}

// add relates from to r.stem, keeping the stronger weight of a pair.
func (m *termModel) add(from string, r relation) {
	rs := m.related[from]
	for i := range rs {
		if rs[i].stem == r.stem {
			if r.thesaurus || !rs[i].thesaurus && r.w > rs[i].w {
				rs[i] = r
			}
			return
		}
	}
	m.related[from] = append(rs, r)
}

// trim keeps each stem's strongest relations.
func (m *termModel) trim() {
	for s, rs := range m.related {
		slices.SortFunc(rs, func(a, b relation) int {
			if a.thesaurus != b.thesaurus {
				if a.thesaurus {
					return -1
				}
				return 1
			}
			if a.w != b.w {
				if a.w > b.w {
					return -1
				}
				return 1
			}
			return strings.Compare(a.stem, b.stem)
		})
		m.related[s] = rs[:min(len(rs), maxRelated)]
	}
}
