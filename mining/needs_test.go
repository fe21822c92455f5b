package mining

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/mining/miningtest"
)

var updateCorpus = flag.Bool("update", false, "rewrite corpus/needs.tsv from the mining tuning sets as they are")

// needsCorpus makes corpus/needs.tsv from the mining tuning sets: every message
// about an uncovered need with its need and its writer, in the sets' order,
// leaving out any message that a held-out set holds too, by its folded words or
// by its stems (short keywords two writers both wrote), so that those sets
// measure the corpus on questions it does not hold. The fourth writer's set is
// left out whole: the fifth writer (held out) rewrote many of its questions
// nearly word for word.
func needsCorpus(t testing.TB) string {
	heldOut := map[string]bool{}
	sets, _ := filepath.Glob("testdata/mining-*.jsonl")
	if len(sets) == 0 {
		t.Fatal("no held-out mining set")
	}
	for _, f := range sets {
		for _, l := range readLabelled(t, f) {
			heldOut[foldedKey(l.Text)], heldOut[stemSet(l.Text)] = true, true
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
		if writer == rewrittenWriter {
			continue
		}
		for _, l := range readLabelled(t, f) {
			text := strings.Join(strings.Fields(l.Text), " ")
			if l.Need() && text != "" && !heldOut[foldedKey(text)] && !heldOut[stemSet(text)] {
				fmt.Fprintf(&b, "%s\t%s\t%s\n", l.Topic, writer, text)
			}
		}
	}
	return b.String()
}

// rewrittenWriter is the tuning set whose questions a held-out writer rewrote.
const rewrittenWriter = "mining-w4"

func readLabelled(t testing.TB, path string) []miningtest.Labelled {
	t.Helper()
	ls, err := miningtest.ReadLabelled(path)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func foldedKey(text string) string { return strings.Join(french.Words(text), " ") }

// stemSet is a text's stems as a set, written in order.
func stemSet(text string) string {
	stems := strings.Fields(Key(text))
	slices.Sort(stems)
	return "stems:" + strings.Join(slices.Compact(stems), " ")
}

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
// the questions of others: both questions' vectors hold the need; questions
// about nothing the corpus knows hold none.
func TestKnownNeedsJoinParaphrasesWithoutCommonWords(t *testing.T) {
	a, b := Key("un lopin de terre pour faire pousser mes tomates"), Key("parcelle de jardin ouvrier à louer ?")
	for _, s := range strings.Fields(a) {
		if slices.Contains(strings.Fields(b), s) {
			t.Fatalf("the two questions share %q: the test needs two without a common word", s)
		}
	}
	f := newFeaturizer(domainTerms())
	na, nb := knownNeeds().needsOf(strings.Fields(a)), knownNeeds().needsOf(strings.Fields(b))
	f.observe(a, na)
	f.observe(b, nb)
	va, vb := f.vector(a, na), f.vector(b, nb)
	need := f.id("@need:jardins_familiaux")
	if !slices.Contains(va.idx, need) || !slices.Contains(vb.idx, need) {
		t.Errorf("known needs %q and %q: want need:jardins_familiaux in both vectors", na, nb)
	}
	for _, q := range []string{"quel temps fera-t-il demain", "la météo de ce week-end", "raconte-moi une blague",
		"c quoi le score du match de l'OM hier soir"} {
		if got := knownNeeds().needsOf(strings.Fields(Key(q))); len(got) != 0 {
			t.Errorf("%q took the needs %q, want none", q, got)
		}
	}
}

// withoutWriter returns the index of the corpus without one writer's questions.
func withoutWriter(writer string) *needIndex {
	var kept []string
	for _, line := range strings.Split(string(needsTSV), "\n") {
		if parts := strings.SplitN(line, "\t", 3); len(parts) == 3 && parts[1] == writer {
			continue
		}
		kept = append(kept, line)
	}
	return newNeedIndex([]byte(strings.Join(kept, "\n")))
}

// leaveOneWriterOut mines each tuning writer's set with the known needs of the
// other writers only, and returns the needs recovered, the needs, and the
// noise questions that took a need.
func leaveOneWriterOut(t *testing.T, e *bot.Engine) (recovered, needs, noisy int) {
	files, _ := filepath.Glob("testdata/tune/*.jsonl")
	saved := knownNeeds
	defer func() { knownNeeds = saved }()
	for _, f := range files {
		ni := withoutWriter(strings.TrimSuffix(filepath.Base(f), ".jsonl"))
		knownNeeds = func() *needIndex { return ni }
		set := readLabelled(t, f)
		r, _ := mine(e, set)
		rep := miningtest.Score(set, r)
		recovered, needs = recovered+rep.Recovered, needs+rep.Needs
		for _, l := range set {
			if l.Topic == "noise" && len(ni.needsOf(strings.Fields(Key(l.Text)))) > 0 {
				noisy++
			}
		}
	}
	return recovered, needs, noisy
}

// TestKnownNeedsLeaveOneWriterOut: each tuning writer's needs, mined with the
// other writers' questions only, are recovered more often than without known
// needs (248 of 276), and few noise questions take a need.
func TestKnownNeedsLeaveOneWriterOut(t *testing.T) {
	if testing.Short() {
		t.Skip("mines 34 sets")
	}
	recovered, needs, noisy := leaveOneWriterOut(t, demoEngine(t))
	t.Logf("tuning writers, each without its own questions: %d of %d needs recovered; %d noise questions took a need", recovered, needs, noisy)
	if recovered < 252 {
		t.Errorf("%d of %d needs recovered, want at least 252 (248 without known needs)", recovered, needs)
	}
}

// TestKnownNeedsGrid prints, for a grid of the known needs' settings, the needs
// recovered on the tuning writers (each without its own questions), the noise
// questions that take a need, and the dev set's tuning part: how the settings
// were chosen (MINING_GRID=1 go test -run TestKnownNeedsGrid -v ./mining/).
func TestKnownNeedsGrid(t *testing.T) {
	if os.Getenv("MINING_GRID") == "" {
		t.Skip("MINING_GRID is not set")
	}
	e := demoEngine(t)
	_, devTune, _ := devSet(t)
	k0, c0, a0, w0 := nearNeeds, nearNeed, needAgree, needWeight
	defer func() { nearNeeds, nearNeed, needAgree, needWeight = k0, c0, a0, w0 }()
	for _, agree := range []int{1, 2} {
		for _, cos := range []float64{0.2, 0.25, 0.3} {
			for _, w := range []float64{0.4, 0.5, 0.6, 1} {
				nearNeed, needAgree, needWeight = cos, agree, w
				recovered, needs, noisy := leaveOneWriterOut(t, e)
				r, _ := mine(e, devTune)
				rep := miningtest.Score(devTune, r)
				fmt.Printf("GRID agree %d cosine %.2f weight %.1f: tuning writers %d/%d, noise with a need %d, dev tuning part %d/%d\n",
					agree, cos, w, recovered, needs, noisy, rep.Recovered, rep.Needs)
			}
		}
	}
}
