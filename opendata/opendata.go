// Package opendata publishes a territory's monthly figures as open data: a CSV
// file with the columns of the data.gouv.fr schema of the indicators of a
// public digital service (« impact service public numérique »): indicateur,
// valeur, unite_mesure, est_cible, type_indicateur, frequence_monitoring, date,
// code_insee.
//
// A [Builder] reads the month's figures of a tenant's scope from the
// projections (conversations, questions, answer rate, helpful rate, the most
// asked themes) and from any extra [Source] (the demandes' figures, when they
// publish some), drops every figure computed from fewer than [MinCount]
// conversations or messages (the small-count rule: such a row is left out of
// the file, never published with a blank), and writes the rows with [WriteCSV].
package opendata

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"time"

	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
)

// Columns are the schema's columns, in order.
var Columns = []string{"indicateur", "valeur", "unite_mesure", "est_cible", "type_indicateur", "frequence_monitoring", "date", "code_insee"}

// MinCount is the small-count rule: a figure computed from fewer conversations
// or messages than this is not published, so that no figure of a small commune
// can point to a person.
const MinCount = 10

// Units and kinds of indicator, as written in the file.
const (
	UnitCount   = "unité"
	UnitPercent = "%"

	KindUsage        = "usage"        // how much the service is used
	KindQuality      = "qualité"      // how well it answers
	KindSatisfaction = "satisfaction" // what citizens say of its answers
	KindNeed         = "besoin"       // what citizens ask about

	Monthly = "mensuelle"
)

// TopThemes is how many of the most asked themes are published.
const TopThemes = 5

// Row is one indicator of one month.
type Row struct {
	Indicator string
	Value     float64
	Unit      string
	Kind      string
	// Base is the number of conversations or messages the figure is computed
	// from: a row with fewer than MinCount is left out.
	Base int
}

// Source gives more rows for a month of a scope. The demandes' figures (filed,
// answered, within the deadline) are to come through one: give it to
// [Builder.Extra]; its rows go through the same small-count rule.
type Source interface {
	Rows(ctx context.Context, scope tenant.Scope, from, to time.Time) ([]Row, error)
}

// ErrMonth is a month that is not YYYY-MM, or not begun yet.
var ErrMonth = errors.New("opendata: month must be YYYY-MM, and begun")

var monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// Month returns the bounds of a month YYYY-MM, Europe/Paris time (the
// dashboards' days), and the date the file gives its rows: the month's last
// day. The current month is allowed (its figures so far); a month to come is
// not.
func Month(s string, now time.Time) (from, to time.Time, last string, err error) {
	if !monthPattern.MatchString(s) {
		return from, to, "", fmt.Errorf("%w: %q", ErrMonth, s)
	}
	loc, lerr := time.LoadLocation(projections.Local)
	if lerr != nil {
		loc = time.UTC
	}
	from, err = time.ParseInLocation("2006-01", s, loc)
	if err != nil || from.Year() < 2000 || from.After(now) {
		return time.Time{}, time.Time{}, "", fmt.Errorf("%w: %q", ErrMonth, s)
	}
	to = from.AddDate(0, 1, 0)
	return from, to, to.AddDate(0, 0, -1).Format("2006-01-02"), nil
}

// Builder makes a month's rows from the projections.
type Builder struct {
	Queries *projections.Queries
	Extra   []Source // more figures (the demandes'), under the same rule
}

// Rows returns the published rows of [from, to) in a scope: the figures of
// MinCount conversations or messages and more only.
func (b Builder) Rows(ctx context.Context, scope tenant.Scope, from, to time.Time) ([]Row, error) {
	o, err := b.Queries.Overview(ctx, scope, from, to)
	if err != nil {
		return nil, fmt.Errorf("opendata: figures: %w", err)
	}
	weighed := o.Answered + o.Clarified + o.Unanswered
	rows := []Row{
		{Indicator: "Nombre de conversations avec l'assistant", Value: float64(o.Conversations), Unit: UnitCount, Kind: KindUsage, Base: o.Conversations},
		{Indicator: "Nombre de questions posées par les habitants", Value: float64(o.Messages), Unit: UnitCount, Kind: KindUsage, Base: o.Messages},
		{Indicator: "Taux de réponse", Value: percent(o.AnswerRate()), Unit: UnitPercent, Kind: KindQuality, Base: weighed},
	}
	if r := o.HelpfulRate(); r != nil {
		rows = append(rows, Row{Indicator: "Taux de réponses jugées utiles", Value: percent(*r), Unit: UnitPercent, Kind: KindSatisfaction, Base: o.Feedback})
	}
	needs, err := b.Queries.Needs(ctx, scope, from, to, false, TopThemes)
	if err != nil {
		return nil, fmt.Errorf("opendata: themes: %w", err)
	}
	for _, n := range needs {
		rows = append(rows, Row{Indicator: "Questions sur le thème « " + n.Name + " »", Value: float64(n.Messages), Unit: UnitCount, Kind: KindNeed, Base: int(n.Messages)})
	}
	for _, s := range b.Extra {
		more, err := s.Rows(ctx, scope, from, to)
		if err != nil {
			return nil, fmt.Errorf("opendata: %w", err)
		}
		rows = append(rows, more...)
	}
	published := rows[:0]
	for _, r := range rows {
		if r.Base >= MinCount {
			published = append(published, r)
		}
	}
	return published, nil
}

func percent(x float64) float64 { return math.Round(x*1000) / 10 }

// WriteCSV writes the rows of a month of a tenant: a header of [Columns], then
// one line a row, comma-separated, UTF-8; decimals with a point, booleans
// false/true, the date YYYY-MM-DD.
func WriteCSV(w io.Writer, rows []Row, date, insee string) error {
	c := csv.NewWriter(w)
	if err := c.Write(Columns); err != nil {
		return err
	}
	for _, r := range rows {
		if err := c.Write([]string{r.Indicator, strconv.FormatFloat(r.Value, 'f', -1, 64), r.Unit, "false", r.Kind, Monthly, date, insee}); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}
