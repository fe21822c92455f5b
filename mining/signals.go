package mining

import (
	"strings"
	"time"

	"github.com/parvis-civic/parvis/projections"
)

// Reasons a question shows unmet demand, as shown to analysts.
const (
	ReasonUnanswered    = "non_repondu"   // the bot said it could not answer
	ReasonClarify       = "clarification" // the bot had to offer choices
	ReasonLowConfidence = "confiance_faible"
	ReasonNotHelpful    = "pas_utile"     // "not helpful" feedback on the answer
	ReasonRephrased     = "reformulation" // asked again in other words right after the answer
	ReasonAbandoned     = "abandon"       // left right after an unsure answer
)

// Thresholds of the signals.
const (
	lowConfidence   = 0.6
	unsureAbandoned = 0.75
	rephraseWithin  = 2 * time.Minute
	rephraseOverlap = 0.3
)

// Signals finds the questions that show unmet demand. turns come in conversation
// order, grouped by conversation.
func Signals(turns []projections.Turn, feedback []projections.Feedback, endings []projections.Ending) []projections.Signal {
	ended := map[string]bool{}
	for _, e := range endings {
		ended[e.ConversationID] = true
	}
	notHelpful := map[string][]time.Time{}
	helped := map[string]bool{}
	for _, f := range feedback {
		if f.Helpful == 0 {
			notHelpful[f.ConversationID] = append(notHelpful[f.ConversationID], f.At)
		} else {
			helped[f.ConversationID] = true
		}
	}
	var out []projections.Signal
	for start := 0; start < len(turns); {
		end := start
		for end < len(turns) && turns[end].ConversationID == turns[start].ConversationID {
			end++
		}
		conv := turns[start:end]
		reasons := make([][]string, len(conv))
		for i, t := range conv {
			switch {
			case t.Outcome == "UNANSWERED":
				reasons[i] = append(reasons[i], ReasonUnanswered)
			case t.Outcome == "CLARIFY":
				reasons[i] = append(reasons[i], ReasonClarify)
			case t.Outcome == "ANSWERED" && t.Confidence < lowConfidence:
				reasons[i] = append(reasons[i], ReasonLowConfidence)
			}
			if t.Outcome != "ANSWERED" || i+1 >= len(conv) {
				continue
			}
			next := conv[i+1]
			if next.At.Sub(t.At) <= rephraseWithin && next.Outcome != "SMALLTALK" && overlap(t.Text, next.Text) >= rephraseOverlap {
				reasons[i] = append(reasons[i], ReasonRephrased)
			}
		}
		// "Not helpful": the answer given last before the feedback.
		for _, at := range notHelpful[conv[0].ConversationID] {
			for i := len(conv) - 1; i >= 0; i-- {
				if conv[i].Outcome == "ANSWERED" && !conv[i].At.After(at) {
					reasons[i] = append(reasons[i], ReasonNotHelpful)
					break
				}
			}
		}
		if last := conv[len(conv)-1]; ended[last.ConversationID] && !helped[last.ConversationID] &&
			last.Outcome == "ANSWERED" && last.Confidence < unsureAbandoned {
			reasons[len(conv)-1] = append(reasons[len(conv)-1], ReasonAbandoned)
		}
		for i, r := range reasons {
			if len(r) > 0 && conv[i].Text != "" {
				out = append(out, projections.Signal{Turn: conv[i], Reasons: r})
			}
		}
		start = end
	}
	return out
}

// overlap is the Jaccard similarity of two questions' normalised words.
func overlap(a, b string) float64 {
	wa, wb := map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(Key(a)) {
		wa[w] = true
	}
	for _, w := range strings.Fields(Key(b)) {
		wb[w] = true
	}
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(wa)+len(wb)-inter)
}
