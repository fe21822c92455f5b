package mining

import (
	"reflect"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/projections"
)

var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

func answered(conv, id, text, entry string, after time.Duration, candidates ...string) projections.Turn {
	return projections.Turn{ConversationID: conv, UtteranceID: id, Text: text, Outcome: "ANSWERED", EntryID: entry,
		At: t0.Add(after), Candidates: append([]string{entry}, candidates...)}
}

func rated(conv string, helpful bool, after time.Duration) projections.Feedback {
	f := projections.Feedback{ConversationID: conv, At: t0.Add(after)}
	if helpful {
		f.Helpful = 1
	}
	return f
}

// TestObserveRephraseRule: a question asked again within two minutes of an
// answer, answered by another entry the engine had weighed for the first
// phrasing, makes the first phrasing an alternative of that entry; not when the
// first answer helped, the second did not, too late, or to an entry never
// weighed.
func TestObserveRephraseRule(t *testing.T) {
	first := answered("c", "u1", "ou deposer mes vieux meubles", "decheterie", 0, "encombrants")
	tests := []struct {
		name     string
		turns    []projections.Turn
		feedback []projections.Feedback
		want     []string // entry ← text of the alternatives observed
	}{
		{"rephrased, then unrated", []projections.Turn{first, answered("c", "u2", "ramassage des encombrants", "encombrants", time.Minute)},
			nil, []string{"encombrants ← ou deposer mes vieux meubles"}},
		{"rephrased, then helpful", []projections.Turn{first, answered("c", "u2", "ramassage des encombrants", "encombrants", time.Minute)},
			[]projections.Feedback{rated("c", true, 90*time.Second)}, []string{"encombrants ← ou deposer mes vieux meubles"}},
		{"rephrased, then not helpful", []projections.Turn{first, answered("c", "u2", "ramassage des encombrants", "encombrants", time.Minute)},
			[]projections.Feedback{rated("c", false, 90*time.Second)}, nil},
		{"first answer helped", []projections.Turn{first, answered("c", "u2", "ramassage des encombrants", "encombrants", time.Minute)},
			[]projections.Feedback{rated("c", true, 30*time.Second)}, nil},
		{"too late", []projections.Turn{first, answered("c", "u2", "ramassage des encombrants", "encombrants", 3*time.Minute)}, nil, nil},
		{"another topic, never weighed", []projections.Turn{first, answered("c", "u2", "horaires de la piscine", "piscine", time.Minute)}, nil, nil},
		{"same entry again", []projections.Turn{first, answered("c", "u2", "la decheterie svp", "decheterie", time.Minute)}, nil, nil},
		{"not answered after", []projections.Turn{first, {ConversationID: "c", UtteranceID: "u2", Text: "encombrants ?", Outcome: "UNANSWERED", At: t0.Add(time.Minute)}}, nil, nil},
		{"another conversation", []projections.Turn{first, answered("d", "u2", "ramassage des encombrants", "encombrants", time.Minute)}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, o := range Observe(tt.turns, tt.feedback, nil) {
				if o.Kind == KindAlternative {
					if o.From != FromRephrase || o.ConversationID != "c" || o.UtteranceID != "u1" {
						t.Errorf("observation = %+v", o)
					}
					got = append(got, o.EntryID+" ← "+o.Text)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("alternatives = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestObserveThumbsDown: "not helpful" makes the phrasing answered last before it
// a negative of the entry that answered it, not an earlier answer nor a later one.
func TestObserveThumbsDown(t *testing.T) {
	turns := []projections.Turn{
		answered("c", "u1", "horaires de la mairie", "mairie_horaires", 0),
		answered("c", "u2", "peut on bruler des feuilles", "decheterie", 5*time.Minute),
		answered("c", "u3", "merci et la piscine", "piscine", 10*time.Minute),
	}
	obs := Observe(turns, []projections.Feedback{rated("c", false, 6*time.Minute), rated("c", true, time.Minute)}, nil)
	if len(obs) != 1 || obs[0].Kind != KindNegative || obs[0].EntryID != "decheterie" || obs[0].Text != "peut on bruler des feuilles" ||
		obs[0].From != FromThumbs || obs[0].UtteranceID != "u2" {
		t.Fatalf("observations = %+v", obs)
	}
}

// TestSuggestGathersAndLeavesOut: clicked choices of one phrasing, worded
// differently in several conversations, make one suggestion with its counts and
// examples; a reviewed suggestion, a phrasing the entry has already and an
// entry that no longer answers are left out. The click's own turn is never
// evidence.
func TestSuggestGathersAndLeavesOut(t *testing.T) {
	choices := []projections.Choice{
		{ConversationID: "c1", UtteranceID: "u1", Text: "Horaires ?", EntryID: "mairie_horaires", ChoiceID: "k1", At: t0},
		{ConversationID: "c2", UtteranceID: "u2", Text: "horaires", EntryID: "mairie_horaires", ChoiceID: "k2", At: t0.Add(time.Hour)},
		{ConversationID: "c2", UtteranceID: "u3", Text: "horaires", EntryID: "mairie_horaires", ChoiceID: "k3", At: t0.Add(2 * time.Hour)},
		{ConversationID: "c3", UtteranceID: "u4", Text: "tarifs", EntryID: "cantine", ChoiceID: "k4", At: t0},
		{ConversationID: "c3", UtteranceID: "u5", Text: "acte", EntryID: "retired", ChoiceID: "k5", At: t0},
		{ConversationID: "c4", UtteranceID: "u6", Text: "Inscription cantine", EntryID: "cantine", ChoiceID: "k6", At: t0},
	}
	// The click k1 became a turn answered with the entry's question, then a
	// rephrase to another entry: not evidence.
	turns := []projections.Turn{
		answered("c1", "k1", "Quels sont les horaires de la mairie ?", "mairie_horaires", time.Second, "etat_civil"),
		answered("c1", "u9", "acte de naissance", "etat_civil", time.Minute),
	}
	// « horaires » alone is another phrasing than the entry's question, although
	// mining's grouping Key leaves « mairie » out of both.
	known := map[string][]string{
		"mairie_horaires": {"Quels sont les horaires de la mairie ?"},
		"cantine":         {"Comment inscrire mon enfant à la cantine ?", "inscription cantine"},
		"etat_civil":      {"Acte de naissance"},
	}
	reviewed := map[string]bool{SuggestionID(KindAlternative, "cantine", "tarifs"): true}
	got := Suggest(Observe(turns, nil, choices), reviewed, func(id string) ([]string, []string, bool) {
		ph, ok := known[id]
		return ph, nil, ok
	})
	if len(got) != 1 {
		t.Fatalf("suggestions = %+v", got)
	}
	s := got[0]
	if s.Kind != KindAlternative || s.EntryID != "mairie_horaires" || s.Count != 3 || s.Conversations != 2 ||
		s.Text != "horaires" || !reflect.DeepEqual(s.Examples, []string{"horaires", "Horaires ?"}) ||
		!reflect.DeepEqual(s.From, []string{FromChoice}) || !s.LastSeen.Equal(t0.Add(2*time.Hour)) ||
		s.ID != SuggestionID(KindAlternative, "mairie_horaires", "HORAIRES") {
		t.Errorf("suggestion = %+v", s)
	}
}
