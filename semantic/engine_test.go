package semantic_test

import (
	"sync"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/semantic"
	"github.com/parvis-civic/parvis/semantic/semantictest"
)

// poolVectors makes German words for a swimming pool synonyms of the demo
// town's words for it, beside two other meanings; every other word has a
// meaning of its own, so that a phrasing that speaks of much else is further
// from the pool than one that speaks of it alone.
var poolVectors = map[string][]float32{
	"piscine": {1, 0, 0, 0}, "natation": {1, 0, 0, 0}, "nager": {1, 0, 0, 0}, "aquatique": {1, 0, 0, 0},
	"hallenbad": {1, 0, 0, 0}, "schwimmbad": {1, 0, 0, 0},
	"mairie": {0, 1, 0, 0}, "poubelle": {0, 0, 1, 0}, "collecte": {0, 0, 1, 0},
	semantictest.Unknown: {0, 0, 0, 1},
}

// TestMeaningFindsWhatWordsMiss asks the demo town, in words its knowledge base
// does not hold, for its swimming pool: on words alone the pool is not the best
// candidate; with a model that knows the words mean the same, it is.
func TestMeaningFindsWhatWordsMiss(t *testing.T) {
	const message = "hallenbad schwimmbad"
	lang := bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	lexical, err := bot.New(bot.DefaultConfig(), kb.Demo(), "demo", lang)
	if err != nil {
		t.Fatal(err)
	}
	if d := lexical.Decide(message, ""); len(d.Candidates) > 0 && d.Candidates[0].Entry.ID == "piscine" {
		t.Fatalf("on words alone %q already ranks piscine first: the test proves nothing", message)
	} else {
		t.Logf("on words alone: %s, candidates %v", d.Outcome, ids(d.Candidates))
	}

	dir := t.TempDir()
	semantictest.WriteModel(t, dir, poolVectors)
	m, err := semantic.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	withMeaning, err := bot.New(bot.DefaultConfig(), kb.Demo(), "demo", lang, bot.WithEmbedder(m))
	if err != nil {
		t.Fatal(err)
	}
	d := withMeaning.Decide(message, "")
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "piscine" {
		t.Fatalf("with the model, candidates of %q: %v, want piscine first", message, ids(d.Candidates))
	}
	for _, c := range d.Candidates[1:] {
		if c.Semantic >= d.Candidates[0].Semantic {
			t.Errorf("%s is as close in meaning (%.3f) as piscine (%.3f)", c.Entry.ID, c.Semantic, d.Candidates[0].Semantic)
		}
	}
	if withMeaning.EmbedErrors() != 0 {
		t.Errorf("%d embedding errors", withMeaning.EmbedErrors())
	}
	t.Logf("with the model: %s (confidence %.2f), candidates %v, piscine's similarity %.3f", d.Outcome, d.Confidence, ids(d.Candidates), d.Candidates[0].Semantic)
}

func ids(cs []bot.Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Entry.ID
	}
	return out
}

// TestConcurrentDecisions decides from several goroutines at once while a new
// knowledge base version is embedded: run with -race.
func TestConcurrentDecisions(t *testing.T) {
	dir := t.TempDir()
	semantictest.WriteModel(t, dir, poolVectors)
	m, err := semantic.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	e, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil, bot.WithEmbedder(m))
	if err != nil {
		t.Fatal(err)
	}
	edited := kb.Demo()
	edited[0].Alternatives = append(edited[0].Alternatives, "schwimmbad ouverte")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				if d := e.Decide("hallenbad schwimmbad", ""); len(d.Candidates) == 0 {
					t.Error("no candidates")
					return
				}
			}
		})
	}
	if err := e.Swap(edited, "v2"); err != nil {
		t.Error(err)
	}
	wg.Wait()
	if e.EmbedErrors() != 0 {
		t.Errorf("%d embedding errors", e.EmbedErrors())
	}
}
