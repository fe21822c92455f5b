package projections

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// TestCampaignConversationsStayApart: a test campaign's conversation counts in
// its campaign's input and in no production figure: the overview, the elected
// officials' figures (usage, audiences, activity, citizens served) and the
// mining's input. Each check fails if its filter goes.
func TestCampaignConversationsStayApart(t *testing.T) {
	at := yesterdayMorning()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			live := conversationEvents(t, 2, 3, at) // 2 conversations, 6 questions, 4 answered
			tester := []events.Envelope{mustEvent(t, "conv-test", at, events.ConversationStarted{Audience: "association", Campaign: "camp-1"})}
			for i := range 4 {
				u := mustEvent(t, "conv-test", at, events.UtteranceReceived{Text: "ou inscrire mon fils a la cantine", Campaign: "camp-1"})
				dec := events.BotDecision{UtteranceID: u.ID, Outcome: "UNANSWERED", Confidence: 0.1,
					Candidates: []events.Candidate{{EntryID: "cantine", Score: 0.2}}, KBVersion: "v1", Reply: "?"}
				if i == 3 {
					dec.Outcome, dec.EntryID = "ANSWERED", "cantine" // the tester is served: Served must not count it
				}
				d := mustEvent(t, "conv-test", at, dec)
				f := mustEvent(t, "conv-test", at, events.FeedbackGiven{Helpful: false, UtteranceID: u.ID, Campaign: "camp-1"})
				tester = append(tester, u, d, f)
			}
			projectAll(t, s, append(live, tester...))
			if err := RollUpAll(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			q := NewQueries(s)
			from, to := at.Add(-time.Hour), at.Add(time.Hour)

			o, err := q.Overview(ctx, tenant.Everything(), from, to)
			if err != nil || o.Conversations != 2 || o.Messages != 6 || o.Unanswered != 2 || o.Feedback != 0 {
				t.Errorf("overview = %+v %v, want 2 conversations, 6 messages, 2 unanswered, no feedback", o, err)
			}
			if n, err := q.Served(ctx, tenant.Everything(), from, to); err != nil || n != 2 {
				t.Errorf("served = %d %v, want 2", n, err)
			}
			u, err := q.Usage(ctx, tenant.Everything(), from, to, false)
			if err != nil || len(u) != 1 || u[0].Conversations != 2 || u[0].Messages != 6 || u[0].Unanswered != 2 {
				t.Errorf("usage = %+v %v, want 2 conversations, 6 questions, 2 unanswered", u, err)
			}
			aud, err := q.Audiences(ctx, tenant.Everything(), from, to)
			if err != nil || len(aud) != 1 || aud[0].Audience != "particulier" {
				t.Errorf("audiences = %+v %v, want particulier only", aud, err)
			}
			cells, err := q.Activity(ctx, tenant.Everything(), from, to)
			total := 0
			for _, c := range cells {
				total += int(c.Messages)
			}
			if err != nil || total != 6 {
				t.Errorf("activity = %d messages %v, want 6", total, err)
			}
			turns, fb, _, err := q.MiningInput(ctx, tenant.Everything(), from)
			if err != nil || len(turns) != 6 || len(fb) != 0 {
				t.Errorf("mining input = %d turns, %d feedback %v, want 6 turns, no feedback", len(turns), len(fb), err)
			}
			for _, tr := range turns {
				if tr.ConversationID == "conv-test" {
					t.Errorf("mining reads the tester's turn %+v", tr)
				}
			}

			convs, cturns, evs, err := q.CampaignInput(ctx, "camp-1")
			if err != nil || len(convs) != 1 || len(cturns) != 4 || len(evs) != 4 {
				t.Fatalf("campaign input = %v, %d turns, %d events, %v; want 1 conversation, 4 turns, 4 ratings", convs, len(cturns), len(evs), err)
			}
			if tr := cturns[0]; tr.Text != "ou inscrire mon fils a la cantine" || tr.Outcome != "UNANSWERED" || tr.KBVersion != "v1" {
				t.Errorf("campaign turn = %+v", tr)
			}
			if ut, ok, err := q.Utterance(ctx, cturns[0].UtteranceID); err != nil || !ok || ut.Campaign != "camp-1" || ut.ConversationID != "conv-test" {
				t.Errorf("utterance = %+v %v %v", ut, ok, err)
			}
		})
	}
}
