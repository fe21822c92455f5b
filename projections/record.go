package projections

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/tenant"
)

// Record is everything the projections and the mining tables hold about one
// conversation: what a citizen's access request is answered with.
type Record struct {
	ConversationID string           `json:"conversation_id"`
	Started        *RecordStart     `json:"started"`
	Events         []RecordEvent    `json:"events"`
	Messages       []Message        `json:"messages"`
	Decisions      []RecordDecision `json:"decisions"`
	Feedback       []RecordFeedback `json:"feedback"`
	Mining         []RecordSignal   `json:"mining_signals"`
	Choices        []RecordChoice   `json:"choices"`
}

// RecordChoice is a CLARIFY choice the citizen clicked: the question it
// clarified, kept as a suggestion for the experts.
type RecordChoice struct {
	EventID     string    `ch:"event_id" json:"id"`
	At          time.Time `ch:"at" json:"at"`
	UtteranceID string    `ch:"utterance_id" json:"utterance_id"`
	Text        string    `ch:"text" json:"text"`
	EntryID     string    `ch:"entry_id" json:"entry_id"`
}

// RecordStart is the start of a conversation.
type RecordStart struct {
	At       time.Time `ch:"started_at" json:"at"`
	Tenant   string    `ch:"tenant" json:"tenant"`
	Audience string    `ch:"audience" json:"audience"`
	Channel  string    `ch:"channel" json:"channel"`
	Campaign string    `ch:"campaign" json:"campaign,omitempty"`
}

// RecordEvent is one event of the log kept about the conversation.
type RecordEvent struct {
	ID   string    `ch:"id" json:"id"`
	Type string    `ch:"type" json:"type"`
	At   time.Time `ch:"at" json:"at"`
}

// RecordDecision is a bot decision with the entries it weighed.
type RecordDecision struct {
	EventID     string            `ch:"event_id" json:"id"`
	UtteranceID string            `ch:"utterance_id" json:"utterance_id"`
	At          time.Time         `ch:"at" json:"at"`
	Outcome     string            `ch:"outcome" json:"outcome"`
	Confidence  float64           `ch:"confidence" json:"confidence"`
	EntryID     string            `ch:"entry_id" json:"entry_id,omitempty"`
	IDs         []string          `ch:"candidates" json:"-"`
	Scores      []float64         `ch:"scores" json:"-"`
	Candidates  []RecordCandidate `json:"candidates"`
	KBVersion   string            `ch:"kb_version" json:"kb_version"`
}

// RecordCandidate is an entry a decision weighed, with its score.
type RecordCandidate struct {
	EntryID string  `json:"entry_id"`
	Score   float64 `json:"score"`
}

// RecordFeedback is a "Cette réponse vous a-t-elle aidé ?" answer.
type RecordFeedback struct {
	EventID string    `ch:"event_id" json:"id"`
	At      time.Time `ch:"at" json:"at"`
	Rating  uint8     `ch:"helpful" json:"-"`
	Helpful bool      `json:"helpful"`
	Comment string    `ch:"comment" json:"comment,omitempty"`
}

// RecordSignal is a question of the conversation that mining keeps, with why
// and the group it is in.
type RecordSignal struct {
	UtteranceID string    `ch:"utterance_id" json:"utterance_id"`
	At          time.Time `ch:"at" json:"at"`
	Text        string    `ch:"text" json:"text"`
	Reasons     string    `ch:"reasons" json:"reasons"`
	ClusterID   string    `ch:"cluster_id" json:"group_id,omitempty"`
	Label       string    `ch:"label" json:"group_label,omitempty"`
}

// Record returns what is held about a conversation in a scope, and whether
// anything is: a conversation of another tenant holds nothing.
func (q *Queries) Record(ctx context.Context, scope tenant.Scope, id string) (Record, bool, error) {
	r := Record{ConversationID: id}
	in, err := inScope(scope, "tenant")
	if err != nil {
		return r, false, err
	}
	conv := "conversation_id = " + Quote(id) + " AND " + in
	// A group's label is its most typical question, of whichever tenant: only
	// the platform, which sees every tenant, reads it here.
	label := "(SELECT cluster_id, label FROM mining_clusters FINAL)"
	if !scope.All() {
		label = "(SELECT cluster_id, '' AS label FROM mining_clusters FINAL)"
	}
	var starts []RecordStart
	queries := []struct {
		dest any
		sql  string
	}{
		{&starts, "SELECT started_at, tenant, audience, channel, campaign FROM conversations FINAL WHERE " + conv},
		{&r.Events, "SELECT id, type, at FROM events FINAL WHERE " + conv + " ORDER BY id"},
		{&r.Messages, "SELECT event_id, at, role, text, outcome, confidence, entry_id FROM messages FINAL WHERE " + conv + " ORDER BY event_id"},
		{&r.Decisions, "SELECT event_id, utterance_id, at, outcome, confidence, entry_id, candidates, scores, kb_version FROM decisions FINAL WHERE " + conv + " ORDER BY event_id"},
		{&r.Feedback, "SELECT event_id, at, helpful, comment FROM feedback FINAL WHERE " + conv + " ORDER BY event_id"},
		{&r.Choices, "SELECT event_id, at, utterance_id, text, entry_id FROM suggestion_choices FINAL WHERE " + conv + " ORDER BY event_id"},
		// One join a level: version-neutral SQL.
		{&r.Mining, `SELECT utterance_id, at, text, reasons, cluster_id, label
			FROM (
				SELECT utterance_id, at, text, reasons, cluster_id
				FROM (SELECT utterance_id, at, text, reasons FROM mining_signals FINAL WHERE ` + conv + `) AS s
				ANY LEFT JOIN (SELECT utterance_id, cluster_id FROM mining_assignments FINAL) AS a USING utterance_id
			) AS sa
			ANY LEFT JOIN ` + label + ` AS l USING cluster_id
			ORDER BY utterance_id`},
	}
	for _, x := range queries {
		if err := q.s.Select(ctx, x.dest, x.sql); err != nil {
			return r, false, fmt.Errorf("projections: record of %s: %w", id, err)
		}
	}
	if len(starts) > 0 {
		r.Started = &starts[0]
	}
	for i := range r.Decisions {
		d := &r.Decisions[i]
		d.Candidates = make([]RecordCandidate, len(d.IDs))
		for j, e := range d.IDs {
			d.Candidates[j] = RecordCandidate{EntryID: e}
			if j < len(d.Scores) {
				d.Candidates[j].Score = d.Scores[j]
			}
		}
	}
	for i := range r.Feedback {
		r.Feedback[i].Helpful = r.Feedback[i].Rating == 1
	}
	for i := range r.Mining {
		r.Mining[i].Reasons = strings.Trim(r.Mining[i].Reasons, ",")
	}
	held := r.Started != nil || len(r.Events)+len(r.Messages)+len(r.Decisions)+len(r.Feedback)+len(r.Mining)+len(r.Choices) > 0
	return r, held, nil
}
