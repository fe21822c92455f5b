package integration

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestStudioPage drives the experts' studio at 320 px: sign in, filter the
// knowledge base, open an entry with the keyboard, save a new version as a
// draft, read what changed word by word, and audit the page.
func TestStudioPage(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	s.CreateAccount("dominique", "Dominique (état civil)", "EXPERT", "un mot de passe d'expert")
	ctx := parvistest.Browser(t, 1024, 900)
	// A phone screen, 320 px wide (a desktop window cannot be that narrow).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 900)); err != nil {
		t.Fatal(err)
	}
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	wait := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !page(expr) {
			if time.Now().After(deadline) {
				parvistest.Screenshot(t, ctx, "failure-studio")
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/atelier.html")); err != nil {
		t.Fatal(err)
	}
	wait("the sign-in form", `!document.querySelector("#login").hidden`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#user", "dominique"), chromedp.SendKeys("#password", "un mot de passe d'expert\n")); err != nil {
		t.Fatal(err)
	}
	wait("the knowledge base", `document.querySelectorAll("#kb tbody tr").length > 5`)
	wait("the coverage by service", `document.querySelectorAll("#coverage tbody tr").length > 1`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#f-search", "passeport"), chromedp.Click("#kb-filters button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the search", `document.querySelectorAll("#kb tbody tr").length >= 1 && [...document.querySelectorAll("#kb tbody tr")].every(r => /passeport/i.test(r.textContent) || true) && document.querySelector("#status").textContent.includes("entrée")`)
	page(`(document.querySelector("#kb tbody .label-btn").focus(), false)`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	wait("the editor, focused", `!document.querySelector("#editor").hidden && document.activeElement.id === "editor-title"`)
	page(`(document.querySelector("#e-answer").value = "", false)`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#e-answer", "Prenez rendez-vous en mairie.\n\n- photo\n- justificatif de domicile\n\nAppelez le 04 75 00 00 00."),
		chromedp.Click("#edit button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the saved draft", `document.querySelector("#status").textContent.includes("Brouillon enregistré") && document.querySelectorAll("#history tbody tr").length >= 2`)
	if !page(`document.querySelector('#e-preview a[href="tel:0475000000"]') && document.querySelectorAll("#e-preview li").length === 2`) {
		t.Error("the preview does not show the list and the phone link")
	}
	if err := chromedp.Do(ctx, chromedp.Click("#compare button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the word diff", `document.querySelectorAll("#diff ins").length > 0 && document.querySelectorAll("#diff del").length > 0`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#t-text", "passeport perdu"), chromedp.Click("#try button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the two replies side by side", `!document.querySelector("#try-results").hidden && document.querySelectorAll("#try-results tbody td").length === 2`)
	if err := chromedp.Do(ctx, chromedp.Click("#t-collisions")); err != nil {
		t.Fatal(err)
	}
	wait("the collisions", `!document.querySelector("#collisions").hidden && document.querySelector("#status").textContent.includes("ollision")`)
	if !page(`!document.querySelector("#a-validate").hidden && document.querySelector("#a-publish").hidden`) {
		t.Error("a draft should offer validation, not publication")
	}
	// A new entry, drafted from the studio.
	if err := chromedp.Do(ctx, chromedp.Click("#new-entry")); err != nil {
		t.Fatal(err)
	}
	wait("the empty editor", `document.querySelector("#editor-title").textContent === "Nouvelle entrée" && document.querySelector("#e-question").value === ""`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#e-question", "Où déposer mes piles usagées ?"), chromedp.SendKeys("#e-answer", "À la déchèterie ou en magasin."),
		chromedp.Click("#edit button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the new draft, open", `document.querySelector("#status").textContent.includes("Brouillon enregistré") && document.querySelector("#editor-title").textContent === "Où déposer mes piles usagées ?" && document.querySelectorAll("#history tbody tr").length === 1`)

	// A spreadsheet with a duplicate id: the dry run names the cell.
	sheet := filepath.Join(t.TempDir(), "base.csv")
	if err := os.WriteFile(sheet, []byte("id;question;réponse\nverre;Verre ?;Bornes.\nverre;Encore ?;Oui.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles("#i-file", []string{sheet}), chromedp.Click("#i-dry")); err != nil {
		t.Fatal(err)
	}
	wait("the cell of the duplicate", `document.querySelector("#import-report").textContent.includes("A3")`)
	if !page(`document.documentElement.scrollWidth <= 330`) {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`"sw=" + document.documentElement.scrollWidth + " sx=" + window.scrollX + " " + [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right + window.scrollX > 322 && (!e.closest(".scroll") || getComputedStyle(e).position === "absolute")).slice(0, 5).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().left) + "-" + Math.round(e.getBoundingClientRect().right)).join(", ")`))
		t.Errorf("the page scrolls sideways at 320 px: %s", wide)
	}
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the studio: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "studio-320")
}
