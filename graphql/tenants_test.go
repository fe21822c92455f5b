package graphql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// territory is the API of the demo's territory over real parts: the embedded
// broker, the projector into chDB, the demo's tenants.
type territory struct {
	c       *client.Client
	addr    string
	queries *projections.Queries
}

func newTerritory(t *testing.T) territory {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	addr, pub := eventlogtest.Start(t)
	tenants := tenant.NewRegistry(pub)
	if _, err := tenants.Sync(ctx, tenant.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	store, err := projections.OpenChDB(t.TempDir())
	if err != nil {
		t.Skipf("SKIP: chDB: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	if err := projections.Migrate(ctx, store); err != nil {
		t.Fatal(err)
	}
	projector := projections.NewProjector(projections.ProjectorConfig{Brokers: []string{addr}, Group: "tenants-test", Flush: 50 * time.Millisecond}, store, pub)
	done := make(chan struct{})
	go func() { projector.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	q := projections.NewQueries(store)
	codes, err := demandes.NewCodes("PVS", []byte("a secret for the tests' codes"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := demandes.OpenKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	desk := demandes.NewDesk(demandes.Config{Tenant: "montclar", Tenants: tenants, Codes: codes, Kinds: demandes.NewKinds(kb.DemoKinds()), Keys: keys}, pub)
	chat := ingest.NewService(ingest.Config{Tenant: "montclar", Tenants: tenants, Desk: desk}, engine, pub, q)
	res := &graphql.Resolver{Chat: chat, Engine: engine, Queries: q, Logger: slog.Default(), Registry: tenants, Desk: desk,
		KB:     &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"},
		Tokens: auth.NewTokens(pub, "montclar"), Users: auth.NewAccounts(pub, "montclar"), Erasures: projections.NewErasures(),
		Audit: func(ctx context.Context, p events.Payload) error {
			_, err := pub.Emit(ctx, "montclar", "", p)
			return err
		}}
	h := graphql.NewHandler(res, auth.Authenticator{AdminToken: adminToken, Tokens: res.Tokens}, false)
	return territory{c: client.New(web.WithClientAddr(nil, h)), addr: addr, queries: q}
}

func bearer(token string) client.Option { return client.AddHeader("Authorization", "Bearer "+token) }
func origin(o string) client.Option     { return client.AddHeader("Origin", o) }

// token creates an API token as the platform's administrator.
func (tr territory) token(t *testing.T, role, scope string) string {
	t.Helper()
	var out struct{ CreateAPIToken string }
	tr.c.MustPost(`mutation($r: Role!, $t: ID) { createApiToken(role: $r, name: "test", tenant: $t) }`, &out,
		bearer(adminToken), client.Var("r", role), client.Var("t", scope))
	return out.CreateAPIToken
}

// converse starts a conversation from a commune's site and asks one question.
func (tr territory) converse(t *testing.T, tenantID, site, question string) string {
	t.Helper()
	var start struct{ StartConversation struct{ ID, Tenant string } }
	tr.c.MustPost(`mutation($t: ID) { startConversation(tenant: $t, channel: "widget") { id tenant } }`, &start,
		origin(site), client.Var("t", tenantID))
	if start.StartConversation.Tenant != tenantID {
		t.Fatalf("conversation held with %q, want %q", start.StartConversation.Tenant, tenantID)
	}
	var send struct{ SendMessage struct{ Outcome string } }
	tr.c.MustPost(`mutation($c: ID!, $q: String!) { sendMessage(conversationId: $c, text: $q) { outcome } }`, &send,
		origin(site), client.Var("c", start.StartConversation.ID), client.Var("q", question))
	return start.StartConversation.ID
}

// eventsOnTheLog counts the events of the conversations topic, all partitions.
func eventsOnTheLog(t *testing.T, addr string) int64 {
	t.Helper()
	conn, err := kafka.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(events.TopicConversations)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, p := range parts {
		leader, err := kafka.DialLeader(context.Background(), "tcp", addr, p.Topic, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		last, err := leader.ReadLastOffset()
		leader.Close()
		if err != nil {
			t.Fatal(err)
		}
		n += last
	}
	return n
}

// post runs a query and returns its data and the extensions.code of its errors.
func post(t *testing.T, c *client.Client, query string, opts ...client.Option) (map[string]json.RawMessage, []string) {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]json.RawMessage
	if resp.Data != nil {
		raw, _ := json.Marshal(resp.Data)
		json.Unmarshal(raw, &data)
	}
	return data, codes(t, resp.Errors)
}

const period = `from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z"`

// TestCommunesSeeTheirOwnTerritory: two communes of one intercommunalité, each
// with its conversations. A token of commune A reads A's figures and never B's,
// by no field, alias or argument; the intercommunalité's token sees both; a
// widget naming an unknown tenant, or embedded on a site not allowed for it,
// logs nothing.
func TestCommunesSeeTheirOwnTerritory(t *testing.T) {
	tr := newTerritory(t)
	const montclar, saintAubin, epci = "montclar", "saint-aubin-sur-leze", "cc-val-de-leze"
	a := []string{
		tr.converse(t, montclar, "https://www.montclar.fr", "horaires de la mairie"),
		tr.converse(t, montclar, "https://www.montclar.fr", "je veux refaire mon passeport"),
	}
	b := []string{
		tr.converse(t, saintAubin, "https://www.saint-aubin-sur-leze.fr", "horaires de la mairie"),
		tr.converse(t, saintAubin, "https://www.saint-aubin-sur-leze.fr", "quand passent les encombrants"),
		tr.converse(t, saintAubin, "https://www.saint-aubin-sur-leze.fr", "inscription a la cantine"),
	}

	// The widget: nothing is logged for an unknown tenant or a site not its own.
	before := eventsOnTheLog(t, tr.addr)
	for _, tt := range []struct {
		name, query, site, want string
	}{
		{"unknown tenant", `mutation { startConversation(tenant: "atlantide") { id } }`, "https://www.montclar.fr", "BAD_USER_INPUT"},
		{"another commune's site", `mutation { startConversation(tenant: "saint-aubin-sur-leze") { id } }`, "https://www.montclar.fr", "FORBIDDEN"},
		{"a site of no commune", `mutation { startConversation(tenant: "montclar") { id } }`, "https://pirate.example", "FORBIDDEN"},
	} {
		if _, got := post(t, tr.c, tt.query, origin(tt.site)); len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s: codes %v, want [%s]", tt.name, got, tt.want)
		}
	}
	if after := eventsOnTheLog(t, tr.addr); after != before {
		t.Errorf("refused starts logged %d events", after-before)
	}

	// Unmet demand of both communes in one group, labelled with B's question.
	at := time.Now().UTC()
	var sigs []projections.Signal
	var as []projections.Assignment
	for i, text := range []string{"ou jeter mon vieux canape (A)", "ramassage du canape a saint-aubin (B)", "encombrants canape (B)"} {
		ten := montclar
		if i > 0 {
			ten = saintAubin
		}
		id := events.NewID(at)
		sigs = append(sigs, projections.Signal{Turn: projections.Turn{UtteranceID: id, ConversationID: id, Tenant: ten, At: at, Text: text},
			Reasons: []string{"non_repondu"}})
		as = append(as, projections.Assignment{UtteranceID: id, ClusterID: "g1", At: at})
	}
	if err := tr.queries.WriteMining(context.Background(), sigs, as,
		[]projections.ClusterLabel{{ID: "g1", Label: "ramassage du canape a saint-aubin (B)", Size: 3}}); err != nil {
		t.Fatal(err)
	}

	// Wait for the projector: the platform sees the five conversations.
	platform := bearer(adminToken)
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, errs := post(t, tr.c, `{ overview(`+period+`) { conversations messages } usage(`+period+`) { messages } }`, platform)
		if string(data["overview"]) == `{"conversations":5,"messages":5}` && strings.Contains(string(data["usage"]), `"messages":5`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the projections never held the five conversations: %s %v", data["overview"], errs)
		}
		time.Sleep(50 * time.Millisecond)
	}

	tokA, tokEPCI := bearer(tr.token(t, "ANALYST", montclar)), bearer(tr.token(t, "ANALYST", epci))
	adminA := bearer(tr.token(t, "ADMIN", montclar))

	// Commune A: its figures, by every field; B's by none.
	figures := `{
		overview(` + period + `) { conversations messages answered }
		mine: overview(` + period + `, tenant: "montclar") { conversations }
		usage(` + period + `) { conversations messages }
		audienceSplit(` + period + `) { conversations }
		activity(` + period + `) { messages }
		unansweredClusters(` + period + `) { label size examples }
		unansweredThemes
	}`
	data, errs := post(t, tr.c, figures, tokA)
	if len(errs) != 0 {
		t.Fatalf("A's own figures: %v", errs)
	}
	want := map[string]string{
		"overview":           `{"answered":2,"conversations":2,"messages":2}`,
		"mine":               `{"conversations":2}`,
		"usage":              `"conversations":2,"messages":2}`,
		"audienceSplit":      `[{"conversations":2}]`,
		"activity":           `"messages":2}]`,
		"unansweredClusters": `[{"examples":["ou jeter mon vieux canape (A)"],"label":"ou jeter mon vieux canape (A)","size":1}]`,
	}
	for field, w := range want {
		if !strings.Contains(string(data[field]), w) {
			t.Errorf("A's %s = %s, want %s", field, data[field], w)
		}
	}
	for field, raw := range data {
		if strings.Contains(string(raw), "(B)") || strings.Contains(string(raw), "saint-aubin") {
			t.Errorf("A's %s shows B: %s", field, raw)
		}
	}
	if got := string(data["usage"]); strings.Count(got, `"messages":`) != 1 {
		t.Errorf("A's usage = %s, want one day", got)
	}

	// Asking for B, or for the intercommunalité, in any alias: FORBIDDEN (and
	// overview being non-null, the whole answer is null: nothing of B leaks
	// next to A's own).
	data, errs = post(t, tr.c, `{
		own: overview(`+period+`) { conversations }
		b: overview(`+period+`, tenant: "saint-aubin-sur-leze") { conversations }
		epci: overview(`+period+`, tenant: "cc-val-de-leze") { conversations }
	}`, tokA)
	if count(errs, "FORBIDDEN") != 2 || len(errs) != 2 || strings.Contains(fmt.Sprint(data), `"conversations":3`) ||
		strings.Contains(fmt.Sprint(data), `"conversations":5`) {
		t.Errorf("A asking for B and the EPCI: codes %v, data %v", errs, data)
	}
	for _, id := range b {
		data, errs = post(t, tr.c, fmt.Sprintf(`{ conversation(id: %q) { id messages { text } } }`, id), tokA)
		if len(errs) != 0 || string(data["conversation"]) != "null" {
			t.Errorf("B's conversation %s read by A: %s %v", id, data["conversation"], errs)
		}
	}
	data, _ = post(t, tr.c, fmt.Sprintf(`{ conversation(id: %q) { id tenant messages { text } } }`, a[0]), tokA)
	if !strings.Contains(string(data["conversation"]), "horaires") || !strings.Contains(string(data["conversation"]), `"tenant":"montclar"`) {
		t.Errorf("A's own conversation: %s", data["conversation"])
	}

	// A's administrator: its territory's people and data only.
	for _, tt := range []struct {
		name, query, want string
	}{
		{"export B's conversation", fmt.Sprintf(`{ exportConversation(id: %q) }`, b[0]), "BAD_USER_INPUT"},
		{"erase B's conversation", fmt.Sprintf(`mutation { eraseConversation(id: %q) }`, b[1]), "BAD_USER_INPUT"},
		{"a token for B", `mutation { createApiToken(role: ANALYST, name: "x", tenant: "saint-aubin-sur-leze") }`, "FORBIDDEN"},
		{"a token for the EPCI", `mutation { createApiToken(role: ANALYST, name: "x", tenant: "cc-val-de-leze") }`, "FORBIDDEN"},
		{"a token for the platform", `mutation { createApiToken(role: ADMIN, name: "x", tenant: "*") }`, "FORBIDDEN"},
		{"an account for B", `mutation { createAccount(login: "b", name: "B", role: ELECTED, password: "un mot de passe long", tenant: "saint-aubin-sur-leze") { id } }`, "FORBIDDEN"},
		{"declare a tenant", `mutation { createTenant(input: {id: "x", name: "X", trackingPrefix: "XXX"}) { id } }`, "FORBIDDEN"},
		{"replay", `mutation { replayProjections { running } }`, "FORBIDDEN"},
		{"sessions", `{ sessions { id } }`, "FORBIDDEN"},
	} {
		if _, got := post(t, tr.c, tt.query, adminA); len(got) != 1 || got[0] != tt.want {
			t.Errorf("A's admin, %s: codes %v, want [%s]", tt.name, got, tt.want)
		}
	}
	if data, _ := post(t, tr.c, fmt.Sprintf(`{ exportConversation(id: %q) }`, a[1]), adminA); !strings.Contains(string(data["exportConversation"]), "passeport") {
		t.Errorf("A's admin exporting A's conversation: %s", data["exportConversation"])
	}
	var made struct{ CreateAPIToken string }
	tr.c.MustPost(`mutation { createApiToken(role: ELECTED, name: "Maire de Montclar") }`, &made, adminA)
	var me struct{ Me struct{ Tenant *string } }
	tr.c.MustPost(`{ me { tenant } }`, &me, bearer(made.CreateAPIToken))
	if me.Me.Tenant == nil || *me.Me.Tenant != montclar {
		t.Errorf("a token made by A's admin without a tenant is scoped to %v, want montclar", me.Me.Tenant)
	}
	data, _ = post(t, tr.c, `{ tenants { id } apiTokens { name tenant } }`, adminA)
	if string(data["tenants"]) != `[{"id":"montclar"}]` || strings.Contains(string(data["apiTokens"]), epci) ||
		!strings.Contains(string(data["apiTokens"]), "Maire de Montclar") {
		t.Errorf("A's admin lists tenants %s, tokens %s", data["tenants"], data["apiTokens"])
	}

	// A commune's expert drafts for the commune, and publishes nothing of the
	// platform's or of another territory.
	expertA, expertB := bearer(tr.token(t, "EXPERT", montclar)), bearer(tr.token(t, "EXPERT", saintAubin))
	var drafted struct {
		DraftKbEntry struct{ ID, Source, Tenant string }
	}
	tr.c.MustPost(`mutation { draftKbEntry(input: {question: "Où est le city-stade ?", answer: "Derrière l'école."}) { id source tenant } }`, &drafted, expertA)
	if drafted.DraftKbEntry.Tenant != montclar || drafted.DraftKbEntry.Source != "Ville de Montclar" {
		t.Errorf("A's expert drafted %+v, want Montclar's", drafted.DraftKbEntry)
	}
	var platformDraft struct{ DraftKbEntry struct{ ID string } }
	tr.c.MustPost(`mutation { draftKbEntry(input: {question: "Horaires du cimetière ?", answer: "8 h à 18 h."}) { id } }`, &platformDraft, platform)
	for _, tt := range []struct {
		name, id string
		who      client.Option
	}{{"B's expert, A's draft", drafted.DraftKbEntry.ID, expertB}, {"A's expert, the platform's draft", platformDraft.DraftKbEntry.ID, expertA}} {
		if _, got := post(t, tr.c, fmt.Sprintf(`mutation { validateKbEntry(id: %q) { id } }`, tt.id), tt.who); len(got) != 1 || got[0] != "FORBIDDEN" {
			t.Errorf("%s: codes %v, want [FORBIDDEN]", tt.name, got)
		}
	}
	if data, _ := post(t, tr.c, `{ kbQueue { id } }`, expertB); string(data["kbQueue"]) != "[]" {
		t.Errorf("B's expert sees the queue %s", data["kbQueue"])
	}
	if _, got := post(t, tr.c, fmt.Sprintf(`mutation { validateKbEntry(id: %q) { id } }`, drafted.DraftKbEntry.ID), expertA); len(got) != 0 {
		t.Errorf("A's expert validating A's draft: %v", got)
	}

	// The intercommunalité sees both communes, and each one alone.
	data, errs = post(t, tr.c, `{
		all: overview(`+period+`) { conversations }
		b: overview(`+period+`, tenant: "saint-aubin-sur-leze") { conversations }
		a: overview(`+period+`, tenant: "montclar") { conversations }
		tenants { id members }
		unansweredClusters(`+period+`) { size }
	}`, tokEPCI)
	if len(errs) != 0 || string(data["all"]) != `{"conversations":5}` || string(data["b"]) != `{"conversations":3}` ||
		string(data["a"]) != `{"conversations":2}` || string(data["unansweredClusters"]) != `[{"size":3}]` ||
		!strings.Contains(string(data["tenants"]), `{"id":"cc-val-de-leze","members":["montclar","saint-aubin-sur-leze"]}`) {
		t.Errorf("the EPCI: %v %v", data, errs)
	}
	data, _ = post(t, tr.c, fmt.Sprintf(`{ conversation(id: %q) { id } }`, b[2]), tokEPCI)
	if string(data["conversation"]) == "null" {
		t.Error("the EPCI does not see B's conversation")
	}
}
