package integration

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/integration/parvistest"
	"github.com/parvis-civic/parvis/kb"
)

type campaignReport struct {
	Testers, Conversations, RatedAnswers int
	UnderstoodRate                       *float64
	ByScenario                           []struct {
		Index, Finished, Done, Rated int
		Task                         string
	}
	Misunderstood []struct {
		ID, Text string
		Outcome  *string
		Entry    *struct{ ID string }
		Assigned *struct{ ID string }
	}
	Cases               string
	CaseCount           int
	ScoreThen, ScoreNow *float64
	KbVersionsThen      []string
}

const reportFields = `testers conversations ratedAnswers understoodRate byScenario { index task finished done rated }
	misunderstood { id text outcome entry { id } assigned { id } } cases caseCount scoreThen scoreNow kbVersionsThen`

func token(t *testing.T, s *parvistest.Server, role string) string {
	t.Helper()
	var tok struct{ CreateApiToken string }
	if errs := s.GQL(parvistest.AdminToken, `mutation($r: Role!) { createApiToken(role: $r, name: "test") }`, map[string]any{"r": role}, &tok); len(errs) > 0 {
		t.Fatal(errs)
	}
	return tok.CreateApiToken
}

// TestCitizenTestCampaign is a campaign from end to end through GraphQL: an
// analyst creates it, a tester opens the invite, rates the replies and
// finishes a scenario; the overview does not count the tester, the campaign's
// report does; an expert assigns the misunderstood phrasing to an entry, which,
// validated and published, answers it; the report's cases are parvis eval cases
// and score better on the knowledge base published now than at the time.
func TestCitizenTestCampaign(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	analyst, expert := token(t, s, "ANALYST"), token(t, s, "EXPERT")

	var created struct {
		CreateCampaign struct{ ID, Name, InviteURL string }
	}
	if errs := s.GQL(analyst, `mutation { createCampaign(name: "Avant lancement", scenarios: ["Vous venez d'emménager à Montclar : trouvez les horaires de la piscine"]) { id name inviteUrl } }`,
		nil, &created); len(errs) > 0 {
		t.Fatal(errs)
	}
	c := created.CreateCampaign
	u, err := url.Parse(c.InviteURL)
	if err != nil || u.Host != s.Addr || len(u.Query().Get("campaign")) < 22 {
		t.Fatalf("inviteUrl %q: want the demo site with a campaign token of 128 bits at least", c.InviteURL)
	}
	invite := u.Query().Get("campaign")
	if errs := s.GQL(expert, `mutation { createCampaign(name: "x") { id } }`, nil, nil); len(errs) == 0 || errs[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("an expert creating a campaign: %v, want FORBIDDEN", errs)
	}

	start := func(tok string) (string, []parvistest.GQLError) {
		var out struct{ StartConversation struct{ ID string } }
		errs := s.GQL("", `mutation($c: String) { startConversation(audience: PARTICULIER, channel: "widget", campaign: $c) { id } }`,
			map[string]any{"c": tok}, &out)
		return out.StartConversation.ID, errs
	}
	if _, errs := start("inconnu"); len(errs) == 0 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "lien de test") {
		t.Errorf("unknown token: %v, want a French BAD_USER_INPUT", errs)
	}
	var ended struct{ CreateCampaign struct{ InviteURL string } }
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	if errs := s.GQL(analyst, `mutation($e: Time) { createCampaign(name: "Ancienne", endsAt: $e) { inviteUrl } }`, map[string]any{"e": past}, &ended); len(errs) > 0 {
		t.Fatal(errs)
	}
	endedURL, _ := url.Parse(ended.CreateCampaign.InviteURL)
	if _, errs := start(endedURL.Query().Get("campaign")); len(errs) == 0 || !strings.Contains(errs[0].Message, "terminée") {
		t.Errorf("ended campaign: %v, want « terminée »", errs)
	}

	// A citizen, then a tester.
	live := s.StartConversation()
	if _, errs := s.Send(live, "horaires de la piscine"); len(errs) > 0 {
		t.Fatal(errs)
	}
	conv, errs := start(invite)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	const odd = "grenouille turquoise du mercredi"
	rate := func(understood bool) {
		t.Helper()
		if errs := s.GQL("", `mutation($c: ID!, $u: Boolean!) { rateAnswer(conversationId: $c, understood: $u) }`,
			map[string]any{"c": conv, "u": understood}, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	if r, errs := s.Send(conv, "horaires de la piscine"); len(errs) > 0 || r.Entry == nil || r.Entry.ID != "piscine" {
		t.Fatalf("tester's first message: %+v %v", r, errs)
	}
	rate(true)
	if r, errs := s.Send(conv, odd); len(errs) > 0 || r.Outcome != "UNANSWERED" {
		t.Fatalf("%s: %+v %v, want UNANSWERED", odd, r, errs)
	}
	rate(false)
	if errs := s.GQL("", `mutation($c: ID!) { rateAnswer(conversationId: $c, understood: true) }`, map[string]any{"c": conv}, nil); len(errs) == 0 {
		t.Error("rating a third time with two replies: accepted")
	}
	if errs := s.GQL("", `mutation($c: ID!) { finishScenario(conversationId: $c, scenario: 0, done: true) }`, map[string]any{"c": conv}, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	if errs := s.GQL("", `mutation($c: ID!) { finishScenario(conversationId: $c, scenario: 0, done: true) }`, map[string]any{"c": live}, nil); len(errs) == 0 {
		t.Error("finishScenario outside a campaign: accepted")
	}

	report := func() campaignReport {
		t.Helper()
		var out struct{ CampaignReport campaignReport }
		if errs := s.GQL(analyst, `query($id: ID!) { campaignReport(id: $id) { `+reportFields+` } }`, map[string]any{"id": c.ID}, &out); len(errs) > 0 {
			t.Fatal(errs)
		}
		return out.CampaignReport
	}
	var rep campaignReport
	parvistest.Poll(t, "the campaign's report", 20*time.Second, func() error {
		if rep = report(); rep.RatedAnswers != 2 || len(rep.ByScenario) != 1 || rep.ByScenario[0].Done != 1 {
			return fmt.Errorf("report = %+v", rep)
		}
		return nil
	})
	if rep.Conversations != 1 || rep.Testers != 1 || rep.UnderstoodRate == nil || *rep.UnderstoodRate != 0.5 || rep.ByScenario[0].Rated != 2 {
		t.Errorf("report = %+v, want 1 conversation, 1 tester, understood 0.5", rep)
	}
	if len(rep.Misunderstood) != 1 || rep.Misunderstood[0].Text != odd || rep.Misunderstood[0].Outcome == nil || *rep.Misunderstood[0].Outcome != "UNANSWERED" {
		t.Fatalf("misunderstood = %+v", rep.Misunderstood)
	}
	if o := s.WaitMessages(1, 10*time.Second); o.Conversations != 1 {
		t.Errorf("overview = %+v, want the citizen's conversation only", o)
	}
	if rep.CaseCount != 1 || rep.ScoreThen == nil || *rep.ScoreThen != 1 {
		t.Errorf("before assignment: %d cases, score then %v; want the understood one, right", rep.CaseCount, rep.ScoreThen)
	}

	// The expert assigns the phrasing; it answers once published.
	phrasing := rep.Misunderstood[0].ID
	if errs := s.GQL(analyst, `mutation($p: ID!) { assignPhrasing(phrasingId: $p, entryId: "piscine") { id } }`, map[string]any{"p": phrasing}, nil); len(errs) == 0 ||
		errs[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("an analyst assigning: %v, want FORBIDDEN", errs)
	}
	var as struct {
		AssignPhrasing struct {
			ID, Status   string
			Alternatives []string
		}
	}
	if errs := s.GQL(expert, `mutation($p: ID!) { assignPhrasing(phrasingId: $p, entryId: "piscine") { id status alternatives } }`, map[string]any{"p": phrasing}, &as); len(errs) > 0 {
		t.Fatal(errs)
	}
	if d := as.AssignPhrasing; d.ID != "piscine" || d.Status != "draft" || !slices.Contains(d.Alternatives, odd) {
		t.Fatalf("assigned: %+v", d)
	}
	if r, _ := s.Send(s.StartConversation(), odd); r.Outcome != "UNANSWERED" {
		t.Fatalf("answered before publication: %+v", r)
	}
	for _, m := range []string{"validateKbEntry", "publishKbEntry"} {
		if errs := s.GQL(expert, `mutation { `+m+`(id: "piscine") { status } }`, nil, nil); len(errs) > 0 {
			t.Fatalf("%s: %v", m, errs)
		}
	}
	parvistest.Poll(t, "the assigned phrasing answered", 10*time.Second, func() error {
		if r, _ := s.Send(s.StartConversation(), odd); r.Entry == nil || r.Entry.ID != "piscine" {
			return fmt.Errorf("%s: %+v", odd, r)
		}
		return nil
	})

	// The report scores the cases with every engine swapped to the published
	// version: each tenant's, then the one the report uses.
	parvistest.Poll(t, "the assignment in the report", 30*time.Second, func() error {
		if rep = report(); rep.CaseCount != 2 || rep.Misunderstood[0].Assigned == nil || rep.ScoreNow == nil || *rep.ScoreNow != 1 {
			return fmt.Errorf("report = %+v", rep)
		}
		return nil
	})
	if rep.ScoreThen == nil || *rep.ScoreThen != 0.5 || rep.ScoreNow == nil || *rep.ScoreNow != 1 || len(rep.KbVersionsThen) != 1 {
		t.Errorf("scores then %v, now %v, versions %v; want 0.5 then, 1 now", rep.ScoreThen, rep.ScoreNow, rep.KbVersionsThen)
	}
	entries := append(kb.Demo(), kb.ServicePublic()...)
	cases, err := bot.ReadCases(strings.NewReader(rep.Cases), func(id string) bool {
		for _, e := range entries {
			if e.ID == id {
				return true
			}
		}
		return false
	})
	if err != nil || len(cases) != 2 || cases[1].Text != odd || cases[1].Expected != "piscine" {
		t.Fatalf("cases %q: %+v %v", rep.Cases, cases, err)
	}
	engine, err := bot.New(bot.DefaultConfig(), entries, "demo", bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		t.Fatal(err)
	}
	if r := bot.Evaluate(engine, cases); r.Cases != 2 || r.Top1 >= 1 {
		t.Errorf("the demo base without the assignment: %+v, want the assigned phrasing missed", r)
	}
}
