package graphql

// This file will be automatically regenerated based on the schema, any resolver
// implementations will be copied through when generating and any unknown code
// will be moved to the end.

import (
	"context"
	"time"

	"github.com/parvis-civic/parvis/graphql/generated"
	"github.com/parvis-civic/parvis/graphql/model"
)

// StartConversation is the resolver for the startConversation field.
func (r *mutationResolver) StartConversation(ctx context.Context, audience *model.Audience, channel *string) (*model.Conversation, error) {
	aud := kbAudience(audience)
	ch := "api"
	if channel != nil && *channel != "" {
		if len(*channel) > 64 {
			return nil, badInput("Le canal doit faire au plus 64 caractères.")
		}
		ch = *channel
	}
	c, err := r.Chat.Start(ctx, aud, ch, "")
	if err != nil {
		return nil, err
	}
	return &model.Conversation{ID: c.ID, Audience: audience, Messages: []*model.Message{}}, nil
}

// SendMessage is the resolver for the sendMessage field.
func (r *mutationResolver) SendMessage(ctx context.Context, conversationID string, text string) (*model.BotReply, error) {
	reply, err := r.Chat.Send(ctx, conversationID, text)
	if err != nil {
		return nil, chatError(err)
	}
	d := reply.Decision
	out := &model.BotReply{
		Text: reply.Text, Outcome: model.Outcome(d.Outcome), Confidence: d.Confidence,
		Suggestions: []*model.KbEntry{},
	}
	if d.Entry != nil {
		out.Entry = toEntry(d.Entry)
	}
	for _, e := range d.Choices {
		out.Suggestions = append(out.Suggestions, toEntry(e))
	}
	return out, nil
}

// GiveFeedback is the resolver for the giveFeedback field.
func (r *mutationResolver) GiveFeedback(ctx context.Context, conversationID string, helpful bool, comment *string) (bool, error) {
	c := ""
	if comment != nil {
		c = *comment
	}
	if err := r.Chat.Feedback(ctx, conversationID, helpful, c); err != nil {
		return false, chatError(err)
	}
	return true, nil
}

// ReplayProjections is the resolver for the replayProjections field.
func (r *mutationResolver) ReplayProjections(ctx context.Context) (*model.ReplayReport, error) {
	if r.Replay == nil {
		return nil, badInput("Ce processus ne gère pas les projections (rôle projector).")
	}
	rep, err := r.Replay(ctx)
	if err != nil {
		return nil, err
	}
	return &model.ReplayReport{Events: rep.Events, Invalid: rep.Invalid, Seconds: rep.Duration.Seconds()}, nil
}

// Overview is the resolver for the overview field.
func (r *queryResolver) Overview(ctx context.Context, from time.Time, to time.Time) (*model.Overview, error) {
	if !to.After(from) {
		return nil, badInput("La période est vide : « to » doit être après « from ».")
	}
	o, err := r.Queries.Overview(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return &model.Overview{
		Conversations: o.Conversations, Messages: o.Messages, Answered: o.Answered, Unanswered: o.Unanswered,
		AnswerRate: o.AnswerRate(), HelpfulRate: o.HelpfulRate(),
	}, nil
}

// Conversation is the resolver for the conversation field.
func (r *queryResolver) Conversation(ctx context.Context, id string) (*model.Conversation, error) {
	msgs, ok, err := r.Queries.Conversation(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	out := &model.Conversation{ID: id, Messages: make([]*model.Message, 0, len(msgs))}
	for _, m := range msgs {
		msg := &model.Message{Role: m.Role, Text: m.Text, At: m.At}
		if m.Outcome != "" {
			o := model.Outcome(m.Outcome)
			msg.Outcome = &o
		}
		out.Messages = append(out.Messages, msg)
	}
	return out, nil
}

// KbEntries is the resolver for the kbEntries field.
func (r *queryResolver) KbEntries(ctx context.Context, search *string, first *int) ([]*model.KbEntry, error) {
	n := 50
	if first != nil {
		n = *first
	}
	if n < 0 || n > 500 {
		return nil, badInput("« first » doit être entre 0 et 500.")
	}
	ix := r.Engine.Index()
	out := []*model.KbEntry{}
	if search != nil && *search != "" {
		for _, e := range ix.Search(*search, n) {
			out = append(out, toEntry(e))
		}
		return out, nil
	}
	for _, e := range ix.Entries() {
		if len(out) == n {
			break
		}
		out = append(out, toEntry(e))
	}
	return out, nil
}

// Mutation returns generated.MutationResolver implementation.
func (r *Resolver) Mutation() generated.MutationResolver { return &mutationResolver{r} }

// Query returns generated.QueryResolver implementation.
func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }

type mutationResolver struct{ *Resolver }
type queryResolver struct{ *Resolver }
