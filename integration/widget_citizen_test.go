package integration

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestWidgetOnAPhone drives the widget as a citizen on a phone (390 × 844):
// feedback buttons stay under the latest answer only, and a demande filled in
// after the server ended the conversation is filed all the same.
func TestWidgetOnAPhone(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())

	t.Run("feedback rates the answer it is under", func(t *testing.T) {
		ctx := parvistest.Browser(t, 390, 844)
		openAsParticulier(t, ctx, "http://"+s.Addr+"/")
		keys(t, ctx, "horaires de la piscine")
		keys(t, ctx, kb.Enter)
		waitFor(t, ctx, "the pool's hours", `[...`+botMessages+`].pop().textContent.includes("Tourelles")`)
		keys(t, ctx, "horaires de la mediatheque")
		keys(t, ctx, kb.Enter)
		waitFor(t, ctx, "the library's hours", `[...`+botMessages+`].pop().textContent.includes("Colette")`)
		// The server rates the latest answer not rated yet: a « Oui » left
		// under the pool's hours would rate the library's.
		const yes = `[...root.querySelectorAll(".actions[aria-label] button")].filter(b => b.textContent === "Oui")`
		if n := shadow[int](t, ctx, yes+`.length`); n != 1 {
			t.Fatalf("%d « Oui » buttons, want 1 (under the latest answer)", n)
		}
		if !shadow[bool](t, ctx, `[...`+botMessages+`].pop().contains(`+yes+`[0])`) {
			t.Fatal("the « Oui » button is not under the latest answer")
		}
		// Still so after a reload.
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "the restored conversation", `root.textContent.includes("Colette")`)
		if n := shadow[int](t, ctx, yes+`.length`); n != 1 {
			t.Errorf("after a reload, %d « Oui » buttons, want 1", n)
		}
	})

	t.Run("a second question is offered after the first one's answer", func(t *testing.T) {
		ctx := parvistest.Browser(t, 390, 844)
		openAsParticulier(t, ctx, "http://"+s.Addr+"/")
		keys(t, ctx, "Bonjour. Comment inscrire mon fils à la cantine ? Et où jeter mes déchets verts ?")
		keys(t, ctx, kb.Enter)
		waitFor(t, ctx, "the canteen's answer", `[...`+botMessages+`].pop().textContent.includes("portail Famille")`)
		const other = `[...[...` + botMessages + `].pop().querySelectorAll(".actions button")].find(b => b.textContent.includes("déchetterie"))`
		if !shadow[bool](t, ctx, `!!`+other) {
			t.Fatalf("no button for the second question under the answer: %s", shadow[string](t, ctx, `[...`+botMessages+`].pop().textContent`))
		}
		// The button asks the question: it is no CLARIFY choice to log as one.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.sent = [], window.realFetch = window.fetch,
			window.fetch = (url, init) => (window.sent.push(String(init && init.body)), window.realFetch(url, init)), true)`)); err != nil {
			t.Fatal(err)
		}
		shadow[bool](t, ctx, `(`+other+`.click(), true)`)
		waitFor(t, ctx, "the second question's answer", `[...`+botMessages+`].pop().textContent.includes("Grands Prés")`)
		if sent, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.sent.join("\n")`)); strings.Contains(sent, "chooseSuggestion") || !strings.Contains(sent, "sendMessage") {
			t.Errorf("the second question was not simply asked: %s", sent)
		}
	})

	t.Run("a message retried is sent once", func(t *testing.T) {
		ctx := parvistest.Browser(t, 390, 844)
		openAsParticulier(t, ctx, "http://"+s.Addr+"/")
		// The phone loses the network, then finds it again.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.realFetch = window.fetch, window.fetch = () => Promise.reject(new TypeError("Failed to fetch")), true)`)); err != nil {
			t.Fatal(err)
		}
		keys(t, ctx, "horaires de la piscine")
		keys(t, ctx, kb.Enter)
		const retry = `[...root.querySelectorAll(".msg.notice button")].find(b => b.textContent === "Réessayer")`
		waitFor(t, ctx, "the retry button", retry)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.fetch = window.realFetch, true)`)); err != nil {
			t.Fatal(err)
		}
		shadow[bool](t, ctx, `(`+retry+`.click(), true)`)
		waitFor(t, ctx, "the answer after the retry", `[...`+botMessages+`].pop().textContent.includes("Tourelles")`)
		if shadow[bool](t, ctx, `!!`+retry) {
			t.Error("the retry button is still there after the message went: a second press would send it again")
		}
	})

	t.Run("a demande outlives its conversation", func(t *testing.T) {
		ctx := parvistest.Browser(t, 390, 844)
		openAsParticulier(t, ctx, "http://"+s.Addr+"/")
		keys(t, ctx, "le lampadaire devant chez moi ne marche plus")
		keys(t, ctx, kb.Enter)
		const proposal = `[...root.querySelectorAll(".msg.bot .actions button")].find(b => b.textContent.startsWith("Déposer la demande"))`
		waitFor(t, ctx, "the proposed demande", proposal)
		// The server ends a conversation idle for 30 minutes; the page keeps
		// its id longer (a form left open): here, an id it never knew.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const k = Object.keys(localStorage).find(k => k.startsWith("parvis:"));
			const st = JSON.parse(localStorage[k]); st.conversationId = "01M8MAF6TSSEMC13VN3WHDEAPX"; localStorage[k] = JSON.stringify(st); return true; })()`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, ctx, "the proposal after the reload", proposal)
		shadow[bool](t, ctx, `(`+proposal+`.click(), true)`)
		waitFor(t, ctx, "the description asked", `root.activeElement && root.activeElement.id === "parvis-d-description"`)
		keys(t, ctx, "le lampadaire reste éteint depuis trois soirs")
		const next = `(root.querySelector(".demande button[type=submit]").click(), true)`
		for step := 0; step < 6 && !shadow[bool](t, ctx, `!!root.querySelector(".demande dl")`); step++ {
			if shadow[bool](t, ctx, `root.activeElement && root.activeElement.id === "parvis-d-address"`) {
				keys(t, ctx, "12 rue Haute")
			}
			shadow[bool](t, ctx, next)
			waitFor(t, ctx, "the next step", `!root.querySelector("#parvis-d-error") || root.querySelector("#parvis-d-error").hidden`)
		}
		shadow[bool](t, ctx, next)
		waitFor(t, ctx, "the tracking code", `root.querySelector(".code") || (root.querySelector("#parvis-d-error") && !root.querySelector("#parvis-d-error").hidden)`)
		if err := shadow[string](t, ctx, `root.querySelector("#parvis-d-error") ? root.querySelector("#parvis-d-error").textContent : ""`); err != "" {
			t.Fatalf("the demande was refused: %s", err)
		}
		if code := shadow[string](t, ctx, `root.querySelector(".code").textContent`); !strings.HasPrefix(code, "MTC-") {
			t.Errorf("tracking code %q", code)
		}
	})
}
