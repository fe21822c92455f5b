package french

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/ingest/redact"
)

// maxRunes bounds the work done on one text: past it, the rest is ignored (the
// ingest layer refuses such messages anyway).
const maxRunes = 4000

// Fold lowercases s, removes accents and ligatures, and turns every character that
// is neither a letter nor a digit into a space. Apostrophes split elisions
// ("l'acte" → "l acte"). Invalid UTF-8 is dropped, and so are redaction
// placeholders ("[EMAIL]"): they stand for personal data, not for words. Only the
// first 4,000 characters of s are read.
func Fold(s string) string { return fold(s, " ") }

// decomposed holds the buffers fold decomposes text into.
var decomposed = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// fold is [Fold] with each redaction placeholder replaced by placeholderAs, so that
// [Words] can tell where one stood.
func fold(s, placeholderAs string) string {
	if n := utf8.RuneCountInString(s); n > maxRunes {
		s = string([]rune(s)[:maxRunes])
	}
	s = redact.ReplacePlaceholders(s, placeholderAs)
	// Decomposed into a pooled buffer: folding runs on every question mining
	// regroups, a million at a time, and each decomposition would be garbage.
	buf := decomposed.Get().(*[]byte)
	defer decomposed.Put(buf)
	*buf = norm.NFD.AppendString((*buf)[:0], strings.ToValidUTF8(s, " "))
	var b strings.Builder
	b.Grow(len(*buf))
	for _, r := range string(*buf) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent: dropped
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		case r == '👍' || r == '👌':
			// A thumb up says « ok » as a word would, and « 🙏 » « merci »:
			// a message of these alone is an agreement or a thanks.
			b.WriteString(" ok ")
		case r == '🙏':
			b.WriteString(" merci ")
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}
