package projectionstest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/parvis-civic/parvis/projections"
)

// SeedSynthetic fills the projection tables with about n synthetic events between
// from and to (a conversation of two questions is seven events), for
// benchmarks, with the knowledge base entries they refer to. It returns the
// number of events.
func SeedSynthetic(ctx context.Context, s projections.Store, n int, from, to time.Time) (int, error) {
	return SeedSyntheticTenants(ctx, s, n, from, to, []string{"montclar"})
}

// Tenants returns n synthetic tenant ids, t000, t001…
func Tenants(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("t%03d", i)
	}
	return out
}

// SeedSyntheticTenants is [SeedSynthetic] over several tenants: each
// conversation is one tenant's, drawn at random, so that each holds about
// n/len(tenants) events.
func SeedSyntheticTenants(ctx context.Context, s projections.Store, n int, from, to time.Time, tenants []string) (int, error) {
	rng := rand.New(rand.NewPCG(42, 43))
	entries := []string{"passeport", "carte_identite", "horaires_mairie", "cantine", "collecte_dechets", "piscine", "permis_construire", "acte_naissance"}
	audiences := []string{"particulier", "particulier", "particulier", "entreprise", "association", ""}
	outcomes := []string{"ANSWERED", "ANSWERED", "ANSWERED", "ANSWERED", "CLARIFY", "UNANSWERED"}
	span := to.Sub(from)
	const perInsert = 200_000
	b := projections.Batch{}
	themes := []string{"Papiers", "Papiers", "Mairie", "Enfance", "Déchets", "Sports et loisirs", "Urbanisme", "État civil"}
	for i, e := range entries {
		b.Add("kb_entries", e, "published", e, "réponse", "Ville de Montclar", "{}", from, "kb"+e, uint64(from.UnixMilli()), "", themes[i], "Service "+themes[i])
	}
	events := 0
	flush := func() error {
		if err := b.Insert(ctx, s, ""); err != nil {
			return err
		}
		b = projections.Batch{}
		return nil
	}
	for c := 0; events < n; c++ {
		conv := fmt.Sprintf("c%09d", c)
		at := from.Add(time.Duration(rng.Int64N(int64(span)))).UTC().Truncate(time.Second)
		tn := tenants[rng.IntN(len(tenants))]
		b.Add("conversations", conv, tn, at, audiences[rng.IntN(len(audiences))], "widget", "", "s"+conv)
		events++
		for m := range 2 {
			u := fmt.Sprintf("%s-u%d", conv, m)
			o := outcomes[rng.IntN(len(outcomes))]
			e := entries[rng.IntN(len(entries))]
			at := at.Add(time.Duration(m) * time.Minute)
			b.Add("messages", conv, u, tn, at, "citizen", "question", "", 0.0, "")
			b.Add("messages", conv, u+"d", tn, at, "bot", "réponse", o, 0.8, e)
			b.Add("decisions", u+"d", conv, u, tn, at, o, 0.8, e, []string{e}, []float64{0.8}, "v1", 0.1)
			events += 3
		}
		if b.Len() >= perInsert {
			if err := flush(); err != nil {
				return events, err
			}
		}
	}
	if err := flush(); err != nil {
		return events, err
	}
	return events, projections.RollUpAll(ctx, s, "")
}
