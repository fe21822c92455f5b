package mining

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/mining/miningtest"
)

// TestTuneGrid prints the needs recovered on the tuning part of the dev set, and
// the quality on synthetic fiche titles, for a grid of the grouping's weights and
// thresholds: how the defaults were chosen (MINING_GRID=1 go test -run
// TestTuneGrid -v ./mining/). It never reads the held-out part.
func TestTuneGrid(t *testing.T) {
	if os.Getenv("MINING_GRID") == "" {
		t.Skip("MINING_GRID is not set")
	}
	_, tune, _ := devSet(t)
	e := demoEngine(t)
	qs := miningtest.Titles(3, 3000, 200)
	items := make([]Item, len(qs))
	truth := make([]int, len(qs))
	for i, q := range qs {
		items[i], truth[i] = Item{Text: q.Text}, q.Topic
	}
	saved := []float64{coocWeight, conceptWeight, DefaultThreshold, mergeThreshold, tightShare, float64(tightFrom)}
	defer func() {
		coocWeight, conceptWeight, DefaultThreshold, mergeThreshold, tightShare, tightFrom =
			saved[0], saved[1], saved[2], saved[3], saved[4], int(saved[5])
	}()
	for _, cooc := range []float64{0.3, 0.6} {
		for _, from := range []int{5, 8, 12} {
			for _, cw := range []float64{1.6, 2.5} {
				for _, t1 := range []float64{0.35, 0.45} {
					for _, mt := range []float64{0.3, 0.4} {
						for _, ts := range []float64{0.6, 0.75, 0.9} {
							coocWeight, tightFrom, conceptWeight, DefaultThreshold, mergeThreshold, tightShare = cooc, from, cw, t1, mt, ts
							r, _ := mine(e, tune)
							rep := miningtest.Score(tune, r)
							res := NewGrouper(0).Regroup(items)
							fmt.Printf("GRID %d/%d tight %.2f from %d cooc %.1f concept %.1f T1 %.2f merge %.2f: purity %.3f ARI %.3f maxrank %d | titles purity %.3f ARI %.3f\n",
								rep.Recovered, rep.Needs, ts, from, cooc, cw, t1, mt, rep.Purity, rep.ARI, rep.MaxRank(),
								miningtest.Purity(res.Of, truth), miningtest.AdjustedRand(res.Of, truth))
						}
					}
				}
			}
		}
	}
}

// TestWithoutSubjects measures the dev set with the subjects of everyday life
// turned off: how the grouping does on needs the subject list does not know,
// from words, the thesaurus and co-occurrences alone (MINING_ABLATION=1).
func TestWithoutSubjects(t *testing.T) {
	if os.Getenv("MINING_ABLATION") == "" {
		t.Skip("MINING_ABLATION is not set")
	}
	_, tune, held := devSet(t)
	e := demoEngine(t)
	saved := conceptWeight
	defer func() { conceptWeight = saved }()
	conceptWeight = 0
	for _, p := range []struct {
		name string
		set  []miningtest.Labelled
	}{{"tune", tune}, {"held-out", held}} {
		r, _ := mine(e, p.set)
		fmt.Printf("without subjects, %s: %s\n", p.name, miningtest.Score(p.set, r))
	}
}

// TestTuneSpace prints how well the questions' vectors tell needs apart, before
// any grouping, on the tuning sets (see [TestTuneSets]; noise and covered
// questions left out): the mean similarity of two questions of one need and of
// two needs, and how many questions have a question of their own need as their
// nearest (MINING_TUNE=1 go test -run TestTuneSpace -v ./mining/).
func TestTuneSpace(t *testing.T) {
	if os.Getenv("MINING_TUNE") == "" {
		t.Skip("MINING_TUNE is not set")
	}
	defer setKnobs(t, os.Getenv("MINING_KNOBS"))()
	for name, all := range tuneSets(t) {
		var set []miningtest.Labelled
		for _, l := range all {
			if l.Need() {
				set = append(set, l)
			}
		}
		items := make([]Item, len(set))
		for i, l := range set {
			items[i] = Item{Text: l.Text}
		}
		vocab, keys := keysOf(items)
		traffic := newCooc()
		for _, k := range keys {
			traffic.add(strings.Fields(k))
		}
		feat := newFeaturizer(newTermModel(traffic))
		for _, k := range keys {
			feat.observe(k)
		}
		vecs := make([]vector, len(set))
		for i, k := range keys {
			vecs[i] = feat.vector(k, needOf(vocab, set[i].Text))
		}
		var in, out float64
		var nin, nout, nearest int
		for i := range set {
			best, bestSim := -1, -1.0
			for j := range set {
				if i == j {
					continue
				}
				s := dot(vecs[i], vecs[j]) / math.Sqrt(dot(vecs[i], vecs[i])*dot(vecs[j], vecs[j]))
				if set[i].Topic == set[j].Topic {
					in, nin = in+s, nin+1
				} else {
					out, nout = out+s, nout+1
				}
				if s > bestSim {
					best, bestSim = j, s
				}
			}
			if best >= 0 && set[best].Topic == set[i].Topic {
				nearest++
			}
		}
		fmt.Printf("%s: similarity within a need %.3f, across needs %.3f; nearest of the same need %d/%d\n",
			name, in/float64(nin), out/float64(nout), nearest, len(set))
	}
}

// tuneSets are the sets features may be chosen on: the tuning part of the dev
// set, and each *.jsonl set of testdata/tune (another writer's needs, whole) and
// of the directory MINING_TUNE_DIR.
func tuneSets(t *testing.T) map[string][]miningtest.Labelled {
	_, tune, _ := devSet(t)
	sets := map[string][]miningtest.Labelled{"dev-tune": tune}
	for _, dir := range []string{"testdata/tune", os.Getenv("MINING_TUNE_DIR")} {
		if dir == "" {
			continue
		}
		paths, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		for _, p := range paths {
			s, err := miningtest.ReadLabelled(p)
			if err != nil {
				t.Fatal(err)
			}
			sets[filepath.Base(p)] = s
		}
	}
	return sets
}

// TestTuneSets prints the needs recovered on the sets features may be chosen on
// (see [tuneSets]), with the groups when MINING_VERBOSE is set
// (MINING_TUNE=1 go test -run TestTuneSets -v ./mining/).
func TestTuneSets(t *testing.T) {
	if os.Getenv("MINING_TUNE") == "" {
		t.Skip("MINING_TUNE is not set")
	}
	defer setKnobs(t, os.Getenv("MINING_KNOBS"))()
	e := demoEngine(t)
	sets := tuneSets(t)
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		set := sets[name]
		r, res := mine(e, set)
		fmt.Printf("%s: %s\n", name, miningtest.Score(set, r))
		if os.Getenv("MINING_VERBOSE") != "" {
			dump(t, set, r, res)
		}
	}
}

// TestTuningWriters keeps what the tuning sets gained: over every writer's set
// of testdata/tune (needs written by people who never saw the code, the subjects
// fitted on them), at least minTuneRecall of the needs are recovered and the
// groups stay pure. A subject that splits more needs than it joins fails it.
func TestTuningWriters(t *testing.T) {
	e := demoEngine(t)
	paths, err := filepath.Glob("testdata/tune/*.jsonl")
	if err != nil || len(paths) < 10 {
		t.Fatalf("tuning sets: %d (%v), want at least 10", len(paths), err)
	}
	recovered, needs, purity := 0, 0, 0.0
	for _, p := range paths {
		set, err := miningtest.ReadLabelled(p)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := mine(e, set)
		rep := miningtest.Score(set, r)
		recovered, needs, purity = recovered+rep.Recovered, needs+rep.Needs, purity+rep.Purity
		if rep.MaxRank() > 12 {
			t.Errorf("%s: a recovered need's group is ranked %d, want within 12", filepath.Base(p), rep.MaxRank())
		}
	}
	purity /= float64(len(paths))
	t.Logf("%d sets: %d of %d needs recovered, mean purity %.3f", len(paths), recovered, needs, purity)
	if float64(recovered) < minTuneRecall*float64(needs) {
		t.Errorf("%d of %d needs recovered, want at least %.0f %%", recovered, needs, 100*minTuneRecall)
	}
	if purity < 0.9 {
		t.Errorf("mean purity %.3f, want at least 0.9", purity)
	}
}

// minTuneRecall is the share of the tuning sets' needs that must stay recovered
// (0.80 when it was set).
const minTuneRecall = 0.75

// setKnobs sets the grouping's weights from "name=value,..." and returns what
// puts them back.
func setKnobs(t *testing.T, spec string) func() {
	knobs := map[string]*float64{"concept": &conceptWeight, "cooc": &coocWeight,
		"threshold": &DefaultThreshold, "merge": &mergeThreshold, "wordsMerge": &wordsMergeThreshold,
		"tightShare": &tightShare, "thesaurus": &thesaurusWeight, "attach": &attachThreshold, "lowConfidence": &lowConfidence}
	ints := map[string]*int{"tightFrom": &tightFrom, "minShared": &minShared, "mergeFeatures": &mergeFeatures, "mergeRounds": &mergeRounds}
	savedF, savedI := map[string]float64{}, map[string]int{}
	for k, p := range knobs {
		savedF[k] = *p
	}
	for k, p := range ints {
		savedI[k] = *p
	}
	for _, kv := range strings.Split(spec, ",") {
		if kv == "" {
			continue
		}
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("MINING_KNOBS: %q: want name=value", kv)
		}
		var err error
		if p, ok := knobs[name]; ok {
			_, err = fmt.Sscan(val, p)
		} else if p, ok := ints[name]; ok {
			_, err = fmt.Sscan(val, p)
		} else {
			t.Fatalf("MINING_KNOBS: no knob %q (knobs: %v, %v)", name, slices.Sorted(maps.Keys(knobs)), slices.Sorted(maps.Keys(ints)))
		}
		if err != nil {
			t.Fatalf("MINING_KNOBS: %s=%q: %v", name, val, err)
		}
	}
	return func() {
		for k, p := range knobs {
			*p = savedF[k]
		}
		for k, p := range ints {
			*p = savedI[k]
		}
	}
}
