package projections

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// TestReadsKeepToTheirScope: each read counts the rows of its scope's tenants
// only, and a read without a scope is refused.
func TestReadsKeepToTheirScope(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Hour).Add(-2 * time.Hour)
	from, to := at.Add(-time.Hour), at.Add(2*time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var evs []events.Envelope
			for tenantID, n := range map[string]int{"a": 3, "b": 2} {
				for _, e := range conversationEvents(t, n, 3, at) {
					e.Tenant = tenantID
					e.ConversationID = tenantID + "-" + e.ConversationID
					evs = append(evs, e)
				}
			}
			projectAll(t, s, evs)
			if err := RollUpAll(ctx, s, ""); err != nil {
				t.Fatal(err)
			}
			q := NewQueries(s)
			for _, tt := range []struct {
				scope      tenant.Scope
				convs, msg int
			}{
				{tenant.Only("a"), 3, 9}, {tenant.Only("b"), 2, 6}, {tenant.Only("a", "b"), 5, 15},
				{tenant.Everything(), 5, 15}, {tenant.Only("c"), 0, 0},
			} {
				o, err := q.Overview(ctx, tt.scope, from, to)
				if err != nil {
					t.Fatal(err)
				}
				served, err := q.Served(ctx, tt.scope, from, to)
				if err != nil {
					t.Fatal(err)
				}
				usage, err := q.Usage(ctx, tt.scope, from, to, false)
				if err != nil {
					t.Fatal(err)
				}
				asked := 0
				for _, u := range usage {
					asked += u.Messages
				}
				auds, err := q.Audiences(ctx, tt.scope, from, to)
				if err != nil {
					t.Fatal(err)
				}
				audConvs := 0
				for _, a := range auds {
					audConvs += int(a.Conversations)
				}
				if o.Conversations != tt.convs || o.Messages != tt.msg || served != tt.convs || asked != tt.msg || audConvs != tt.convs {
					t.Errorf("%+v: overview %+v, served %d, usage %d, audiences %d; want %d conversations, %d messages",
						tt.scope, o, served, asked, audConvs, tt.convs, tt.msg)
				}
			}
			if _, ok, err := q.Conversation(ctx, tenant.Only("a"), "b-conv-000"); ok || err != nil {
				t.Errorf("b's conversation in a's scope: found %v, %v", ok, err)
			}
			if msgs, ok, err := q.Conversation(ctx, tenant.Only("b"), "b-conv-000"); !ok || len(msgs) != 6 || err != nil {
				t.Errorf("b's conversation in b's scope: %d messages, %v, %v", len(msgs), ok, err)
			}
			if _, held, err := q.Record(ctx, tenant.Only("a"), "b-conv-001"); held || err != nil {
				t.Errorf("b's record in a's scope: held %v, %v", held, err)
			}
			for what, read := range map[string]func() error{
				"overview":     func() error { _, err := q.Overview(ctx, tenant.Scope{}, from, to); return err },
				"conversation": func() error { _, _, err := q.Conversation(ctx, tenant.Scope{}, "a-conv-000"); return err },
				"usage":        func() error { _, err := q.Usage(ctx, tenant.Only(), from, to, false); return err },
				"clusters": func() error {
					_, err := q.UnansweredClusters(ctx, tenant.Scope{}, from, to, 10, ClusterFilter{})
					return err
				},
				"record": func() error { _, _, err := q.Record(ctx, tenant.Scope{}, "a-conv-000"); return err },
			} {
				if err := read(); !errors.Is(err, ErrNoScope) {
					t.Errorf("%s without a scope: %v, want ErrNoScope", what, err)
				}
			}
		})
	}
}

// TestUsageByTenantFromTheProjections: the migration that keeps the hourly
// rollup per tenant fills it from the projections a deployment already holds.
func TestUsageByTenantFromTheProjections(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Hour).Add(-3 * time.Hour)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var evs []events.Envelope
			for tenantID, n := range map[string]int{"a": 2, "b": 1} {
				for _, e := range conversationEvents(t, n, 4, at) {
					e.Tenant = tenantID
					e.ConversationID = tenantID + "-" + e.ConversationID
					evs = append(evs, e)
				}
			}
			projectAll(t, s, evs) // no roll-up: as before the migration, the rollup knows nothing of them
			ms, err := migrations()
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.name != "023_usage_tenant.sql" {
					continue
				}
				for _, stmt := range statements(m.sql) {
					if err := s.Exec(ctx, render(stmt, "")); err != nil {
						t.Fatal(err)
					}
				}
			}
			q := NewQueries(s)
			for scope, want := range map[string]int{"a": 8, "b": 4} {
				usage, err := q.Usage(ctx, tenant.Only(scope), at.Add(-time.Hour), at.Add(time.Hour), false)
				if err != nil {
					t.Fatal(err)
				}
				got := 0
				for _, u := range usage {
					got += u.Messages
				}
				if got != want {
					t.Errorf("usage of %s after the migration: %d questions, want %d", scope, got, want)
				}
			}
		})
	}
}
