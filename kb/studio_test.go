package kb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/kb"
)

// TestStudioHistoryRetireRestore: every change is in the entry's history with
// its author, status and answer; a retired entry stops answering and comes back
// as a draft; with the « second pair of eyes » on, a draft's author cannot
// validate it.
func TestStudioHistoryRetireRestore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar", FourEyes: true}

	e, err := w.Draft(ctx, kb.Entry{Question: "Où jeter le verre ?", Answer: "Dans les bornes vertes.", Service: "déchets"}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Validate(ctx, e.ID, "alice"); !errors.Is(err, kb.ErrSameAuthor) {
		t.Fatalf("the author validating her own draft: %v, want ErrSameAuthor", err)
	}
	steps := []struct {
		do   func() (kb.Entry, error)
		want kb.Status
	}{
		{func() (kb.Entry, error) { return w.Validate(ctx, e.ID, "bob") }, kb.Validated},
		{func() (kb.Entry, error) { return w.Publish(ctx, e.ID, "bob") }, kb.Published},
		{func() (kb.Entry, error) {
			v := e
			v.Answer = "Dans les bornes vertes, jamais la nuit."
			return w.Update(ctx, e.ID, v, "alice")
		}, kb.Draft},
		{func() (kb.Entry, error) { return w.Retire(ctx, e.ID, "bob") }, kb.Retired},
		{func() (kb.Entry, error) { return w.Restore(ctx, e.ID, "carole") }, kb.Draft},
	}
	for i, s := range steps {
		got, err := s.do()
		if err != nil || got.Status != s.want {
			t.Fatalf("step %d: %v, %v; want %s", i, got.Status, err, s.want)
		}
	}
	if pubd, _ := w.State.Published(); len(pubd) != 0 {
		t.Errorf("published after retire and restore: %v", pubd)
	}
	if _, err := w.Retire(ctx, "nope", "bob"); !errors.Is(err, kb.ErrNoEntry) {
		t.Errorf("retiring nothing: %v", err)
	}
	h := w.State.History(e.ID)
	want := []struct {
		by     string
		status kb.Status
		answer string
	}{
		{"alice", kb.Draft, "Dans les bornes vertes."},
		{"bob", kb.Validated, "Dans les bornes vertes."},
		{"bob", kb.Published, "Dans les bornes vertes."},
		{"alice", kb.Draft, "Dans les bornes vertes, jamais la nuit."},
		{"bob", kb.Retired, "Dans les bornes vertes."},
		{"carole", kb.Draft, "Dans les bornes vertes."},
	}
	if len(h) != len(want) {
		t.Fatalf("history has %d changes, want %d: %+v", len(h), len(want), h)
	}
	for i, c := range h {
		if c.By != want[i].by || c.Status != want[i].status || c.Entry.Answer != want[i].answer || c.At.IsZero() {
			t.Errorf("change %d = %s %s %q at %v, want %+v", i, c.By, c.Status, c.Entry.Answer, c.At, want[i])
		}
	}
	if got := w.State.Drafter(e.ID); got != "carole" {
		t.Errorf("drafter = %q, want carole", got)
	}
	if _, err := w.Validate(ctx, e.ID, "alice"); err != nil {
		t.Errorf("another person validating the restored draft: %v", err)
	}
}

// TestImportKeepsTheSecondPairOfEyes: with the « second pair of eyes » on, an
// import publishes nothing it adds or changes (its author would validate it
// alone); as drafts, the same rows go in, for another expert to validate.
func TestImportKeepsTheSecondPairOfEyes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar", FourEyes: true}
	row := kb.Entry{ID: "verre", Question: "Où jeter le verre ?", Answer: "Dans les bornes vertes.", Status: kb.Published}
	var rowErr *kb.RowError
	if _, err := w.Import(ctx, []kb.Entry{row}, "alice", false); !errors.As(err, &rowErr) || !errors.Is(err, kb.ErrSameAuthor) || rowErr.ID != "verre" {
		t.Fatalf("importing a published row: %v, want a RowError of verre, ErrSameAuthor", err)
	}
	if _, ok := w.State.Entry("verre"); ok {
		t.Fatal("a refused import added the entry")
	}
	row.Status = kb.Draft
	if plan, err := w.Import(ctx, []kb.Entry{row}, "alice", false); err != nil || len(plan.Added) != 1 {
		t.Fatalf("importing it as a draft: %+v, %v", plan, err)
	}
	if _, err := w.Validate(ctx, "verre", "alice"); !errors.Is(err, kb.ErrSameAuthor) {
		t.Errorf("the importer validating the imported draft: %v, want ErrSameAuthor", err)
	}
}
