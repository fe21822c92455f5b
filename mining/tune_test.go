package mining

import (
	"fmt"
	"os"
	"path/filepath"
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

// TestTuneSets prints the needs recovered on the sets features may be chosen on:
// the tuning part of the dev set, and the sets under MINING_TUNE_DIR (each
// *.jsonl, whole), with the groups when MINING_VERBOSE is set
// (MINING_TUNE=1 go test -run TestTuneSets -v ./mining/).
func TestTuneSets(t *testing.T) {
	if os.Getenv("MINING_TUNE") == "" {
		t.Skip("MINING_TUNE is not set")
	}
	_, tune, _ := devSet(t)
	parts := []struct {
		name string
		set  []miningtest.Labelled
	}{{"dev-tune", tune}}
	if dir := os.Getenv("MINING_TUNE_DIR"); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		for _, p := range paths {
			s, err := miningtest.ReadLabelled(p)
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, struct {
				name string
				set  []miningtest.Labelled
			}{filepath.Base(p), s})
		}
	}
	e := demoEngine(t)
	for _, p := range parts {
		r, res := mine(e, p.set)
		rep := miningtest.Score(p.set, r)
		fmt.Printf("%s: %s\n", p.name, rep)
		if os.Getenv("MINING_VERBOSE") != "" {
			dump(t, p.set, r, res)
		}
	}
}
