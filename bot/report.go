package bot

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// Details is the full account of an evaluation for the people who tune a
// knowledge base or the engine (`parvis eval --report FILE`): every case that
// did not get its expected outcome at once, with the candidates the engine
// weighed, the confusions between entries, and the recall of every entry.
type Details struct {
	Figures    Report        `json:"figures"`
	Failures   []Failure     `json:"failures"`
	Confusions []Confusion   `json:"confusions"`
	Entries    []EntryRecall `json:"entries"`
}

// Failure is a case whose citizen did not get the expected outcome at once: a
// wrong answer, a CLARIFY, an UNANSWERED for a covered question, or an answer to
// a question that no entry covers.
type Failure struct {
	Line       int           `json:"line"`
	Text       string        `json:"text"`
	Expected   string        `json:"expected"`
	Got        string        `json:"got"` // entry id, "none", or "clarify:a|b"
	Outcome    Outcome       `json:"outcome"`
	Confidence float64       `json:"confidence"`
	Rank       int           `json:"expected_rank"` // rank of the expected entry among the candidates, 0 when absent
	Terms      string        `json:"terms"`         // the words the engine kept
	Candidates []ScoredEntry `json:"candidates"`
}

// ScoredEntry is a candidate with its score and the parts of it.
type ScoredEntry struct {
	ID       string  `json:"id"`
	Score    float64 `json:"score"`
	Phrasing float64 `json:"phrasing"`
	Coverage float64 `json:"coverage"`
	Classify float64 `json:"classifier"`
	Semantic float64 `json:"semantic,omitempty"` // with an embedder only
	Passage  float64 `json:"passage,omitempty"`  // the best sentence of its answer (an entry without alternatives nor reference text)
}

// Confusion counts the cases of one expected entry that got one other outcome.
type Confusion struct {
	Expected string `json:"expected"`
	Got      string `json:"got"`
	Count    int    `json:"count"`
}

// EntryRecall is how the cases expecting one entry fared.
type EntryRecall struct {
	ID       string  `json:"id"`
	Cases    int     `json:"cases"`
	Top1     int     `json:"top1"`
	Answered int     `json:"answered"` // answered with this entry at once
	Recall   float64 `json:"recall"`   // answered / cases
}

// Details returns the full account of the evaluation.
func (r Report) Details() Details {
	d := Details{Figures: r}
	confusions := map[[2]string]int{}
	recall := map[string]*EntryRecall{}
	for _, res := range r.Results {
		c, dec := res.Case, res.Decision
		right := c.Expected == None && dec.Outcome == Unanswered ||
			dec.Entry != nil && answering(dec.Outcome) && dec.Entry.ID == c.Expected
		if c.Expected != None {
			er := recall[c.Expected]
			if er == nil {
				er = &EntryRecall{ID: c.Expected}
				recall[c.Expected] = er
			}
			er.Cases++
			if res.rank() == 1 {
				er.Top1++
			}
			if right {
				er.Answered++
			}
		}
		if right {
			continue
		}
		f := Failure{Line: c.Line, Text: c.Text, Expected: c.Expected, Got: res.Got(), Outcome: dec.Outcome,
			Confidence: round3(dec.Confidence), Rank: res.rank(), Terms: dec.Terms}
		for _, cand := range dec.Candidates {
			f.Candidates = append(f.Candidates, ScoredEntry{ID: cand.Entry.ID, Score: round3(cand.Score),
				Phrasing: round3(cand.Phrasing), Coverage: round3(cand.Coverage), Classify: round3(cand.Classifier), Semantic: round3(cand.Semantic), Passage: round3(cand.Passage)})
		}
		d.Failures = append(d.Failures, f)
		confusions[[2]string{c.Expected, f.Got}]++
	}
	for k, n := range confusions {
		d.Confusions = append(d.Confusions, Confusion{Expected: k[0], Got: k[1], Count: n})
	}
	sort.Slice(d.Confusions, func(i, j int) bool {
		a, b := d.Confusions[i], d.Confusions[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Expected != b.Expected {
			return a.Expected < b.Expected
		}
		return a.Got < b.Got
	})
	for _, er := range recall {
		er.Recall = ratio(er.Answered, er.Cases)
		d.Entries = append(d.Entries, *er)
	}
	// Worst entries first: those are the ones to work on.
	sort.Slice(d.Entries, func(i, j int) bool {
		a, b := d.Entries[i], d.Entries[j]
		if a.Recall != b.Recall {
			return a.Recall < b.Recall
		}
		return a.ID < b.ID
	})
	return d
}

// WriteJSON writes the details as one indented JSON object.
func (d Details) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteText writes the details for reading, in French like the rest of the
// command's output.
func (d Details) WriteText(w io.Writer) error {
	d.Figures.writeFigures(w)
	fmt.Fprintf(w, "\nÉchecs (%d) : attendu, obtenu, puis les candidats avec leur score (formulation, couverture, classifieur)\n", len(d.Failures))
	for _, f := range d.Failures {
		fmt.Fprintf(w, "\nl.%d %q\n  attendu %s (rang %d), obtenu %s (%s, confiance %.2f) [%s]\n",
			f.Line, f.Text, f.Expected, f.Rank, f.Got, f.Outcome, f.Confidence, f.Terms)
		for _, c := range f.Candidates {
			fmt.Fprintf(w, "    %.3f  %-40s (%.2f, %.2f, %.2f", c.Score, c.ID, c.Phrasing, c.Coverage, c.Classify)
			if c.Passage > 0 {
				fmt.Fprintf(w, ", phrase de la réponse %.2f", c.Passage)
			}
			fmt.Fprintln(w, ")")
		}
	}
	fmt.Fprintf(w, "\nConfusions (attendu → obtenu) :\n")
	for _, c := range d.Confusions {
		fmt.Fprintf(w, "  %4d  %s → %s\n", c.Count, c.Expected, c.Got)
	}
	fmt.Fprintf(w, "\nRappel par entrée (répondu juste / cas), les plus faibles d'abord :\n")
	for _, e := range d.Entries {
		fmt.Fprintf(w, "  %.3f  %3d/%-3d top1 %3d  %s\n", e.Recall, e.Answered, e.Cases, e.Top1, e.ID)
	}
	return nil
}
