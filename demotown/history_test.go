package demotown

import (
	"context"
	"encoding/json"
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
				ids[id] = "#" + strings.Repeat("x", 0) + string(rune('a'+len(ids)%26)) + itoa(len(ids))
			}
			return ids[id]
		})
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestHistoryFigures(t *testing.T) {
	sum, evs := history(t, 90, 1, end)
	t.Logf("%+v events %d", sum, len(evs))
	counts := map[string]int{}
	for _, e := range evs {
		counts[e.Type]++
	}
	t.Logf("%v", counts)
	out := map[string]int{}
	for _, e := range evs {
		if e.Type == events.TypeBotDecision {
			var d events.BotDecision
			json.Unmarshal(e.Payload, &d)
			out[d.Outcome]++
		}
	}
	t.Logf("%v", out)
}

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
