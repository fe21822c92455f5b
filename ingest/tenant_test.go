package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// TestConversationsOfATenant: a conversation is held with the tenant the widget
// names, every event of it carries that tenant; an unknown tenant or a site not
// allowed for it logs nothing.
func TestConversationsOfATenant(t *testing.T) {
	ctx := context.Background()
	_, pub := eventlogtest.Start(t)
	tenants := tenant.NewRegistry(pub)
	if _, err := tenants.Sync(ctx, tenant.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	engine, err := bot.New(bot.DefaultConfig(), kb.Demo(), "v1", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	s := NewService(Config{Tenant: "montclar", Tenants: tenants}, engine, rec, nil)

	refused := []struct {
		name string
		st   Start
		want error
	}{
		{"unknown tenant", Start{Tenant: "atlantide"}, ErrUnknownTenant},
		{"another commune's site", Start{Tenant: "saint-aubin-sur-leze", Page: web.PageOrigin{Origin: "https://www.montclar.fr"}}, ErrOriginNotAllowed},
		{"a site of no commune", Start{Tenant: "montclar", Page: web.PageOrigin{Origin: "https://pirate.example"}}, ErrOriginNotAllowed},
		{"a commune's campaign on another commune's site", Start{Tenant: "montclar", Page: web.PageOrigin{Origin: "https://www.montclar.fr"},
			Campaign: "c1", CampaignTenant: "saint-aubin-sur-leze"}, ErrCampaignElsewhere},
	}
	for _, tt := range refused {
		if _, err := s.Start(ctx, tt.st); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if len(rec.evs) != 0 {
		t.Fatalf("refused starts logged %d events", len(rec.evs))
	}

	accepted := []struct {
		name string
		st   Start
		want string
	}{
		{"its own site", Start{Tenant: "saint-aubin-sur-leze", Page: web.PageOrigin{Origin: "https://www.saint-aubin-sur-leze.fr"}}, "saint-aubin-sur-leze"},
		{"this deployment's page", Start{Tenant: "saint-aubin-sur-leze", Page: web.PageOrigin{Origin: "http://127.0.0.1:8080", Own: true}}, "saint-aubin-sur-leze"},
		{"a program, not a page", Start{Tenant: "cc-val-de-leze"}, "cc-val-de-leze"},
		{"no tenant named, as before tenants", Start{Page: web.PageOrigin{Origin: "https://www.ville.example"}}, "montclar"},
		{"a commune's campaign on its invite page, this deployment's", Start{Page: web.PageOrigin{Origin: "http://127.0.0.1:8080", Own: true},
			Campaign: "c1", CampaignTenant: "saint-aubin-sur-leze"}, "saint-aubin-sur-leze"},
		{"the intercommunalité's campaign with a member", Start{Tenant: "montclar", Campaign: "c2", CampaignTenant: "cc-val-de-leze"}, "montclar"},
	}
	for _, tt := range accepted {
		rec.evs = nil
		c, err := s.Start(ctx, tt.st)
		if err != nil || c.Tenant != tt.want {
			t.Errorf("%s: %+v, %v; want tenant %s", tt.name, c, err, tt.want)
			continue
		}
		if _, err := s.Send(ctx, c.ID, "horaires de la mairie"); err != nil {
			t.Fatal(err)
		}
		if err := s.Feedback(ctx, c.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if len(rec.evs) != 4 {
			t.Fatalf("%s: %d events, want start, utterance, decision, feedback", tt.name, len(rec.evs))
		}
		for _, e := range rec.evs {
			if e.Tenant != tt.want {
				t.Errorf("%s: %s carries tenant %q, want %q", tt.name, e.Type, e.Tenant, tt.want)
			}
		}
	}
}

// TestEachTenantItsEngine: a conversation is decided with its tenant's
// knowledge, and a change of the knowledge base reaches every tenant's engine.
func TestEachTenantItsEngine(t *testing.T) {
	entries := append(kb.Demo(), kb.DemoTerritory()...)
	tr := demoTerritory(t, entries)
	ask := func(tenantID, text string) string {
		t.Helper()
		if r := tr.ask(t, tenantID, text); r.Decision.Entry != nil {
			return r.Decision.Entry.ID
		}
		return ""
	}
	if got := ask("saint-aubin-sur-leze", "horaires de la mairie"); got != "sal_horaires_mairie" {
		t.Errorf("Saint-Aubin's hours: %q", got)
	}
	if got := ask("montclar", "horaires de la mairie"); got != "horaires_mairie" {
		t.Errorf("Montclar's hours: %q", got)
	}
	// Saint-Aubin's own hours retired: the intercommunalité's and national
	// entries are left, never Montclar's.
	var without []kb.Entry
	for _, e := range entries {
		if e.ID != "sal_horaires_mairie" {
			without = append(without, e)
		}
	}
	tr.engines.Swap(without, "v2")
	if got := ask("saint-aubin-sur-leze", "horaires de la mairie"); got == "horaires_mairie" || got == "sal_horaires_mairie" {
		t.Errorf("Saint-Aubin's hours after the change: %q", got)
	}
}

// TestTenantContactHandsOver: a tenant without a hand-off entry of its own
// gives its own front desk to whoever asks for a person and with every reply
// that cannot answer; a changed number is given from the next message; a
// tenant with its own entry keeps it.
func TestTenantContactHandsOver(t *testing.T) {
	ctx := context.Background()
	tr := demoTerritory(t, append(kb.Demo(), kb.DemoTerritory()...))
	tenants := tr.tenants
	ask := func(tenantID, text string) Reply { t.Helper(); return tr.ask(t, tenantID, text) }
	// The intercommunalité's base has two entries of its own, no hand-off.
	const cc = "cc-val-de-leze"
	r := ask(cc, "un humain svp")
	if r.Decision.Outcome != bot.Handoff || !strings.Contains(r.Text, "01 99 00 36 00") || !strings.Contains(r.Text, "accueil@cc-val-de-leze.example") {
		t.Errorf("the intercommunalité, « un humain svp »: %s %q", r.Decision.Outcome, r.Text)
	}
	r = ask(cc, "je voudrais un permis de chasse pour sanglier sur la lune")
	if r.Decision.Outcome != bot.Unanswered || !strings.Contains(r.Text, "01 99 00 36 00") {
		t.Errorf("the intercommunalité, nothing answers: %s %q", r.Decision.Outcome, r.Text)
	}
	if r := ask("montclar", "un humain svp"); r.Decision.Entry == nil || r.Decision.Entry.ID != "parler_agent" || strings.Contains(r.Text, "01 99 00 36 00") {
		t.Errorf("Montclar, with its own hand-off: %v %q", r.Decision.Entry, r.Text)
	}

	ccv, _ := tenants.Get(cc)
	ccv.Contact.Phone = "01 99 00 36 99"
	if _, err := tenants.Update(ctx, ccv, "test"); err != nil {
		t.Fatal(err)
	}
	if r := ask(cc, "je veux parler à quelqu'un"); !strings.Contains(r.Text, "01 99 00 36 99") {
		t.Errorf("after the number changed: %q", r.Text)
	}

	// A member commune that declared no front desk of its own gives its
	// intercommunalité's, and follows it when it changes.
	if _, err := tenants.Create(ctx, tenant.Tenant{ID: "lagardelle", Name: "Lagardelle", Parent: cc, Prefix: "LGL"}, "test"); err != nil {
		t.Fatal(err)
	}
	if r := ask("lagardelle", "un humain svp"); r.Decision.Outcome != bot.Handoff || !strings.Contains(r.Text, "01 99 00 36 99") {
		t.Errorf("a commune without a desk: %s %q", r.Decision.Outcome, r.Text)
	}
	ccv.Contact.Phone = "01 99 00 36 98"
	if _, err := tenants.Update(ctx, ccv, "test"); err != nil {
		t.Fatal(err)
	}
	if r := ask("lagardelle", "un humain svp"); !strings.Contains(r.Text, "01 99 00 36 98") {
		t.Errorf("a commune without a desk, after its intercommunalité's changed: %q", r.Text)
	}
}

// TestEngineOfATenantWithContactIsKept: once built, a tenant's engine is found
// for each message without writing its contact sentence again (what the
// engine was built with is compared, not the sentence it makes).
func TestEngineOfATenantWithContactIsKept(t *testing.T) {
	_, pub := eventlogtest.Start(t)
	tenants := tenant.NewRegistry(pub)
	if _, err := tenants.Sync(context.Background(), tenant.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	engines := NewEngines(bot.DefaultConfig(), nil, tenants)
	engines.Swap(kb.DemoTerritory(), "v1")
	first := engines.For("cc-val-de-leze")
	if n := testing.AllocsPerRun(100, func() {
		if engines.For("cc-val-de-leze") != first {
			t.Fatal("the engine was rebuilt")
		}
	}); n > 0 {
		t.Errorf("finding a built engine allocates %.0f times", n)
	}
}

// territory is the demo's communes and intercommunalité, declared on a real
// log, each with its engine over entries.
type territory struct {
	tenants *tenant.Registry
	engines *Engines
	chat    *Service
}

func demoTerritory(t *testing.T, entries []kb.Entry) territory {
	t.Helper()
	_, pub := eventlogtest.Start(t)
	tenants := tenant.NewRegistry(pub)
	if _, err := tenants.Sync(context.Background(), tenant.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	engines := NewEngines(bot.DefaultConfig(), nil, tenants)
	engines.Swap(entries, "v1")
	return territory{tenants, engines, NewService(Config{Tenant: "montclar", Tenants: tenants, Engines: engines}, nil, &recorder{}, nil)}
}

// ask starts a conversation with a tenant and sends it one message.
func (tr territory) ask(t *testing.T, tenantID, text string) Reply {
	t.Helper()
	ctx := context.Background()
	c, err := tr.chat.Start(ctx, Start{Tenant: tenantID})
	if err != nil {
		t.Fatal(err)
	}
	r, err := tr.chat.Send(ctx, c.ID, text)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
