package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/parvis-civic/parvis/tenant"
)

// Queries answers the questions of the API, the dashboards and the bot's context
// from the projection tables. Every count reads the tables with FINAL, so an event
// delivered twice counts once. Every read that the API serves takes the
// [tenant.Scope] of the caller and keeps the rows of its tenants only.
type Queries struct {
	s Store
}

// NewQueries returns the query layer over s.
func NewQueries(s Store) *Queries { return &Queries{s: s} }

// Overview is the headline figures of a period.
type Overview struct {
	Conversations int
	Messages      int
	Answered      int
	Clarified     int
	Unanswered    int
	Feedback      int
	Helpful       int
}

// AnswerRate is the share of questions answered at once, among those that were
// answered, clarified or not answered (greetings and hand-offs left out).
func (o Overview) AnswerRate() float64 {
	if n := o.Answered + o.Clarified + o.Unanswered; n > 0 {
		return float64(o.Answered) / float64(n)
	}
	return 0
}

// HelpfulRate is the share of "helpful" feedback, or nil without feedback.
func (o Overview) HelpfulRate() *float64 {
	if o.Feedback == 0 {
		return nil
	}
	r := float64(o.Helpful) / float64(o.Feedback)
	return &r
}

// notCampaign excludes conversations of citizen test campaigns; in is the
// scope's filter on the tenant column, which the test conversations are read
// with too: a commune's figures read its own conversations, not the platform's.
func notCampaign(in string) string {
	return "conversation_id NOT IN (SELECT conversation_id FROM conversations FINAL WHERE campaign != '' AND " + in + ")"
}

// Overview counts the conversations and messages of [from, to) in a scope.
func (q *Queries) Overview(ctx context.Context, scope tenant.Scope, from, to time.Time) (Overview, error) {
	var o Overview
	in, err := inScope(scope, "tenant")
	if err != nil {
		return o, err
	}
	period := fmt.Sprintf("at >= %s AND at < %s AND %s", TimeLit(from), TimeLit(to), in)
	var conv []struct {
		N uint64 `ch:"n"`
	}
	if err := q.s.Select(ctx, &conv, fmt.Sprintf(
		"SELECT count() AS n FROM conversations FINAL WHERE started_at >= %s AND started_at < %s AND campaign = '' AND %s",
		TimeLit(from), TimeLit(to), in)); err != nil {
		return o, err
	}
	var msgs []struct {
		Citizen    uint64 `ch:"citizen"`
		Answered   uint64 `ch:"answered"`
		Clarified  uint64 `ch:"clarified"`
		Unanswered uint64 `ch:"unanswered"`
	}
	if err := q.s.Select(ctx, &msgs, fmt.Sprintf(`SELECT
		countIf(role = 'citizen') AS citizen,
		countIf(outcome = 'ANSWERED') AS answered,
		countIf(outcome = 'CLARIFY') AS clarified,
		countIf(outcome = 'UNANSWERED') AS unanswered
		FROM messages FINAL WHERE %s AND %s`, period, notCampaign(in))); err != nil {
		return o, err
	}
	var fb []struct {
		N       uint64 `ch:"n"`
		Helpful uint64 `ch:"helpful"`
	}
	if err := q.s.Select(ctx, &fb, fmt.Sprintf(
		"SELECT count() AS n, countIf(helpful = 1) AS helpful FROM feedback FINAL WHERE %s AND %s", period, notCampaign(in))); err != nil {
		return o, err
	}
	if len(conv) > 0 {
		o.Conversations = int(conv[0].N)
	}
	if len(msgs) > 0 {
		o.Messages, o.Answered = int(msgs[0].Citizen), int(msgs[0].Answered)
		o.Clarified, o.Unanswered = int(msgs[0].Clarified), int(msgs[0].Unanswered)
	}
	if len(fb) > 0 {
		o.Feedback, o.Helpful = int(fb[0].N), int(fb[0].Helpful)
	}
	return o, nil
}

// Message is one message of a conversation.
type Message struct {
	EventID    string    `ch:"event_id" json:"id"`
	At         time.Time `ch:"at" json:"at"`
	Role       string    `ch:"role" json:"role"`
	Text       string    `ch:"text" json:"text"`
	Outcome    string    `ch:"outcome" json:"outcome,omitempty"`
	Confidence float64   `ch:"confidence" json:"confidence,omitempty"`
	EntryID    string    `ch:"entry_id" json:"entry_id,omitempty"`
}

// Conversation returns the messages of a conversation in order, and whether the
// conversation is known in the scope: one of another tenant is unknown.
func (q *Queries) Conversation(ctx context.Context, scope tenant.Scope, id string) ([]Message, bool, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, false, err
	}
	var conv []struct {
		N uint64 `ch:"n"`
	}
	if err := q.s.Select(ctx, &conv, "SELECT count() AS n FROM conversations FINAL WHERE conversation_id = "+Quote(id)+" AND "+in); err != nil {
		return nil, false, err
	}
	var msgs []Message
	if err := q.s.Select(ctx, &msgs, `SELECT event_id, at, role, text, outcome, confidence, entry_id
		FROM messages FINAL WHERE conversation_id = `+Quote(id)+` AND `+in+` ORDER BY event_id`); err != nil {
		return nil, false, err
	}
	return msgs, len(conv) > 0 && conv[0].N > 0 || len(msgs) > 0, nil
}

// UnratedAnswers counts the answers of a conversation beyond its ratings: how
// many may still be rated, one feedback per answer.
func (q *Queries) UnratedAnswers(ctx context.Context, id string) (int, error) {
	var rows []struct {
		Answered uint64 `ch:"answered"`
		Rated    uint64 `ch:"rated"`
	}
	c := Quote(id)
	if err := q.s.Select(ctx, &rows, `SELECT
		(SELECT count() FROM decisions FINAL WHERE conversation_id = `+c+` AND outcome = 'ANSWERED') AS answered,
		(SELECT count() FROM feedback FINAL WHERE conversation_id = `+c+`) AS rated`); err != nil {
		return 0, fmt.Errorf("projections: unrated answers of %s: %w", id, err)
	}
	if len(rows) == 0 || rows[0].Rated >= rows[0].Answered {
		return 0, nil
	}
	return int(rows[0].Answered - rows[0].Rated), nil
}

// ConversationStart returns the audience, the tenant and the test campaign (""
// for a citizen's) a conversation was started with, and whether it exists. It
// lets a restarted process continue a conversation, with the same tenant.
func (q *Queries) ConversationStart(ctx context.Context, id string) (audience, tenant, campaign string, ok bool, err error) {
	var rows []struct {
		Audience string `ch:"audience"`
		Tenant   string `ch:"tenant"`
		Campaign string `ch:"campaign"`
	}
	if err := q.s.Select(ctx, &rows, "SELECT audience, tenant, campaign FROM conversations FINAL WHERE conversation_id = "+Quote(id)); err != nil {
		return "", "", "", false, err
	}
	if len(rows) == 0 {
		return "", "", "", false, nil
	}
	return rows[0].Audience, rows[0].Tenant, rows[0].Campaign, true, nil
}
