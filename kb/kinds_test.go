package kb

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDemoKinds(t *testing.T) {
	kinds := DemoKinds()
	byID := map[string]DemandeKind{}
	for _, k := range kinds {
		byID[k.ID] = k
	}
	for _, id := range []string{"voirie", "encombrants", "salle_association", "eclairage", "proprete", "espaces_verts", "autre"} {
		if _, ok := byID[id]; !ok {
			t.Errorf("the demo declares no kind %q", id)
		}
	}
	// Every demo entry that proposes a demande names a declared kind.
	for _, e := range Demo() {
		if e.Demande != "" {
			if _, ok := byID[e.Demande]; !ok {
				t.Errorf("entry %s proposes the undeclared kind %q", e.ID, e.Demande)
			}
		}
	}
	if k := byID["salle_association"]; k.AllowedFor(Particulier) || !k.AllowedFor(Association) || !k.AllowedFor("") {
		t.Errorf("salle_association: audiences %v", k.Audiences)
	}
	if byID["salle_association"].Location.Asked() || byID["voirie"].Location != Required || byID["voirie"].Contact != Optional {
		t.Error("field rules not read")
	}
}

func TestDueCountsWorkingDays(t *testing.T) {
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		delay string
		want  time.Time
	}{
		{"5 jours ouvrés", time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)},
		{"1 jour ouvré", time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)},
		{"5 jours", time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)},
		{"2 semaines", time.Date(2026, 12, 11, 10, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.delay, func(t *testing.T) {
			var k DemandeKind
			var ok bool
			if k.days, k.working, ok = parseDelay(tt.delay); !ok {
				t.Fatal("not read")
			}
			if got := k.Due(friday); !got.Equal(tt.want) {
				t.Errorf("due %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParseKindsLocatesProblems(t *testing.T) {
	src := `demande_kinds:
  - id: voirie
    label: Voirie
    delay: 5 jours ouvrés
  - id: voirie
    label: ""
    delay: bientôt
    contact: parfois
  - id: Mauvais-Id
    label: x
    delay: 3 jours
    audiences: [martiens]
  - id: ok
    label: x
    delay: 3 jours
    colour: red
`
	_, err := ParseKinds("kinds.yaml", []byte(src))
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("want Problems, got %v", err)
	}
	want := []string{
		`kinds.yaml:5: id: « voirie » déjà déclaré ligne 2`,
		`kinds.yaml:6: label: obligatoire`,
		`kinds.yaml:7: delay: « bientôt »`,
		`kinds.yaml:8: contact: « parfois »`,
		`kinds.yaml:12: audiences: public « martiens » inconnu`,
		`kinds.yaml:16: champ « colour » inconnu`,
		`kinds.yaml:9: id: « Mauvais-Id »`,
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
}

// TestKindsBesideEntries: a KB file may hold its kinds beside its entries; each
// reader takes its own section.
func TestKindsBesideEntries(t *testing.T) {
	src := `source: Ville
entries:
  - id: trou
    question: Comment signaler un trou ?
    answer: Déposez une demande ici.
    demande: voirie
demande_kinds:
  - id: voirie
    label: Voirie
    delay: 2 semaines
`
	entries, err := Parse("base.yaml", []byte(src))
	if err != nil || len(entries) != 1 || entries[0].Demande != "voirie" {
		t.Fatalf("entries %+v, %v", entries, err)
	}
	kinds, err := ParseKinds("base.yaml", []byte(src))
	if err != nil || len(kinds) != 1 || kinds[0].Days() != 14 || kinds[0].Contact != Optional {
		t.Fatalf("kinds %+v, %v", kinds, err)
	}
}

// TestDueCountsTheTownsWorkingDays: « 5 jours ouvrés » are counted in Paris
// time, without weekends or French public holidays.
func TestDueCountsTheTownsWorkingDays(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	k := DemandeKind{ID: "voirie", Delay: "5 jours ouvrés", days: 5, working: true}
	for _, tt := range []struct {
		filed time.Time
		want  string
	}{
		// Saturday 6 June 2026 at 00:30 in Paris (Friday 22:30 UTC).
		{time.Date(2026, 6, 6, 0, 30, 0, 0, paris).UTC(), "2026-06-12"},
		// Thursday 30 April 2026: Friday 1 May and Friday 8 May are holidays.
		{time.Date(2026, 4, 30, 10, 0, 0, 0, paris), "2026-05-11"},
		// Thursday 2 April 2026: Easter Monday (6 April) is a holiday.
		{time.Date(2026, 4, 2, 10, 0, 0, 0, paris), "2026-04-10"},
	} {
		if got := k.Due(tt.filed).In(paris).Format("2006-01-02"); got != tt.want {
			t.Errorf("filed %s: due %s, want %s", tt.filed.In(paris), got, tt.want)
		}
	}
	if e := easterSunday(2027); e.Month() != time.March || e.Day() != 28 {
		t.Errorf("Easter 2027: %s", e)
	}
}
