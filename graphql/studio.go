package graphql

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
)

// The experts' knowledge studio: the resolvers of studio.graphqls read the
// knowledge base from kb.State (every entry, every version, every change) and
// the use of each entry from the projections.

// useWindow is how far back the studio counts an entry's answers and feedback.
const useWindow = 90 * 24 * time.Hour

// minFeedback is the feedback an entry needs before its helpful rate flags it.
const minFeedback = 5

// studioFilter is the arguments of kbStudio.
type studioFilter struct {
	search, service, source, status string
	audience                        kb.Audience
	stale, leastHelpful             bool
	first                           int
}

// applyInput copies the studio's fields of an input onto an entry: those left
// out keep their value.
func applyInput(e *kb.Entry, in model.KbEntryInput) {
	if in.Service != nil {
		e.Service = strings.TrimSpace(*in.Service)
	}
	if in.Theme != nil {
		e.Theme = strings.TrimSpace(*in.Theme)
	}
	if in.Demande != nil {
		e.Demande = strings.TrimSpace(*in.Demande)
	}
	if in.ReviewBy != nil {
		e.ReviewBy = strings.TrimSpace(*in.ReviewBy)
	}
	if in.Links != nil {
		e.Links = []kb.Link{}
		for _, l := range in.Links {
			e.Links = append(e.Links, kb.Link{Label: strings.TrimSpace(l.Label), URL: strings.TrimSpace(l.URL)})
		}
	}
}

// changedError says who changed an entry since the editor opened it, and that
// nothing was saved.
func (r *Resolver) changedError(id string) error {
	by := "quelqu'un d'autre"
	if c, ok := r.KB.State.LastChange(id); ok {
		by = cmp.Or(c.By, "un import")
	}
	return badInput(fmt.Sprintf("Rien n'est enregistré : cette entrée a été modifiée par %s depuis que vous l'avez ouverte. "+
		"Rouvrez-la pour voir ce qui a changé, puis refaites vos modifications.", by))
}

func (r *Resolver) studio(ctx context.Context, f studioFilter) ([]*model.StudioEntry, error) {
	uses := map[string]projections.EntryUse{}
	if r.Queries != nil {
		scope, err := r.scope(ctx, nil)
		if err != nil {
			return nil, err
		}
		if uses, err = r.Queries.EntryUses(ctx, scope, time.Now().Add(-useWindow), time.Now()); err != nil {
			return nil, err
		}
	}
	now := time.Now()
	dead := map[string][]string{}
	if r.Links != nil {
		for _, d := range r.Links.Dead() {
			for _, id := range d.Entries {
				dead[id] = append(dead[id], d.URL)
			}
		}
	}
	search := strings.ToLower(f.search)
	out := []*model.StudioEntry{}
	for _, e := range r.KB.State.Entries() {
		if !r.KB.Allowed(ctx, e) || !f.matches(&e, search) {
			continue
		}
		se := &model.StudioEntry{Entry: toEntry(ctx, &e), Version: r.KB.State.Version(e.ID)}
		if p, ok := r.KB.State.PublishedEntry(e.ID); ok && e.Status != kb.Published {
			se.Published = toEntry(ctx, &p)
		}
		if c, ok := r.KB.State.LastChange(e.ID); ok {
			se.Author, se.UpdatedAt = c.By, &c.At
		}
		if by := kb.ReviewDue(e, r.KB.State.PublishedAt(e.ID)); !by.IsZero() {
			se.ReviewBy, se.Stale = &by, by.Before(now) && e.Status != kb.Retired
		}
		u := uses[e.ID]
		se.Answered, se.Feedback, se.HelpfulRate = int(u.Answered), int(u.Feedback), u.HelpfulRate()
		se.Unhelpful = se.Feedback >= minFeedback && *se.HelpfulRate < r.HelpfulFloor
		se.DeadLinks = dead[e.ID]
		if se.DeadLinks == nil {
			se.DeadLinks = []string{}
		}
		if (f.stale && !se.Stale) || (f.leastHelpful && se.HelpfulRate == nil) {
			continue
		}
		out = append(out, se)
	}
	if f.leastHelpful {
		slices.SortStableFunc(out, func(a, b *model.StudioEntry) int {
			switch {
			case *a.HelpfulRate < *b.HelpfulRate:
				return -1
			case *a.HelpfulRate > *b.HelpfulRate:
				return 1
			}
			return b.Feedback - a.Feedback
		})
	}
	if len(out) > f.first {
		out = out[:f.first]
	}
	return out, nil
}

// matches reports whether an entry passes the filters that need no figures.
func (f studioFilter) matches(e *kb.Entry, search string) bool {
	switch {
	case f.service != "" && !strings.EqualFold(e.Service, f.service),
		f.source != "" && !strings.EqualFold(e.Source, f.source),
		f.status != "" && string(e.Status) != f.status,
		f.audience != "" && len(e.Audiences) > 0 && !slices.Contains(e.Audiences, f.audience):
		return false
	}
	if search == "" {
		return true
	}
	for _, s := range append(e.Phrasings(), e.Answer, e.ID) {
		if strings.Contains(strings.ToLower(s), search) {
			return true
		}
	}
	return false
}

func toChanges(h []kb.Change) []*model.KbChange {
	out := make([]*model.KbChange, 0, len(h))
	for _, c := range h {
		out = append(out, &model.KbChange{At: c.At, Author: c.By, Status: string(c.Status), Answer: c.Entry.Answer,
			Question: c.Entry.Question, Alternatives: append([]string{}, c.Entry.Alternatives...)})
	}
	return out
}

// cleanServices trims a list of services and drops the empty ones (nil means
// every service), refusing a list or a name too long to be one.
func cleanServices(in []string) ([]string, error) {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			if utf8.RuneCountInString(s) > 100 {
				return nil, badInput("Un service s'écrit en 100 caractères au plus, comme « État civil ».")
			}
			out = append(out, s)
		}
	}
	if len(out) > maxServices {
		return nil, badInput(fmt.Sprintf("%d services au plus pour un compte ou un jeton.", maxServices))
	}
	return out, nil
}

// maxServices is the most services an account or a token may be limited to.
const maxServices = 50

// coverage gathers each service's figures: entries from the state, the rest
// one query per figure.
func (r *Resolver) coverage(ctx context.Context, from, to time.Time) ([]*model.ServiceCoverage, error) {
	scope, err := r.scope(ctx, nil)
	if err != nil {
		return nil, err
	}
	needs, err := r.Queries.Needs(ctx, scope, from, to, true, 1000)
	if err != nil {
		return nil, err
	}
	uses, err := r.Queries.EntryUses(ctx, scope, from, to)
	if err != nil {
		return nil, err
	}
	unmet, err := r.Queries.UnmetByService(ctx, scope, from, to)
	if err != nil {
		return nil, err
	}
	by := map[string]*model.ServiceCoverage{}
	var order []string
	get := func(service string) *model.ServiceCoverage {
		key := strings.ToLower(service)
		c, ok := by[key]
		if !ok {
			c = &model.ServiceCoverage{Service: service}
			by[key] = c
			order = append(order, key)
		}
		return c
	}
	now := time.Now()
	helpful := map[string]int{}
	for _, e := range r.KB.State.Entries() {
		if e.Service == "" || !r.KB.Allowed(ctx, e) {
			continue
		}
		c := get(e.Service)
		c.Entries++
		if _, ok := r.KB.State.PublishedEntry(e.ID); ok {
			c.Published++
			if by := kb.ReviewDue(e, r.KB.State.PublishedAt(e.ID)); !by.IsZero() && by.Before(now) {
				c.Stale++
			}
		}
		if e.Status == kb.Draft || e.Status == kb.Validated {
			c.Waiting++
		}
		u := uses[e.ID]
		c.Feedback += int(u.Feedback)
		helpful[strings.ToLower(e.Service)] += int(u.Helpful)
	}
	for _, n := range needs {
		if c, ok := by[strings.ToLower(n.Name)]; ok {
			c.Asked, c.Answered = int(n.Messages), int(n.Answered)
		}
	}
	for _, u := range unmet {
		if c, ok := by[strings.ToLower(u.Service)]; ok {
			c.UnmetNeeds, c.UnmetQuestions = int(u.Groups), int(u.Questions)
		}
	}
	out := make([]*model.ServiceCoverage, 0, len(order))
	for _, key := range order {
		c := by[key]
		if c.Asked > 0 {
			rate := float64(c.Answered) / float64(c.Asked)
			c.AnswerRate = &rate
		}
		if c.Feedback > 0 {
			rate := float64(helpful[key]) / float64(c.Feedback)
			c.HelpfulRate = &rate
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b *model.ServiceCoverage) int { return b.Asked - a.Asked })
	return out, nil
}

func (r *Resolver) deadLinks(ctx context.Context) []*model.DeadLink {
	out := []*model.DeadLink{}
	if r.Links == nil {
		return out
	}
	for _, d := range r.Links.Dead() {
		dl := &model.DeadLink{URL: d.URL, CheckedAt: d.CheckedAt, Error: optional(d.Err), Entries: []*model.KbEntry{}}
		if d.Status != 0 {
			dl.Status = &d.Status
		}
		for _, id := range d.Entries {
			if e, ok := r.KB.State.PublishedEntry(id); ok && r.KB.Allowed(ctx, e) {
				dl.Entries = append(dl.Entries, toEntry(ctx, &e))
			}
		}
		if len(dl.Entries) > 0 {
			out = append(out, dl)
		}
	}
	return out
}
