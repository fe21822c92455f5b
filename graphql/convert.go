package graphql

import (
	"context"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/mining"
	"github.com/parvis-civic/parvis/projections"
)

func kbAudience(a *model.Audience) kb.Audience {
	if a == nil {
		return ""
	}
	return kb.Audience(strings.ToLower(string(*a)))
}

// signalReasons are the reasons a question shows unmet demand as the schema
// names them; a reason it does not know is left out rather than failing the
// answer.
func signalReasons(rs []string) []model.SignalReason {
	out := []model.SignalReason{}
	for _, r := range rs {
		if sr := model.SignalReason(strings.ToUpper(r)); sr.IsValid() {
			out = append(out, sr)
		}
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// toEntry shows an entry to the caller. Its alternatives and the group it was
// drafted from are for the staff who write entries: alternatives drafted from a
// group are citizens' own questions, never public.
func toEntry(ctx context.Context, e *kb.Entry) *model.KbEntry {
	out := &model.KbEntry{
		ID: e.ID, Question: e.Question, Answer: e.Answer, Source: optional(e.Source),
		Alternatives: []string{}, Negatives: []string{}, Service: optional(e.Service), Theme: optional(e.Theme),
		Demande: optional(e.Demande), Audiences: []model.Audience{}, Links: []*model.Link{},
		Status: string(e.Status), Tenant: optional(e.Tenant), ReviewBy: optional(e.ReviewBy),
	}
	if p, ok := auth.PrincipalFrom(ctx); ok && (p.Role == auth.Admin || p.Role == auth.Analyst || p.Role == auth.Expert) {
		out.Alternatives = append(out.Alternatives, e.Alternatives...)
		out.Negatives = append(out.Negatives, e.Negatives...)
		out.ClusterID = optional(e.Cluster)
	}
	if out.Status == "" {
		out.Status = string(kb.Published)
	}
	for _, a := range e.Audiences {
		out.Audiences = append(out.Audiences, model.Audience(strings.ToUpper(string(a))))
	}
	for _, l := range e.Links {
		out.Links = append(out.Links, &model.Link{Label: l.Label, URL: l.URL})
	}
	return out
}

// asCitizen is the view of a conversation: a member of staff chatting (with
// any commune's assistant, in any service) reads what a citizen reads, none
// of an entry's staff fields.
func asCitizen(ctx context.Context) context.Context { return auth.WithPrincipal(ctx, auth.Principal{}) }

// toReply shows the bot's reply to the citizen.
func toReply(ctx context.Context, reply ingest.Reply) *model.BotReply {
	d := reply.Decision
	out := &model.BotReply{
		Text: reply.Text, Outcome: model.Outcome(d.Outcome), Confidence: d.Confidence,
		Suggestions: []*model.KbEntry{},
	}
	if d.Entry != nil {
		out.Entry = toEntry(ctx, d.Entry)
	}
	for _, e := range d.Choices {
		out.Suggestions = append(out.Suggestions, toEntry(ctx, e))
	}
	if d.Also != nil {
		out.Suggestions = append(out.Suggestions, toEntry(ctx, d.Also))
	}
	out.Demande = toDemandeKind(reply.Demande)
	out.Rated = reply.Rated
	return out
}

func toSuggestion(ctx context.Context, s mining.Suggestion, e *kb.Entry) *model.KbSuggestion {
	out := &model.KbSuggestion{ID: s.ID, Kind: model.SuggestionKind(strings.ToUpper(s.Kind)), Entry: toEntry(ctx, e),
		Text: s.Text, Examples: s.Examples, Count: s.Count, Conversations: s.Conversations, LastSeen: s.LastSeen,
		Sources: []model.SuggestionSource{}}
	for _, f := range s.From {
		if src := model.SuggestionSource(strings.ToUpper(f)); src.IsValid() {
			out.Sources = append(out.Sources, src)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// townSource is the source written on entries drafted here: the source of most of
// the town's own (not national) entries.
func (r *Resolver) townSource() string {
	counts := map[string]int{}
	best := ""
	for _, e := range r.Engine.Index().Entries() {
		if !e.National && e.Source != "" {
			counts[e.Source]++
			if counts[e.Source] > counts[best] {
				best = e.Source
			}
		}
	}
	return best
}

func toAccount(a auth.Account) *model.Account {
	return &model.Account{ID: a.ID, Login: a.Login, Name: a.Name, Role: model.Role(a.Role), CreatedAt: a.Created, Disabled: a.Disabled,
		Tenant: optional(a.Tenant)}
}

// export is the document of exportConversation: what is held, when it was
// exported, and how long it is kept (0: for ever).
type export struct {
	projections.Record
	ExportedAt    time.Time       `json:"exported_at"`
	RetentionDays int             `json:"retention_days"`
	Demandes      []exportDemande `json:"demandes,omitempty"`
}

func toReplayReport(st projections.ReplayStatus) *model.ReplayReport {
	out := &model.ReplayReport{Running: st.Running, Events: st.Report.Events, Invalid: st.Report.Invalid,
		Erased: st.Report.Erased, StartedAt: &st.Started}
	if st.Running {
		out.Seconds = time.Since(st.Started).Seconds()
	} else {
		out.Seconds = st.Ended.Sub(st.Started).Seconds()
	}
	if st.Err != nil {
		msg := "La reconstruction a échoué : " + st.Err.Error()
		out.Error = &msg
	}
	return out
}
