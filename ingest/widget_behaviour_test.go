package ingest

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"testing"
)

// These tests run widget.js under node with the minimal DOM of
// testdata/widget_dom.js: what a citizen does (type, press Enter, click) and
// what the widget sends and shows, without a browser.

// runWidget runs widget.js in one of widget_dom.js's modes and decodes what it
// prints.
func runWidget(t *testing.T, mode string, out any, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	b, err := exec.Command("node", append([]string{"testdata/widget_dom.js", "widget/widget.js", mode}, args...)...).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}

// On a phone (max-width 480px) mobile browsers size 100vh to the viewport
// without their toolbars: with the toolbar shown, a 100vh panel is taller than
// the screen and its header (the close button) or its input falls outside.
// 100dvh is the visible height.
func TestWidgetPhonePanelFitsTheVisibleViewport(t *testing.T) {
	var got struct{ CSS string }
	runWidget(t, "css", &got)
	m := regexp.MustCompile(`@media \(max-width: 480px\) \{([^@]*?)\}\s*\}`).FindStringSubmatch(got.CSS)
	if m == nil {
		t.Fatal("no small-screen rule")
	}
	if regexp.MustCompile(`height: 100vh`).MatchString(m[1]) && !regexp.MustCompile(`dvh`).MatchString(m[1]) {
		t.Errorf("small-screen panel: %q: 100vh without 100dvh", m[1])
	}
}
