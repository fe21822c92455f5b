package graphql

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parvis-civic/parvis/campaigns"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
)

// openCampaign turns the invite token a tester's widget sends into the
// campaign (zero without a token), refusing an unknown or closed campaign
// with a message the tester reads: nothing is recorded then.
func (r *Resolver) openCampaign(token *string) (campaigns.Campaign, error) {
	if token == nil || *token == "" {
		return campaigns.Campaign{}, nil
	}
	if r.CampaignState == nil {
		return campaigns.Campaign{}, campaignError(campaigns.ErrUnknown)
	}
	c, err := r.CampaignState.Open(*token, time.Now())
	if err != nil {
		return campaigns.Campaign{}, campaignError(err)
	}
	return c, nil
}

// campaignError turns a campaigns error into a French message.
func campaignError(err error) error {
	switch {
	case errors.Is(err, campaigns.ErrUnknown):
		return badInput("Ce lien de test n'est pas valable : vérifiez l'adresse reçue dans votre invitation, ou demandez-en une nouvelle à la mairie.")
	case errors.Is(err, campaigns.ErrNotStarted):
		return badInput("Cette campagne de test n'a pas encore commencé : revenez à la date indiquée dans votre invitation.")
	case errors.Is(err, campaigns.ErrEnded):
		return badInput("Cette campagne de test est terminée : merci de votre participation.")
	case errors.Is(err, campaigns.ErrName):
		return badInput("Donnez à la campagne un nom de 1 à 100 caractères.")
	case errors.Is(err, campaigns.ErrScenarios):
		return badInput("Une campagne compte 20 scénarios au plus.")
	case errors.Is(err, campaigns.ErrScenario):
		return badInput("Chaque scénario fait de 1 à 300 caractères.")
	case errors.Is(err, campaigns.ErrDates):
		return badInput("La fin de la campagne (endsAt) doit venir après son début (startsAt).")
	case errors.Is(err, campaigns.ErrNoCampaign):
		return badInput("Aucune campagne ne porte cet identifiant.")
	case errors.Is(err, campaigns.ErrNoPhrasing):
		return badInput("Aucun message de testeur ne porte cet identifiant de formulation.")
	case errors.Is(err, ingest.ErrNotInCampaign):
		return badInput("Cette conversation ne fait pas partie d'une campagne de test.")
	}
	return chatError(kbError(err))
}

// inAssignment names the assignment of a batch (the i-th of n) an error is
// about, and says what became of the others: none made when the batch was
// refused whole, the earlier ones made otherwise.
func inAssignment(i, n int, entryID string, err error, none bool) error {
	var ue *userError
	if !errors.As(err, &ue) {
		return err
	}
	rest := "Aucune formulation de la sélection n'a été attribuée."
	if !none {
		rest = fmt.Sprintf("Les %d précédentes sont attribuées, celle-ci et les suivantes non.", i)
	}
	return &userError{ue.code, fmt.Sprintf("Attribution %d sur %d (entrée « %s ») : %s %s", i+1, n, entryID, ue.msg, rest)}
}

func (r *Resolver) toCampaign(c campaigns.Campaign) *model.Campaign {
	out := &model.Campaign{ID: c.ID, Name: c.Name, InviteURL: campaigns.InviteURL(r.InviteBase, c.Token),
		Scenarios: c.Scenarios, CreatedAt: c.Created}
	if out.Scenarios == nil {
		out.Scenarios = []string{}
	}
	if !c.StartsAt.IsZero() {
		t := c.StartsAt
		out.StartsAt = &t
	}
	if !c.EndsAt.IsZero() {
		t := c.EndsAt
		out.EndsAt = &t
	}
	return out
}

// entryRef is the published (or, failing that, latest) version of an entry, or
// the built-in conversation entry of that id; nil for "" and for an entry the
// caller may not read; a retired entry for one no longer known.
func (r *Resolver) entryRef(ctx context.Context, id string) *model.KbEntry {
	if id == "" {
		return nil
	}
	if e, ok := r.KB.State.Entry(id); ok && !r.KB.Allowed(ctx, e) {
		return nil // another territory's: not even its id
	}
	if e, ok := r.KB.State.PublishedEntry(id); ok {
		return toEntry(ctx, &e)
	}
	if e, ok := r.KB.State.Entry(id); ok {
		return toEntry(ctx, &e)
	}
	// The built-in conversation entries answer where a base has none of its
	// own (« bonjour », « un humain svp »): they live, and are no retired entry.
	for _, e := range kb.Conversation() {
		if e.ID == id {
			return toEntry(ctx, &e)
		}
	}
	return &model.KbEntry{ID: id, Alternatives: []string{}, Negatives: []string{}, Audiences: []model.Audience{}, Links: []*model.Link{}, Status: "retired"}
}
