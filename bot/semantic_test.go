package bot

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// brokenEmbedder fails on every batch after the first `works` ones.
type brokenEmbedder struct{ works, calls int }

func (b *brokenEmbedder) Dim() int { return 2 }

func (b *brokenEmbedder) Embed(texts []string) ([][]float32, error) {
	b.calls++
	if b.calls > b.works {
		return nil, errors.New("model out of order")
	}
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{1, 0}
	}
	return out, nil
}

// TestFailingEmbedderFallsBackToWords: a model that fails on a knowledge base
// version does not hold the version back, and one that fails on a message does
// not fail the message; both are decided on words alone, as without a model.
func TestFailingEmbedderFallsBackToWords(t *testing.T) {
	cases := readSet(t, "testdata/dev.jsonl")[:40]
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	lexical, err := New(DefaultConfig(), kb.Demo(), "v1", lang)
	if err != nil {
		t.Fatal(err)
	}
	want := describeDecisions(lexical, cases)

	if _, err := New(DefaultConfig(), kb.Demo(), "v1", lang, WithEmbedder(&brokenEmbedder{})); err == nil {
		t.Error("New with an embedder that fails on the entries: no error")
	}

	// Works on the entries, then fails on every message.
	onMessages := &brokenEmbedder{works: 1}
	e, err := New(DefaultConfig(), kb.Demo(), "v1", lang, WithEmbedder(onMessages))
	if err != nil {
		t.Fatal(err)
	}
	if got := describeDecisions(e, cases); got != want {
		t.Errorf("embedder failing on messages: decisions differ from words alone:\n%s", firstDiff(got, want))
	}
	if e.EmbedErrors() != int64(len(cases)) {
		t.Errorf("EmbedErrors() = %d, want %d", e.EmbedErrors(), len(cases))
	}

	// Fails on the next version, which brings a new phrasing: it is current all
	// the same, on words alone.
	edited := kb.Demo()
	edited[0].Alternatives = append(slices.Clone(edited[0].Alternatives), "une formulation toute neuve")
	lexical2, err := New(DefaultConfig(), edited, "v2", lang)
	if err != nil {
		t.Fatal(err)
	}
	want = describeDecisions(lexical2, cases)
	err = e.Swap(edited, "v2")
	if err == nil || !strings.Contains(err.Error(), `"v2"`) {
		t.Errorf("Swap with a failing embedder: %v, want an error naming v2", err)
	}
	if e.Version() != "v2" {
		t.Errorf("version %q after a failed embedding, want v2", e.Version())
	}
	if got := describeDecisions(e, cases); got != want {
		t.Errorf("after a failed embedding: decisions differ from words alone:\n%s", firstDiff(got, want))
	}
}

func TestEmbedderVectorsOfTheWrongLength(t *testing.T) {
	_, err := New(DefaultConfig(), kb.Demo(), "v1", nil, WithEmbedder(wrongDim{}))
	if err == nil || !strings.Contains(err.Error(), "want 3") {
		t.Errorf("New with vectors of 2 floats for Dim 3: %v", err)
	}
}

type wrongDim struct{}

func (wrongDim) Dim() int { return 3 }
func (wrongDim) Embed(texts []string) ([][]float32, error) {
	return make([][]float32, len(texts)), nil
}

// countingEmbedder gives each text a vector from its length and first letter,
// and counts the texts it embeds.
type countingEmbedder struct {
	mu    sync.Mutex
	texts int
}

func (c *countingEmbedder) Dim() int { return 2 }

func (c *countingEmbedder) Embed(texts []string) ([][]float32, error) {
	c.mu.Lock()
	c.texts += len(texts)
	c.mu.Unlock()
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = []float32{float32(len(t)), float32(t[0])}
	}
	return out, nil
}

// TestSwapEmbedsOnlyNewPhrasings: a new version keeps the vectors of the
// phrasings it shares with the current one, and decides as if it had embedded
// them all again.
func TestSwapEmbedsOnlyNewPhrasings(t *testing.T) {
	entries := kb.Demo()
	var total int
	for _, e := range entries {
		if e.Answering() {
			total += len(e.Phrasings())
		}
	}
	em := &countingEmbedder{}
	e, err := New(DefaultConfig(), entries, "v1", nil, WithEmbedder(em))
	if err != nil {
		t.Fatal(err)
	}
	if em.texts == 0 || em.texts > total {
		t.Fatalf("version 1: %d texts embedded for %d phrasings", em.texts, total)
	}
	first := em.texts
	if err := e.Swap(entries, "v2"); err != nil {
		t.Fatal(err)
	}
	if em.texts != first {
		t.Errorf("the same entries again: %d more texts embedded, want 0", em.texts-first)
	}
	edited := slices.Clone(entries)
	edited[0].Alternatives = append(slices.Clone(edited[0].Alternatives), "une formulation toute neuve")
	if err := e.Swap(edited, "v3"); err != nil {
		t.Fatal(err)
	}
	if em.texts != first+1 {
		t.Errorf("one new phrasing: %d more texts embedded, want 1", em.texts-first)
	}
	fresh, err := New(DefaultConfig(), edited, "v3", nil, WithEmbedder(&countingEmbedder{}))
	if err != nil {
		t.Fatal(err)
	}
	cases := readSet(t, "testdata/dev.jsonl")[:40]
	if got, want := describeDecisions(e, cases), describeDecisions(fresh, cases); got != want {
		t.Errorf("reused vectors decide otherwise than fresh ones:\n%s", firstDiff(got, want))
	}
}
