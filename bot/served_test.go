package bot

import (
	"os"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// servedDemo is the engine `serve --demo` runs for Montclar's widget: the
// town's and its communauté de communes' entries beside the national fiches
// (kb.DemoServed), where `parvis eval --kb demo` reads the town's alone.
func servedDemo(t testing.TB) *Engine {
	t.Helper()
	e, err := New(DefaultConfig(), kb.DemoServed(), "served",
		NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A town's entry leads a national fiche by what it scores more, if anything:
// « carte grise » is no « carte de stationnement résidentiel », which was
// answered with confidence 0.95 when its margin was its whole score.
func TestTownEntryLeadsAFicheByWhatItScoresMore(t *testing.T) {
	e := servedDemo(t)
	for _, q := range []string{"comment je fais pour avoir une carte grise pour ma nouvelle voiture",
		"comment contester un PV de stationnement reçu par courrier ?"} {
		d := e.Decide(q, "")
		if d.Outcome == Answered && d.Entry.ID == "stationnement_residentiel" {
			t.Errorf("%q answered with the residents' parking card (confidence %.2f)", q, d.Confidence)
		}
	}
	// The margin itself: the town's entry first, a fiche above it behind.
	town := &kb.Entry{ID: "town", Tenant: "montclar", Source: "Ville de Montclar"}
	fiche := &kb.Entry{ID: "fiche", National: true, Source: kb.SourceServicePublic}
	if m := marginOf([]Candidate{{Entry: town, Score: 0.45}, {Entry: fiche, Score: 0.5}}); m != 0 {
		t.Errorf("margin of a town's entry put over a better fiche: %.2f, want 0", m)
	}
	// A fiche close behind it may be another need: the lead over it counts.
	if m := marginOf([]Candidate{{Entry: town, Score: 0.5}, {Entry: fiche, Score: 0.45}}); m < 0.049 || m > 0.051 {
		t.Errorf("margin of a town's entry over a fiche behind it: %.3f, want 0.05", m)
	}
	// Its own provenance's runner-up too, when it comes first.
	own := &kb.Entry{ID: "own2", Tenant: "montclar", Source: "Ville de Montclar"}
	if m := marginOf([]Candidate{{Entry: town, Score: 0.5}, {Entry: own, Score: 0.3}, {Entry: fiche, Score: 0.2}}); m < 0.199 || m > 0.201 {
		t.Errorf("margin of a town's entry over its own runner-up: %.3f, want 0.2", m)
	}
}

// TestServedDemoBase prints what the demo's citizens meet: the demo sets
// decided by the served engine. Their labels were written for the town's own
// catalogue (`--kb demo`): a national fiche that answers an out-of-scope
// question counts as wrong even when it helps, so these figures understate
// it; the floors keep the served engine from sliding further. w2's messy set
// lost one right answer (0.889 → 0.879) to the subjects' words for the plain
// fiches (« carte d'identité périmée »: a fiche now close behind), and dev
// one out-of-scope question (none recall 0.660 → 0.640: « je cherche un
// médecin généraliste » is offered the fiches on the médecin traitant).
func TestServedDemoBase(t *testing.T) {
	e := servedDemo(t)
	for _, tt := range []struct {
		file               string
		accuracy, noneRecl float64
	}{
		{"dev.jsonl", 0.94, 0.63}, {"holdout.jsonl", 0.92, 0.6}, {"w2/messy_with_oos.jsonl", 0.87, 0.77},
	} {
		f, err := os.Open("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		cases, err := ReadCases(f, func(string) bool { return true })
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		r := Evaluate(e, cases)
		t.Logf("%s on the served base: top1 %.3f top3 %.3f answered right %.3f accuracy %.3f none recall %.3f",
			tt.file, r.Top1, r.Top3, r.AnsweredCorrect, r.AnsweredAccuracy, r.NoneRecall)
		if r.AnsweredAccuracy < tt.accuracy || r.NoneRecall < tt.noneRecl {
			t.Errorf("%s: accuracy %.3f, none recall %.3f; want at least %.2f and %.2f", tt.file, r.AnsweredAccuracy, r.NoneRecall, tt.accuracy, tt.noneRecl)
		}
	}
}
