package projections

import (
	"context"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // Europe/Paris without the system's zoneinfo

	"github.com/parvis-civic/parvis/tenant"
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
// Monday), test campaigns left out. Questions come from the hourly rollup (whole
// hours), conversations from the conversations started.
func (q *Queries) Usage(ctx context.Context, scope tenant.Scope, from, to time.Time, weekly bool) ([]UsagePoint, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	bucket := func(col string) string {
		if weekly {
			return fmt.Sprintf("toDateTime(toMonday(toDate(%s, '%s')))", col, Local)
		}
		return fmt.Sprintf("toDateTime(toDate(%s, '%s'))", col, Local)
	}
	var qs []struct {
		Day        time.Time `ch:"day"`
		Messages   uint64    `ch:"asked"`
		Answered   uint64    `ch:"answered"`
		Unanswered uint64    `ch:"unanswered"`
	}
	err = q.s.Select(ctx, &qs, fmt.Sprintf(`SELECT %s AS day, sum(messages) AS asked,
			sumIf(messages, outcome = 'ANSWERED') AS answered, sumIf(messages, outcome = 'UNANSWERED') AS unanswered
		FROM usage_hourly FINAL WHERE %s AND %s
		GROUP BY day ORDER BY day`, bucket("hour"), hours(from, to), in))
	if err != nil {
		return nil, fmt.Errorf("projections: usage: %w", err)
	}
	var cs []struct {
		Day   time.Time `ch:"day"`
		Convs uint64    `ch:"conversations"`
	}
	err = q.s.Select(ctx, &cs, fmt.Sprintf(`SELECT %s AS day, count() AS conversations FROM conversations FINAL
		WHERE started_at >= %s AND started_at < %s AND campaign = '' AND %s GROUP BY day`, bucket("started_at"), TimeLit(from), TimeLit(to), in))
	if err != nil {
		return nil, fmt.Errorf("projections: usage: %w", err)
	}
	// Every day (week) of the period has its point, zeros included: a day
	// without a question is a day of no traffic, not a day to leave out (a
	// chart on a category axis would put Monday beside Wednesday), and one
	// with conversations but no question keeps them. Buckets are keyed by
	// their date as ClickHouse wrote it.
	key := func(t time.Time) string { return t.Format(time.DateOnly) }
	loc := time.UTC
	points := map[string]*UsagePoint{}
	for _, r := range qs {
		loc = r.Day.Location()
		points[key(r.Day)] = &UsagePoint{Start: r.Day, Messages: int(r.Messages), Answered: int(r.Answered), Unanswered: int(r.Unanswered)}
	}
	for _, c := range cs {
		p, ok := points[key(c.Day)]
		if !ok {
			p = &UsagePoint{Start: c.Day}
			points[key(c.Day)] = p
		}
		p.Conversations = int(c.Convs)
	}
	days := buckets(from, to, weekly)
	if len(days) > maxFilled {
		// A period of many years by day: its points with traffic only.
		days = days[:0]
		for _, p := range points {
			days = append(days, p.Start)
		}
		slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	}
	var out []UsagePoint
	for _, day := range days {
		p, ok := points[day.Format(time.DateOnly)]
		if !ok {
			p = &UsagePoint{Start: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)}
		}
		out = append(out, *p)
	}
	return out, nil
}

// maxFilled is the most points a series is filled to: past it (more than two
// years by day), only the days with traffic are told, as a chart could not
// draw the others anyway.
const maxFilled = 800

// buckets returns the first day (in Paris) of each day, or week from Monday,
// that meets [from, to).
func buckets(from, to time.Time, weekly bool) []time.Time {
	paris, err := time.LoadLocation(Local)
	if err != nil {
		paris = time.UTC
	}
	f := from.In(paris)
	d := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, paris)
	step := 1
	if weekly {
		d = d.AddDate(0, 0, -(int(d.Weekday())+6)%7)
		step = 7
	}
	var out []time.Time
	for ; d.Before(to); d = d.AddDate(0, 0, step) {
		out = append(out, d)
	}
	return out
}

// hours selects the rollup rows of the whole hours that meet [from, to).
func hours(from, to time.Time) string {
	return fmt.Sprintf("hour >= %s AND hour < %s", TimeLit(from.Truncate(time.Hour)), TimeLit(to))
}

// Need is a theme or a service with the citizens' questions about it.
type Need struct {
	Name     string `ch:"name"`
	Messages uint64 `ch:"asked"`
	Answered uint64 `ch:"answered"`
}

// Needs returns the themes (or services) citizens asked about in [from, to), the
// most asked first: each question counts for the entry that came closest.
func (q *Queries) Needs(ctx context.Context, scope tenant.Scope, from, to time.Time, byService bool, limit int) ([]Need, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	col := "theme"
	if byService {
		col = "service"
	}
	var out []Need
	err = q.s.Select(ctx, &out, fmt.Sprintf(`SELECT name, sum(messages) AS asked, sumIf(messages, outcome = 'ANSWERED') AS answered
		FROM (
			SELECT entry_id, outcome, messages FROM usage_hourly FINAL
			WHERE %[2]s AND outcome != 'SMALLTALK' AND %[4]s
		) AS d
		ALL INNER JOIN (SELECT entry_id, %[1]s AS name FROM kb_entries FINAL WHERE %[1]s != '') AS k USING entry_id
		GROUP BY name ORDER BY asked DESC, name LIMIT %[3]d`, col, hours(from, to), limit, in))
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
func (q *Queries) Audiences(ctx context.Context, scope tenant.Scope, from, to time.Time) ([]AudienceCount, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	var out []AudienceCount
	err = q.s.Select(ctx, &out, fmt.Sprintf(`SELECT audience, count() AS conversations FROM conversations FINAL
		WHERE started_at >= %s AND started_at < %s AND campaign = '' AND %s GROUP BY audience ORDER BY conversations DESC, audience`,
		TimeLit(from), TimeLit(to), in))
	if err != nil {
		return nil, fmt.Errorf("projections: audiences: %w", err)
	}
	return out, nil
}

// HeatCell is the citizens' messages of one hour of one weekday (1 Monday … 7
// Sunday), local time.
type HeatCell struct {
	Weekday  uint8  `ch:"weekday"`
	Hour     uint8  `ch:"local_hour"`
	Messages uint64 `ch:"asked"`
}

// Activity returns the citizens' messages of [from, to) by weekday and hour.
func (q *Queries) Activity(ctx context.Context, scope tenant.Scope, from, to time.Time) ([]HeatCell, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return nil, err
	}
	var out []HeatCell
	err = q.s.Select(ctx, &out, fmt.Sprintf(`SELECT toDayOfWeek(toDateTime(hour, '%[1]s')) AS weekday, toHour(toDateTime(hour, '%[1]s')) AS local_hour, sum(messages) AS asked
		FROM usage_hourly FINAL WHERE %[2]s AND %[3]s
		GROUP BY weekday, local_hour ORDER BY weekday, local_hour`, Local, hours(from, to), in))
	if err != nil {
		return nil, fmt.Errorf("projections: activity: %w", err)
	}
	return out, nil
}

// Served counts the conversations of [from, to) in which the citizen got at least
// one answer.
func (q *Queries) Served(ctx context.Context, scope tenant.Scope, from, to time.Time) (int, error) {
	in, err := inScope(scope, "tenant")
	if err != nil {
		return 0, err
	}
	var rows []struct {
		N uint64 `ch:"n"`
	}
	err = q.s.Select(ctx, &rows, fmt.Sprintf(`SELECT uniqExact(conversation_id) AS n FROM messages FINAL
		WHERE outcome = 'ANSWERED' AND at >= %s AND at < %s AND %s AND %s`, TimeLit(from), TimeLit(to), notCampaign(in), in))
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return int(rows[0].N), nil
}
