package mining

import (
	"bufio"
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// Known needs: citizens' questions about everyday needs that towns often do not
// cover, each labelled with its need, as people wrote them (corpus/needs.tsv:
// the mining tuning sets, written by people who read only the demo town's
// catalogue). A question takes the needs of its nearest labelled questions as
// subjects of its own (see [featurizer.vector]): two paraphrases that share no
// word (« un lopin pour faire des tomates », « jardin ouvrier ») meet through
// the questions of other people they are both close to. The word lists of
// french.Concepts fit the words of the people they were read from; the
// questions themselves bring every other person's words.

//go:embed corpus/needs.tsv
var needsTSV []byte

// The nearest labelled questions of a question, up to nearNeeds at cosine
// nearNeed or more and with needShared stems in common, lend it the needs
// that needAgree of them carry, each at needWeight of a subject of
// french.Concepts in its vector (in the merges' subject gates of grouper.go a
// need counts as a full subject). One word in common is not enough: « quel
// temps fera-t-il demain » is no need for sharing « demain » with a long
// question; one neighbour alone is not enough either: a noise question is
// close to one question or other of many needs (173 of the tuning sets' 855
// noise questions took a need, 15 when two must agree). Chosen on the tuning
// writers, each mined without its own questions, on their noise, and on the
// dev set's tuning part (MINING_GRID=1 go test -run TestKnownNeedsGrid -v
// ./mining/): 260 of their 276 needs (248 without known needs); weights 0.5
// and 1 give 255 and 256, cosine 0.25 254.
var (
	nearNeeds  = 5
	nearNeed   = 0.2
	needShared = 2
	needAgree  = 2
	needWeight = 0.6
)

// needIndex is the cosine (TF-IDF over stems) index of the labelled questions.
type needIndex struct {
	need     []string           // question → its need, as a subject: « need:jardins_familiaux »
	norm     []float64          // question → its vector's norm
	idf      map[string]float64 // stem → idf over the questions
	maxIDF   float64
	postings map[string][]int32 // stem → questions holding it
	scratch  sync.Pool          // *needScratch
}

// knownNeeds returns the index of corpus/needs.tsv, built once. Tests measure
// with another index in its place.
var knownNeeds = sync.OnceValue(func() *needIndex { return newNeedIndex(needsTSV) })

// newNeedIndex indexes lines of « need<TAB>writer<TAB>question »; lines
// starting with « # » are comments. The corpus is made by a test, so a line
// of another shape is a bug: it panics.
func newNeedIndex(tsv []byte) *needIndex {
	ni := &needIndex{idf: map[string]float64{}, postings: map[string][]int32{}}
	var docs [][]string
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			panic(fmt.Sprintf("mining: corpus of known needs: %q is not need<TAB>writer<TAB>question", line))
		}
		stems := strings.Fields(Key(parts[2]))
		slices.Sort(stems)
		ni.need = append(ni.need, "need:"+parts[0])
		docs = append(docs, slices.Compact(stems))
	}
	if err := sc.Err(); err != nil {
		panic(fmt.Sprintf("mining: corpus of known needs: %v", err))
	}
	df := map[string]int{}
	for _, d := range docs {
		for _, s := range d {
			df[s]++
		}
	}
	n := float64(len(docs))
	for s, c := range df {
		ni.idf[s] = math.Log(1 + n/float64(c))
	}
	ni.maxIDF = math.Log(1 + n)
	ni.norm = make([]float64, len(docs))
	for i, d := range docs {
		var sq float64
		for _, s := range d {
			sq += ni.idf[s] * ni.idf[s]
			ni.postings[s] = append(ni.postings[s], int32(i))
		}
		ni.norm[i] = math.Sqrt(sq)
	}
	ni.scratch.New = func() any {
		return &needScratch{dot: make([]float64, len(docs)), shared: make([]int8, len(docs))}
	}
	return ni
}

// needScratch is the working space of one look-up: the dot product of the
// question with each labelled question, the stems they share (up to
// needShared), and the questions touched.
type needScratch struct {
	dot     []float64
	shared  []int8
	touched []int32
}

// needsOf returns the known needs of a question's stems (see the variables
// above), the nearest first. It is safe for concurrent use, and its result
// does not depend on the order of the stems.
func (ni *needIndex) needsOf(stems []string) []string {
	if len(ni.need) == 0 || len(stems) == 0 {
		return nil
	}
	stems = slices.Clone(stems)
	slices.Sort(stems)
	stems = slices.Compact(stems)
	sc := ni.scratch.Get().(*needScratch)
	defer func() {
		for _, d := range sc.touched {
			sc.dot[d], sc.shared[d] = 0, 0
		}
		sc.touched = sc.touched[:0]
		ni.scratch.Put(sc)
	}()
	var sq float64
	for _, s := range stems {
		idf, ok := ni.idf[s]
		if !ok {
			idf = ni.maxIDF
		}
		sq += idf * idf
		for _, d := range ni.postings[s] {
			if sc.shared[d] == 0 {
				sc.touched = append(sc.touched, d)
			}
			sc.dot[d] += idf * idf
			sc.shared[d] = min(sc.shared[d]+1, int8(needShared))
		}
	}
	type near struct {
		doc int32
		cos float64
	}
	var nearest []near
	for _, d := range sc.touched {
		if int(sc.shared[d]) < needShared {
			continue
		}
		if c := sc.dot[d] / (math.Sqrt(sq) * ni.norm[d]); c >= nearNeed {
			nearest = append(nearest, near{d, c})
		}
	}
	slices.SortFunc(nearest, func(a, b near) int {
		if c := cmp.Compare(b.cos, a.cos); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	nearest = nearest[:min(len(nearest), nearNeeds)]
	var needs []string
	for i, n := range nearest {
		need := ni.need[n.doc]
		if slices.Contains(needs, need) {
			continue
		}
		agree := 0
		for _, m := range nearest[i:] {
			if ni.need[m.doc] == need {
				agree++
			}
		}
		if agree >= needAgree {
			needs = append(needs, need)
		}
	}
	return needs
}
