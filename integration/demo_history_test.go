package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestDemoHistory starts `serve --demo` with its 90 days of history on an empty
// data directory: the overview of the last 90 days is full, an analyst sees the
// unmet needs ranked with their growth, the desk holds demandes settled and
// open; a restart writes nothing twice. One server start: it is slow.
func TestDemoHistory(t *testing.T) {
	t.Parallel() // it waits for the projector and the miner
	s := parvistest.Start(t, t.TempDir(), "--demo-history", "90")
	analyst, agent := token(t, s, "ANALYST"), token(t, s, "AGENT")

	// Written in the background, then projected and mined.
	parvistest.Poll(t, "the history projected and mined", 5*time.Minute, func() error {
		if out := s.Output(); !strings.Contains(out, "demo history projected and mined") {
			return fmt.Errorf("not yet; the log ends with:\n%s", out[max(0, len(out)-600):])
		}
		return nil
	})
	for _, line := range strings.Split(s.Output(), "\n") {
		if strings.Contains(line, "demo history written") || strings.Contains(line, "demo history projected") {
			t.Log(line)
		}
	}
	// One window for both reads: a message at the far edge of the history must
	// not leave it between them.
	since := time.Now().Add(-91 * 24 * time.Hour)
	o := overview90(t, s, analyst, since)
	if o.Conversations < 1000 || o.Messages <= o.Conversations || o.Answered == 0 || o.Unanswered == 0 ||
		o.AnswerRate <= 0 || o.HelpfulRate == nil || *o.HelpfulRate <= 0 {
		t.Errorf("overview of the last 90 days: %+v", o)
	}

	// The last month's unmet needs, ranked, with their growth.
	var needs struct {
		UnansweredClusters []struct {
			Label  string
			Size   int
			Growth *float64
		}
	}
	parvistest.Poll(t, "the needs grouped", time.Minute, func() error {
		from := time.Now().Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
		to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		if errs := s.GQL(analyst, `query($f: Time!, $t: Time!) { unansweredClusters(from: $f, to: $t, limit: 10) { label size growth } }`,
			map[string]any{"f": from, "t": to}, &needs); len(errs) > 0 {
			return fmt.Errorf("%v", errs)
		}
		grown, christmas := 0, false
		for _, c := range needs.UnansweredClusters {
			if c.Growth != nil && *c.Growth > 0 {
				grown++
			}
			christmas = christmas || strings.Contains(strings.ToLower(c.Label), "no") && strings.Contains(strings.ToLower(c.Label), "march")
		}
		if len(needs.UnansweredClusters) < 5 || grown < 2 || !christmas {
			return fmt.Errorf("want 5 needs or more, 2 growing, the Christmas market among them: %+v", needs.UnansweredClusters)
		}
		return nil
	})
	for i := 1; i < len(needs.UnansweredClusters); i++ {
		if needs.UnansweredClusters[i].Size > needs.UnansweredClusters[i-1].Size {
			t.Errorf("needs not ranked by volume: %+v", needs.UnansweredClusters)
		}
	}

	// The desk: demandes settled, and some still open.
	desk := deskStatuses(t, s, agent)
	if desk["TRAITEE"] == 0 || desk["RECUE"]+desk["EN_COURS"] == 0 {
		t.Errorf("demandes on the desk by status: %v", desk)
	}

	// A restart finds the conversations on the log and writes nothing.
	s.Kill()
	s.Restart()
	parvistest.Poll(t, "the restart's word on the history", 30*time.Second, func() error {
		if !strings.Contains(s.Output(), "demo history already written") {
			return fmt.Errorf("no word yet")
		}
		return nil
	})
	if strings.Contains(s.Output(), "demo history: writing") {
		t.Fatal("the history is written again after a restart")
	}
	if again := overview90(t, s, analyst, since); again.Conversations != o.Conversations || again.Messages != o.Messages {
		t.Errorf("after a restart: %+v, before: %+v", again, o)
	}
	if again := deskStatuses(t, s, agent); fmt.Sprint(again) != fmt.Sprint(desk) {
		t.Errorf("the desk after a restart: %v, before: %v", again, desk)
	}

	// A need the history never had, asked today by five people: among the
	// period's new needs, which the workbench shows above the list ranked by
	// volume, where the town's long-standing needs fill the first lines.
	for _, text := range []string{"nid de frelons dans mon cerisier, la mairie peut l'enlever ?",
		"des frelons asiatiques sous mon toit, qui appeler ?", "destruction nid de frelons prise en charge par la commune ?",
		"un nid de frelons au dessus de ma porte, vous pouvez intervenir ?", "frelons partout dans le jardin, la ville fait quoi ?"} {
		if _, errs := s.Send(s.StartConversation(), text); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	type group struct {
		Label    string
		Size     int
		Growth   *float64
		Examples []string
	}
	hornets := func(g group) bool { return strings.Contains(strings.Join(append(g.Examples, g.Label), " "), "frelons") }
	parvistest.Poll(t, "the new need among the new groups", 2*time.Minute, func() error {
		var out struct{ UnansweredClusters []group }
		from := time.Now().Add(-30 * 24 * time.Hour).UTC().Format(time.RFC3339)
		to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		if errs := s.GQL(analyst, `query($f: Time!, $t: Time!) { unansweredClusters(from: $f, to: $t, limit: 20, newOnly: true) { label size growth examples } }`,
			map[string]any{"f": from, "t": to}, &out); len(errs) > 0 {
			return fmt.Errorf("%v", errs)
		}
		for _, g := range out.UnansweredClusters {
			if g.Growth != nil {
				t.Fatalf("a group asked about in the previous period among the new ones: %+v", g)
			}
		}
		for _, g := range out.UnansweredClusters {
			if hornets(g) && g.Size >= 4 {
				return nil
			}
		}
		return fmt.Errorf("no group of hornets' nests among the new ones: %+v", out.UnansweredClusters)
	})
	s.CreateAccount("camille", "Camille Martin", "ANALYST", "un mot de passe solide")
	ctx := parvistest.Browser(t, 1280, 1000)
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/")); err != nil {
		t.Fatal(err)
	}
	parvistest.Poll(t, "the sign-in form", 30*time.Second, func() error {
		if !page(`!document.querySelector("#login").hidden`) {
			return fmt.Errorf("not shown")
		}
		return nil
	})
	if err := chromedp.Do(ctx, chromedp.SendKeys("#user", "camille"), chromedp.SendKeys("#password", "un mot de passe solide\n")); err != nil {
		t.Fatal(err)
	}
	parvistest.Poll(t, "the new need above the list", 30*time.Second, func() error {
		if !page(`!document.querySelector("#emerging").hidden && document.querySelector("#emerging li") !== null &&
			document.querySelector("#emerging").textContent.includes("frelons")`) {
			page(`(document.querySelector("#filters button[type=submit]") && document.querySelector("#filters button[type=submit]").click(), false)`)
			return fmt.Errorf("not shown")
		}
		return nil
	})
	// The first lines of the list itself are the long-standing needs.
	if page(`document.querySelector("#groups tbody tr .label-btn").textContent.includes("frelons")`) {
		t.Error("the new need leads the list ranked by volume: the test no longer shows what the block is for")
	}
	// The officer clicks the line that speaks of hornets: its label, or the
	// subject beside it when the representative question is another
	// member's. The click is repeated while the list may still be redrawn
	// by the refresh the filters' button started.
	parvistest.Poll(t, "the new need's detail", 30*time.Second, func() error {
		if page(`!document.querySelector("#detail").hidden && [...document.querySelectorAll("#detail-title, #examples")].some((e) => e.textContent.includes("frelons"))`) {
			return nil
		}
		page(`(() => { const li = [...document.querySelectorAll("#emerging li")].find((l) => l.textContent.includes("frelons")); if (li) li.querySelector("button").click(); return false; })()`)
		shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#emerging").textContent + " | detail: " + document.querySelector("#detail-title").textContent`))
		return fmt.Errorf("not shown; the page shows: %s", shown)
	})
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the workbench with new needs: %s", raw)
	}
}

type overviewFigures struct {
	Conversations, Messages, Answered, Unanswered int
	AnswerRate                                    float64
	HelpfulRate                                   *float64
}

// overview90 reads the overview of the history's 90 days, from since.
func overview90(t *testing.T, s *parvistest.Server, token string, since time.Time) overviewFigures {
	t.Helper()
	var out struct{ Overview overviewFigures }
	from := since.UTC().Format(time.RFC3339)
	to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if errs := s.GQL(token, `query($f: Time!, $t: Time!) { overview(from: $f, to: $t) { conversations messages answered unanswered answerRate helpfulRate } }`,
		map[string]any{"f": from, "t": to}, &out); len(errs) > 0 {
		t.Fatalf("overview: %v", errs)
	}
	return out.Overview
}

// deskStatuses counts the demandes of the desk by status.
func deskStatuses(t *testing.T, s *parvistest.Server, token string) map[string]int {
	t.Helper()
	var desk struct {
		Demandes []struct{ Demande struct{ Status string } }
	}
	if errs := s.GQL(token, `{ demandes(first: 1000) { demande { status } } }`, nil, &desk); len(errs) > 0 {
		t.Fatalf("demandes: %v", errs)
	}
	n := map[string]int{}
	for _, d := range desk.Demandes {
		n[d.Demande.Status]++
	}
	return n
}
