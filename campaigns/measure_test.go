package campaigns

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
)

func readCases(t *testing.T, path string) []bot.Case {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := bot.ReadCases(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// campaignOn runs a campaign whose testers ask the given phrasings of an
// imported FAQ and rate each reply understood when it is the right one; an
// expert assigns every misunderstood phrasing that meant an entry to that
// entry. It returns the report, the entries with the assignments as
// alternatives, and the entries assigned to.
func campaignOn(t *testing.T, engine *bot.Engine, entries []kb.Entry, testers []bot.Case) (Report, []kb.Entry, map[string]bool) {
	t.Helper()
	in := Input{Campaign: Campaign{ID: "c"}, Assigned: map[string]string{}}
	expected := map[string]string{}
	for i, c := range testers {
		conv, utt := fmt.Sprintf("conv-%03d", i), fmt.Sprintf("u-%03d", i)
		d := engine.Decide(c.Text, "")
		entry := ""
		if d.Entry != nil {
			entry = d.Entry.ID
		}
		in.Conversations = append(in.Conversations, conv)
		in.Turns = append(in.Turns, projections.CampaignTurn{ConversationID: conv, UtteranceID: utt, Text: c.Text,
			Outcome: string(d.Outcome), EntryID: entry, KBVersion: "v1"})
		in.Events = append(in.Events, logged(t, utt+"r", conv, events.FeedbackGiven{Helpful: right(c.Expected, string(d.Outcome), entry), UtteranceID: utt}))
		expected[utt] = c.Expected
	}
	byID := map[string]int{}
	for i, e := range entries {
		byID[e.ID] = i
	}
	next := slices.Clone(entries)
	assigned := map[string]bool{}
	for _, p := range Build(in).Misunderstood {
		if want := expected[p.ID]; want != bot.None {
			in.Assigned[p.ID] = want
			i := byID[want]
			next[i].Alternatives = append(slices.Clone(next[i].Alternatives), p.Text)
			assigned[want] = true
		}
	}
	return Build(in), next, assigned
}

// splitByFiche puts the first paraphrase of each entry (and every other
// out-of-scope case) in the campaign, the others aside for measuring.
func splitByFiche(cases []bot.Case) (campaign, aside []bot.Case) {
	seen := map[string]int{}
	for i, c := range cases {
		key := c.Expected
		if key == bot.None {
			key = fmt.Sprint("none-", i)
		}
		if seen[key]++; seen[key] == 1 && (c.Expected != bot.None || i%2 == 0) {
			campaign = append(campaign, c)
		} else {
			aside = append(aside, c)
		}
	}
	return campaign, aside
}

func of(cases []bot.Case, assigned map[string]bool) []bot.Case {
	var out []bot.Case
	for _, c := range cases {
		if assigned[c.Expected] {
			out = append(out, c)
		}
	}
	return out
}

// TestCampaignImprovesUnderstanding measures the loop on an imported FAQ (the
// service-public.fr questions, one phrasing each, which the engine understands
// about half the time): testers ask, rate, an expert assigns the misunderstood
// phrasings, and phrasings of the same entries the campaign never saw are asked
// before and after. The test sets are split by fiche (spf_tune and spf_heldout
// share none, nor do the writers' sets w2 and w3), so "the same entries" are
// measured two ways: (1) within each writer's set, the first paraphrase of each
// fiche is a tester's and the others are measured; (2) the whole of spf_tune is
// the campaign and the engine engineers' paraphrases (spf_paraphrases.jsonl) of
// the fiches assigned are measured. Nothing here tunes the engine: the
// knowledge base gains alternatives, as an expert's assignments give it. The
// figures are logged; the test fails if the assignments do not help the
// phrasings the campaign never saw, or leave the campaign's own cases wrong.
func TestCampaignImprovesUnderstanding(t *testing.T) {
	lang := bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	entries := kb.ServicePublic()
	before, err := bot.New(bot.DefaultConfig(), entries, "v1", lang)
	if err != nil {
		t.Fatal(err)
	}
	measure := func(name string, testers, aside []bot.Case) (b, a bot.Report) {
		t.Helper()
		rep, next, assigned := campaignOn(t, before, entries, testers)
		after, err := bot.New(bot.DefaultConfig(), next, "v2", lang)
		if err != nil {
			t.Fatal(err)
		}
		then, now := Score(rep.Then), Score(Now(after, rep.Cases))
		held := of(aside, assigned)
		b, a = bot.Evaluate(before, held), bot.Evaluate(after, held)
		t.Logf("%s: %d testers' phrasings understood at %.1f %%, %d misunderstood assigned to %d entries; the campaign's %d cases right %.1f %% → %.1f %%",
			name, len(testers), 100**rep.UnderstoodRate(), len(rep.Misunderstood), len(assigned), len(rep.Cases), 100**then, 100**now)
		t.Logf("%s: %d unseen phrasings of the assigned entries: answered_correct %.3f → %.3f, top1 %.3f → %.3f, resolved %.3f → %.3f",
			name, len(held), b.AnsweredCorrect, a.AnsweredCorrect, b.Top1, a.Top1, b.Resolved, a.Resolved)
		if *now < 0.95 {
			t.Errorf("%s: the campaign's own cases after the assignments: %.3f right, want nearly all", name, *now)
		}
		if a.AnsweredCorrect <= b.AnsweredCorrect {
			t.Errorf("%s: answered_correct %.3f → %.3f: the assignments did not help", name, b.AnsweredCorrect, a.AnsweredCorrect)
		}
		all := bot.Evaluate(after, aside)
		t.Logf("%s: every set-aside phrasing (%d, out-of-scope ones included): answered_correct %.3f → %.3f, answered_accuracy %.3f → %.3f, none_recall %.3f → %.3f",
			name, len(aside), bot.Evaluate(before, aside).AnsweredCorrect, all.AnsweredCorrect, bot.Evaluate(before, aside).AnsweredAccuracy, all.AnsweredAccuracy,
			bot.Evaluate(before, aside).NoneRecall, all.NoneRecall)
		return b, a
	}

	var testers, aside []bot.Case
	for _, f := range []string{"../bot/testdata/spf_tune.jsonl", "../bot/testdata/w2/spf_paraphrases_w2.jsonl", "../bot/testdata/w3/spf_paraphrases_w3.jsonl"} {
		c, a := splitByFiche(readCases(t, f))
		testers, aside = append(testers, c...), append(aside, a...)
	}
	measure("three writers, first paraphrase of each fiche", testers, aside)
	measure("spf_tune, measured on the engineers' paraphrases", readCases(t, "../bot/testdata/spf_tune.jsonl"), readCases(t, "../bot/testdata/spf_paraphrases.jsonl"))
}

// TestScenarioCampaign measures the loop as a town runs it: an analyst writes
// scenarios for 25 entries of an imported FAQ (the service-public.fr questions,
// fiches no other set here paraphrases), four testers each write the message
// they would send for every scenario (100 phrasings: SMS, formal, keywords, a
// learner of French), an expert assigns the misunderstood ones; then four other
// people, who read the FAQ entries and never the scenarios, ask about the same
// entries in their own words (100 phrasings: a story, a phone, a vague
// description, a letter). The eight writers and the analyst saw no code and no
// other set, nor each other's work (testdata/scenarios/README.md). Nothing was
// tuned on them. The target: ≥ 0.80 understood after the assignments.
func TestScenarioCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("builds six engines (seconds)")
	}
	lang := bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	entries := kb.ServicePublic()
	before, err := bot.New(bot.DefaultConfig(), entries, "v1", lang)
	if err != nil {
		t.Fatal(err)
	}
	var testers, others []bot.Case
	for i := 1; i <= 4; i++ {
		testers = append(testers, readCases(t, fmt.Sprintf("testdata/scenarios/t%d.jsonl", i))...)
		others = append(others, readCases(t, fmt.Sprintf("testdata/scenarios/o%d.jsonl", i))...)
	}
	rep, next, assigned := campaignOn(t, before, entries, testers)
	after, err := bot.New(bot.DefaultConfig(), next, "v2", lang)
	if err != nil {
		t.Fatal(err)
	}
	b, a := bot.Evaluate(before, others), bot.Evaluate(after, others)
	t.Logf("%d testers' phrasings understood at %.1f %%, %d misunderstood assigned to %d of 25 entries",
		len(testers), 100**rep.UnderstoodRate(), len(rep.Misunderstood), len(assigned))
	t.Logf("%d other people's phrasings of the same entries: understood (answered right) %.3f → %.3f, top1 %.3f → %.3f, top3 %.3f → %.3f, resolved %.3f → %.3f, answered accuracy %.3f → %.3f",
		len(others), b.AnsweredCorrect, a.AnsweredCorrect, b.Top1, a.Top1, b.Top3, a.Top3, b.Resolved, a.Resolved, b.AnsweredAccuracy, a.AnsweredAccuracy)
	// One tester a scenario instead of four: each tester's campaign alone.
	var alone float64
	for i := range 4 {
		_, one, _ := campaignOn(t, before, entries, testers[25*i:25*(i+1)])
		e, err := bot.New(bot.DefaultConfig(), one, "v2", lang)
		if err != nil {
			t.Fatal(err)
		}
		alone += bot.Evaluate(e, others).AnsweredCorrect / 4
	}
	t.Logf("with one tester a scenario (each of the four alone, mean): understood %.3f", alone)
	// The other fiches, out-of-scope questions included, must not suffer.
	held := readCases(t, "../bot/testdata/spf_heldout.jsonl")
	hb, ha := bot.Evaluate(before, held), bot.Evaluate(after, held)
	t.Logf("spf_heldout (other fiches): answered right %.3f → %.3f, accuracy %.3f → %.3f, none recall %.3f → %.3f",
		hb.AnsweredCorrect, ha.AnsweredCorrect, hb.AnsweredAccuracy, ha.AnsweredAccuracy, hb.NoneRecall, ha.NoneRecall)
	// Measured when the set was written: 0.380 → 0.900 (one tester a
	// scenario: 0.682); with the fiches' full texts searched, 0.430 → 0.900
	// (0.690). A fall below the target is a regression of the loop.
	if a.AnsweredCorrect < 0.80 || a.AnsweredCorrect < b.AnsweredCorrect+0.3 {
		t.Errorf("other people's phrasings answered right %.3f → %.3f: want 0.80 at least, and a gain of 0.3", b.AnsweredCorrect, a.AnsweredCorrect)
	}
	// A citizen's alternatives draw some questions of other fiches (answered
	// accuracy 0.794 → 0.718 when measured, 0.816 → 0.796 with the full
	// texts); they must not draw many more.
	if ha.AnsweredCorrect < hb.AnsweredCorrect-0.02 || ha.NoneRecall < hb.NoneRecall-0.05 || ha.AnsweredAccuracy < hb.AnsweredAccuracy-0.1 {
		t.Errorf("the assignments cost the other fiches: answered right %.3f → %.3f, accuracy %.3f → %.3f, none recall %.3f → %.3f",
			hb.AnsweredCorrect, ha.AnsweredCorrect, hb.AnsweredAccuracy, ha.AnsweredAccuracy, hb.NoneRecall, ha.NoneRecall)
	}
}
