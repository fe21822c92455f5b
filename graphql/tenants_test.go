package graphql_test

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/campaigns"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/graphql"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/mining"
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
	kb      *kb.Writer
	files   http.Handler // GET /opendata/{tenant}/{file}
}

func newTerritory(t *testing.T) territory { t.Helper(); return newTerritoryOf(t, false) }

// newServedTerritory is newTerritory wired as `serve` wires it: both
// communes' entries are published, and each tenant's citizens are answered
// by an engine of the entries that are theirs (ingest.Engines).
func newServedTerritory(t *testing.T) territory { t.Helper(); return newTerritoryOf(t, true) }

func newTerritoryOf(t *testing.T, served bool) territory {
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

	entries := kb.Demo()
	if served {
		entries = append(entries, kb.DemoTerritory()...)
	}
	engine, err := bot.New(bot.DefaultConfig(), entries, "test", nil)
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
	engines := ingest.NewEngines(bot.DefaultConfig(), nil, tenants)
	engines.Swap(entries, "test")
	cfg := ingest.Config{Tenant: "montclar", Tenants: tenants, Desk: desk}
	if served {
		cfg.Engines = engines
	}
	chat := ingest.NewService(cfg, engine, pub, q)
	res := &graphql.Resolver{Chat: chat, Engine: engine, Engines: engines, Queries: q, Logger: slog.Default(), Registry: tenants, Desk: desk,
		KB:     &kb.Writer{Log: pub, State: kb.NewState(), Tenant: "montclar"},
		Tokens: auth.NewTokens(pub, "montclar"), Users: auth.NewAccounts(pub, "montclar"), Erasures: projections.NewErasures(),
		Audit: func(ctx context.Context, p events.Payload) error {
			_, err := pub.Emit(ctx, "montclar", "", p)
			return err
		}}
	res.Suggestions = &mining.Reviewer{Queries: q, KB: res.KB}
	res.CampaignState = campaigns.NewState()
	res.Creator = &campaigns.Creator{Log: pub, State: res.CampaignState, Tenant: "montclar"}
	res.Assigner = &campaigns.Assigner{Queries: q, KB: res.KB}
	authn := auth.Authenticator{AdminToken: adminToken, Tokens: res.Tokens}
	h := graphql.NewHandler(res, authn, false)
	files := http.NewServeMux()
	files.Handle("GET /opendata/{tenant}/{file}", graphql.NewOpenDataHandler(res, authn))
	tr := territory{c: client.New(web.WithClientAddr(nil, h)), addr: addr, queries: q, kb: res.KB, files: files}
	if served {
		tr.publish(t, entries)
	}
	return tr
}

func bearer(token string) client.Option { return client.AddHeader("Authorization", "Bearer "+token) }
func origin(o string) client.Option     { return client.AddHeader("Origin", o) }

// publishDemo puts the demo's entries on the log as published: the
// projections then know their themes, and the experts' suggestions their
// entries.
func (tr territory) publishDemo(t *testing.T) { t.Helper(); tr.publish(t, kb.Demo()) }

// publish puts entries on the log as published.
func (tr territory) publish(t *testing.T, entries []kb.Entry) {
	t.Helper()
	for _, e := range entries {
		p := events.KBEntryChanged{Type: events.TypeKBEntryPublished, Entry: e.Wire(), By: "test"}
		ev, err := tr.kb.Log.Emit(context.Background(), "montclar", "", p)
		if err != nil {
			t.Fatal(err)
		}
		tr.kb.State.Apply(ev, &p)
	}
}

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
	// B's expert is told of A's draft what it is told of an id that exists
	// nowhere: a FORBIDDEN would confirm that A's base holds it.
	for _, tt := range []struct {
		name, id, code string
		who            client.Option
	}{{"B's expert, A's draft", drafted.DraftKbEntry.ID, "BAD_USER_INPUT", expertB},
		{"B's expert, an id of no entry", "aucune-entree-de-ce-nom", "BAD_USER_INPUT", expertB},
		{"A's expert, the platform's draft", platformDraft.DraftKbEntry.ID, "FORBIDDEN", expertA}} {
		for _, m := range []string{`validateKbEntry(id: %q)`, `retireKbEntry(id: %q)`, `restoreKbEntry(id: %q)`,
			`publishKbEntry(id: %q)`, `updateKbEntry(id: %q, input: {question: "Changée ?", answer: "Par un autre territoire."})`} {
			if _, got := post(t, tr.c, fmt.Sprintf(`mutation { `+m+` { id } }`, tt.id), tt.who); len(got) != 1 || got[0] != tt.code {
				name, _, _ := strings.Cut(m, "(")
				t.Errorf("%s, %s: codes %v, want [%s]", tt.name, name, got, tt.code)
			}
		}
	}
	if data, _ := post(t, tr.c, `{ kbQueue { id } }`, expertB); string(data["kbQueue"]) != "[]" {
		t.Errorf("B's expert sees the queue %s", data["kbQueue"])
	}
	// Nor does B's expert read A's draft anywhere: the studio, its history,
	// the export. The platform's entries answer B's citizens too: B reads them.
	read := `{ kbStudio(search: "Où est le city-stade") { entry { id } } all: kbStudio { entry { id } } exportKb(format: "csv") }`
	for _, tt := range []struct {
		name string
		who  client.Option
		sees bool
	}{{"A's expert", expertA, true}, {"B's expert", expertB, false}} {
		data, errs := post(t, tr.c, read, tt.who)
		csv, _ := base64.StdEncoding.DecodeString(strings.Trim(string(data["exportKb"]), `"`))
		_, history := post(t, tr.c, `query($id: ID!) { kbEntryHistory(id: $id) { at } }`, tt.who, client.Var("id", drafted.DraftKbEntry.ID))
		for what, seen := range map[string]bool{
			"the studio":  strings.Contains(string(data["kbStudio"]), drafted.DraftKbEntry.ID),
			"the export":  strings.Contains(string(csv), "city-stade"),
			"the history": len(history) == 0,
		} {
			if seen != tt.sees {
				t.Errorf("%s reading A's draft in %s: %v, want %v (errors %v %v)", tt.name, what, seen, tt.sees, errs, history)
			}
		}
		if !tt.sees && (len(history) != 1 || history[0] != "BAD_USER_INPUT") {
			t.Errorf("%s reading A's draft's history: codes %v, want [BAD_USER_INPUT] as for an id of no entry", tt.name, history)
		}
		if !strings.Contains(string(data["all"]), platformDraft.DraftKbEntry.ID) {
			t.Errorf("%s does not read the platform's entry in the studio (errors %v)", tt.name, errs)
		}
	}
	// A spreadsheet says nothing of territories: its new rows are the
	// importer's, and a row changing the platform's entry is refused.
	sheet := func(rows ...string) string {
		return base64.StdEncoding.EncodeToString([]byte("id,question,réponse\n" + strings.Join(rows, "\n") + "\n"))
	}
	imp := `mutation($f: String!) { importKb(file: $f, filename: "base.csv", dryRun: false) { added changed } }`
	if _, got := post(t, tr.c, imp, expertA, client.Var("f", sheet("skate,Où faire du skate ?,Au skatepark.",
		platformDraft.DraftKbEntry.ID+",Horaires du cimetière ?,9 h à 17 h."))); len(got) != 1 || got[0] != "FORBIDDEN" {
		t.Errorf("A's expert importing a row of the platform's entry: codes %v, want [FORBIDDEN]", got)
	}
	if _, ok := tr.kb.State.Entry("skate"); ok {
		t.Error("a refused import added an entry")
	}
	if _, got := post(t, tr.c, imp, expertA, client.Var("f", sheet("skate,Où faire du skate ?,Au skatepark."))); len(got) != 0 {
		t.Errorf("A's expert importing: %v", got)
	}
	if e, _ := tr.kb.State.Entry("skate"); e.Tenant != montclar || e.Source != "Ville de Montclar" {
		t.Errorf("A's imported entry is %q's (source %q), want Montclar's", e.Tenant, e.Source)
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

	// The platform's administrator gives the intercommunalité a new front
	// desk (what its assistant then gives, see ingest's
	// TestTenantContactHandsOver); a wrong one is refused.
	if _, got := post(t, tr.c, `mutation { updateTenant(input: {id: "cc-val-de-leze", name: "CC du Val de Lèze", trackingPrefix: "VDL",
		contact: {phone: "appelez-nous"}}) { id } }`, platform); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
		t.Errorf("a wrong phone number: codes %v", got)
	}
	var updated struct {
		UpdateTenant struct{ Contact struct{ Phone, Hours string } }
	}
	tr.c.MustPost(`mutation { updateTenant(input: {id: "cc-val-de-leze", name: "CC du Val de Lèze", trackingPrefix: "VDL",
		contact: {phone: "01 99 00 37 00", hours: "le matin"}}) { contact { phone hours } } }`, &updated, platform)
	if updated.UpdateTenant.Contact.Phone != "01 99 00 37 00" || updated.UpdateTenant.Contact.Hours != "le matin" {
		t.Errorf("the contact declared: %+v", updated.UpdateTenant.Contact)
	}
}

// TestEveryDashboardReadNarrowsToOneTenant: Montclar (A) has one conversation,
// Saint-Aubin (B) two; each commune judged one answer not helpful; mining put
// questions of both in one group (a need shared by the two communes) and B's
// alone in another, with questions of the previous period too. The
// intercommunalité narrowing any dashboard read to A gets A's figures, exactly
// what A's own token gets, never the sum; A narrowing to B is FORBIDDEN on
// every field; mined needs count, and grow, within the scope; suggestions come
// from the scope's conversations only.
func TestEveryDashboardReadNarrowsToOneTenant(t *testing.T) {
	tr := newTerritory(t)
	tr.publishDemo(t)
	const montclar, saintAubin, epci = "montclar", "saint-aubin-sur-leze", "cc-val-de-leze"
	const siteA, siteB = "https://www.montclar.fr", "https://www.saint-aubin-sur-leze.fr"
	a := tr.converse(t, montclar, siteA, "horaires de la mairie")
	tr.converse(t, saintAubin, siteB, "horaires de la mairie")
	b := tr.converse(t, saintAubin, siteB, "je veux refaire mon passeport")
	for _, c := range []struct{ id, site string }{{a, siteA}, {b, siteB}} {
		tr.c.MustPost(`mutation($c: ID!) { giveFeedback(conversationId: $c, helpful: false) }`, &struct{ GiveFeedback bool }{},
			origin(c.site), client.Var("c", c.id))
	}

	// g1: A 1 question now and 1 before; B 2 now and 3 before. g2: B only.
	now := time.Now().UTC()
	from, to := now.Add(-24*time.Hour), now.Add(time.Hour)
	var sigs []projections.Signal
	var as []projections.Assignment
	for _, q := range []struct {
		tenant, group, text, theme string
		at                         time.Time
	}{
		{montclar, "g1", "stationnement devant l'ecole (A)", "Mairie", now},
		{montclar, "g1", "stationnement ecole (A, before)", "Mairie", now.Add(-30 * time.Hour)},
		{saintAubin, "g1", "stationnement ecole saint-aubin (B)", "Voirie", now},
		{saintAubin, "g1", "se garer a l'ecole (B)", "Voirie", now},
		{saintAubin, "g1", "parking ecole (B, before)", "Voirie", now.Add(-30 * time.Hour)},
		{saintAubin, "g1", "parking ecole encore (B, before)", "Voirie", now.Add(-30 * time.Hour)},
		{saintAubin, "g1", "parking ecole toujours (B, before)", "Voirie", now.Add(-30 * time.Hour)},
		{saintAubin, "g2", "la fete du village (B)", "Voirie", now},
	} {
		id := events.NewID(q.at)
		sigs = append(sigs, projections.Signal{Turn: projections.Turn{UtteranceID: id, ConversationID: id, Tenant: q.tenant, At: q.at, Text: q.text},
			Reasons: []string{"non_repondu"}, Theme: q.theme})
		as = append(as, projections.Assignment{UtteranceID: id, ClusterID: q.group, At: q.at})
	}
	if err := tr.queries.WriteMining(context.Background(), sigs, as, []projections.ClusterLabel{{ID: "g1", Label: "x", Size: 7}, {ID: "g2", Label: "y", Size: 1}}); err != nil {
		t.Fatal(err)
	}

	platform := bearer(adminToken)
	deadline := time.Now().Add(30 * time.Second)
	for {
		// The hourly rollup follows the messages within a moment: wait for it too.
		data, errs := post(t, tr.c, `{ overview(`+period+`) { conversations messages helpfulRate } kbSuggestions { text } usage(`+period+`) { messages } }`, platform)
		if string(data["overview"]) == `{"conversations":3,"helpfulRate":0,"messages":3}` && strings.Count(string(data["kbSuggestions"]), "text") == 2 &&
			strings.Contains(string(data["usage"]), `"messages":3`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the projections never held the three conversations and two thumbs-down: %s %s %v", data["overview"], data["kbSuggestions"], errs)
		}
		time.Sleep(50 * time.Millisecond)
	}

	p := fmt.Sprintf(`from: %q, to: %q`, from.Format(time.RFC3339), to.Format(time.RFC3339))
	fields := func(narrow string) string {
		arg := ""
		if narrow != "" {
			arg = fmt.Sprintf(`, tenant: %q`, narrow)
		}
		bare := ""
		if narrow != "" {
			bare = fmt.Sprintf(`(tenant: %q)`, narrow)
		}
		return `{
			usage(` + p + arg + `) { conversations messages }
			needs(` + p + `, by: THEME` + arg + `) { name messages }
			audienceSplit(` + p + arg + `) { conversations }
			activity(` + p + arg + `) { messages }
			unansweredClusters(` + p + arg + `) { id size conversations growth tenants examples }
			unansweredCluster(id: "g1", ` + p + arg + `) { questions { text } }
			unansweredThemes` + bare + `
			kbSuggestions` + bare + ` { text count }
		}`
	}
	tokA, tokEPCI := bearer(tr.token(t, "ANALYST", montclar)), bearer(tr.token(t, "ANALYST", epci))

	own, errs := post(t, tr.c, fields(""), tokA)
	if len(errs) != 0 {
		t.Fatalf("A's own figures: %v", errs)
	}
	narrowed, errs := post(t, tr.c, fields(montclar), tokEPCI)
	if len(errs) != 0 {
		t.Fatalf("the EPCI narrowed to A: %v", errs)
	}
	whole, errs := post(t, tr.c, fields(""), tokEPCI)
	if len(errs) != 0 {
		t.Fatalf("the EPCI's figures: %v", errs)
	}
	wantA := map[string]string{
		"usage":              `{"conversations":1,"messages":1}]`,
		"needs":              `[{"messages":1,"name":"Mairie"}]`,
		"audienceSplit":      `[{"conversations":1}]`,
		"activity":           `"messages":1}]`,
		"unansweredClusters": `[{"conversations":1,"examples":["stationnement devant l'ecole (A)"],"growth":0,"id":"g1","size":1,"tenants":["montclar"]}]`,
		"unansweredCluster":  `{"questions":[{"text":"stationnement devant l'ecole (A)"}]}`,
		"unansweredThemes":   `["Mairie"]`,
		"kbSuggestions":      `[{"count":1,"text":"horaires de la mairie"}]`,
	}
	for field, w := range wantA {
		for who, data := range map[string]map[string]json.RawMessage{"A's own": own, "the EPCI narrowed to A": narrowed} {
			if got := string(data[field]); !strings.Contains(got, w) {
				t.Errorf("%s %s = %s, want %s", who, field, got, w)
			}
		}
	}
	for field, rawA := range narrowed {
		if strings.Contains(string(rawA), "(B") || strings.Contains(string(rawA), "passeport") || strings.Contains(string(rawA), "Voirie") || strings.Contains(string(rawA), "Papiers") {
			t.Errorf("the EPCI narrowed to A, %s shows B: %s", field, rawA)
		}
	}
	// The EPCI's whole territory: the shared need names both communes, counted
	// and grown over both (3 now, 4 before).
	if got := string(whole["unansweredClusters"]); !strings.Contains(got, `"growth":-0.25,"id":"g1","size":3,"tenants":["montclar","saint-aubin-sur-leze"]`) ||
		!strings.Contains(got, `"id":"g2","size":1,"tenants":["saint-aubin-sur-leze"]`) {
		t.Errorf("the EPCI's needs: %s", got)
	}
	if got := string(whole["usage"]); !strings.Contains(got, `"conversations":3,"messages":3`) {
		t.Errorf("the EPCI's usage: %s", got)
	}
	if got := string(whole["needs"]); !strings.Contains(got, `{"messages":2,"name":"Mairie"}`) {
		t.Errorf("the EPCI's needs by theme: %s", got)
	}
	if got := string(whole["kbSuggestions"]); strings.Count(got, "text") != 2 {
		t.Errorf("the EPCI's suggestions: %s", got)
	}

	// A naming B, or the EPCI: FORBIDDEN on every field.
	for _, other := range []string{saintAubin, epci} {
		_, errs := post(t, tr.c, fields(other), tokA)
		if len(errs) != 8 || count(errs, "FORBIDDEN") != 8 {
			t.Errorf("A narrowing to %s: codes %v, want 8 FORBIDDEN", other, errs)
		}
	}

	// A territory nobody declared (misspelt) is refused on every field, not
	// read as one where nothing happened.
	if _, errs := post(t, tr.c, fields("montclarr"), platform); len(errs) != 8 || count(errs, "BAD_USER_INPUT") != 8 {
		t.Errorf("narrowing to an undeclared territory: codes %v, want 8 BAD_USER_INPUT", errs)
	}

	// A's expert cannot reject what B's citizens said: it is not in its queue.
	var all struct {
		KbSuggestions []struct{ ID, Text string }
	}
	tr.c.MustPost(`{ kbSuggestions { id text } }`, &all, platform)
	for _, s := range all.KbSuggestions {
		if s.Text == "horaires de la mairie" {
			continue
		}
		expertA := bearer(tr.token(t, "EXPERT", montclar))
		if _, got := post(t, tr.c, fmt.Sprintf(`mutation { rejectSuggestion(id: %q) }`, s.ID), expertA); len(got) != 1 || got[0] != "BAD_USER_INPUT" {
			t.Errorf("A's expert rejecting B's suggestion %q: codes %v, want [BAD_USER_INPUT]", s.Text, got)
		}
	}
}

// TestOpenDataOfATerritory: Montclar has 12 conversations this month, 3 of
// them rated, Saint-Aubin 2. Montclar's file has the schema's columns, its
// volumes, answer rate and theme, and not its helpful rate (3 ratings: under
// the small-count rule); Saint-Aubin's has its header only; the
// intercommunalité's counts both communes. A commune's token is refused
// another commune's file; a month not written YYYY-MM, or to come, is
// BAD_USER_INPUT in French; the GET endpoint serves the same file to download.
func TestOpenDataOfATerritory(t *testing.T) {
	tr := newTerritory(t)
	tr.publishDemo(t)
	const montclar, saintAubin, epci = "montclar", "saint-aubin-sur-leze", "cc-val-de-leze"
	for i := range 12 {
		id := tr.converse(t, montclar, "https://www.montclar.fr", "horaires de la mairie")
		if i < 3 {
			tr.c.MustPost(`mutation($c: ID!) { giveFeedback(conversationId: $c, helpful: true) }`, &struct{ GiveFeedback bool }{},
				origin("https://www.montclar.fr"), client.Var("c", id))
		}
	}
	for range 2 {
		tr.converse(t, saintAubin, "https://www.saint-aubin-sur-leze.fr", "horaires de la mairie")
	}
	platform := bearer(adminToken)
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, errs := post(t, tr.c, `{ overview(`+period+`) { conversations messages helpfulRate } usage(`+period+`) { messages } }`, platform)
		if string(data["overview"]) == `{"conversations":14,"helpfulRate":1,"messages":14}` && strings.Contains(string(data["usage"]), `"messages":14`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the projections never held the 14 conversations and 3 ratings: %s %v", data["overview"], errs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	paris, _ := time.LoadLocation(projections.Local)
	now := time.Now().In(paris)
	month := now.Format("2006-01")
	lastDay := time.Date(now.Year(), now.Month()+1, 0, 0, 0, 0, 0, paris).Format("2006-01-02")
	tokA, tokEPCI := bearer(tr.token(t, "ELECTED", montclar)), bearer(tr.token(t, "ELECTED", epci))

	file := func(who client.Option, tenantID string) [][]string {
		t.Helper()
		var out struct{ OpenData string }
		tr.c.MustPost(`query($t: ID!, $m: String!) { openData(tenant: $t, month: $m) }`, &out, who, client.Var("t", tenantID), client.Var("m", month))
		rows, err := csv.NewReader(strings.NewReader(out.OpenData)).ReadAll()
		if err != nil {
			t.Fatalf("%s's file is not CSV: %v\n%s", tenantID, err, out.OpenData)
		}
		if len(rows) == 0 || strings.Join(rows[0], ",") != "indicateur,valeur,unite_mesure,est_cible,type_indicateur,frequence_monitoring,date,code_insee" {
			t.Fatalf("%s's header: %v", tenantID, rows)
		}
		for _, r := range rows[1:] {
			if _, err := strconv.ParseFloat(r[1], 64); err != nil || (r[2] != "unité" && r[2] != "%") || r[3] != "false" ||
				!slices.Contains([]string{"usage", "qualité", "satisfaction", "besoin"}, r[4]) || r[5] != "mensuelle" || r[6] != lastDay {
				t.Errorf("%s: the row %q does not follow the schema", tenantID, r)
			}
		}
		return rows[1:]
	}
	values := func(rows [][]string) map[string]string {
		out := map[string]string{}
		for _, r := range rows {
			out[r[0]] = r[1] + " " + r[2] + " " + r[7]
		}
		return out
	}

	a := values(file(tokA, montclar))
	want := map[string]string{
		"Nombre de conversations avec l'assistant":     "12 unité 31999",
		"Nombre de questions posées par les habitants": "12 unité 31999",
		"Taux de réponse":                              "100 % 31999",
		"Questions sur le thème « Mairie »":            "12 unité 31999",
	}
	for k, w := range want {
		if a[k] != w {
			t.Errorf("Montclar's %q = %q, want %q", k, a[k], w)
		}
	}
	if len(a) != len(want) {
		t.Errorf("Montclar's file has %d rows, want %d (no helpful rate from 3 ratings): %v", len(a), len(want), a)
	}
	if b := file(tokEPCI, saintAubin); len(b) != 0 {
		t.Errorf("Saint-Aubin's 2 conversations published: %v", b)
	}
	if v := values(file(tokEPCI, epci)); v["Nombre de conversations avec l'assistant"] != "14 unité 200099999" {
		t.Errorf("the intercommunalité's file: %v", v)
	}

	for _, tt := range []struct {
		name, tenant, month, code, says string
	}{
		{"another commune", saintAubin, month, "FORBIDDEN", "périmètre"},
		{"the intercommunalité", epci, month, "FORBIDDEN", "périmètre"},
		{"a month 13", montclar, "2026-13", "BAD_USER_INPUT", "AAAA-MM"},
		{"a month to come", montclar, "2999-01", "BAD_USER_INPUT", "commencé"},
		{"a date", montclar, "2026-03-01", "BAD_USER_INPUT", "AAAA-MM"},
	} {
		resp, err := tr.c.RawPost(`query($t: ID!, $m: String!) { openData(tenant: $t, month: $m) }`, tokA, client.Var("t", tt.tenant), client.Var("m", tt.month))
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(t, resp.Errors); len(got) != 1 || got[0] != tt.code || !strings.Contains(string(resp.Errors), tt.says) {
			t.Errorf("%s: %s, want %s saying %q", tt.name, resp.Errors, tt.code, tt.says)
		}
	}

	// The same file over GET, to download; nothing without a token.
	var q struct{ OpenData string }
	tr.c.MustPost(`query($m: String!) { openData(tenant: "montclar", month: $m) }`, &q, tokA, client.Var("m", month))
	for _, tt := range []struct {
		name, path, token string
		status            int
	}{
		{"Montclar's token", "/opendata/montclar/" + month + ".csv", "", http.StatusOK},
		{"no token", "/opendata/montclar/" + month + ".csv", "-", http.StatusUnauthorized},
		{"another commune", "/opendata/saint-aubin-sur-leze/" + month + ".csv", "", http.StatusForbidden},
		{"a bad month", "/opendata/montclar/2026-1.csv", "", http.StatusBadRequest},
	} {
		req := httptest.NewRequest("GET", tt.path, nil)
		if tt.token == "" {
			req.Header.Set("Authorization", "Bearer "+tr.token(t, "ELECTED", montclar))
		}
		rec := httptest.NewRecorder()
		tr.files.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("GET %s with %s: %d %s, want %d", tt.path, tt.name, rec.Code, rec.Body, tt.status)
			continue
		}
		if tt.status == http.StatusOK && (rec.Body.String() != q.OpenData ||
			rec.Header().Get("Content-Disposition") != `attachment; filename="parvis-montclar-`+month+`.csv"` ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv")) {
			t.Errorf("GET %s: %v\n%s", tt.path, rec.Header(), rec.Body)
		}
	}
}

// TestCampaignsBelongToTheirTerritory: a commune's test campaign, its invite
// token and its testers' phrasings are read by that commune and the
// territories above it only; another commune's expert cannot assign its
// phrasings, and a commune's expert cannot assign to an entry it does not own.
func TestCampaignsBelongToTheirTerritory(t *testing.T) {
	tr := newTerritory(t)
	tr.publishDemo(t)
	const montclar, saintAubin, epci = "montclar", "saint-aubin-sur-leze", "cc-val-de-leze"
	const site = "https://www.saint-aubin-sur-leze.fr"
	analystB := tr.token(t, "ANALYST", saintAubin)
	var created struct {
		CreateCampaign struct{ ID, InviteURL string }
	}
	tr.c.MustPost(`mutation { createCampaign(name: "Avant l'ouverture", scenarios: ["Inscrivez votre fille à la cantine"]) { id inviteUrl } }`,
		&created, bearer(analystB))
	id, invite := created.CreateCampaign.ID, created.CreateCampaign.InviteURL
	token := invite[strings.Index(invite, "campaign=")+len("campaign="):]

	var start struct{ StartConversation struct{ ID string } }
	tr.c.MustPost(`mutation($t: ID, $c: String) { startConversation(tenant: $t, campaign: $c, channel: "widget") { id } }`, &start,
		origin(site), client.Var("t", saintAubin), client.Var("c", token))
	conv := start.StartConversation.ID
	var send struct{ SendMessage struct{ Outcome string } }
	tr.c.MustPost(`mutation($c: ID!) { sendMessage(conversationId: $c, text: "ou garer mon camping car pour la nuit") { outcome } }`, &send,
		origin(site), client.Var("c", conv))
	var rated struct{ RateAnswer bool }
	tr.c.MustPost(`mutation($c: ID!) { rateAnswer(conversationId: $c, understood: false) }`, &rated, origin(site), client.Var("c", conv))

	report := fmt.Sprintf(`{ campaignReport(id: %q) { misunderstood { id } } }`, id)
	var phrasing string
	deadline := time.Now().Add(20 * time.Second)
	for phrasing == "" {
		data, errs := post(t, tr.c, report, bearer(analystB))
		var rep struct{ Misunderstood []struct{ ID string } }
		json.Unmarshal(data["campaignReport"], &rep)
		switch {
		case len(errs) > 0:
			t.Fatalf("the commune's own report: %v", errs)
		case len(rep.Misunderstood) > 0:
			phrasing = rep.Misunderstood[0].ID
		case time.Now().After(deadline):
			t.Fatal("the tester's phrasing never reached the report")
		default:
			time.Sleep(100 * time.Millisecond)
		}
	}

	for _, c := range []struct {
		scope string
		sees  bool
	}{{saintAubin, true}, {epci, true}, {montclar, false}} {
		tok := tr.token(t, "ANALYST", c.scope)
		data, _ := post(t, tr.c, `{ campaigns { id inviteUrl } }`, bearer(tok))
		listed := strings.Contains(string(data["campaigns"]), id) || strings.Contains(string(data["campaigns"]), token)
		_, errs := post(t, tr.c, report, bearer(tok))
		if listed != c.sees || (len(errs) == 0) != c.sees {
			t.Errorf("an analyst of %s: campaign listed %v, report errors %v; want seen %v", c.scope, listed, errs, c.sees)
		}
	}
	assign := fmt.Sprintf(`mutation { assignPhrasing(phrasingId: %q, entryId: "cantine") { id } }`, phrasing)
	if _, errs := post(t, tr.c, assign, bearer(tr.token(t, "EXPERT", montclar))); len(errs) == 0 {
		t.Error("another commune's expert assigned the phrasing")
	}
	// The demo's entries are Montclar's: to Saint-Aubin's expert, « cantine »
	// is an entry that does not exist.
	if _, errs := post(t, tr.c, assign, bearer(tr.token(t, "EXPERT", saintAubin))); len(errs) == 0 || errs[0] != "BAD_USER_INPUT" {
		t.Errorf("the commune's expert assigning to another commune's entry: %v, want BAD_USER_INPUT", errs)
	}
	if _, errs := post(t, tr.c, assign, bearer(adminToken)); len(errs) > 0 {
		t.Errorf("the platform's administrator assigning: %v", errs)
	}
}
