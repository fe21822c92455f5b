package bot

import (
	"math"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// The fields of an entry that fielded retrieval reads. A town gives a question,
// often alternatives, always an answer, sometimes a theme and a service: each
// says something of what the entry is about, with its own reliability.
const (
	fieldQuestion = iota
	fieldAlternatives
	fieldAnswer
	fieldTopic     // theme and service: "Logement", "Location immobilière"
	fieldReference // the full text behind a summarised answer: see [referenced]
	numFields
)

// bm25f holds the parameters of fielded BM25 (BM25F): a word's frequency in each
// field is normalised by the field's length and weighted, the sum saturates
// with k1. They are fitted on data (see TestFitRanking in calibrate_test.go).
type bm25f struct {
	k1     float64
	weight [numFields]float64
	b      [numFields]float64
}

var fielded = bm25f{
	k1:     0.8,
	weight: [numFields]float64{1, 0.5, 0.5, 0.5, 0},
	b:      [numFields]float64{0.3, 0.5, 0.75, 0.3, 0},
}

// referenced is BM25 over the reference texts alone (see [kb.Entry.Reference]):
// a fiche's full text is ten times its summary and holds every word of its
// subject, so it ranks entries beside the fields but is kept out of them,
// whose score measures how well the entry's own words match.
var referenced = bm25f{
	k1:     1.2,
	weight: [numFields]float64{fieldReference: 1},
	b:      [numFields]float64{fieldReference: 0.75},
}

// fieldPosting is one document (an entry, or a sentence of an answer) holding a
// stem, with its saturated BM25F frequency.
type fieldPosting struct {
	doc int32
	sat float32
}

// fieldIndex is the BM25F index of documents: the entries, or the sentences of
// their answers (see passages.go).
type fieldIndex struct {
	postings map[string][]fieldPosting
	idf      map[string]float64
	maxIDF   float64
	plain    []bool // document → a plain entry's (see [plainAnswer]); nil: every document is
}

// fieldTexts returns the texts of each field of an entry.
func fieldTexts(e *kb.Entry) [numFields][]string {
	return [numFields][]string{
		fieldQuestion:     {e.Question},
		fieldAlternatives: e.Alternatives,
		fieldAnswer:       {e.Answer},
		fieldTopic:        {e.Theme, e.Service},
		fieldReference:    {e.Reference},
	}
}

func newFieldIndex(entries []*kb.Entry, p bm25f, spelledOut func(int) []string) *fieldIndex {
	docs := make([][numFields][]string, len(entries))
	for i, e := range entries {
		docs[i] = fieldTexts(e)
		if spelledOut != nil {
			docs[i][fieldQuestion] = append(docs[i][fieldQuestion], spelledOut(i)...)
		}
	}
	return indexFields(docs, p)
}

// indexFields indexes documents given as the texts of each of their fields.
func indexFields(docs [][numFields][]string, p bm25f) *fieldIndex {
	fi := &fieldIndex{postings: map[string][]fieldPosting{}, idf: map[string]float64{}}
	tfs := make([][numFields]map[string]int, len(docs))
	lens := make([][numFields]int, len(docs))
	var total [numFields]float64
	var nonEmpty [numFields]float64
	df := map[string]int{}
	stems := map[string]string{} // answers repeat their words: stem each once
	for i, d := range docs {
		seen := map[string]bool{}
		for f, texts := range d {
			if p.weight[f] == 0 {
				continue // a field this index leaves out
			}
			tf := map[string]int{}
			for _, s := range texts {
				for _, w := range french.Words(s) {
					if french.IsStopword(w) {
						continue
					}
					t, ok := stems[w]
					if !ok {
						t = french.Stem(w)
						stems[w] = t
					}
					tf[t]++
					lens[i][f]++
					if !seen[t] {
						seen[t] = true
						df[t]++
					}
				}
			}
			tfs[i][f] = tf
			if lens[i][f] > 0 {
				total[f] += float64(lens[i][f])
				nonEmpty[f]++
			}
		}
	}
	var avg [numFields]float64
	for f := range avg {
		avg[f] = max(1, total[f]/max(1, nonEmpty[f]))
	}
	n := float64(len(docs))
	for t, d := range df {
		fi.idf[t] = math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5))
	}
	fi.maxIDF = math.Log(1 + (n+0.5)/0.5)
	for i := range docs {
		pseudo := map[string]float64{}
		for f := range numFields {
			norm := 1 - p.b[f] + p.b[f]*float64(lens[i][f])/avg[f]
			for t, c := range tfs[i][f] {
				pseudo[t] += p.weight[f] * float64(c) / norm
			}
		}
		for t, tf := range pseudo {
			fi.postings[t] = append(fi.postings[t], fieldPosting{int32(i), float32(tf / (p.k1 + tf))})
		}
	}
	return fi
}

// idfOrMax returns the idf of a stem, or the highest for a stem no entry holds.
func (fi *fieldIndex) idfOrMax(t string) float64 {
	if idf, ok := fi.idf[t]; ok {
		return idf
	}
	return fi.maxIDF
}

// scores adds to out, for every document that holds a word of the message (or
// a synonym of one), its BM25F score relative to the highest the message could
// get: each word at full saturation, words no document holds included. term is
// scratch space.
func (fi *fieldIndex) scores(a analyzed, out, term *sparse) {
	var mass float64
	for _, t := range a.terms {
		w := a.weight[t] * fi.idfOrMax(t)
		mass += w
		for _, p := range fi.postings[t] {
			term.raise(p.doc, w*float64(p.sat))
		}
		for _, alt := range a.alts[t] {
			sw := alt.weight * a.weight[t] * min(fi.idfOrMax(alt.stem), fi.idfOrMax(t))
			for _, p := range fi.postings[alt.stem] {
				if alt.plainOnly && fi.plain != nil && !fi.plain[p.doc] {
					continue
				}
				term.raise(p.doc, sw*float64(p.sat))
			}
		}
		for _, e := range term.touched {
			out.add(e, term.v[e])
		}
		term.reset()
	}
	if mass == 0 {
		return
	}
	for _, e := range out.touched {
		out.v[e] /= mass
	}
}
