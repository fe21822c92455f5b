package graphql_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
)

// TestDraftFromAGroupItHolds: an entry drafted from a group takes its
// questions as other phrasings; a group that does not exist, or that another
// commune's citizens asked, is refused with a message, instead of a draft that
// would never mark anything covered.
func TestDraftFromAGroupItHolds(t *testing.T) {
	tr := newTerritory(t)
	at := time.Now().UTC()
	var sigs []projections.Signal
	var as []projections.Assignment
	for _, text := range []string{"nid de frelons dans mon jardin", "qui enleve les nids de frelons"} {
		id := events.NewID(at)
		sigs = append(sigs, projections.Signal{Turn: projections.Turn{UtteranceID: id, ConversationID: id, Tenant: "montclar", At: at, Text: text},
			Reasons: []string{"non_repondu"}})
		as = append(as, projections.Assignment{UtteranceID: id, ClusterID: "g-frelons", At: at})
	}
	if err := tr.queries.WriteMining(context.Background(), sigs, as,
		[]projections.ClusterLabel{{ID: "g-frelons", Label: "nid de frelons dans mon jardin", Size: 2}}); err != nil {
		t.Fatal(err)
	}
	analyst := bearer(tr.token(t, "ANALYST", ""))
	draft := `mutation($q: String!, $g: ID) { draftKbEntry(input: {question: $q, answer: "Un désinsectiseur agréé.", clusterId: $g}) { id } }`

	data, errs := post(t, tr.c, draft, analyst, client.Var("q", "Qui détruit les nids de frelons ?"), client.Var("g", "g-frelons"))
	if len(errs) != 0 {
		t.Fatalf("drafting from the group: %v", errs)
	}
	var id struct{ ID string }
	if err := json.Unmarshal(data["draftKbEntry"], &id); err != nil {
		t.Fatal(err)
	}
	e, ok := tr.kb.State.Entry(id.ID)
	if !ok || e.Cluster != "g-frelons" || !slices.Contains(e.Alternatives, "qui enleve les nids de frelons") {
		t.Errorf("the draft from the group: %+v", e)
	}

	saintAubin := bearer(tr.token(t, "ANALYST", "saint-aubin-sur-leze"))
	for _, c := range []struct {
		name string
		opt  client.Option
		id   string
	}{{"unknown group", analyst, "g-inconnu"}, {"another commune's group", saintAubin, "g-frelons"}} {
		resp, err := tr.c.RawPost(draft, c.opt, client.Var("q", "Frelons, "+c.name+" ?"), client.Var("g", c.id))
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(t, resp.Errors); !slices.Equal(got, []string{"BAD_USER_INPUT"}) || !strings.Contains(string(resp.Errors), "Groupe « "+c.id+" » inconnu") {
			t.Errorf("%s: %s, want BAD_USER_INPUT naming the group", c.name, resp.Errors)
		}
	}
	resp, err := tr.c.RawPost(`mutation($id: ID!) { updateKbEntry(id: $id, input: {question: "Q ?", answer: "R.", clusterId: "g-inconnu"}) { id } }`,
		analyst, client.Var("id", id.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); !slices.Equal(got, []string{"BAD_USER_INPUT"}) {
		t.Errorf("updating with an unknown group: %s", resp.Errors)
	}
}

// TestEntryNamesAKnownDemande: an entry naming a kind of demande the desk does
// not know is refused, with the kinds it knows; a known kind is kept.
func TestEntryNamesAKnownDemande(t *testing.T) {
	tr := newTerritory(t)
	expert := bearer(tr.token(t, "EXPERT", ""))
	data, errs := post(t, tr.c, `mutation { draftKbEntry(input: {question: "Le banc du square est cassé", answer: "Signalez-le.", demande: "espaces_verts"}) { id } }`, expert)
	if len(errs) != 0 {
		t.Fatalf("a known kind: %v", errs)
	}
	var id struct{ ID string }
	if err := json.Unmarshal(data["draftKbEntry"], &id); err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"draft":  `mutation { draftKbEntry(input: {question: "Le lampadaire est éteint", answer: "Signalez-le.", demande: "martiens"}) { id } }`,
		"update": `mutation { updateKbEntry(id: "` + id.ID + `", input: {question: "Le banc du square est cassé", answer: "Signalez-le.", demande: "martiens"}) { id } }`,
	} {
		resp, err := tr.c.RawPost(q, expert)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(t, resp.Errors); !slices.Equal(got, []string{"BAD_USER_INPUT"}) || !strings.Contains(string(resp.Errors), "type de demande « martiens » inconnu. Types possibles : voirie") {
			t.Errorf("%s naming an unknown kind: %s", name, resp.Errors)
		}
	}
}

// TestImportedEntryNamesAKnownDemande: a spreadsheet row naming a kind of
// demande the desk does not know is an error of its cell, as in the editor,
// and nothing is imported.
func TestImportedEntryNamesAKnownDemande(t *testing.T) {
	tr := newTerritory(t)
	expert := bearer(tr.token(t, "EXPERT", ""))
	sheet := "id;question;réponse;demande\nbanc;Le banc du square est cassé;Signalez-le.;espaces_verts\nlampadaire;Le lampadaire est éteint;Signalez-le.;martiens\n"
	data, errs := post(t, tr.c, `mutation($f: String!) { importKb(file: $f, filename: "base.csv", dryRun: false) { dryRun added errors { cell message } } }`,
		expert, client.Var("f", base64.StdEncoding.EncodeToString([]byte(sheet))))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var out struct {
		DryRun bool
		Added  []string
		Errors []struct{ Cell, Message string }
	}
	if err := json.Unmarshal(data["importKb"], &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) != 1 || out.Errors[0].Cell != "D3" || !strings.Contains(out.Errors[0].Message, "type de demande « martiens » inconnu") ||
		!strings.Contains(out.Errors[0].Message, "voirie") || len(out.Added) != 0 {
		t.Errorf("a row naming an unknown kind: %+v, want an error in D3 and nothing imported", out)
	}
}
