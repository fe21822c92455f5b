package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
)

// TestTypedRating: a « non » or « oui » typed right after an answer rates it,
// as the widget's buttons would, on whichever process receives it: the rating
// is on the log with the answer's utterance, the reply fits it, and the answer
// cannot be rated twice. After a reply that answered nothing, a yes or no rates
// nothing and is plain conversation, never an unmet need nor a demande's offer.
func TestTypedRating(t *testing.T) {
	a, b, log := twoProcesses(t, nil)
	ctx := context.Background()
	start := func() string { t.Helper(); return mustStart(t, a) }
	ratings := func(conv string) (out []events.FeedbackGiven) {
		for _, env := range log.evs {
			if env.ConversationID != conv {
				continue
			}
			if _, pl, err := events.Decode(must(env.Marshal())); err == nil {
				if f, ok := pl.(*events.FeedbackGiven); ok {
					out = append(out, *f)
				}
			}
		}
		return out
	}

	conv := start()
	if r := mustSend(t, a, conv, "horaires de la mairie"); r.Decision.Outcome != bot.Answered {
		t.Fatalf("the question is not answered: %s", r.Decision.Outcome)
	}
	answer := log.evs[len(log.evs)-2].ID // the utterance, then the decision
	r := mustSend(t, b, conv, "non")
	if r.Decision.Outcome != bot.Smalltalk || r.Demande != nil || !strings.Contains(r.Text, "ne vous ait pas aidé") {
		t.Errorf("« non » after an answer: %s, offers %v, %q", r.Decision.Outcome, r.Demande, r.Text)
	}
	if got := ratings(conv); len(got) != 1 || got[0].Helpful || got[0].UtteranceID != answer {
		t.Errorf("ratings on the log: %+v, want one not helpful of %s", got, answer)
	}
	if err := a.Feedback(ctx, conv, true, ""); !errors.Is(err, ErrNothingToRate) {
		t.Errorf("the button after the typed rating: %v, want ErrNothingToRate", err)
	}

	conv = start()
	mustSend(t, a, conv, "horaires de la mairie")
	if r := mustSend(t, a, conv, "oui merci"); !strings.Contains(r.Text, "Merci pour votre retour") {
		t.Errorf("« oui merci » after an answer: %q", r.Text)
	}
	if got := ratings(conv); len(got) != 1 || !got[0].Helpful {
		t.Errorf("ratings on the log: %+v, want one helpful", got)
	}

	conv = start()
	mustSend(t, a, conv, "bonjour")
	for _, text := range []string{"oui d'accord", "non"} {
		if r := mustSend(t, b, conv, text); r.Decision.Outcome != bot.Smalltalk || r.Demande != nil {
			t.Errorf("%q after a greeting: %s, offers %v, %q", text, r.Decision.Outcome, r.Demande, r.Text)
		}
	}
	if got := ratings(conv); len(got) != 0 {
		t.Errorf("a yes or no after a greeting rated: %+v", got)
	}
}
