package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestTwoCommunes runs the demo's territory end to end: a citizen of
// Saint-Aubin-sur-Lèze asks on the commune's own page and is answered with the
// commune's own entry, then with its communauté de communes', each saying whose
// it is; the conversation is the commune's; the same commune's widget embedded
// on a site not its own is refused; a token made with `parvis token create
// --tenant` sees its commune's figures and is refused the other's.
func TestTwoCommunes(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	ctx := parvistest.Browser(t, 1024, 768)
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/saint-aubin-sur-leze")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the launcher", `root.querySelector(".launcher") && root.querySelector(".launcher").getBoundingClientRect().width > 0`)
	shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
	shadow[bool](t, ctx, `(root.querySelector(".actions button").click(), true)`)
	waitFor(t, ctx, "the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)
	keys(t, ctx, "horaires de la mairie")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the commune's own answer", `[...`+botMessages+`].pop().textContent.includes("place de l'Église")`)
	if src := shadow[string](t, ctx, `[...`+botMessages+`].pop().querySelector(".source").textContent`); !strings.Contains(src, "Mairie de Saint-Aubin-sur-Lèze") {
		t.Errorf("the commune's answer says it comes from %q", src)
	}
	keys(t, ctx, "horaires de la déchetterie")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the intercommunalité's answer", `[...`+botMessages+`].pop().textContent.includes("Grands Prés")`)
	if src := shadow[string](t, ctx, `[...`+botMessages+`].pop().querySelector(".source").textContent`); !strings.Contains(src, "Communauté de communes du Val de Lèze") {
		t.Errorf("the intercommunalité's answer says it comes from %q", src)
	}

	// The commune's widget on a site it does not allow: the citizen is told, and
	// nothing is logged.
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><title>Page</title></head><body><h1>Un autre site</h1><script src="http://%s/widget.js" defer data-tenant="saint-aubin-sur-leze"></script></body></html>`, s.Addr)
	}))
	defer page.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(page.URL)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the launcher", `root.querySelector(".launcher") && root.querySelector(".launcher").getBoundingClientRect().width > 0`)
	shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
	shadow[bool](t, ctx, `(root.querySelector(".actions button").click(), true)`)
	waitFor(t, ctx, "the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)
	keys(t, ctx, "horaires de la mairie")
	keys(t, ctx, kb.Enter)
	waitFor(t, ctx, "the refusal", `[...root.querySelectorAll(".msg")].some(n => n.textContent.includes("pas autorisé"))`)

	out, err := exec.Command(parvistest.Binary(), "token", "create", "--role", "ELECTED", "--name", "Maire de Saint-Aubin",
		"--tenant", "saint-aubin-sur-leze", "--kafka", s.Broker).Output()
	token := strings.TrimSpace(string(out))
	if err != nil || !strings.HasPrefix(token, "pvs_") {
		t.Fatalf("token create --tenant: %v %q", err, out)
	}
	if out, err := exec.Command(parvistest.Binary(), "token", "create", "--role", "ELECTED", "--name", "x",
		"--tenant", "atlantide", "--kafka", s.Broker).CombinedOutput(); err == nil || !strings.Contains(string(out), "atlantide") {
		t.Errorf("token create --tenant of no tenant: %v\n%s", err, out)
	}

	const period = `from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z"`
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got struct {
			Me       *struct{ Tenant string }
			Overview struct{ Conversations, Messages int }
		}
		errs := s.GQL(token, `{ me { tenant } overview(`+period+`) { conversations messages } }`, nil, &got)
		if len(errs) == 0 && got.Me != nil && got.Me.Tenant == "saint-aubin-sur-leze" && got.Overview.Conversations == 1 && got.Overview.Messages == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Saint-Aubin's token: %+v %v", got, errs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var platform struct{ A, B struct{ Conversations int } }
	s.GQL(parvistest.AdminToken, `{ a: overview(`+period+`, tenant: "montclar") { conversations } b: overview(`+period+`, tenant: "saint-aubin-sur-leze") { conversations } }`, nil, &platform)
	if platform.A.Conversations != 0 || platform.B.Conversations != 1 {
		t.Errorf("the platform sees Montclar %d, Saint-Aubin %d conversations; want 0 and 1", platform.A.Conversations, platform.B.Conversations)
	}
	errs, err := s.TryGQL(token, `{ overview(`+period+`, tenant: "montclar") { conversations } }`, nil, &struct{}{})
	if err != nil || len(errs) != 1 || errs[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("Saint-Aubin's token asking for Montclar: %v %v", errs, err)
	}
}

// TestTerritoryDashboard opens the elected officials' dashboard as the
// intercommunalité: its two communes side by side (conversations, rates per
// 1,000 inhabitants), the unmet need they share, a territory picker that
// narrows the page to one commune; audited with axe-core, fitting 320 px, and
// printing the communes' table without the controls.
func TestTerritoryDashboard(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	// Montclar 4 conversations, Saint-Aubin 3, all about a defibrillator; and
	// one more on the intercommunalité's own site, of no commune.
	for i, q := range append(unmetTopics["defib"][:7:7], "horaires de la piscine intercommunale") {
		var start struct{ StartConversation struct{ ID string } }
		tn := "montclar"
		if i%2 == 1 {
			tn = "saint-aubin-sur-leze"
		}
		if i == 7 {
			tn = "cc-val-de-leze"
		}
		if errs := s.GQL("", `mutation($t: ID) { startConversation(tenant: $t, channel: "test") { id } }`, map[string]any{"t": tn}, &start); len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, errs := s.Send(start.StartConversation.ID, q); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	if errs := s.GQL(parvistest.AdminToken, `mutation { createAccount(login: "vdl", name: "Président du Val de Lèze", role: ELECTED,
		password: "mot de passe du président", tenant: "cc-val-de-leze") { id } }`, nil, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	s.WaitMessages(8, 10*time.Second)

	ctx := parvistest.Browser(t, 1280, 1000)
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	text := func(expr string) string {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		return v
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/elus.html"),
		chromedp.WaitVisible("#user"), chromedp.SendKeys("#user", "vdl"), chromedp.SendKeys("#password", "mot de passe du président\n")); err != nil {
		t.Fatal(err)
	}
	// Refresh, as a person would, until the miner has grouped the questions.
	deadline := time.Now().Add(60 * time.Second)
	for !page(`!document.querySelector("#territory-box").hidden && document.querySelectorAll("#side-table tbody tr").length === 4 &&
		document.querySelectorAll("#shared-table tbody tr").length >= 1`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-territory")
			t.Fatal("the intercommunalité's dashboard does not show its communes side by side and their shared need")
		}
		page(`(document.querySelector("#filters button[type=submit]").click(), false)`)
		time.Sleep(time.Second)
	}
	// Montclar: 4 conversations for 8,420 inhabitants, 0,5 per 1,000; the
	// intercommunalité's own site has its row, so that the total (8) is the
	// sum of the rows.
	if row := text(`[...document.querySelectorAll("#side-table tbody tr")].map(r => r.textContent).join(" | ")`); !strings.Contains(row, "Ville de Montclar8\u202f42040,5") ||
		!strings.Contains(row, "Saint-Aubin-sur-Lèze3\u202f43030,9") || !strings.Contains(row, "Site de l'intercommunalité (habitants de toutes ses communes)—1—1——") ||
		!strings.Contains(row, "Ensemble du territoire11\u202f85080,7") {
		t.Errorf("the communes side by side: %q", row)
	}
	if shared := text(`document.querySelector("#shared-table tbody").textContent`); !strings.Contains(shared, "Ville de Montclar, Saint-Aubin-sur-Lèze") {
		t.Errorf("the shared need does not name both communes: %q", shared)
	}
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the intercommunalité's dashboard: %s", raw)
	}
	parvistest.Screenshot(t, ctx, "elus-territory")

	// Printed: the communes' table, without the controls.
	if err := chromedp.Do(ctx, media("print")); err != nil {
		t.Fatal(err)
	}
	if !page(`getComputedStyle(document.querySelector("#filters")).display === "none" && document.querySelector("#side-table").getBoundingClientRect().height > 0 &&
		getComputedStyle(document.querySelector("#side-table").closest(".scroll")).overflowX === "visible"`) {
		t.Error("the printed page shows its controls, or not the communes' table whole")
	}
	if err := chromedp.Do(ctx, media("")); err != nil {
		t.Fatal(err)
	}

	// 320 px wide: nothing wider than the screen but the tables' own scrolling.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for !page(`document.documentElement.scrollWidth <= 320`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-territory-320")
			t.Fatalf("the page is %s px wide at 320 px: %s", text(`String(document.documentElement.scrollWidth)`),
				text(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 321 && !e.closest(".scroll")).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	parvistest.Screenshot(t, ctx, "elus-territory-320")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000)); err != nil {
		t.Fatal(err)
	}

	// The open data page: the intercommunalité downloads Montclar's file of
	// this month; 4 conversations are under the small-count rule, so the file
	// is its header alone.
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/donnees-ouvertes.html")); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for !page(`document.querySelectorAll("#territory option").length === 3 && !document.querySelector("#territory-box").hidden`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-opendata")
			t.Fatal("the open data page does not offer the territory's tenants")
		}
		time.Sleep(100 * time.Millisecond)
	}
	page(`(() => { window.__file = null; const make = URL.createObjectURL; URL.createObjectURL = (b) => { b.text().then(t => window.__file = t); return make(b); };
		document.querySelector("#territory").value = "montclar"; document.querySelector("#month").value = new Date().toISOString().slice(0, 7);
		document.querySelector("#file button[type=submit]").click(); return false; })()`)
	deadline = time.Now().Add(10 * time.Second)
	for !page(`window.__file !== null && document.querySelector("#status").textContent.includes("téléchargé")`) {
		if time.Now().After(deadline) {
			t.Fatalf("the open data file was not downloaded: %q", text(`document.querySelector("#status").textContent`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if f := text(`window.__file`); f != "indicateur,valeur,unite_mesure,est_cible,type_indicateur,frequence_monitoring,date,code_insee\n" {
		t.Errorf("Montclar's file of 4 conversations: %q", f)
	}
	if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
		t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the open data page: %s", raw)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+"/dashboards/elus.html")); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(10 * time.Second)
	for !page(`document.querySelectorAll("#territory option").length === 4`) {
		if time.Now().After(deadline) {
			t.Fatal("the dashboard does not come back")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The picker narrows the page to Saint-Aubin: its 3 conversations, its rate
	// per 1,000 inhabitants, no side by side; the address keeps the choice.
	page(`(() => { const s = document.querySelector("#territory"); s.value = "saint-aubin-sur-leze"; s.dispatchEvent(new Event("change")); return false; })()`)
	deadline = time.Now().Add(10 * time.Second)
	for !page(`document.querySelector("#kpis li .value").textContent === "3" && document.querySelector("#side").hidden && location.search.includes("territoire=saint-aubin-sur-leze")`) {
		if time.Now().After(deadline) {
			parvistest.Screenshot(t, ctx, "failure-territory-picker")
			t.Fatalf("narrowed to Saint-Aubin, the page shows %q", text(`document.querySelector("#kpis").textContent`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if kpis := text(`document.querySelector("#kpis").textContent`); !strings.Contains(kpis, "Conversations pour 1 000 habitants0,9") {
		t.Errorf("Saint-Aubin's figures: %q", kpis)
	}
	if title := text(`document.querySelector("#period-title").textContent`); !strings.HasPrefix(title, "Saint-Aubin-sur-Lèze") {
		t.Errorf("the title does not name the commune: %q", title)
	}
}

// media emulates a CSS media type ("print"), or none ("").
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}
