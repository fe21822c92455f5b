package integration

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

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
