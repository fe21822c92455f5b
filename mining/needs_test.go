package mining

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/mining/miningtest"
)

var updateCorpus = flag.Bool("update", false, "rewrite corpus/needs.tsv from the mining tuning sets as they are")

// needsCorpus makes corpus/needs.tsv from the mining tuning sets: every message
// about an uncovered need with its need and its writer, in the sets' order,
// leaving out any message that a held-out set holds too (folded: short
// keywords two writers both wrote), so that those sets measure the corpus on
// questions it does not hold.
func needsCorpus(t testing.TB) string {
	heldOut := map[string]bool{}
	sets, _ := filepath.Glob("testdata/mining-*.jsonl")
	if len(sets) == 0 {
		t.Fatal("no held-out mining set")
	}
	for _, f := range sets {
		for _, l := range readLabelled(t, f) {
			heldOut[foldedKey(l.Text)] = true
		}
	}
	var b strings.Builder
	b.WriteString("# Citizens' questions about needs a town often does not cover, one a line:\n" +
		"# need<TAB>writer<TAB>question. Made from testdata/tune by\n" +
		"# `go test ./mining -run TestNeedsCorpus -update`; nothing of the held-out sets.\n")
	tune, _ := filepath.Glob("testdata/tune/*.jsonl")
	slices.Sort(tune)
	for _, f := range tune {
		writer := strings.TrimSuffix(filepath.Base(f), ".jsonl")
		for _, l := range readLabelled(t, f) {
			text := strings.Join(strings.Fields(l.Text), " ")
			if l.Need() && text != "" && !heldOut[foldedKey(text)] {
				fmt.Fprintf(&b, "%s\t%s\t%s\n", l.Topic, writer, text)
			}
		}
	}
	return b.String()
}

func readLabelled(t testing.TB, path string) []miningtest.Labelled {
	t.Helper()
	ls, err := miningtest.ReadLabelled(path)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func foldedKey(text string) string { return strings.Join(french.Words(text), " ") }

// TestNeedsCorpus checks that corpus/needs.tsv is made from the mining tuning
// sets as they are.
func TestNeedsCorpus(t *testing.T) {
	want := needsCorpus(t)
	if *updateCorpus {
		if err := os.WriteFile("corpus/needs.tsv", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return // the test binary embeds the file as it was
	}
	if string(needsTSV) != want {
		t.Fatal("corpus/needs.tsv is not made from testdata/tune as it is: run go test ./mining -run TestNeedsCorpus -update")
	}
}

// Two people asking for the same thing in words they do not share meet through
// the questions of others: both questions take the need as a subject.
func TestKnownNeedsJoinParaphrasesWithoutCommonWords(t *testing.T) {
	a, b := stemsOf("un lopin de terre pour faire pousser mes tomates"), stemsOf("parcelle de jardin ouvrier à louer ?")
	for _, s := range a {
		if slices.Contains(b, s) {
			t.Fatalf("the two questions share %q: the test needs two without a common word", s)
		}
	}
	na, nb := needSubjects(a), needSubjects(b)
	shared := slices.ContainsFunc(na, func(n string) bool { return slices.Contains(nb, n) })
	if !shared || !slices.Contains(na, "need:jardins_familiaux") {
		t.Errorf("known needs %q and %q, want jardins_familiaux in both", na, nb)
	}
	for _, q := range []string{"raconte-moi une blague", "c'est quoi le score du match de foot"} {
		if got := needSubjects(stemsOf(q)); len(got) != 0 {
			t.Errorf("%q took the needs %q, want none", q, got)
		}
	}
}

// TestKnownNeedsGrid prints the needs recovered on the tuning writers (each
// with the others' questions only) and on the dev set's tuning part and whole,
// for a grid of the known needs' settings: how they were chosen
// (MINING_GRID=1 go test -run TestKnownNeedsGrid -v ./mining/).
func TestKnownNeedsGrid(t *testing.T) {
	if os.Getenv("MINING_GRID") == "" {
		t.Skip("MINING_GRID is not set")
	}
	e := demoEngine(t)
	whole, devTune, _ := devSet(t)
	files, _ := filepath.Glob("testdata/tune/*.jsonl")
	ni := knownNeeds()
	saved := []float64{float64(nearNeeds), nearNeed, needWeight}
	defer func() { nearNeeds, nearNeed, needWeight, ni.without = int(saved[0]), saved[1], saved[2], "" }()
	for _, k := range []int{3, 5, 8} {
		for _, cos := range []float64{0.2, 0.25, 0.3} {
			for _, w := range []float64{0.4, 0.5, 0.6, 1} {
				nearNeeds, nearNeed, needWeight = k, cos, w
				recovered, needs := 0, 0
				for _, f := range files {
					set := readLabelled(t, f)
					ni.without = strings.TrimSuffix(filepath.Base(f), ".jsonl")
					r, _ := mine(e, set)
					rep := miningtest.Score(set, r)
					recovered, needs = recovered+rep.Recovered, needs+rep.Needs
				}
				ni.without = ""
				rt, _ := mine(e, devTune)
				rw, _ := mine(e, whole)
				fmt.Printf("GRID neighbours %d cosine %.2f weight %.1f: tuning writers %d/%d, dev tuning part %d/%d, dev whole %d/%d\n",
					k, cos, w, recovered, needs, miningtest.Score(devTune, rt).Recovered, miningtest.Score(devTune, rt).Needs,
					miningtest.Score(whole, rw).Recovered, miningtest.Score(whole, rw).Needs)
			}
		}
	}
}
