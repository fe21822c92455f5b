package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A pattern finds candidates of a kind with a regular expression and keeps those
// that valid takes. It tries every place where a candidate may start (a word's
// start, or a "+", that first accepts) and, at each, the longest candidate
// first, then shorter ones that end on a word's edge: a failed candidate never
// hides one inside it. The regular expression runs anchored on a window as long as the
// longest candidate, so the cost stays linear in the text's length.
type pattern struct {
	prefix *regexp.Regexp // anchored at the start, leftmost-longest
	whole  *regexp.Regexp // anchored at both ends
	max    int            // the longest candidate, in bytes
	first  func(text string, i int) bool
	quick  func(d *doc) bool
	// label, when set, introduces candidates ("tel", "passeport n°");
	// needLabel, when a candidate needs one.
	label     *labeler
	needLabel bool
	// valid, when set, confirms a candidate, given whether a label introduces it.
	// It is asked before the regular expression, about any text that starts
	// where a candidate does, so it must expect anything.
	valid func(s string, labelled bool) bool
}

// newPattern compiles expr, whose matches are max bytes long at most. first
// tells cheaply whether a candidate may start at text[i:] (a digit followed by
// enough digits, two letters then a digit); valid, when set, confirms one.
func newPattern(expr string, max int, first func(text string, i int) bool, valid func(s string, labelled bool) bool) pattern {
	prefix := regexp.MustCompile(`^(?:` + expr + `)`)
	prefix.Longest()
	return pattern{prefix: prefix, whole: regexp.MustCompile(`^(?:` + expr + `)$`), max: max, first: first, valid: valid}
}

// when returns p that only looks at a text for which quick is true: most
// messages hold no digit and no "@".
func (p pattern) when(quick func(d *doc) bool) pattern {
	p.quick = quick
	return p
}

// after returns p with a label that may introduce its candidates.
func (p pattern) after(label *labeler) pattern {
	p.label = label
	return p
}

// only returns p with a label that must introduce its candidates.
func (p pattern) only(label *labeler) pattern {
	p.label, p.needLabel = label, true
	return p
}

// find calls emit for each candidate. It looks at words' starts only: no
// candidate starts inside a word.
func (p pattern) find(d *doc, emit func(start, end int)) {
	if p.quick != nil && !p.quick(d) {
		return
	}
	labels := p.label != nil && p.label.in(d)
	if p.needLabel && !labels {
		return
	}
	text, pos := d.text, 0
	for _, i := range d.starts() {
		if i >= pos && p.first(text, i) {
			if end := p.longest(text, i, labels && p.label.before(text, i)); end > i {
				emit(i, end)
				pos = end
			}
		}
	}
}

// starts returns where a candidate may start in text: at a word's start, or at
// a "+" (of a phone number); never in a placeholder.
func starts(text string) []int {
	var at []int
	word := false
	for i := 0; i < len(text); {
		r, size := decodeRune(text, i)
		if r == '[' {
			if n := placeholderLen(text[i:]); n > 0 {
				i, word = i+n, false
				continue
			}
		}
		if w := isWord(r); w && !word || r == '+' {
			at = append(at, i)
		}
		word = isWord(r)
		i += size
	}
	return at
}

// longest returns the end of the longest valid candidate that starts at start,
// or start if none does.
func (p pattern) longest(text string, start int, labelled bool) int {
	if p.needLabel && !labelled {
		return start
	}
	loc := p.prefix.FindStringIndex(text[start:min(len(text), start+p.max)])
	if loc == nil {
		return start
	}
	end := start + loc[1]
	for e := end; e > start; e = prevRune(text, e) {
		if !edge(text, e) || p.valid != nil && !p.valid(text[start:e], labelled) {
			continue
		}
		if e == end || p.whole.MatchString(text[start:e]) {
			return e
		}
	}
	return start
}

// skipWord returns the offset past the word that starts at i or, if none does,
// past the rune at i.
func skipWord(text string, i int) int {
	r, size := decodeRune(text, i)
	i += size
	if !isWord(r) {
		return i
	}
	for i < len(text) {
		r, size = decodeRune(text, i)
		if !isWord(r) {
			break
		}
		i += size
	}
	return i
}

// Where candidates start.

// number returns a test for where a number may start: a digit from lo to hi,
// with n digits at least in the within bytes from there.
func number(lo, hi byte, n, within int) func(text string, i int) bool {
	return func(text string, i int) bool {
		if text[i] < lo || text[i] > hi {
			return false
		}
		for j, c := i, 0; j < len(text) && j < i+within; j++ {
			if isDigit(text[j]) {
				if c++; c == n {
					return true
				}
			}
		}
		return false
	}
}

// international starts a phone number with its country code: "+" or "00",
// then eight digits at least.
func international(text string, i int) bool {
	return (text[i] == '+' || strings.HasPrefix(text[i:], "00")) && i+1 < len(text) && eightDigits(text, i+1)
}

var eightDigits = number('0', '9', 8, 40)

// localThen returns a test for where an e-mail address may start: the
// characters of its local part, then, after two spaces at most, one of nexts
// (ignoring ASCII case).
func localThen(nexts ...string) func(text string, i int) bool {
	return func(text string, i int) bool {
		j := i
		for j < len(text) {
			r, size := decodeRune(text, j)
			if !isWord(r) && !strings.ContainsRune("._%+-", r) {
				break
			}
			j += size
		}
		if j == i {
			return false
		}
		for n := 0; n < 2 && j < len(text) && text[j] == ' '; n++ {
			j++
		}
		for _, next := range nexts {
			if len(text)-j >= len(next) && strings.EqualFold(text[j:j+len(next)], next) {
				return true
			}
		}
		return false
	}
}

// spelledAt are what may follow the first word of a spelled e-mail address.
var spelledAt = []string{"(at)", "[at]", "{at}", "<at>", "(a)", "(arobase)", "arobase", "arrobase", "arobas",
	"arrobas", "@robase", "at ", "at\u00a0", "point ", "dot ", "tiret ", "underscore "}

// lettersThenDigit starts an IBAN or a plate: two ASCII letters, a space or a
// dash maybe, a digit.
func lettersThenDigit(text string, i int) bool {
	if i+3 > len(text) || !isASCIILetter(text[i]) || !isASCIILetter(text[i+1]) {
		return false
	}
	j := i + 2
	if r, size := decodeRune(text, j); r == '-' || isSpace(r) {
		j += size
	}
	return j < len(text) && isDigit(text[j])
}

// digitsThenLetters starts a plate before 2009: up to four digits, a space or a
// dash maybe, two letters.
func digitsThenLetters(text string, i int) bool {
	j := i
	for j < len(text) && j < i+4 && isDigit(text[j]) {
		j++
	}
	if j == i {
		return false
	}
	if j < len(text) {
		if r, size := decodeRune(text, j); r == '-' || isSpace(r) {
			j += size
		}
	}
	return j+1 < len(text) && isASCIILetter(text[j]) && isASCIILetter(text[j+1])
}

// wordWithDigits starts the number of an identity document: a word of letters
// and digits holding two digits at least.
func wordWithDigits(text string, i int) bool {
	n := 0
	for ; i < len(text) && (isASCIILetter(text[i]) || isDigit(text[i])); i++ {
		if isDigit(text[i]) {
			n++
		}
	}
	return n >= 2
}

func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isSpace tells whether r separates the groups of a number as a space does.
func isSpace(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u2009' || r == '\u202f' }

// A labeler recognises the words that introduce a piece of personal data
// ("tel", "passeport", "né le"), possibly followed by a few small words
// ("tel : ", "passeport n° ", "numéro fiscal c'est le ").
type labeler struct {
	seqs  [][]string // sequences of words, folded
	stems []string   // one is in any text, in lower case, that holds the label
}

// label returns a labeler for phrases, each of one or more folded words ("tel",
// "ne le"), separated by "|"; stems, separated by "|" too, are what a text in
// lower case must hold for one of them to be there.
func label(stems, phrases string) *labeler {
	l := &labeler{stems: strings.Split(stems, "|")}
	for p := range strings.SplitSeq(phrases, "|") {
		l.seqs = append(l.seqs, strings.Fields(p))
	}
	return l
}

// in tells whether d may hold the label: cheap, to skip texts without it.
func (l *labeler) in(d *doc) bool { return d.contains(l.stems...) }

// before tells whether the label introduces what starts at text[i:]: it ends in
// the 48 bytes before, followed by fillers only.
func (l *labeler) before(text string, i int) bool {
	from := max(0, i-64)
	for from < i && !utf8.RuneStart(text[from]) {
		from++
	}
	if !edge(text, from) {
		from = skipWord(text, from) // whole words only: "hôtel" holds no "tel"
	}
	toks := tokenize(text[from:i])
	for k := range toks {
		if e := from + toks[k].end; i-e <= 48 && l.endsAt(toks, k) && filler(text[e:i]) {
			return true
		}
	}
	return false
}

// endsAt tells whether one of the label's phrases ends at toks[k].
func (l *labeler) endsAt(toks []token, k int) bool {
seqs:
	for _, seq := range l.seqs {
		if k+1 < len(seq) {
			continue
		}
		for j, w := range seq {
			t := toks[k+1-len(seq)+j]
			if t.fold != w || j > 0 && (t.wall || !blank(t.sep) && !punct(t.sep, "()")) {
				continue seqs
			}
		}
		return true
	}
	return false
}

// fillers may stand between a label and what it introduces: "tel : ",
// "passeport n° ", "numéro fiscal c'est le ".
var fillers = setOf(`le la les l du de d au sur est c mon ma moi son sa no n numero num nr`)

// filler tells whether s holds only punctuation and fillers.
func filler(s string) bool {
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		switch {
		case isWord(r):
			j := skipWord(s, i)
			if !fillers[fold(s[i:j])] {
				return false
			}
			i = j
		case isSpace(r) || strings.ContainsRune(":=#.,-°'’", r):
			i += size
		default:
			return false
		}
	}
	return true
}
