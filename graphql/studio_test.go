package graphql_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/xuri/excelize/v2"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/linkcheck"
	"github.com/parvis-civic/parvis/web"
)

// newStudio serves the API with a knowledge base writer over an empty state
// and the « second pair of eyes » on; it returns a client and a way to act as
// a person of a role.
func newStudio(t *testing.T) (*client.Client, func(role, name string, services ...string) client.Option, *graphql.Resolver) {
	t.Helper()
	_, pub := eventlogtest.Start(t)
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	chat := ingest.NewService(ingest.Config{Tenant: "montclar"}, engine, pub, nil)
	res := &graphql.Resolver{Chat: chat, Engine: engine, Logger: slog.Default(),
		Tokens: auth.NewTokens(pub, "montclar"), Users: auth.NewAccounts(pub, "montclar"),
		KB: &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar", FourEyes: true,
			Scope: auth.ServicesFrom}}
	h := graphql.NewHandler(res, auth.Authenticator{AdminToken: adminToken, Tokens: res.Tokens}, false)
	c := client.New(web.WithClientAddr(nil, h))
	as := func(role, name string, services ...string) client.Option {
		var created struct{ CreateAPIToken string }
		c.MustPost(`mutation($r: Role!, $n: String!, $s: [String!]) { createApiToken(role: $r, name: $n, services: $s) }`, &created,
			client.Var("r", role), client.Var("n", name), client.Var("s", services), client.AddHeader("Authorization", "Bearer "+adminToken))
		return client.AddHeader("Authorization", "Bearer "+created.CreateAPIToken)
	}
	return c, as, res
}

// TestStudioEditHistory: an analyst drafts, an expert edits, another validates
// and publishes, then retires and restores; the history names each author with
// the answer at that step; the author of a draft gets FORBIDDEN validating it.
func TestStudioEditHistory(t *testing.T) {
	c, as, _ := newStudio(t)
	ana, alice, bob := as("ANALYST", "Anne (com)"), as("EXPERT", "Alice (déchets)"), as("EXPERT", "Bob (déchets)")
	var d struct{ DraftKbEntry struct{ ID, Status string } }
	c.MustPost(`mutation { draftKbEntry(input: {question: "Où jeter le verre ?", answer: "Bornes vertes.", service: "déchets",
		links: [{label: "Carte", url: "https://montclar.fr/verre"}]}) { id status } }`, &d, ana)
	id := d.DraftKbEntry.ID
	step := func(opt client.Option, q string) {
		t.Helper()
		var out map[string]any
		c.MustPost(q, &out, client.Var("id", id), opt)
	}
	step(alice, `mutation($id: ID!) { validateKbEntry(id: $id) { id } }`)
	step(bob, `mutation($id: ID!) { publishKbEntry(id: $id) { id } }`)
	step(alice, `mutation($id: ID!) { updateKbEntry(id: $id, input: {question: "Où jeter le verre ?", answer: "Bornes vertes, de 7 h à 22 h.", demande: "encombrants"}) { id } }`)

	resp, err := c.RawPost(`mutation($id: ID!) { validateKbEntry(id: $id) { id } }`, client.Var("id", id), alice)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"FORBIDDEN"}) {
		t.Fatalf("the author validating her own draft: %v, want FORBIDDEN", got)
	}
	step(bob, `mutation($id: ID!) { validateKbEntry(id: $id) { id } }`)
	step(bob, `mutation($id: ID!) { retireKbEntry(id: $id) { id } }`)
	step(alice, `mutation($id: ID!) { restoreKbEntry(id: $id) { id } }`)

	var h struct {
		KbEntryHistory []struct{ Author, Status, Answer, At string }
	}
	c.MustPost(`query($id: ID!) { kbEntryHistory(id: $id) { at author status answer } }`, &h, client.Var("id", id), bob)
	want := [][3]string{
		{"Anne (com)", "draft", "Bornes vertes."},
		{"Alice (déchets)", "validated", "Bornes vertes."},
		{"Bob (déchets)", "published", "Bornes vertes."},
		{"Alice (déchets)", "draft", "Bornes vertes, de 7 h à 22 h."},
		{"Bob (déchets)", "validated", "Bornes vertes, de 7 h à 22 h."},
		{"Bob (déchets)", "retired", "Bornes vertes."},
		{"Alice (déchets)", "draft", "Bornes vertes."},
	}
	if len(h.KbEntryHistory) != len(want) {
		t.Fatalf("history: %+v", h.KbEntryHistory)
	}
	for i, ch := range h.KbEntryHistory {
		if [3]string{ch.Author, ch.Status, ch.Answer} != want[i] || ch.At == "" {
			t.Errorf("change %d = %+v, want %v", i, ch, want[i])
		}
	}

	var s struct {
		KbStudio []struct {
			Entry struct {
				ID, Status, Service string
				Links               []struct{ URL string }
			}
			Author string
		}
	}
	c.MustPost(`{ kbStudio(service: "DÉCHETS", status: "draft") { entry { id status service links { url } } author } }`, &s, bob)
	if len(s.KbStudio) != 1 || s.KbStudio[0].Entry.ID != id || s.KbStudio[0].Author != "Alice (déchets)" ||
		len(s.KbStudio[0].Entry.Links) != 1 {
		t.Errorf("studio list: %+v", s.KbStudio)
	}
	c.MustPost(`{ kbStudio(status: "published") { entry { id } } }`, &s, bob)
	if len(s.KbStudio) != 0 {
		t.Errorf("published entries after the retirement: %+v", s.KbStudio)
	}

	resp, err = c.RawPost(`mutation { draftKbEntry(input: {question: "Piles ?", answer: "En mairie.",
		links: [{label: "x", url: "javascript:alert(1)"}]}) { id } }`, ana)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"BAD_USER_INPUT"}) {
		t.Errorf("a javascript: link: %v, want BAD_USER_INPUT", got)
	}
	resp, _ = c.RawPost(`mutation($id: ID!) { retireKbEntry(id: $id) { id } }`, client.Var("id", id), ana)
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"FORBIDDEN"}) {
		t.Errorf("an analyst retiring: %v, want FORBIDDEN", got)
	}
}

// TestStudioEditConflict: two experts open the same entry; the first saves
// her change; the second, saving his from the version he opened, is told who
// changed it meanwhile and saves nothing, instead of overwriting her answer
// unseen. Reopened, the entry saves.
func TestStudioEditConflict(t *testing.T) {
	c, as, _ := newStudio(t)
	alice, bob := as("EXPERT", "Alice (déchets)"), as("EXPERT", "Bob (déchets)")
	var d struct{ DraftKbEntry struct{ ID string } }
	c.MustPost(`mutation { draftKbEntry(input: {question: "Où jeter le verre ?", answer: "Bornes vertes."}) { id } }`, &d, alice)
	id := d.DraftKbEntry.ID
	opened := func(who client.Option) string {
		t.Helper()
		var s struct{ KbStudio []struct{ Version string } }
		c.MustPost(`{ kbStudio(search: "verre") { version } }`, &s, who)
		if len(s.KbStudio) != 1 || s.KbStudio[0].Version == "" {
			t.Fatalf("studio: %+v", s.KbStudio)
		}
		return s.KbStudio[0].Version
	}
	update := `mutation($id: ID!, $v: String, $a: String!) { updateKbEntry(id: $id, input: {question: "Où jeter le verre ?", answer: $a, version: $v}) { answer } }`
	aliceSaw, bobSaw := opened(alice), opened(bob)
	var u map[string]any
	c.MustPost(update, &u, client.Var("id", id), client.Var("v", aliceSaw), client.Var("a", "Bornes vertes, de 7 h à 22 h."), alice)
	resp, err := c.RawPost(update, client.Var("id", id), client.Var("v", bobSaw), client.Var("a", "Bornes vertes, sauf le dimanche."), bob)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"BAD_USER_INPUT"}) || !strings.Contains(string(resp.Errors), "Alice (déchets)") {
		t.Fatalf("saving over a change made meanwhile: %s, want BAD_USER_INPUT naming Alice", resp.Errors)
	}
	var s struct {
		KbStudio []struct{ Entry struct{ Answer string } }
	}
	c.MustPost(`{ kbStudio(search: "verre") { entry { answer } } }`, &s, bob)
	if len(s.KbStudio) != 1 || s.KbStudio[0].Entry.Answer != "Bornes vertes, de 7 h à 22 h." {
		t.Errorf("after the refused save: %+v, want Alice's answer", s.KbStudio)
	}
	aliceSaw = opened(alice)
	c.MustPost(update, &u, client.Var("id", id), client.Var("v", opened(bob)), client.Var("a", "Bornes vertes, de 7 h à 22 h, sauf le dimanche."), bob)

	// Validating or publishing the draft as it was before someone saved
	// another: refused, naming who; from the version now, done.
	step := func(mutation, version string, who client.Option, changedBy string) []string {
		t.Helper()
		resp, err := c.RawPost(`mutation($id: ID!, $v: String) { `+mutation+`(id: $id, version: $v) { status } }`, client.Var("id", id), client.Var("v", version), who)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Errors) > 0 && !strings.Contains(string(resp.Errors), changedBy) {
			t.Errorf("%s refused without naming who changed the entry: %s", mutation, resp.Errors)
		}
		return codes(t, resp.Errors)
	}
	if got := step("validateKbEntry", aliceSaw, alice, "Bob (déchets)"); !slices.Equal(got, []string{"BAD_USER_INPUT"}) {
		t.Errorf("validating the draft Alice read before Bob saved another: %v, want BAD_USER_INPUT", got)
	}
	validatorSaw := opened(alice)
	if got := step("validateKbEntry", validatorSaw, alice, ""); len(got) != 0 {
		t.Fatalf("validating the draft as it is: %v", got)
	}
	if got := step("publishKbEntry", validatorSaw, alice, "Alice (déchets)"); !slices.Equal(got, []string{"BAD_USER_INPUT"}) {
		t.Errorf("publishing from the version before the validation: %v, want BAD_USER_INPUT", got)
	}
	if got := step("publishKbEntry", opened(alice), alice, ""); len(got) != 0 {
		t.Errorf("publishing the validated entry: %v", got)
	}
}

// TestStudioScopeByService: an expert limited to « déchets » sees and changes
// only its entries: FORBIDDEN validating, retiring or editing an « état civil »
// entry, or moving a « déchets » entry to « état civil »; the lists leave the
// others out; a new entry gets the expert's only service.
func TestStudioScopeByService(t *testing.T) {
	c, as, _ := newStudio(t)
	ana := as("ANALYST", "Anne (com)")
	dechets := as("EXPERT", "Bob (déchets)", "Déchets")
	civil := as("EXPERT", "Chloé (état civil)", "état civil", "élections")
	draft := func(q, service string) string {
		var d struct{ DraftKbEntry struct{ ID string } }
		c.MustPost(`mutation($q: String!, $s: String) { draftKbEntry(input: {question: $q, answer: "Réponse.", service: $s}) { id } }`, &d,
			client.Var("q", q), client.Var("s", service), ana)
		return d.DraftKbEntry.ID
	}
	acte, verre := draft("Acte de naissance ?", "État civil"), draft("Verre ?", "déchets")
	forbidden := func(who client.Option, q string, id string) {
		t.Helper()
		resp, err := c.RawPost(q, client.Var("id", id), who)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(t, resp.Errors); !slices.Equal(got, []string{"FORBIDDEN"}) {
			t.Errorf("%s on %s: %v, want FORBIDDEN", q, id, got)
		}
	}
	forbidden(dechets, `mutation($id: ID!) { validateKbEntry(id: $id) { id } }`, acte)
	forbidden(dechets, `mutation($id: ID!) { retireKbEntry(id: $id) { id } }`, acte)
	forbidden(dechets, `mutation($id: ID!) { updateKbEntry(id: $id, input: {question: "Acte ?", answer: "Non."}) { id } }`, acte)
	forbidden(dechets, `mutation($id: ID!) { updateKbEntry(id: $id, input: {question: "Verre ?", answer: "Oui.", service: "état civil"}) { id } }`, verre)
	forbidden(dechets, `query($id: ID!) { kbEntryHistory(id: $id) { at } }`, acte)

	var v struct{ ValidateKbEntry struct{ Status string } }
	c.MustPost(`mutation($id: ID!) { validateKbEntry(id: $id) { status } }`, &v, client.Var("id", acte), civil)
	c.MustPost(`mutation($id: ID!) { validateKbEntry(id: $id) { status } }`, &v, client.Var("id", verre), dechets)
	if v.ValidateKbEntry.Status != "validated" {
		t.Errorf("the expert of the service validating: %+v", v)
	}

	var s struct {
		KbStudio []struct{ Entry struct{ ID string } }
		KbQueue  []struct{ ID string }
		Me       struct{ Services []string }
	}
	c.MustPost(`{ kbStudio { entry { id } } kbQueue { id } me { services } }`, &s, dechets)
	if len(s.KbStudio) != 1 || s.KbStudio[0].Entry.ID != verre || len(s.KbQueue) != 1 || s.KbQueue[0].ID != verre ||
		!slices.Equal(s.Me.Services, []string{"Déchets"}) {
		t.Errorf("the expert of déchets sees %+v", s)
	}
	var d struct{ DraftKbEntry struct{ Service *string } }
	c.MustPost(`mutation { draftKbEntry(input: {question: "Piles usagées ?", answer: "En déchèterie."}) { service } }`, &d, dechets)
	if d.DraftKbEntry.Service == nil || *d.DraftKbEntry.Service != "Déchets" {
		t.Errorf("a new entry of the expert of déchets has service %v", d.DraftKbEntry.Service)
	}
}

// publishDemo puts the demo town's entries in the studio's state, published.
func publishDemo(t *testing.T, res *graphql.Resolver) {
	t.Helper()
	for _, e := range kb.Demo() {
		p := &events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: e.Wire(), By: "demo"}
		env, err := events.New("montclar", "", time.Now(), p)
		if err != nil {
			t.Fatal(err)
		}
		res.KB.State.Apply(env, p)
	}
}

// TestStudioTryPhrasing: a phrasing nobody answers today is answered by the
// draft once applied, the published reply unchanged; the draft's phrasing that
// another entry keeps answering is listed as a collision.
func TestStudioTryPhrasing(t *testing.T) {
	c, as, res := newStudio(t)
	publishDemo(t, res)
	expert := as("EXPERT", "Alice")
	var d struct{ DraftKbEntry struct{ ID string } }
	c.MustPost(`mutation { draftKbEntry(input: {question: "Où récupérer mon vélo enlevé par la fourrière ?",
		alternatives: ["fourrière vélo", "bonjour"], answer: "À la fourrière municipale, rue des Tanneurs."}) { id } }`, &d, expert)
	id := d.DraftKbEntry.ID

	type reply struct {
		Outcome    string
		Confidence float64
		Entry      *struct{ ID string }
	}
	var tr struct {
		TryPhrasing struct{ Published, Draft *reply }
	}
	c.MustPost(`query($id: ID) { tryPhrasing(text: "mon vélo est parti à la fourrière, je le récupère où ?", draftId: $id) {
		published { outcome confidence entry { id } } draft { outcome confidence entry { id } } } }`, &tr, client.Var("id", id), expert)
	pub, dr := tr.TryPhrasing.Published, tr.TryPhrasing.Draft
	if pub == nil || (pub.Entry != nil && pub.Entry.ID == id) {
		t.Errorf("published reply = %+v, must not know the draft", pub)
	}
	if dr == nil || dr.Outcome != "ANSWERED" || dr.Entry == nil || dr.Entry.ID != id {
		t.Fatalf("draft reply = %+v, want ANSWERED with %s", dr, id)
	}
	var alone struct {
		TryPhrasing struct{ Published, Draft *reply }
	}
	c.MustPost(`{ tryPhrasing(text: "fourrière vélo") { published { outcome } draft { outcome } } }`, &alone, expert)
	if alone.TryPhrasing.Published == nil || alone.TryPhrasing.Draft != nil {
		t.Errorf("without a draft, the published reply only: %+v", alone.TryPhrasing)
	}

	var col struct {
		KbCollisions []struct {
			Text, Origin string
			Published    *struct{ ID string }
			Draft        *struct{ ID string }
		}
	}
	c.MustPost(`query($id: ID!) { kbCollisions(draftId: $id) { text origin published { id } draft { id } } }`, &col, client.Var("id", id), expert)
	found := false
	for _, x := range col.KbCollisions {
		if x.Text == "fourrière vélo" || x.Text == "Où récupérer mon vélo enlevé par la fourrière ?" {
			t.Errorf("the draft's own phrasing %q should reach it: %+v", x.Text, x)
		}
		if x.Text == "bonjour" && x.Origin == "PHRASING" && (x.Draft == nil || x.Draft.ID != id) {
			found = true
		}
	}
	if !found {
		t.Errorf("« bonjour », answered by the greeting, is not a collision: %+v", col.KbCollisions)
	}
}

// TestStudioReviewDate: an entry's own review date, once past, puts it among
// those to read again; a published entry without one is due 12 months after
// its publication; a date that is not one is refused.
func TestStudioReviewDate(t *testing.T) {
	c, as, res := newStudio(t)
	publishDemo(t, res)
	expert := as("EXPERT", "Alice")
	var d struct{ DraftKbEntry struct{ ID, ReviewBy string } }
	c.MustPost(`mutation { draftKbEntry(input: {question: "Tarifs de la cantine ?", answer: "Selon le quotient familial.", reviewBy: "2020-09-01"}) { id reviewBy } }`, &d, expert)
	if d.DraftKbEntry.ReviewBy != "2020-09-01" {
		t.Errorf("review date = %q", d.DraftKbEntry.ReviewBy)
	}
	var s struct {
		KbStudio []struct {
			Entry    struct{ ID string }
			ReviewBy string
			Stale    bool
		}
	}
	c.MustPost(`{ kbStudio(stale: true) { entry { id } reviewBy stale } }`, &s, expert)
	if len(s.KbStudio) != 1 || s.KbStudio[0].Entry.ID != d.DraftKbEntry.ID || !s.KbStudio[0].Stale {
		t.Errorf("entries to read again: %+v, want only %s", s.KbStudio, d.DraftKbEntry.ID)
	}
	c.MustPost(`{ kbStudio(status: "published", first: 1) { entry { id } reviewBy stale } }`, &s, expert)
	if len(s.KbStudio) != 1 || s.KbStudio[0].Stale || !strings.HasPrefix(s.KbStudio[0].ReviewBy, fmt.Sprint(time.Now().Year()+1)) {
		t.Errorf("a demo entry published now: %+v, want due in a year", s.KbStudio)
	}
	resp, err := c.RawPost(`mutation { draftKbEntry(input: {question: "Piscine ?", answer: "Ouverte.", reviewBy: "bientôt"}) { id } }`, expert)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"BAD_USER_INPUT"}) {
		t.Errorf("a review date that is not a date: %v", got)
	}
}

// TestStudioImportSheet sends an .xlsx made here: the dry run says what would
// change and imports nothing; errors come with their cells; the real import
// publishes, by its author; an expert cannot import another service's entries.
func TestStudioImportSheet(t *testing.T) {
	c, as, res := newStudio(t)
	expert, dechets := as("EXPERT", "Alice"), as("EXPERT", "Bob", "déchets")
	xlsx := func(rows ...[]string) string {
		f := excelize.NewFile()
		for i, r := range rows {
			for j, v := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				f.SetCellStr("Sheet1", cell, v)
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(b.Bytes())
	}
	head := []string{"id", "question", "réponse", "public", "service", "statut"}
	good := xlsx(head, []string{"verre", "Où jeter le verre ?", "Bornes vertes.", "Tous", "Déchets", "brouillon"},
		[]string{"acte", "Acte de naissance ?", "En mairie.", "Particuliers", "État civil", "brouillon"})
	type report struct {
		DryRun                  bool
		Added, Changed, Retired []string
		Errors                  []struct{ Cell, Message string }
	}
	var r struct{ ImportKb report }
	q := `mutation($f: String!, $d: Boolean) { importKb(file: $f, filename: "base.xlsx", dryRun: $d) { dryRun added changed retired errors { cell message } } }`
	c.MustPost(q, &r, client.Var("f", good), expert)
	if !r.ImportKb.DryRun || !slices.Equal(r.ImportKb.Added, []string{"verre", "acte"}) || res.KB.State.Len() != 0 {
		t.Fatalf("dry run: %+v, %d entries held", r.ImportKb, res.KB.State.Len())
	}
	bad := xlsx(head, []string{"verre", "Où jeter le verre ?", "Bornes vertes.", "Tous", "Déchets"},
		[]string{"verre", "Acte ?", "[ici](javascript:alert(1))", "", ""})
	c.MustPost(q, &r, client.Var("f", bad), client.Var("d", false), expert)
	if len(r.ImportKb.Errors) != 2 || r.ImportKb.Errors[0].Cell != "A3" || r.ImportKb.Errors[1].Cell != "C3" || res.KB.State.Len() != 0 {
		t.Fatalf("errors: %+v, %d entries held", r.ImportKb.Errors, res.KB.State.Len())
	}
	resp, err := c.RawPost(q, client.Var("f", good), client.Var("d", false), dechets)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"FORBIDDEN"}) || res.KB.State.Len() != 0 {
		t.Errorf("an expert of déchets importing état civil: %v", got)
	}
	// The second pair of eyes is on: an import publishes nothing itself.
	published := xlsx(head, []string{"verre", "Où jeter le verre ?", "Bornes vertes.", "Tous", "Déchets", "publiée"})
	if resp, err := c.RawPost(q, client.Var("f", published), client.Var("d", false), expert); err != nil ||
		!slices.Equal(codes(t, resp.Errors), []string{"FORBIDDEN"}) || res.KB.State.Len() != 0 {
		t.Errorf("importing a published row with the second pair of eyes on: %v", resp.Errors)
	}
	c.MustPost(q, &r, client.Var("f", good), client.Var("d", false), expert)
	if r.ImportKb.DryRun || len(r.ImportKb.Added) != 2 {
		t.Fatalf("import: %+v", r.ImportKb)
	}
	if pub, _ := res.KB.State.Published(); len(pub) != 0 || res.KB.State.Len() != 2 {
		t.Errorf("after the import: %d published of %d, want 2 drafts", len(pub), res.KB.State.Len())
	}
	if h := res.KB.State.History("acte"); len(h) != 1 || h[0].By != "Alice" {
		t.Errorf("history of acte: %+v", h)
	}
	var exp struct{ ExportKb string }
	c.MustPost(`{ exportKb(format: "ods") }`, &exp, dechets)
	data, _ := base64.StdEncoding.DecodeString(exp.ExportKb)
	rows, err := kb.ReadSheet("x.ods", data)
	if err != nil || len(rows) != 2 || rows[1][0] != "verre" {
		t.Errorf("the export of déchets: %v %v", rows, err)
	}
}

// TestStudioDeadLinks: a link of a published answer that a local server says is
// gone is listed with its entry, in deadLinks and on the entry's line.
func TestStudioDeadLinks(t *testing.T) {
	c, as, res := newStudio(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	expert := as("EXPERT", "Alice")
	var d struct{ DraftKbEntry struct{ ID string } }
	c.MustPost(`mutation($u: String!) { draftKbEntry(input: {question: "Plan du cimetière ?", answer: "Voir le plan.", links: [{label: "Plan", url: $u}]}) { id } }`,
		&d, client.Var("u", srv.URL+"/plan.pdf"), expert)
	id := d.DraftKbEntry.ID
	var m map[string]any
	c.MustPost(`mutation($id: ID!) { validateKbEntry(id: $id) { id } }`, &m, client.Var("id", id), as("EXPERT", "Bob"))
	c.MustPost(`mutation($id: ID!) { publishKbEntry(id: $id) { id } }`, &m, client.Var("id", id), expert)
	res.Links = &linkcheck.Checker{Entries: func() []kb.Entry { e, _ := res.KB.State.Published(); return e }}
	tick := make(chan time.Time)
	close(tick)
	if err := res.Links.Pass(context.Background(), tick); err != nil {
		t.Fatal(err)
	}
	var out struct {
		DeadLinks []struct {
			URL     string
			Status  *int
			Entries []struct{ ID string }
		}
		KbStudio []struct{ DeadLinks []string }
	}
	c.MustPost(`{ deadLinks { url status entries { id } } kbStudio { deadLinks } }`, &out, expert)
	if len(out.DeadLinks) != 1 || out.DeadLinks[0].URL != srv.URL+"/plan.pdf" || out.DeadLinks[0].Status == nil || *out.DeadLinks[0].Status != 404 ||
		len(out.DeadLinks[0].Entries) != 1 || out.DeadLinks[0].Entries[0].ID != id {
		t.Errorf("dead links: %+v", out.DeadLinks)
	}
	if len(out.KbStudio) != 1 || len(out.KbStudio[0].DeadLinks) != 1 {
		t.Errorf("the entry's line: %+v", out.KbStudio)
	}
}
