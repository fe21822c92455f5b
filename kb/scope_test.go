package kb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/kb"
)

// caller is the context key of the tests' caller: a tenant's id, "*" for the
// platform.
type caller struct{}

// TestWriterKeepsToTheCallersTerritory: the writer checks every change against
// the caller's territory itself, on every path that changes an entry, so that
// no caller can forget it: another territory's expert changes nothing of an
// entry, the entry's own and the platform's may; an entry of every tenant is
// the platform's alone.
func TestWriterKeepsToTheCallersTerritory(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar",
		Territory: func(ctx context.Context, tenant string) bool {
			own, _ := ctx.Value(caller{}).(string)
			return own == "*" || own != "" && own == tenant
		}}
	as := func(tenant string) context.Context { return context.WithValue(ctx, caller{}, tenant) }
	e, err := w.Draft(as("a"), kb.Entry{Question: "Où jeter le verre ?", Answer: "Dans les bornes vertes.", Tenant: "a"}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	all, err := w.Draft(as("*"), kb.Entry{Question: "Où voter ?", Answer: "Au bureau de votre carte.", Tenant: ""}, "root")
	if err != nil {
		t.Fatal(err)
	}
	// Another territory's expert changing an entry it does not read is told
	// what it is told of an id that exists nowhere (ErrNoEntry): refusing it
	// as out of territory would confirm that the id is taken there.
	refused := map[string]struct {
		do   func() error
		want error
	}{
		"draft for another": {func() error {
			_, err := w.Draft(as("b"), kb.Entry{Question: "Q ?", Answer: "R.", Tenant: "a"}, "bob")
			return err
		}, kb.ErrOutOfTerritory},
		"update":             {func() error { _, err := w.Update(as("b"), e.ID, e, "bob"); return err }, kb.ErrNoEntry},
		"update made theirs": {func() error { v := e; v.Tenant = "b"; _, err := w.Update(as("b"), e.ID, v, "bob"); return err }, kb.ErrNoEntry},
		"add a phrasing":     {func() error { _, err := w.AddPhrasing(as("b"), e.ID, "verre ?", false, "bob"); return err }, kb.ErrNoEntry},
		"validate":           {func() error { _, err := w.Validate(as("b"), e.ID, "bob"); return err }, kb.ErrNoEntry},
		"publish":            {func() error { _, err := w.Publish(as("b"), e.ID, "bob"); return err }, kb.ErrNoEntry},
		"retire":             {func() error { _, err := w.Retire(as("b"), e.ID, "bob"); return err }, kb.ErrNoEntry},
		"restore":            {func() error { _, err := w.Restore(as("b"), e.ID, "bob"); return err }, kb.ErrNoEntry},
		"import": {func() error {
			_, err := w.Import(as("b"), []kb.Entry{{ID: e.ID, Question: e.Question, Answer: "Autre.", Status: kb.Draft}}, "bob", true)
			return err
		}, kb.ErrOutOfTerritory},
		"check":          {func() error { return w.MayChange(as("b"), e.ID) }, kb.ErrNoEntry},
		"every tenant's": {func() error { _, err := w.Update(as("a"), all.ID, all, "alice"); return err }, kb.ErrOutOfTerritory},
	}
	for name, r := range refused {
		if err := r.do(); !errors.Is(err, r.want) {
			t.Errorf("%s: %v, want %v", name, err, r.want)
		}
	}
	if _, err := w.Import(as("a"), []kb.Entry{{ID: e.ID, Question: e.Question, Answer: "Autre.", Status: kb.Draft}}, "alice", true); err != nil {
		t.Errorf("the entry's own territory importing a row of it: %v", err)
	}
	// An exported base holds every territory's entries: imported back with
	// only the caller's own row changed, it is applied; a changed row of
	// another's is named.
	everyones, _ := w.State.Entry(all.ID)
	plan, err := w.Import(as("a"), []kb.Entry{everyones, {ID: e.ID, Question: e.Question, Answer: "Autre.", Status: kb.Draft}}, "alice", true)
	if err != nil || len(plan.Changed) != 1 || len(plan.Unchanged) != 1 {
		t.Errorf("re-importing an export with the caller's row changed: %+v, %v", plan, err)
	}
	everyones.Answer = "Ailleurs."
	var row *kb.RowError
	if _, err := w.Import(as("a"), []kb.Entry{everyones}, "alice", true); !errors.As(err, &row) || row.ID != all.ID || !errors.Is(err, kb.ErrOutOfTerritory) {
		t.Errorf("importing a changed row of every tenant's entry: %v, want a RowError naming %s", err, all.ID)
	}
	if _, err := w.Validate(as("a"), e.ID, "carole"); err != nil {
		t.Errorf("the entry's own territory validating it: %v", err)
	}
	if err := w.MayChange(as("*"), e.ID); err != nil {
		t.Errorf("the platform checking it: %v", err)
	}
}
