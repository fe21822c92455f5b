package projections

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Server is a ClickHouse server reached with clickhouse-go over the native
// protocol.
type Server struct {
	conn driver.Conn
	db   string
	// finalByPartition is set when the server can merge FINAL within partitions
	// (ClickHouse 21.10 and later), as chDB does.
	finalByPartition bool
}

// OpenServer connects to a server given a DSN such as
// clickhouse://user:pass@host:9000/db, and creates the database if needed.
func OpenServer(ctx context.Context, dsn string) (*Server, error) {
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("projections: ClickHouse DSN: %w", err)
	}
	db := opts.Auth.Database
	if db == "" {
		db = "default"
	}
	// Connect to the default database first: the target may not exist yet.
	opts.Auth.Database = "default"
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("projections: connect to ClickHouse: %w", err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("projections: ClickHouse at %v does not answer: %w", opts.Addr, err)
	}
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+db); err != nil {
		conn.Close()
		return nil, fmt.Errorf("projections: create database %s: %w", db, err)
	}
	conn.Close()
	opts.Auth.Database = db
	if conn, err = clickhouse.Open(opts); err != nil {
		return nil, fmt.Errorf("projections: connect to ClickHouse: %w", err)
	}
	srv := &Server{conn: conn, db: db}
	if v, err := conn.ServerVersion(); err == nil && (v.Version.Major > 21 || v.Version.Major == 21 && v.Version.Minor >= 10) {
		srv.finalByPartition = true
	}
	return srv, nil
}

// Exec implements [Store].
func (s *Server) Exec(ctx context.Context, sql string) error {
	if err := s.conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("projections: %w", err)
	}
	return nil
}

// Insert implements [Store] with a native-protocol batch; the column list is
// explicit, which every server version accepts.
func (s *Server) Insert(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	batch, err := s.conn.PrepareBatch(ctx, fmt.Sprintf("INSERT INTO %s (%s)", table, strings.Join(columns, ", ")))
	if err != nil {
		return fmt.Errorf("projections: prepare insert into %s: %w", table, err)
	}
	for _, row := range rows {
		if err := batch.Append(row...); err != nil {
			batch.Abort()
			return fmt.Errorf("projections: insert into %s: %w", table, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("projections: insert %d rows into %s: %w", len(rows), table, err)
	}
	return nil
}

// Select implements [Store].
func (s *Server) Select(ctx context.Context, dest any, sql string) error {
	if s.finalByPartition {
		ctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"do_not_merge_across_partitions_select_final": 1}))
	}
	if err := s.conn.Select(ctx, dest, sql); err != nil {
		return fmt.Errorf("projections: %w", err)
	}
	return nil
}

// Ping implements [Store].
func (s *Server) Ping(ctx context.Context) error { return s.conn.Ping(ctx) }

// Close implements [Store].
func (s *Server) Close() error { return s.conn.Close() }
