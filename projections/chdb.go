package projections

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/ebitengine/purego"
	segjson "github.com/segmentio/encoding/json"
)

// The chDB library is bound lazily with purego instead of through chdb-go, whose
// package init loads libchdb.so and panics when it is missing: a process that talks
// to a ClickHouse server must run without the library, and a missing library must
// be a clear error, not a panic before main.

// ErrNoChDB is returned when the embedded ClickHouse library cannot be loaded.
var ErrNoChDB = errors.New("projections: the embedded ClickHouse library (libchdb.so) is not available: run `make deps` and set CHDB_LIB_PATH, or give --clickhouse")

var (
	chdbOnce sync.Once
	chdbErr  error

	chdbConnect        func(argc int, argv []*byte) unsafe.Pointer
	chdbCloseConn      func(conn unsafe.Pointer)
	chdbQuery          func(conn unsafe.Pointer, query string, format string) unsafe.Pointer
	chdbDestroyResult  func(result unsafe.Pointer)
	chdbResultBuffer   func(result unsafe.Pointer) unsafe.Pointer
	chdbResultLength   func(result unsafe.Pointer) uintptr
	chdbResultError    func(result unsafe.Pointer) string
	chdbResultRowsRead func(result unsafe.Pointer) uint64
)

// ChDBVersion is the chDB release that `make deps` fetches.
const ChDBVersion = "26.5.3"

// ChDBLibrary returns the path where the library is looked for: CHDB_LIB_PATH,
// else the cache that `make deps` fills, else the system's library path.
func ChDBLibrary() string {
	if p := os.Getenv("CHDB_LIB_PATH"); p != "" {
		return p
	}
	cache := os.Getenv("PARVIS_CACHE")
	if cache == "" {
		if home, err := os.UserHomeDir(); err == nil {
			cache = filepath.Join(home, ".cache", "parvis")
		}
	}
	if p := filepath.Join(cache, "chdb-"+ChDBVersion, "libchdb.so"); cache != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "libchdb.so"
}

func loadChDB() error {
	chdbOnce.Do(func() {
		lib, err := purego.Dlopen(ChDBLibrary(), purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			chdbErr = fmt.Errorf("%w (%v)", ErrNoChDB, err)
			return
		}
		purego.RegisterLibFunc(&chdbConnect, lib, "chdb_connect")
		purego.RegisterLibFunc(&chdbCloseConn, lib, "chdb_close_conn")
		purego.RegisterLibFunc(&chdbQuery, lib, "chdb_query")
		purego.RegisterLibFunc(&chdbDestroyResult, lib, "chdb_destroy_query_result")
		purego.RegisterLibFunc(&chdbResultBuffer, lib, "chdb_result_buffer")
		purego.RegisterLibFunc(&chdbResultLength, lib, "chdb_result_length")
		purego.RegisterLibFunc(&chdbResultError, lib, "chdb_result_error")
		purego.RegisterLibFunc(&chdbResultRowsRead, lib, "chdb_result_rows_read")
	})
	return chdbErr
}

// ChDB is the embedded ClickHouse, persisted in a directory. Only one process may
// open a directory; within the process, one session serves every goroutine.
type ChDB struct {
	mu   sync.Mutex
	conn unsafe.Pointer // *chdb_connection
}

// OpenChDB opens (or creates) an embedded ClickHouse database in dir.
func OpenChDB(dir string) (*ChDB, error) {
	if err := loadChDB(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("projections: %w", err)
	}
	args := []string{"clickhouse", "--path=" + dir}
	argv := make([]*byte, len(args))
	keep := make([][]byte, len(args))
	for i, a := range args {
		keep[i] = append([]byte(a), 0)
		argv[i] = &keep[i][0]
	}
	conn := chdbConnect(len(argv), argv)
	if conn == nil {
		return nil, fmt.Errorf("projections: chDB could not open %s (is another parvis using it?)", dir)
	}
	c := &ChDB{conn: conn}
	// The projector writes times as UTC text without a zone and the queries
	// compare them with toDateTime(…, 'UTC'): the session must read and write
	// DateTime in UTC whatever the machine's zone, or on a server set to
	// Europe/Paris every time would be stored one or two hours early. chDB
	// ignores a --timezone or --session_timezone argument at connection (26.5),
	// but keeps a SET for the session's later statements.
	if err := c.Exec(context.Background(), "SET session_timezone = 'UTC'"); err != nil {
		c.Close()
		return nil, fmt.Errorf("projections: chDB: set the session's time zone to UTC: %w", err)
	}
	return c, nil
}

// query runs one statement and returns its output in format.
func (c *ChDB) query(sql, format string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, errors.New("projections: chDB is closed")
	}
	// The connection handle is a pointer to a struct whose first field is the
	// internal connection that chdb_query takes.
	res := chdbQuery(*(*unsafe.Pointer)(c.conn), sql, format)
	if res == nil {
		return nil, nil
	}
	defer chdbDestroyResult(res)
	if msg := chdbResultError(res); msg != "" {
		return nil, fmt.Errorf("projections: chDB: %s", strings.TrimSpace(msg))
	}
	n := chdbResultLength(res)
	buf := chdbResultBuffer(res)
	if n == 0 || buf == nil {
		return nil, nil
	}
	return append([]byte(nil), unsafe.Slice((*byte)(buf), n)...), nil
}

// Exec implements [Store].
func (c *ChDB) Exec(_ context.Context, sql string) error {
	_, err := c.query(sql, "TabSeparated")
	return err
}

// Insert implements [Store]: rows are sent as TabSeparated, or as JSONEachRow
// when a value is of a type that [appendTSV] does not write.
func (c *ChDB) Insert(_ context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	for _, row := range rows {
		if len(row) != len(columns) {
			return fmt.Errorf("projections: insert into %s: row of %d values for %d columns", table, len(row), len(columns))
		}
	}
	tsv := fmt.Appendf(nil, "INSERT INTO %s (%s) FORMAT TabSeparated\n", table, strings.Join(columns, ", "))
	if tsv, ok := appendTSV(tsv, rows); ok {
		if _, err := c.query(string(tsv), "TabSeparated"); err != nil {
			return fmt.Errorf("projections: insert %d rows into %s: %w", len(rows), table, err)
		}
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) FORMAT JSONEachRow\n", table, strings.Join(columns, ", "))
	obj := make(map[string]any, len(columns))
	for _, row := range rows {
		if len(row) != len(columns) {
			return fmt.Errorf("projections: insert into %s: row of %d values for %d columns", table, len(row), len(columns))
		}
		for i, col := range columns {
			v := row[i]
			if t, ok := v.(time.Time); ok {
				v = t.UTC().Format("2006-01-02 15:04:05")
			}
			obj[col] = v
		}
		line, err := json.Marshal(obj)
		if err != nil {
			return fmt.Errorf("projections: insert into %s: %w", table, err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	_, err := c.query(b.String(), "TabSeparated")
	if err != nil {
		return fmt.Errorf("projections: insert %d rows into %s: %w", len(rows), table, err)
	}
	return nil
}

// Select implements [Store]: the query's rows come back as JSONEachRow and are
// decoded by the `ch` tags of dest's struct. FINAL merges within partitions only:
// the copies of an event share its time, hence its partition, so the result is
// the same and the dashboards' queries are three times faster.
func (c *ChDB) Select(_ context.Context, dest any, sql string) error {
	out, err := c.query(sql+" SETTINGS output_format_json_quote_64bit_integers = 0, date_time_output_format = 'iso', do_not_merge_across_partitions_select_final = 1", "JSONEachRow")
	if err != nil {
		return err
	}
	return decodeJSONRows(out, dest)
}

// decodeJSONRows decodes JSON lines into a slice of structs by their `ch` tags.
// Each line is parsed once, straight into the struct's twin whose `json` tags
// are the `ch` tags (see [jsonTwin]): reading a column at a time through a
// map of raw values cost the miner a third of a core under load.
func decodeJSONRows(data []byte, dest any) error {
	sv := reflect.ValueOf(dest)
	if sv.Kind() != reflect.Pointer || sv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("projections: Select needs a pointer to a slice, got %T", dest)
	}
	slice := sv.Elem()
	et := slice.Type().Elem()
	twin, err := jsonTwin(et)
	if err != nil {
		return err
	}
	slice.SetLen(0)
	slice.Grow(bytes.Count(data, []byte{'\n'}) + 1)
	zero := reflect.Zero(et)
	for line := range bytes.Lines(data) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		n := slice.Len()
		slice.Set(reflect.Append(slice, zero))
		// The twin has et's layout: decode in place.
		row := reflect.NewAt(twin, slice.Index(n).Addr().UnsafePointer()).Interface()
		rest, err := segjson.Parse(line, row, 0)
		if err == nil && len(bytes.TrimSpace(rest)) > 0 {
			err = fmt.Errorf("%q after the row", bytes.TrimSpace(rest))
		}
		if err != nil {
			slice.SetLen(n)
			return fmt.Errorf("projections: decode row %d: %w", n+1, err)
		}
	}
	return nil
}

// twins holds, per row struct, its twin for [decodeJSONRows].
var twins sync.Map // reflect.Type → reflect.Type

// jsonTwin returns a struct type with et's fields whose `json` tags are et's
// `ch` tags (fields without one are skipped). Go converts between struct types
// that differ only by their tags; they share their layout, so a twin can be
// decoded in the memory of an et.
func jsonTwin(et reflect.Type) (reflect.Type, error) {
	if t, ok := twins.Load(et); ok {
		return t.(reflect.Type), nil
	}
	if et.Kind() != reflect.Struct {
		return nil, fmt.Errorf("projections: Select needs a slice of structs, got %s", et)
	}
	fields := make([]reflect.StructField, et.NumField())
	for i := range fields {
		f := et.Field(i)
		if !f.IsExported() || f.Anonymous {
			return nil, fmt.Errorf("projections: row type %s: field %s must be exported and named", et, f.Name)
		}
		tag := f.Tag.Get("ch")
		if tag == "" {
			tag = "-"
		}
		fields[i] = reflect.StructField{Name: f.Name, Type: f.Type, Tag: reflect.StructTag(`json:"` + tag + `"`)}
	}
	twin := reflect.StructOf(fields)
	if !twin.ConvertibleTo(et) || twin.Size() != et.Size() {
		return nil, fmt.Errorf("projections: row type %s: no twin with its layout", et)
	}
	t, _ := twins.LoadOrStore(et, twin)
	return t.(reflect.Type), nil
}

// Ping implements [Store].
func (c *ChDB) Ping(ctx context.Context) error { return c.Exec(ctx, "SELECT 1") }

// Close implements [Store].
func (c *ChDB) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		chdbCloseConn(c.conn)
		c.conn = nil
	}
	return nil
}
