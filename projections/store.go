// Package projections turns the event log into ClickHouse tables and answers the
// queries that the GraphQL API, the dashboards and the bot's context need.
//
// Data flows: a [Projector] consumes the log with a Kafka consumer group, decodes
// and maps each event to rows, inserts them in batches into a [Store], and only then
// commits its offsets. Tables are ReplacingMergeTree keyed by event id and read with
// FINAL, so a redelivered or replayed event never counts twice. [Replay] rebuilds
// every table from the beginning of the log into fresh tables and swaps them in.
// A conversation erased at a citizen's request (in [Erasures], from the audit
// topic) is skipped by both, and its rows deleted; [RunRetention] deletes what is
// older than the retention period. [Queries.Record] gathers what is held about a
// conversation, for a citizen's access request.
//
// Two Store drivers share one SQL dialect: chDB, the embedded ClickHouse (the
// default of `parvis serve`), and clickhouse-go over the native protocol (a
// ClickHouse server in production).
package projections

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Store is a ClickHouse database. Implementations are safe for concurrent use.
type Store interface {
	// Exec runs a statement that returns no rows.
	Exec(ctx context.Context, sql string) error
	// Insert appends rows (values in the order of columns) to table.
	Insert(ctx context.Context, table string, columns []string, rows [][]any) error
	// Select runs a query and decodes its rows into dest, a pointer to a slice of
	// structs whose fields carry `ch:"column"` tags.
	Select(ctx context.Context, dest any, sql string) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the connection.
	Close() error
}

// Quote returns s as a ClickHouse string literal. Queries are built by this package
// from typed values only; Quote is what keeps user-provided strings inert.
func Quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\x00", `\0`)
	return "'" + r.Replace(s) + "'"
}

// TimeLit returns t as a ClickHouse DateTime literal, in UTC.
func TimeLit(t time.Time) string {
	return fmt.Sprintf("toDateTime('%s', 'UTC')", t.UTC().Format("2006-01-02 15:04:05"))
}
