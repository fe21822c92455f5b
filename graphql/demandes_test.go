package graphql_test

import (
	"context"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/web"
)

// newDemandesServer is newServer with the demandes' desk.
func newDemandesServer(t *testing.T) (*client.Client, *graphql.Resolver) {
	t.Helper()
	_, pub := eventlogtest.Start(t)
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := demandes.NewCodes("MTC", []byte("a secret for the tests' codes"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := demandes.OpenKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	desk := demandes.NewDesk(demandes.Config{Tenant: "montclar", Codes: codes, Kinds: demandes.NewKinds(kb.DemoKinds()), Keys: keys}, pub)
	chat := ingest.NewService(ingest.Config{Tenant: "montclar", Desk: desk}, engine, pub, nil)
	res := &graphql.Resolver{Chat: chat, Engine: engine, Logger: slog.Default(), Desk: desk,
		Tokens: auth.NewTokens(pub, "montclar"), Users: auth.NewAccounts(pub, "montclar")}
	h := graphql.NewHandler(res, auth.Authenticator{AdminToken: adminToken, Tokens: res.Tokens}, false)
	return client.New(web.WithClientAddr(nil, h)), res
}

// onePixelPNG is a 1×1 PNG.
var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

func TestDemandesThroughGraphQL(t *testing.T) {
	c, res := newDemandesServer(t)
	ctx := context.Background()
	agent, _, err := res.Tokens.Create(ctx, auth.Agent, "", "voirie", "test")
	if err != nil {
		t.Fatal(err)
	}
	analyst, _, err := res.Tokens.Create(ctx, auth.Analyst, "", "com", "test")
	if err != nil {
		t.Fatal(err)
	}
	as := func(token string) client.Option { return client.AddHeader("Authorization", "Bearer "+token) }
	var start struct{ StartConversation struct{ ID string } }
	c.MustPost(`mutation { startConversation(audience: PARTICULIER) { id } }`, &start)
	conv := start.StartConversation.ID

	var filed struct {
		FileDemande struct{ TrackingCode, Status, KindLabel, ProcessingTime string }
	}
	c.MustPost(`mutation($c: ID!, $p: PhotoInput) { fileDemande(conversationId: $c, kind: "voirie", description: "Plaque d'égout descellée",
		address: "3 rue du Pont", point: {lat: 44.7, lon: 4.6}, photo: $p, contact: "06 11 22 33 44", consent: true) {
		trackingCode status kindLabel processingTime } }`, &filed,
		client.Var("c", conv), client.Var("p", map[string]any{"name": "plaque.png", "base64": "data:image/png;base64," + base64.StdEncoding.EncodeToString(onePixelPNG)}))
	code := filed.FileDemande.TrackingCode
	if filed.FileDemande.Status != "RECUE" || filed.FileDemande.ProcessingTime != "5 jours ouvrés" {
		t.Fatalf("filed %+v", filed)
	}

	// The public view: status only, and the same for any spelling.
	var pub struct {
		Demande *struct{ TrackingCode, Status string }
	}
	c.MustPost(`query($c: String!) { demande(trackingCode: $c) { trackingCode status } }`, &pub, client.Var("c", strings.ToLower(strings.ReplaceAll(code, "-", ""))))
	if pub.Demande == nil || pub.Demande.TrackingCode != code {
		t.Errorf("demande() = %+v", pub.Demande)
	}

	// The desk: the agent sees the contact and the photo.
	var desk struct {
		DemandeCase struct {
			Phone, Photo, Address *string
			Point                 *struct{ Lat, Lon float64 }
			Erased                bool
		}
	}
	c.MustPost(`query($c: String!) { demandeCase(trackingCode: $c) { phone photo address point { lat lon } } }`, &desk, as(agent), client.Var("c", code))
	if d := desk.DemandeCase; d.Phone == nil || *d.Phone != "0611223344" || d.Photo == nil || !strings.HasPrefix(*d.Photo, "data:image/png;base64,") || d.Point == nil {
		t.Errorf("demandeCase = %+v", d)
	}
	var up struct{ UpdateDemandeStatus struct{ Status string } }
	c.MustPost(`mutation($c: String!) { updateDemandeStatus(trackingCode: $c, status: TRAITEE, message: "Scellée.") { status } }`, &up, as(agent), client.Var("c", code))

	// The citizen asks in the chat.
	var reply struct {
		SendMessage struct {
			Text    string
			Demande *struct{ ID string }
		}
	}
	c.MustPost(`mutation($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { text demande { id } } }`, &reply,
		client.Var("c", conv), client.Var("t", "ou en est "+code))
	if !strings.Contains(reply.SendMessage.Text, "traitée") || !strings.Contains(reply.SendMessage.Text, "Scellée.") || reply.SendMessage.Demande != nil {
		t.Errorf("tracking reply %+v", reply.SendMessage)
	}

	// Erasure: the agent no longer reads the phone; the demande stays.
	var erased struct{ EraseDemandeContact bool }
	c.MustPost(`mutation($c: String!) { eraseDemandeContact(trackingCode: $c) }`, &erased, as(adminToken), client.Var("c", code))
	desk.DemandeCase.Phone, desk.DemandeCase.Photo, desk.DemandeCase.Address, desk.DemandeCase.Point = nil, nil, nil, nil
	c.MustPost(`query($c: String!) { demandeCase(trackingCode: $c) { phone photo address point { lat lon } erased } }`, &desk, as(agent), client.Var("c", code))
	if d := desk.DemandeCase; !d.Erased || d.Phone != nil || d.Photo != nil || d.Address != nil || d.Point != nil {
		t.Errorf("after erasure: %+v", d)
	}

	wrong := code[:len(code)-1] + map[bool]string{true: "A", false: "B"}[code[len(code)-1] != 'A']
	tests := []struct {
		name, query, token, want string
	}{
		{"desk signed out", `{ demandes { conversationId } }`, "", "UNAUTHENTICATED"},
		{"desk for an analyst", `{ demandes { conversationId } }`, analyst, "FORBIDDEN"},
		{"update by an analyst", `mutation { updateDemandeStatus(trackingCode: "` + code + `", status: EN_COURS) { status } }`, analyst, "FORBIDDEN"},
		{"erase by an agent", `mutation { eraseDemandeContact(trackingCode: "` + code + `") }`, agent, "FORBIDDEN"},
		{"mistyped code", `{ demande(trackingCode: "` + wrong + `") { status } }`, "", "BAD_USER_INPUT"},
		{"not a code", `{ demande(trackingCode: "bonjour") { status } }`, "", "BAD_USER_INPUT"},
		{"unknown kind", `mutation { fileDemande(conversationId: "` + conv + `", kind: "piscine", description: "Une demande de test") { status } }`, "", "BAD_USER_INPUT"},
		{"photo not base64", `mutation { fileDemande(conversationId: "` + conv + `", kind: "voirie", description: "Une demande de test", address: "rue", photo: {name: "x", base64: "%%%"}) { status } }`, "", "BAD_USER_INPUT"},
		{"reversed period", `{ demandeFigures(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { filed } }`, analyst, "BAD_USER_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []client.Option
			if tt.token != "" {
				opts = append(opts, as(tt.token))
			}
			resp, err := c.RawPost(tt.query, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := codes(t, resp.Errors); len(got) != 1 || got[0] != tt.want {
				t.Errorf("codes %v, want %s (%s)", got, tt.want, resp.Errors)
			}
		})
	}
	// A well-formed code of no demande: null, not an error.
	var none struct{ Demande *struct{ Status string } }
	next, _ := demandes.NewCodes("MTC", []byte("a secret for the tests' codes"))
	c.MustPost(`query($c: String!) { demande(trackingCode: $c) { status } }`, &none, client.Var("c", next.Make(2026, 999).String()))
	if none.Demande != nil {
		t.Errorf("unknown code: %+v", none.Demande)
	}
}
