package mining

import (
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/projections"
)

// Kinds of suggestion drawn from the conversations for an entry.
const (
	// KindAlternative is a citizen's phrasing that meant the entry: once an
	// expert accepts it, it becomes one of the entry's alternatives.
	KindAlternative = "alternative"
	// KindNegative is a phrasing the entry answered and the citizen judged not
	// helpful: shown to the expert as a phrasing the entry wrongly answers.
	KindNegative = "negative"
)

// Where a suggestion comes from, as shown to experts.
const (
	FromChoice   = "choix"         // a CLARIFY choice the citizen clicked
	FromRephrase = "reformulation" // asked again in other words, then answered by the entry
	FromThumbs   = "pas_utile"     // the answer was judged not helpful
)

// Observation is one piece of evidence: in one conversation, a phrasing meant an
// entry (alternative) or was wrongly answered by it (negative).
type Observation struct {
	Kind           string
	EntryID        string
	Text           string
	ConversationID string
	UtteranceID    string
	At             time.Time
	From           string
}

// Observe finds the evidence in the projected rows: turns in conversation order
// grouped by conversation (as [projections.Queries.MiningInput] gives them),
// feedback, and clicked choices.
//
//   - A clicked choice: the ambiguous question is an alternative of the chosen
//     entry.
//   - A thumbs-down: the phrasing answered last before it is a negative of the
//     entry that answered.
//   - A rephrase: a citizen's next question within [rephraseWithin] of an answer
//     not rated helpful, answered with another entry that the engine had already
//     weighed for the first phrasing (among its candidates), and not rated "not
//     helpful" itself: the first phrasing is an alternative of the entry that
//     finally answered. The candidate condition keeps apart a citizen who moves
//     on to another question; a rewording answered by the same entry teaches
//     nothing new.
//
// The turns a click became (whose text is the chosen entry's own question) are
// never evidence.
func Observe(turns []projections.Turn, feedback []projections.Feedback, choices []projections.Choice) []Observation {
	var out []Observation
	clicks := map[string]bool{}
	for _, c := range choices {
		clicks[c.ChoiceID] = true
		out = append(out, Observation{Kind: KindAlternative, EntryID: c.EntryID, Text: c.Text,
			ConversationID: c.ConversationID, UtteranceID: c.UtteranceID, At: c.At, From: FromChoice})
	}
	byConv := map[string][]projections.Feedback{}
	for _, f := range feedback {
		byConv[f.ConversationID] = append(byConv[f.ConversationID], f)
	}
	for start := 0; start < len(turns); {
		end := start
		for end < len(turns) && turns[end].ConversationID == turns[start].ConversationID {
			end++
		}
		conv := turns[start:end]
		start = end
		// The rating of each answer: the feedback goes to the answer given last
		// before it (1 helpful, -1 not helpful, 0 none).
		rating := make([]int, len(conv))
		for _, f := range byConv[conv[0].ConversationID] {
			for i := len(conv) - 1; i >= 0; i-- {
				if conv[i].Outcome == "ANSWERED" && !conv[i].At.After(f.At) {
					if f.Helpful == 0 {
						rating[i] = -1
					} else {
						rating[i] = 1
					}
					break
				}
			}
		}
		for i, t := range conv {
			if t.Outcome != "ANSWERED" || t.Text == "" || clicks[t.UtteranceID] {
				continue
			}
			if rating[i] < 0 {
				out = append(out, Observation{Kind: KindNegative, EntryID: t.EntryID, Text: t.Text,
					ConversationID: t.ConversationID, UtteranceID: t.UtteranceID, At: t.At, From: FromThumbs})
			}
			if i+1 == len(conv) || rating[i] > 0 {
				continue
			}
			next := conv[i+1]
			if next.Outcome == "ANSWERED" && next.EntryID != t.EntryID && next.At.Sub(t.At) <= rephraseWithin &&
				rating[i+1] >= 0 && slices.Contains(t.Candidates, next.EntryID) && !clicks[next.UtteranceID] {
				out = append(out, Observation{Kind: KindAlternative, EntryID: next.EntryID, Text: t.Text,
					ConversationID: t.ConversationID, UtteranceID: t.UtteranceID, At: t.At, From: FromRephrase})
			}
		}
	}
	return out
}

// Suggestion is the evidence for one phrasing of one entry, its texts
// deduplicated on their normalised form ([PhrasingKey]).
type Suggestion struct {
	ID            string
	Kind          string
	EntryID       string
	Text          string   // the most frequent wording
	Examples      []string // distinct wordings, most frequent first, five at most
	Count         int      // observations
	Conversations int      // distinct conversations
	From          []string // where the observations come from, most frequent first
	LastSeen      time.Time
}

// SuggestionID names the suggestion of a phrasing for an entry: the same
// phrasing, however written, gives the same id, so a verdict holds for every
// later observation of it.
func SuggestionID(kind, entryID, text string) string {
	sum := sha1.Sum([]byte(kind + "\x00" + entryID + "\x00" + PhrasingKey(text)))
	return "sg_" + hex.EncodeToString(sum[:8])
}

// PhrasingKey is the form by which phrasings are told apart: the stems of their
// words but function words, without case, accents or punctuation. It is finer
// than [Key], which groups questions and leaves out the words every message to
// a town says (« mairie »): « horaires » and « horaires de la mairie » are two
// phrasings.
func PhrasingKey(text string) string {
	var stems []string
	for _, w := range french.Words(text) {
		if !french.IsStopword(w) {
			stems = append(stems, french.Stem(w))
		}
	}
	return strings.Join(stems, " ")
}

// Suggest gathers observations into suggestions, leaving out those an expert
// reviewed and the phrasings an entry already has (known gives an entry's
// question and alternatives, and its negatives; not ok for an entry that no
// longer answers: its suggestions are left out too). Most observed first.
func Suggest(obs []Observation, reviewed map[string]bool, known func(entryID string) (phrasings, negatives []string, ok bool)) []Suggestion {
	type acc struct {
		s     *Suggestion
		convs map[string]bool
		texts map[string]int
		from  map[string]int
	}
	byID := map[string]*acc{}
	var order []string
	have := map[string]map[string]string{} // entry → key of its phrasings and negatives → kind
	for _, o := range obs {
		key := PhrasingKey(o.Text)
		if key == "" {
			continue
		}
		id := SuggestionID(o.Kind, o.EntryID, o.Text)
		if reviewed[id] {
			continue
		}
		ks, ok := have[o.EntryID]
		if !ok {
			if ph, negs, answers := known(o.EntryID); answers {
				ks = map[string]string{}
				for _, p := range negs {
					ks[PhrasingKey(p)] = KindNegative
				}
				for _, p := range ph {
					ks[PhrasingKey(p)] = KindAlternative
				}
			}
			have[o.EntryID] = ks
		}
		// An alternative the entry has in any form is not suggested again, nor
		// a negative it has already.
		if had, ok := ks[key]; ks == nil || (ok && (o.Kind == KindAlternative || had == KindNegative)) {
			continue
		}
		a, ok := byID[id]
		if !ok {
			a = &acc{s: &Suggestion{ID: id, Kind: o.Kind, EntryID: o.EntryID}, convs: map[string]bool{},
				texts: map[string]int{}, from: map[string]int{}}
			byID[id] = a
			order = append(order, id)
		}
		a.s.Count++
		a.convs[o.ConversationID] = true
		a.texts[o.Text]++
		a.from[o.From]++
		if o.At.After(a.s.LastSeen) {
			a.s.LastSeen = o.At
		}
	}
	out := make([]Suggestion, 0, len(order))
	for _, id := range order {
		a := byID[id]
		a.s.Conversations = len(a.convs)
		a.s.Examples = ranked(a.texts, 5)
		a.s.Text = a.s.Examples[0]
		a.s.From = ranked(a.from, 0)
		out = append(out, *a.s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Conversations != out[j].Conversations {
			return out[i].Conversations > out[j].Conversations
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// ranked returns the keys of counts, most counted first (ties in alphabetical
// order), n at most (0: all).
func ranked(counts map[string]int, n int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if n > 0 && len(keys) > n {
		keys = keys[:n]
	}
	return keys
}
