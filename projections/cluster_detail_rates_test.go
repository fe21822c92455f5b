package projections

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// eventBatch projects payloads as the projector does, for the tests.
type eventBatch struct {
	t *testing.T
	b Batch
}

func newEventBatch(t *testing.T) *eventBatch { return &eventBatch{t: t, b: Batch{}} }

func (r *eventBatch) add(conv string, at time.Time, p events.Payload) events.Envelope {
	r.t.Helper()
	e, err := events.New("montclar", conv, at, p)
	if err != nil {
		r.t.Fatal(err)
	}
	raw, _ := e.Marshal()
	env, dec, err := events.Decode(raw)
	if err != nil {
		r.t.Fatal(err)
	}
	r.b.Project(env, dec)
	return env
}

// turn adds a citizen's question and the bot's decision on it.
func (r *eventBatch) turn(conv string, at time.Time, text, outcome, entry string) events.Envelope {
	u := r.add(conv, at, &events.UtteranceReceived{Text: text})
	var cands []events.Candidate
	if entry != "" {
		cands = []events.Candidate{{EntryID: entry, Score: 0.8}}
	}
	r.add(conv, at, &events.BotDecision{UtteranceID: u.ID, Outcome: outcome, Confidence: 0.8, EntryID: entry,
		Candidates: cands, KBVersion: "v1", Reply: "r"})
	return u
}

func (r *eventBatch) insert(s Store) {
	r.t.Helper()
	if err := r.b.Insert(context.Background(), s, ""); err != nil {
		r.t.Fatal(err)
	}
	r.b = Batch{}
}

func publishEntry(r *eventBatch, at time.Time, id, cluster string, pending bool, typ string) {
	r.add("", at, &events.KBEntryChanged{Type: typ, Pending: pending,
		Entry: events.KBEntry{ID: id, Question: "Où louer un vélo ?", Answer: "À la station.", Cluster: cluster, Theme: "Transports"}})
}

// TestAnswerRateAfterCoverageReadsThePeriodOnly: the « après » rate of a
// covered group counted every answer given with the entry since it was
// published (months before the period read), but only the group's failures of
// the period: over the last 7 days, 1 answer and 3 failures read as 51/54.
func TestAnswerRateAfterCoverageReadsThePeriodOnly(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	from, to := now.Add(-7*24*time.Hour), now
	pub := now.Add(-60 * 24 * time.Hour)
	r := newEventBatch(t)
	publishEntry(r, pub, "velo", "g1", false, events.TypeKBEntryPublished)
	// 50 answers with the entry between its publication and the period.
	for i := range 50 {
		r.turn(fmt.Sprintf("old-%02d", i), pub.Add(time.Duration(i+1)*24*time.Hour), "louer un vélo", "ANSWERED", "velo")
	}
	// In the period: one answer with the entry, three questions of the group still failing.
	r.turn("new-a", now.Add(-24*time.Hour), "louer un vélo", "ANSWERED", "velo")
	var signals []Signal
	var assigns []Assignment
	for i := range 3 {
		conv := fmt.Sprintf("new-f%d", i)
		at := now.Add(-48 * time.Hour)
		u := r.turn(conv, at, "vélo électrique en libre service", "UNANSWERED", "")
		signals = append(signals, Signal{Turn: Turn{UtteranceID: u.ID, ConversationID: conv, Tenant: "montclar", At: at, Text: "vélo électrique"}, Reasons: []string{"non_repondu"}})
		assigns = append(assigns, Assignment{UtteranceID: u.ID, ClusterID: "g1", At: at})
	}
	r.insert(s)
	q := NewQueries(s)
	if err := q.WriteMining(ctx, signals, assigns, []ClusterLabel{{ID: "g1", Label: "vélo électrique", Size: 3}}); err != nil {
		t.Fatal(err)
	}
	d, err := q.ClusterDetail(ctx, tenant.Everything(), "g1", from, to)
	if err != nil {
		t.Fatal(err)
	}
	if d.AnswerRateAfter == nil || math.Abs(*d.AnswerRateAfter-0.25) > 0.01 {
		got := "nil"
		if d.AnswerRateAfter != nil {
			got = fmt.Sprintf("%.3f", *d.AnswerRateAfter)
		}
		t.Errorf("answerRateAfter over the last 7 days = %s, want 0.25 (1 answer, 3 failures in the period)", got)
	}
}

// TestAnswerRateAfterCoverageCountsAQuestionOnce: a question answered with the
// entry and then judged not helpful is in the group (a signal) and among the
// entry's answers: it counted twice in the denominator. Four questions, all
// answered with the new entry, two judged not helpful, read as 4/6.
func TestAnswerRateAfterCoverageCountsAQuestionOnce(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	pub := now.Add(-3 * time.Hour)
	r := newEventBatch(t)
	publishEntry(r, pub, "velo", "g1", false, events.TypeKBEntryPublished)
	var signals []Signal
	var assigns []Assignment
	for i := range 4 {
		conv := fmt.Sprintf("c%d", i)
		at := now.Add(-time.Duration(i+1) * time.Minute)
		u := r.turn(conv, at, "louer un vélo", "ANSWERED", "velo")
		if i < 2 { // judged not helpful: the miner keeps it in the group
			signals = append(signals, Signal{Turn: Turn{UtteranceID: u.ID, ConversationID: conv, Tenant: "montclar", At: at, Text: "louer un vélo"}, Reasons: []string{"pas_utile"}})
			assigns = append(assigns, Assignment{UtteranceID: u.ID, ClusterID: "g1", At: at})
		}
	}
	r.insert(s)
	q := NewQueries(s)
	if err := q.WriteMining(ctx, signals, assigns, []ClusterLabel{{ID: "g1", Label: "louer un vélo", Size: 2}}); err != nil {
		t.Fatal(err)
	}
	d, err := q.ClusterDetail(ctx, tenant.Everything(), "g1", now.Add(-24*time.Hour), now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// Four questions since the entry: 4/4 answered, or 2/4 if a "not helpful" answer is no answer; never 4/6.
	if d.AnswerRateAfter == nil || !(math.Abs(*d.AnswerRateAfter-1) < 0.01 || math.Abs(*d.AnswerRateAfter-0.5) < 0.01) {
		t.Errorf("answerRateAfter = %v, want a share of the 4 questions asked since the entry (1 or 0.5)", deref(d.AnswerRateAfter))
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestCoveredAtIsTheEntrysFirstPublication: coveredAt was the entry's row's
// updated_at, which a later version (a suggestion accepted, a typo fixed)
// moves: the before/after split of the group moved with it.
func TestCoveredAtIsTheEntrysFirstPublication(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	first, again := now.Add(-10*24*time.Hour), now.Add(-24*time.Hour)
	r := newEventBatch(t)
	publishEntry(r, first, "velo", "g1", false, events.TypeKBEntryPublished)
	// A new version, drafted and validated while the first answers, then published.
	publishEntry(r, again.Add(-2*time.Minute), "velo", "g1", true, events.TypeKBEntryDrafted)
	publishEntry(r, again.Add(-time.Minute), "velo", "g1", true, events.TypeKBEntryValidated)
	publishEntry(r, again, "velo", "g1", false, events.TypeKBEntryPublished)
	u := r.turn("c1", now.Add(-20*24*time.Hour), "vélo", "UNANSWERED", "")
	r.insert(s)
	q := NewQueries(s)
	at := now.Add(-20 * 24 * time.Hour)
	if err := q.WriteMining(ctx, []Signal{{Turn: Turn{UtteranceID: u.ID, ConversationID: "c1", Tenant: "montclar", At: at, Text: "vélo"}, Reasons: []string{"non_repondu"}}},
		[]Assignment{{UtteranceID: u.ID, ClusterID: "g1", At: at}}, []ClusterLabel{{ID: "g1", Label: "vélo", Size: 1}}); err != nil {
		t.Fatal(err)
	}
	d, err := q.ClusterDetail(ctx, tenant.Everything(), "g1", now.Add(-30*24*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if !d.CoveredAt.Equal(first) {
		t.Errorf("coveredAt = %s, want the first publication %s (the republication of %s moved it)",
			d.CoveredAt.UTC().Format(time.RFC3339), first.Format(time.RFC3339), again.Format(time.RFC3339))
	}
}

// TestAnswerRateBeforeCoverageReadsEveryQuestion: the « avant » rate was
// computed from the 500 newest questions of the group only: 300 old
// answered-but-unsure and 300 newer unanswered read 200/500 = 40 %, not 50 %.
func TestAnswerRateBeforeCoverageReadsEveryQuestion(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	r := newEventBatch(t)
	publishEntry(r, now.Add(-time.Hour), "velo", "g1", false, events.TypeKBEntryPublished)
	var signals []Signal
	var assigns []Assignment
	for i := range 600 {
		conv := fmt.Sprintf("c%03d", i)
		at := now.Add(-time.Duration(700-i) * time.Hour)
		outcome, reason := "ANSWERED", "confiance_faible"
		if i >= 300 {
			outcome, reason = "UNANSWERED", "non_repondu"
		}
		u := r.turn(conv, at, "vélo", outcome, "")
		signals = append(signals, Signal{Turn: Turn{UtteranceID: u.ID, ConversationID: conv, Tenant: "montclar", At: at, Text: "vélo"}, Reasons: []string{reason}})
		assigns = append(assigns, Assignment{UtteranceID: u.ID, ClusterID: "g1", At: at})
	}
	r.insert(s)
	q := NewQueries(s)
	if err := q.WriteMining(ctx, signals, assigns, []ClusterLabel{{ID: "g1", Label: "vélo", Size: 600}}); err != nil {
		t.Fatal(err)
	}
	d, err := q.ClusterDetail(ctx, tenant.Everything(), "g1", now.Add(-800*time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	if d.AnswerRateBefore == nil || math.Abs(*d.AnswerRateBefore-0.5) > 0.01 {
		t.Errorf("answerRateBefore = %v, want 0.5 (300 of 600 answered)", deref(d.AnswerRateBefore))
	}
}
