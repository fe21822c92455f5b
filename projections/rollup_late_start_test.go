package projections

import (
	"context"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// TestRollupCountsAConversationStartedAfterItsQuestions: the hourly rollup
// joins the decisions of the hours a batch touched with the conversations
// known then. A conversation's start projected after its questions (another
// partition, or another projector of the group after PARVIS_PARTITIONS grows)
// touched no hour: its questions were never in the trend, needs and hours of
// use, while the headline counted them.
func TestRollupCountsAConversationStartedAfterItsQuestions(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	ctx := context.Background()
	at := time.Now().UTC().Truncate(time.Hour).Add(-2 * time.Hour)
	p := NewProjector(ProjectorConfig{}, s, nil)
	project := func(evs []events.Envelope) { projectAsTheProjector(t, ctx, p, evs) }
	evs := conversationEvents(t, 1, 4, at.Add(10*time.Minute)) // the start, then 4 questions
	project(evs[1:])                                           // the questions' partition first
	project(evs[:1])                                           // then the start
	q := NewQueries(s)
	o, err := q.Overview(ctx, tenant.Everything(), at, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	u, err := q.Usage(ctx, tenant.Everything(), at, at.Add(time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, pt := range u {
		n += pt.Messages
	}
	if o.Messages != 4 || n != 4 {
		t.Errorf("the headline counts %d questions, the trend %d; want 4 and 4", o.Messages, n)
	}
}
