//go:build screenshots

package integration

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestScreenshots takes the README's pictures from the demo, signed in with
// its accounts: the citizen widget on the demo site with a short
// conversation, the workbench and the elected officials' dashboard, on a
// desktop and on a phone, into docs/images/. make screenshots runs it.
func TestScreenshots(t *testing.T) {
	// The living demo: 90 days of history, projected and mined, fill the
	// workbench and the elected officials' figures.
	s := parvistest.Start(t, t.TempDir(), "--demo-history", "90")
	passwords := s.DemoPasswords()
	parvistest.Poll(t, "the history projected and mined", 5*time.Minute, func() error {
		if !strings.Contains(s.Output(), "demo history projected and mined") {
			return errors.New("not yet")
		}
		return nil
	})
	dir := filepath.Join("..", "docs", "images")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, screen := range []struct {
		name          string
		width, height int64
	}{{"ordinateur", 1200, 750}, {"telephone", 390, 780}} {
		ctx := parvistest.Browser(t, int(screen.width), int(screen.height))
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(screen.width, screen.height)); err != nil {
			t.Fatal(err)
		}
		page := func(expr string) bool {
			v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			return err == nil && v
		}
		wait := func(what, expr string) {
			t.Helper()
			deadline := time.Now().Add(60 * time.Second)
			for !page(expr) {
				if time.Now().After(deadline) {
					parvistest.Screenshot(t, ctx, "failure-screenshots")
					t.Fatalf("%s: timed out waiting for %s", screen.name, what)
				}
				time.Sleep(300 * time.Millisecond)
			}
		}
		shoot := func(name string) {
			t.Helper()
			page(`(window.scrollTo(0, 0), document.activeElement && document.activeElement.blur && document.activeElement.blur(), true)`)
			raw, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			save(t, filepath.Join(dir, name+"-"+screen.name+".png"), raw)
		}
		go_ := func(path string) {
			t.Helper()
			if err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.Addr+path)); err != nil {
				t.Fatal(err)
			}
		}
		signIn := func(login string) {
			t.Helper()
			wait("the sign-in page", `!document.querySelector("#signin").hidden`)
			if err := chromedp.Do(ctx, chromedp.SendKeys("#user", login), chromedp.SendKeys("#password", passwords[login]+"\n")); err != nil {
				t.Fatal(err)
			}
			wait("the signed-in page", `document.querySelector("#signin").hidden && !document.querySelector("#who").hidden`)
		}

		// The citizen's widget on the town's site.
		go_("/")
		waitFor(t, ctx, "the launcher", `root.querySelector(".launcher")`)
		shadow[bool](t, ctx, `(root.querySelector(".launcher").click(), true)`)
		waitFor(t, ctx, "the audiences", `[...root.querySelectorAll("button")].some(b => b.textContent === "Un particulier")`)
		shadow[bool](t, ctx, `([...root.querySelectorAll("button")].find(b => b.textContent === "Un particulier").click(), true)`)
		waitFor(t, ctx, "the message box", `root.activeElement && root.activeElement.id === "parvis-input"`)
		for _, q := range []string{"bjr c koi les horaires d la mairie", "j'ai perdu mon passeport"} {
			before := shadow[int](t, ctx, botMessages+`.length`)
			keys(t, ctx, q)
			keys(t, ctx, kb.Enter)
			waitFor(t, ctx, "the answer", botMessages+`.length > `+strconv.Itoa(before)+` && [...`+botMessages+`].pop().querySelector(".source") && root.querySelector(".typing").hidden`)
		}
		// The last question with the start of its answer, as a reader follows it.
		shadow[bool](t, ctx, `(() => { const m = [...root.querySelectorAll(".msg.citizen")].pop(); let c = m.parentElement;
			while (c && !["auto", "scroll"].includes(getComputedStyle(c).overflowY)) c = c.parentElement;
			if (c) c.scrollTop += m.getBoundingClientRect().top - c.getBoundingClientRect().top - 8; return true; })()`)
		raw, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		save(t, filepath.Join(dir, "widget-"+screen.name+".png"), raw)

		// The communications team's workbench, with the groups of unanswered questions.
		go_("/dashboards/")
		shoot("connexion")
		signIn("analyste")
		wait("the groups", `(document.querySelectorAll("#groups tbody tr").length >= 2 || (document.querySelector("#filters button[type=submit]").click(), false))`)
		shoot("atelier-communication")

		// The elected officials' dashboard, signed in as the mayor.
		page(`(document.querySelector("#logout").click(), true)`)
		wait("the sign-out", `!document.querySelector("#signin").hidden`)
		go_("/dashboards/elus.html")
		signIn("elu")
		wait("the figures", `document.querySelectorAll("#kpis li").length >= 3 && !document.querySelector("#kpis").textContent.includes("…")`)
		time.Sleep(time.Second) // the charts' animation
		shoot("elus")
	}
}

// save writes a screenshot as a PNG compressed as far as the encoder goes:
// the README's pictures stay small.
func save(t *testing.T, path string, raw []byte) {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d KB", path, out.Len()/1024)
	if out.Len() > 200<<10 {
		t.Errorf("%s: %d KB, over the 200 KB a picture of the README may weigh", path, out.Len()/1024)
	}
}
