package connector

import (
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the ways a date reaches a connector: ISO (the widget's date
// input), as the French write it, or as a full RFC 3339 instant.
var dateLayouts = []string{time.DateOnly, "02/01/2006", "2/1/2006", time.RFC3339}

// ParseDate reads a date field of a demande and writes it YYYY-MM-DD, the form
// both platforms take.
func ParseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s)
}
