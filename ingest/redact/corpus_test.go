package redact

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCorpus measures redaction on testdata/corpus.jsonl, the messages the rules
// were written against, and fails below what they reach. Run with -v for the
// figures per kind and the misses.
func TestCorpus(t *testing.T) {
	s := score(t, readCorpus(t, "corpus.jsonl"))
	s.report(t, "corpus")
	p, r := s.overall()
	if p < 0.98 || r < 0.98 {
		t.Errorf("corpus: precision %.3f, recall %.3f; want 0.98 at least", p, r)
	}
	for _, k := range s.kinds() {
		if p, r := s.of(k); p < 0.9 || r < 0.9 {
			t.Errorf("corpus: %s: precision %.3f, recall %.3f; want 0.9 at least", k, p, r)
		}
	}
	if s.leaks > 0 || s.touched > 0 {
		t.Errorf("corpus: %d pieces of personal data leak, %d messages without any are changed", s.leaks, s.touched)
	}
}

// TestHoldout reports redaction on testdata/holdout.jsonl, messages written with
// the corpus but never used to tune the rules: what to expect of messages no
// rule was written for. It fails on nothing, so that no rule is tuned to pass it.
func TestHoldout(t *testing.T) {
	score(t, readCorpus(t, "holdout.jsonl")).report(t, "holdout")
}

// scores counts, per kind, the spans found that are right (they cover personal
// data of their kind and nothing else) or wrong, and the pieces of personal data
// found whole under their kind or missed.
type scores struct {
	right, wrong, found, missed map[string]int
	leaks                       int // pieces of personal data not redacted whole, under any kind
	touched                     int // messages without personal data that redaction changed
	exact, messages             int // messages redacted exactly as annotated
	notes                       []string
}

func score(t *testing.T, lines []corpusLine) *scores {
	t.Helper()
	s := &scores{right: map[string]int{}, wrong: map[string]int{}, found: map[string]int{}, missed: map[string]int{}}
	for n, l := range lines {
		var want []span
		from := 0
		for i, pii := range l.PII {
			at := strings.Index(l.Text[from:], pii)
			if at < 0 {
				t.Fatalf("line %d: %q not in %q", n+1, pii, l.Text)
			}
			want = append(want, span{from + at, from + at + len(pii), l.Kinds[i]})
			from += at + len(pii)
		}
		got := find(l.Text)
		for _, w := range want {
			switch {
			case covered(l.Text, w, got, w.kind):
				s.found[w.kind]++
			default:
				s.missed[w.kind]++
				s.note("missed %s %q in %q", w.kind, l.Text[w.start:w.end], l.Text)
			}
			if !covered(l.Text, w, got, "") {
				s.leaks++
			}
		}
		for _, g := range got {
			if covered(l.Text, g, want, g.kind) && slices.ContainsFunc(want, func(w span) bool { return w.kind == g.kind && w.start < g.end && g.start < w.end }) {
				s.right[g.kind]++
			} else {
				s.wrong[g.kind]++
				s.note("wrong %s %q in %q", g.kind, l.Text[g.start:g.end], l.Text)
			}
		}
		if len(want) == 0 && len(got) > 0 {
			s.touched++
		}
		s.messages++
		if strings.TrimSpace(render(l.Text, want)) == strings.TrimSpace(render(l.Text, got)) {
			s.exact++
		}
	}
	return s
}

// covered tells whether every letter and digit of a lies in spans of kind (any
// kind if empty).
func covered(text string, a span, spans []span, kind string) bool {
	for i, r := range text[a.start:a.end] {
		if !isWord(r) {
			continue
		}
		at := a.start + i
		if !slices.ContainsFunc(spans, func(s span) bool { return (kind == "" || s.kind == kind) && s.start <= at && at < s.end }) {
			return false
		}
	}
	return true
}

func (s *scores) note(format string, args ...any) {
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

func (s *scores) kinds() []string {
	var ks []string
	for _, m := range []map[string]int{s.right, s.wrong, s.found, s.missed} {
		for k := range m {
			if !slices.Contains(ks, k) {
				ks = append(ks, k)
			}
		}
	}
	slices.Sort(ks)
	return ks
}

// of returns the precision and recall of a kind; 1 where nothing was to count.
func (s *scores) of(kind string) (precision, recall float64) {
	return ratio(s.right[kind], s.wrong[kind]), ratio(s.found[kind], s.missed[kind])
}

// overall returns the precision and recall over all kinds.
func (s *scores) overall() (precision, recall float64) {
	var right, wrong, found, missed int
	for _, k := range s.kinds() {
		right, wrong, found, missed = right+s.right[k], wrong+s.wrong[k], found+s.found[k], missed+s.missed[k]
	}
	return ratio(right, wrong), ratio(found, missed)
}

func ratio(good, bad int) float64 {
	if good+bad == 0 {
		return 1
	}
	return float64(good) / float64(good+bad)
}

func (s *scores) report(t *testing.T, name string) {
	t.Helper()
	for _, k := range s.kinds() {
		p, r := s.of(k)
		t.Logf("%s: %-15s precision %.3f (%d/%d)  recall %.3f (%d/%d)", name, k,
			p, s.right[k], s.right[k]+s.wrong[k], r, s.found[k], s.found[k]+s.missed[k])
	}
	p, r := s.overall()
	t.Logf("%s: %-15s precision %.3f  recall %.3f; %d leaks, %d clean messages changed, %d/%d messages exact",
		name, "overall", p, r, s.leaks, s.touched, s.exact, s.messages)
	for _, n := range s.notes {
		t.Logf("%s: %s", name, n)
	}
}

// A corpusLine is one message of testdata/corpus.jsonl or testdata/holdout.jsonl:
// its text and the personal data it holds, in order of appearance, pii[i] being
// of kind kinds[i]. A message without personal data has no kinds.
type corpusLine struct {
	Text  string   `json:"text"`
	Kinds []string `json:"kinds"`
	PII   []string `json:"pii"`
}

func readCorpus(tb testing.TB, name string) []corpusLine {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var lines []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var l corpusLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatalf("%s:%d: %v", name, n, err)
		}
		if len(l.Kinds) != len(l.PII) {
			tb.Fatalf("%s:%d: %d kinds for %d pieces of personal data", name, n, len(l.Kinds), len(l.PII))
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

// BenchmarkRedact redacts the corpus's messages, with and without personal data,
// and a message of the longest length accepted made of them.
func BenchmarkRedact(b *testing.B) {
	var msgs []string
	for _, l := range readCorpus(b, "corpus.jsonl") {
		msgs = append(msgs, l.Text)
	}
	var long strings.Builder
	for _, m := range msgs {
		if utf8.RuneCountInString(long.String())+utf8.RuneCountInString(m) >= 2000 {
			break
		}
		long.WriteString(m + " ")
	}
	for _, bb := range []struct {
		name string
		msgs []string
	}{{"corpus", msgs}, {"2000runes", []string{long.String()}}} {
		b.Run(bb.name, func(b *testing.B) {
			var size int64
			for _, m := range bb.msgs {
				size += int64(len(m))
			}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, m := range bb.msgs {
					Redact(m)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(bb.msgs)), "ns/message")
		})
	}
}
