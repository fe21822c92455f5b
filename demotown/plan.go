package demotown

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// visit is a citizen who opens the chat: when, where, as whom, and about what.
// Exactly one of need, entry, offtopic and code says what they came for.
type visit struct {
	at       time.Time
	tenant   string
	audience kb.Audience
	need     *need     // something the knowledge base does not answer (yet)
	entry    *kb.Entry // something it answers
	offtopic string
	code     string // a demande's tracking code, to ask where it stands
}

// hourly weighs the hours of the day (local time): citizens write in office
// hours and the evening, seldom at night.
var hourly = [24]float64{0.3, 0.15, 0.1, 0.08, 0.08, 0.2, 0.6, 1.5, 3, 4.5, 5, 4.8,
	3.5, 3.8, 4.5, 4.6, 4.3, 4, 3.6, 3, 2.8, 2.4, 1.6, 0.8}

// weekly weighs the days of the week: fewer on Saturday, fewest on Sunday.
var weekly = [7]float64{time.Sunday: 0.4, time.Monday: 1.15, time.Tuesday: 1.05, time.Wednesday: 1,
	time.Thursday: 1, time.Friday: 0.95, time.Saturday: 0.6}

// Audiences: mostly residents, then businesses and associations.
var audienceShare = []struct {
	a kb.Audience
	p float64
}{{kb.Particulier, 0.78}, {kb.Entreprise, 0.12}, {kb.Association, 0.10}}

// paris is the territory's time zone; hours are drawn in it.
var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// perDay returns a tenant's conversations a day about what the knowledge base
// answers, at the start of the history: one for 350 inhabitants of a commune, a
// quarter of that on an intercommunalité's own site (its communes' citizens
// mostly write on theirs).
func perDay(t tenant.Tenant, hasMembers bool) float64 {
	pop := float64(t.Population)
	if pop == 0 {
		pop = 5000
	}
	if hasMembers {
		return pop / 1400
	}
	return pop / 350
}

// plan draws every visit of the history, in order of time: each tenant's
// questions to the knowledge base (more as the chat becomes known: +50 % over
// the history), the unmet needs at their own rates, a few off-topic messages.
func plan(r *rand.Rand, start time.Time, days int, end time.Time, tenants []tenant.Tenant, members map[string]bool,
	entries []kb.Entry, sc script) []visit {
	var out []visit
	local := start.In(paris)
	day0 := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, paris)
	for d := 0; d <= days; d++ {
		day := day0.AddDate(0, 0, d)
		x := float64(d) / float64(days)
		week := weekly[day.Weekday()]
		add := func(n int, fill func(*visit)) {
			for range n {
				v := visit{at: at(r, day), audience: pickAudience(r)}
				fill(&v)
				if !v.at.Before(start) && v.at.Before(end) {
					out = append(out, v)
				}
			}
		}
		for _, t := range tenants {
			n := poisson(r, perDay(t, members[t.ID])*(1+0.5*x)*week)
			add(n, func(v *visit) {
				v.tenant = t.ID
				v.entry = pickEntry(r, entries, t, v.audience, day.Month())
			})
		}
		for _, nd := range sc.Needs {
			add(poisson(r, nd.rate(x)*week), func(v *visit) {
				v.tenant = pickTenant(r, tenants, members)
				v.need = nd
			})
		}
		add(poisson(r, 0.4*week), func(v *visit) {
			v.tenant = pickTenant(r, tenants, members)
			v.offtopic = sc.Offtopic[r.IntN(len(sc.Offtopic))]
		})
	}
	slices.SortStableFunc(out, func(a, b visit) int { return a.at.Compare(b.at) })
	return out
}

// at draws a moment of a day by the hourly weights.
func at(r *rand.Rand, day time.Time) time.Time {
	total := 0.0
	for _, w := range hourly {
		total += w
	}
	x := r.Float64() * total
	h := 0
	for ; h < 23 && x >= hourly[h]; h++ {
		x -= hourly[h]
	}
	return day.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(3600))*time.Second).UTC()
}

func pickAudience(r *rand.Rand) kb.Audience {
	x := r.Float64()
	for _, s := range audienceShare {
		if x < s.p {
			return s.a
		}
		x -= s.p
	}
	return kb.Particulier
}

// pickTenant draws a tenant by its population, communes only when there are
// any: an unmet need is asked where people live.
func pickTenant(r *rand.Rand, tenants []tenant.Tenant, members map[string]bool) string {
	total := 0.0
	for _, t := range tenants {
		if !members[t.ID] {
			total += float64(max(t.Population, 1))
		}
	}
	x := r.Float64() * total
	for _, t := range tenants {
		if members[t.ID] {
			continue
		}
		if x -= float64(max(t.Population, 1)); x < 0 {
			return t.ID
		}
	}
	return tenants[0].ID
}

// season boosts the entries asked about more in some months: the school year
// starts in September.
var season = map[string][]time.Month{
	"inscription_scolaire": {time.September}, "cantine": {time.September},
	"periscolaire_loisirs": {time.September}, "listes_electorales": {time.December},
}

// pickEntry draws a question of the knowledge base: some are asked far more
// than others (a Zipf law over an order fixed by the entries' ids), a tenant's
// own entries more on its site, an entry for other audiences seldom.
func pickEntry(r *rand.Rand, entries []kb.Entry, t tenant.Tenant, a kb.Audience, m time.Month) *kb.Entry {
	weights := make([]float64, len(entries))
	total := 0.0
	for i := range entries {
		e := &entries[i]
		w := 1 / math.Pow(float64(rank(e.ID)%len(entries))+1, 0.8)
		switch {
		case e.Tenant == t.ID:
			w *= 4
		case e.Tenant != "" && e.Tenant != t.Parent:
			w *= 0.3 // a neighbour's service, asked on the wrong site
		}
		if len(e.Audiences) > 0 && !slices.Contains(e.Audiences, a) {
			w *= 0.1
		}
		if slices.Contains(season[e.ID], m) {
			w *= 4
		}
		weights[i] = w
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x -= w; x < 0 {
			return &entries[i]
		}
	}
	return &entries[len(entries)-1]
}

// rank is a fixed pseudo-random rank of an entry id.
func rank(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % 1000)
}

// poisson draws how many events of a rate happen (Knuth's method: the rates
// here are small).
func poisson(r *rand.Rand, rate float64) int {
	if rate <= 0 {
		return 0
	}
	l, k, p := math.Exp(-rate), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
