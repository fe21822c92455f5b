package projections

import (
	"context"
	"fmt"
	"time"
)

// CampaignTurn is a tester's message in a test campaign and the bot's decision
// on it, with the knowledge base version that decided.
type CampaignTurn struct {
	ConversationID string    `ch:"conversation_id"`
	UtteranceID    string    `ch:"utterance_id"`
	At             time.Time `ch:"at"`
	Text           string    `ch:"text"`
	Outcome        string    `ch:"outcome"`
	EntryID        string    `ch:"entry_id"`
	KBVersion      string    `ch:"kb_version"`
}

// LoggedEvent is an event as the events table keeps it: its payload is JSON.
type LoggedEvent struct {
	ID             string `ch:"id"`
	Type           string `ch:"type"`
	ConversationID string `ch:"conversation_id"`
	Payload        string `ch:"payload"`
}

// CampaignInput returns what the report of a campaign is made of: its
// conversations, the testers' turns in conversation order, and their ratings
// and finished scenarios (feedback.given and campaign.scenario.finished events)
// in log order.
func (q *Queries) CampaignInput(ctx context.Context, campaignID string) (conversations []string, turns []CampaignTurn, evs []LoggedEvent, err error) {
	ofCampaign := "conversation_id IN (SELECT conversation_id FROM conversations FINAL WHERE campaign = " + Quote(campaignID) + ")"
	var convs []struct {
		ID string `ch:"conversation_id"`
	}
	if err := q.s.Select(ctx, &convs, "SELECT conversation_id FROM conversations FINAL WHERE campaign = "+Quote(campaignID)+" ORDER BY conversation_id"); err != nil {
		return nil, nil, nil, fmt.Errorf("projections: campaign conversations: %w", err)
	}
	for _, c := range convs {
		conversations = append(conversations, c.ID)
	}
	if err := q.s.Select(ctx, &turns, fmt.Sprintf(`SELECT conversation_id, utterance_id, at, text, outcome, entry_id, kb_version
		FROM (SELECT utterance_id, conversation_id, at, outcome, entry_id, kb_version FROM decisions FINAL WHERE %[1]s) AS d
		ANY LEFT JOIN (SELECT event_id AS utterance_id, text FROM messages FINAL WHERE role = 'citizen' AND %[1]s) AS m USING utterance_id
		ORDER BY conversation_id, utterance_id`, ofCampaign)); err != nil {
		return nil, nil, nil, fmt.Errorf("projections: campaign turns: %w", err)
	}
	if err := q.s.Select(ctx, &evs, `SELECT id, type, conversation_id, payload FROM events FINAL
		WHERE type IN ('feedback.given', 'campaign.scenario.finished') AND `+ofCampaign+` ORDER BY id`); err != nil {
		return nil, nil, nil, fmt.Errorf("projections: campaign ratings: %w", err)
	}
	return conversations, turns, evs, nil
}

// EventsOfType returns every event of one type in log order, those of the
// knowledge base topic kept for ever (an expert's assignments of phrasings).
func (q *Queries) EventsOfType(ctx context.Context, typ string) ([]LoggedEvent, error) {
	var evs []LoggedEvent
	if err := q.s.Select(ctx, &evs, "SELECT id, type, conversation_id, payload FROM events FINAL WHERE type = "+Quote(typ)+" ORDER BY id"); err != nil {
		return nil, fmt.Errorf("projections: events of type %s: %w", typ, err)
	}
	return evs, nil
}

// Utterance is a citizen's message.
type Utterance struct {
	ConversationID string `ch:"conversation_id"`
	Text           string `ch:"text"`
	Campaign       string `ch:"campaign"`
}

// Utterance returns a citizen's message by its event id, with the campaign of
// its conversation ("" outside campaigns), and whether it is held.
func (q *Queries) Utterance(ctx context.Context, id string) (Utterance, bool, error) {
	var rows []Utterance
	if err := q.s.Select(ctx, &rows, `SELECT conversation_id, text, campaign
		FROM (SELECT conversation_id, text FROM messages FINAL WHERE role = 'citizen' AND event_id = `+Quote(id)+`) AS m
		ANY LEFT JOIN (SELECT conversation_id, campaign FROM conversations FINAL) AS c USING conversation_id`); err != nil {
		return Utterance{}, false, fmt.Errorf("projections: utterance: %w", err)
	}
	if len(rows) == 0 {
		return Utterance{}, false, nil
	}
	return rows[0], true, nil
}
