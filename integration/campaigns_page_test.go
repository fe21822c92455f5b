package integration

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestCampaignReportPage: the campaigns page shows a campaign's figures with
// their tables, compares it with the one before, and assigns a misunderstood
// phrasing to an entry with the multi-select; it passes axe-core and fits
// 320 px.
func TestCampaignReportPage(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	s.CreateAccount("camille", "Camille Martin", "ADMIN", "un mot de passe solide")
	campaign := func(name string) (id, invite string) {
		var out struct {
			CreateCampaign struct{ ID, InviteURL string }
		}
		if errs := s.GQL(parvistest.AdminToken, `mutation($n: String!) { createCampaign(name: $n, scenarios: ["Trouvez les horaires de la piscine"]) { id inviteUrl } }`,
			map[string]any{"n": name}, &out); len(errs) > 0 {
			t.Fatal(errs)
		}
		return out.CreateCampaign.ID, out.CreateCampaign.InviteURL[len(out.CreateCampaign.InviteURL)-43:]
	}
	tester := func(invite string, turns map[string]bool) {
		var out struct{ StartConversation struct{ ID string } }
		if errs := s.GQL("", `mutation($c: String) { startConversation(campaign: $c) { id } }`, map[string]any{"c": invite}, &out); len(errs) > 0 {
			t.Fatal(errs)
		}
		conv := out.StartConversation.ID
		for text, understood := range turns {
			if _, errs := s.Send(conv, text); len(errs) > 0 {
				t.Fatal(errs)
			}
			if errs := s.GQL("", `mutation($c: ID!, $u: Boolean!) { rateAnswer(conversationId: $c, understood: $u) }`, map[string]any{"c": conv, "u": understood}, nil); len(errs) > 0 {
				t.Fatal(errs)
			}
		}
		if errs := s.GQL("", `mutation($c: ID!) { finishScenario(conversationId: $c, scenario: 0, done: true) }`, map[string]any{"c": conv}, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	_, before := campaign("Avant lancement")
	tester(before, map[string]bool{"grenouille turquoise du mercredi": false})
	_, after := campaign("Après la mise à jour")
	tester(after, map[string]bool{"horaires de la piscine": true, "crapaud violet du jeudi": false})

	ctx := parvistest.Browser(t, 1280, 1000)
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	wait := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !page(expr) {
			if time.Now().After(deadline) {
				parvistest.Screenshot(t, ctx, "failure-campaigns")
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => { if (e.getBoundingClientRect().right <= 320.5) return false; for (let a = e.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== "visible") return false; } return true; }).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + " " + e.getBoundingClientRect().right + " " + getComputedStyle(e).position).join(", ") + " scrollWidth " + document.documentElement.scrollWidth`))
				t.Fatalf("timed out waiting for %s (wider than the page: %s)", what, wide)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/campagnes.html")); err != nil {
		t.Fatal(err)
	}
	wait("the sign-in form", `!document.querySelector("#login").hidden`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#user", "camille"), chromedp.SendKeys("#password", "un mot de passe solide\n")); err != nil {
		t.Fatal(err)
	}
	// The newest campaign first; refresh until the projections hold its ratings.
	wait("the report of the latest campaign", `document.querySelector("#report-title").textContent.includes("Après la mise à jour") &&
		(document.querySelector("#kpis").textContent.includes("50 %") || (document.querySelector("#choose button[type=submit]").click(), false))`)
	page(`(document.querySelector("#before").selectedIndex = 2, document.querySelector("#choose button[type=submit]").click(), false)`)
	wait("the comparison with its table", `document.querySelectorAll("#compare-table tbody tr").length === 5 && !document.querySelector("#compare").hidden &&
		document.querySelector("#compare-table thead").textContent.includes("Avant : Avant lancement")`)
	if !page(`document.querySelector("#scenario-table tbody th").textContent === "Scénario 1" && document.querySelector("#scenario-table tbody").textContent.includes("100 %")`) {
		t.Error("the scenario table does not show the task's success")
	}
	wait("the misunderstood phrasing", `[...document.querySelectorAll("#misunderstood tbody label")].some(l => l.textContent === "crapaud violet du jeudi")`)
	page(`(document.querySelector("#misunderstood tbody input[type=checkbox]").click(), false)`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#assign-entry", "piscine"), chromedp.Click("#assign button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the assignment", `document.querySelector("#status").textContent.includes("ajoutée(s)") && document.querySelector("#misunderstood tbody").textContent.includes("(piscine)")`)
	if !page(`document.querySelector("#versions").textContent.includes("publiée aujourd'hui")`) {
		t.Error("the page does not say which knowledge base versions it compares")
	}

	// A new campaign from the form: its invite URL is shown.
	if err := chromedp.Do(ctx, chromedp.SendKeys("#c-name", "Après publication"),
		chromedp.SendKeys("#c-scenarios", "Inscrivez votre fils à la cantine"), chromedp.Click("#create button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the new campaign", `document.querySelector("#status").textContent.includes("créée") && document.querySelector("#invite").textContent.includes("?campaign=") &&
		document.querySelector("#report-title").textContent.includes("Après publication") && document.querySelectorAll("#campaign option").length === 3`)
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the campaigns page: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "campaigns")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 800)); err != nil {
		t.Fatal(err)
	}
	// A phone turned to portrait: the page hears of it as a resize.
	wait("the page within 320 px", `(window.dispatchEvent(new Event("resize")), document.documentElement.scrollWidth <= 320)`)
	parvistest.Screenshot(t, ctx, "campaigns-320px")
}
