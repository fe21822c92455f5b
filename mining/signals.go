package mining

import (
	"slices"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
)

// Reasons a question shows unmet demand, as shown to analysts. A question may
// have several.
const (
	ReasonUnanswered    = "non_repondu"      // the bot said it could not answer
	ReasonClarify       = "clarification"    // the bot offered choices and none was taken
	ReasonLowConfidence = "confiance_faible" // answered, but unsure
	ReasonLowMargin     = "marge_faible"     // answered, but another entry came almost as close
	ReasonNotHelpful    = "pas_utile"        // "not helpful" feedback on the answer
	ReasonRephrased     = "reformulation"    // asked again in other words right after the answer
	ReasonAbandoned     = "abandon"          // left right after an unsure answer
	ReasonHandoff       = "humain_demande"   // asked for a person instead of the answer
	ReasonAudience      = "public_inadapte"  // answered with an entry written for another audience
	ReasonOtherSubject  = "autre_sujet"      // answered with an entry about none of the question's subjects
)

// Reasons lists every reason, in the order analysts read them.
var Reasons = []string{ReasonUnanswered, ReasonNotHelpful, ReasonClarify, ReasonLowConfidence, ReasonLowMargin,
	ReasonRephrased, ReasonHandoff, ReasonAudience, ReasonOtherSubject, ReasonAbandoned}

// lowConfidence is the confidence below which an answer is unsure.
var lowConfidence = 0.6

// Thresholds of the signals.
const (
	unsureAbandoned = 0.75
	rephraseWithin  = 2 * time.Minute
	rephraseOverlap = 0.3
	// lowMargin is the runner-up's score, relative to the best's, from which an
	// answer is a toss-up: another entry, from the same source, came as close.
	lowMargin = 0.9
	// choices is how many of a CLARIFY's first candidates were offered.
	choices = 3
)

// Signals finds the questions that show unmet demand. turns come in conversation
// order, grouped by conversation; entries tells each entry's audiences.
func Signals(turns []projections.Turn, feedback []projections.Feedback, endings []projections.Ending,
	entries map[string]projections.EntryFacts) []projections.Signal {
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
	subjects := entrySubjects{entries: entries, of: map[string][]string{}}
	var out []projections.Signal
	for start := 0; start < len(turns); {
		end := start
		for end < len(turns) && turns[end].ConversationID == turns[start].ConversationID {
			end++
		}
		conv := turns[start:end]
		reasons := make([][]string, len(conv))
		add := func(i int, r string) {
			if !slices.Contains(reasons[i], r) {
				reasons[i] = append(reasons[i], r)
			}
		}
		for i, t := range conv {
			var next *projections.Turn
			if i+1 < len(conv) {
				next = &conv[i+1]
			}
			switch t.Outcome {
			case "UNANSWERED":
				add(i, ReasonUnanswered)
			case "CLARIFY":
				if !choiceTaken(t, next) {
					add(i, ReasonClarify)
				}
			case "HANDOFF":
				// The question before the request for a person is the one the
				// answer did not settle; a conversation that opens with it says
				// its need in the same message, if any.
				if j := previousQuestion(conv, i); j >= 0 {
					add(j, ReasonHandoff)
				} else if i == 0 && !onlyAsksForAPerson(t.Text) {
					add(i, ReasonHandoff)
				}
			case "ANSWERED":
				if t.Confidence < lowConfidence {
					add(i, ReasonLowConfidence)
				}
				if tossUp(t, entries) {
					add(i, ReasonLowMargin)
				}
				if mismatched(t, entries) {
					add(i, ReasonAudience)
				}
				if subjects.offSubject(t) {
					add(i, ReasonOtherSubject)
				}
				if next != nil && next.At.Sub(t.At) <= rephraseWithin && next.Outcome != "SMALLTALK" &&
					next.Outcome != "HANDOFF" && overlap(t.Text, next.Text) >= rephraseOverlap {
					add(i, ReasonRephrased)
				}
			}
		}
		// "Not helpful": the answer given last before the feedback.
		for _, at := range notHelpful[conv[0].ConversationID] {
			for i := len(conv) - 1; i >= 0; i-- {
				if conv[i].Outcome == "ANSWERED" && !conv[i].At.After(at) {
					add(i, ReasonNotHelpful)
					break
				}
			}
		}
		if last := conv[len(conv)-1]; ended[last.ConversationID] && !helped[last.ConversationID] &&
			last.Outcome == "ANSWERED" && last.Confidence < unsureAbandoned {
			add(len(conv)-1, ReasonAbandoned)
		}
		for i, r := range reasons {
			if len(r) > 0 && conv[i].Text != "" {
				slices.SortFunc(r, func(a, b string) int { return slices.Index(Reasons, a) - slices.Index(Reasons, b) })
				out = append(out, projections.Signal{Turn: conv[i], Reasons: r})
			}
		}
		start = end
	}
	return out
}

// personWords make up a request for a person, and nothing else.
var personWords = map[string]bool{"humain": true, "humaine": true, "personne": true, "vraie": true, "vrai": true,
	"reelle": true, "reel": true, "parler": true, "agent": true, "conseiller": true, "conseillere": true,
	"interlocuteur": true, "quelqu": true, "joindre": true, "contacter": true, "appeler": true, "telephone": true,
	"passez": true, "passer": true, "mettre": true, "relation": true, "pour": true, "mairie": true, "accueil": true,
	"standard": true, "operateur": true, "robot": true, "prefere": true, "preferer": true, "prefererais": true,
	"bot": true, "machine": true, "stop": true, "pas": true, "chair": true, "os": true, "bout": true, "fil": true,
	"employe": true, "employee": true, "quelqun": true, "mettez": true, "parle": true, "rappeler": true,
	"rappelle": true, "tel": true, "expliquer": true, "urgent": true}

// onlyAsksForAPerson reports a message that asks for a person and says no
// need (« un humain svp »): opening a conversation, it is no unmet demand of its
// own, and the question that follows, if any, says what the citizen needs.
func onlyAsksForAPerson(text string) bool {
	for _, w := range french.ContentWords(text) {
		if !personWords[w] {
			return false
		}
	}
	return true
}

// choiceTaken reports whether the message after a CLARIFY was answered with one
// of the choices it offered (a click on a choice is logged as the choice's
// question, answered with its entry; a citizen may also type it).
func choiceTaken(t projections.Turn, next *projections.Turn) bool {
	return next != nil && next.Outcome == "ANSWERED" && slices.Contains(t.Candidates[:min(choices, len(t.Candidates))], next.EntryID)
}

// previousQuestion is the last question before turn i that was not small talk or
// a request for a person, or -1.
func previousQuestion(conv []projections.Turn, i int) int {
	for j := i - 1; j >= 0; j-- {
		if o := conv[j].Outcome; o != "SMALLTALK" && o != "HANDOFF" {
			return j
		}
	}
	return -1
}

// tossUp reports whether an answer's entry barely beat another entry of the same
// provenance (the town's entry and a national fiche on one topic do not make each
// other doubtful, as in the engine's confidence).
func tossUp(t projections.Turn, entries map[string]projections.EntryFacts) bool {
	if len(t.Scores) < 2 || len(t.Candidates) != len(t.Scores) || t.Scores[0] <= 0 || t.Candidates[0] != t.EntryID {
		return false
	}
	first := entries[t.EntryID]
	for i := 1; i < len(t.Candidates); i++ {
		if c := entries[t.Candidates[i]]; kb.Provenance(c.Tenant, c.Source) == kb.Provenance(first.Tenant, first.Source) {
			return t.Scores[i] >= lowMargin*t.Scores[0]
		}
	}
	return false
}

// mismatched reports whether an answer's entry is written for audiences that do
// not include the citizen's.
func mismatched(t projections.Turn, entries map[string]projections.EntryFacts) bool {
	if t.Audience == "" || t.EntryID == "" {
		return false
	}
	as := entries[t.EntryID].Audiences
	return len(as) > 0 && !slices.Contains(as, t.Audience)
}

// entrySubjects tells the subjects of everyday life (see [french.Concepts]) that
// entries are about, read once per entry from its question, alternatives and
// answer.
type entrySubjects struct {
	entries map[string]projections.EntryFacts
	of      map[string][]string
}

// offSubject reports an answer whose entry is about none of the subjects its
// question names: « mon opérateur internet me facture trois mois de trop »
// answered with the social aid entry. On the writers' sets, a third of the needs
// the town does not cover that the bot answered anyway are told so, and fewer
// than 2 % of the covered questions it answered (tuning sets).
func (s entrySubjects) offSubject(t projections.Turn) bool {
	f, ok := s.entries[t.EntryID]
	if !ok || f.Text == "" { // [projections.EntryText] leaves no blank part
		return false // nothing to tell what the entry is about
	}
	asked := french.Concepts(french.Stems(t.Text))
	if len(asked) == 0 {
		return false
	}
	about, ok := s.of[t.EntryID]
	if !ok {
		about = french.Concepts(french.Stems(f.Text))
		s.of[t.EntryID] = about
	}
	return !slices.ContainsFunc(asked, func(c string) bool { return slices.Contains(about, c) })
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
