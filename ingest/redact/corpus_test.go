package redact

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

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
