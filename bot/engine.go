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
// Retrieval reads words. An [Embedder] given with [WithEmbedder] adds meaning
// (semantic.go): the knowledge base's phrasings and each message become vectors,
// and an entry's cosine with the message joins its score. Without one, nothing
// of that runs and the engine decides as it always has.
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
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parvis-civic/parvis/french"
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
	// A long message (LongFrom content words or more) scores low against every
	// entry, right or wrong: its story dilutes its need. It is answered from
	// LongAnswerThreshold when its best candidate stands out from the runner-up
	// by LongMargin at least (relative margin, see [relativeMargin]): what tells
	// a right first candidate from a wrong one in a long message is how clearly
	// it comes first, not how high it scores.
	LongFrom            int
	LongAnswerThreshold float64
	LongMargin          float64
}

// DefaultConfig returns the thresholds tuned on the project's tuning sets (see
// README): never on its held-out sets.
func DefaultConfig() Config {
	return Config{AnswerThreshold: 0.45, ClarifyThreshold: 0.3, ClarifyBand: 0.85, MaxChoices: 3,
		LongFrom: 12, LongAnswerThreshold: 0.25, LongMargin: 0.05}
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
	case c.LongFrom < 2:
		return fmt.Errorf("bot: long messages from %d content words: must be 2 or more", c.LongFrom)
	case c.LongAnswerThreshold <= 0 || c.LongAnswerThreshold > c.AnswerThreshold:
		return fmt.Errorf("bot: long message answer threshold %v must be in (0, answer threshold]", c.LongAnswerThreshold)
	case c.LongMargin < 0 || c.LongMargin >= 1:
		return fmt.Errorf("bot: long message margin %v must be in [0, 1)", c.LongMargin)
	}
	return nil
}

// alsoThreshold is the confidence from which another question of a message is
// offered after the answer to the first (see [Decision.Also]): higher than the
// answer threshold, for an offer the citizen did not clearly ask for is noise.
// Chosen on the tuning sets' messages that ask two things (long_engine, w2).
const alsoThreshold = 0.6

// ambiguousBand is the clarify band of a message made of one shared word.
const ambiguousBand = 0.5

// Decision is what the engine decided on one message, with what it considered.
type Decision struct {
	Outcome    Outcome
	Confidence float64
	Entry      *kb.Entry   // the chosen entry (ANSWERED, SMALLTALK, HANDOFF)
	Choices    []*kb.Entry // the choices offered (CLARIFY)
	// Also is the answer to another question of the same message (« … la
	// cantine ? Et pour les déchets verts ? »), when one is answered and
	// another asked in a sentence of its own is as clear: offered after the
	// answer rather than left unsaid.
	Also       *kb.Entry
	Candidates []Candidate // the best candidates, best first, whatever the outcome
	KBVersion  string
	Latency    time.Duration
	Terms      string // the analyzed stems, for analysts
	// Unread is true for a message UNANSWERED that holds no word the engine
	// knows, of French or of the knowledge base (« qsdfqsdf », « blablabla »,
	// an emoji alone): not a question the town could answer nor be asked to act
	// on, so the reply asks to write it otherwise.
	Unread bool
}

// Engine decides on messages against the current knowledge base. It is safe for
// concurrent use.
type Engine struct {
	cfg         Config
	lang        *Language
	emb         Embedder // nil: lexical only
	embedErrors atomic.Int64
	cur         atomic.Pointer[snapshot]

	convMu  sync.Mutex
	conv    map[string]*conversationIndex // by the kinds it holds
	contact string                        // the built-in hand-off's answer, if given (see [WithContact])
}

type snapshot struct {
	ix      *Index
	version string
}

// New returns an engine over entries. lang may be nil (see [NewLanguage]). With
// [WithEmbedder], an embedder that fails on the entries is an error.
func New(cfg Config, entries []kb.Entry, version string, lang *Language, opts ...Option) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, lang: lang}
	for _, o := range opts {
		o(e)
	}
	if err := e.Swap(entries, version); err != nil {
		return nil, err
	}
	return e, nil
}

// Swap indexes a new version of the knowledge base and makes it current. Messages
// being decided finish on the version they started with. With an embedder, the
// phrasings are embedded first; when that fails, the version is made current all
// the same, decided on words alone, and the error says so: a knowledge base
// change is never held back by the model.
func (e *Engine) Swap(entries []kb.Entry, version string) error {
	// A version that changes none of these entries (another commune's entry
	// changed) keeps the index it has: only the version moves on.
	if cur := e.cur.Load(); cur != nil && (e.emb == nil || cur.ix.sem != nil) && cur.ix.holds(entries) {
		e.cur.Store(&snapshot{ix: cur.ix, version: version})
		return nil
	}
	ix := NewIndex(entries, e.lang)
	ix.conversation = e.conversationFor(ix)
	var err error
	if e.emb != nil {
		var prev *semanticIndex
		if cur := e.cur.Load(); cur != nil {
			prev = cur.ix.sem
		}
		if ix.sem, err = newSemanticIndex(ix, e.emb, prev); err != nil {
			err = fmt.Errorf("bot: embed knowledge base version %q (decided on words alone): %w", version, err)
		}
	}
	e.cur.Store(&snapshot{ix: ix, version: version})
	return err
}

// Index returns the current index.
func (e *Engine) Index() *Index { return e.cur.Load().ix }

// Version returns the current knowledge base version.
func (e *Engine) Version() string { return e.cur.Load().version }

// Decide takes a decision on one citizen message.
func (e *Engine) Decide(text string, audience kb.Audience) Decision {
	start := time.Now()
	snap := e.cur.Load()
	var q []float32
	if snap.ix.sem != nil {
		q = e.embedQuery(text)
	}
	d := e.decide(snap.ix, text, q, audience)
	d.Unread = d.Outcome == Unanswered && !e.reads(snap.ix, text)
	d.KBVersion = snap.version
	d.Latency = time.Since(start)
	return d
}

// reads reports whether text holds a word the engine knows: a correct French
// word, or one of the knowledge base's. Without a lexicon it cannot tell, and
// says so.
func (e *Engine) reads(ix *Index, text string) bool {
	known := e.lang.lexicon()
	if known == nil {
		return true
	}
	for _, w := range french.Words(text) {
		if known.Known(w) || french.IsStopword(w) || ix.idf[french.Stem(w)] > 0 {
			return true
		}
	}
	return false
}

// decide takes the decision on text, whose unit vector q is nil when the engine
// reads words alone.
func (e *Engine) decide(ix *Index, text string, q []float32, audience kb.Audience) Decision {
	// A letter's formulas and signature say nothing of the need (see
	// [french.WithoutLetterFormulas]).
	text = french.WithoutLetterFormulas(text)
	// A greeting or a thanks with words that ask nothing (« bonsoir tout le
	// monde ») is decided on the greeting alone: the other words would only
	// draw an entry that uses them.
	if words, ok := french.CourtesyOnly(text); ok {
		text = strings.Join(words, " ")
	}
	if d, ok := conversational(ix.conversation, text, audience); ok {
		return d
	}
	// Each view of the message (see [Index.views]) is searched. The first
	// question of a message that asks several is answered when it can be; else
	// the most confident view decides, the first on a tie.
	var a analyzed
	d := Decision{Outcome: Unanswered}
	var questions []*kb.Entry // each question's clear answer, when it asks several
	firstClear := false
	for i, v := range ix.views(text) {
		v.vec = q
		cs := ix.search(v, audience, 5)
		if len(cs) == 0 {
			if i == 0 {
				a, d.Terms = v, v.describe()
			}
			continue
		}
		c := confidence(v, cs)
		if i >= 1 && c >= alsoThreshold && cs[0].Entry.Kind == kb.KindAnswer {
			questions = append(questions, cs[0].Entry)
		}
		if firstClear {
			continue
		}
		if i == 1 && c >= e.cfg.AnswerThreshold {
			a, d.Candidates, d.Confidence, d.Terms = v, cs, c, v.describe()
			firstClear = true
			continue
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
	// A doubt is a confidence between asking and answering: the choices are
	// offered.
	doubt := (e.cfg.AnswerThreshold + e.cfg.ClarifyThreshold) / 2
	if d.Confidence >= e.cfg.AnswerThreshold && addressedElsewhere(text, best.Entry) {
		d.Confidence = min(d.Confidence, doubt)
	}
	if ix.ambiguous(a) {
		// One word that several entries share: ask which one, from a wider set.
		d.Confidence = min(d.Confidence, doubt)
		band = ambiguousBand
	}
	switch {
	case d.Confidence >= e.cfg.AnswerThreshold, e.clearInLong(a, d):
		d.Entry = best.Entry
		d.Outcome = outcomeOf(best.Entry)
		if d.Outcome == Answered {
			for _, en := range questions {
				if en.ID != d.Entry.ID {
					d.Also = en
					break
				}
			}
		}
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

// clearInLong reports a long message whose best candidate clearly comes first
// (see [Config.LongFrom]).
func (e *Engine) clearInLong(a analyzed, d Decision) bool {
	return len(a.terms) >= e.cfg.LongFrom && d.Confidence >= e.cfg.LongAnswerThreshold &&
		relativeMargin(d.Candidates) >= e.cfg.LongMargin
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
// with a logistic model fitted on messages made from two knowledge bases and on
// citizens' own long and messy messages (see calibrate_test.go): its inputs are
// [confidenceInputs].
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
	// The best sentence of an answer (see passages.go) was not among the scores
	// the model was fitted on. The best candidate's own score is read without
	// it: with it, a FAQ's entries scored higher across the board, and on the
	// fresh FAQs of the tuning sets more questions were answered wrongly. The
	// margins read the ranking as it is, sentence included: a candidate that
	// its answer puts clearly first is more surely right (with the margins
	// without it too, the right answers the sentences bring were lost).
	s1 := cs[0].fitted
	margin := marginOf(cs)
	return []float64{s1, margin, relativeMargin(cs), cs[0].Coverage, cs[0].Phrasing, cs[0].Matched, a.known, math.Log1p(float64(len(a.terms))),
		cs[0].Strongest, cs[0].Classifier, cs[0].Background, cs[0].Fielded}
}

// marginOf returns the best candidate's lead over the runner-up: over the
// first candidate of its own provenance, and over any candidate of another
// provenance that comes before that one. A national fiche close behind the
// town's entry may be on its topic (the town's answer then loses a little
// confidence), or another need that some of the town's words match
// (« contester un PV de stationnement » and the residents' parking card): read
// over its own provenance alone, such a lead was the entry's whole score. Bases
// of one provenance have no other runner-up (README, « Ce que voient les
// habitants de la démo »).
func marginOf(cs []Candidate) float64 {
	s1 := cs[0].Score
	first := kb.Provenance(cs[0].Entry.Tenant, cs[0].Entry.Source)
	ahead := 0.0 // the best score of another provenance before the own runner-up
	for _, c := range cs[1:] {
		if kb.Provenance(c.Entry.Tenant, c.Entry.Source) == first {
			return max(s1-max(c.Score, ahead), 0)
		}
		ahead = max(ahead, c.Score)
	}
	return max(s1-ahead, 0)
}

// relativeMargin returns the best candidate's lead relative to its score, but
// never to less than a fair one: a weak best with nothing behind it is not a
// clear winner.
func relativeMargin(cs []Candidate) float64 {
	return marginOf(cs) / max(cs[0].Score, fairScore)
}

// fairScore is the combined score of a fair match, below which a margin is not
// taken relative to the best score.
const fairScore = 0.35

// calibration holds the intercept and the weights of [confidenceInputs], as
// TestCalibrate fitted them when the citizens' long and messy messages joined
// its samples. The engine has changed since, and a fit today gives other
// weights (-5.411, 1.282, 1.712, … on 2026-11-30); with any answer threshold
// from 0.35 to 0.45 they do no better on the tuning sets (more right answers on
// the service-public.fr paraphrases, fewer out-of-scope questions left
// unanswered on w2's messy set), so these stay until a refit wins.
var calibration = []float64{-4.506, 1.393, 1.466, 2.951, -0.242, 0.059, 1.191, 2.506, 0.641, -0.700, -0.006, -2.170, 1.842}

// Handoff returns the entry that puts a citizen in touch with a person, if the
// knowledge base has one.
func (e *Engine) Handoff() (*kb.Entry, bool) {
	ix := e.Index()
	if en, ok := ix.handoffEntry(); ok {
		return en, true
	}
	if ix.handoff != nil {
		return ix.handoff, true
	}
	if ix.conversation != nil {
		return ix.conversation.ix.handoffEntry()
	}
	return nil, false
}

// handoffEntry returns the index's first entry of kind handoff.
func (ix *Index) handoffEntry() (*kb.Entry, bool) {
	for _, en := range ix.entries {
		if en.Kind == kb.KindHandoff {
			return en, true
		}
	}
	return nil, false
}
