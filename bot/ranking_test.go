package bot

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// rankQuery is a message with the parts of the score of each candidate of its
// pool, and which candidate is right (-1: none of them).
type rankQuery struct {
	parts [][4]float64 // phrasing, coverage, fielded, classifier
	right int
}

// rankingQueries decides the ranking data sets with the BM25F parameters p:
// the demo KB's alternatives held out by 5-fold cross-validation (raw, roughened
// and wrapped in context), the demo dev set, and the tuning part of the
// service-public.fr paraphrases. Never the held-out sets.
func rankingQueries(t testing.TB, p bm25f) map[string][]rankQuery {
	old := fielded
	fielded = p
	defer func() { fielded = old }()
	lang := NewLanguage(kb.FrenchWords(), nil)
	rng := rand.New(rand.NewPCG(3, 5))
	out := map[string][]rankQuery{}
	ask := func(set string, ix *Index, text, want string) {
		a := ix.analyze(text)
		cs := ix.search(a, "", poolSize)
		q := rankQuery{right: -1}
		for i, c := range cs {
			q.parts = append(q.parts, [4]float64{c.Phrasing, c.Coverage, c.Fielded, c.Classifier})
			if c.Entry.ID == want {
				q.right = i
			}
		}
		out[set] = append(out[set], q)
	}
	demo := kb.Demo()
	for f := range 5 {
		train, test := splitFold(demo, f, 5)
		ix := NewIndex(train, lang)
		for _, h := range test {
			ask("demo-cv", ix, h.text, h.id)
			ask("demo-cv", ix, wrap(rng, roughen(rng, h.text)), h.id)
		}
	}
	ix := NewIndex(demo, lang)
	for _, c := range readSet(t, "testdata/dev.jsonl") {
		if c.Expected != None {
			ask("demo-dev", ix, c.Text, c.Expected)
		}
	}
	spf := NewIndex(kb.ServicePublic(), lang)
	for _, c := range readSet(t, "testdata/spf_tune.jsonl") {
		if c.Expected != None {
			ask("spf-tune", spf, c.Text, c.Expected)
		}
	}
	return out
}

func readSet(t testing.TB, path string) []Case {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// rankFigures returns top1 and top3 of the queries under weights w.
func rankFigures(qs []rankQuery, w [4]float64) (top1, top3 float64) {
	for _, q := range qs {
		if q.right < 0 {
			continue
		}
		s := func(p [4]float64) float64 { return w[0]*p[0] + w[1]*p[1] + w[2]*p[2] + w[3]*p[3] }
		rs := s(q.parts[q.right])
		better := 0
		for i, p := range q.parts {
			if i != q.right && s(p) >= rs {
				better++
			}
		}
		if better == 0 {
			top1++
		}
		if better < 3 {
			top3++
		}
	}
	n := float64(len(qs))
	return top1 / n, top3 / n
}

// rankObjective averages top1 + top3/2 over the data sets, each counting the
// same whatever its size.
func rankObjective(sets map[string][]rankQuery, w [4]float64) float64 {
	var sum float64
	for _, qs := range sets {
		t1, t3 := rankFigures(qs, w)
		sum += t1 + t3/2
	}
	return sum / float64(len(sets))
}

// bestWeights searches the weights of the combined score on a grid of the
// simplex.
func bestWeights(sets map[string][]rankQuery) ([4]float64, float64) {
	var best [4]float64
	bestObj := -1.0
	const step = 0.05
	for a := 0.0; a <= 1+1e-9; a += step {
		for b := 0.0; a+b <= 1+1e-9; b += step {
			for c := 0.0; a+b+c <= 1+1e-9; c += step {
				w := [4]float64{a, b, c, max(0, 1-a-b-c)}
				if o := rankObjective(sets, w); o > bestObj+1e-9 {
					best, bestObj = w, o
				}
			}
		}
	}
	return best, bestObj
}

// TestFitRanking fits the BM25F parameters and the weights of the combined
// score on the ranking data sets, and prints them with the figures of each set.
func TestFitRanking(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -calibrate to fit the ranking")
	}
	report := func(label string, sets map[string][]rankQuery, w [4]float64) {
		fmt.Printf("%-28s w=%.2f obj=%.4f", label, w, rankObjective(sets, w))
		for _, name := range []string{"demo-cv", "demo-dev", "spf-tune"} {
			t1, t3 := rankFigures(sets[name], w)
			fmt.Printf("  %s %.3f/%.3f", name, t1, t3)
		}
		fmt.Println()
	}
	cur := [4]float64{ranking.phrasing, ranking.coverage, ranking.fielded, ranking.classifier}
	sets := rankingQueries(t, fielded)
	report("current", sets, cur)
	w, _ := bestWeights(sets)
	report("current params, best w", sets, w)
	for _, p := range bm25fGrid() {
		sets := rankingQueries(t, p)
		w, _ := bestWeights(sets)
		report(fmt.Sprintf("k1 %.1f W %.2f b %.2f", p.k1, p.weight, p.b), sets, w)
	}
}

// bm25fGrid is the grid of BM25F parameters searched around the current ones.
func bm25fGrid() []bm25f {
	var out []bm25f
	for _, k1 := range []float64{0.5, 0.8, 1.2} {
		for _, wa := range []float64{0.5, 1} {
			for _, wb := range []float64{0.3, 0.5, 0.8} {
				p := fielded
				p.k1, p.weight[fieldAlternatives], p.weight[fieldAnswer] = k1, wa, wb
				out = append(out, p)
			}
		}
	}
	return out
}
