package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// shadow evaluates a JavaScript expression with `root` bound to the widget's
// shadow root.
func shadow[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](`(() => { const root = document.querySelector("parvis-chat").shadowRoot; return `+expr+`; })()`))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a boolean expression on the shadow root.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const h = document.querySelector("parvis-chat"); if (!h) return false; const root = h.shadowRoot; return !!(`+expr+`); })()`))
		if err == nil && v {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	parvistest.Screenshot(t, ctx, "failure-"+strings.ReplaceAll(t.Name(), "/", "-"))
	t.Fatalf("timed out waiting for %s", what)
}

func keys(t *testing.T, ctx context.Context, k string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
		t.Fatal(err)
	}
}

const botMessages = `root.querySelectorAll(".msg.bot")`

// openAsParticulier opens the widget of the page at url in ctx, chooses « Un
// particulier » and waits for the message box to hold the focus.
func openAsParticulier(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the launcher", `root.querySelector(".launcher")`)
	shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
	waitFor(t, ctx, "the audiences", `root.activeElement && root.activeElement.textContent === "Un particulier"`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)
}

// TestWidgetKeyboardJourney drives the demo site as a keyboard user: open the
// widget, choose an audience, ask, pick a CLARIFY choice, give feedback, close,
// reload and find the conversation; then audit accessibility and take
// screenshots at 320 px and on a desktop.
func TestWidgetKeyboardJourney(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	ctx := parvistest.Browser(t, 1280, 900)
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the launcher", `root.querySelector(".launcher")`)

	// Tab through the page until the launcher has the focus.
	for i := 0; ; i++ {
		if i == 40 {
			t.Fatal("the launcher is not reachable with Tab")
		}
		keys(t, ctx, kb.Tab)
		if v, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement && document.activeElement.tagName === "PARVIS-CHAT" && document.querySelector("parvis-chat").shadowRoot.activeElement.classList.contains("launcher")`)); v {
			break
		}
	}
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the open panel with the focus on the first audience", `!root.querySelector(".panel").hidden && root.activeElement && root.activeElement.textContent === "Un particulier"`)

	keys(t, ctx, kb.Enter) // Un particulier
	waitFor(t, ctx, "the focus in the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)

	keys(t, ctx, "bjr c koi les horaires d la mairie svp")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the answer on the town hall's hours", botMessages+`.length >= 2 && [...`+botMessages+`].pop().textContent.includes("place du Parvis")`)
	if src := shadow[string](t, ctx, `[...`+botMessages+`].pop().querySelector(".source").textContent`); !strings.Contains(src, "Ville de Montclar") {
		t.Errorf("the answer does not say its source: %q", src)
	}

	// A « non » typed under the answer rates it as its buttons would: they go,
	// and the reply offers another wording or a person.
	keys(t, ctx, "non")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the reply to the typed rating", `[...`+botMessages+`].pop().textContent.includes("ne vous ait pas aidé")`)
	if n := shadow[int](t, ctx, `[...root.querySelectorAll(".actions[aria-label] button")].filter(b => b.textContent === "Oui").length`); n != 0 {
		t.Errorf("%d « Oui » buttons left under the answer rated by typing", n)
	}

	// An ambiguous word: the bot offers choices as buttons.
	keys(t, ctx, "horaires")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "CLARIFY choices", `[...`+botMessages+`].pop().textContent.includes("porte-t-elle sur")`)
	choice := shadow[string](t, ctx, `[...`+botMessages+`].pop().querySelector(".actions button").textContent`)
	shadow[bool](t, ctx, `([...`+botMessages+`].pop().querySelector(".actions button").focus(), true)`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the answer to the chosen entry", `[...root.querySelectorAll(".msg.citizen")].pop().textContent.includes(`+jsString(choice)+`) && [...`+botMessages+`].pop().querySelector(".source")`)
	// The click was sent as a choice: the ambiguous word is now a suggestion for
	// the experts.
	waitSuggestion(t, s, parvistest.AdminToken, "", "horaires")

	// Feedback on the last answer, with the keyboard.
	shadow[bool](t, ctx, `([...root.querySelectorAll(".actions[aria-label] button")].filter(b => b.textContent === "Oui").pop().focus(), true)`)
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the thanks for the feedback", `root.textContent.includes("Merci pour votre retour")`)

	// Accessibility audit of the page with the widget open.
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "widget-desktop")

	// Escape closes and gives the focus back to the launcher.
	keys(t, ctx, kb.Escape)
	waitFor(t, ctx, "the focus back on the launcher", `root.querySelector(".panel").hidden && root.activeElement && root.activeElement.classList.contains("launcher")`)

	// The conversation survives a reload.
	before := shadow[int](t, ctx, `root.querySelectorAll(".msg").length`)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the launcher after reload", `root.querySelector(".launcher")`)
	shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
	waitFor(t, ctx, "the restored conversation", `root.querySelectorAll(".msg").length === `+fmt.Sprint(before))
	// The host site's storage holds the bot's side only, never what the citizen wrote.
	if stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(localStorage)`)); err != nil ||
		!strings.Contains(stored, "place du Parvis") || strings.Contains(stored, "koi les horaires") {
		t.Errorf("localStorage holds the citizen's words (or not the answers): %v %.300s", err, stored)
	}

	// A desktop at 200 % zoom: 640 × 450 CSS pixels; the message box stays on screen.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(640, 450)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the message box on screen at 200 %", `(() => { const r = root.querySelector("textarea").getBoundingClientRect(); return r.bottom <= innerHeight && r.right <= innerWidth && r.top >= 0; })()`)
	parvistest.Screenshot(t, ctx, "widget-zoom200")

	// A phone screen, 320 px wide.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the panel within 320 px", `root.querySelector(".panel").getBoundingClientRect().width <= 320`)
	parvistest.Screenshot(t, ctx, "widget-320px")
}

// TestWidgetOnAPlainPage puts only the script tag on a page of another site: the
// launcher shows and a question gets an answer across origins.
func TestWidgetOnAPlainPage(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><title>Page</title></head><body><h1>Une page</h1><script src="http://%s/widget.js" defer></script></body></html>`, s.Addr)
	}))
	defer page.Close()
	ctx := parvistest.Browser(t, 1024, 768)
	if err := chromedp.Do(ctx, chromedp.Navigate(page.URL)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the launcher", `root.querySelector(".launcher") && root.querySelector(".launcher").getBoundingClientRect().width > 0`)
	shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
	shadow[bool](t, ctx, `(root.querySelector(".actions button").click(), true)`)
	waitFor(t, ctx, "the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)
	keys(t, ctx, "passeport perdu")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "an answer", `[...`+botMessages+`].pop().textContent.includes("ANTS")`)

	// The service goes away: the citizen is told, and can try again once it is back.
	s.Kill()
	keys(t, ctx, "horaires de la mairie")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the network-loss notice", `[...root.querySelectorAll(".msg.notice")].some(n => n.textContent.includes("Connexion impossible")) && !!root.querySelector(".msg.notice button")`)
	s.Restart()
	shadow[bool](t, ctx, `([...root.querySelectorAll(".msg.notice button")].pop().click(), true)`)
	waitFor(t, ctx, "the answer after the retry", `[...`+botMessages+`].pop().textContent.includes("place du Parvis")`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestWorkbench drives the communications team's workbench: sign in with a token,
// see the groups, open one, draft an entry from it, validate and publish it.
func TestWorkbench(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	sendUnmetDemand(t, s)
	// The communications officer signs in with an account; an expert role is
	// needed to validate, so the test uses an administrator's.
	s.CreateAccount("camille", "Camille Martin", "ADMIN", "un mot de passe solide")
	// A citizen clicks a CLARIFY choice: a suggestion for the experts.
	conv := s.StartConversation()
	if r := ask(t, s, conv, "acte"); r.Outcome != "CLARIFY" {
		t.Fatalf("acte: %+v", r)
	}
	if _, errs := choose(s, conv, "acte_deces"); len(errs) > 0 {
		t.Fatal(errs)
	}
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
				parvistest.Screenshot(t, ctx, "failure-workbench")
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/")); err != nil {
		t.Fatal(err)
	}
	wait("the sign-in form", `!document.querySelector("#login").hidden`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#user", "camille"), chromedp.SendKeys("#password", "un mot de passe solide\n")); err != nil {
		t.Fatal(err)
	}
	// Refresh the list, as a user would, until the miner has grouped the questions.
	deadline := time.Now().Add(30 * time.Second)
	for !page(`document.querySelectorAll("#groups tbody tr").length >= 2 && Number(document.querySelector("#groups tbody tr td.num").textContent) >= 6`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-workbench")
			t.Fatal("the groups do not show")
		}
		page(`(document.querySelector("#filters button[type=submit]").click(), false)`)
		time.Sleep(time.Second)
	}

	// A need is a line: its citizens and why its questions show unmet demand.
	if !page(`document.querySelector("#groups tbody tr td.why").textContent.includes("sans réponse") && Number(document.querySelectorAll("#groups tbody tr td.num")[1].textContent) >= 6`) {
		t.Error("the first line does not show its citizens and its signals")
	}
	// The subjects the groups are about, with their volumes: choosing one lists
	// its groups alone, each tagged with it.
	wait("the subjects", `!document.querySelector("#subjects").hidden &&
		[...document.querySelectorAll("#subjects button")].some((b) => b.textContent.startsWith("Défibrillateurs et secours : "))`)
	rows := func() int {
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#groups tbody tr").length`))
		return n
	}
	all := rows()
	page(`([...document.querySelectorAll("#subjects button")].find((b) => b.textContent.startsWith("Défibrillateurs et secours : ")).click(), false)`)
	wait("the subject's groups alone", `[...document.querySelectorAll("#groups tbody tr")].every((r) =>
		[...r.querySelectorAll(".tag.subject")].some((x) => x.textContent === "Défibrillateurs et secours"))`)
	if n := rows(); n == 0 || n >= all {
		t.Errorf("%d groups listed for one subject, %d for all", n, all)
	}
	page(`([...document.querySelectorAll("#subjects button")].find((b) => b.textContent === "Tous").click(), false)`)
	wait("every group again", fmt.Sprintf(`document.querySelectorAll("#groups tbody tr").length === %d`, all))
	if err := chromedp.Do(ctx, chromedp.Click("#groups tbody tr .label-btn")); err != nil {
		t.Fatal(err)
	}
	wait("the group's detail", `!document.querySelector("#detail").hidden && document.querySelectorAll("#examples li").length >= 3`)
	if !page(`document.querySelector("#d-alternatives").value.split("\n").length >= 3`) {
		t.Error("the draft form is not prefilled with the group's questions")
	}
	// A question leads to its conversation.
	wait("the group's questions with their reasons", `!!document.querySelector("#examples .why")`)
	// Every question of the group is another phrasing of the draft, not only
	// the five examples of the list.
	wait("every question of the group in the draft", `(() => {
		const qs = new Set([...document.querySelectorAll("#examples .label-btn")].map((b) => b.textContent));
		qs.delete(document.querySelector("#d-question").value);
		const alts = new Set(document.querySelector("#d-alternatives").value.split("\n"));
		return qs.size > 5 && [...qs].every((q) => alts.has(q));
	})()`)
	if err := chromedp.Do(ctx, chromedp.Click("#examples .label-btn")); err != nil {
		t.Fatal(err)
	}
	wait("the conversation", `!document.querySelector("#transcript").hidden && document.querySelectorAll("#transcript-list li").length >= 2`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#d-answer", "Réponse rédigée depuis l'atelier."),
		chromedp.Click("#draft button[type=submit]")); err != nil {
		t.Fatal(err)
	}
	wait("the draft in the queue", `document.querySelector("#status").textContent.includes("Brouillon") && [...document.querySelectorAll("#queue button")].some(b => b.textContent === "Valider")`)
	if err := chromedp.Do(ctx, chromedp.Click("#queue tbody button")); err != nil {
		t.Fatal(err)
	}
	wait("the validated entry", `[...document.querySelectorAll("#queue button")].some(b => b.textContent === "Publier")`)
	if err := chromedp.Do(ctx, chromedp.Click("#queue tbody button")); err != nil {
		t.Fatal(err)
	}
	wait("the publication", `document.querySelector("#status").textContent.includes("publiée")`)
	deadline = time.Now().Add(15 * time.Second)
	for !page(`[...document.querySelectorAll("#groups .tag")].some(x => x.textContent === "Couvert")`) {
		if time.Now().After(deadline) {
			t.Fatal("the group is not shown covered")
		}
		page(`(document.querySelector("#filters button[type=submit]").click(), false)`)
		time.Sleep(500 * time.Millisecond)
	}

	// The suggestion from the click: added to a draft of its entry.
	row := `[...document.querySelectorAll("#suggestions tbody tr")].find(r => r.cells[0].firstChild.textContent === "acte" && r.cells.length === 6)`
	wait("the suggestion from the clicked choice", `(document.querySelector("#filters button[type=submit]").click(), !!`+row+`)`)
	if !page(row + `.cells[2].textContent === "Autre formulation" && ` + row + `.cells[3].textContent === "choix cliqué"`) {
		t.Error("the suggestion does not say its kind and origin")
	}
	page(`(document.querySelector("#suggestions-title").scrollIntoView(), false)`)
	parvistest.Screenshot(t, ctx, "workbench-suggestions")
	page(`(` + row + `.querySelector("button").click(), false)`) // Accepter
	wait("the draft with the phrasing", `document.querySelector("#status").textContent.includes("comme autre formulation à un brouillon") && !`+row+` && [...document.querySelectorAll("#queue tbody tr")].some(r => r.cells[2].textContent === "Brouillon")`)

	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the workbench: %s", raw)
	}
	page(`(window.scrollTo(0, 0), false)`)
	parvistest.Screenshot(t, ctx, "workbench")
}

// TestElectedDashboard opens the elected officials' dashboard with an elected
// token: figures, charts with their tables, the largest unmet demands; audits it
// and takes screenshots on a desktop and a tablet.
func TestElectedDashboard(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	sendUnmetDemand(t, s)
	s.CreateAccount("adjoint", "Maire adjoint", "ELECTED", "mot de passe de l'élu")
	s.WaitMessages(23, 10*time.Second)
	ctx := parvistest.Browser(t, 1280, 1000)
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/elus.html"),
		chromedp.WaitVisible("#user"), chromedp.SendKeys("#user", "adjoint"), chromedp.SendKeys("#password", "mot de passe de l'élu\n")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !page(`document.querySelectorAll("#kpis li").length === 4 && document.querySelectorAll("#trend-table tbody tr").length > 0 &&
		document.querySelectorAll("#unmet tbody tr").length >= 2 && typeof Chart !== "undefined" && !!Chart.getChart(document.querySelector("#trend"))`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-elus")
			t.Fatal("the dashboard does not show its figures and charts")
		}
		page(`(document.querySelector("#filters button[type=submit]").click(), false)`)
		time.Sleep(time.Second)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#kpis li .value").textContent`)); v != "23" {
		t.Errorf("conversations shown: %q, want 23", v)
	}
	// The town answers the first need: its line still counts the period's
	// questions, and says the answer is published; the others are not.
	top := clusters(t, s)[0]
	var drafted struct{ DraftKbEntry struct{ ID string } }
	if errs := s.GQL(parvistest.AdminToken, `mutation($c: ID!) { draftKbEntry(input: {question: "Réponse au premier besoin ?", answer: "La voici.", clusterId: $c}) { id } }`,
		map[string]any{"c": top.ID}, &drafted); len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, step := range []string{"validateKbEntry", "publishKbEntry"} {
		if errs := s.GQL(parvistest.AdminToken, `mutation($id: ID!) { `+step+`(id: $id) { id } }`, map[string]any{"id": drafted.DraftKbEntry.ID}, nil); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	deadline = time.Now().Add(15 * time.Second)
	for !page(`(() => { const rows = [...document.querySelectorAll("#unmet tbody tr")];
		return rows.length >= 2 && rows.filter((r) => r.cells[3].textContent === "réponse publiée").length === 1 &&
			rows.find((r) => r.cells[3].textContent === "réponse publiée").cells[0].textContent === ` + jsString(top.Label) + ` &&
			rows.filter((r) => r.cells[3].textContent === "pas encore de réponse publiée").length === rows.length - 1; })()`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-elus-covered")
			t.Fatal("the need answered since is not told apart among the unmet demands")
		}
		page(`(document.querySelector("#filters button[type=submit]").click(), false)`)
		time.Sleep(500 * time.Millisecond)
	}
	// Each figure against the period before, as a person reads it: « ▲ 23 »,
	// « ▼ 3 points », « = stable », never « 1 points » nor « ▲ 0 points ».
	deltas, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#kpis .delta")].map(d => d.textContent)`))
	moves := regexp.MustCompile(`^(= stable|[▲▼] (1 point|[2-9] points|[1-9][0-9]+ points|[1-9][0-9\x{202f}\x{a0}]*)) \(avant : [^)]+\)$`)
	if len(deltas) < 2 { // the rates have none before: nobody talked then
		t.Errorf("%d figures compared with the period before, want the counts' 2 at least: %q", len(deltas), deltas)
	}
	// Nobody talked the period before: the counts say so rather than « ▲ 23
	// (avant : 0) », which would read as growth.
	const nothingBefore = "(rien sur la période précédente)"
	for _, d := range deltas {
		if !moves.MatchString(d) && d != nothingBefore {
			t.Errorf("a figure's move reads %q", d)
		}
	}
	if !slices.Contains(deltas, nothingBefore) {
		t.Errorf("the counts, with nothing the period before, read %q, want %q", deltas, nothingBefore)
	}
	// CSV export: catch the file the page hands to the browser.
	page(`(() => { window.__csv = ""; const make = URL.createObjectURL; URL.createObjectURL = (b) => { b.text().then(t => window.__csv = t); return make(b); }; document.querySelector("#csv").click(); return false; })()`)
	deadline = time.Now().Add(5 * time.Second)
	for !page(`window.__csv.includes('"indicateur";"période";"valeur"') && window.__csv.includes('"conversations";"période";"23"') && window.__csv.includes('"sans réponse : ')`) {
		if time.Now().After(deadline) {
			t.Fatal("the CSV export is missing or incomplete")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// A citizen's words that a spreadsheet would run as a formula are kept as text.
	page(`(window.__csv = "", parvis.downloadCSV([["=HYPERLINK(\"http://x\")", "-12", "@SOMME(A1)", "+33 6"]], "t.csv"), false)`)
	deadline = time.Now().Add(5 * time.Second)
	for !page(`window.__csv.includes('"\'=HYPERLINK(""http://x"")";"-12";"\'@SOMME(A1)";"\'+33 6"')`) {
		if time.Now().After(deadline) {
			v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__csv`))
			t.Fatalf("formula cells not neutralised: %q", v)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the dashboard: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "elus-desktop")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(768, 1024)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	parvistest.Screenshot(t, ctx, "elus-tablet")

	// The workbench is not the elected official's: opening it leads back to
	// their dashboard (the API refuses them its queries, see TestTokensAndRoles).
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/")); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for !page(`location.pathname === "/dashboards/elus.html" && ![...document.querySelectorAll(".dnav a")].some(a => a.textContent === "Demandes sans réponse")`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-elus-refused")
			t.Fatal("an elected official who opens the workbench is not led to their dashboard")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
