package projections

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// A migration stopped after its ALTER TABLE … ADD COLUMN and before it was
// recorded runs again at the next start: the column is there, which is the
// statement done, not an error.
func TestMigrateAfterAnInterruptedMigration(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := Migrate(ctx, s); err != nil {
				t.Fatal(err)
			}
			// Forget every migration: each runs again over what it made.
			if err := s.Exec(ctx, "DROP TABLE schema_migrations"); err != nil {
				t.Fatal(err)
			}
			if err := Migrate(ctx, s); err != nil {
				t.Fatalf("migrations run again over their own work: %v", err)
			}
		})
	}
}

// Several processes start at once against one ClickHouse server: each migrates
// through its own connection, and every one succeeds (measured before: two
// processes both applied migration 008 and one exited with « column with this
// name already exists »).
func TestMigrateFromSeveralProcessesAtOnce(t *testing.T) {
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		t.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN); .ci/run starts one")
	}
	ctx := context.Background()
	for round := range 3 {
		first, err := OpenServer(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		reset(t, "server", first)
		const processes = 6
		stores := make([]*Server, processes)
		for i := range stores {
			if stores[i], err = OpenServer(ctx, dsn); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, processes)
		for i, s := range stores {
			wg.Go(func() { errs[i] = Migrate(ctx, s) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d, process %d: %v", round, i, err)
			}
		}
		var cols []struct {
			N uint64 `ch:"n"`
		}
		if err := first.Select(ctx, &cols, "SELECT count() AS n FROM system.columns WHERE database = currentDatabase() AND table = 'mining_clusters' AND name IN ('demande', 'noise')"); err != nil {
			t.Fatal(err)
		}
		if len(cols) != 1 || cols[0].N != 2 {
			t.Errorf("round %d: mining_clusters has %v of its two added columns", round, cols)
		}
		for _, s := range append(stores, first) {
			s.Close()
		}
	}
}

// racingStore drops usage_hourly just before the first statement that fills it,
// as another process starting at the same moment does when it runs migration
// 023 (DROP, CREATE, INSERT) a step behind this one.
type racingStore struct {
	Store
	dropped bool
}

func (r *racingStore) Exec(ctx context.Context, sql string) error {
	if !r.dropped && strings.HasPrefix(strings.TrimSpace(sql), "INSERT INTO usage_hourly") {
		r.dropped = true
		if err := r.Store.Exec(ctx, "DROP TABLE usage_hourly"); err != nil {
			return err
		}
	}
	return r.Store.Exec(ctx, sql)
}

// A process whose migration lost such a race starts all the same, with the
// table there (measured before: « migration 023_usage_tenant.sql: Table
// usage_hourly doesn't exist », and the process exited).
func TestMigrateRecoversWhenAnotherProcessDropsATable(t *testing.T) {
	migrateRetryPause = 0
	t.Cleanup(func() { migrateRetryPause = 500 * time.Millisecond })
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			// Forget every migration: each runs again, 023 among them.
			if err := s.Exec(ctx, "DROP TABLE schema_migrations"); err != nil {
				t.Fatal(err)
			}
			r := &racingStore{Store: s}
			if err := Migrate(ctx, r); err != nil {
				t.Fatalf("migration lost a race with another process and gave up: %v", err)
			}
			if !r.dropped {
				t.Fatal("the race was not played: migration 023 no longer fills usage_hourly")
			}
			var rows []struct {
				N uint64 `ch:"n"`
			}
			if err := s.Select(ctx, &rows, "SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'usage_hourly'"); err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].N != 1 {
				t.Errorf("usage_hourly is missing after the migration: %v", rows)
			}
		})
	}
}
