package graphql_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/parvis-civic/parvis/campaigns"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
)

// TestCampaignInputIsRefusedInFrench: a refused campaign, and a test
// conversation that cannot be opened, say what is wrong in French, with
// BAD_USER_INPUT.
func TestCampaignInputIsRefusedInFrench(t *testing.T) {
	c, res := newServer(t, nil)
	_, pub := eventlogtest.Start(t)
	res.CampaignState = campaigns.NewState()
	res.Creator = &campaigns.Creator{Log: pub, State: res.CampaignState, Tenant: "montclar"}
	res.InviteBase = "https://www.montclar.fr/"
	admin := client.AddHeader("Authorization", "Bearer "+adminToken)
	tests := []struct{ query, want string }{
		{`mutation { createCampaign(name: " ") { id } }`, "nom de 1 à 100 caractères"},
		{`mutation { createCampaign(name: "x", scenarios: ["ok", ""]) { id } }`, "de 1 à 300 caractères"},
		{`mutation { createCampaign(name: "x", startsAt: "2026-12-02T00:00:00Z", endsAt: "2026-12-01T00:00:00Z") { id } }`, "doit venir après"},
		{`mutation { startConversation(campaign: "pas-un-jeton") { id } }`, "lien de test n'est pas valable"},
		{`{ testCampaign(token: "pas-un-jeton") { name } }`, "lien de test n'est pas valable"},
	}
	for _, tt := range tests {
		resp, err := c.RawPost(tt.query, admin)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "BAD_USER_INPUT" || !strings.Contains(string(resp.Errors), tt.want) {
			t.Errorf("%s: %s, want BAD_USER_INPUT saying %q", tt.query, resp.Errors, tt.want)
		}
	}
	var out struct{ CreateCampaign struct{ InviteURL string } }
	c.MustPost(`mutation { createCampaign(name: "Avant lancement") { inviteUrl } }`, &out, admin)
	if !strings.HasPrefix(out.CreateCampaign.InviteURL, "https://www.montclar.fr/?campaign=") {
		t.Errorf("inviteUrl = %q", out.CreateCampaign.InviteURL)
	}
}
