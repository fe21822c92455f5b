package bot

import (
	"cmp"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// answerWeight is how much a word of an entry's answer counts, against 1 for a word
// of its question or alternatives: answers are long and mention much in passing.
const answerWeight = 0.3

// Index is an immutable search structure over the answering entries of a knowledge
// base. It is safe for concurrent use; a new KB version builds a new Index, which
// the [Engine] swaps in atomically.
type Index struct {
	entries    []*kb.Entry
	byID       map[string]int
	spell      *french.Speller
	kinds      map[string]map[string]bool // kind noun → the words naming its kinds (see kindnouns.go)
	outside    map[string]map[string]bool // noun → the words naming its kinds in the background
	typos      map[string]string          // a misspelt word of the phrasings → the word (see [typosOf])
	idf        map[string]float64         // stem → inverse entry frequency
	df         map[string]int             // stem → entries whose phrasings hold it
	maxIDF     float64
	phrasings  []phrasing
	negatives  [][]phrasing         // entry → the phrasings it answered wrongly
	postings   map[string][]posting // stem → phrasings holding it
	entryTerms []map[string]float64 // entry → stem → weight (1 phrasing, answerWeight answer only)
	clf        *perceptron          // trained on the phrasings
	bg         *background          // questions outside the knowledge base
	fields     *fieldIndex          // BM25F over every field of the entries
	refs       *fieldIndex          // BM25 over the reference texts; nil when no entry has one
	passages   *passageIndex        // BM25 over the sentences of answers with nothing else; nil when none
	scratch    *scratchPool         // per-message working space
	plain      []bool               // entry → [plainAnswer]
	hasPlain   bool                 // some entry is plain
	facets     []french.Facets      // entry → what its question asks, for plain entries
	sem        *semanticIndex       // the phrasings' vectors; nil without an embedder

	conversation *conversationIndex // the built-in conversation entries; nil when the base has its own
	handoff      *kb.Entry          // the base's own entry for asking for a person, whatever its kind
	themes       []string           // see [Index.Themes]
}

// posting is one phrasing holding a stem, with the word that gave the stem there.
type posting struct {
	phrasing int32
	word     string
}

// courtesyWeight is the weight of a greeting or a thanks in a message that also
// asks something.
const courtesyWeight = 0.3

// subjectWeight is the weight of a match through another word of the subject
// a message's word names (see [french.SubjectWords]: « bus » meets an answer
// about a monthly « abonnement »), against 1 for the word itself; it counts
// for plain entries only (see [plainAnswer]). A FAQ as a town exports it says
// each thing once, in its own words, where the citizen uses others of the
// same subject; an entry with alternatives has its citizens' words already,
// and a subject's words there drew questions to the entries of a neighbouring
// need. Chosen on w52 (0.3 to 1); measured, never tuned on, on w53, w54 and
// w55 (README, « Les mots d'un même sujet »).
const subjectWeight = 0.5

// synonymWeight is the weight of a match through a synonym (see
// [french.Synonyms]), against 1 for the word itself. It belongs to the engine's
// scoring, like stemOnly, not to the synonym table: changing it changes the
// scores that the confidence model was fitted on.
const synonymWeight = 0.7

// stemOnly is the weight of a match on the stem alone ("taxi" and "taxe" both stem
// to "tax"), against 1 for the same word.
const stemOnly = 0.75

type phrasing struct {
	entry int32
	terms []string
	mass  float64 // Σ idf of its terms
}

// analyzed is a message reduced to what the engine compares.
type analyzed struct {
	terms     []string           // stems, in order, without repeats
	words     map[string]string  // stem → the (corrected) word that gave it
	alts      map[string][]alt   // stem → stems of its synonyms
	weight    map[string]float64 // stem → weight (lower when spell-corrected)
	mass      float64            // Σ weight·idf, unknown stems at the highest idf
	known     float64            // share of the mass made of KB vocabulary
	courtesy  bool               // the message held greetings or thanks
	corrected []string           // "from→to" spelling corrections, for explanations
	vec       []float32          // the message's unit vector; nil when read by words alone
	facets    french.Facets      // what the message asks of its subject, for plain entries
}

// NewIndex builds the index of the entries that may answer citizens.
func NewIndex(entries []kb.Entry, lang *Language) *Index {
	ix := &Index{byID: map[string]int{}, postings: map[string][]posting{}}
	freq := map[string]int{}
	written := map[string]bool{} // the words of the answers that are not French (see [typosOf])
	var vocab []map[string]bool  // entry → the words of its phrasings and answer (see [typosOf])
	for i := range entries {
		e := &entries[i]
		if !e.Answering() {
			continue
		}
		ix.byID[e.ID] = len(ix.entries)
		ix.entries = append(ix.entries, e)
		words := map[string]bool{}
		for _, p := range e.Phrasings() {
			for _, w := range french.Words(p) {
				freq[w]++
				words[w] = true
			}
		}
		for _, w := range french.Words(e.Answer) {
			if _, ok := freq[w]; !ok {
				freq[w] = 0
			}
			if !lang.lexicon().Known(w) {
				written[w] = true
			}
			words[w] = true
		}
		vocab = append(vocab, words)
	}
	for w := range freq {
		if french.IsStopword(w) {
			delete(freq, w)
		}
	}
	ix.typos = typosOf(vocab, freq, written, lang.lexicon())
	for w := range ix.typos {
		delete(freq, w)
	}
	ix.spell = french.NewSpeller(freq, lang.lexicon())
	ix.outside = lang.kindsOutside()

	// Document frequency over entries: a stem that many entries share says little.
	ix.entryTerms = make([]map[string]float64, len(ix.entries))
	df := map[string]int{}
	ix.df = df
	for i, e := range ix.entries {
		terms := map[string]float64{}
		for _, w := range french.Words(e.Answer) {
			if !french.IsStopword(w) {
				terms[french.Stem(w)] = answerWeight
			}
		}
		for _, p := range e.Phrasings() {
			for _, w := range ix.phrasingWords(p) {
				if !french.IsStopword(w) {
					terms[french.Stem(w)] = 1
				}
			}
		}
		ix.entryTerms[i] = terms
		for t, w := range terms {
			if w == 1 {
				df[t]++
			}
		}
	}
	ix.kinds = kindsOf(ix.entries, ix.phrasingWords)
	n := float64(len(ix.entries))
	ix.idf = map[string]float64{}
	for t, d := range df {
		ix.idf[t] = math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5))
	}
	ix.maxIDF = math.Log(1 + (n+0.5)/0.5)
	for i, e := range ix.entries {
		for t := range ix.entryTerms[i] {
			if _, ok := ix.idf[t]; !ok {
				ix.idf[t] = ix.maxIDF * 0.8 // answer-only words
			}
		}
		for _, p := range e.Phrasings() {
			a := ix.analyzeWords(ix.phrasingWords(p), false)
			if len(a.terms) == 0 {
				continue
			}
			ph := phrasing{entry: int32(i), terms: a.terms}
			for _, t := range a.terms {
				ph.mass += ix.idf[t]
				ix.postings[t] = append(ix.postings[t], posting{int32(len(ix.phrasings)), a.words[t]})
			}
			ix.phrasings = append(ix.phrasings, ph)
		}
	}
	ix.negatives = make([][]phrasing, len(ix.entries))
	for i, e := range ix.entries {
		for _, p := range e.Negatives {
			if a := ix.analyzeWords(french.Words(p), false); len(a.terms) > 0 {
				neg := phrasing{entry: int32(i), terms: a.terms}
				for _, t := range a.terms {
					neg.mass += ix.idfOrMax(t)
				}
				ix.negatives[i] = append(ix.negatives[i], neg)
			}
		}
	}
	ix.themes = themesOf(ix.entries)
	ix.clf = trainPerceptron(ix)
	ix.plain = make([]bool, len(ix.entries))
	ix.facets = make([]french.Facets, len(ix.entries))
	for i, en := range ix.entries {
		ix.plain[i] = plainAnswer(en)
		ix.hasPlain = ix.hasPlain || ix.plain[i]
		if ix.plain[i] {
			ix.facets[i] = french.FacetsOf(french.Words(en.Question))
		}
	}
	ix.fields = newFieldIndex(ix.entries, fielded, ix.spelledOut())
	ix.fields.plain = ix.plain
	if referencesRank(ix.entries) {
		ix.refs = newFieldIndex(ix.entries, referenced, nil)
		ix.refs.plain = ix.plain
	}
	ix.passages = newPassageIndex(ix.entries)
	// The background is built with the index's own phrasing similarity, on
	// scratch space without background; then the index gets scratch space for messages.
	ix.scratch = newScratchPool(len(ix.phrasings), len(ix.entries), ix.passages.sentences(), ix.clf.classes, 0)
	ix.bg = newBackground(ix, lang.backgroundQuestions())
	ix.scratch = newScratchPool(len(ix.phrasings), len(ix.entries), ix.passages.sentences(), ix.clf.classes, len(ix.bg.docs))
	return ix
}

// idfOrMax returns the idf of a stem, or the highest idf for a stem the knowledge
// base does not know.
func (ix *Index) idfOrMax(t string) float64 {
	if idf, ok := ix.idf[t]; ok {
		return idf
	}
	return ix.maxIDF
}

// holds reports whether ix indexes exactly the answering ones of entries, in
// their order and with the same content.
func (ix *Index) holds(entries []kb.Entry) bool {
	i := 0
	for k := range entries {
		if !entries[k].Answering() {
			continue
		}
		if i == len(ix.entries) || !reflect.DeepEqual(ix.entries[i], &entries[k]) {
			return false
		}
		i++
	}
	return i == len(ix.entries)
}

// Len is the number of answering entries.
func (ix *Index) Len() int { return len(ix.entries) }

// Entry returns the entry with that id: one of the knowledge base's, or a
// built-in conversation entry the index answers with (see [kb.Conversation]),
// which decisions name too: an evaluation may expect « bonjour » to greet.
func (ix *Index) Entry(id string) (*kb.Entry, bool) {
	if i, ok := ix.byID[id]; ok {
		return ix.entries[i], true
	}
	if ix.conversation != nil {
		if i, ok := ix.conversation.ix.byID[id]; ok {
			return ix.conversation.ix.entries[i], true
		}
	}
	return nil, false
}

// analyze reduces a citizen message to weighted stems.
func (ix *Index) analyze(text string) analyzed {
	return ix.analyzeWords(french.Words(text), true)
}

func (ix *Index) analyzeWords(ws []string, correct bool) analyzed {
	a := analyzed{weight: map[string]float64{}, words: map[string]string{}, alts: map[string][]alt{}}
	var courtesyTerms []string
	seq := ws // ws spelling corrected
	for i, w := range ws {
		if french.IsStopword(w) {
			continue
		}
		weight := 1.0
		// A word whose stem the knowledge base knows ("voler" for "vol") is a
		// form of a known word, not a typo.
		if _, known := ix.idf[french.Stem(w)]; correct && !known && !french.IsCourtesy(w) {
			if c, ok := ix.spell.Correct(w); ok {
				a.corrected = append(a.corrected, w+"→"+c)
				if len(seq) > 0 && &seq[0] == &ws[0] {
					seq = slices.Clone(ws)
				}
				seq[i] = c
				w, weight = c, 0.85
				if french.IsStopword(w) {
					continue
				}
			}
		}
		t := french.Stem(w)
		if french.IsCourtesy(w) {
			a.courtesy = true
			courtesyTerms = append(courtesyTerms, w)
			continue
		}
		if old, ok := a.weight[t]; !ok {
			a.add(t, w, weight, correct)
		} else if weight > old {
			a.weight[t] = weight
		}
	}
	if correct {
		for h := range ix.foreignKinds(seq) {
			if _, ok := a.weight[h]; ok {
				a.weight[h] *= kindMismatchWeight
			}
		}
	}
	// Greetings and thanks are the content of a message that holds nothing else;
	// around a question they count little, and in a phrasing they count fully.
	courtesyW := 1.0
	if correct && len(a.terms) > 0 {
		courtesyW = courtesyWeight
	}
	for _, w := range courtesyTerms {
		if t := french.Stem(w); a.weight[t] == 0 {
			a.add(t, w, courtesyW, correct)
		}
	}
	if correct {
		ix.addSpelledOut(&a)
	}
	if correct && ix.hasPlain {
		ix.addSubjectWords(&a, seq)
		a.facets = french.FacetsOf(seq)
	}
	ix.weigh(&a)
	return a
}

// weigh computes the mass of an analyzed message and the share of it that the
// knowledge base's vocabulary makes.
func (ix *Index) weigh(a *analyzed) {
	var knownMass float64
	a.mass, a.known = 0, 0
	for _, t := range a.terms {
		idf, ok := ix.idf[t]
		if !ok {
			idf = ix.maxIDF
		} else {
			knownMass += a.weight[t] * idf
		}
		a.mass += a.weight[t] * idf
	}
	if a.mass > 0 {
		a.known = knownMass / a.mass
	}
}

// alt is another stem that a message's word may match, at a lower weight: a
// synonym's, or a word of its subject's (see [subjectWeight]), which counts
// only for plain entries.
type alt struct {
	stem      string
	weight    float64
	plainOnly bool
}

// add records the stem t of word w with its weight and, for a message, the stems
// of its synonyms.
func (a *analyzed) add(t, w string, weight float64, withSynonyms bool) {
	a.terms = append(a.terms, t)
	a.weight[t] = weight
	a.words[t] = w
	if withSynonyms {
		for syn := range french.Synonyms(w) {
			if st := french.Stem(syn); st != t {
				a.alts[t] = append(a.alts[t], alt{st, synonymWeight, false})
			}
		}
	}
}

// addSubjectWords records, for each of the message's words (words, spelling
// corrected) that names a subject of everyday life on its own, the other
// words of that subject the knowledge base uses, for its plain entries.
func (ix *Index) addSubjectWords(a *analyzed, words []string) {
	byWord := french.SubjectWords(words)
	for _, t := range a.terms {
		stems, ok := byWord[a.words[t]]
		if !ok {
			continue
		}
		synonym := map[string]bool{t: true}
		for _, x := range a.alts[t] {
			synonym[x.stem] = true
		}
		for _, st := range stems {
			if _, used := ix.idf[st]; used && !synonym[st] {
				synonym[st] = true
				a.alts[t] = append(a.alts[t], alt{st, subjectWeight, true})
			}
		}
	}
}

// facetBonus raises a plain entry whose question asks what the message asks
// of its subject (see [french.Facets]: « c'est combien le repas ? » and
// « Combien coûte un repas à la cantine ? », not the cantine's allergies).
// The confidence reads the best entry's own score without it, as it does
// without the best sentence, and its lead over the next as the ranking gives
// it (see [confidenceInputs]). A facet that
// differs lowers nothing: a message's facet words are often its story's
// (« j'ai perdu mon emploi, quelles aides ? »). Chosen on w52 (0.05 to 0.2, and
// a lowering of 0.1 and 0.2 for differing facets; README, « Ce que demande
// la question »).
const facetBonus = 0.1

// addSpelledOut gives a message's acronym that the base does not use
// (« mon apl ») the words of its long form as alternatives, as a synonym's
// (see [french.SpelledOut]).
func (ix *Index) addSpelledOut(a *analyzed) {
	for _, t := range a.terms {
		w := a.words[t]
		if _, used := ix.idf[t]; used {
			continue
		}
		long, ok := french.SpelledOut(w)
		if !ok {
			continue
		}
		for _, lw := range french.Words(long) {
			if french.IsStopword(lw) {
				continue
			}
			if st := french.Stem(lw); st != t {
				a.alts[t] = append(a.alts[t], alt{st, synonymWeight, false})
			}
		}
	}
}

// sharedTerms is how many entries must use a word for it to be ambiguous alone.
const sharedTerms = 3

// ambiguous reports a message made of one word that several entries share
// ("horaires", "acte"): it is not answered at once, whatever the scores say,
// unless one entry alone has a phrasing of that word alone: an expert said
// what the word means (an alternative accepted from citizens' choices).
func (ix *Index) ambiguous(a analyzed) bool {
	if len(a.terms) != 1 || a.courtesy || ix.df[a.terms[0]] < sharedTerms {
		return false
	}
	owner := int32(-1)
	for _, p := range ix.postings[a.terms[0]] {
		ph := ix.phrasings[p.phrasing]
		if len(ph.terms) != 1 {
			continue
		}
		if owner >= 0 && owner != ph.entry {
			return true
		}
		owner = ph.entry
	}
	return owner < 0
}

// Candidate is one entry considered for a message, with the scores that ranked it.
type Candidate struct {
	Entry *kb.Entry
	Score float64 // combined score, 0..1 (up to 1.3 with a reference text or an answer's sentence, never both)
	// The parts of the score, kept so that a decision can be explained.
	Phrasing   float64 // best phrasing similarity (Dice over idf-weighted stems)
	Coverage   float64 // share of the message explained by the entry
	Fielded    float64 // BM25F over question, alternatives, answer and topic, relative to the most the message could get
	Matched    float64 // share of the entry's best-matching phrasing found in the message
	Strongest  float64 // idf of the rarest word shared with its phrasings, relative to the rarest possible
	Background float64 // similarity of the message to the closest question outside the knowledge base
	Classifier float64 // classifier score relative to the best
	Semantic   float64 // best cosine of the message with the entry's phrasings, clamped at 0; 0 without an embedder
	Reference  float64 // BM25 over the entry's reference text, relative to the most the message could get; 0 without one
	Passage    float64 // BM25 of the best sentence of its answer, relative to the most the message could get; 0 for an entry with alternatives or a reference text

	// fitted is the combined score without Passage, as the confidence model
	// was fitted on it (see [confidenceInputs]).
	fitted float64
}

// ranking holds the weights of the combined score: the parts of a [Candidate]
// that rank entries, fitted on data (see TestFitRanking in calibrate_test.go).
// They sum to 1, so that the score stays in 0..1 (up to 1.3 with a reference
// text, see referenceWeight).
var ranking = struct{ phrasing, coverage, fielded, classifier float64 }{0.20, 0, 0.75, 0.05}

// referenceWeight adds an entry's reference score to its combined score: a
// full text behind a summary is evidence beside its own words, not in their
// place. Chosen on spf_tune (the service-public.fr fiches are the base with
// reference texts): 0.1–0.3 raise top1 and top3 with the same accuracy and
// out-of-scope recall, 0.5 and more lose both.
const referenceWeight = 0.3

// referencesRank reports whether the reference texts of entries rank them: in
// a base of national entries alone that has some. Beside a town's own
// entries, the national fiches' full texts drew the town's uncovered needs
// (lost property, bicycles) to a fiche that mentions them, which answered
// them wrongly and hid them from mining: out-of-scope recall on the mining
// sets asked of the demo base fell by 0.02 to 0.06.
func referencesRank(entries []*kb.Entry) bool {
	return slices.ContainsFunc(entries, func(e *kb.Entry) bool { return e.Reference != "" }) &&
		!slices.ContainsFunc(entries, func(e *kb.Entry) bool { return !e.National && isAnswer(e) })
}

// minReferenceTerms is the fewest words a message needs for the reference
// texts to count: a fiche's full text holds incidental words (« humain » in
// « l'œil humain » of aerial photography) that a message of a word or two
// would match alone. On spf_tune, 1 to 4 give the same figures.
const minReferenceTerms = 3

// poolSize bounds the entries whose every score is computed: the others are
// left out on their phrasing and fielded scores alone.
const poolSize = 48

// search ranks the entries for an analyzed message and returns the best k.
func (ix *Index) search(a analyzed, audience kb.Audience, k int) []Candidate {
	if len(a.terms) == 0 || a.mass == 0 {
		return nil
	}
	s := ix.scratch.get()
	defer ix.scratch.put(s)
	ix.matchPhrasings(a, s)
	for _, p := range s.phrasing.touched {
		m := s.phrasing.v[p]
		ph := &ix.phrasings[p]
		e := ph.entry
		s.best.raise(e, 2*m/(a.mass+ph.mass))
		s.matched[e] = max(s.matched[e], m/ph.mass)
	}
	ix.fields.scores(a, &s.entry, &s.entryTerm)
	if ix.refs != nil && len(a.terms) >= minReferenceTerms {
		ix.refs.scores(a, &s.ref, &s.entryTerm)
	}
	if ix.passages != nil {
		ix.passages.scores(a, &s.passage, &s.sentence, &s.sentenceTerm)
	}
	best, field, ref, pas := s.best.v, s.entry.v, s.ref.v, s.passage.v
	pool := make([]int32, 0, min(len(s.entry.touched)+len(s.best.touched)+len(s.ref.touched), 4*poolSize))
	pre := func(e int32) float64 {
		return ranking.phrasing*best[e] + (ranking.coverage+ranking.fielded)*field[e] + referenceWeight*ref[e] + passageWeight*pas[e]
	}
	// An entry whose answer's sentence holds a word of the message holds it
	// in its answer field too: the entries BM25F touched include them.
	for _, e := range s.entry.touched {
		pool = keepBest(pool, e, pre)
	}
	for _, e := range s.ref.touched {
		if field[e] == 0 {
			pool = keepBest(pool, e, pre)
		}
	}
	for _, e := range s.best.touched {
		if field[e] == 0 && ref[e] == 0 {
			pool = keepBest(pool, e, pre)
		}
	}
	if len(pool) > poolSize {
		sortPool(pool, pre)
		pool = pool[:poolSize]
	}
	var sims []float64
	if ix.sem != nil && a.vec != nil {
		sims = ix.sem.similarities(a.vec)
		for _, e := range closest(sims, semanticPool) {
			if !slices.Contains(pool, e) {
				pool = append(pool, e)
			}
		}
	}
	ix.clf.scores(a, &s.classes)
	clf := s.classes.v
	bg := ix.bg.best(ix, a, &s.background)
	cands := make([]Candidate, 0, len(pool))
	for _, e32 := range pool {
		e := int(e32)
		var cov, strongest float64
		for _, t := range a.terms {
			var c float64
			if w, ok := ix.entryTerms[e][t]; ok {
				c = w * a.weight[t] * ix.idf[t]
				if w == 1 {
					strongest = max(strongest, a.weight[t]*ix.idf[t]/ix.maxIDF)
				}
			}
			for _, alt := range a.alts[t] {
				if alt.plainOnly && !ix.plain[e] {
					continue
				}
				if w, ok := ix.entryTerms[e][alt.stem]; ok {
					c = max(c, alt.weight*w*a.weight[t]*min(ix.idf[alt.stem], ix.idfOrMax(t)))
				}
			}
			cov += c
		}
		cov /= a.mass
		c := Candidate{Entry: ix.entries[e], Phrasing: best[e32], Coverage: cov, Fielded: field[e32], Matched: min(1, s.matched[e32]),
			Strongest: strongest, Background: bg, Classifier: ix.clf.relative(clf[e])}
		c.Score = ranking.phrasing*c.Phrasing + ranking.coverage*c.Coverage + ranking.fielded*c.Fielded + ranking.classifier*c.Classifier
		if c.Reference = ref[e32]; c.Reference > 0 {
			c.Score += referenceWeight * c.Reference
		}
		c.fitted = c.Score
		c.Passage = pas[e32]
		c.Score += passageWeight * c.Passage
		if sims != nil {
			c.Semantic = sims[e]
			c.Score = (1-semanticWeight)*c.Score + semanticWeight*c.Semantic
			c.fitted = (1-semanticWeight)*c.fitted + semanticWeight*c.Semantic
		}
		factor := 1.0
		if audience != "" && len(c.Entry.Audiences) > 0 && !containsAudience(c.Entry.Audiences, audience) {
			factor = 0.9
		}
		if ix.wrongFor(e, a) {
			factor *= negativePenalty
		}
		if a.facets&ix.facets[e] != 0 {
			c.Score *= 1 + facetBonus
		}
		c.Score *= factor
		c.fitted *= factor
		cands = append(cands, c)
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Score != cands[j].Score {
			return cands[i].Score > cands[j].Score
		}
		return cands[i].Entry.ID < cands[j].Entry.ID
	})
	preferLocal(cands)
	if len(cands) > k {
		cands = cands[:k]
	}
	return cands
}

// A message close to a phrasing an entry answered wrongly (Dice over
// idf-weighted stems from negativeDice) ranks that entry lower: its score is
// multiplied by negativePenalty.
const (
	negativeDice    = 0.8
	negativePenalty = 0.3
)

// wrongFor reports whether the message is close to one of the phrasings entry e
// answered wrongly.
func (ix *Index) wrongFor(e int, a analyzed) bool {
	for _, neg := range ix.negatives[e] {
		var m float64
		for _, t := range neg.terms {
			if w, ok := a.weight[t]; ok {
				m += w * ix.idfOrMax(t)
			}
		}
		if 2*m/(a.mass+neg.mass) >= negativeDice {
			return true
		}
	}
	return false
}

// keepBest appends e to pool; when the pool has grown to four times its size,
// it is cut back to its best, so that the pool stays small at any size of
// knowledge base.
func keepBest(pool []int32, e int32, pre func(int32) float64) []int32 {
	pool = append(pool, e)
	if len(pool) == 4*poolSize {
		sortPool(pool, pre)
		pool = pool[:poolSize]
	}
	return pool
}

func sortPool(pool []int32, pre func(int32) float64) {
	sort.Slice(pool, func(i, j int) bool {
		if pi, pj := pre(pool[i]), pre(pool[j]); pi != pj {
			return pi > pj
		}
		return pool[i] < pool[j]
	})
}

// localBand is how close (relative to the best score) an entry that is not
// national must be to take precedence over a national one.
const localBand = 0.85

// preferLocal puts first the closest entry of the nearest layer when it is close
// to the best: when the town and a national source both answer, the town's own
// entry wins unless the question is national; so does a commune's own entry over
// its intercommunalité's (see [kb.ForTenant]).
func preferLocal(cands []Candidate) {
	if len(cands) < 2 {
		return
	}
	best, at := rank(cands[0].Entry), 0
	for i := 1; i < len(cands) && cands[i].Score >= localBand*cands[0].Score; i++ {
		if r := rank(cands[i].Entry); r < best {
			best, at = r, i
		}
	}
	if at > 0 {
		c := cands[at]
		copy(cands[1:at+1], cands[:at])
		cands[0] = c
	}
}

// rank is how far an entry's source is from the citizen: its own tenant 0, its
// intercommunalité 1, national 2.
func rank(e *kb.Entry) int {
	if e.National {
		return 2
	}
	return e.Layer
}

func containsAudience(as []kb.Audience, a kb.Audience) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// describe returns the analyzed stems, for logs and explanations.
func (a analyzed) describe() string { return strings.Join(a.terms, " ") }

// Themes returns at most n themes of the base, those of the most entries
// first: the themes of its own entries when it has some, else those of the
// national ones. The citizen who got no answer learns what the base knows.
func (ix *Index) Themes(n int) []string { return ix.themes[:min(n, len(ix.themes))] }

// isAnswer reports an entry that answers a question: entries of events logged
// before kinds existed have none.
func isAnswer(e *kb.Entry) bool { return e.Kind == kb.KindAnswer || e.Kind == "" }

func themesOf(entries []*kb.Entry) []string {
	count := map[string]int{}
	national := map[string]int{}
	for _, e := range entries {
		if !isAnswer(e) || strings.TrimSpace(e.Theme) == "" {
			continue
		}
		if e.National {
			national[e.Theme]++
		} else {
			count[e.Theme]++
		}
	}
	if len(count) == 0 {
		count = national
	}
	themes := slices.Collect(maps.Keys(count))
	slices.SortFunc(themes, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return themes
}

// Entries returns the answering entries, in knowledge base order.
func (ix *Index) Entries() []*kb.Entry { return ix.entries }

// Search returns the entries that best match text, best first, for lookups by
// people (analysts, experts) rather than decisions.
func (ix *Index) Search(text string, k int) []*kb.Entry {
	var out []*kb.Entry
	for _, c := range ix.search(ix.analyze(text), "", k) {
		out = append(out, c.Entry)
	}
	return out
}

// matchPhrasings sums in s.phrasing, for each phrasing, the idf-weighted words
// it shares with the message.
func (ix *Index) matchPhrasings(a analyzed, s *scratch) {
	for _, t := range a.terms {
		w := a.weight[t] * ix.idf[t]
		for _, p := range ix.postings[t] {
			if p.word == a.words[t] {
				s.phrasingTerm.raise(p.phrasing, w)
			} else {
				s.phrasingTerm.raise(p.phrasing, stemOnly*w)
			}
		}
		// A synonym counts where the word itself does not, and never for more
		// than the word would.
		for _, alt := range a.alts[t] {
			sw := alt.weight * a.weight[t] * min(ix.idf[alt.stem], ix.idfOrMax(t))
			for _, p := range ix.postings[alt.stem] {
				if alt.plainOnly && !ix.plain[ix.phrasings[p.phrasing].entry] {
					continue
				}
				s.phrasingTerm.raise(p.phrasing, sw)
			}
		}
		for _, p := range s.phrasingTerm.touched {
			s.phrasing.add(p, s.phrasingTerm.v[p])
		}
		s.phrasingTerm.reset()
	}
}

// closestPhrasing returns the highest similarity of the message to a phrasing
// (Dice over idf-weighted words, as [Candidate.Phrasing]).
func (ix *Index) closestPhrasing(a analyzed) float64 {
	if len(a.terms) == 0 || a.mass == 0 {
		return 0
	}
	s := ix.scratch.get()
	defer ix.scratch.put(s)
	ix.matchPhrasings(a, s)
	var best float64
	for _, p := range s.phrasing.touched {
		best = max(best, 2*s.phrasing.v[p]/(a.mass+ix.phrasings[p].mass))
	}
	return best
}

// spelledOut returns, for each entry, the long forms of the acronyms its
// question writes as acronyms are written (« Comment faire une demande de
// RSA ? »; never « de » for a base that defines « DE »), for its question
// field: a citizen says the words (« le revenu de solidarité »), or some of
// them. The base's own texts define them (see [french.Acronyms]), else the
// administrations' usual ones do (see [french.KnownAcronyms]).
func (ix *Index) spelledOut() func(int) []string {
	var all strings.Builder
	for _, e := range ix.entries {
		all.WriteString(e.Question + "\n" + e.Answer + "\n")
	}
	defs := french.Acronyms(all.String())
	return func(i int) []string {
		q := ix.entries[i].Question
		longs := french.KnownAcronyms(q)
		for _, tok := range french.Tokens(q) {
			if long, ok := defs[tok]; ok {
				if longs == nil {
					longs = map[string]string{}
				}
				longs[tok] = long
			}
		}
		// A question that spells an acronym out already (« l'aide médicale de
		// l'État (AME) ») has its words.
		folded := " " + strings.Join(french.Words(q), " ") + " "
		var out []string
		for _, acr := range slices.Sorted(maps.Keys(longs)) {
			if !strings.Contains(folded, " "+longs[acr]+" ") {
				out = append(out, longs[acr])
			}
		}
		return out
	}
}
