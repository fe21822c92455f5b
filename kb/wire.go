package kb

import "github.com/parvis-civic/parvis/events"

// Wire returns the entry as it travels on the log.
func (e Entry) Wire() events.KBEntry {
	w := events.KBEntry{
		ID: e.ID, Question: e.Question, Alternatives: e.Alternatives, Negatives: e.Negatives, Answer: e.Answer,
		Reference: e.Reference, Service: e.Service, Theme: e.Theme, Source: e.Source, Kind: string(e.Kind), National: e.National,
		Demande: e.Demande, Cluster: e.Cluster, Status: string(e.Status), Tenant: e.Tenant, ReviewBy: e.ReviewBy,
	}
	if e.AudienceAnswers != nil {
		w.AudienceAnswers = make(map[string]string, len(e.AudienceAnswers))
		for a, s := range e.AudienceAnswers {
			w.AudienceAnswers[string(a)] = s
		}
	}
	for _, a := range e.Audiences {
		w.Audiences = append(w.Audiences, string(a))
	}
	for _, l := range e.Links {
		w.Links = append(w.Links, events.KBLink{Label: l.Label, URL: l.URL})
	}
	return w
}

// FromWire returns the entry carried by an event.
func FromWire(w events.KBEntry) Entry {
	e := Entry{
		ID: w.ID, Question: w.Question, Alternatives: w.Alternatives, Negatives: w.Negatives, Answer: w.Answer,
		Reference: w.Reference, Service: w.Service, Theme: w.Theme, Source: w.Source, Kind: Kind(w.Kind), National: w.National,
		Demande: w.Demande, Cluster: w.Cluster, Status: Status(w.Status), Tenant: w.Tenant, ReviewBy: w.ReviewBy,
	}
	if w.AudienceAnswers != nil {
		e.AudienceAnswers = make(map[Audience]string, len(w.AudienceAnswers))
		for a, s := range w.AudienceAnswers {
			e.AudienceAnswers[Audience(a)] = s
		}
	}
	for _, a := range w.Audiences {
		e.Audiences = append(e.Audiences, Audience(a))
	}
	for _, l := range w.Links {
		e.Links = append(e.Links, Link{Label: l.Label, URL: l.URL})
	}
	return e
}
