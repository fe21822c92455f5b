package graphql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/web"
)

const adminToken = "pvs_test-admin-token-of-at-least-32-characters"

// newClient serves the API in process over the demo town's knowledge base, with
// a real broker behind the chat, without limits.
func newClient(t *testing.T) *client.Client {
	t.Helper()
	return newLimitedClient(t, nil)
}

// newLimitedClient is newClient with a budget of public operations per address.
func newLimitedClient(t *testing.T, public *web.Limiter) *client.Client {
	t.Helper()
	c, _ := newServer(t, public)
	return c
}

// newServer is newLimitedClient that also gives the resolver, to reach its parts.
func newServer(t *testing.T, public *web.Limiter) (*client.Client, *graphql.Resolver) {
	t.Helper()
	_, pub := eventlogtest.Start(t)
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	chat := ingest.NewService(ingest.Config{Tenant: "montclar"}, engine, pub, nil)
	res := &graphql.Resolver{Chat: chat, Engine: engine, Logger: slog.Default(),
		Tokens: auth.NewTokens(pub, "montclar"), Users: auth.NewAccounts(pub, "montclar"), Public: public}
	h := graphql.NewHandler(res, auth.Authenticator{AdminToken: adminToken, Tokens: res.Tokens}, false)
	return client.New(web.WithClientAddr(nil, h)), res
}

// codes returns the extensions.code of each error of a response.
func codes(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var errs []struct {
		Extensions struct{ Code string } `json:"extensions"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &errs); err != nil {
			t.Fatalf("errors %s: %v", raw, err)
		}
	}
	var out []string
	for _, e := range errs {
		out = append(out, e.Extensions.Code)
	}
	return out
}

func TestChatInProcess(t *testing.T) {
	c := newClient(t)
	var start struct{ StartConversation struct{ ID string } }
	c.MustPost(`mutation { startConversation(audience: PARTICULIER) { id } }`, &start)
	if start.StartConversation.ID == "" {
		t.Fatal("no conversation id")
	}
	var send struct {
		SendMessage struct {
			Outcome string
			Entry   *struct{ ID string }
		}
	}
	c.MustPost(`mutation($c: ID!) { sendMessage(conversationId: $c, text: "je veux refaire mon passeport") { outcome entry { id } } }`,
		&send, client.Var("c", start.StartConversation.ID))
	if send.SendMessage.Outcome != "ANSWERED" || send.SendMessage.Entry == nil || send.SendMessage.Entry.ID != "passeport" {
		t.Errorf("reply %+v, want ANSWERED with passeport", send.SendMessage)
	}

	// A message sent again under its id gets its reply again.
	var first, again struct {
		SendMessage struct{ Text, Outcome string }
	}
	named := `mutation($c: ID!) { sendMessage(conversationId: $c, text: "horaires de la piscine", messageId: "m-1") { text outcome } }`
	c.MustPost(named, &first, client.Var("c", start.StartConversation.ID))
	c.MustPost(named, &again, client.Var("c", start.StartConversation.ID))
	if first.SendMessage.Text == "" || again.SendMessage != first.SendMessage {
		t.Errorf("the message sent again got %+v, its first reply %+v", again.SendMessage, first.SendMessage)
	}

	tests := []struct {
		name, query, token, want string
	}{
		{"message id with a space", `mutation { sendMessage(conversationId: "` + start.StartConversation.ID + `", text: "bonjour", messageId: "m 2") { text } }`, "", "BAD_USER_INPUT"},
		{"message id of another message", `mutation { sendMessage(conversationId: "` + start.StartConversation.ID + `", text: "bonjour", messageId: "m-1") { text } }`, "", "BAD_USER_INPUT"},
		{"empty message", `mutation { sendMessage(conversationId: "` + start.StartConversation.ID + `", text: "   ") { text } }`, "", "BAD_USER_INPUT"},
		{"unknown conversation", `mutation { sendMessage(conversationId: "nope", text: "bonjour") { text } }`, "", "BAD_USER_INPUT"},
		{"overview signed out", `{ overview(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { messages } }`, "", "UNAUTHENTICATED"},
		{"wrong token", `{ overview(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { messages } }`, "pvs_wrong", "UNAUTHENTICATED"},
		{"reversed period", `{ overview(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { messages } }`, adminToken, "BAD_USER_INPUT"},
		{"empty period", `{ usage(from: "2026-02-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { messages } }`, adminToken, "BAD_USER_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []client.Option
			if tt.token != "" {
				opts = append(opts, client.AddHeader("Authorization", "Bearer "+tt.token))
			}
			resp, err := c.RawPost(tt.query, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := codes(t, resp.Errors); len(got) != 1 || got[0] != tt.want {
				t.Errorf("codes %v, want [%s]", got, tt.want)
			}
		})
	}
}

// TestRolesInProcess: a token made by the admin carries its role, and the schema's
// @auth refuses what the role may not do.
func TestRolesInProcess(t *testing.T) {
	c := newClient(t)
	var created struct{ CreateAPIToken string }
	c.MustPost(`mutation { createApiToken(role: ELECTED, name: "Maire") }`, &created,
		client.AddHeader("Authorization", "Bearer "+adminToken))
	elected := client.AddHeader("Authorization", "Bearer "+created.CreateAPIToken)
	var me struct{ Me struct{ Name, Role string } }
	c.MustPost(`{ me { name role } }`, &me, elected)
	if me.Me.Name != "Maire" || me.Me.Role != "ELECTED" {
		t.Errorf("me = %+v", me.Me)
	}
	resp, err := c.RawPost(`mutation { createApiToken(role: ADMIN, name: "escalade") }`, elected)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "FORBIDDEN" {
		t.Errorf("an elected official creating a token: codes %v, want [FORBIDDEN]", got)
	}
	// Citizens' rights are the administrator's to exercise.
	for _, q := range []string{`mutation { eraseConversation(id: "c1") }`, `{ exportConversation(id: "c1") }`} {
		resp, err := c.RawPost(q, elected)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "FORBIDDEN" {
			t.Errorf("%s by an elected official: codes %v, want [FORBIDDEN]", q, got)
		}
	}
}

// aliases repeats a field n times under aliases a0, a1...
func aliases(n int, field string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s\n", i, field)
	}
	return b.String()
}

func count(codes []string, code string) int {
	n := 0
	for _, c := range codes {
		if c == code {
			n++
		}
	}
	return n
}

// TestAliasesPayEach: every aliased public operation is paid from the address's
// budget, and fields that query ClickHouse are refused by cost before any runs.
func TestAliasesPayEach(t *testing.T) {
	c := newLimitedClient(t, web.NewBurstLimiter(120, 80))
	resp, err := c.RawPost("mutation {\n" + aliases(200, "startConversation { id }") + "}")
	if err != nil {
		t.Fatal(err)
	}
	if limited := count(codes(t, resp.Errors), "RATE_LIMITED"); limited < 115 || limited > 125 {
		t.Errorf("%d of 200 aliased startConversation refused, want about 120 (a burst of 80 passes)", limited)
	}
	resp, err = c.RawPost(`{ kbEntries(search: "passeport") { id } }`)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "RATE_LIMITED" {
		t.Errorf("a search once the budget is spent: codes %v, want [RATE_LIMITED]", got)
	}

	resp, err = c.RawPost(`mutation { chooseSuggestion(conversationId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", entryId: "acte_naissance") { outcome } }`)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "RATE_LIMITED" {
		t.Errorf("a choice once the budget is spent: codes %v, want [RATE_LIMITED]", got)
	}

	// Queries is nil here: any overview that ran would fail as an internal error.
	resp, err = c.RawPost("{\n"+aliases(400, `overview(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { messages }`)+"}",
		client.AddHeader("Authorization", "Bearer "+adminToken))
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
		t.Errorf("400 aliased overview: codes %v, want one BAD_USER_INPUT before any runs", got)
	}
}

// TestOneFeedbackPerAnswer: feedback counts once for each answer given.
func TestOneFeedbackPerAnswer(t *testing.T) {
	c := newClient(t)
	var start struct{ StartConversation struct{ ID string } }
	c.MustPost(`mutation { startConversation { id } }`, &start)
	id := client.Var("c", start.StartConversation.ID)
	resp, err := c.RawPost(`mutation($c: ID!) { giveFeedback(conversationId: $c, helpful: false) }`, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
		t.Errorf("feedback before any answer: codes %v", got)
	}
	// Nothing was rated: the message does not say it was.
	if msg := string(resp.Errors); !strings.Contains(msg, "Aucune réponse à évaluer") || strings.Contains(msg, "déjà donné") {
		t.Errorf("feedback before any answer: %s", msg)
	}
	var send struct{ SendMessage struct{ Outcome string } }
	c.MustPost(`mutation($c: ID!) { sendMessage(conversationId: $c, text: "horaires de la mairie") { outcome } }`, &send, id)
	if send.SendMessage.Outcome != "ANSWERED" {
		t.Fatalf("outcome %s, want ANSWERED", send.SendMessage.Outcome)
	}
	resp, err = c.RawPost("mutation($c: ID!) {\n"+aliases(50, "giveFeedback(conversationId: $c, helpful: true)")+"}", id)
	if err != nil {
		t.Fatal(err)
	}
	if refused := count(codes(t, resp.Errors), "BAD_USER_INPUT"); refused != 49 {
		t.Errorf("50 aliased feedbacks on one answer: %d refused, want 49", refused)
	}
}

// TestPublicEntries: what anyone reads of the knowledge base holds no citizen's
// words (alternatives drafted from their questions), and searches are short.
func TestPublicEntries(t *testing.T) {
	c := newClient(t)
	type entries struct {
		KbEntries []struct {
			ID           string
			Alternatives []string
		}
	}
	const query = `{ kbEntries(search: "passeport perdu", first: 3) { id alternatives } }`
	var anon, staff entries
	c.MustPost(query, &anon)
	c.MustPost(query, &staff, client.AddHeader("Authorization", "Bearer "+adminToken))
	if len(anon.KbEntries) == 0 || len(staff.KbEntries) != len(anon.KbEntries) {
		t.Fatalf("anonymous %+v, admin %+v", anon, staff)
	}
	for i, e := range anon.KbEntries {
		if len(e.Alternatives) != 0 {
			t.Errorf("%s shows its alternatives to anyone: %v", e.ID, e.Alternatives)
		}
		if len(staff.KbEntries[i].Alternatives) == 0 {
			t.Errorf("%s hides its alternatives from the admin", e.ID)
		}
	}
	resp, err := c.RawPost(`query($s: String!) { kbEntries(search: $s) { id } }`, client.Var("s", strings.Repeat("passeport ", 21)))
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(t, resp.Errors); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
		t.Errorf("a 210-character search: codes %v", got)
	}
}

// TestAdminRevokesSessions: an administrator sees who is signed in and ends a
// session (a lost laptop), or every session of an account.
func TestAdminRevokesSessions(t *testing.T) {
	c, res := newServer(t, nil)
	admin := client.AddHeader("Authorization", "Bearer "+adminToken)
	ctx := context.Background()
	acc, err := res.Users.Create(ctx, "elue", "Mme la Maire", auth.Elected, "", "un mot de passe long", "test")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := res.Users.SignIn(ctx, "elue", "un mot de passe long", auth.Device{Address: "198.51.100.7", UserAgent: "Firefox"}); err != nil {
			t.Fatal(err)
		}
	}
	type sessions struct {
		Sessions []struct{ ID, Name, AccountID, Address string }
	}
	var got sessions
	c.MustPost(`{ sessions { id name accountId address } }`, &got, admin)
	if len(got.Sessions) != 2 || got.Sessions[0].Name != "Mme la Maire" || got.Sessions[0].Address != "198.51.100.7" || got.Sessions[0].AccountID != acc.ID {
		t.Fatalf("sessions = %+v", got)
	}
	var revoked struct{ RevokeSession bool }
	c.MustPost(`mutation($id: ID!) { revokeSession(id: $id) }`, &revoked, admin, client.Var("id", got.Sessions[0].ID))
	resp, err := c.RawPost(`mutation($id: ID!) { revokeSession(id: $id) }`, admin, client.Var("id", got.Sessions[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	if codes := codes(t, resp.Errors); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" {
		t.Errorf("revoking an ended session: %v", codes)
	}
	var everywhere struct{ SignOutEverywhere int }
	c.MustPost(`mutation($a: ID!) { signOutEverywhere(accountId: $a) }`, &everywhere, admin, client.Var("a", acc.ID))
	c.MustPost(`{ sessions { id name accountId address } }`, &got, admin)
	if !revoked.RevokeSession || everywhere.SignOutEverywhere != 1 || len(got.Sessions) != 0 {
		t.Errorf("revoked %v, signed out %d, left %+v", revoked, everywhere.SignOutEverywhere, got.Sessions)
	}
}
