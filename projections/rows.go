package projections

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/parvis-civic/parvis/events"
)

// columns of each table, in the order [Batch.Project] produces values.
var columns = map[string][]string{
	"events":        {"id", "type", "v", "at", "conversation_id", "tenant", "payload"},
	"conversations": {"conversation_id", "tenant", "started_at", "audience", "channel", "campaign", "event_id"},
	"messages":      {"conversation_id", "event_id", "tenant", "at", "role", "text", "outcome", "confidence", "entry_id"},
	"decisions": {"event_id", "conversation_id", "utterance_id", "tenant", "at", "outcome", "confidence", "entry_id",
		"candidates", "scores", "kb_version", "latency_ms"},
	"feedback":           {"event_id", "conversation_id", "tenant", "at", "helpful", "comment"},
	"suggestion_choices": {"event_id", "conversation_id", "tenant", "at", "utterance_id", "text", "entry_id", "choice_id"},
	"suggestion_reviews": {"event_id", "suggestion_id", "kind", "entry_id", "text", "verdict", "by", "at"},
	"kb_entries":         {"entry_id", "status", "question", "answer", "source", "entry", "updated_at", "event_id", "version", "cluster_id", "theme", "service"},

	// Demandes: no contact, the place to the street at most.
	"demandes":        {"tracking_code", "tenant", "conversation_id", "kind", "audience", "place", "filed_at", "due", "event_id"},
	"demande_changes": {"event_id", "tracking_code", "tenant", "conversation_id", "at", "status"},
}

// Columns returns the columns of table in the order of a [Batch]'s values.
func Columns(table string) []string { return slices.Clone(columns[table]) }

// Batch holds rows per table, each row's values in the order of its table's
// columns, ready to insert: what the [Projector] and [Replay] make of the events
// they read.
type Batch map[string][][]any

// Add appends a row to table.
func (b Batch) Add(table string, row ...any) { b[table] = append(b[table], row) }

// Project maps one decoded event to the rows of every table it feeds. The events
// table keeps the envelope and the payload, without its secrets.
func (b Batch) Project(e events.Envelope, p events.Payload) {
	payload := string(e.Payload)
	if s, ok := p.(events.Secretive); ok {
		public, _ := json.Marshal(s.Public())
		payload = string(public)
	}
	b.Add("events", e.ID, e.Type, uint16(e.V), e.At, e.ConversationID, e.Tenant, payload)
	switch p := p.(type) {
	case *events.ConversationStarted:
		b.Add("conversations", e.ConversationID, e.Tenant, e.At, p.Audience, p.Channel, p.Campaign, e.ID)
	case *events.UtteranceReceived:
		b.Add("messages", e.ConversationID, e.ID, e.Tenant, e.At, "citizen", p.Text, "", 0.0, "")
	case *events.BotDecision:
		b.Add("messages", e.ConversationID, e.ID, e.Tenant, e.At, "bot", p.Reply, p.Outcome, p.Confidence, p.EntryID)
		ids := make([]string, len(p.Candidates))
		scores := make([]float64, len(p.Candidates))
		for i, c := range p.Candidates {
			ids[i], scores[i] = c.EntryID, c.Score
		}
		b.Add("decisions", e.ID, e.ConversationID, p.UtteranceID, e.Tenant, e.At, p.Outcome, p.Confidence, p.EntryID,
			ids, scores, p.KBVersion, p.LatencyMs)
	case *events.FeedbackGiven:
		var helpful uint8
		if p.Helpful {
			helpful = 1
		}
		b.Add("feedback", e.ID, e.ConversationID, e.Tenant, e.At, helpful, p.Comment)
	case *events.SuggestionChosen:
		b.Add("suggestion_choices", e.ID, e.ConversationID, e.Tenant, e.At, p.UtteranceID, p.Text, p.EntryID, p.ChoiceID)
	case *events.SuggestionReviewed:
		// The phrasing is not kept: the suggestion's id is enough (see
		// events.SuggestionReviewed).
		b.Add("suggestion_reviews", e.ID, p.SuggestionID, p.Kind, p.EntryID, "", p.Verdict, p.By, e.At)
	case *events.KBEntryChanged:
		if p.Pending {
			break // the published version stays the entry's row until the new one is published
		}
		entry, _ := json.Marshal(p.Entry)
		status := map[string]string{
			events.TypeKBEntryDrafted: "draft", events.TypeKBEntryValidated: "validated",
			events.TypeKBEntryPublished: "published", events.TypeKBEntryRetired: "retired",
		}[e.Type]
		b.Add("kb_entries", p.Entry.ID, status, p.Entry.Question, p.Entry.Answer, p.Entry.Source, string(entry),
			e.At, e.ID, uint64(e.At.UnixMilli()), p.Entry.Cluster, p.Entry.Theme, p.Entry.Service)
	case *events.DemandeFiled:
		b.Add("demandes", p.TrackingCode, e.Tenant, e.ConversationID, p.Kind, p.Audience, p.Place, e.At, p.Due.UTC(), e.ID)
		b.Add("demande_changes", e.ID, p.TrackingCode, e.Tenant, e.ConversationID, e.At, "RECUE")
	case *events.DemandeStatusChanged:
		b.Add("demande_changes", e.ID, p.TrackingCode, e.Tenant, e.ConversationID, e.At, p.Status)
	}
}

// Len returns the number of rows, all tables together.
func (b Batch) Len() int {
	n := 0
	for _, rows := range b {
		n += len(rows)
	}
	return n
}

// Insert inserts the rows of every table into the tables named with suffix: ""
// for the live tables, the replay's suffix for the tables that [Replay] fills.
func (b Batch) Insert(ctx context.Context, s Store, suffix string) error {
	for _, table := range Tables {
		if rows := b[table]; len(rows) > 0 {
			if err := s.Insert(ctx, table+suffix, columns[table], rows); err != nil {
				return err
			}
		}
	}
	return nil
}
