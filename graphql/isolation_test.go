package graphql_test

// Every read path where a caller bound to one commune could read another
// commune's data: each test names the path, proves the caller's own data
// still reads, and fails if the neighbour's does.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
)

const leakA, leakB = "montclar", "saint-aubin-sur-leze"

// foreignEntries lists every KbEntry found anywhere in a JSON answer (objects
// with "tenant" next to "id") of a tenant other than own and its
// intercommunalité, with their alternatives.
func foreignEntries(raw json.RawMessage, own string) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ten, ok := x["tenant"].(string); ok && ten != own && ten != "cc-val-de-leze" {
				out = append(out, fmt.Sprintf("%v (tenant %s, alternatives %v)", x["id"], ten, x["alternatives"]))
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	var v any
	json.Unmarshal(raw, &v)
	walk(v)
	return out
}

// TestLeakKbEntriesAndTrials: Saint-Aubin's expert must not read Montclar's
// published entries, with their alternatives (citizens' words) and
// negatives, through kbEntries and tryPhrasing; Montclar's expert reads them.
func TestLeakKbEntriesAndTrials(t *testing.T) {
	tr := newTerritory(t)
	const q = `{
		all: kbEntries(first: 500) { id tenant alternatives negatives }
		found: kbEntries(search: "refaire mon passeport", first: 3) { id tenant alternatives }
		tryPhrasing(text: "je veux refaire mon passeport") { published { text entry { id tenant alternatives } suggestions { id tenant } } }
	}`
	data, errs := post(t, tr.c, q, bearer(tr.token(t, "EXPERT", leakB)))
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	for field, raw := range data {
		if leaked := foreignEntries(raw, leakB); len(leaked) > 0 {
			t.Errorf("B's expert reads A's entries in %s: %d, e.g. %s", field, len(leaked), leaked[0])
		}
	}
	data, errs = post(t, tr.c, q, bearer(tr.token(t, "EXPERT", leakA)))
	for _, field := range []string{"all", "found", "tryPhrasing"} {
		if !strings.Contains(string(data[field]), `"id":"passeport"`) {
			t.Errorf("A's expert does not read its passport entry in %s: %.300s %v", field, data[field], errs)
		}
	}
}

// TestLeakCollisions: Saint-Aubin's expert tries its own draft against
// Saint-Aubin's published entries: the collisions name none of Montclar's
// (with their alternatives), and still name Saint-Aubin's own.
func TestLeakCollisions(t *testing.T) {
	tr := newServedTerritory(t)
	expertB := bearer(tr.token(t, "EXPERT", leakB))
	var d struct{ DraftKbEntry struct{ ID, Tenant string } }
	tr.c.MustPost(`mutation { draftKbEntry(input: {question: "Où est le city-stade ?", answer: "Derrière l'école.",
		alternatives: ["je veux refaire mon passeport", "horaires de la mairie", "bonjour"]}) { id tenant } }`, &d, expertB)
	if d.DraftKbEntry.Tenant != leakB {
		t.Fatalf("B's draft is %q's", d.DraftKbEntry.Tenant)
	}
	data, errs := post(t, tr.c, `query($id: ID!) {
		kbCollisions(draftId: $id) { text published { id tenant alternatives } draft { id tenant alternatives } }
		tryPhrasing(text: "je veux refaire mon passeport", draftId: $id) { draft { entry { id tenant alternatives } } }
	}`, expertB, client.Var("id", d.DraftKbEntry.ID))
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	for field, raw := range data {
		if leaked := foreignEntries(raw, leakB); len(leaked) > 0 {
			t.Errorf("B's expert reads A's entries in %s: %s", field, leaked)
		}
	}
	// Some of the draft's phrasings reach Saint-Aubin's own entries.
	if got := string(data["kbCollisions"]); !strings.Contains(got, `"tenant":"`+leakB+`"`) {
		t.Errorf("B's draft collides with none of B's entries: %s", got)
	}
}

// mineShared puts one question of A and one of B in group g1, labelled with
// B's question (the label is the group's most typical question of all time),
// and returns A's conversation id.
func mineShared(t *testing.T, tr territory) (convA string) {
	t.Helper()
	at := time.Now().UTC()
	var sigs []projections.Signal
	var as []projections.Assignment
	for _, q := range []struct{ tenant, text string }{{leakA, "ou deposer mon vieux canape (A)"}, {leakB, "ramassage du canape chez mme durand a saint-aubin (B)"}} {
		id := events.NewID(at)
		if q.tenant == leakA {
			convA = id
		}
		sigs = append(sigs, projections.Signal{Turn: projections.Turn{UtteranceID: id, ConversationID: id, Tenant: q.tenant, At: at, Text: q.text},
			Reasons: []string{"non_repondu"}})
		as = append(as, projections.Assignment{UtteranceID: id, ClusterID: "g1", At: at})
	}
	if err := tr.queries.WriteMining(context.Background(), sigs, as,
		[]projections.ClusterLabel{{ID: "g1", Label: "ramassage du canape chez mme durand a saint-aubin (B)", Size: 2}}); err != nil {
		t.Fatal(err)
	}
	return convA
}

// TestLeakCoveredByAnotherCommune: Saint-Aubin's expert answers the shared
// group g1 with an entry of its own. For Saint-Aubin the group is covered;
// for Montclar, whose citizens that entry never answers, it is not, and
// Montclar's analyst reads nothing of the entry (id, question, when it was
// published).
func TestLeakCoveredByAnotherCommune(t *testing.T) {
	tr := newTerritory(t)
	mineShared(t, tr)
	expertB := bearer(tr.token(t, "EXPERT", leakB))
	var d struct{ DraftKbEntry struct{ ID string } }
	tr.c.MustPost(`mutation { draftKbEntry(input: {question: "Comment faire enlever un canapé à Saint-Aubin ?",
		answer: "Appelez le 01 99 00 34 00, enlèvement le mardi.", clusterId: "g1"}) { id } }`, &d, expertB)
	for _, m := range []string{"validateKbEntry", "publishKbEntry"} {
		if _, errs := post(t, tr.c, fmt.Sprintf(`mutation { %s(id: %q) { id } }`, m, d.DraftKbEntry.ID), expertB); len(errs) != 0 {
			t.Fatalf("%s: %v", m, errs)
		}
	}
	q := `{ unansweredClusters(` + period + `) { id examples covered coveredBy coveredQuestion }
		unansweredCluster(id: "g1", ` + period + `) { coveredAt questions { text } } }`
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, _ := post(t, tr.c, q, bearer(adminToken))
		if strings.Contains(string(data["unansweredClusters"]), `"covered":true`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the projections never held B's entry: %s", data["unansweredClusters"])
		}
		time.Sleep(50 * time.Millisecond)
	}
	analystA := bearer(tr.token(t, "ANALYST", leakA))
	data, errs := post(t, tr.c, q, analystA)
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	if b, _ := post(t, tr.c, q, bearer(tr.token(t, "ANALYST", leakB))); !strings.Contains(string(b["unansweredClusters"]), d.DraftKbEntry.ID) {
		t.Errorf("B's analyst does not read its own entry on the group: %s", b["unansweredClusters"])
	}
	if got := string(data["unansweredClusters"]); strings.Contains(got, d.DraftKbEntry.ID) || strings.Contains(got, "Saint-Aubin") {
		t.Errorf("A's analyst reads B's entry on the shared group: %s", got)
	}
	if got := string(data["unansweredCluster"]); !strings.Contains(got, `"coveredAt":null`) {
		t.Errorf("A's analyst reads when B's entry was published: %s", got)
	}
}

// TestLeakExportedGroupLabel: Montclar's administrator exports a Montclar
// citizen's conversation (RGPD access request); its mined question is in the
// shared group g1, whose label is a Saint-Aubin citizen's question: only the
// platform's export names the group by it (group_label).
func TestLeakExportedGroupLabel(t *testing.T) {
	tr := newTerritory(t)
	convA := mineShared(t, tr)
	adminA := bearer(tr.token(t, "ADMIN", leakA))
	data, errs := post(t, tr.c, fmt.Sprintf(`{ exportConversation(id: %q) }`, convA), adminA)
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	var doc string
	json.Unmarshal(data["exportConversation"], &doc)
	if !strings.Contains(doc, "(A)") {
		t.Fatalf("A's export lacks A's question: %s", doc)
	}
	if strings.Contains(doc, "(B)") {
		t.Errorf("A's export of A's conversation holds B's citizen's question:\n%s", doc)
	}
	data, _ = post(t, tr.c, fmt.Sprintf(`{ exportConversation(id: %q) }`, convA), bearer(adminToken))
	if !strings.Contains(string(data["exportConversation"]), "group_label") {
		t.Errorf("the platform's export names no group: %s", data["exportConversation"])
	}
}

// TestLeakCampaignOnAnotherCommune: Saint-Aubin's analyst creates a test
// campaign, and plays the tester on Montclar's assistant with its invite token
// (the Origin header is the caller's to set): refused, nothing logged, so the
// report could never open Montclar's entries. On Saint-Aubin's own assistant
// the report names Saint-Aubin's entries, and no other commune's.
func TestLeakCampaignOnAnotherCommune(t *testing.T) {
	tr := newServedTerritory(t)
	analystB := bearer(tr.token(t, "ANALYST", leakB))
	var created struct {
		CreateCampaign struct{ ID, InviteURL string }
	}
	tr.c.MustPost(`mutation { createCampaign(name: "Essai") { id inviteUrl } }`, &created, analystB)
	invite := created.CreateCampaign.InviteURL
	token := invite[strings.Index(invite, "campaign=")+len("campaign="):]

	start := `mutation($t: ID!, $c: String) { startConversation(tenant: $t, campaign: $c) { id tenant } }`
	before := eventsOnTheLog(t, tr.addr)
	if _, got := post(t, tr.c, start, origin("https://www.montclar.fr"), client.Var("t", leakA), client.Var("c", token)); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
		t.Errorf("B's campaign on A's assistant: codes %v, want [BAD_USER_INPUT]", got)
	}
	if after := eventsOnTheLog(t, tr.addr); after != before {
		t.Errorf("the refused start logged %d events", after-before)
	}

	site := origin("https://www.saint-aubin-sur-leze.fr")
	var started struct{ StartConversation struct{ ID, Tenant string } }
	tr.c.MustPost(start, &started, site, client.Var("t", leakB), client.Var("c", token))
	conv := started.StartConversation.ID
	for _, text := range []string{"horaires de la mairie", "je veux refaire mon passeport"} {
		var send struct {
			SendMessage struct {
				Outcome string
				Entry   *struct{ ID, Tenant string }
			}
		}
		tr.c.MustPost(`mutation($c: ID!, $q: String!) { sendMessage(conversationId: $c, text: $q) { outcome entry { id tenant } } }`, &send,
			site, client.Var("c", conv), client.Var("q", text))
		if send.SendMessage.Entry != nil && send.SendMessage.Entry.Tenant != leakB {
			t.Errorf("B's assistant answered %q with %+v", text, *send.SendMessage.Entry)
		}
		var rated struct{ RateAnswer bool }
		tr.c.MustPost(`mutation($c: ID!) { rateAnswer(conversationId: $c, understood: false) }`, &rated, site, client.Var("c", conv))
	}
	report := fmt.Sprintf(`{ campaignReport(id: %q) { byEntry { entry { id tenant alternatives } } misunderstood { text entry { id tenant alternatives } } } }`,
		created.CreateCampaign.ID)
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, errs := post(t, tr.c, report, analystB)
		if len(errs) != 0 {
			t.Fatalf("B's own report: %v", errs)
		}
		if strings.Contains(string(data["campaignReport"]), `"entry":{`) {
			if leaked := foreignEntries(data["campaignReport"], leakB); len(leaked) > 0 {
				t.Errorf("B's analyst reads A's entries in its campaign report: %s", leaked)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no entry ever reached the report: %s", data["campaignReport"])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLeakImportOracle: Montclar's expert drafts an entry. Saint-Aubin's
// expert, by dry-run imports, must not confirm a guess of its content: a row
// equal to Montclar's draft is refused as any other (« unchanged » would say
// the guess is right).
func TestLeakImportOracle(t *testing.T) {
	tr := newTerritory(t)
	expertA, expertB := bearer(tr.token(t, "EXPERT", leakA)), bearer(tr.token(t, "EXPERT", leakB))
	var d struct{ DraftKbEntry struct{ ID string } }
	tr.c.MustPost(`mutation { draftKbEntry(input: {question: "Code de la porte du local associatif ?", answer: "1234B"}) { id } }`, &d, expertA)
	id := d.DraftKbEntry.ID
	sheet := func(answer string) string {
		return base64.StdEncoding.EncodeToString([]byte("id,question,réponse,source,statut\n" +
			id + ",Code de la porte du local associatif ?," + answer + ",Ville de Montclar,brouillon\n"))
	}
	imp := `mutation($f: String!) { importKb(file: $f, filename: "base.csv") { added changed unchanged } }`
	wrong, wrongErrs := post(t, tr.c, imp, expertB, client.Var("f", sheet("0000A")))
	right, rightErrs := post(t, tr.c, imp, expertB, client.Var("f", sheet("1234B")))
	if len(rightErrs) == 0 {
		t.Errorf("B's expert imports a row of A's draft: %s", right["importKb"])
	}
	if (len(wrongErrs) == 0) != (len(rightErrs) == 0) {
		t.Errorf("B's expert tells a right guess of A's draft answer from a wrong one: %v %s / %v %s", wrongErrs, wrong["importKb"], rightErrs, right["importKb"])
	}
}

// TestLeakDraftIDOracle: Saint-Aubin's expert drafting a question Montclar
// has a draft of gets an id of its own, not « already taken » (which would
// tell that Montclar has it).
func TestLeakDraftIDOracle(t *testing.T) {
	tr := newTerritory(t)
	expertA, expertB := bearer(tr.token(t, "EXPERT", leakA)), bearer(tr.token(t, "EXPERT", leakB))
	const q = `mutation { draftKbEntry(input: {question: "Code de la porte du local associatif ?", answer: "x"}) { id } }`
	var a, b struct{ DraftKbEntry struct{ ID string } }
	tr.c.MustPost(q, &a, expertA)
	if _, errs := post(t, tr.c, q, expertA); len(errs) != 1 || errs[0] != "BAD_USER_INPUT" {
		t.Errorf("A's expert drafting its question again: codes %v, want [BAD_USER_INPUT]", errs)
	}
	resp, err := tr.c.RawPost(q, expertB)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(resp.Errors), "déjà pris") {
		t.Errorf("B's expert learns that A has an entry of that question: %s", resp.Errors)
	}
	raw, _ := json.Marshal(resp.Data)
	if err := json.Unmarshal(raw, &b); err != nil || b.DraftKbEntry.ID == "" || b.DraftKbEntry.ID == a.DraftKbEntry.ID {
		t.Errorf("B's draft has id %q (A's %q): %v %s", b.DraftKbEntry.ID, a.DraftKbEntry.ID, err, resp.Errors)
	}
}

// TestReplayStatusIsThePlatforms: a commune's administrator reads nothing of
// the platform's replays, as it may start none.
func TestReplayStatusIsThePlatforms(t *testing.T) {
	tr := newTerritory(t)
	if _, got := post(t, tr.c, `{ replayStatus { running } }`, bearer(tr.token(t, "ADMIN", leakA))); len(got) != 1 || got[0] != "FORBIDDEN" {
		t.Errorf("A's administrator reading the replay: codes %v, want [FORBIDDEN]", got)
	}
	if _, got := post(t, tr.c, `{ replayStatus { running } }`, bearer(adminToken)); len(got) != 0 {
		t.Errorf("the platform's administrator reading the replay: %v", got)
	}
}

// TestLeakChat: Saint-Aubin's expert, with its token, talks to Montclar's
// assistant (a public mutation): the reply's entry is Montclar's, shown as a
// citizen sees it, without its alternatives and negatives (citizens' words).
func TestLeakChat(t *testing.T) {
	tr := newServedTerritory(t)
	expertB := bearer(tr.token(t, "EXPERT", leakB))
	var start struct{ StartConversation struct{ ID, Tenant string } }
	tr.c.MustPost(`mutation($t: ID) { startConversation(tenant: $t) { id tenant } }`, &start, expertB, client.Var("t", leakA))
	data, errs := post(t, tr.c, `mutation($c: ID!) { sendMessage(conversationId: $c, text: "je veux refaire mon passeport") { outcome entry { id tenant alternatives negatives clusterId } suggestions { id tenant alternatives } } }`,
		expertB, client.Var("c", start.StartConversation.ID))
	if len(errs) != 0 {
		t.Fatalf("errors %v", errs)
	}
	var reply struct {
		Entry *struct {
			ID, Tenant              string
			Alternatives, Negatives []string
			ClusterID               *string
		}
	}
	json.Unmarshal(data["sendMessage"], &reply)
	if reply.Entry == nil || reply.Entry.Tenant != leakA {
		t.Fatalf("the reply's entry is %+v, want Montclar's passport entry", reply.Entry)
	}
	if e := reply.Entry; len(e.Alternatives) > 0 || len(e.Negatives) > 0 || e.ClusterID != nil {
		t.Errorf("B's expert reads A's entry %s through sendMessage: %d alternatives, %d negatives, group %v", e.ID, len(e.Alternatives), len(e.Negatives), e.ClusterID)
	}
}
