package bot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// miningLine is a line of the mining test sets: a citizen's message and the
// need it expresses ("covered:ID" for a question the demo town answers,
// "noise" for jokes, weather, typing tests).
type miningLine struct {
	Text  string `json:"text"`
	Topic string `json:"topic"`
}

func readMiningLines(t testing.TB, files []string) []miningLine {
	t.Helper()
	var out []miningLine
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			var m miningLine
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("%s:%d: %v", f, i+1, err)
			}
			out = append(out, m)
		}
	}
	return out
}

// uncovered reports a message about a need the demo town has no entry for.
func (m miningLine) uncovered() bool {
	return m.Topic != "noise" && !strings.HasPrefix(m.Topic, "covered:")
}

// needsCorpus makes needs.txt from the mining tuning sets: every message about
// an uncovered need, once, on one line.
func needsCorpus(t testing.TB) string {
	files, _ := filepath.Glob("../mining/testdata/tune/*.jsonl")
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatal("no mining tuning set under ../mining/testdata/tune")
	}
	var b strings.Builder
	b.WriteString(`# Citizens' questions about everyday needs that a town's knowledge base often
# does not answer (see everyday.go), as people wrote them: the needs of the
# mining tuning sets (mining/testdata/tune), each written by someone who read
# only the demo town's catalogue. One a line. Made from those sets by
# ` + "`go test ./bot -run TestNeedsCorpus -update`" + `; never from the held-out sets.
`)
	// A message that a held-out set also holds (short keywords two writers
	// both wrote: « objets trouvés ») is left out, so that those sets measure
	// the corpus on messages it does not hold.
	seen := map[string]bool{}
	held, _ := filepath.Glob("../mining/testdata/mining-*.jsonl")
	for _, m := range readMiningLines(t, held) {
		seen[strings.Join(strings.Fields(m.Text), " ")] = true
	}
	for _, m := range readMiningLines(t, files) {
		text := strings.Join(strings.Fields(m.Text), " ")
		if m.uncovered() && text != "" && !strings.HasPrefix(text, "#") && !seen[text] {
			seen[text] = true
			b.WriteString(text + "\n")
		}
	}
	return b.String()
}

// TestNeedsCorpus checks that needs.txt is made from the mining tuning sets as
// they are.
func TestNeedsCorpus(t *testing.T) {
	want := needsCorpus(t)
	if *updateGolden {
		if err := os.WriteFile("needs.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return // the test binary embeds the file as it was
	}
	if needsText != want {
		t.Fatal("needs.txt is not made from mining/testdata/tune as it is: run go test ./bot -run TestNeedsCorpus -update")
	}
}

// TestUncoveredNeedsLeftUnanswered asks the demo knowledge base the mining
// sets that were never tuned on (other writers, other needs): a question about
// a need the town has no entry for must mostly stay unanswered (it is unmet
// demand), and what is answered must mostly be right. Without the citizens'
// needs in the background (needs.txt) none_recall was 0.715 and
// answered_accuracy 0.473; with them 0.813 and 0.562; with [closerOutside]
// 0.858 and 0.619.
func TestUncoveredNeedsLeftUnanswered(t *testing.T) {
	held, _ := filepath.Glob("../mining/testdata/mining-*.jsonl")
	var cases []Case
	for _, m := range readMiningLines(t, held) {
		switch {
		case m.uncovered():
			cases = append(cases, Case{Text: m.Text, Expected: None})
		case m.Topic != "noise":
			cases = append(cases, Case{Text: m.Text, Expected: strings.TrimPrefix(m.Topic, "covered:")})
		}
	}
	e := demoEngine(t)
	r := Evaluate(e, cases)
	t.Logf("%d held-out mining messages: answered_correct %.3f answered_accuracy %.3f none_recall %.3f", len(cases), r.AnsweredCorrect, r.AnsweredAccuracy, r.NoneRecall)
	if r.NoneRecall < 0.83 || r.AnsweredAccuracy < 0.59 || r.AnsweredCorrect < 0.85 {
		t.Errorf("below the floors: none_recall 0.83, answered_accuracy 0.59, answered_correct 0.85")
	}
}

// TestCloserToACitizensQuestionIsUnanswered: a message that names an entry's
// subject (the médiathèque) but asks what the entry does not say (whether it
// buys old books) is answered by that entry, until citizens' questions hold
// one like it; then it stays unanswered, while the entry's own questions are
// still answered.
func TestCloserToACitizensQuestionIsUnanswered(t *testing.T) {
	ask := "la médiathèque rachète les vieux livres ?"
	covered := []string{"horaires de la médiathèque", "je voudrais emprunter des livres à la médiathèque"}
	decide := func() map[string]Decision {
		e := demoEngine(t)
		out := map[string]Decision{}
		for _, q := range append([]string{ask}, covered...) {
			out[q] = e.Decide(q, "")
		}
		return out
	}
	before := decide()
	if d := before[ask]; d.Outcome != Answered || d.Entry.ID != "mediatheque" {
		t.Fatalf("without a citizens' question like it: %s %v, want the médiathèque answered", d.Outcome, d.Entry)
	}
	saved := everydayQuestions
	everydayQuestions = append(slices.Clone(saved), "Est-ce que la médiathèque rachète les vieux livres et les BD d'occasion ?")
	defer func() { everydayQuestions = saved }()
	after := decide()
	d := after[ask]
	cfg := DefaultConfig()
	if d.Outcome != Unanswered || !closerOutside(d.Candidates[0]) || d.Confidence != min(cfg.ClarifyThreshold, cfg.LongAnswerThreshold)/2 {
		t.Errorf("with a citizens' question like it: %s (confidence %.3f), want unanswered by closerOutside", d.Outcome, d.Confidence)
	}
	for _, q := range covered {
		if d := after[q]; d.Outcome != Answered || d.Entry.ID != "mediatheque" {
			t.Errorf("%q: %s %v, want the médiathèque still answered", q, d.Outcome, d.Entry)
		}
	}
}
