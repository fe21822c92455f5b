package projections

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/parvis-civic/parvis/tenant"
)

// EntryUse is how one knowledge base entry served citizens over a period: the
// messages it answered and the feedback given on its answers.
type EntryUse struct {
	EntryID  string `ch:"entry_id"`
	Answered uint64 `ch:"answered"`
	Feedback uint64 `ch:"feedback"`
	Helpful  uint64 `ch:"helpful"`
}

// HelpfulRate is the share of helpful feedback on the entry's answers, or nil
// without feedback.
func (u EntryUse) HelpfulRate() *float64 {
	if u.Feedback == 0 {
		return nil
	}
	r := float64(u.Helpful) / float64(u.Feedback)
	return &r
}

// EntryUses returns the use of every entry that answered in [from, to).
// Feedback is given on a conversation, not on one answer: it goes to the entry
// of the conversation's last answer before it, matched here rather than in SQL
// so that every supported ClickHouse version runs the queries. Test campaigns
// are left out.
func (q *Queries) EntryUses(ctx context.Context, scope tenant.Scope, from, to time.Time) (map[string]EntryUse, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	period := "at >= " + TimeLit(from) + " AND at < " + TimeLit(to) + " AND " + in + " AND " + notCampaign(in)
	var rows []EntryUse
	if err := q.s.Select(ctx, &rows, `SELECT entry_id, count() AS answered FROM messages FINAL
		WHERE role = 'bot' AND outcome = 'ANSWERED' AND entry_id != '' AND `+period+` GROUP BY entry_id`); err != nil {
		return nil, fmt.Errorf("projections: entry uses: %w", err)
	}
	out := make(map[string]EntryUse, len(rows))
	for _, r := range rows {
		out[r.EntryID] = EntryUse{EntryID: r.EntryID, Answered: r.Answered}
	}
	var fb []Feedback
	if err := q.s.Select(ctx, &fb, "SELECT conversation_id, at, helpful FROM feedback FINAL WHERE "+period); err != nil {
		return nil, fmt.Errorf("projections: entry uses feedback: %w", err)
	}
	if len(fb) == 0 {
		return out, nil
	}
	// The answers, at any time before the feedback, of the conversations that
	// had feedback.
	var answers []struct {
		ConversationID string    `ch:"conversation_id"`
		At             time.Time `ch:"at"`
		EntryID        string    `ch:"entry_id"`
	}
	if err := q.s.Select(ctx, &answers, fmt.Sprintf(`SELECT conversation_id, at, entry_id FROM messages FINAL
		WHERE role = 'bot' AND outcome = 'ANSWERED' AND entry_id != '' AND at < %s
		AND conversation_id IN (SELECT conversation_id FROM feedback FINAL WHERE %s)`, TimeLit(to), period)); err != nil {
		return nil, fmt.Errorf("projections: entry uses answers: %w", err)
	}
	sort.SliceStable(answers, func(i, j int) bool {
		if answers[i].ConversationID != answers[j].ConversationID {
			return answers[i].ConversationID < answers[j].ConversationID
		}
		return answers[i].At.Before(answers[j].At)
	})
	for _, f := range fb {
		// The first answer of the conversation after the feedback; the one
		// before it is the last answer at or before the feedback.
		i := sort.Search(len(answers), func(i int) bool {
			a := answers[i]
			return a.ConversationID > f.ConversationID || a.ConversationID == f.ConversationID && a.At.After(f.At)
		})
		if i == 0 || answers[i-1].ConversationID != f.ConversationID {
			continue // no answer before the feedback
		}
		id := answers[i-1].EntryID
		u := out[id]
		u.EntryID = id
		u.Feedback++
		if f.Helpful != 0 {
			u.Helpful++
		}
		out[id] = u
	}
	return out, nil
}

// Unmet is the unmet demand closest to one service: the groups of questions
// that show it, and their questions.
type Unmet struct {
	Service   string `ch:"service"`
	Groups    uint64 `ch:"groups"`
	Questions uint64 `ch:"questions"`
}

// UnmetByService counts, in one query, the questions of [from, to) that show
// unmet demand (a signal with reasons) and their groups, by the service of the
// entry that came closest to each question (the first candidate its decision
// weighed).
func (q *Queries) UnmetByService(ctx context.Context, scope tenant.Scope, from, to time.Time) ([]Unmet, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	period := fmt.Sprintf("at >= %s AND at < %s", TimeLit(from), TimeLit(to))
	var out []Unmet
	// One join a level: version-neutral SQL.
	if err := q.s.Select(ctx, &out, fmt.Sprintf(`SELECT service, uniqExact(cluster_id) AS groups, count() AS questions FROM (
		SELECT entry_id, cluster_id FROM (
			SELECT utterance_id, entry_id FROM (SELECT utterance_id FROM mining_signals FINAL WHERE %[1]s AND reasons != '') AS s
			ALL INNER JOIN (SELECT utterance_id, candidates[1] AS entry_id FROM decisions FINAL WHERE %[1]s AND %[2]s AND length(candidates) > 0) AS d
			USING utterance_id
		) AS sd
		ALL INNER JOIN (SELECT utterance_id, cluster_id FROM mining_assignments FINAL) AS a USING utterance_id
	) AS sda
	ALL INNER JOIN (SELECT entry_id, service FROM kb_entries FINAL WHERE service != '') AS k USING entry_id
	GROUP BY service ORDER BY questions DESC`, period, in)); err != nil {
		return nil, fmt.Errorf("projections: unmet demand by service: %w", err)
	}
	return out, nil
}

// QuestionsWeighing returns the citizens' questions (redacted) of [from, to)
// whose decision weighed an entry, newest first, at most limit: the questions
// a new version of the entry may take or give away.
func (q *Queries) QuestionsWeighing(ctx context.Context, scope tenant.Scope, entryID string, from, to time.Time, limit int) ([]string, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Text string `ch:"text"`
	}
	// One join a level, plain column names, aggregates outside the join:
	// version-neutral SQL.
	if err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT any(question) AS text FROM (
		SELECT question, at FROM
			(SELECT utterance_id, at FROM decisions FINAL WHERE at >= %[1]s AND at < %[2]s AND %[5]s AND has(candidates, %[3]s)) AS d
			ALL INNER JOIN (SELECT event_id AS utterance_id, text AS question FROM messages FINAL WHERE role = 'citizen' AND at >= %[1]s AND at < %[2]s) AS m
			USING utterance_id
	) AS dm
	GROUP BY lower(question) ORDER BY max(at) DESC LIMIT %[4]d`, TimeLit(from), TimeLit(to), Quote(entryID), limit, in)); err != nil {
		return nil, fmt.Errorf("projections: questions weighing %s: %w", entryID, err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Text
	}
	return out, nil
}
