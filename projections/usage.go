package projections

import (
	"context"
	"fmt"
	"time"
)

// Local is the time zone of the dashboards' days, weeks and hours.
const Local = "Europe/Paris"

// UsagePoint is the activity of one day or week.
type UsagePoint struct {
	Start         time.Time
	Conversations int
	Messages      int
	Answered      int
	Unanswered    int
}

// Usage returns the activity of [from, to) by day or by week (weeks start on
// Monday), test campaigns left out.
func (q *Queries) Usage(ctx context.Context, from, to time.Time, weekly bool) ([]UsagePoint, error) {
	bucket := fmt.Sprintf("toDate(at, '%s')", Local)
	if weekly {
		bucket = fmt.Sprintf("toMonday(toDate(at, '%s'))", Local)
	}
	var rows []struct {
		Day        time.Time `ch:"day"`
		Convs      uint64    `ch:"conversations"`
		Messages   uint64    `ch:"messages"`
		Answered   uint64    `ch:"answered"`
		Unanswered uint64    `ch:"unanswered"`
	}
	err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT toDateTime(%[1]s) AS day,
			uniqExact(conversation_id) AS conversations,
			countIf(role = 'citizen') AS messages,
			countIf(outcome = 'ANSWERED') AS answered,
			countIf(outcome = 'UNANSWERED') AS unanswered
		FROM messages FINAL
		WHERE at >= %[2]s AND at < %[3]s AND %[4]s
		GROUP BY day ORDER BY day`, bucket, TimeLit(from), TimeLit(to), notCampaign))
	if err != nil {
		return nil, fmt.Errorf("projections: usage: %w", err)
	}
	out := make([]UsagePoint, len(rows))
	for i, r := range rows {
		out[i] = UsagePoint{Start: r.Day, Conversations: int(r.Convs), Messages: int(r.Messages), Answered: int(r.Answered), Unanswered: int(r.Unanswered)}
	}
	return out, nil
}

// Need is a theme or a service with the citizens' questions about it.
type Need struct {
	Name     string `ch:"name"`
	Messages uint64 `ch:"messages"`
	Answered uint64 `ch:"answered"`
}

// Needs returns the themes (or services) citizens asked about in [from, to), the
// most asked first: each question counts for the entry that came closest.
func (q *Queries) Needs(ctx context.Context, from, to time.Time, byService bool, limit int) ([]Need, error) {
	col := "theme"
	if byService {
		col = "service"
	}
	var out []Need
	err := q.s.Select(ctx, &out, fmt.Sprintf(`SELECT name, count() AS messages, countIf(outcome = 'ANSWERED') AS answered
		FROM (
			SELECT candidates[1] AS entry_id, outcome FROM decisions FINAL
			WHERE at >= %[2]s AND at < %[3]s AND %[4]s AND outcome != 'SMALLTALK'
		) AS d
		ANY INNER JOIN (SELECT entry_id, %[1]s AS name FROM kb_entries FINAL WHERE %[1]s != '') AS k USING entry_id
		GROUP BY name ORDER BY messages DESC, name LIMIT %[5]d`, col, TimeLit(from), TimeLit(to), notCampaign, limit))
	if err != nil {
		return nil, fmt.Errorf("projections: needs: %w", err)
	}
	return out, nil
}

// AudienceCount is the conversations of one audience ("" when not said).
type AudienceCount struct {
	Audience      string `ch:"audience"`
	Conversations uint64 `ch:"conversations"`
}

// Audiences returns the conversations of [from, to) by audience.
func (q *Queries) Audiences(ctx context.Context, from, to time.Time) ([]AudienceCount, error) {
	var out []AudienceCount
	err := q.s.Select(ctx, &out, fmt.Sprintf(`SELECT audience, count() AS conversations FROM conversations FINAL
		WHERE started_at >= %s AND started_at < %s AND campaign = '' GROUP BY audience ORDER BY conversations DESC, audience`,
		TimeLit(from), TimeLit(to)))
	if err != nil {
		return nil, fmt.Errorf("projections: audiences: %w", err)
	}
	return out, nil
}

// HeatCell is the citizens' messages of one hour of one weekday (1 Monday … 7
// Sunday), local time.
type HeatCell struct {
	Weekday  uint8  `ch:"weekday"`
	Hour     uint8  `ch:"hour"`
	Messages uint64 `ch:"messages"`
}

// Activity returns the citizens' messages of [from, to) by weekday and hour.
func (q *Queries) Activity(ctx context.Context, from, to time.Time) ([]HeatCell, error) {
	var out []HeatCell
	err := q.s.Select(ctx, &out, fmt.Sprintf(`SELECT toDayOfWeek(toDateTime(at, '%[1]s')) AS weekday, toHour(toDateTime(at, '%[1]s')) AS hour, count() AS messages
		FROM messages FINAL WHERE role = 'citizen' AND at >= %[2]s AND at < %[3]s AND %[4]s
		GROUP BY weekday, hour ORDER BY weekday, hour`, Local, TimeLit(from), TimeLit(to), notCampaign))
	if err != nil {
		return nil, fmt.Errorf("projections: activity: %w", err)
	}
	return out, nil
}

// Served counts the conversations of [from, to) in which the citizen got at least
// one answer.
func (q *Queries) Served(ctx context.Context, from, to time.Time) (int, error) {
	var rows []struct {
		N uint64 `ch:"n"`
	}
	err := q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT uniqExact(conversation_id) AS n FROM messages FINAL
		WHERE outcome = 'ANSWERED' AND at >= %s AND at < %s AND %s`, TimeLit(from), TimeLit(to), notCampaign))
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return int(rows[0].N), nil
}
