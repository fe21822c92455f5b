package bot

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

var updateGolden = flag.Bool("update", false, "rewrite the generated files (testdata/dev.decisions.golden from the engine, needs.txt from the mining tuning sets) as they are")

// describeDecisions writes every decision on the cases with every score in
// full precision: two engines that print the same are the same to the last bit.
func describeDecisions(e *Engine, cases []Case) string {
	var b strings.Builder
	for _, c := range cases {
		d := e.Decide(c.Text, "")
		fmt.Fprintf(&b, "%d %s %s %s", c.Line, d.Outcome, strconv.FormatFloat(d.Confidence, 'g', -1, 64), d.Terms)
		if d.Entry != nil {
			fmt.Fprintf(&b, " entry=%s", d.Entry.ID)
		}
		for _, ch := range d.Choices {
			fmt.Fprintf(&b, " choice=%s", ch.ID)
		}
		for _, cand := range d.Candidates {
			fmt.Fprintf(&b, " %s:%s", cand.Entry.ID, strconv.FormatFloat(cand.Score, 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestLexicalDecisionsUnchanged holds the decisions on the dev set to those the
// lexical engine took before the semantic option existed: with no embedder, and
// with the option given a nil one, the engine is the same to the last bit.
func TestLexicalDecisionsUnchanged(t *testing.T) {
	const golden = "testdata/dev.decisions.golden"
	cases := readSet(t, "testdata/dev.jsonl")
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	e, err := New(DefaultConfig(), kb.Demo(), "test", lang)
	if err != nil {
		t.Fatal(err)
	}
	got := describeDecisions(e, cases)
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("decisions on the dev set differ from %s:\n%s", golden, firstDiff(got, string(want)))
	}
	off, err := New(DefaultConfig(), kb.Demo(), "test", lang, WithEmbedder(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := describeDecisions(off, cases); got != string(want) {
		t.Errorf("with WithEmbedder(nil), decisions on the dev set differ from %s:\n%s", golden, firstDiff(got, string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "got:  " + g[i] + "\nwant: " + w[i]
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
