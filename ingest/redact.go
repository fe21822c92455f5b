package ingest

import (
	"regexp"
	"strings"
)

// Redaction placeholders, by kind.
const (
	KindEmail = "EMAIL"
	KindPhone = "TELEPHONE"
)

var redactors = []struct {
	kind string
	re   *regexp.Regexp
}{
	{KindEmail, regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}`)},
	// French numbers: 0X XX XX XX XX with spaces, dots or dashes, +33 / 0033 forms.
	{KindPhone, regexp.MustCompile(`(?:(?:\+|00)33[\s.\-]?(?:\(0\)[\s.\-]?)?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b`)},
}

// Redact replaces personal data in text by typed placeholders ("[EMAIL]") and
// counts what it replaced, by kind.
func Redact(text string) (string, map[string]int) {
	var counts map[string]int
	for _, r := range redactors {
		text = r.re.ReplaceAllStringFunc(text, func(string) string {
			if counts == nil {
				counts = map[string]int{}
			}
			counts[r.kind]++
			return "[" + r.kind + "]"
		})
	}
	return strings.TrimSpace(text), counts
}
