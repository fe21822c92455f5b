package demotown

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// logged keeps what the history appends to the log, in order.
type logged struct {
	mu  sync.Mutex
	evs []events.Envelope
}

func (l *logged) Publish(_ context.Context, evs ...events.Envelope) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evs = append(l.evs, evs...)
	return nil
}

func (l *logged) Emit(ctx context.Context, tenantID, conv string, p events.Payload) (events.Envelope, error) {
	env, err := events.New(tenantID, conv, time.Now(), p)
	if err != nil {
		return env, err
	}
	return env, l.Publish(ctx, env)
}

var (
	lang     *bot.Language
	langOnce sync.Once
)

// history writes a history of days ending at end, and returns its events.
func history(t *testing.T, days int, seed uint64, end time.Time) (Summary, []events.Envelope) {
	t.Helper()
	langOnce.Do(func() { lang = bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()) })
	ctx := context.Background()
	audit := &logged{}
	reg := tenant.NewRegistry(audit)
	if _, err := reg.Sync(ctx, tenant.Demo(), "test"); err != nil {
		t.Fatal(err)
	}
	codes, err := demandes.NewCodes("MTC", []byte(strings.Repeat("s", 32)))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := demandes.OpenKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out := &logged{}
	entries := append(append(kb.Demo(), kb.DemoTerritory()...), kb.ServicePublic()...)
	engines := ingest.NewEngines(bot.DefaultConfig(), lang, reg)
	engines.Swap(entries, "demo")
	sum, err := Write(ctx, Config{Days: days, End: end, Seed: seed, Log: out, Tenants: reg, Entries: entries,
		Engines: engines,
		Desk:    demandes.Config{Tenant: "montclar", Codes: codes, Kinds: demandes.NewKinds(kb.DemoKinds()), Keys: keys}})
	if err != nil {
		t.Fatal(err)
	}
	return sum, out.evs
}

// decided is a decision that answered or not.
type decided struct {
	at       time.Time
	answered bool
}

var end = time.Date(2026, 11, 29, 8, 30, 0, 0, time.UTC)

var ulidLike = regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{26}\b`)

// fingerprint is an event without what is drawn at random on purpose (ids, the
// sealed personal part) or measured (the decision's latency, its scores): ids
// become their order of appearance.
func fingerprint(evs []events.Envelope) []string {
	ids := map[string]string{}
	out := make([]string, len(evs))
	for i, e := range evs {
		var p map[string]any
		json.Unmarshal(e.Payload, &p)
		// The engine's scores may differ in their last digits from one
		// index to the next of the same entries; its decisions do not.
		for _, k := range []string{"latency_ms", "sealed", "confidence", "candidates"} {
			delete(p, k)
		}
		b, _ := json.Marshal(p)
		s := e.Type + " " + e.At.Format(time.RFC3339Nano) + " " + e.Tenant + " " + e.ConversationID + " " + string(b)
		out[i] = ulidLike.ReplaceAllStringFunc(s, func(id string) string {
			if _, ok := ids[id]; !ok {
				ids[id] = fmt.Sprintf("#%d", len(ids))
			}
			return ids[id]
		})
	}
	return out
}

// TestHistory writes 90 days and checks what the pages will show: every
// tenant and audience, office hours, quiet Sundays, needs that grow, entries
// published midway that answer from then on, demandes settled or still open.
func TestHistory(t *testing.T) {
	const days = 90
	sum, evs := history(t, days, 1, end)
	start := end.Add(-days * 24 * time.Hour)
	t.Logf("%+v", sum)
	if sum.Conversations < 1000 || sum.Messages < sum.Conversations || sum.Demandes == 0 || sum.Feedback == 0 || sum.Choices == 0 {
		t.Fatalf("a thin history: %+v", sum)
	}
	if sum.Events != len(evs) {
		t.Errorf("summary says %d events, the log holds %d", sum.Events, len(evs))
	}

	var (
		first, last   time.Time
		tenants       = map[string]int{}
		audiences     = map[string]int{}
		hours         [24]int
		weekdays      [7]int
		outcomes      = map[string]int{}
		helpful       = map[bool]int{}
		published     = map[string]time.Time{}
		answeredWith  = map[string][]time.Time{} // entry → when it answered
		montclar      []decided                  // Montclar's answers and failures
		noel          []time.Time
		velos         [3]int // by thirds of the history
		closed, filed = map[string]bool{}, map[string]bool{}
		statuses      = map[string]int{}
	)
	third := func(at time.Time) int { return min(2, int(at.Sub(start)*3/(days*24*time.Hour))) }
	for _, e := range evs {
		if e.At.Before(start) || !e.At.Before(end) {
			t.Fatalf("%s at %s: outside the history [%s, %s)", e.Type, e.At, start, end)
		}
		raw, _ := e.Marshal()
		_, p, err := events.Decode(raw)
		if err != nil {
			t.Fatalf("%s does not decode: %v", e.Type, err)
		}
		switch p := p.(type) {
		case *events.ConversationStarted:
			if first.IsZero() {
				first = e.At
			}
			last = e.At
			tenants[e.Tenant]++
			audiences[p.Audience]++
			local := e.At.In(paris)
			hours[local.Hour()]++
			weekdays[local.Weekday()]++
		case *events.UtteranceReceived:
			text := strings.ToLower(unaccent(p.Text))
			// The Christmas market, not the bin collection at Christmas that
			// the base's own phrasings ask about all year.
			if strings.Contains(text, "noel") && strings.Contains(text, "marche") {
				noel = append(noel, e.At)
			}
			if strings.Contains(text, "velo") || strings.Contains(text, "vls") || strings.Contains(text, "velib") {
				velos[third(e.At)]++
			}
		case *events.BotDecision:
			outcomes[p.Outcome]++
			if p.Outcome == "ANSWERED" {
				answeredWith[p.EntryID] = append(answeredWith[p.EntryID], e.At)
			}
			if e.Tenant == "montclar" && (p.Outcome == "ANSWERED" || p.Outcome == "UNANSWERED") {
				montclar = append(montclar, decided{e.At, p.Outcome == "ANSWERED"})
			}
		case *events.FeedbackGiven:
			helpful[p.Helpful]++
		case *events.KBEntryChanged:
			if e.Type == events.TypeKBEntryPublished {
				published[p.Entry.ID] = e.At
			}
		case *events.DemandeFiled:
			filed[p.TrackingCode] = true
		case *events.DemandeStatusChanged:
			statuses[p.Status]++
			if p.Status == "TRAITEE" || p.Status == "REJETEE" {
				closed[p.TrackingCode] = true
			}
		}
	}
	t.Logf("outcomes %v, tenants %v, audiences %v, statuses %v", outcomes, tenants, audiences, statuses)

	t.Run("spans the days", func(t *testing.T) {
		if first.Sub(start) > 24*time.Hour || end.Sub(last) > 24*time.Hour {
			t.Errorf("conversations from %s to %s, want the whole of [%s, %s)", first, last, start, end)
		}
	})
	t.Run("every tenant and audience", func(t *testing.T) {
		for _, ten := range tenant.Demo() {
			if tenants[ten.ID] < 100 {
				t.Errorf("%s: %d conversations", ten.ID, tenants[ten.ID])
			}
		}
		for _, a := range kb.Audiences {
			if audiences[string(a)] < 100 {
				t.Errorf("%s: %d conversations", a, audiences[string(a)])
			}
		}
		if tenants["montclar"] <= tenants["saint-aubin-sur-leze"] {
			t.Errorf("Montclar, the larger town, has %d conversations, Saint-Aubin %d", tenants["montclar"], tenants["saint-aubin-sur-leze"])
		}
	})
	t.Run("office hours and quiet Sundays", func(t *testing.T) {
		night := hours[1] + hours[2] + hours[3] + hours[4]
		morning := hours[9] + hours[10] + hours[11] + hours[12]
		if night*8 > morning {
			t.Errorf("%d conversations from 1 to 5 am, %d from 9 am to 1 pm: want far fewer at night (%v)", night, morning, hours)
		}
		weekday := (weekdays[time.Monday] + weekdays[time.Tuesday] + weekdays[time.Wednesday] + weekdays[time.Thursday]) / 4
		if weekdays[time.Sunday]*3 > weekday*2 {
			t.Errorf("%d on Sundays, %d on an average weekday", weekdays[time.Sunday], weekday)
		}
	})
	t.Run("every outcome and both ratings", func(t *testing.T) {
		for _, o := range []string{"ANSWERED", "CLARIFY", "UNANSWERED", "SMALLTALK", "HANDOFF"} {
			if outcomes[o] == 0 {
				t.Errorf("no %s", o)
			}
		}
		if helpful[true] <= helpful[false] || helpful[false] == 0 {
			t.Errorf("feedback: %d helpful, %d not", helpful[true], helpful[false])
		}
	})
	t.Run("needs grow", func(t *testing.T) {
		if velos[2] <= velos[0] {
			t.Errorf("bicycles asked about %v times by thirds: want more at the end", velos)
		}
		if len(noel) < 5 {
			t.Fatalf("the Christmas market asked about %d times", len(noel))
		}
		for _, at := range noel {
			if at.Before(start.Add(days * 24 * time.Hour * 6 / 10)) {
				t.Errorf("the Christmas market asked about on %s, before the last month", at)
			}
		}
	})
	t.Run("entries published midway answer from then on", func(t *testing.T) {
		for _, id := range []string{"objets_trouves", "meuble_tourisme"} {
			at, ok := published[id]
			if !ok {
				t.Fatalf("%s never published", id)
			}
			if at.Before(start.Add(days*24*time.Hour*4/10)) || at.After(start.Add(days*24*time.Hour*6/10)) {
				t.Errorf("%s published on %s: want midway", id, at)
			}
			answered := answeredWith[id]
			if len(answered) < 5 {
				t.Errorf("%s answered %d times", id, len(answered))
			}
			for _, a := range answered {
				if a.Before(at) {
					t.Errorf("%s answered on %s, before it was published on %s", id, a, at)
				}
			}
		}
		// Montclar's answer rate, three weeks before and after.
		at := published["objets_trouves"]
		rate := func(from, to time.Time) float64 {
			n, ok := 0, 0
			for _, d := range montclar {
				if !d.at.Before(from) && d.at.Before(to) {
					n++
					if d.answered {
						ok++
					}
				}
			}
			return float64(ok) / float64(max(n, 1))
		}
		weeks := 21 * 24 * time.Hour
		before, after := rate(at.Add(-weeks), at), rate(at, at.Add(weeks))
		t.Logf("Montclar's answer rate: %.3f the three weeks before, %.3f after", before, after)
		if after < before+0.03 {
			t.Errorf("Montclar's answer rate: %.3f the three weeks before, %.3f after: want a visible rise", before, after)
		}
	})
	t.Run("demandes settled and open", func(t *testing.T) {
		open := 0
		for code := range filed {
			if !closed[code] {
				open++
			}
		}
		if len(filed) < 20 || open == 0 || open == len(filed) || statuses["EN_COURS"] == 0 || statuses["REJETEE"] == 0 {
			t.Errorf("%d demandes filed, %d still open, changes %v", len(filed), open, statuses)
		}
	})
}

// TestSameSeedSameHistory writes the same 20 days twice: every event the same,
// at the same moment, in the same order, but for its ids and what is random on
// purpose.
func TestSameSeedSameHistory(t *testing.T) {
	_, a := history(t, 20, 7, end)
	_, b := history(t, 20, 7, end)
	fa, fb := fingerprint(a), fingerprint(b)
	for i := range min(len(fa), len(fb)) {
		if fa[i] != fb[i] {
			t.Fatalf("event %d differs:\n%s\n%s", i, fa[i], fb[i])
		}
	}
	if len(fa) != len(fb) {
		t.Fatalf("%d events, then %d", len(fa), len(fb))
	}
}
