package tenant_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// recorder keeps what a registry emitted, for another process to apply.
type recorder struct {
	tenant.Emitter
	got []events.Envelope
}

func (r *recorder) Emit(ctx context.Context, t, c string, p events.Payload) (events.Envelope, error) {
	env, err := r.Emitter.Emit(ctx, t, c, p)
	r.got = append(r.got, env)
	return env, err
}

func demoRegistry(t *testing.T) (*tenant.Registry, *recorder) {
	t.Helper()
	_, pub := eventlogtest.Start(t)
	rec := &recorder{Emitter: pub}
	r := tenant.NewRegistry(rec)
	if n, err := r.Sync(context.Background(), tenant.Demo(), "demo"); err != nil || n != 3 {
		t.Fatalf("Sync(demo) = %d, %v", n, err)
	}
	return r, rec
}

// TestScopes: a commune sees itself, its intercommunalité itself and its
// communes, the platform everything; the zero Scope is not valid.
func TestScopes(t *testing.T) {
	r, _ := demoRegistry(t)
	tests := []struct {
		of   string
		sees []string
		not  []string
	}{
		{"montclar", []string{"montclar"}, []string{"saint-aubin-sur-leze", "cc-val-de-leze"}},
		{"cc-val-de-leze", []string{"montclar", "saint-aubin-sur-leze", "cc-val-de-leze"}, []string{"autre"}},
		{"", []string{"montclar", "autre"}, nil},
		{tenant.Platform, []string{"saint-aubin-sur-leze"}, nil},
		{"inconnue", []string{"inconnue"}, []string{"montclar"}},
	}
	for _, tt := range tests {
		s := r.Scope(tt.of)
		if !s.Valid() {
			t.Errorf("Scope(%q) is not valid", tt.of)
		}
		for _, id := range tt.sees {
			if !s.Has(id) {
				t.Errorf("Scope(%q) does not see %s", tt.of, id)
			}
		}
		for _, id := range tt.not {
			if s.Has(id) {
				t.Errorf("Scope(%q) sees %s", tt.of, id)
			}
		}
	}
	if (tenant.Scope{}).Valid() || (tenant.Only()).Valid() {
		t.Error("the zero scope is valid")
	}
	epci, commune := r.Scope("cc-val-de-leze"), r.Scope("montclar")
	if !epci.Covers(commune) || commune.Covers(epci) || commune.Covers(tenant.Everything()) || !tenant.Everything().Covers(epci) {
		t.Error("Covers is wrong")
	}
	// A commune is answered by its entries, its intercommunalité's and every
	// tenant's; not by its neighbour's.
	for of, want := range map[string][]string{"montclar": {"", "montclar", "cc-val-de-leze"},
		"cc-val-de-leze": {"", "cc-val-de-leze", "montclar", "saint-aubin-sur-leze"}} {
		if got := r.Scope(of).Answering(); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("Scope(%q).Answering() = %q, want %q", of, got, want)
		}
	}
	if got := tenant.Everything().Answering(); got != nil {
		t.Errorf("the platform is answered by %q, want every entry (nil)", got)
	}
	if got := r.List(r.Scope("cc-val-de-leze")); len(got) != 3 || got[0].ID != "cc-val-de-leze" {
		t.Errorf("List = %+v, want the EPCI first then its two communes", got)
	}
	if got := r.List(commune); len(got) != 1 || got[0].ID != "montclar" {
		t.Errorf("List(montclar) = %+v", got)
	}
}

// TestDeclarationsFollowTheLog: what one process declares, another learns from
// the audit log; a file already declared as it is declares nothing again.
func TestDeclarationsFollowTheLog(t *testing.T) {
	ctx := context.Background()
	r, rec := demoRegistry(t)
	other := tenant.NewRegistry(nil)
	for _, env := range rec.got {
		raw, _ := env.Marshal()
		e, p, err := events.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if e.Topic() != events.TopicAudit {
			t.Errorf("%s on %s, want the audit topic", e.Type, e.Topic())
		}
		other.Apply(e, p)
	}
	m, ok := other.Get("montclar")
	if !ok || m.Prefix != "MTC" || m.Parent != "cc-val-de-leze" || m.Population != 8420 || !m.AllowsOrigin("https://www.montclar.fr") {
		t.Fatalf("montclar in the other process = %+v, %v", m, ok)
	}
	if n, err := r.Sync(ctx, tenant.Demo(), "demo"); n != 0 || err != nil {
		t.Errorf("Sync again = %d, %v; want nothing declared", n, err)
	}
	m.Population = 8500
	if _, err := r.Update(ctx, m, "admin"); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.Get("montclar"); got.Population != 8500 {
		t.Errorf("after update: %+v", got)
	}
	if _, err := r.Create(ctx, m, "admin"); !errors.Is(err, tenant.ErrExists) {
		t.Errorf("Create of a declared id: %v", err)
	}
	if _, err := r.Update(ctx, tenant.Tenant{ID: "nulle-part", Name: "X", Prefix: "NUL"}, "admin"); !errors.Is(err, tenant.ErrUnknown) {
		t.Errorf("Update of an unknown id: %v", err)
	}
}

// TestCheck: what cannot be declared says which field is wrong.
func TestCheck(t *testing.T) {
	r, _ := demoRegistry(t)
	good := tenant.Tenant{ID: "lagardelle", Name: "Lagardelle-sur-Lèze", INSEE: "31264", Parent: "cc-val-de-leze", Prefix: "LGL"}
	if err := r.Check(good); err != nil {
		t.Fatalf("Check(good) = %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*tenant.Tenant)
		field string
	}{
		{"id", func(t *tenant.Tenant) { t.ID = "Saint Aubin" }, "id"},
		{"name", func(t *tenant.Tenant) { t.Name = " " }, "name"},
		{"insee", func(t *tenant.Tenant) { t.INSEE = "3126" }, "insee"},
		{"parent unknown", func(t *tenant.Tenant) { t.Parent = "cc-ailleurs" }, "parent"},
		{"parent is a commune", func(t *tenant.Tenant) { t.Parent = "montclar" }, "parent"},
		{"population", func(t *tenant.Tenant) { t.Population = -1 }, "population"},
		{"colour", func(t *tenant.Tenant) { t.Colour = "bleu" }, "colour"},
		{"origin with a path", func(t *tenant.Tenant) { t.Origins = []string{"https://www.ville.fr/accueil"} }, "origins"},
		{"prefix", func(t *tenant.Tenant) { t.Prefix = "ab" }, "prefix"},
		{"prefix taken", func(t *tenant.Tenant) { t.Prefix = "MTC" }, "prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := good
			x.Origins = slices.Clone(good.Origins)
			tt.edit(&x)
			err := r.Check(x)
			if !errors.Is(err, tenant.ErrInvalid) || !strings.Contains(err.Error(), tt.field) {
				t.Errorf("Check = %v, want ErrInvalid naming %s", err, tt.field)
			}
		})
	}
}

func TestParseLocatesProblems(t *testing.T) {
	_, err := tenant.Parse("t.yaml", []byte(`tenants:
  - id: a
    name: A
    prefix: AAA
  - id: b
    name: B
    parent: z
    prefix: AAA
  - id: a
    name: A bis
    prefix: ABA
`))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`t.yaml:5: parent "z"`, `t.yaml:5: prefix "AAA"`, `t.yaml:9: id "a" : déclaré deux fois (la première à la ligne 2)`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := tenant.Parse("t.yaml", []byte("tenants:\n  - id: a\n    nom: A\n")); err == nil || !strings.Contains(err.Error(), "t.yaml:2") {
		t.Errorf("an unknown field: %v", err)
	}
}

// TestContact: a tenant's front desk is checked field by field, travels on the
// log, and reads as one sentence with whatever it gives.
func TestContact(t *testing.T) {
	ts, err := tenant.Parse("t.yaml", []byte(`tenants:
  - id: cc-val-de-leze
    name: Communauté de communes du Val de Lèze
    prefix: VDL
    contact:
      phone: " 05 61 00 00 00 "
      hours: du lundi au vendredi, de 9 h à 12 h
      email: accueil@valdeleze.fr
      url: https://www.valdeleze.fr/contact
`))
	if err != nil {
		t.Fatal(err)
	}
	c := ts[0].Contact
	if c.Phone != "05 61 00 00 00" {
		t.Errorf("phone not trimmed: %q", c.Phone)
	}
	if back := tenant.FromWire(ts[0].Wire()); back.Contact != c {
		t.Errorf("through the log: %+v, want %+v", back.Contact, c)
	}
	want := "Contactez l'accueil (la CC) : par téléphone au 05 61 00 00 00 (du lundi au vendredi, de 9 h à 12 h), par courriel à accueil@valdeleze.fr ou par son formulaire de contact : https://www.valdeleze.fr/contact."
	if got := c.Sentence("la CC"); got != want {
		t.Errorf("sentence:\n got %q\nwant %q", got, want)
	}
	if got := (tenant.Contact{Email: "a@b.fr"}).Sentence("Montclar"); got != "Contactez l'accueil (Montclar) : par courriel à a@b.fr." {
		t.Errorf("e-mail only: %q", got)
	}
	if got := (tenant.Contact{}).Sentence("Montclar"); got != "" {
		t.Errorf("no contact: %q", got)
	}
	if tenant.FromWire(tenant.Tenant{ID: "a", Name: "A", Prefix: "AAA"}.Wire()).Contact != (tenant.Contact{}) {
		t.Error("a tenant without contact gains one on the log")
	}

	_, err = tenant.Parse("t.yaml", []byte(`tenants:
  - id: a
    name: A
    prefix: AAA
    contact:
      phone: appelez-nous
      email: accueil
      url: http://www.a.fr/contact
      hours: le matin
`))
	if err == nil {
		t.Fatal("a wrong contact is accepted")
	}
	for _, want := range []string{`t.yaml:2: contact.phone "appelez-nous"`, `contact.email "accueil"`, `contact.url "http://www.a.fr/contact"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	_, err = tenant.Parse("t.yaml", []byte("tenants:\n  - id: a\n    name: A\n    prefix: AAA\n    contact:\n      hours: le matin\n"))
	if err == nil || !strings.Contains(err.Error(), "contact.hours : les horaires d'une ligne téléphonique") {
		t.Errorf("hours without a phone: %v", err)
	}
	bad := tenant.Tenant{ID: "a", Name: "A", Prefix: "AAA", Contact: tenant.Contact{Phone: "3939", Hours: "le matin\n<script>"}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "contact.hours : une seule ligne") {
		t.Errorf("hours on two lines: %v", err)
	}
}

// TestContactPhoneAsTownsWriteIt: the numbers towns print on their sites are
// taken as written (a number copied from a page has no-break spaces, read as
// spaces); a form's address with a space in it, which no citizen could follow,
// is refused.
func TestContactPhoneAsTownsWriteIt(t *testing.T) {
	for _, tt := range []struct{ typed, want string }{
		{`05 61 00 00 00`, "05 61 00 00 00"},
		{`05.61.00.00.00`, "05.61.00.00.00"},
		{`3939`, "3939"},
		{`+33 5 61 00 00 00`, "+33 5 61 00 00 00"},
		{`+33 (0)5 61 00 00 00`, "+33 (0)5 61 00 00 00"},
		{`+33(0)561000000`, "+33(0)561000000"},
		{`05\u00a061\u00a000\u00a000\u00a000`, "05 61 00 00 00"},
		{`05\u202f61\u202f00\u202f00\u202f00`, "05 61 00 00 00"},
	} {
		ts, err := tenant.Parse("t.yaml", []byte("tenants:\n  - id: a\n    name: A\n    prefix: AAA\n    contact:\n      phone: \""+tt.typed+"\"\n"))
		if err != nil {
			t.Errorf("%s: %v", tt.typed, err)
			continue
		}
		if got := ts[0].Contact.Phone; got != tt.want {
			t.Errorf("%s: read %q, want %q", tt.typed, got, tt.want)
		}
	}
	for _, bad := range []string{`(0)5 61 00 00 00`, `+33 ((0))5 61 00 00 00`, `appelez le 05 61 00 00 00`} {
		if _, err := tenant.Parse("t.yaml", []byte("tenants:\n  - id: a\n    name: A\n    prefix: AAA\n    contact:\n      phone: \""+bad+"\"\n")); err == nil {
			t.Errorf("phone %s accepted", bad)
		}
	}
	_, err := tenant.Parse("t.yaml", []byte("tenants:\n  - id: a\n    name: A\n    prefix: AAA\n    contact:\n      url: https://www.a.fr/nous contacter\n"))
	if err == nil || !strings.Contains(err.Error(), "contact.url") {
		t.Errorf("a form's address with a space: %v", err)
	}
}
