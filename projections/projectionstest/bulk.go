package projectionstest

import (
	"fmt"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/projections"
)

// TabSeparated returns, per table, one INSERT of the batch's rows in
// ClickHouse's TabSeparated input format into the table named with suffix: the
// database's own fastest text input, sent to chDB as it is, which the
// projector's insert is measured against.
func TabSeparated(b projections.Batch, suffix string) map[string]string {
	out := map[string]string{}
	for table, rows := range b {
		var sb strings.Builder
		fmt.Fprintf(&sb, "INSERT INTO %s%s (%s) FORMAT TabSeparated\n", table, suffix, strings.Join(projections.Columns(table), ", "))
		for _, row := range rows {
			for i, v := range row {
				if i > 0 {
					sb.WriteByte('\t')
				}
				writeTSV(&sb, v)
			}
			sb.WriteByte('\n')
		}
		out[table] = sb.String()
	}
	return out
}

var (
	tsvEscaper    = strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n", "\r", "\\r", "\x00", "\\0")
	quotedEscaper = strings.NewReplacer("\\", "\\\\", "'", "\\'", "\t", "\\t", "\n", "\\n", "\r", "\\r", "\x00", "\\0")
)

func writeTSV(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		tsvEscaper.WriteString(sb, v)
	case time.Time:
		sb.WriteString(v.UTC().Format("2006-01-02 15:04:05"))
	case []string:
		sb.WriteByte('[')
		for i, s := range v {
			if i > 0 {
				sb.WriteByte(',')
			}
			// An array's strings are quoted, with the field's escapes and
			// their quotes escaped the same way.
			sb.WriteByte('\'')
			quotedEscaper.WriteString(sb, s)
			sb.WriteByte('\'')
		}
		sb.WriteByte(']')
	case []float64:
		sb.WriteByte('[')
		for i, f := range v {
			if i > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprint(sb, f)
		}
		sb.WriteByte(']')
	default:
		fmt.Fprint(sb, v)
	}
}
