package graphql

import (
	"strings"

	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/kb"
)

func kbAudience(a *model.Audience) kb.Audience {
	if a == nil {
		return ""
	}
	return kb.Audience(strings.ToLower(string(*a)))
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toEntry(e *kb.Entry) *model.KbEntry {
	out := &model.KbEntry{
		ID: e.ID, Question: e.Question, Answer: e.Answer, Source: optional(e.Source),
		Alternatives: append([]string{}, e.Alternatives...), Service: optional(e.Service), Theme: optional(e.Theme),
		Demande: optional(e.Demande), Audiences: []model.Audience{}, Links: []*model.Link{},
	}
	for _, a := range e.Audiences {
		out.Audiences = append(out.Audiences, model.Audience(strings.ToUpper(string(a))))
	}
	for _, l := range e.Links {
		out.Links = append(out.Links, &model.Link{Label: l.Label, URL: l.URL})
	}
	return out
}
