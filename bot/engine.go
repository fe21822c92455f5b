// Package bot is the understanding engine and its decision policy. A message goes
// through normalisation (case, accents, elisions, SMS shorthand, spelling
// correction against the knowledge base's own vocabulary, Snowball stemming), a
// reading for its need (focus.go: the clauses that ask weigh more than the story
// around them; each question of a message that asks several is read on its own),
// fielded retrieval over every entry's question, alternatives, answer, theme and
// service (fields.go, BM25F) combined with phrasing similarity and an averaged
// perceptron trained on the phrasings (index.go, weights fitted in
// ranking_test.go), a calibrated confidence (calibrate_test.go), and a decision:
// ANSWERED, CLARIFY, UNANSWERED, SMALLTALK or HANDOFF. [Evaluate],
// [CrossValidate] and [Report.Details] are behind `parvis eval`.
//
// The French text handling itself (folding, words, shorthand, stopwords, synonyms,
// the speller, the stemmer, the lexicon of correct words) lives in package french,
// which mining reads questions with too; this package decides how much each step
// weighs (a corrected word, a synonym, a stem-only match, a greeting).
//
// The [Engine] holds the current [Index] behind an atomic pointer: a new knowledge
// base version is indexed aside and swapped in, so the next message uses it and no
// message waits.
package bot

import (
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/parvis-civic/parvis/kb"
)

// Outcome is the kind of decision taken on a message.
type Outcome string

// Outcomes, as in the GraphQL schema.
const (
	Answered   Outcome = "ANSWERED"
	Clarify    Outcome = "CLARIFY"
	Unanswered Outcome = "UNANSWERED"
	Smalltalk  Outcome = "SMALLTALK"
	Handoff    Outcome = "HANDOFF"
)

// Config holds the decision thresholds. The zero value is not useful: start from
// [DefaultConfig].
type Config struct {
	// AnswerThreshold is the confidence from which the best entry is given at once.
	AnswerThreshold float64
	// ClarifyThreshold is the confidence from which close candidates are offered
	// as choices rather than admitting the question is not understood.
	ClarifyThreshold float64
	// ClarifyBand is how close (in combined score, relative to the best) a
	// candidate must be to be offered as a choice.
	ClarifyBand float64
	// MaxChoices bounds the choices of a CLARIFY (2 or 3).
	MaxChoices int
}

// DefaultConfig returns the thresholds tuned on the project's dev set (see README).
func DefaultConfig() Config {
	return Config{AnswerThreshold: 0.45, ClarifyThreshold: 0.3, ClarifyBand: 0.85, MaxChoices: 3}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.AnswerThreshold <= 0 || c.AnswerThreshold > 1:
		return fmt.Errorf("bot: answer threshold %v must be in (0, 1]", c.AnswerThreshold)
	case c.ClarifyThreshold <= 0 || c.ClarifyThreshold > c.AnswerThreshold:
		return fmt.Errorf("bot: clarify threshold %v must be in (0, answer threshold]", c.ClarifyThreshold)
	case c.ClarifyBand <= 0 || c.ClarifyBand >= 1:
		return fmt.Errorf("bot: clarify band %v must be in (0, 1)", c.ClarifyBand)
	case c.MaxChoices < 2 || c.MaxChoices > 3:
		return fmt.Errorf("bot: max choices %d must be 2 or 3", c.MaxChoices)
	}
	return nil
}

// ambiguousBand is the clarify band of a message made of one shared word.
const ambiguousBand = 0.5

// Decision is what the engine decided on one message, with what it considered.
type Decision struct {
	Outcome    Outcome
	Confidence float64
	Entry      *kb.Entry   // the chosen entry (ANSWERED, SMALLTALK, HANDOFF)
	Choices    []*kb.Entry // the choices offered (CLARIFY)
	Candidates []Candidate // the best candidates, best first, whatever the outcome
	KBVersion  string
	Latency    time.Duration
	Terms      string // the analyzed stems, for analysts
}

// Engine decides on messages against the current knowledge base. It is safe for
// concurrent use.
type Engine struct {
	cfg  Config
	lang *Language
	cur  atomic.Pointer[snapshot]
}

type snapshot struct {
	ix      *Index
	version string
}

// New returns an engine over entries. lang may be nil (see [NewLanguage]).
func New(cfg Config, entries []kb.Entry, version string, lang *Language) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, lang: lang}
	e.Swap(entries, version)
	return e, nil
}

// Swap indexes a new version of the knowledge base and makes it current. Messages
// being decided finish on the version they started with.
func (e *Engine) Swap(entries []kb.Entry, version string) {
	e.cur.Store(&snapshot{ix: NewIndex(entries, e.lang), version: version})
}

// Index returns the current index.
func (e *Engine) Index() *Index { return e.cur.Load().ix }

// Version returns the current knowledge base version.
func (e *Engine) Version() string { return e.cur.Load().version }

// Decide takes a decision on one citizen message.
func (e *Engine) Decide(text string, audience kb.Audience) Decision {
	start := time.Now()
	snap := e.cur.Load()
	d := e.decide(snap.ix, text, audience)
	d.KBVersion = snap.version
	d.Latency = time.Since(start)
	return d
}

func (e *Engine) decide(ix *Index, text string, audience kb.Audience) Decision {
	// Each view of the message (see [Index.views]) is searched. The first
	// question of a message that asks several is answered when it can be; else
	// the most confident view decides, the first on a tie.
	var a analyzed
	d := Decision{Outcome: Unanswered}
	for i, v := range ix.views(text) {
		cs := ix.search(v, audience, 5)
		if len(cs) == 0 {
			if i == 0 {
				a, d.Terms = v, v.describe()
			}
			continue
		}
		c := confidence(v, cs)
		if i == 1 && c >= e.cfg.AnswerThreshold {
			a, d.Candidates, d.Confidence, d.Terms = v, cs, c, v.describe()
			break
		}
		if d.Candidates == nil || c > d.Confidence {
			a, d.Candidates, d.Confidence, d.Terms = v, cs, c, v.describe()
		}
	}
	if len(d.Candidates) == 0 {
		return d
	}
	best := d.Candidates[0]
	band := e.cfg.ClarifyBand
	if ix.ambiguous(a) {
		// One word that several entries share: ask which one, from a wider set.
		d.Confidence = min(d.Confidence, (e.cfg.AnswerThreshold+e.cfg.ClarifyThreshold)/2)
		band = ambiguousBand
	}
	switch {
	case d.Confidence >= e.cfg.AnswerThreshold:
		d.Entry = best.Entry
		d.Outcome = outcomeOf(best.Entry)
	case d.Confidence >= e.cfg.ClarifyThreshold:
		for _, c := range d.Candidates {
			if c.Score < band*best.Score || len(d.Choices) == e.cfg.MaxChoices {
				break
			}
			if c.Entry.Kind == kb.KindAnswer {
				d.Choices = append(d.Choices, c.Entry)
			}
		}
		if len(d.Choices) >= 2 {
			d.Outcome = Clarify
		} else {
			d.Choices = nil
		}
	}
	return d
}

func outcomeOf(e *kb.Entry) Outcome {
	switch e.Kind {
	case kb.KindSmalltalk:
		return Smalltalk
	case kb.KindHandoff:
		return Handoff
	}
	return Answered
}

// confidence maps the best candidate's scores to a probability that it is right,
// with a logistic model fitted on the dev set (bot/testdata/dev.jsonl, see
// calibrate_test.go): its inputs are [confidenceInputs].
func confidence(a analyzed, cs []Candidate) float64 {
	z := calibration[0]
	for i, x := range confidenceInputs(a, cs) {
		z += calibration[i+1] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// confidenceInputs are the combined score of the best candidate, its margin over
// the runner-up (absolute and relative to its score), the share of the message it explains, its best phrasing
// similarity, the share of its best phrasing found in the message, the share of
// the message made of the knowledge base's vocabulary, the message's length in
// content words (log), the rarity of the rarest word it shares with the entry's
// phrasings, the classifier's score, and the similarity of the message to the
// closest question outside the knowledge base, and its fielded score.
func confidenceInputs(a analyzed, cs []Candidate) []float64 {
	// The margin is taken over the runner-up of the same provenance: the town's
	// entry and a national fiche on the same topic do not make each other
	// doubtful.
	s1 := cs[0].Score
	margin := s1
	first := kb.Provenance(cs[0].Entry.Tenant, cs[0].Entry.Source)
	for _, c := range cs[1:] {
		if kb.Provenance(c.Entry.Tenant, c.Entry.Source) == first {
			margin = s1 - c.Score
			break
		}
	}
	margin = max(margin, 0)
	// Relative to the best score, but never to less than a fair one: a weak
	// best with nothing behind it is not a clear winner.
	relative := margin / max(s1, fairScore)
	return []float64{s1, margin, relative, cs[0].Coverage, cs[0].Phrasing, cs[0].Matched, a.known, math.Log1p(float64(len(a.terms))),
		cs[0].Strongest, cs[0].Classifier, cs[0].Background, cs[0].Fielded}
}

// fairScore is the combined score of a fair match, below which a margin is not
// taken relative to the best score.
const fairScore = 0.35

// calibration holds the intercept and the weights of [confidenceInputs].
var calibration = []float64{-4.336, 1.367, 1.587, 2.869, -0.527, 0.243, 1.106, 2.787, 0.535, -0.641, -0.333, -2.099, 1.780}

// Handoff returns the entry that puts a citizen in touch with a person, if the
// knowledge base has one.
func (e *Engine) Handoff() (*kb.Entry, bool) {
	for _, en := range e.Index().entries {
		if en.Kind == kb.KindHandoff {
			return en, true
		}
	}
	return nil, false
}
