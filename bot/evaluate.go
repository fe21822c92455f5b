package bot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/kb"
)

// None is the expected entry of a case that no entry answers.
const None = "none"

// Case is one comprehension test: a message and the entry that should answer it.
type Case struct {
	Text     string `json:"text"`
	Expected string `json:"expected"`
	Line     int    `json:"-"`
}

// ReadCases reads cases, one JSON object a line; extra fields are ignored. Every
// bad line is reported with its number; nothing is returned if any is bad.
func ReadCases(r io.Reader, known func(id string) bool) ([]Case, error) {
	var (
		cases []Case
		errs  []string
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c struct {
			Text     *string `json:"text"`
			Expected *string `json:"expected"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			errs = append(errs, fmt.Sprintf("ligne %d : JSON illisible (%v)", n, err))
			continue
		}
		switch {
		case c.Text == nil:
			errs = append(errs, fmt.Sprintf("ligne %d : champ « text » manquant", n))
		case c.Expected == nil || *c.Expected == "":
			errs = append(errs, fmt.Sprintf("ligne %d : champ « expected » manquant (l'identifiant d'une entrée, ou « none »)", n))
		case *c.Expected != None && known != nil && !known(*c.Expected):
			errs = append(errs, fmt.Sprintf("ligne %d : l'entrée attendue « %s » n'est pas dans la base évaluée (--kb)", n, *c.Expected))
		default:
			cases = append(cases, Case{Text: *c.Text, Expected: *c.Expected, Line: n})
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%d cas illisible(s) :\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("aucun cas : une ligne par cas, {\"text\": …, \"expected\": …}")
	}
	return cases, nil
}

// Report holds the figures of an evaluation, as `parvis eval --json` prints them.
type Report struct {
	Cases            int     `json:"cases"`
	Top1             float64 `json:"top1"`
	Top3             float64 `json:"top3"`
	AnsweredCorrect  float64 `json:"answered_correct"`
	Resolved         float64 `json:"resolved"`
	AnsweredAccuracy float64 `json:"answered_accuracy"`
	NonePrecision    float64 `json:"none_precision"`
	NoneRecall       float64 `json:"none_recall"`
	P50Ms            float64 `json:"p50_ms"`
	P99Ms            float64 `json:"p99_ms"`

	Results []Result `json:"-"`
}

// Result is the decision taken on one case.
type Result struct {
	Case     Case
	Decision Decision
}

// Got returns the entry id that the decision gave, "none" when it gave none, or
// "clarify:a|b" for a CLARIFY.
func (r Result) Got() string {
	switch {
	case r.Decision.Entry != nil:
		return r.Decision.Entry.ID
	case r.Decision.Outcome == Clarify:
		ids := make([]string, len(r.Decision.Choices))
		for i, c := range r.Decision.Choices {
			ids[i] = c.ID
		}
		return "clarify:" + strings.Join(ids, "|")
	}
	return None
}

func (r Result) rank() int {
	for i, c := range r.Decision.Candidates {
		if c.Entry.ID == r.Case.Expected {
			return i + 1
		}
	}
	return 0
}

// resolved reports whether the citizen got what the case expects: the right
// answer, the right entry among the choices, or an honest "not answered".
func (r Result) resolved() bool {
	d := r.Decision
	switch {
	case r.Case.Expected == None:
		return d.Outcome == Unanswered
	case d.Entry != nil:
		return d.Entry.ID == r.Case.Expected
	case d.Outcome == Clarify:
		return slices.ContainsFunc(d.Choices, func(x *kb.Entry) bool { return x.ID == r.Case.Expected })
	}
	return false
}

func answering(o Outcome) bool { return o == Answered || o == Smalltalk || o == Handoff }

// Evaluate decides every case and computes the figures of the contract.
func Evaluate(e *Engine, cases []Case) Report {
	results := make([]Result, 0, len(cases))
	for _, c := range cases {
		results = append(results, Result{Case: c, Decision: e.Decide(c.Text, "")})
	}
	return figures(results)
}

// CrossValidate holds out each k-th of every entry's alternatives in turn,
// builds an engine without them and asks them, expecting their entry: it says how
// well the engine generalises from the phrasings that experts write, on any
// knowledge base. Each held-out alternative is a case (its line is its rank among
// the held-out ones). opts are the engine's (see [New]).
func CrossValidate(cfg Config, entries []kb.Entry, lang *Language, k int, opts ...Option) (Report, error) {
	return CrossValidateWith(cfg, entries, lang, k, nil, opts...)
}

// CrossValidateWith is [CrossValidate] telling progress, when not nil, after
// each fold: each builds an engine, which takes a while on a large base.
func CrossValidateWith(cfg Config, entries []kb.Entry, lang *Language, k int, progress func(done, folds int), opts ...Option) (Report, error) {
	if k < 2 {
		return Report{}, fmt.Errorf("bot: cross-validation needs 2 folds or more, not %d", k)
	}
	var results []Result
	for f := range k {
		train, test := splitFold(entries, f, k)
		e, err := New(cfg, train, fmt.Sprintf("fold %d/%d", f+1, k), lang, opts...)
		if err != nil {
			return Report{}, err
		}
		for _, h := range test {
			c := Case{Text: h.text, Expected: h.id, Line: len(results) + 1}
			results = append(results, Result{Case: c, Decision: e.Decide(c.Text, "")})
		}
		if progress != nil {
			progress(f+1, k)
		}
	}
	if len(results) == 0 {
		return Report{}, fmt.Errorf("bot: no alternatives to cross-validate: entries need alternatives besides their question")
	}
	return figures(results), nil
}

// heldOut is an alternative taken out of its entry for cross-validation.
type heldOut struct{ text, id string }

// splitFold splits the answering entries' alternatives: the f-th of every k goes
// to test, the rest stays in the returned copies of the entries.
func splitFold(entries []kb.Entry, f, k int) (train []kb.Entry, test []heldOut) {
	for _, e := range entries {
		alts := e.Alternatives
		e.Alternatives = nil
		for i, alt := range alts {
			if i%k == f && e.Answering() {
				test = append(test, heldOut{alt, e.ID})
			} else {
				e.Alternatives = append(e.Alternatives, alt)
			}
		}
		train = append(train, e)
	}
	return train, test
}

// figures computes the figures of the contract from decisions taken.
func figures(results []Result) Report {
	r := Report{Cases: len(results), Results: results}
	lat := make([]time.Duration, 0, len(results))
	var withEntry, top1, top3, correct, resolved, answers, answersRight int
	var noneCases, unanswered, unansweredNone int
	for _, res := range results {
		c, d := res.Case, res.Decision
		lat = append(lat, d.Latency)
		ans := answering(d.Outcome) && d.Entry != nil
		if ans {
			answers++
			if d.Entry.ID == c.Expected {
				answersRight++
			}
		}
		if d.Outcome == Unanswered {
			unanswered++
			if c.Expected == None {
				unansweredNone++
			}
		}
		if c.Expected == None {
			noneCases++
			continue
		}
		withEntry++
		switch k := res.rank(); {
		case k == 1:
			top1++
			top3++
		case k > 1 && k <= 3:
			top3++
		}
		if ans && d.Entry.ID == c.Expected {
			correct++
			resolved++
		} else if d.Outcome == Clarify && slices.ContainsFunc(d.Choices, func(x *kb.Entry) bool { return x.ID == c.Expected }) {
			resolved++
		}
	}
	r.Top1 = ratio(top1, withEntry)
	r.Top3 = ratio(top3, withEntry)
	r.AnsweredCorrect = ratio(correct, withEntry)
	r.Resolved = ratio(resolved, withEntry)
	r.AnsweredAccuracy = ratio(answersRight, answers)
	r.NonePrecision = ratio(unansweredNone, unanswered)
	r.NoneRecall = ratio(unansweredNone, noneCases)
	slices.Sort(lat)
	r.P50Ms = percentile(lat, 0.50)
	r.P99Ms = percentile(lat, 0.99)
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round3(float64(a) / float64(b))
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1)*p + 0.5)
	return float64(sorted[i].Microseconds()) / 1000
}

// WriteText prints the figures and what went wrong: errors per expected entry,
// the most frequent confusions, and the worst cases (confident and wrong first).
func (r Report) WriteText(w io.Writer) {
	r.writeFigures(w)
	var wrong []Result
	perEntry := map[string]int{}
	confusions := map[string]int{}
	for _, res := range r.Results {
		if res.resolved() {
			continue
		}
		got := res.Got()
		wrong = append(wrong, res)
		perEntry[res.Case.Expected]++
		confusions[res.Case.Expected+" → "+got]++
	}
	if len(wrong) == 0 {
		return
	}
	fmt.Fprintf(w, "\nErreurs par entrée attendue :\n")
	for _, kv := range sortedCounts(perEntry) {
		fmt.Fprintf(w, "  %4d  %s\n", kv.n, kv.k)
	}
	fmt.Fprintf(w, "\nConfusions les plus fréquentes :\n")
	for i, kv := range sortedCounts(confusions) {
		if i == 15 {
			break
		}
		fmt.Fprintf(w, "  %4d  %s\n", kv.n, kv.k)
	}
	sort.SliceStable(wrong, func(i, j int) bool { return wrong[i].Decision.Confidence > wrong[j].Decision.Confidence })
	fmt.Fprintf(w, "\nPires cas (les plus confiants d'abord) :\n")
	for i, res := range wrong {
		if i == 25 {
			break
		}
		fmt.Fprintf(w, "  l.%d %q\n      attendu %s, obtenu %s (%s, confiance %.2f) [%s]\n",
			res.Case.Line, res.Case.Text, res.Case.Expected, res.Got(), res.Decision.Outcome, res.Decision.Confidence, res.Decision.Terms)
	}
}

type countKV struct {
	k string
	n int
}

func sortedCounts(m map[string]int) []countKV {
	out := make([]countKV, 0, len(m))
	for k, n := range m {
		out = append(out, countKV{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].k < out[j].k
	})
	return out
}

// writeFigures prints the figures of the contract, one theme a line.
func (r Report) writeFigures(w io.Writer) {
	fmt.Fprintf(w, "%d cas\n", r.Cases)
	fmt.Fprintf(w, "  top1 %.3f   top3 %.3f\n", r.Top1, r.Top3)
	fmt.Fprintf(w, "  répondu juste (answered_correct) %.3f   résolu (resolved) %.3f\n", r.AnsweredCorrect, r.Resolved)
	fmt.Fprintf(w, "  justesse des réponses (answered_accuracy) %.3f\n", r.AnsweredAccuracy)
	fmt.Fprintf(w, "  hors périmètre : précision %.3f   rappel %.3f\n", r.NonePrecision, r.NoneRecall)
	fmt.Fprintf(w, "  latence p50 %.2f ms   p99 %.2f ms\n", r.P50Ms, r.P99Ms)
}
