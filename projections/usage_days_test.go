package projections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// TestUsageKeepsEmptyDays: a day without questions is in the series, at 0 (a
// chart on a category axis would otherwise put Monday beside Wednesday), and
// so is a week without any.
func TestUsageKeepsEmptyDays(t *testing.T) {
	s := sharedChDB(t)
	reset(t, "chdb", s)
	ctx := context.Background()
	paris, err := time.LoadLocation(Local)
	if err != nil {
		t.Fatal(err)
	}
	d1 := time.Date(2026, 3, 2, 0, 0, 0, 0, paris) // a Monday
	r := newEventBatch(t)
	for _, day := range []int{0, 2, 14} { // Monday, Wednesday, and the Monday two weeks on
		at := d1.AddDate(0, 0, day).Add(10 * time.Hour)
		conv := fmt.Sprintf("c%d", day)
		r.add(conv, at, &events.ConversationStarted{Audience: "particulier"})
		r.turn(conv, at, "horaires de la mairie", "ANSWERED", "horaires")
	}
	r.insert(s)
	if err := RollUpAll(ctx, s, ""); err != nil {
		t.Fatal(err)
	}
	read := func(to time.Time, weekly bool) string {
		t.Helper()
		u, err := NewQueries(s).Usage(ctx, tenant.Everything(), d1, to, weekly)
		if err != nil {
			t.Fatal(err)
		}
		var days string
		for _, p := range u {
			days += fmt.Sprintf("%s:%d/%d ", p.Start.In(paris).Format("Mon 02"), p.Messages, p.Conversations)
		}
		return days
	}
	if got, want := read(d1.AddDate(0, 0, 3), false), "Mon 02:1/1 Tue 03:0/0 Wed 04:1/1 "; got != want {
		t.Errorf("by day: %s, want %s", got, want)
	}
	if got, want := read(d1.AddDate(0, 0, 21), true), "Mon 02:2/2 Mon 09:0/0 Mon 16:1/1 "; got != want {
		t.Errorf("by week: %s, want %s", got, want)
	}
}
