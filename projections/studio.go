package projections

import (
	"context"
	"fmt"
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

// EntryUses returns the use of every entry that answered in [from, to), in one
// query. Feedback is given on a conversation, not on one answer: it goes to the
// entry of the conversation's last answer before it (an ASOF join). Test
// campaigns are left out.
func (q *Queries) EntryUses(ctx context.Context, scope tenant.Scope, from, to time.Time) (map[string]EntryUse, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	s := TimeLit(from) + " AND at < " + TimeLit(to) + " AND " + in
	var rows []EntryUse
	if err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT entry_id, sum(a) AS answered, sum(f) AS feedback, sum(h) AS helpful FROM (
		SELECT entry_id, toUInt64(1) AS a, toUInt64(0) AS f, toUInt64(0) AS h FROM messages FINAL
			WHERE role = 'bot' AND outcome = 'ANSWERED' AND entry_id != '' AND at >= %[1]s AND %[2]s
		UNION ALL
		SELECT m.entry_id AS entry_id, toUInt64(0) AS a, toUInt64(1) AS f, toUInt64(fb.helpful) AS h
			FROM (SELECT conversation_id, at, helpful FROM feedback FINAL WHERE at >= %[1]s AND %[2]s) AS fb
			ASOF JOIN (SELECT conversation_id, at, entry_id FROM messages FINAL WHERE role = 'bot' AND outcome = 'ANSWERED' AND entry_id != '') AS m
			ON fb.conversation_id = m.conversation_id AND fb.at >= m.at
	) GROUP BY entry_id`, s, notCampaign)); err != nil {
		return nil, fmt.Errorf("projections: entry uses: %w", err)
	}
	out := make(map[string]EntryUse, len(rows))
	for _, r := range rows {
		out[r.EntryID] = r
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
	if err := q.s.Select(ctx, &out, fmt.Sprintf(`SELECT k.service AS service, uniqExact(a.cluster_id) AS groups, count() AS questions
		FROM (SELECT utterance_id FROM mining_signals FINAL WHERE %[1]s AND reasons != '') AS s
		INNER JOIN (SELECT utterance_id, candidates[1] AS entry_id FROM decisions FINAL WHERE %[1]s AND %[2]s AND length(candidates) > 0) AS d
			ON s.utterance_id = d.utterance_id
		INNER JOIN (SELECT utterance_id, cluster_id FROM mining_assignments FINAL) AS a ON s.utterance_id = a.utterance_id
		INNER JOIN (SELECT entry_id, service FROM kb_entries FINAL WHERE service != '') AS k ON d.entry_id = k.entry_id
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
	if err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT any(m.text) AS text FROM
		(SELECT utterance_id, at FROM decisions FINAL WHERE at >= %[1]s AND at < %[2]s AND %[5]s AND has(candidates, %[3]s)) AS d
		INNER JOIN (SELECT event_id, text FROM messages FINAL WHERE role = 'citizen' AND at >= %[1]s AND at < %[2]s) AS m
		ON m.event_id = d.utterance_id
		GROUP BY lower(m.text) ORDER BY max(d.at) DESC LIMIT %[4]d`, TimeLit(from), TimeLit(to), Quote(entryID), limit, in)); err != nil {
		return nil, fmt.Errorf("projections: questions weighing %s: %w", entryID, err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Text
	}
	return out, nil
}
