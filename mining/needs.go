package mining

import (
	"bufio"
	"bytes"
	_ "embed"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
)

// Known needs: citizens' questions about everyday needs that towns often do not
// cover, each labelled with its need, as people wrote them (corpus/needs.tsv:
// the mining tuning sets, written by 34 people who read only the demo town's
// catalogue). A question takes the needs of its nearest labelled questions as
// subjects of its own (see [featurizer.vector]): two paraphrases that share no
// word (« un lopin pour faire des tomates », « jardin ouvrier ») meet through
// the questions of other people they are both close to. The word lists of
// [french.Concepts] fit the words of the people they were read from; the
// questions themselves bring every other person's words.

//go:embed corpus/needs.tsv
var needsTSV []byte

// Neighbours of a question: its nearest labelled questions, at cosine nearNeed
// at least and with needShared stems in common, lend it their needs, up to
// nearNeeds of them, each needWeight of a subject of french.Concepts. One
// word in common is not enough: « quel temps fera-t-il demain » is not a need
// for having shared « demain » with a short question. Chosen on the tuning
// writers, each measured with the others' questions only, and on the dev set's
// tuning part and whole (MINING_GRID=1 go test -run TestKnownNeedsGrid -v
// ./mining/): 5, 0.25 and 0.5 recover 256 of the tuning writers' 276 needs
// (248 without) and keep the dev set's 10 of 11; 3 or 8 neighbours alike (253,
// 255); from a weight of 0.7 the dev set's bicycles and buses join (8 of 11).
var (
	nearNeeds  = 5
	nearNeed   = 0.25
	needWeight = 0.5
)

// needShared is how many stems a question must share with a labelled question
// to take its need.
const needShared = 2

// needIndex is the cosine (TF-IDF over stems) index of the labelled questions.
type needIndex struct {
	need     []string           // question → its need
	writer   []string           // question → who wrote it (left out of their own neighbours in tuning)
	norm     []float64          // question → its vector's norm
	idf      map[string]float64 // stem → idf over the questions
	maxIDF   float64
	postings map[string][]int32 // stem → questions holding it
	scratch  sync.Pool          // *needScratch
	without  string             // a writer left out of every look-up: set by TestKnownNeedsGrid only
}

// knownNeeds is the index of corpus/needs.tsv, built once.
var knownNeeds = sync.OnceValue(func() *needIndex { return newNeedIndex(needsTSV) })

// newNeedIndex indexes lines of « need<TAB>writer<TAB>question ».
func newNeedIndex(tsv []byte) *needIndex {
	ni := &needIndex{idf: map[string]float64{}, postings: map[string][]int32{}}
	var docs [][]string
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			continue
		}
		stems := stemsOf(parts[2])
		slices.Sort(stems)
		stems = slices.Compact(stems)
		ni.need = append(ni.need, parts[0])
		ni.writer = append(ni.writer, parts[1])
		docs = append(docs, stems)
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
	ni.scratch.New = func() any { return &needScratch{dot: make([]float64, len(docs)), shared: make([]int8, len(docs))} }
	return ni
}

// needScratch is the working space of one look-up: the dot product of the
// question with each labelled question, and those it touched.
type needScratch struct {
	dot     []float64
	shared  []int8 // stems in common, up to needShared
	touched []int32
}

// needsOf returns the needs of the labelled questions nearest to a question's
// stems, the nearest first, each once. It is safe for concurrent use.
func (ni *needIndex) needsOf(stems []string) []string {
	if len(ni.need) == 0 || len(stems) == 0 {
		return nil
	}
	sc := ni.scratch.Get().(*needScratch)
	defer func() {
		for _, i := range sc.touched {
			sc.dot[i], sc.shared[i] = 0, 0
		}
		sc.touched = sc.touched[:0]
		ni.scratch.Put(sc)
	}()
	var sq float64
	for i, s := range stems {
		if slices.Contains(stems[:i], s) {
			continue
		}
		idf, ok := ni.idf[s]
		if !ok {
			idf = ni.maxIDF
		}
		sq += idf * idf
		for _, d := range ni.postings[s] {
			if sc.dot[d] == 0 {
				sc.touched = append(sc.touched, d)
			}
			sc.dot[d] += idf * idf
			sc.shared[d] = min(sc.shared[d]+1, needShared)
		}
	}
	type near struct {
		doc int32
		cos float64
	}
	var nearest []near
	for _, d := range sc.touched {
		if ni.without != "" && ni.writer[d] == ni.without || int(sc.shared[d]) < needShared {
			continue
		}
		if c := sc.dot[d] / (math.Sqrt(sq) * ni.norm[d]); c >= nearNeed {
			nearest = append(nearest, near{d, c})
		}
	}
	slices.SortFunc(nearest, func(a, b near) int {
		if a.cos != b.cos {
			if a.cos > b.cos {
				return -1
			}
			return 1
		}
		return int(a.doc - b.doc)
	})
	var needs []string
	for _, n := range nearest[:min(len(nearest), nearNeeds)] {
		if need := ni.need[n.doc]; !slices.Contains(needs, need) {
			needs = append(needs, need)
		}
	}
	return needs
}

// subjectsOf returns the subjects of a question's stems: those of
// [french.Concepts], and the known needs of its nearest labelled questions
// (« need:jardins_familiaux »).
func subjectsOf(stems []string) []string {
	return append(french.Concepts(stems), needSubjects(stems)...)
}

// subjectCounts is [subjectsOf] with how many of the stems name each subject
// (one for a known need).
func subjectCounts(stems []string) ([]string, []int) {
	cs, ns := french.ConceptCounts(stems)
	for _, n := range needSubjects(stems) {
		cs = append(cs, n)
		ns = append(ns, 1)
	}
	return cs, ns
}

func needSubjects(stems []string) []string {
	needs := knownNeeds().needsOf(stems)
	for i, n := range needs {
		needs[i] = "need:" + n
	}
	return needs
}
