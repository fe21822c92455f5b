package campaigns

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/projections"
)

// Input is what a campaign's report is made of, as the projections hold it.
type Input struct {
	Campaign      Campaign
	Conversations []string
	Turns         []projections.CampaignTurn // in conversation order
	Events        []projections.LoggedEvent  // ratings and finished scenarios, in log order
	Assigned      map[string]string          // phrasing (utterance id) → entry an expert assigned
}

// Report is a campaign's figures.
type Report struct {
	Testers       int // conversations in which the tester wrote at least once
	Conversations int
	Rated         int
	Understood    int
	ByEntry       []EntryRate    // most rated first
	ByScenario    []ScenarioRate // in the campaign's order
	Misunderstood []Phrasing     // in conversation order
	Cases         []bot.Case     // for `parvis eval`; see [Build]
	// Then is, for each case, whether the decision the testers got at the time
	// was right; KBVersions the knowledge base versions that decided, most
	// frequent first.
	Then       []bool
	KBVersions []string
}

// UnderstoodRate is the share of rated replies the testers understood, or nil
// when none was rated.
func (r Report) UnderstoodRate() *float64 { return Rate(r.Understood, r.Rated) }

// EntryRate is how well the replies of one entry were understood ("" for the
// replies without an entry: not answered, choices offered).
type EntryRate struct {
	EntryID           string
	Rated, Understood int
}

// ScenarioRate is how one scenario went: the replies rated while testers were
// on it, and how many said its task was done.
type ScenarioRate struct {
	Index             int
	Task              string
	Rated, Understood int
	Finished, Done    int
}

// Phrasing is a tester's message whose reply was rated not understood.
type Phrasing struct {
	ID             string // the utterance's event id
	ConversationID string
	Text           string
	Outcome        string
	EntryID        string // the entry that answered, if any
	Assigned       string // the entry an expert assigned, if any
	Scenario       int    // -1 when the tester was on no scenario
}

// Rate is n out of of, nil when of is 0.
func Rate(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}

// Build computes a campaign's report. A rating counts for the utterance it
// names (the latest rating of it wins); a tester's messages belong to the
// scenario the tester finishes next in the same conversation.
//
// Cases: an understood reply gives a case expecting the entry that answered
// (or "none" for an understood "not answered": the question was out of
// scope); a misunderstood one gives a case expecting the entry an expert
// assigned, and none while unassigned; a case is kept once per text.
func Build(in Input) Report {
	rep := Report{Conversations: len(in.Conversations)}
	understood := map[string]bool{}
	scenarioOf := map[string]int{} // utterance → scenario
	type finish struct {
		id string
		p  events.ScenarioFinished
	}
	byConv := map[string][]finish{}
	for _, e := range in.Events {
		switch e.Type {
		case events.TypeFeedbackGiven:
			var p events.FeedbackGiven
			if json.Unmarshal([]byte(e.Payload), &p) == nil && p.UtteranceID != "" {
				understood[p.UtteranceID] = p.Helpful
			}
		case events.TypeScenarioFinished:
			var p events.ScenarioFinished
			if json.Unmarshal([]byte(e.Payload), &p) == nil {
				byConv[e.ConversationID] = append(byConv[e.ConversationID], finish{e.ID, p})
			}
		}
	}
	scen := make([]ScenarioRate, len(in.Campaign.Scenarios))
	for i, t := range in.Campaign.Scenarios {
		scen[i] = ScenarioRate{Index: i, Task: t}
	}
	for _, fs := range byConv {
		for _, f := range fs {
			if f.p.Scenario >= 0 && f.p.Scenario < len(scen) {
				scen[f.p.Scenario].Finished++
				if f.p.Done {
					scen[f.p.Scenario].Done++
				}
			}
		}
	}
	testers := map[string]bool{}
	entries := map[string]*EntryRate{}
	versions := map[string]int{}
	seenCase := map[string]bool{}
	for _, t := range in.Turns {
		testers[t.ConversationID] = true
		scenarioOf[t.UtteranceID] = -1
		for _, f := range byConv[t.ConversationID] {
			if f.id > t.UtteranceID {
				scenarioOf[t.UtteranceID] = f.p.Scenario
				break
			}
		}
		ok, rated := understood[t.UtteranceID]
		if !rated {
			continue
		}
		versions[t.KBVersion]++
		rep.Rated++
		er := entries[t.EntryID]
		if er == nil {
			er = &EntryRate{EntryID: t.EntryID}
			entries[t.EntryID] = er
		}
		er.Rated++
		sc := scenarioOf[t.UtteranceID]
		if sc >= 0 && sc < len(scen) {
			scen[sc].Rated++
		}
		if ok {
			rep.Understood++
			er.Understood++
			if sc >= 0 && sc < len(scen) {
				scen[sc].Understood++
			}
		} else {
			rep.Misunderstood = append(rep.Misunderstood, Phrasing{ID: t.UtteranceID, ConversationID: t.ConversationID,
				Text: t.Text, Outcome: t.Outcome, EntryID: t.EntryID, Assigned: in.Assigned[t.UtteranceID], Scenario: sc})
		}
		expected := ""
		switch {
		case ok && t.EntryID != "":
			expected = t.EntryID
		case ok && t.Outcome == string(bot.Unanswered):
			expected = bot.None
		case !ok:
			expected = in.Assigned[t.UtteranceID]
		}
		key := strings.ToLower(strings.TrimSpace(t.Text))
		if expected == "" || key == "" || seenCase[key] {
			continue
		}
		seenCase[key] = true
		rep.Cases = append(rep.Cases, bot.Case{Text: t.Text, Expected: expected})
		rep.Then = append(rep.Then, right(expected, t.Outcome, t.EntryID))
	}
	rep.Testers = len(testers)
	rep.ByScenario = scen
	for _, er := range entries {
		rep.ByEntry = append(rep.ByEntry, *er)
	}
	sort.Slice(rep.ByEntry, func(i, j int) bool {
		a, b := rep.ByEntry[i], rep.ByEntry[j]
		switch {
		case a.Rated != b.Rated:
			return a.Rated > b.Rated
		case (a.EntryID == "") != (b.EntryID == ""):
			return b.EntryID == "" // the replies without an entry after the entries
		}
		return a.EntryID < b.EntryID
	})
	for v := range versions {
		rep.KBVersions = append(rep.KBVersions, v)
	}
	sort.Slice(rep.KBVersions, func(i, j int) bool {
		a, b := rep.KBVersions[i], rep.KBVersions[j]
		if versions[a] != versions[b] {
			return versions[a] > versions[b]
		}
		return a < b
	})
	return rep
}

// right reports whether a decision gave what a case expects: an answering
// decision with the expected entry, or "not answered" for "none".
func right(expected, outcome, entry string) bool {
	if expected == bot.None {
		return outcome == string(bot.Unanswered)
	}
	return entry == expected && (outcome == string(bot.Answered) || outcome == string(bot.Smalltalk) || outcome == string(bot.Handoff))
}

// CasesJSONL writes cases one JSON object a line, as `parvis eval --cases`
// reads them.
func CasesJSONL(cases []bot.Case) string {
	var b strings.Builder
	for _, c := range cases {
		line, _ := json.Marshal(struct {
			Text     string `json:"text"`
			Expected string `json:"expected"`
		}{c.Text, c.Expected})
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// Score is the share of cases decided right, nil without cases.
func Score(right []bool) *float64 {
	n := 0
	for _, r := range right {
		if r {
			n++
		}
	}
	return Rate(n, len(right))
}

// Now decides the cases with an engine (the live one: the knowledge base as
// published now) and says which it gets right.
func Now(e *bot.Engine, cases []bot.Case) []bool {
	out := make([]bool, len(cases))
	for i, r := range bot.Evaluate(e, cases).Results {
		d := r.Decision
		entry := ""
		if d.Entry != nil {
			entry = d.Entry.ID
		}
		out[i] = right(r.Case.Expected, string(d.Outcome), entry)
	}
	return out
}
