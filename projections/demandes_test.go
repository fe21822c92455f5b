package projections

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// TestDemandesProjection: a demande's kind, place and statuses are projected,
// its sealed part in no table, and the figures count it against its due date.
func TestDemandesProjection(t *testing.T) {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			const sealed = "U0VBTEVELUNJUEhFUlRFWFQ="
			filed := func(code, kind string, n int64) events.Envelope {
				return mustEvent(t, "conv-"+code, at, events.DemandeFiled{TrackingCode: code, Number: n, Kind: kind,
					Description: "un trou [ADRESSE]", Place: "rue des Lilas", HasContact: true, Consent: true,
					Due: at.Add(5 * 24 * time.Hour), Sealed: sealed})
			}
			change := func(code, status string, after time.Duration) events.Envelope {
				return mustEvent(t, "conv-"+code, at.Add(after), events.DemandeStatusChanged{TrackingCode: code, Status: status, Message: "ok", By: "agent"})
			}
			projectAll(t, s, []events.Envelope{
				filed("MTC-2026-000001-AAAA", "voirie", 1), change("MTC-2026-000001-AAAA", "EN_COURS", time.Hour),
				change("MTC-2026-000001-AAAA", "TRAITEE", 48*time.Hour),
				filed("MTC-2026-000002-BBBB", "voirie", 2), change("MTC-2026-000002-BBBB", "TRAITEE", 9*24*time.Hour),
				filed("MTC-2026-000003-CCCC", "encombrants", 3),
			})
			figs, err := NewQueries(s).DemandeFigures(context.Background(), tenant.Everything(), at.Add(-time.Hour), at.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			// Another territory's figures hold none of them; no scope, no figures.
			if other, err := NewQueries(s).DemandeFigures(context.Background(), tenant.Only("saint-aubin-sur-leze"), at.Add(-time.Hour), at.Add(time.Hour)); err != nil || len(other) != 0 {
				t.Errorf("another territory's figures: %+v, %v", other, err)
			}
			if _, err := NewQueries(s).DemandeFigures(context.Background(), tenant.Scope{}, at.Add(-time.Hour), at.Add(time.Hour)); !errors.Is(err, ErrNoScope) {
				t.Errorf("figures without a scope: %v", err)
			}
			want := map[string]DemandeFigure{
				"encombrants/RECUE": {Kind: "encombrants", Status: "RECUE", Count: 1},
				"voirie/TRAITEE":    {Kind: "voirie", Status: "TRAITEE", Count: 2, Closed: 2, InTime: 1, ClosedSeconds: (48 + 9*24) * 3600},
			}
			if len(figs) != len(want) {
				t.Fatalf("figures %+v", figs)
			}
			for _, f := range figs {
				if w := want[f.Kind+"/"+f.Status]; f != w {
					t.Errorf("figure %+v, want %+v", f, w)
				}
			}
			// The sealed part is in no table, not even the events table.
			for _, tbl := range []string{"events", "demandes", "demande_changes"} {
				var rows []struct {
					N uint64 `ch:"n"`
				}
				cols := map[string]string{"events": "payload", "demandes": "place", "demande_changes": "status"}[tbl]
				if err := s.Select(context.Background(), &rows, "SELECT count() AS n FROM "+tbl+" WHERE position("+cols+", '"+sealed+"') > 0"); err != nil {
					t.Fatal(err)
				}
				if rows[0].N != 0 {
					t.Errorf("the sealed part is in %s", tbl)
				}
			}
			var payloads []struct {
				P string `ch:"payload"`
			}
			if err := s.Select(context.Background(), &payloads, "SELECT payload FROM events WHERE type = 'demande.filed'"); err != nil || len(payloads) != 3 {
				t.Fatalf("%d filed events projected: %v", len(payloads), err)
			}
			if strings.Contains(payloads[0].P, "sealed") {
				t.Errorf("payload %s", payloads[0].P)
			}
		})
	}
}
