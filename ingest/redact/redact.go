// Package redact replaces personal data in a citizen's text (e-mail addresses,
// phone numbers, social security numbers, IBANs, card numbers, street addresses)
// by typed placeholders such as "[EMAIL]", before the text becomes an event: what
// reaches Kafka and ClickHouse never holds it.
//
// A candidate is found by a pattern and, for numbers that carry a checksum (IBAN,
// NIR, card), confirmed by it, so that an order number is not taken for an IBAN.
// The placeholder format is defined here and only here: [Placeholder] makes one,
// [ReplacePlaceholders] finds them again, for readers of redacted text (the French
// word splitter drops them with the label that introduced them).
//
// The package is a leaf: it imports nothing of the project, so that both the way
// in (ingest) and the text analysis (french) can use it.
package redact

import (
	"math/big"
	"regexp"
	"strings"
	"unicode"
)

// Kinds of personal data, as they appear in placeholders and in the counts that
// [Redact] returns.
const (
	KindEmail   = "EMAIL"
	KindPhone   = "TELEPHONE"
	KindNIR     = "NIR"
	KindIBAN    = "IBAN"
	KindCard    = "CARTE"
	KindAddress = "ADRESSE"
)

// Placeholder returns the text that stands for personal data of a kind: "[EMAIL]".
func Placeholder(kind string) string { return "[" + kind + "]" }

// placeholders matches any upper-case word in brackets, not only the kinds above:
// a placeholder written by an earlier or later version of the list is still one.
var placeholders = regexp.MustCompile(`\[[A-Z_]+\]`)

// ReplacePlaceholders replaces every placeholder in text by with.
func ReplacePlaceholders(text, with string) string {
	// Most text holds no bracket: skip the regular expression.
	if !strings.Contains(text, "[") {
		return text
	}
	return placeholders.ReplaceAllString(text, with)
}

// A redactor finds candidates with a pattern; check, when set, confirms a
// candidate (a checksum), so that an order number is not taken for an IBAN.
type redactor struct {
	kind  string
	re    *regexp.Regexp
	check func(string) bool
}

// Order matters: longer, checksummed numbers first, so that a phone pattern never
// eats part of an IBAN or a card.
var redactors = []redactor{
	{KindEmail, regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`), nil},
	{KindIBAN, regexp.MustCompile(`(?i)\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,3})?\b`), validIBAN},
	{KindNIR, regexp.MustCompile(`(?i)\b[12][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2A|2B)[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}\b`), validNIR},
	{KindCard, regexp.MustCompile(`\b\d(?:[ \-]?\d){12,18}\b`), luhn},
	// French numbers: 0X XX XX XX XX with spaces, dots or dashes, or without
	// separators; +33 and 0033 forms, with or without (0).
	{KindPhone, regexp.MustCompile(`(?:(?:\+|\b00)33[ .\-]?(?:\(0\)[ .\-]?)?|\b0)[1-9](?:[ .\-]?\d{2}){4}\b`), nil},
	// A street address with a number: "12 rue des Lilas", "3 bis, avenue Jean Jaurès".
	{KindAddress, regexp.MustCompile(`\b\d{1,4}(?:\s?(?i:bis|ter|quater|[abc]))?,?\s+` +
		`(?i:rue|avenue|av\.?|boulevard|bd|place|pl\.|chemin|impasse|all[ée]e|route|quai|cours|square|sentier|passage|r[ée]sidence|lotissement|faubourg|rond-point|voie|hameau|lieu-dit)` +
		// The street's name: its capitalised words, or one word when typed in
		// lower case.
		`\s+(?:(?:de la|de l'|du|des|de|d'|la|le|les|l')\s*)?` +
		`(?:\p{Lu}[\p{L}'\-]*(?:\s+(?:(?:de la|de|du|des|la|le|d'|l')\s*)?\p{Lu}[\p{L}'\-]*){0,3}|\p{Ll}[\p{L}'\-]*)`), nil},
}

// Redact replaces personal data in text by typed placeholders ("[EMAIL]") and
// counts what it replaced, by kind.
func Redact(text string) (string, map[string]int) {
	var counts map[string]int
	for _, r := range redactors {
		text = r.re.ReplaceAllStringFunc(text, func(m string) string {
			if r.check != nil && !r.check(m) {
				return m
			}
			if counts == nil {
				counts = map[string]int{}
			}
			counts[r.kind]++
			return Placeholder(r.kind)
		})
	}
	return strings.TrimSpace(text), counts
}

func digitsAndLetters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || unicode.IsLetter(r) {
			return unicode.ToUpper(r)
		}
		return -1
	}, s)
}

// validIBAN checks the length of known countries loosely and the mod-97 checksum.
func validIBAN(s string) bool {
	s = digitsAndLetters(s)
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	if strings.HasPrefix(s, "FR") && len(s) != 27 {
		return false
	}
	var b strings.Builder
	for _, r := range s[4:] + s[:4] {
		if r >= 'A' && r <= 'Z' {
			b.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		} else {
			b.WriteRune(r)
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// validNIR checks a French social security number's key: 97 minus the first 13
// digits modulo 97 (Corsica's 2A and 2B count as 19 and 18).
func validNIR(s string) bool {
	s = digitsAndLetters(s)
	if len(s) != 15 {
		return false
	}
	body := s[:13]
	body = strings.Replace(body, "2A", "19", 1)
	body = strings.Replace(body, "2B", "18", 1)
	n, ok := new(big.Int).SetString(body, 10)
	key, ok2 := new(big.Int).SetString(s[13:], 10)
	if !ok || !ok2 {
		return false
	}
	want := 97 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return key.Int64() == want
}

// luhn checks a payment card number.
func luhn(s string) bool {
	d := digitsAndLetters(s)
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := range len(d) {
		c := d[len(d)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		v := int(c - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}
