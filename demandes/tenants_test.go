package demandes

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// territoryDesk returns a desk of the demo's territory (the EPCI VDL, Montclar
// MTC, Saint-Aubin SAL) whose fallback prefix is PVS, on a real broker.
func territoryDesk(t *testing.T) (*Desk, *tenant.Registry, string) {
	t.Helper()
	addr, pub := eventlogtest.Start(t)
	reg := tenant.NewRegistry(pub)
	if _, err := reg.Sync(context.Background(), tenant.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	keys, err := OpenKeyStore(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	codes, err := NewCodes("PVS", []byte("a server secret of some length"))
	if err != nil {
		t.Fatal(err)
	}
	return NewDesk(Config{Tenants: reg, Codes: codes, Kinds: NewKinds(kb.DemoKinds()), Keys: keys}, pub), reg, addr
}

func fileIn(t *testing.T, desk *Desk, tenantID string) Demande {
	t.Helper()
	dm, err := desk.File(context.Background(), Form{ConversationID: events.NewID(time.Now()), Tenant: tenantID, Kind: "voirie",
		Description: "Un nid-de-poule devant l'école", Address: "rue des Écoles"})
	if err != nil {
		t.Fatal(err)
	}
	return dm
}

// TestPrefixPerTenant files in two communes and in no tenant: each code has its
// tenant's prefix (the fallback for none), numbers run per prefix, the events
// and the desk carry the tenant, a code of any prefix reads however typed, and
// a desk rebuilt from the log numbers on from where each prefix stopped.
func TestPrefixPerTenant(t *testing.T) {
	desk, reg, addr := territoryDesk(t)
	year := time.Now().UTC().Year()
	m1, m2 := fileIn(t, desk, "montclar"), fileIn(t, desk, "montclar")
	s1 := fileIn(t, desk, "saint-aubin-sur-leze")
	none := fileIn(t, desk, "")
	for _, tt := range []struct {
		dm     Demande
		prefix string
		number int64
		tenant string
	}{{m1, "MTC", 1, "montclar"}, {m2, "MTC", 2, "montclar"}, {s1, "SAL", 1, "saint-aubin-sur-leze"}, {none, "PVS", 1, ""}} {
		if want := desk.Codes().MakeIn(tt.prefix, year, tt.number).String(); tt.dm.Code != want || tt.dm.Tenant != tt.tenant {
			t.Errorf("filed %s of %q, want %s of %q", tt.dm.Code, tt.dm.Tenant, want, tt.tenant)
		}
	}
	// However typed, and a prefix changed is a code that does not check.
	for _, typed := range []string{strings.ToLower(s1.Code), strings.ReplaceAll(s1.Code, "-", " "), strings.ReplaceAll(s1.Code, "-", "")} {
		if got, err := desk.Track(typed); err != nil || got.Code != s1.Code {
			t.Errorf("Track(%q) = %s, %v", typed, got.Code, err)
		}
	}
	if _, err := desk.Track("MTC" + strings.TrimPrefix(s1.Code, "SAL")); !errors.Is(err, ErrCodeCheck) {
		t.Errorf("a SAL code with MTC letters: %v, want ErrCodeCheck", err)
	}
	if _, err := desk.Track(desk.Codes().MakeIn("XYZ", year, 1).String()); !errors.Is(err, ErrCodeFormat) {
		t.Errorf("a code of no declared prefix: %v, want ErrCodeFormat", err)
	}
	tenants := map[string]string{}
	keys, err := OpenKeyStore(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := NewDesk(Config{Tenants: reg, Codes: desk.Codes(), Kinds: NewKinds(kb.DemoKinds()), Keys: keys}, desk.pub)
	for _, ev := range readTopic(t, addr) {
		if ev.Type == "demande.filed" {
			tenants[ev.ConversationID] = ev.Tenant
		}
		rebuilt.applyEvent(ev)
	}
	if tenants[s1.ConversationID] != "saint-aubin-sur-leze" || tenants[m1.ConversationID] != "montclar" {
		t.Errorf("events' tenants: %v", tenants)
	}
	// A desk rebuilt from the log continues each numbering.
	if m3, s2 := fileIn(t, rebuilt, "montclar"), fileIn(t, rebuilt, "saint-aubin-sur-leze"); m3.Number != 3 || s2.Number != 2 {
		t.Errorf("rebuilt desk numbers on %s, %s; want MTC 3 and SAL 2", m3.Code, s2.Code)
	}
}

// TestDeskKeepsToItsScope: an agent of Saint-Aubin lists, opens and changes
// Saint-Aubin's demandes only; the EPCI's sees both communes'; the zero scope
// is refused.
func TestDeskKeepsToItsScope(t *testing.T) {
	desk, reg, _ := territoryDesk(t)
	ctx := context.Background()
	m, s := fileIn(t, desk, "montclar"), fileIn(t, desk, "saint-aubin-sur-leze")
	sal, epci := reg.Scope("saint-aubin-sur-leze"), reg.Scope("cc-val-de-leze")
	codes := func(scope tenant.Scope) string {
		l, err := desk.List(scope, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, dm := range l {
			out = append(out, dm.Code)
		}
		return strings.Join(out, " ")
	}
	if got := codes(sal); got != s.Code {
		t.Errorf("Saint-Aubin lists %q, want %q", got, s.Code)
	}
	if got := codes(epci); got != s.Code+" "+m.Code {
		t.Errorf("the EPCI lists %q, want both", got)
	}
	if _, err := desk.List(tenant.Scope{}, Filter{}); !errors.Is(err, ErrNoScope) {
		t.Errorf("List with the zero scope: %v", err)
	}
	if _, err := desk.Case(sal, m.Code); !errors.Is(err, ErrUnknown) {
		t.Errorf("Saint-Aubin opens Montclar's demande: %v, want ErrUnknown", err)
	}
	if _, err := desk.Update(ctx, sal, m.Code, connector.Traitee, "fait", "", nil, "agent"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Saint-Aubin closes Montclar's demande: %v, want ErrUnknown", err)
	}
	if _, err := desk.EraseContact(ctx, sal, m.Code, "request", "admin"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Saint-Aubin erases Montclar's contact: %v, want ErrUnknown", err)
	}
	if got, _ := desk.Get(m.Code); got.Status != connector.Recue || got.Erased {
		t.Errorf("Montclar's demande changed: %+v", got)
	}
	if got, err := desk.Update(ctx, epci, m.Code, connector.EnCours, "", "", nil, "agent"); err != nil || got.Status != connector.EnCours || got.Tenant != "montclar" {
		t.Errorf("the EPCI updates Montclar's demande: %+v, %v", got, err)
	}
}

// TestAnswerInItsCommune: a commune's assistant answers its own codes, and
// for another commune's code says whose assistant to ask without a word of
// its status; the EPCI's assistant answers its members' codes.
func TestAnswerInItsCommune(t *testing.T) {
	desk, _, _ := territoryDesk(t)
	ctx := context.Background()
	s := fileIn(t, desk, "saint-aubin-sur-leze")
	if _, err := desk.Update(ctx, tenant.Everything(), s.Code, connector.EnCours, "Une équipe passe demain.", "", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(strings.ReplaceAll(s.Code, "-", " "))
	for _, tt := range []struct {
		tenant, want, not string
	}{
		{"saint-aubin-sur-leze", "en cours de traitement", ""},
		{"cc-val-de-leze", "en cours de traitement", ""},
		{"", "en cours de traitement", ""},
		{"montclar", "l'assistant de Saint-Aubin-sur-Lèze", "cours"},
	} {
		reply, _, ok := desk.Answer(context.Background(), tt.tenant, "où en est ma demande "+typed+" ?")
		if !ok || !strings.Contains(reply, tt.want) || (tt.not != "" && (strings.Contains(reply, tt.not) || strings.Contains(reply, "équipe"))) {
			t.Errorf("in %q's assistant: %q", tt.tenant, reply)
		}
	}
	if reply, _ := desk.AskCode("montclar", "où en est ma demande ?"); !strings.Contains(reply, "MTC-") {
		t.Errorf("Montclar's example code: %q", reply)
	}
}
