package ingest

import (
	"context"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/french"
)

// followUp decides a message that reads as a follow-up to the answer just given
// (« et le samedi ? », « c'est combien ? », see [french.FollowUp]) when nothing
// answers it alone: read after the question of that answer's entry, it is
// answered by the same entry, whose answer holds the detail asked (the
// Saturday hours, the price). Any other outcome leaves the decision alone: a
// follow-up that points elsewhere is not forced onto the last answer. c.mu is
// held.
func (s *Service) followUp(ctx context.Context, engine *bot.Engine, c *conversation, text string, d bot.Decision) (bot.Decision, error) {
	// A message that names nothing but a detail (a price, a day) is about the
	// last answer even when an entry that mentions that detail would answer it
	// alone: « c cher ? » after the pool's hours is not a question on taxes.
	asks := d.Outcome == bot.Unanswered || d.Outcome == bot.Clarify || d.Outcome == bot.Answered && french.NamesNothing(text)
	if !asks || !french.MayFollowUp(text) {
		return d, nil
	}
	// The last reply may have been another process's: the log says which
	// entry it gave.
	if err := s.resync(ctx, c); err != nil {
		return d, err
	}
	prev, ok := engine.Index().Entry(c.answeredEntry)
	if c.answeredEntry == "" || !ok || !french.FollowUp(text, prev.Question+" "+prev.AnswerFor(c.audience)) {
		return d, nil
	}
	f := engine.Decide(prev.Question+" "+text, c.audience)
	if f.Outcome != bot.Answered || f.Entry == nil || f.Entry.ID != prev.ID {
		return d, nil
	}
	f.Latency += d.Latency
	return f, nil
}
