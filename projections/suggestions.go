package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/parvis-civic/parvis/tenant"
)

// Choice is a CLARIFY choice a citizen clicked: the ambiguous question and the
// entry it meant.
type Choice struct {
	ConversationID string    `ch:"conversation_id"`
	At             time.Time `ch:"at"`
	UtteranceID    string    `ch:"utterance_id"` // the ambiguous question
	Text           string    `ch:"text"`
	EntryID        string    `ch:"entry_id"`
	ChoiceID       string    `ch:"choice_id"` // the utterance the click became
}

// Review is an expert's verdict on a suggestion.
type Review struct {
	SuggestionID string `ch:"suggestion_id"`
	Verdict      string `ch:"verdict"`
}

// SuggestionInput returns the clicked choices of a scope since a time, test
// campaigns left out, and every verdict given on a suggestion; the turns and
// feedback come from [Queries.MiningInput].
func (q *Queries) SuggestionInput(ctx context.Context, scope tenant.Scope, since time.Time) ([]Choice, []Review, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, nil, err
	}
	var choices []Choice
	if err := q.s.Select(ctx, &choices, fmt.Sprintf(`SELECT conversation_id, at, utterance_id, text, entry_id, choice_id
		FROM suggestion_choices FINAL WHERE at >= %s AND %s AND %s ORDER BY event_id`, TimeLit(since), notCampaign(in), in)); err != nil {
		return nil, nil, fmt.Errorf("projections: suggestion choices: %w", err)
	}
	var reviews []Review
	if err := q.s.Select(ctx, &reviews, "SELECT suggestion_id, verdict FROM suggestion_reviews FINAL ORDER BY event_id"); err != nil {
		return nil, nil, fmt.Errorf("projections: suggestion reviews: %w", err)
	}
	return choices, reviews, nil
}
