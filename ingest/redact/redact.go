// Package redact replaces personal data in a citizen's text by typed placeholders
// such as "[EMAIL]", before the text becomes an event: what reaches Kafka and
// ClickHouse never holds it.
//
// Each kind has a finder, run in a fixed order (see finders): numbers with a
// structure or a checksum first (IBAN, NIR, phones, cards, tax and identity
// document numbers, then any long number left), then plates and dates of birth,
// then the kinds that need words around them (street addresses, names). A finder
// runs on the text as the earlier ones left it, placeholders included, so a
// placeholder is a wall that no later candidate crosses, just as when the
// redacted text is redacted again.
//
// Two rules make redaction idempotent (Redact(Redact(x)) == Redact(x)):
//   - a piece of personal data starts and ends on a word's edge: it never takes
//     or leaves part of a word, so that replacing it by a placeholder changes no
//     other candidate's edges;
//   - a finder that validates its candidates (a checksum, a label before them)
//     tries every candidate at a word's start, the longest first, so that a long
//     candidate that fails does not hide a shorter one that passes (a card
//     number followed by an expiry date).
//
// The placeholder format is defined here and only here: [Placeholder] makes one,
// [ReplacePlaceholders] finds them again, for readers of redacted text (the French
// word splitter drops them with the label that introduced them).
//
// The package is a leaf: it imports nothing of the project, so that both the way
// in (ingest) and the text analysis (french) can use it.
package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of personal data, as they appear in placeholders and in the counts that
// [Redact] returns.
const (
	KindEmail     = "EMAIL"
	KindPhone     = "TELEPHONE"
	KindNIR       = "NIR" // numéro de sécurité sociale
	KindIBAN      = "IBAN"
	KindCard      = "CARTE"
	KindAddress   = "ADRESSE"
	KindName      = "NOM"
	KindBirthDate = "DATE_NAISSANCE"
	KindPlate     = "PLAQUE"         // licence plate
	KindTaxNumber = "NUMERO_FISCAL"  // numéro fiscal (SPI)
	KindIDNumber  = "PIECE_IDENTITE" // passport, identity card, residence permit, driving licence
	KindNumber    = "NUMERO"         // any other long number: a customer, benefit or file number
)

// Placeholder returns the text that stands for personal data of a kind: "[EMAIL]".
func Placeholder(kind string) string { return "[" + kind + "]" }

// placeholders matches any upper-case word in brackets, not only the kinds above:
// a placeholder written by an earlier or later version of the list is still one.
var placeholders = regexp.MustCompile(`\[[A-Z_]+\]`)

// HasPlaceholder reports whether text holds a placeholder: personal data was
// there.
func HasPlaceholder(text string) bool {
	return strings.Contains(text, "[") && placeholders.MatchString(text)
}

// ReplacePlaceholders replaces every placeholder in text by with.
func ReplacePlaceholders(text, with string) string {
	// Most text holds no bracket: skip the regular expression.
	if !strings.Contains(text, "[") {
		return text
	}
	return placeholders.ReplaceAllString(text, with)
}

// Redact replaces personal data in text by typed placeholders ("[EMAIL]") and
// counts what it replaced, by kind. Invalid UTF-8 is replaced by U+FFFD first,
// so the result is always valid text.
func Redact(text string) (string, map[string]int) {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	spans := find(text)
	if len(spans) == 0 {
		return strings.TrimSpace(text), nil
	}
	counts := map[string]int{}
	for _, s := range spans {
		counts[s.kind]++
	}
	return strings.TrimSpace(render(text, spans)), counts
}

// A span is a piece of personal data: text[start:end] is of kind.
type span struct {
	start, end int
	kind       string
}

// A finder finds one kind of personal data in a text: it calls emit for each
// piece, in order, without overlaps. Its text may hold placeholders, which it must
// never match.
type finder struct {
	kind string
	find func(d *doc, emit func(start, end int))
}

// A doc is a text that finders read, with what several of them need, made at
// most once: its lower-case form, its words, where candidates may start.
type doc struct {
	text  string
	lower string
	toks  []token
	at    []int
}

// contains tells whether the text holds one of subs, in lower case, ignoring case.
func (d *doc) contains(subs ...string) bool {
	if d.lower == "" {
		d.lower = strings.ToLower(d.text)
	}
	for _, s := range subs {
		if strings.Contains(d.lower, s) {
			return true
		}
	}
	return false
}

func (d *doc) tokens() []token {
	if d.toks == nil {
		d.toks = tokenize(d.text)
	}
	return d.toks
}

func (d *doc) starts() []int {
	if d.at == nil {
		d.at = starts(d.text)
	}
	return d.at
}

// finders in the order they run. Numbers that carry a checksum or a strict
// structure come before looser ones (a NIR or a numéro fiscal holds a
// phone-like run of ten digits); long numbers left by all of them are
// caught before plates and dates, which hold fewer digits; addresses come before
// names so that "rue Victor Hugo" is an address, never a person.
var finders = []finder{
	{KindEmail, emailAddress.find},
	{KindEmail, emailSpelled.find},
	{KindIBAN, iban.find},
	{KindIBAN, rib.find},
	{KindNIR, nir.find},
	{KindTaxNumber, taxNumber.find},
	{KindPhone, phoneInternational.find},
	{KindPhone, phoneNational.find},
	{KindPhone, phoneWithoutZero.find},
	{KindCard, card.find},
	{KindIDNumber, idNumber.find},
	{KindNumber, benefitNumber.find},
	{KindNumber, findLongNumbers},
	{KindPlate, plate.find},
	{KindPlate, oldPlate.find},
	{KindBirthDate, birthDate.find},
	{KindAddress, findAddresses},
	{KindName, findNames},
}

// find returns the personal data in text, in order. Each finder sees the text as
// the earlier ones left it (their finds replaced by placeholders): the same text
// that a second redaction would see.
func find(text string) []span {
	var spans []span // in text's offsets, in order
	var found []span // in view's offsets
	view := &doc{text: text}
	var kind string
	emit := func(start, end int) {
		if start < end && edge(view.text, start) && edge(view.text, end) &&
			(len(found) == 0 || found[len(found)-1].end <= start) {
			found = append(found, span{start, end, kind})
		}
	}
	for _, f := range finders {
		found, kind = found[:0], f.kind
		f.find(view, emit)
		if len(found) == 0 {
			continue
		}
		before := spans[:len(spans):len(spans)]
		for _, s := range found {
			spans = append(spans, span{toText(before, s.start), toText(before, s.end), s.kind})
		}
		slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
		view = &doc{text: render(text, spans), at: shiftStarts(view.starts(), found)}
	}
	return spans
}

// shiftStarts returns where candidates may start in a view once found (in the
// view's offsets, in order) is replaced by placeholders: where they started
// outside found, moved by what the placeholders before them add or remove.
// Spans end on words' edges, so no start appears or vanishes around them.
func shiftStarts(at []int, found []span) []int {
	out := make([]int, 0, len(at))
	shift, k := 0, 0
	for _, i := range at {
		for k < len(found) && found[k].end <= i {
			shift += len(Placeholder(found[k].kind)) - (found[k].end - found[k].start)
			k++
		}
		if k < len(found) && found[k].start <= i {
			continue // inside a span
		}
		out = append(out, i+shift)
	}
	return out
}

// toText maps an offset in the view of text (spans replaced by placeholders) to
// text. Finders never match placeholders, so v is never inside one.
func toText(spans []span, v int) int {
	shift := 0
	for _, s := range spans {
		if v <= s.start-shift {
			break
		}
		shift += s.end - s.start - len(Placeholder(s.kind))
	}
	return v + shift
}

// render replaces the spans of text by their placeholders.
func render(text string, spans []span) string {
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range spans {
		b.WriteString(text[last:s.start])
		b.WriteString(Placeholder(s.kind))
		last = s.end
	}
	b.WriteString(text[last:])
	return b.String()
}

// isWord tells whether r belongs to a word: a letter, a mark or a digit.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.N)
}

// edge tells whether offset i of text is on a word's edge: not between two runes
// of the same word.
func edge(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i:])
	return !isWord(before) || !isWord(after)
}
