package kb_test

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// TestWireKeepsEveryField: an entry survives the trip to the log and back.
func TestWireKeepsEveryField(t *testing.T) {
	for _, e := range kb.Demo() {
		if got := kb.FromWire(e.Wire()); !reflect.DeepEqual(got, e) {
			t.Fatalf("%s changed on the wire:\n got %#v\nwant %#v", e.ID, got, e)
		}
	}
}

// TestWriterLifecycleOnTheLog drafts, validates and publishes an entry through a
// real broker; a state that follows the log from its start ends where the
// writer's own state is.
func TestWriterLifecycleOnTheLog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"}

	e, err := w.Draft(ctx, kb.Entry{Question: "  Où garer mon vélo ?  ", Answer: "Arceaux place du marché.",
		Audiences: []kb.Audience{kb.Particulier}}, "analyste")
	if err != nil {
		t.Fatal(err)
	}
	if e.Question != "Où garer mon vélo ?" || e.Status != kb.Draft || e.Kind != kb.KindAnswer || e.ID == "" {
		t.Fatalf("draft = %+v", e)
	}
	if _, err := w.Publish(ctx, e.ID, "expert"); !errors.Is(err, kb.ErrWrongStatus) {
		t.Errorf("publishing a draft: %v, want ErrWrongStatus", err)
	}
	if _, err := w.Draft(ctx, kb.Entry{ID: e.ID, Question: "q", Answer: "a"}, "analyste"); !errors.Is(err, kb.ErrInvalidEntry) {
		t.Errorf("a taken id: %v, want ErrInvalidEntry", err)
	}
	if _, err := w.Validate(ctx, "nope", "expert"); !errors.Is(err, kb.ErrNoEntry) {
		t.Errorf("validating nothing: %v, want ErrNoEntry", err)
	}
	if _, err := w.Validate(ctx, e.ID, "expert"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Publish(ctx, e.ID, "expert"); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.State.Published(); len(got) != 1 || got[0].ID != e.ID {
		t.Fatalf("writer's published entries = %+v", got)
	}

	follower := kb.NewState()
	done := make(chan struct{})
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer close(done)
		eventlog.Follow(fctx, []string{addr}, events.TopicKB, follower.Apply, func() {}, slog.Default())
	}()
	for {
		if got, ok := follower.Entry(e.ID); ok && got.Status == kb.Published {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the follower never saw the entry published")
		case <-time.After(50 * time.Millisecond):
		}
	}
	if !reflect.DeepEqual(follower.Entries(), w.State.Entries()) {
		t.Errorf("follower %+v\nwriter %+v", follower.Entries(), w.State.Entries())
	}
	stop()
	<-done
}

// TestStateIgnoresOlderEvents: reading the log back never undoes a step the
// writer applied at once.
func TestStateIgnoresOlderEvents(t *testing.T) {
	s := kb.NewState()
	entry := kb.Entry{ID: "a", Question: "q", Answer: "r"}.Wire()
	at := time.Now()
	drafted, _ := events.New("t", "", at, events.KBEntryChanged{Type: events.TypeKBEntryDrafted, Entry: entry})
	published, _ := events.New("t", "", at.Add(time.Second), events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: entry})
	apply := func(env events.Envelope) {
		raw, _ := env.Marshal()
		env, p, err := events.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		s.Apply(env, p)
	}
	apply(published)
	apply(drafted)
	s.Apply(drafted, &events.FeedbackGiven{}) // another kind: ignored
	if e, _ := s.Entry("a"); e.Status != kb.Published {
		t.Errorf("status %s after an older draft event, want published", e.Status)
	}
	if got, version := s.Published(); len(got) != 1 || version != published.ID {
		t.Errorf("published %v version %s", got, version)
	}
}

// TestUpdateDraftsANewVersionBesideThePublishedOne: the published version
// answers while its new version is drafted and validated; publishing the new
// version replaces it.
func TestUpdateDraftsANewVersionBesideThePublishedOne(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"}
	e, err := w.Draft(ctx, kb.Entry{Question: "Où garer mon vélo ?", Answer: "Arceaux place du marché.", Source: "Ville"}, "analyste")
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func(context.Context, string, string) (kb.Entry, error){w.Validate, w.Publish} {
		if _, err := step(ctx, e.ID, "expert"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Update(ctx, "nope", e, "expert"); !errors.Is(err, kb.ErrNoEntry) {
		t.Errorf("updating nothing: %v, want ErrNoEntry", err)
	}
	next := e
	next.Alternatives = []string{"stationnement bicyclette"}
	next.Source = ""
	d, err := w.Update(ctx, e.ID, next, "expert")
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != e.ID || d.Status != kb.Draft || d.Source != "Ville" {
		t.Fatalf("new version = %+v", d)
	}
	published := func() []string {
		got, _ := w.State.Published()
		if len(got) != 1 {
			t.Fatalf("published = %+v", got)
		}
		return got[0].Alternatives
	}
	if alts := published(); len(alts) != 0 {
		t.Fatalf("the draft answers before it is published: %v", alts)
	}
	if cur, _ := w.State.Entry(e.ID); cur.Status != kb.Draft {
		t.Errorf("Entry gives %s, want the pending draft", cur.Status)
	}
	if _, err := w.Validate(ctx, e.ID, "expert"); err != nil {
		t.Fatal(err)
	}
	if alts := published(); len(alts) != 0 {
		t.Fatalf("the validated version answers before it is published: %v", alts)
	}
	if _, err := w.Publish(ctx, e.ID, "expert"); err != nil {
		t.Fatal(err)
	}
	if alts := published(); !reflect.DeepEqual(alts, []string{"stationnement bicyclette"}) {
		t.Fatalf("published alternatives = %v", alts)
	}

	// On the log, the new version's draft and validation are marked pending,
	// for the readers that keep only an entry's latest event.
	var mu sync.Mutex
	var pending []bool
	fctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	defer func() { stop(); <-done }()
	go func() {
		defer close(done)
		eventlog.Follow(fctx, []string{addr}, events.TopicKB, func(env events.Envelope, p events.Payload) {
			if c, ok := p.(*events.KBEntryChanged); ok {
				mu.Lock()
				pending = append(pending, c.Pending)
				mu.Unlock()
			}
		}, func() {}, slog.Default())
	}()
	want := []bool{false, false, false, true, true, false}
	for {
		mu.Lock()
		got := slices.Clone(pending)
		mu.Unlock()
		if len(got) >= len(want) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("pending flags on the log = %v, want %v", got, want)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the log holds %d of the %d events", len(got), len(want))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestImportKeepsWhatASheetDoesNotCarry exports a published entry to a
// spreadsheet, changes its answer there and imports it back through a real
// broker: the answer changes, and what the spreadsheet has no column for (the
// full reference text, accepted negatives, answers per audience, the national
// mark, the group, the territory, the kind) is still the entry's.
func TestImportKeepsWhatASheetDoesNotCarry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"}
	e := kb.Entry{ID: "accueil", Question: "Comment obtenir une attestation d'accueil ?", Answer: "En mairie, sur rendez-vous.",
		Reference: "Texte complet de la fiche.", Negatives: []string{"accueil de loisirs"},
		AudienceAnswers: map[kb.Audience]string{kb.Entreprise: "Pour un salarié étranger, voyez la préfecture."},
		Audiences:       []kb.Audience{kb.Particulier, kb.Entreprise}, National: true, Cluster: "g1", Tenant: "montclar",
		Kind: kb.KindAnswer, Status: kb.Published, Source: "Mairie"}
	change := events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: e.Wire(), By: "import"}
	ev, err := events.New("montclar", "", time.Now(), change)
	if err != nil {
		t.Fatal(err)
	}
	w.State.Apply(ev, &change)
	data, err := kb.WriteSheet("csv", w.State.Entries())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := kb.ReadSheet("base.csv", []byte(strings.Replace(string(data), "En mairie, sur rendez-vous.", "En mairie, sans rendez-vous.", 1)))
	if err != nil {
		t.Fatal(err)
	}
	entries, errs := kb.SheetEntries(rows)
	if errs != nil {
		t.Fatal(errs)
	}
	plan, err := w.Import(ctx, entries, "expert", false)
	if err != nil || !slices.Equal(plan.Changed, []string{"accueil"}) {
		t.Fatalf("import: %+v, %v", plan, err)
	}
	got, ok := w.State.Entry("accueil")
	if !ok || got.Answer != "En mairie, sans rendez-vous." {
		t.Fatalf("after import: %+v", got)
	}
	want := e
	want.Answer = got.Answer
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the import lost what the sheet does not carry:\n got %#v\nwant %#v", got, want)
	}
}

// TestAddPhrasingOnce: a phrasing the entry already has, in its question, its
// alternatives or its negatives (whatever its case, accents or spaces), is not
// added again when a second tester's identical message is assigned, or an
// assignment is sent twice: the draft keeps one of it.
func TestAddPhrasingOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"}
	e, err := w.Draft(ctx, kb.Entry{Question: "Horaires de la mairie ?", Alternatives: []string{"mairie ouverte quand"}, Answer: "De 9 h à 12 h."}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, add := range []struct {
		text     string
		negative bool
	}{
		{"la mairie ouvre a quelle heure", false},
		{"La mairie ouvre à quelle  heure", false},
		{"Mairie ouverte quand", false},
		{"horaires de la mairie ?", false},
		{"horaires de la piscine", true},
		{"Horaires de la piscine", true},
	} {
		if _, err := w.AddPhrasing(ctx, e.ID, add.text, add.negative, "bob"); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := w.State.Entry(e.ID)
	if want := []string{"mairie ouverte quand", "la mairie ouvre a quelle heure"}; !slices.Equal(got.Alternatives, want) {
		t.Errorf("alternatives %q, want %q", got.Alternatives, want)
	}
	if want := []string{"horaires de la piscine"}; !slices.Equal(got.Negatives, want) {
		t.Errorf("negatives %q, want %q", got.Negatives, want)
	}
}

// TestSheetWithoutAColumnKeepsItsFields: a town's sheet with only the columns
// it needs (id, question, réponse) changes the answers it changes and keeps
// what it has no column for (service, public, links, review date, status):
// imported again as it is, it changes nothing.
func TestSheetWithoutAColumnKeepsItsFields(t *testing.T) {
	ctx := t.Context()
	_, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"}
	e := kb.Entry{ID: "verre", Question: "Où jeter le verre ?", Answer: "Dans les bornes vertes.", Alternatives: []string{"bouteilles"},
		Audiences: []kb.Audience{kb.Particulier}, Service: "Déchets", Theme: "Tri", Source: "Mairie", Demande: "encombrants",
		Links: []kb.Link{{Label: "Carte", URL: "https://montclar.fr/verre"}}, ReviewBy: "2027-09-01", Kind: kb.KindAnswer, Status: kb.Draft}
	change := events.KBEntryChanged{Type: events.TypeKBEntryDrafted, Entry: e.Wire(), By: "anne"}
	ev, err := events.New("montclar", "", time.Now(), change)
	if err != nil {
		t.Fatal(err)
	}
	w.State.Apply(ev, &change)
	sheet := func(answer string) []kb.Entry {
		entries, errs := kb.SheetEntries([][]string{{"Identifiant", "Question", "Réponse"}, {"verre", "Où jeter le verre ?", answer}})
		if errs != nil {
			t.Fatal(errs)
		}
		return entries
	}
	if plan, err := w.Import(ctx, sheet(e.Answer), "expert", true); err != nil || len(plan.Unchanged) != 1 {
		t.Errorf("the same answers: %+v, %v; want nothing changed", plan, err)
	}
	if _, err := w.Import(ctx, sheet("Dans les bornes vertes, de 7 h à 22 h."), "expert", false); err != nil {
		t.Fatal(err)
	}
	got, _ := w.State.Entry("verre")
	want := e
	want.Answer = "Dans les bornes vertes, de 7 h à 22 h."
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the import lost what the sheet has no column for:\n got %#v\nwant %#v", got, want)
	}
}
