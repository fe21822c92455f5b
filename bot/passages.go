package bot

import (
	"regexp"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// Answers read by their sentences. An entry that has only its question and its
// answer (a FAQ as an administration exports it: no alternatives, no reference
// text behind) is described by its answer as much as by its question, and a
// citizen's words meet there in one sentence (« le tour du vieux Vallières avec
// un guide » and « des visites guidées du vieux Vallières… »), which BM25F
// over the whole answer weighs as words scattered in a long text. The best
// sentence's BM25 score then adds to the entry's combined score.
//
// Entries with alternatives have none: their phrasings say what they answer,
// and on the demo base an answer's sentence only drew needs to entries that
// mention them in passing. Nor have entries with a reference text, nor the
// built-in conversation and hand-off entries.

// passageWeight is the weight of the best sentence of an answer in the
// combined score. Chosen on the tuning sets that are fresh FAQs: w52 and the
// service-public.fr base without its reference texts, asked spf_tune and w10's
// paraphrases (TestAnswerSentencesHelpFreshFAQs prints them with and
// without). Weights 0.2 to 0.6 and b 0.2 to 0.8 were tried; 0.3 and 0.5
// raised top1 on two of the three and answered more questions right on all
// three.
const passageWeight = 0.3

// sentenced is BM25 over the sentences of an answer, each a document.
var sentenced = bm25f{
	k1:     1.2,
	weight: [numFields]float64{fieldAnswer: 1},
	b:      [numFields]float64{fieldAnswer: 0.5},
}

// answerSentenceBreak ends a sentence of an answer: a stop followed by a space
// or the end, or a line break, so that « service-public.fr », « 2,5 » or
// « 12.50 € » stay whole.
var answerSentenceBreak = regexp.MustCompile(`[.?!…]+(\s+|$)|\n+`)

// passageIndex is the BM25 index of the sentences of the answers of the entries
// that have nothing else.
type passageIndex struct {
	fi    *fieldIndex
	entry []int32 // sentence → its entry
}

// newPassageIndex indexes the sentences of the answers of the answering
// entries without alternatives nor reference text; nil when there are none.
func newPassageIndex(entries []*kb.Entry) *passageIndex {
	pi := &passageIndex{}
	var docs [][numFields][]string
	for i, e := range entries {
		if !plainAnswer(e) {
			continue
		}
		for _, span := range french.Spans(e.Answer, answerSentenceBreak) {
			s := e.Answer[span[0]:span[1]]
			if len(french.ContentWords(s)) == 0 {
				continue
			}
			var d [numFields][]string
			d[fieldAnswer] = []string{s}
			docs = append(docs, d)
			pi.entry = append(pi.entry, int32(i))
		}
	}
	if len(docs) == 0 {
		return nil
	}
	pi.fi = indexFields(docs, sentenced)
	return pi
}

// plainAnswer reports an answering entry with nothing but its question and
// its answer: no alternatives, no reference text.
func plainAnswer(e *kb.Entry) bool {
	return isAnswer(e) && len(e.Alternatives) == 0 && e.Reference == ""
}

// sentences is the number of sentences indexed (0 for nil).
func (pi *passageIndex) sentences() int {
	if pi == nil {
		return 0
	}
	return len(pi.entry)
}

// scores sets in out, for every entry with a sentence holding a word of the
// message (or a synonym of one), the score of its best sentence relative to the
// highest the message could get. sentence and term are scratch space sized for
// the sentences.
func (pi *passageIndex) scores(a analyzed, out, sentence, term *sparse) {
	pi.fi.scores(a, sentence, term)
	for _, s := range sentence.touched {
		out.raise(pi.entry[s], sentence.v[s])
	}
	sentence.reset()
}
