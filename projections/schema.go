package projections

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Tables lists the projection tables, all rebuilt by [Replay].
var Tables = []string{"events", "conversations", "messages", "decisions", "feedback", "kb_entries", "usage_hourly",
	"suggestion_choices", "suggestion_reviews", "demandes", "demande_changes"}

// MiningTables are written by the miner from the projections; a replay keeps
// them, and the miner rebuilds them from the replayed projections, keeping its
// group ids.
var MiningTables = []string{"mining_signals", "mining_assignments", "mining_clusters"}

type migration struct {
	version int
	name    string
	sql     string
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func migrations() ([]migration, error) {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, f := range files {
		base := strings.TrimPrefix(f, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("projections: migration %s: name must start with its number", base)
		}
		b, err := migrationFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	// A migration is recorded by its number: two with one number would see
	// the second one skipped wherever the first had run.
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("projections: migrations %s and %s share the number %d", ms[i-1].name, ms[i].name, ms[i].version)
		}
	}
	return ms, nil
}

// render replaces {table} placeholders by the table names of this set, so that
// the same migrations build the live tables and the fresh tables of a replay.
// Only the replayed tables take the suffix.
func render(sql, suffix string) string {
	return placeholder.ReplaceAllStringFunc(sql, func(m string) string {
		name := m[1 : len(m)-1]
		if slices.Contains(Tables, name) {
			return name + suffix
		}
		return name
	})
}

// Migrate applies the migrations not yet applied, in order. Applied versions are
// recorded in schema_migrations; every statement is also idempotent, so a
// migration interrupted half-way is safe to run again, and any number of
// processes may start at once against one ClickHouse: a column or a table that
// is already there (another process added it first) is a statement done, not an
// error (see [done]). No lock: ClickHouse has none to offer across processes,
// and a statement that checks first and forgives a lost race needs none.
//
// A migration that rebuilds a table (023 drops usage_hourly and fills it again)
// cannot forgive a race statement by statement: another process starting at the
// same moment may drop the table between this one's CREATE and its INSERT. The
// whole run is then tried again, a few times: it reads schema_migrations anew,
// skips what the other process finished, and redoes the rest, which every
// migration allows (measured: of two api processes started with a projector and
// a miner on a fresh ClickHouse, two exited with « Table usage_hourly doesn't
// exist »).
func Migrate(ctx context.Context, s Store) error {
	var err error
	for attempt := 1; attempt <= migrateAttempts; attempt++ {
		if err = migrate(ctx, s, "", true); err == nil {
			return nil
		}
		if attempt == migrateAttempts {
			break
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * migrateRetryPause):
		}
	}
	return fmt.Errorf("%w (after %d attempts)", err, migrateAttempts)
}

// migrateAttempts and migrateRetryPause bound the retries of [Migrate]: the
// pause grows by migrateRetryPause each time, so five attempts wait 5 s in all,
// far longer than another process takes to apply a migration.
const migrateAttempts = 5

var migrateRetryPause = 500 * time.Millisecond

// CreateFresh (re)creates empty projection tables named with suffix, the tables
// that [Replay] fills before it swaps them in place of the live ones.
func CreateFresh(ctx context.Context, s Store, suffix string) error {
	for _, t := range Tables {
		if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+t+suffix); err != nil {
			return err
		}
	}
	return migrate(ctx, s, suffix, false)
}

func migrate(ctx context.Context, s Store, suffix string, record bool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if err := s.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime) ENGINE = ReplacingMergeTree() ORDER BY version`); err != nil {
		return fmt.Errorf("projections: create schema_migrations: %w", err)
	}
	applied := map[int]bool{}
	if record {
		var rows []struct {
			Version uint32 `ch:"version"`
		}
		if err := s.Select(ctx, &rows, "SELECT version FROM schema_migrations"); err != nil {
			return fmt.Errorf("projections: read schema_migrations: %w", err)
		}
		for _, r := range rows {
			applied[int(r.Version)] = true
		}
	}
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		for _, stmt := range statements(m.sql) {
			if suffix != "" && !replayed(stmt) {
				continue // a replay rebuilds the replayed tables only
			}
			stmt = render(stmt, suffix)
			if ok, err := done(ctx, s, stmt); err != nil {
				return fmt.Errorf("projections: migration %s: %w", m.name, err)
			} else if ok {
				continue
			}
			if err := s.Exec(ctx, stmt); err != nil {
				// Another process may have applied it between the check and now.
				if ok, _ := done(ctx, s, stmt); ok {
					continue
				}
				return fmt.Errorf("projections: migration %s: %w", m.name, err)
			}
		}
		if record {
			if err := s.Insert(ctx, "schema_migrations", []string{"version", "name", "applied_at"},
				[][]any{{uint32(m.version), m.name, time.Now().UTC()}}); err != nil {
				return fmt.Errorf("projections: record migration %s: %w", m.name, err)
			}
		}
	}
	return nil
}

var (
	addColumn   = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+([A-Za-z0-9_]+)\s+ADD\s+COLUMN\s+([A-Za-z0-9_]+)\s`)
	createTable = regexp.MustCompile(`(?is)^CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+([A-Za-z0-9_]+)`)
)

// done reports whether a statement's effect is already there: a column that
// ALTER TABLE … ADD COLUMN would add exists (ClickHouse 18.16 has no ADD COLUMN
// IF NOT EXISTS), or a table that CREATE TABLE IF NOT EXISTS would make does.
// Other statements are idempotent as written (IF NOT EXISTS, mutations that
// rewrite a value into itself) and are never done beforehand.
func done(ctx context.Context, s Store, stmt string) (bool, error) {
	var rows []struct {
		N uint64 `ch:"n"`
	}
	var q string
	if m := addColumn.FindStringSubmatch(stmt); m != nil {
		q = fmt.Sprintf("SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND table = '%s' AND name = '%s'", m[1], m[2])
	} else if m := createTable.FindStringSubmatch(stmt); m != nil {
		q = fmt.Sprintf("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = '%s'", m[1])
	} else {
		return false, nil
	}
	if err := s.Select(ctx, &rows, q); err != nil {
		return false, err
	}
	return len(rows) == 1 && rows[0].N > 0, nil
}

// replayed reports whether a statement touches a table that replays rebuild.
func replayed(stmt string) bool {
	for _, m := range placeholder.FindAllStringSubmatch(stmt, -1) {
		if slices.Contains(Tables, m[1]) {
			return true
		}
	}
	return false
}

// statements splits a migration file into statements, dropping comments.
func statements(sql string) []string {
	var lines []string
	for _, l := range strings.Split(sql, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			lines = append(lines, l)
		}
	}
	var out []string
	for _, s := range strings.Split(strings.Join(lines, "\n"), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
