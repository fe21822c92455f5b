package integration

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestWidgetTestMode opens a campaign's invite URL: the widget starts in test
// mode with its banner and first scenario, the tester rates a reply with the
// keyboard and moves to the next scenario; the campaign's report counts both,
// the overview nothing; the page passes axe-core. An unknown token says so and
// records nothing.
func TestWidgetTestMode(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	var created struct {
		CreateCampaign struct{ ID, InviteURL string }
	}
	if errs := s.GQL(parvistest.AdminToken, `mutation { createCampaign(name: "Avant lancement", scenarios: [
		"Vous venez d'emménager à Montclar : trouvez les horaires de la piscine",
		"Votre carte d'identité expire : renouvelez-la"]) { id inviteUrl } }`, nil, &created); len(errs) > 0 {
		t.Fatal(errs)
	}
	ctx := parvistest.Browser(t, 1280, 900)
	if err := chromedp.Do(ctx, chromedp.Navigate(created.CreateCampaign.InviteURL)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the open panel in test mode with the first scenario", `!root.querySelector(".panel").hidden && !root.querySelector(".testmode").hidden &&
		root.querySelector(".testmode").textContent.includes("Mode test : Avant lancement") && root.querySelector(".testmode").textContent.includes("Scénario 1 sur 2")`)
	shadow[bool](t, ctx, `([...root.querySelectorAll(".actions button")].find(b => b.textContent === "Un particulier").focus(), true)`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the focus in the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)
	keys(t, ctx, "horaires de la piscine")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the rating buttons under the reply", `[...`+botMessages+`].pop().querySelector("[aria-label=\"L'assistant a-t-il compris votre question ?\"] button")`)
	if shadow[bool](t, ctx, `root.textContent.includes("Cette réponse vous a-t-elle aidé")`) {
		t.Error("test mode shows the public feedback question too")
	}
	shadow[bool](t, ctx, `([...`+botMessages+`].pop().querySelector(".actions[aria-label] button").focus(), true)`) // Compris
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the rating noted, the focus kept in the panel", `root.textContent.includes("noté « compris »") && root.activeElement && root.activeElement.id === "parvis-input"`)

	shadow[bool](t, ctx, `([...root.querySelectorAll(".testmode button")].find(b => b.textContent === "Tâche réussie").focus(), true)`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the second scenario, announced", `root.querySelector(".testmode").textContent.includes("Scénario 2 sur 2") &&
		root.querySelector("[role=status].sr-only").textContent.includes("carte d'identité") && root.activeElement && root.activeElement.id === "parvis-input"`)
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations in test mode: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "widget-test-mode")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the banner within 320 px", `root.querySelector(".testmode").getBoundingClientRect().width <= 320`)
	parvistest.Screenshot(t, ctx, "widget-test-mode-320px")

	parvistest.Poll(t, "the report", 20*time.Second, func() error {
		var out struct {
			CampaignReport struct {
				Conversations, RatedAnswers int
				ByScenario                  []struct{ Finished, Done int }
			}
		}
		if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { campaignReport(id: $id) { conversations ratedAnswers byScenario { finished done } } }`,
			map[string]any{"id": created.CreateCampaign.ID}, &out); len(errs) > 0 {
			return fmt.Errorf("%v", errs)
		}
		if r := out.CampaignReport; r.Conversations != 1 || r.RatedAnswers != 1 || r.ByScenario[0].Done != 1 {
			return fmt.Errorf("report = %+v", r)
		}
		return nil
	})
	if o := s.Overview(); o.Conversations != 0 || o.Messages != 0 {
		t.Errorf("overview = %+v, want nothing from the tester", o)
	}

	// An unknown token: a clear message, nothing to send.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate("http://"+s.Addr+"/?campaign=inconnu")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the error in the banner", `root.querySelector(".testmode [role=alert]") && root.querySelector(".testmode [role=alert]").textContent.includes("lien de test n'est pas valable") && root.querySelector("textarea").disabled`)
	// « Nouvelle conversation » leaves the refused campaign: a citizen's conversation.
	shadow[bool](t, ctx, `([...root.querySelectorAll(".footer button")].find(b => b.textContent === "Nouvelle conversation").click(), true)`)
	waitFor(t, ctx, "the widget out of test mode", `root.querySelector(".testmode").hidden && !root.querySelector("textarea").disabled`)
}
