package integration

import (
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestWidgetDemandeForm files a demande through the widget as a keyboard user:
// the bot proposes it, the guided form asks one question at a time and says
// what is wrong with an answer, a summary comes before sending, then the
// tracking code with a copy button; axe-core audits the form and the result,
// and the host site's storage never holds what the citizen typed.
func TestWidgetDemandeForm(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	ctx := parvistest.Browser(t, 1280, 900)
	// The citizen's phone says where they stand.
	lat, lon, acc := 44.73312, 4.59861, 10.0
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: cdpbrowser.PermissionSettingGranted}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lon, Accuracy: &acc}); err != nil {
		t.Fatal(err)
	}
	openAsParticulier(t, ctx, "http://"+s.Addr+"/")
	keys(t, ctx, "le lampadaire devant chez moi ne marche plus")
	keys(t, ctx, kb.Enter)
	const proposal = `[...root.querySelectorAll(".msg.bot .actions button")].find(b => b.textContent.startsWith("Déposer la demande"))`
	waitFor(t, ctx, "the proposed demande", proposal)
	shadow[bool](t, ctx, `(`+proposal+`.focus(), true)`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the description asked, focused", `root.activeElement && root.activeElement.id === "parvis-d-description"`)
	const next = `(root.querySelector(".demande button[type=submit]").click(), true)`

	// Too short: said, and the field marked.
	keys(t, ctx, "noir")
	shadow[bool](t, ctx, next)
	waitFor(t, ctx, "the error on the description", `root.querySelector("#parvis-d-error").textContent.includes("trop courte") && root.activeElement.getAttribute("aria-invalid") === "true"`)
	keys(t, ctx, " depuis trois soirs, le lampadaire reste éteint")
	shadow[bool](t, ctx, next)
	waitFor(t, ctx, "the place asked", `root.activeElement && root.activeElement.id === "parvis-d-address"`)
	keys(t, ctx, "12 rue Haute")
	// Closed and opened again: back to the same question, the answer kept.
	keys(t, ctx, kb.Escape)
	waitFor(t, ctx, "the panel closed", `root.querySelector(".panel").hidden`)
	shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
	waitFor(t, ctx, "the place asked again", `root.activeElement && root.activeElement.id === "parvis-d-address" && root.activeElement.value === "12 rue Haute"`)
	shadow[bool](t, ctx, `([...root.querySelectorAll(".demande button")].find(b => b.textContent === "Joindre ma position").click(), true)`)
	waitFor(t, ctx, "the position joined", `root.querySelector(".demande").textContent.includes("Position jointe (44.73312, 4.59861)")`)
	shadow[bool](t, ctx, `(root.querySelector("#parvis-d-address").focus(), true)`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the photo asked", `root.activeElement && root.activeElement.id === "parvis-d-photo"`)
	shadow[bool](t, ctx, next)
	waitFor(t, ctx, "the contact asked", `root.activeElement && root.activeElement.id === "parvis-d-contact"`)
	keys(t, ctx, "lea.martin@exemple")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the error on the e-mail", `root.querySelector("#parvis-d-error").textContent.includes("adresse électronique")`)
	keys(t, ctx, ".fr")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "consent asked for", `root.querySelector("#parvis-d-error").textContent.includes("J'accepte")`)
	shadow[bool](t, ctx, `(root.querySelector("#parvis-d-consent").focus(), true)`)
	keys(t, ctx, " ")
	shadow[bool](t, ctx, next)
	waitFor(t, ctx, "the summary", `root.querySelector(".demande dl") && root.querySelector(".demande dl").textContent.includes("12 rue Haute, position jointe")`)
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core on the form: %s", raw)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the form within 320 px", `root.querySelector(".demande").getBoundingClientRect().right <= 320`)
	parvistest.Screenshot(t, ctx, "widget-demande-320px")
	shadow[bool](t, ctx, next)
	waitFor(t, ctx, "the tracking code, its copy button focused", `root.querySelector(".code") && root.activeElement && root.activeElement.textContent === "Copier le code"`)
	code := shadow[string](t, ctx, `root.querySelector(".code").textContent`)
	if !strings.HasPrefix(code, "MTC-") {
		t.Fatalf("code %q", code)
	}
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core after filing: %s", raw)
	}
	if stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(localStorage)`)); err != nil ||
		!strings.Contains(stored, code) || strings.Contains(stored, "lea.martin") || strings.Contains(stored, "rue Haute") || strings.Contains(stored, "trois soirs") {
		t.Errorf("localStorage: %v %.400s", err, stored)
	}
	// The agent sees the point.
	var dc struct {
		DemandeCase struct{ Point *struct{ Lat, Lon float64 } }
	}
	if errs := s.GQL(parvistest.AdminToken, `query($c: String!) { demandeCase(trackingCode: $c) { point { lat lon } } }`, map[string]any{"c": code}, &dc); len(errs) > 0 ||
		dc.DemandeCase.Point == nil || dc.DemandeCase.Point.Lat != 44.73312 {
		t.Errorf("the point filed: %+v %v", dc.DemandeCase.Point, errs)
	}
	// The citizen asks where it stands, in the same chat.
	shadow[bool](t, ctx, `(root.querySelector("#parvis-input").focus(), true)`)
	keys(t, ctx, "où en est ma demande "+strings.ToLower(code)+" ?")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the status", `[...`+botMessages+`].pop().textContent.includes("reçue, en attente de traitement")`)
}

// TestServiceDesk signs in an agent on /dashboards/demandes.html: the desk lists
// the demande filed by a citizen with their contact, the agent filters it,
// opens it, takes it, answers; the history shows the change and the citizen's
// tracking reads the public message. Audited by axe-core, at 320 px too.
func TestServiceDesk(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	conv := s.StartConversation()
	var filed struct{ FileDemande struct{ TrackingCode string } }
	if errs := s.GQL("", `mutation($c: ID!) { fileDemande(conversationId: $c, kind: "proprete", description: "Dépôt sauvage de gravats derrière le gymnase",
		contact: "sam@exemple.fr", address: "4 allée du Stade", consent: true) { trackingCode } }`, map[string]any{"c": conv}, &filed); len(errs) > 0 {
		t.Fatal(errs)
	}
	code := filed.FileDemande.TrackingCode
	s.CreateAccount("agent.proprete", "Sam Agent", "AGENT", "mot de passe de l'agent")
	ctx := parvistest.Browser(t, 1280, 1000)
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	wait := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !page(expr) {
			if time.Now().After(deadline) {
				parvistest.Screenshot(t, ctx, "failure-desk")
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/demandes.html"),
		chromedp.WaitVisible("#user"), chromedp.SendKeys("#user", "agent.proprete"), chromedp.SendKeys("#password", "mot de passe de l'agent\n")); err != nil {
		t.Fatal(err)
	}
	wait("the demande listed", `[...document.querySelectorAll("#list .code-btn")].some(b => b.textContent === `+jsString(code)+`)`)
	// Filter: late ones only — none yet.
	page(`(document.querySelector("#f-late").checked = true, document.querySelector("#filters button[type=submit]").click(), false)`)
	wait("no late demande", `document.querySelector("#status").textContent.includes("Aucune demande")`)
	page(`(document.querySelector("#f-late").checked = false, document.querySelector("#f-kind").value = "proprete", document.querySelector("#filters button[type=submit]").click(), false)`)
	wait("the demande listed by kind", `document.querySelectorAll("#list .code-btn").length === 1`)
	page(`(document.querySelector("#list .code-btn").click(), false)`)
	wait("the demande opened with its contact", `!document.querySelector("#detail").hidden && document.querySelector("#d-facts").textContent.includes("sam@exemple.fr") && document.activeElement.id === "detail"`)
	page(`(document.querySelector("#u-me").click(), document.querySelector("#u-status").value = "EN_COURS", document.querySelector("#u-message").value = "Enlèvement prévu lundi.", document.querySelector("#u-note").value = "benne 3", false)`)
	page(`(document.querySelector("#update button[type=submit]").click(), false)`)
	wait("the history of the change", `document.querySelector("#d-history").textContent.includes("Enlèvement prévu lundi.") && document.querySelector("#d-history").textContent.includes("Sam Agent")`)
	wait("the figures table", `document.querySelectorAll("#figures tbody tr").length >= 1 || document.querySelector("#fig-summary").textContent.length > 0`)
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core on the service desk: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "desk-desktop")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 800)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !page(`document.documentElement.scrollWidth <= 320`) && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	if !page(`document.documentElement.scrollWidth <= 320`) {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 321 && !e.closest(".scroll")).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).slice(0, 12).join(" ")`))
		t.Errorf("wider than 320 px: %s", wide)
	}
	parvistest.Screenshot(t, ctx, "desk-320px")
	if reply, _ := s.Send(conv, "où en est "+code); !strings.Contains(reply.Text, "Enlèvement prévu lundi.") || strings.Contains(reply.Text, "benne") {
		t.Errorf("the citizen reads %q", reply.Text)
	}
}
