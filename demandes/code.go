package demandes

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A tracking code is PREFIX-YEAR-NUMBER-CHECK, MTC-2026-000123-7KQF: the
// town's prefix, the year filed, a sequence number, and four characters of an
// HMAC of the rest keyed with the server's secret. Numbers follow each other,
// so without the check part anyone could read the next citizen's demande; with
// it, a guess is right once in a million, and the public operations are rate
// limited. The check part is in Crockford's base 32, which leaves out I, L, O
// and U: what a citizen reads as one of them maps back to a digit.

// checkLen is the length of the check part: 20 bits.
const checkLen = 4

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Errors of a code that does not read.
var (
	ErrCodeFormat = errors.New("demandes: not a tracking code")
	ErrCodeCheck  = errors.New("demandes: tracking code check part does not match")
)

// Codes makes and checks tracking codes with a server secret.
type Codes struct {
	Prefix string // the town's prefix, upper-case letters: MTC
	secret []byte
	inText *regexp.Regexp // a code of the prefix in a message
}

// NewCodes returns the codes of a prefix (2 to 6 letters) keyed with secret
// (16 bytes at least).
func NewCodes(prefix string, secret []byte) (*Codes, error) {
	prefix = strings.ToUpper(strings.TrimSpace(prefix))
	if !prefixRe.MatchString(prefix) {
		return nil, fmt.Errorf("demandes: prefix %q: want 2 to 6 letters", prefix)
	}
	if len(secret) < 16 {
		return nil, errors.New("demandes: the tracking code secret must be 16 bytes at least")
	}
	inText := regexp.MustCompile(`(?i)\b` + prefix + codeTail)
	return &Codes{Prefix: prefix, secret: secret, inText: inText}, nil
}

var prefixRe = regexp.MustCompile(`^[A-Z]{2,6}$`)

// codeTail is what follows a prefix in a code as typed in a message.
const codeTail = `[\s\-_./]*[0-9oil]{4}[\s\-_./]*[0-9oil]{1,9}(?:[\s\-_./]*[0-9a-z]{1,6})?\b`

// anyInText is a code of any prefix in a message; the prefix is captured.
var anyInText = regexp.MustCompile(`(?i)\b([a-z]{2,6})` + codeTail)

// Code is a tracking code, read.
type Code struct {
	Prefix string
	Year   int
	Number int64
	Check  string
}

func (c Code) String() string {
	return fmt.Sprintf("%s-%04d-%06d-%s", c.Prefix, c.Year, c.Number, c.Check)
}

// Make returns the code of a demande with the fallback prefix.
func (cs *Codes) Make(year int, number int64) Code {
	return cs.MakeIn(cs.Prefix, year, number)
}

// MakeIn returns the code of a demande of a tenant's prefix: the prefix is
// part of what the check part signs, so a code cannot be moved to another
// commune by changing its letters.
func (cs *Codes) MakeIn(prefix string, year int, number int64) Code {
	c := Code{Prefix: prefix, Year: year, Number: number}
	c.Check = cs.check(c)
	return c
}

func (cs *Codes) check(c Code) string {
	m := hmac.New(sha256.New, cs.secret)
	fmt.Fprintf(m, "%s-%04d-%06d", c.Prefix, c.Year, c.Number)
	sum := m.Sum(nil)
	bits := uint32(sum[0])<<16 | uint32(sum[1])<<8 | uint32(sum[2])
	var b [checkLen]byte
	for i := checkLen - 1; i >= 0; i-- {
		b[i] = crockford[bits&31]
		bits >>= 5
	}
	return string(b[:])
}

// Parse reads a code however it was typed: any case, with spaces, dots or no
// dashes, O for 0, I or L for 1, a number without its leading zeros when the
// parts are separated. ErrCodeFormat when it is no code, ErrCodeCheck when its
// check part does not match (a mistyped character, or a guess).
func (cs *Codes) Parse(s string) (Code, error) {
	c, err := cs.read(s)
	if err != nil {
		return Code{}, err
	}
	if !hmac.Equal([]byte(c.Check), []byte(cs.check(c))) {
		return c, ErrCodeCheck
	}
	return c, nil
}

var separators = regexp.MustCompile(`[\s\-_./]+`)

func (cs *Codes) read(s string) (Code, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	parts := separators.Split(strings.Trim(s, " -_./"), -1)
	var prefix, year, number, check string
	switch {
	case len(parts) == 4:
		prefix, year, number, check = parts[0], parts[1], parts[2], parts[3]
	case len(parts) == 3 && len(parts[2]) > checkLen && startsWithPrefix(parts[0]):
		// MTC-2026-000123K7QF: the last dash forgotten.
		prefix, year = parts[0], parts[1]
		number, check = parts[2][:len(parts[2])-checkLen], parts[2][len(parts[2])-checkLen:]
	default:
		compact := strings.Join(parts, "")
		p := cs.Prefix
		if !strings.HasPrefix(compact, p) {
			p = leadingLetters(compact)
		}
		rest := compact[len(p):]
		if len(rest) != 4+6+checkLen {
			return Code{}, ErrCodeFormat
		}
		prefix, year, number, check = p, rest[:4], rest[4:10], rest[10:]
	}
	if !prefixRe.MatchString(prefix) {
		return Code{}, ErrCodeFormat
	}
	y, err1 := strconv.Atoi(digits(year))
	n, err2 := strconv.ParseInt(digits(number), 10, 64)
	check = digits(check)
	if err1 != nil || err2 != nil || len(year) != 4 || len(number) == 0 || len(number) > 9 || n <= 0 || len(check) != checkLen {
		return Code{}, ErrCodeFormat
	}
	for _, r := range check {
		if !strings.ContainsRune(crockford, r) {
			return Code{}, ErrCodeFormat
		}
	}
	return Code{Prefix: prefix, Year: y, Number: n, Check: check}, nil
}

// digits maps the letters read for digits back to them (Crockford's decoding).
func digits(s string) string {
	return strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(s)
}

func startsWithPrefix(s string) bool { return prefixRe.MatchString(s) }

func leadingLetters(s string) string {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' && i < 6 {
		i++
	}
	return s[:i]
}

// Find returns the first thing in text that reads as a tracking code of this
// town's prefix, as typed (check part cut short included, so that the citizen
// is told it is mistyped), and whether there is one.
func (cs *Codes) Find(text string) (string, bool) {
	m := cs.inText.FindString(text)
	return m, m != ""
}

// FindAmong returns the first thing in text that reads as a tracking code of
// a prefix known says is one of the deployment's (a commune's, or the
// fallback), as typed, with its prefix upper-cased.
func (cs *Codes) FindAmong(text string, known func(prefix string) bool) (typed, prefix string, ok bool) {
	for _, m := range anyInText.FindAllStringSubmatch(text, -1) {
		if p := strings.ToUpper(m[1]); known(p) {
			return m[0], p, true
		}
	}
	return "", "", false
}
