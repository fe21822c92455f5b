package projections

import (
	"strconv"
	"strings"
	"time"
)

// appendTSV appends rows in ClickHouse's TabSeparated input format, the
// cheapest text for chDB to read and for us to write (JSONEachRow cost a
// map and a reflective encoding per row). It reports false, having appended
// part of them, when a value is of a type it does not write: the caller
// sends JSONEachRow instead.
func appendTSV(b []byte, rows [][]any) ([]byte, bool) {
	for _, row := range rows {
		for i, v := range row {
			if i > 0 {
				b = append(b, '\t')
			}
			var ok bool
			if b, ok = appendTSVValue(b, v); !ok {
				return b, false
			}
		}
		b = append(b, '\n')
	}
	return b, true
}

func appendTSVValue(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case string:
		return appendEscaped(b, v, false), true
	case time.Time:
		return v.UTC().AppendFormat(b, "2006-01-02 15:04:05"), true
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64), true
	case uint8:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint16:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint32:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint64:
		return strconv.AppendUint(b, v, 10), true
	case int:
		return strconv.AppendInt(b, int64(v), 10), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case []string:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '\'')
			b = appendEscaped(b, s, true)
			b = append(b, '\'')
		}
		return append(b, ']'), true
	case []float64:
		b = append(b, '[')
		for i, f := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendFloat(b, f, 'g', -1, 64)
		}
		return append(b, ']'), true
	}
	return b, false
}

// appendEscaped escapes what TabSeparated reads as a field's end or an escape;
// within an array's quoted strings, the quote too.
func appendEscaped(b []byte, s string, quoted bool) []byte {
	if !strings.ContainsAny(s, "\\\t\n\r\x00'") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case 0:
			b = append(b, '\\', '0')
		case '\'':
			if quoted {
				b = append(b, '\\')
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return b
}
