package graphql_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
)

// TestDemandesStayInTheirCommune: a demande filed in Montclar's assistant and
// one in Saint-Aubin's get their commune's prefix; Saint-Aubin's agent lists,
// opens, changes and counts Saint-Aubin's only, by no alias or argument; the
// intercommunalité's agent sees both and narrows to one; the platform sees
// all; Montclar's assistant does not tell the status of Saint-Aubin's code.
func TestDemandesStayInTheirCommune(t *testing.T) {
	tr := newTerritory(t)
	const montclar, saintAubin, epci = "montclar", "saint-aubin-sur-leze", "cc-val-de-leze"
	const siteM, siteS = "https://www.montclar.fr", "https://www.saint-aubin-sur-leze.fr"
	file := func(tenantID, site string) (conv, code string) {
		conv = tr.converse(t, tenantID, site, "horaires de la mairie")
		var out struct{ FileDemande struct{ TrackingCode string } }
		tr.c.MustPost(`mutation($c: ID!) { fileDemande(conversationId: $c, kind: "voirie", description: "Un nid-de-poule devant l'école",
			address: "rue des Écoles") { trackingCode } }`, &out, origin(site), client.Var("c", conv))
		return conv, out.FileDemande.TrackingCode
	}
	convM, codeM := file(montclar, siteM)
	_, codeS := file(saintAubin, siteS)
	year := time.Now().UTC().Format("2006")
	if !strings.HasPrefix(codeM, "MTC-"+year+"-000001-") || !strings.HasPrefix(codeS, "SAL-"+year+"-000001-") {
		t.Fatalf("codes %s and %s, want MTC-%s-000001-… and SAL-%s-000001-…", codeM, codeS, year, year)
	}

	agentS, agentEPCI := bearer(tr.token(t, "AGENT", saintAubin)), bearer(tr.token(t, "AGENT", epci))
	platform := bearer(adminToken)
	list := func(opt client.Option, args string) string {
		t.Helper()
		data, errs := post(t, tr.c, `{ demandes`+args+` { tenant demande { trackingCode } } }`, opt)
		if len(errs) != 0 {
			t.Fatalf("demandes%s: %v", args, errs)
		}
		var got []struct {
			Tenant  string
			Demande struct{ TrackingCode string }
		}
		json.Unmarshal(data["demandes"], &got)
		var out []string
		for _, d := range got {
			out = append(out, d.Tenant+":"+d.Demande.TrackingCode[:3])
		}
		return strings.Join(out, " ")
	}
	for _, tt := range []struct {
		who  string
		opt  client.Option
		args string
		want string
	}{
		{"Saint-Aubin's agent", agentS, "", saintAubin + ":SAL"},
		{"the EPCI's agent", agentEPCI, "", saintAubin + ":SAL " + montclar + ":MTC"},
		{"the EPCI's agent, Montclar's", agentEPCI, `(tenant: "montclar")`, montclar + ":MTC"},
		{"the platform", platform, "", saintAubin + ":SAL " + montclar + ":MTC"},
	} {
		if got := list(tt.opt, tt.args); got != tt.want {
			t.Errorf("%s lists %q, want %q", tt.who, got, tt.want)
		}
	}

	// The territory picker: one commune for Saint-Aubin's agent, three for the EPCI's.
	for _, tt := range []struct {
		opt  client.Option
		want string
	}{{agentS, `[{"id":"saint-aubin-sur-leze"}]`}, {agentEPCI, `[{"id":"cc-val-de-leze"},{"id":"montclar"},{"id":"saint-aubin-sur-leze"}]`}} {
		if data, errs := post(t, tr.c, `{ demandeTerritories { id } }`, tt.opt); string(data["demandeTerritories"]) != tt.want {
			t.Errorf("demandeTerritories = %s %v, want %s", data["demandeTerritories"], errs, tt.want)
		}
	}

	// Saint-Aubin's agent and Montclar's demande: not in the list by any
	// argument, not opened, not changed, not assigned, in no alias.
	for _, tt := range []struct{ name, query, want string }{
		{"list narrowed to Montclar", `{ own: demandes { tenant } other: demandes(tenant: "montclar") { tenant } }`, "FORBIDDEN"},
		{"list narrowed to the EPCI", `{ demandes(tenant: "cc-val-de-leze") { tenant } }`, "FORBIDDEN"},
		{"update", `mutation { updateDemandeStatus(trackingCode: "` + codeM + `", status: TRAITEE, message: "fait") { status } }`, "BAD_USER_INPUT"},
		{"assign", `mutation { assignDemande(trackingCode: "` + codeM + `", assignee: "moi") { assignee } }`, "BAD_USER_INPUT"},
		{"figures narrowed to Montclar", `{ demandeFigures(` + period + `, tenant: "montclar") { filed } }`, "FORBIDDEN"},
	} {
		if data, got := post(t, tr.c, tt.query, agentS); len(got) == 0 || got[0] != tt.want || strings.Contains(string(mustJSON(data)), "MTC") {
			t.Errorf("%s: codes %v, data %s; want [%s] and nothing of Montclar", tt.name, got, mustJSON(data), tt.want)
		}
	}
	data, errs := post(t, tr.c, `{ m: demandeCase(trackingCode: "`+strings.ToLower(codeM)+`") { email description }
		s: demandeCase(trackingCode: "`+codeS+`") { tenant description } }`, agentS)
	if len(errs) != 0 || string(data["m"]) != "null" || !strings.Contains(string(data["s"]), `"tenant":"saint-aubin-sur-leze"`) {
		t.Errorf("Saint-Aubin's agent opens %s and %s: %v", data["m"], data["s"], errs)
	}
	data, _ = post(t, tr.c, `{ demandeCase(trackingCode: "`+codeM+`") { demande { status } assignee history { type } } }`, platform)
	if got := string(data["demandeCase"]); !strings.Contains(got, `"status":"RECUE"`) || strings.Contains(got, "moi") || strings.Contains(got, "status_changed") {
		t.Errorf("Montclar's demande after Saint-Aubin's attempts: %s", got)
	}
	// The EPCI's agent changes Montclar's.
	if _, errs := post(t, tr.c, `mutation { updateDemandeStatus(trackingCode: "`+codeM+`", status: EN_COURS, message: "Une équipe passe demain.") { status } }`, agentEPCI); len(errs) != 0 {
		t.Errorf("the EPCI's agent updates Montclar's demande: %v", errs)
	}

	// Figures: once the projector holds both, each territory counts its own.
	figures := func(opt client.Option, args string) string {
		data, errs := post(t, tr.c, `{ demandeFigures(`+period+args+`) { filed } }`, opt)
		if len(errs) != 0 {
			t.Fatalf("demandeFigures%s: %v", args, errs)
		}
		return string(data["demandeFigures"])
	}
	deadline := time.Now().Add(30 * time.Second)
	for figures(platform, "") != `{"filed":2}` {
		if time.Now().After(deadline) {
			t.Fatalf("the projections never held the two demandes: %s", figures(platform, ""))
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, tt := range []struct {
		who        string
		opt        client.Option
		args, want string
	}{
		{"Saint-Aubin's agent", agentS, "", `{"filed":1}`},
		{"Saint-Aubin's agent, its own", agentS, `, tenant: "saint-aubin-sur-leze"`, `{"filed":1}`},
		{"the EPCI's agent", agentEPCI, "", `{"filed":2}`},
		{"the EPCI's agent, Montclar's", agentEPCI, `, tenant: "montclar"`, `{"filed":1}`},
		{"the platform, Saint-Aubin's", platform, `, tenant: "saint-aubin-sur-leze"`, `{"filed":1}`},
	} {
		if got := figures(tt.opt, tt.args); got != tt.want {
			t.Errorf("%s counts %s, want %s", tt.who, got, tt.want)
		}
	}

	// The chat: Montclar's assistant answers its own code, and for Saint-Aubin's
	// says whose assistant to ask, without its status.
	ask := func(conv, site, text string) string {
		var out struct{ SendMessage struct{ Text string } }
		tr.c.MustPost(`mutation($c: ID!, $q: String!) { sendMessage(conversationId: $c, text: $q) { text } }`, &out,
			origin(site), client.Var("c", conv), client.Var("q", text))
		return out.SendMessage.Text
	}
	if got := ask(convM, siteM, "où en est ma demande "+strings.ToLower(codeM)+" ?"); !strings.Contains(got, "en cours de traitement") {
		t.Errorf("Montclar's assistant on its own code: %q", got)
	}
	if got := ask(convM, siteM, "où en est ma demande "+codeS+" ?"); !strings.Contains(got, "l'assistant de Saint-Aubin-sur-Lèze") || strings.Contains(got, "reçue") {
		t.Errorf("Montclar's assistant on Saint-Aubin's code: %q", got)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
