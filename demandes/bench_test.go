package demandes

import (
	"context"
	"testing"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
)

// BenchmarkFile files demandes with a contact on the embedded broker: checks,
// a key written and synced, the sealing, the event acknowledged.
func BenchmarkFile(b *testing.B) {
	_, pub := eventlogtest.Start(b)
	desk := deskOn(b, b.TempDir(), pub)
	ctx := context.Background()
	yes := true
	for b.Loop() {
		if _, err := desk.File(ctx, Form{Kind: "voirie", Description: "Un trou dans la chaussée", Address: "12 rue des Lilas",
			Contact: "jean.dupont@exemple.fr", Consent: &yes}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswer answers a tracking question from a desk of 10,000 demandes.
func BenchmarkAnswer(b *testing.B) {
	_, pub := eventlogtest.Start(b)
	desk := deskOn(b, b.TempDir(), pub)
	code := desk.cfg.Codes.Make(2026, 5000).String()
	for n := int64(1); n <= 10000; n++ {
		c := desk.cfg.Codes.Make(2026, n).String()
		desk.byCode[c] = &Demande{Code: c, Number: n, Kind: "voirie", Status: "EN_COURS"}
	}
	for b.Loop() {
		if _, _, ok := desk.Answer(context.Background(), "", "où en est ma demande "+code+" ?"); !ok {
			b.Fatal("no answer")
		}
	}
}
