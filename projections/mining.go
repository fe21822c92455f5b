package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// Turn is a citizen question with the bot's decision on it, the material of
// mining.
type Turn struct {
	UtteranceID    string    `ch:"utterance_id"`
	ConversationID string    `ch:"conversation_id"`
	Tenant         string    `ch:"tenant"`
	At             time.Time `ch:"at"`
	Outcome        string    `ch:"outcome"`
	Confidence     float64   `ch:"confidence"`
	EntryID        string    `ch:"entry_id"`
	Text           string    `ch:"text"`
	Audience       string    `ch:"audience"`
	TopCandidate   string    `ch:"top_candidate"` // the entry that came closest
	Candidates     []string  `ch:"candidates"`    // the entries weighed, best first
	Scores         []float64 `ch:"scores"`        // their scores
}

// Feedback is one "Cette réponse vous a-t-elle aidé ?" answer.
type Feedback struct {
	ConversationID string    `ch:"conversation_id"`
	At             time.Time `ch:"at"`
	Helpful        uint8     `ch:"helpful"`
}

// Ending is the end of a conversation after inactivity.
type Ending struct {
	ConversationID string    `ch:"conversation_id"`
	At             time.Time `ch:"at"`
}

// MiningInput returns the turns, feedback and endings of a scope since a time,
// test campaigns left out. Turns come in conversation order. The miner reads
// the platform's ([tenant.Everything]); the experts' suggestions their
// territory's.
func (q *Queries) MiningInput(ctx context.Context, scope tenant.Scope, since time.Time) ([]Turn, []Feedback, []Ending, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, nil, nil, err
	}
	if floor := time.Unix(86400, 0); since.Before(floor) {
		since = floor // DateTime starts in 1970
	}
	s := TimeLit(since)
	turns, err := q.miningTurns(ctx, "at >= "+s+" AND "+in, "at >= "+TimeLit(since.Add(-time.Hour))+" AND "+in)
	if err != nil {
		return nil, nil, nil, err
	}
	var fb []Feedback
	if err := q.s.Select(ctx, &fb, "SELECT conversation_id, at, helpful FROM feedback FINAL WHERE at >= "+s+" AND "+notCampaign(in)+" AND "+in+" ORDER BY conversation_id, event_id"); err != nil {
		return nil, nil, nil, fmt.Errorf("projections: mining feedback: %w", err)
	}
	var ends []Ending
	if err := q.s.Select(ctx, &ends, "SELECT conversation_id, at FROM events FINAL WHERE type = 'conversation.ended' AND at >= "+s+" AND "+in); err != nil {
		return nil, nil, nil, fmt.Errorf("projections: mining endings: %w", err)
	}
	return turns, fb, ends, nil
}

// miningTurns returns the turns whose decisions match decisions and whose
// questions' texts are among the citizen messages matching messages, test
// campaigns left out, in conversation order.
func (q *Queries) miningTurns(ctx context.Context, decisions, messages string) ([]Turn, error) {
	var turns []Turn
	// One join a level: version-neutral SQL. The conversations joined are
	// those of the decisions read, not the whole table, at every pass.
	if err := q.s.Select(ctx, &turns, fmt.Sprintf(`SELECT utterance_id, conversation_id, tenant, at, outcome, confidence, entry_id, text, audience, top_candidate, candidates, scores
		FROM (
			SELECT utterance_id, conversation_id, tenant, at, outcome, confidence, entry_id, text, top_candidate, candidates, scores
			FROM (SELECT utterance_id, conversation_id, tenant, at, outcome, confidence, entry_id, candidates[1] AS top_candidate, candidates, scores
				FROM decisions FINAL WHERE %[1]s) AS d
			ANY LEFT JOIN (SELECT event_id AS utterance_id, text FROM messages FINAL WHERE role = 'citizen' AND %[2]s) AS m USING utterance_id
		) AS dm
		ANY LEFT JOIN (SELECT conversation_id, audience, campaign FROM conversations FINAL
			WHERE conversation_id IN (SELECT conversation_id FROM decisions WHERE %[1]s)) AS c USING conversation_id
		WHERE campaign = ''
		ORDER BY conversation_id, utterance_id`, decisions, messages)); err != nil {
		return nil, fmt.Errorf("projections: mining turns: %w", err)
	}
	return turns, nil
}

// ConversationsInput returns every turn and feedback of the given
// conversations, whatever their time, test campaigns left out. Turns come in
// conversation order. The miner reads the conversations whose end a pass
// finds: the chat ends one after 30 minutes idle, when its last answer is out
// of the pass's window, and the « abandon » signal needs both.
func (q *Queries) ConversationsInput(ctx context.Context, scope tenant.Scope, ids []string) ([]Turn, []Feedback, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, nil, err
	}
	var turns []Turn
	var fb []Feedback
	// A few hundred ids a statement keep each small.
	const chunk = 500
	for i := 0; i < len(ids); i += chunk {
		of := "conversation_id IN (" + quoteAll(ids[i:min(i+chunk, len(ids))]) + ") AND " + in
		t, err := q.miningTurns(ctx, of, of)
		if err != nil {
			return nil, nil, err
		}
		turns = append(turns, t...)
		var f []Feedback
		if err := q.s.Select(ctx, &f, "SELECT conversation_id, at, helpful FROM feedback FINAL WHERE "+of+" AND "+notCampaign(in)+" ORDER BY conversation_id, event_id"); err != nil {
			return nil, nil, fmt.Errorf("projections: mining feedback: %w", err)
		}
		fb = append(fb, f...)
	}
	return turns, fb, nil
}

// Signal is a question showing unmet demand, with why.
type Signal struct {
	Turn
	Reasons []string
	Theme   string
}

// Assignment puts a question in a group.
type Assignment struct {
	UtteranceID string
	ClusterID   string
	At          time.Time
}

// ClusterLabel names a group.
type ClusterLabel struct {
	ID      string
	Label   string
	Size    int
	Demande bool // its questions ask the town to act on a problem
	Noise   bool // its questions are about nothing the town deals with
}

// WriteMining writes signals, assignments and group labels, as a new version of
// their rows.
func (q *Queries) WriteMining(ctx context.Context, signals []Signal, assigns []Assignment, labels []ClusterLabel) error {
	v := uint64(time.Now().UnixNano())
	now := time.Now().UTC()
	var rows [][]any
	for _, s := range signals {
		rows = append(rows, []any{s.UtteranceID, s.ConversationID, s.Tenant, s.At, s.Text, s.Audience,
			strings.Join(s.Reasons, ","), s.Confidence, s.EntryID, v, s.Theme})
	}
	if err := q.s.Insert(ctx, "mining_signals", []string{"utterance_id", "conversation_id", "tenant", "at", "text", "audience",
		"reasons", "confidence", "entry_id", "version", "theme"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, a := range assigns {
		rows = append(rows, []any{a.UtteranceID, a.ClusterID, a.At, v})
	}
	if err := q.s.Insert(ctx, "mining_assignments", []string{"utterance_id", "cluster_id", "at", "version"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, l := range labels {
		rows = append(rows, []any{l.ID, l.Label, uint32(l.Size), now, v, flag(l.Demande), flag(l.Noise)})
	}
	return q.s.Insert(ctx, "mining_clusters", []string{"cluster_id", "label", "size", "updated_at", "version", "demande", "noise"}, rows)
}

func flag(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// MinedQuestion is a signalled question with its current group.
type MinedQuestion struct {
	UtteranceID    string    `ch:"utterance_id"`
	ConversationID string    `ch:"conversation_id"`
	Text           string    `ch:"text"`
	At             time.Time `ch:"at"`
	ClusterID      string    `ch:"cluster_id"`
}

// MinedQuestions returns every signalled question with its group, oldest first.
func (q *Queries) MinedQuestions(ctx context.Context) ([]MinedQuestion, error) {
	var out []MinedQuestion
	err := q.s.Select(ctx, &out, `SELECT utterance_id, conversation_id, text, at, cluster_id
		FROM (SELECT utterance_id, conversation_id, text, at FROM mining_signals FINAL WHERE reasons != '') AS s
		ANY LEFT JOIN (SELECT utterance_id, cluster_id FROM mining_assignments FINAL) AS a USING utterance_id
		ORDER BY utterance_id`)
	if err != nil {
		return nil, fmt.Errorf("projections: mined questions: %w", err)
	}
	return out, nil
}

// EraseMining deletes what the mining tables hold of the conversations: their
// signals, the groups their questions are assigned to, and the group labels that
// are one of their questions (the miner's next regrouping labels the groups
// again). It waits until the deletions are done, and reports whether there was
// anything to delete.
func (q *Queries) EraseMining(ctx context.Context, ids []string) (bool, error) {
	found := false
	for _, chunk := range chunks(ids, 1000) {
		in := "conversation_id IN (" + quoteAll(chunk) + ")"
		// No citizen's text in a statement: it would make it as long as the
		// questions (max_query_size), and quote them in its errors.
		u, err := column(ctx, q.s, "SELECT DISTINCT utterance_id AS v FROM mining_signals WHERE "+in)
		if err != nil {
			return found, fmt.Errorf("projections: erase mining: %w", err)
		}
		if len(u) == 0 {
			continue
		}
		found = true
		g, err := column(ctx, q.s, "SELECT DISTINCT cluster_id AS v FROM mining_clusters WHERE label IN (SELECT text FROM mining_signals WHERE "+in+")")
		if err != nil {
			return found, fmt.Errorf("projections: erase mining: %w", err)
		}
		var stmts []string
		for _, c := range chunks(u, 2000) {
			stmts = append(stmts, "ALTER TABLE mining_assignments DELETE WHERE utterance_id IN ("+quoteAll(c)+")")
		}
		for _, c := range chunks(g, 2000) {
			// The miner's regrouping, which follows, labels them again.
			stmts = append(stmts, "ALTER TABLE mining_clusters DELETE WHERE cluster_id IN ("+quoteAll(c)+")")
		}
		stmts = append(stmts, "ALTER TABLE mining_signals DELETE WHERE "+in)
		for _, stmt := range stmts {
			if err := q.s.Exec(ctx, stmt); err != nil {
				return found, fmt.Errorf("projections: erase mining: %w", err)
			}
		}
	}
	if !found {
		return false, nil
	}
	return true, waitMutations(ctx, q.s, MiningTables)
}

// DropClusters deletes the groups other than keep (the groups of the latest
// regrouping) with their labels: groups whose questions were all erased or
// expired.
func (q *Queries) DropClusters(ctx context.Context, keep []string) error {
	all, err := column(ctx, q.s, "SELECT DISTINCT cluster_id AS v FROM mining_clusters")
	if err != nil {
		return fmt.Errorf("projections: groups: %w", err)
	}
	kept := make(map[string]bool, len(keep))
	for _, id := range keep {
		kept[id] = true
	}
	var stale []string
	for _, id := range all {
		if !kept[id] {
			stale = append(stale, id)
		}
	}
	for _, chunk := range chunks(stale, 1000) {
		if err := q.s.Exec(ctx, "ALTER TABLE mining_clusters DELETE WHERE cluster_id IN ("+quoteAll(chunk)+")"); err != nil {
			return fmt.Errorf("projections: drop groups: %w", err)
		}
	}
	return nil
}

// Cluster is a group of unanswered questions over a period.
type Cluster struct {
	ID            string
	Label         string
	Size          int
	Conversations int
	FirstSeen     time.Time
	LastSeen      time.Time
	Previous      int // size over the previous period of the same length
	Examples      []string
	Audiences     []string
	Reasons       []string // the signals' reasons, most frequent first
	Covered       bool
	CoveredBy     string // the published entry drafted from the group
	Demande       bool   // its questions ask the town to act on a problem
	Noise         bool   // its questions are about nothing the town deals with
	// Tenants are the tenants of the scope whose citizens asked the group's
	// questions in the period: a need shared by several communes names them.
	Tenants []string
}

// Growth is the change against the previous period, or nil when the group is new.
func (c Cluster) Growth() *float64 {
	if c.Previous == 0 {
		return nil
	}
	g := float64(c.Size-c.Previous) / float64(c.Previous)
	return &g
}

// ClusterFilter narrows the groups.
type ClusterFilter struct {
	Audience string // particulier, entreprise, association, or "" for all
	Reason   string // one signal reason, or "" for all
	Theme    string // the theme of the closest entry, or "" for all
	// New keeps the groups with no question in the previous period of the same
	// length: needs that appeared in the period, which a list ranked by volume
	// shows below the town's long-standing ones.
	New bool
}

// UnansweredClusters returns the groups of unanswered questions of [from, to)
// asked in a scope: largest first, then fastest growing; groups about nothing
// the town deals with last. Groups are made over every tenant's questions; a
// scope that is not the platform's counts its own questions only and is shown
// one of them as the label, never another tenant's.
func (q *Queries) UnansweredClusters(ctx context.Context, scope tenant.Scope, from, to time.Time, limit int, f ClusterFilter) ([]Cluster, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	prevFrom := from.Add(-to.Sub(from))
	where := " AND " + in
	if f.Audience != "" {
		where += " AND audience = " + Quote(f.Audience)
	}
	if f.Reason != "" {
		where += " AND position(reasons, " + Quote(f.Reason) + ") > 0"
	}
	if f.Theme != "" {
		where += " AND theme = " + Quote(f.Theme)
	}
	onlyNew := ""
	if f.New {
		onlyNew = " AND previous = 0"
	}
	var rows []struct {
		ID            string    `ch:"cluster_id"`
		Size          uint64    `ch:"size"`
		Conversations uint64    `ch:"conversations"`
		First         time.Time `ch:"first_seen"`
		Last          time.Time `ch:"last_seen"`
		Examples      []string  `ch:"examples"`
		Audiences     []string  `ch:"audiences"`
		Reasons       []string  `ch:"reasons"`
		Previous      uint64    `ch:"previous"`
		Tenants       []string  `ch:"tenants"`
		Label         string    `ch:"label"`
		Demande       uint8     `ch:"demande"`
		Noise         uint8     `ch:"noise"`
		CoveredBy     string    `ch:"covered_by"`
	}
	sql := fmt.Sprintf(`SELECT cluster_id, size, conversations, first_seen, last_seen, examples, audiences, reasons, previous, tenants, label, demande, noise, covered_by
		FROM (
			SELECT cluster_id, size, conversations, first_seen, last_seen, examples, audiences, reasons, previous, tenants, label, demande, noise
			FROM (
				SELECT cluster_id, size, conversations, first_seen, last_seen, examples, audiences, reasons, previous, tenants
				FROM (
					SELECT cluster_id,
						countIf(at >= %[1]s) AS size,
						uniqExactIf(conversation_id, at >= %[1]s) AS conversations,
						minIf(at, at >= %[1]s) AS first_seen,
						maxIf(at, at >= %[1]s) AS last_seen,
						groupArrayIf(5)(text, at >= %[1]s) AS examples,
						groupUniqArrayIf(audience, at >= %[1]s AND audience != '') AS audiences,
						topKIf(10)(reasons, at >= %[1]s) AS reasons,
						countIf(at < %[1]s) AS previous,
						arraySort(groupUniqArrayIf(tenant, at >= %[1]s)) AS tenants
					FROM (
						SELECT utterance_id, conversation_id, tenant, at, text, audience, reasons
						FROM mining_signals FINAL
						WHERE at >= %[3]s AND at < %[2]s AND reasons != '' %[4]s
					) AS s
					ANY INNER JOIN (SELECT utterance_id, cluster_id FROM mining_assignments FINAL) AS a USING utterance_id
					GROUP BY cluster_id
				) AS g
				WHERE size > 0%[6]s
			) AS sized
			ANY LEFT JOIN (SELECT cluster_id, label, demande, noise FROM mining_clusters FINAL) AS l USING cluster_id
		) AS labelled
		ANY LEFT JOIN (SELECT cluster_id, entry_id AS covered_by FROM kb_entries FINAL WHERE status = 'published' AND cluster_id != '' AND %[7]s) AS k USING cluster_id
		ORDER BY noise ASC, size DESC, toInt64(size) - toInt64(previous) DESC, cluster_id
		LIMIT %[5]d`, TimeLit(from), TimeLit(to), TimeLit(prevFrom), where, limit, onlyNew, answeringIn(scope))
	if err := q.s.Select(ctx, &rows, sql); err != nil {
		return nil, fmt.Errorf("projections: unanswered clusters: %w", err)
	}
	out := make([]Cluster, len(rows))
	for i, r := range rows {
		out[i] = Cluster{ID: r.ID, Label: r.Label, Size: int(r.Size), Conversations: int(r.Conversations),
			FirstSeen: r.First, LastSeen: r.Last, Previous: int(r.Previous), Examples: r.Examples,
			Audiences: r.Audiences, Reasons: countReasons(r.Reasons), Covered: r.CoveredBy != "", CoveredBy: r.CoveredBy,
			Demande: r.Demande == 1, Noise: r.Noise == 1, Tenants: r.Tenants}
		if (out[i].Label == "" || !scope.All()) && len(r.Examples) > 0 {
			out[i].Label = r.Examples[0]
		}
	}
	if scope.All() {
		if err := q.labelFromPeriod(ctx, out, from, to, where); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// labelFromPeriod gives a group whose label (its most typical question of all
// time) nobody asked in [from, to), where is true, one of that period's
// questions as its label: a day's questions shown under another subject's
// label would hide that they are something else.
func (q *Queries) labelFromPeriod(ctx context.Context, cs []Cluster, from, to time.Time, where string) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	// By the groups' ids: the labels themselves, citizens' questions, would
	// make the statement as long as they are and be quoted in its errors.
	asked, err := column(ctx, q.s, fmt.Sprintf(`SELECT DISTINCT cluster_id AS v
		FROM (SELECT cluster_id, label AS text FROM mining_clusters FINAL WHERE cluster_id IN (%s)) AS l
		ANY INNER JOIN (SELECT DISTINCT text FROM mining_signals FINAL WHERE at >= %s AND at < %s AND reasons != '' %s) AS s USING text`,
		quoteAll(ids), TimeLit(from), TimeLit(to), where))
	if err != nil {
		return fmt.Errorf("projections: unanswered clusters' labels: %w", err)
	}
	in := map[string]bool{}
	for _, id := range asked {
		in[id] = true
	}
	for i := range cs {
		if !in[cs[i].ID] && len(cs[i].Examples) > 0 {
			cs[i].Label = cs[i].Examples[0]
		}
	}
	return nil
}

// countReasons turns a group's most frequent lists of reasons (each
// comma-separated, most frequent first) into its distinct reasons, in that order.
func countReasons(lists []string) []string {
	var out []string
	for _, l := range lists {
		for _, r := range strings.Split(l, ",") {
			if r != "" && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// ClusterQuestions returns the distinct questions of a group asked in a scope,
// most asked first.
func (q *Queries) ClusterQuestions(ctx context.Context, scope tenant.Scope, id string, limit int) ([]string, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Text string `ch:"text"`
	}
	err = q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT text FROM (
			SELECT utterance_id, text FROM mining_signals FINAL WHERE reasons != '' AND %s
		) AS s ANY INNER JOIN (SELECT utterance_id FROM mining_assignments FINAL WHERE cluster_id = %s) AS a USING utterance_id
		GROUP BY text ORDER BY count() DESC, text LIMIT %d`, in, Quote(id), limit))
	if err != nil {
		return nil, fmt.Errorf("projections: questions of group %s: %w", id, err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Text
	}
	return out, nil
}

// Daily returns, for each group, its questions asked in a scope a day over
// [from, to), oldest day first; of a period longer than maxDays, its last
// maxDays (the most recent are what a trend is read from).
func (q *Queries) Daily(ctx context.Context, scope tenant.Scope, ids []string, from, to time.Time) (map[string][]int, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	out := map[string][]int{}
	days := int(to.Sub(from).Hours()/24 + 0.999)
	if len(ids) == 0 || days <= 0 {
		return out, nil
	}
	if days > maxDays {
		from, days = to.Add(-maxDays*24*time.Hour), maxDays
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = Quote(id)
		out[id] = make([]int, days)
	}
	var rows []struct {
		ID  string `ch:"cluster_id"`
		Day uint32 `ch:"day"`
		N   uint64 `ch:"n"`
	}
	err = q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT cluster_id, toUInt32(intDiv(toUInt32(at) - %d, 86400)) AS day, count() AS n
		FROM (SELECT utterance_id, at FROM mining_signals FINAL WHERE at >= %s AND at < %s AND reasons != '' AND %s) AS s
		ANY INNER JOIN (SELECT utterance_id, cluster_id FROM mining_assignments FINAL WHERE cluster_id IN (%s)) AS a USING utterance_id
		GROUP BY cluster_id, day`, from.Unix(), TimeLit(from), TimeLit(to), in, strings.Join(quoted, ", ")))
	if err != nil {
		return nil, fmt.Errorf("projections: daily series: %w", err)
	}
	for _, r := range rows {
		if s := out[r.ID]; int(r.Day) < len(s) {
			s[r.Day] = int(r.N)
		}
	}
	return out, nil
}

// maxDays is the longest daily series [Queries.Daily] gives.
const maxDays = 400

// EntryFacts is what mining needs to know of a knowledge base entry.
type EntryFacts struct {
	Theme     string
	Source    string
	Tenant    string   // whose entry it is; empty: every tenant's
	Audiences []string // the audiences it is written for; none: everyone
	Text      string   // its question, alternatives and answer: what it is about
}

// EntryFacts returns the theme, source, audiences and text of every knowledge
// base entry.
func (q *Queries) EntryFacts(ctx context.Context) (map[string]EntryFacts, error) {
	var rows []struct {
		ID       string `ch:"entry_id"`
		Theme    string `ch:"theme"`
		Source   string `ch:"source"`
		Question string `ch:"question"`
		Answer   string `ch:"answer"`
		Entry    string `ch:"entry"`
	}
	if err := q.s.Select(ctx, &rows, "SELECT entry_id, theme, source, question, answer, entry FROM kb_entries FINAL"); err != nil {
		return nil, fmt.Errorf("projections: entry facts: %w", err)
	}
	out := make(map[string]EntryFacts, len(rows))
	for _, r := range rows {
		var e struct {
			Audiences    []string `json:"audiences"`
			Tenant       string   `json:"tenant"`
			Alternatives []string `json:"alternatives"`
		}
		_ = json.Unmarshal([]byte(r.Entry), &e) // an entry without audiences is for everyone
		out[r.ID] = EntryFacts{Theme: r.Theme, Source: r.Source, Audiences: e.Audiences, Tenant: e.Tenant,
			Text: EntryText(r.Question, r.Answer, e.Alternatives)}
	}
	return out, nil
}

// EntryText is an entry's [EntryFacts.Text]: its question, answer and
// alternatives, one a line, the empty ones left out.
func EntryText(question, answer string, alternatives []string) string {
	var text []string
	for _, part := range append([]string{question, answer}, alternatives...) {
		if strings.TrimSpace(part) != "" {
			text = append(text, part)
		}
	}
	return strings.Join(text, "\n")
}

// Themes returns the themes that unanswered questions of a scope fall under,
// most frequent first.
func (q *Queries) Themes(ctx context.Context, scope tenant.Scope) ([]string, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	out, err := column(ctx, q.s, "SELECT theme AS v FROM mining_signals FINAL WHERE theme != '' AND reasons != '' AND "+in+" GROUP BY theme ORDER BY count() DESC, theme")
	if err != nil {
		return nil, fmt.Errorf("projections: themes: %w", err)
	}
	return out, nil
}

// MinedQuestionDetail is one question of a group, with where it comes from.
type MinedQuestionDetail struct {
	UtteranceID    string    `ch:"utterance_id"`
	ConversationID string    `ch:"conversation_id"`
	At             time.Time `ch:"at"`
	Text           string    `ch:"text"`
	Reasons        string    `ch:"reasons"`
	Outcome        string    `ch:"outcome"`
}

// ClusterDetail is a group with its questions and, once covered, the effect of
// the entry drafted from it.
type ClusterDetail struct {
	Questions []MinedQuestionDetail
	// CoveredAt is when the entry drafted from the group was published.
	CoveredAt time.Time
	// AnswerRateBefore is the share of the group's questions of the period
	// answered before the entry; AnswerRateAfter the share of the topic's
	// questions of the period answered since, counting the answers given with
	// the entry, each question once. Both nil when unknown.
	AnswerRateBefore, AnswerRateAfter *float64
}

// ClusterDetail returns a group's questions of [from, to) asked in a scope,
// newest first (500 at most), and the answer rates of the period before and
// after its coverage, over every question of the period.
func (q *Queries) ClusterDetail(ctx context.Context, scope tenant.Scope, id string, from, to time.Time) (ClusterDetail, error) {
	var d ClusterDetail
	in, err := inScope(scope, "tenant")
	if err != nil {
		return d, err
	}
	err = q.s.Select(ctx, &d.Questions, fmt.Sprintf(`SELECT utterance_id, conversation_id, at, text, reasons, outcome
		FROM (
			SELECT utterance_id, conversation_id, at, text, reasons
			FROM (SELECT utterance_id, conversation_id, at, text, reasons FROM mining_signals FINAL WHERE at >= %[1]s AND at < %[2]s AND reasons != '' AND `+in+`) AS s
			ANY INNER JOIN (SELECT utterance_id FROM mining_assignments FINAL WHERE cluster_id = %[3]s) AS a USING utterance_id
		) AS q
		ANY LEFT JOIN (SELECT utterance_id, outcome FROM decisions FINAL
			WHERE utterance_id IN (SELECT utterance_id FROM mining_assignments FINAL WHERE cluster_id = %[3]s)) AS d USING utterance_id
		ORDER BY at DESC, utterance_id LIMIT 500`, TimeLit(from), TimeLit(to), Quote(id)))
	if err != nil {
		return d, fmt.Errorf("projections: group %s: %w", id, err)
	}
	var cov []struct {
		Entry string    `ch:"entry_id"`
		At    time.Time `ch:"updated_at"`
	}
	if err := q.s.Select(ctx, &cov, "SELECT entry_id, updated_at FROM kb_entries FINAL WHERE status = 'published' AND cluster_id = "+Quote(id)+
		" AND "+answeringIn(scope)); err != nil {
		return d, fmt.Errorf("projections: coverage of %s: %w", id, err)
	}
	// The rates read every question of the group in the period, not the 500
	// listed, each once, by utterance: before the entry over [from, coveredAt),
	// after it over [coveredAt, to).
	beforeTo := to
	if len(cov) > 0 {
		first, err := q.firstPublication(ctx, cov[0].Entry, id)
		if err != nil {
			return d, err
		}
		// The row's updated_at moves with each new version of the entry (a
		// suggestion accepted, a typo fixed): the group is covered since the
		// first publication. Without its event, the row's time will do.
		d.CoveredAt = cov[0].At
		if !first.IsZero() {
			d.CoveredAt = first
		}
		beforeTo = minTime(to, d.CoveredAt)
	}
	if from.Before(beforeTo) {
		r, err := q.groupAnswerRate(ctx, id, "", in, from, beforeTo)
		if err != nil {
			return d, err
		}
		d.AnswerRateBefore = r
	}
	if len(cov) == 0 {
		return d, nil
	}
	if start := maxTime(from, d.CoveredAt); start.Before(to) {
		r, err := q.groupAnswerRate(ctx, id, cov[0].Entry, in, start, to)
		if err != nil {
			return d, err
		}
		d.AnswerRateAfter = r
	}
	return d, nil
}

// firstPublication returns when entry was first published for the group id,
// or the zero time when the log has no such event (the knowledge base's
// events are kept whatever the retention).
func (q *Queries) firstPublication(ctx context.Context, entry, id string) (time.Time, error) {
	var rows []struct {
		At time.Time `ch:"at"`
		N  uint64    `ch:"n"`
	}
	// The payload is searched for its fields as they are written (compact
	// JSON), not parsed: JSON functions are missing from older ClickHouse
	// servers, and a knowledge base event names one entry.
	field := func(name, value string) string {
		v, _ := json.Marshal(value)
		return fmt.Sprintf("position(payload, %s) > 0", Quote(`"`+name+`":`+string(v)))
	}
	if err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT min(at) AS at, count() AS n FROM events
		WHERE type = %s AND conversation_id = '' AND %s AND %s`,
		Quote(events.TypeKBEntryPublished), field("id", entry), field("cluster", id))); err != nil {
		return time.Time{}, fmt.Errorf("projections: first publication of %s: %w", entry, err)
	}
	if len(rows) == 0 || rows[0].N == 0 {
		return time.Time{}, nil
	}
	return rows[0].At, nil
}

// groupAnswerRate returns the share of the questions of [from, to) answered:
// those of the group id (its signals) and, when entry is given, those answered
// with it. A question in both (answered with the entry, then judged not
// helpful) counts once. Nil without questions.
func (q *Queries) groupAnswerRate(ctx context.Context, id, entry, in string, from, to time.Time) (*float64, error) {
	period := "at >= " + TimeLit(from) + " AND at < " + TimeLit(to)
	which := fmt.Sprintf(`utterance_id IN (SELECT utterance_id FROM mining_signals FINAL WHERE %s AND reasons != '' AND %s
			AND utterance_id IN (SELECT utterance_id FROM mining_assignments FINAL WHERE cluster_id = %s))`, period, in, Quote(id))
	if entry != "" {
		which = fmt.Sprintf("(%s OR (entry_id = %s AND outcome = 'ANSWERED' AND %s))", which, Quote(entry), period)
	}
	var rows []struct {
		N        uint64 `ch:"n"`
		Answered uint64 `ch:"answered"`
	}
	if err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT count() AS n, countIf(ok = 1) AS answered
		FROM (SELECT utterance_id, max(outcome = 'ANSWERED') AS ok FROM decisions FINAL WHERE %s AND %s GROUP BY utterance_id) AS u`,
		which, in)); err != nil {
		return nil, fmt.Errorf("projections: answer rate of %s: %w", id, err)
	}
	if len(rows) == 0 || rows[0].N == 0 {
		return nil, nil
	}
	r := float64(rows[0].Answered) / float64(rows[0].N)
	return &r, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// column runs a query of one String column named v and returns its values.
func column(ctx context.Context, s Store, sql string) ([]string, error) {
	var rows []struct {
		V string `ch:"v"`
	}
	if err := s.Select(ctx, &rows, sql); err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.V
	}
	return out, nil
}
