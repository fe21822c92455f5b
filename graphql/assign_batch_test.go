package graphql_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
)

// TestAssignPhrasingsIsAllOrNothing: a batch of assignments with one wrong
// entry id names that assignment and its entry, and makes none of them (the
// good one before it is not drafted); the corrected batch is made whole.
func TestAssignPhrasingsIsAllOrNothing(t *testing.T) {
	tr := newTerritory(t)
	tr.publishDemo(t)
	const site = "https://www.montclar.fr"
	var created struct {
		CreateCampaign struct{ ID, InviteURL string }
	}
	tr.c.MustPost(`mutation { createCampaign(name: "Avant lancement", scenarios: ["Inscrivez votre fils à la cantine"]) { id inviteUrl } }`,
		&created, bearer(adminToken))
	invite := created.CreateCampaign.InviteURL
	token := invite[strings.Index(invite, "campaign=")+len("campaign="):]
	var start struct{ StartConversation struct{ ID string } }
	tr.c.MustPost(`mutation($c: String) { startConversation(campaign: $c, channel: "widget") { id } }`, &start, origin(site), client.Var("c", token))
	conv := start.StartConversation.ID
	for _, text := range []string{"mon gamin mange à la cantoche", "papiers égarés que faire"} {
		var send struct{ SendMessage struct{ Outcome string } }
		tr.c.MustPost(`mutation($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { outcome } }`, &send,
			origin(site), client.Var("c", conv), client.Var("t", text))
		var rated struct{ RateAnswer bool }
		tr.c.MustPost(`mutation($c: ID!) { rateAnswer(conversationId: $c, understood: false) }`, &rated, origin(site), client.Var("c", conv))
	}

	report := fmt.Sprintf(`{ campaignReport(id: %q) { misunderstood { id text } } }`, created.CreateCampaign.ID)
	ids := map[string]string{}
	for deadline := time.Now().Add(20 * time.Second); len(ids) < 2; {
		data, errs := post(t, tr.c, report, bearer(adminToken))
		if len(errs) > 0 {
			t.Fatalf("report: %v", errs)
		}
		var rep struct{ Misunderstood []struct{ ID, Text string } }
		json.Unmarshal(data["campaignReport"], &rep)
		for _, p := range rep.Misunderstood {
			ids[p.Text] = p.ID
		}
		if time.Now().After(deadline) {
			t.Fatalf("the testers' phrasings never reached the report: %v", ids)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cantoche, papiers := ids["mon gamin mange à la cantoche"], ids["papiers égarés que faire"]

	batch := `mutation($a: [PhrasingAssignment!]!) { assignPhrasings(assignments: $a) { id alternatives } }`
	wrong := []map[string]string{{"phrasingId": cantoche, "entryId": "cantine"}, {"phrasingId": papiers, "entryId": "perte_vol_papier"}}
	var out struct {
		AssignPhrasings []struct {
			ID           string
			Alternatives []string
		}
	}
	err := tr.c.Post(batch, &out, bearer(adminToken), client.Var("a", wrong))
	if err == nil || !strings.Contains(err.Error(), "Attribution 2 sur 2 (entrée « perte_vol_papier »)") ||
		!strings.Contains(err.Error(), "Aucune formulation de la sélection n'a été attribuée") {
		t.Fatalf("a batch with a wrong entry id: %v", err)
	}
	if e, _ := tr.kb.State.Entry("cantine"); e.Status != "published" || containsString(e.Alternatives, "mon gamin mange à la cantoche") {
		t.Errorf("the good assignment of a refused batch was made: cantine is %s with %v", e.Status, e.Alternatives)
	}
	wrong[1]["entryId"] = "perte_vol_papiers"
	if err := tr.c.Post(batch, &out, bearer(adminToken), client.Var("a", wrong)); err != nil || len(out.AssignPhrasings) != 2 {
		t.Fatalf("the corrected batch: %v %v", out, err)
	}
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
