package integration

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// dashboardPages are every page of the dashboards.
var dashboardPages = []string{"", "elus.html", "atelier.html", "demandes.html", "campagnes.html", "donnees-ouvertes.html"}

// TestDemoAccounts: serve --demo prints one account per role whose password
// signs in; a restart prints new passwords, the old ones no longer sign in, and
// no account is made twice.
func TestDemoAccounts(t *testing.T) {
	data := t.TempDir()
	s := parvistest.Start(t, data)
	first := s.DemoPasswords()
	for _, login := range []string{"admin", "analyste", "expert", "elu", "agent"} {
		if code := signIn(t, s, login, first[login]); code != http.StatusOK {
			t.Errorf("%s with its printed password %q: %d", login, first[login], code)
		}
	}
	if code := signIn(t, s, "analyste", "pas le bon mot de passe"); code != http.StatusUnauthorized {
		t.Errorf("a wrong password: %d", code)
	}
	s.Kill()
	s.Restart()
	second := s.DemoPasswords()
	// Sign-in allows a burst of 6 attempts an address: 5 and 1.
	for login, old := range first {
		if second[login] == old {
			t.Errorf("%s: the same password after a restart", login)
		}
		if code := signIn(t, s, login, second[login]); code != http.StatusOK {
			t.Errorf("%s after a restart: %d", login, code)
		}
	}
	if code := signIn(t, s, "expert", first["expert"]); code != http.StatusUnauthorized {
		t.Errorf("the previous start's password signs in (%d)", code)
	}
	var accounts struct{ Accounts []struct{ Login string } }
	s.GQL(parvistest.AdminToken, `{ accounts { login } }`, nil, &accounts)
	if len(accounts.Accounts) != 5 {
		t.Errorf("accounts after a restart: %+v, want the 5 of the demo once", accounts.Accounts)
	}
}

func signIn(t *testing.T, s *parvistest.Server, login, password string) int {
	t.Helper()
	resp, err := http.Post("http://"+s.Addr+"/auth/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"login":%q,"password":%q}`, login, password)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDashboardsSignInAt320px: signed out, every dashboard page is a sign-in
// page (no dashboard behind it) that fits 320 px; a wrong password says so in
// French; signed in, the visitor stays on the page they asked for, with its
// address, and every page fits 320 px. Every page, and the demo site, links the
// favicon, which is served.
func TestDashboardsSignInAt320px(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	passwords := s.DemoPasswords()
	resp, err := http.Get("http://" + s.Addr + "/favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("/favicon.svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	ctx := parvistest.Browser(t, 320, 800)
	base := "http://" + s.Addr
	page := func(expr string) bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		return err == nil && v
	}
	wait := func(shot, what, expr string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !page(expr) {
			if time.Now().After(deadline) {
				parvistest.Screenshot(t, ctx, "failure-"+shot)
				wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](tooWide))
				t.Fatalf("%s: timed out waiting for %s (too wide: %s)", shot, what, wide)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	const fits = `document.scrollingElement.scrollWidth <= window.innerWidth`
	const favicon = `document.querySelector('link[rel=icon]')?.getAttribute("href") === "/favicon.svg"`
	for _, p := range dashboardPages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/dashboards/"+p)); err != nil {
			t.Fatal(err)
		}
		wait("signed-out-"+p, "the sign-in page", `!document.querySelector("#signin").hidden && getComputedStyle(document.querySelector("main")).display === "none"`)
		if !page(fits) {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](tooWide))
			t.Errorf("/dashboards/%s signed out is wider than 320 px: %s", p, wide)
		}
		if !page(favicon) {
			t.Errorf("/dashboards/%s links no favicon", p)
		}
		if p == "" {
			if raw := parvistest.AxeViolations(t, ctx); raw != "[]" {
				t.Errorf("axe-core reports WCAG 2.1 A/AA violations on the sign-in page: %s", raw)
			}
		}
	}
	for _, p := range []string{"/", "/saint-aubin-sur-leze", "/confidentialite"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		if !page(favicon) {
			t.Errorf("the demo site's %s links no favicon", p)
		}
	}

	// A wrong password, then the right one: the visitor stays where they went.
	wanted := base + "/dashboards/elus.html?territoire=montclar"
	if err := chromedp.Do(ctx, chromedp.Navigate(wanted)); err != nil {
		t.Fatal(err)
	}
	wait("elus", "the sign-in page", `!document.querySelector("#signin").hidden`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#user", "admin"), chromedp.SendKeys("#password", "pas le bon mot de passe\n")); err != nil {
		t.Fatal(err)
	}
	wait("wrong-password", "the error", `document.querySelector("#login-error").textContent.includes("Identifiant ou mot de passe incorrect")`)
	page(`(document.querySelector("#password").value = "", true)`)
	if err := chromedp.Do(ctx, chromedp.SendKeys("#password", passwords["admin"]+"\n")); err != nil {
		t.Fatal(err)
	}
	wait("signed-in", "the elected officials' dashboard", `document.querySelector("#signin").hidden && getComputedStyle(document.querySelector("main")).display !== "none" && !document.querySelector("#who").hidden`)
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); got != wanted {
		t.Errorf("signed in at %s, want %s", got, wanted)
	}
	for _, p := range dashboardPages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/dashboards/"+p)); err != nil {
			t.Fatal(err)
		}
		// Signed in already: the page, filled, and no sign-in form.
		wait("signed-in-"+p, "the page, filled", `document.querySelector("#signin").hidden && !document.querySelector("#who").hidden && document.querySelector("main").innerText.length > 100`)
		time.Sleep(time.Second) // tables fill as their queries answer
		if !page(fits) {
			parvistest.Screenshot(t, ctx, "too-wide-"+strings.TrimSuffix(p, ".html"))
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](tooWide))
			t.Errorf("/dashboards/%s signed in is wider than 320 px: %s", p, wide)
		}
		if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".dnav a").length`)); n != len(dashboardPages) {
			t.Errorf("/dashboards/%s offers the administrator %d dashboards, want %d", p, n, len(dashboardPages))
		}
	}

	// Each person is offered their dashboards only: an agent who opens the
	// unmet needs' workbench (not theirs) lands on the demandes' desk.
	if err := chromedp.Do(ctx, chromedp.Click("#logout")); err != nil {
		t.Fatal(err)
	}
	wait("signed-out", "the sign-in page", `!document.querySelector("#signin").hidden && document.querySelectorAll(".dnav a").length === 0`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/dashboards/"), chromedp.SendKeys("#user", "agent"), chromedp.SendKeys("#password", passwords["agent"]+"\n")); err != nil {
		t.Fatal(err)
	}
	wait("agent", "the demandes' desk", `location.pathname === "/dashboards/demandes.html" && !document.querySelector("#who").hidden`)
	if nav, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".dnav a")].map(a => a.textContent + (a.getAttribute("aria-current") ? "*" : "")).join(", ")`)); nav != "Demandes des habitants*" {
		t.Errorf("an agent is offered %q, want their desk alone", nav)
	}
}

// tooWide names the elements that reach past the viewport's right edge outside
// any frame that scrolls, and the page's width.
const tooWide = `[...document.querySelectorAll("body *")].filter(e => { if (e.getBoundingClientRect().right <= innerWidth + 0.5) return false; for (let a = e.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== "visible") return false; } return true; }).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + " " + e.getBoundingClientRect().right).join(", ") + " scrollWidth " + document.scrollingElement.scrollWidth`

// TestTownBeforeItsKnowledgeBase: a deployment started on an empty log, before
// the town has imported anything, is ready (a proxy waiting for readiness lets
// its administrators reach the studio to import the base), says its base is
// empty, and its chat already greets and hands over.
func TestTownBeforeItsKnowledgeBase(t *testing.T) {
	s := parvistest.StartRole(t, t.TempDir(), "--broker-listen", parvistest.FreePort(t))
	resp, err := http.Get("http://" + s.Addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "base de connaissances vide") {
		t.Errorf("/readyz on an empty base: %d %q", resp.StatusCode, body)
	}
	id := s.StartConversation()
	for text, want := range map[string]string{"bonjour": "SMALLTALK", "un humain svp": "HANDOFF", "quand passent les poubelles ?": "UNANSWERED"} {
		r, errs := s.Send(id, text)
		if len(errs) > 0 || r.Outcome != want {
			t.Errorf("%q: %s %q %v, want %s", text, r.Outcome, r.Text, errs, want)
		}
	}
}
