package ingest

import (
	"encoding/json"
	"math"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// Text on the town's accent colour (the launcher, the citizen's bubbles, the
// send button: 16 px text) must reach WCAG AA's 4.5:1. White or #111111 left
// colours whose luminance lies between 0.183 and 0.200 below it: #2980b9, a
// common blue, gave 4.39:1.
func TestWidgetTextOnAccentColourIsReadable(t *testing.T) {
	for _, accent := range []string{"#2980b9", "#e91e63", "#607d8b", "#d64541", "#1d4e89", "#ffcc00", "#777777", "#000000", "#ffffff"} {
		var got struct{ CSS string }
		runWidget(t, "css", &got, accent)
		m := regexp.MustCompile(`\.launcher \{[^}]*background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6})`).FindStringSubmatch(got.CSS)
		if m == nil {
			t.Fatalf("no launcher colours in %q", got.CSS[:300])
		}
		if r := contrast(m[1], m[2]); r < 4.5 {
			t.Errorf("accent %s: text %s on %s: contrast %.2f:1, under WCAG AA's 4.5:1", accent, m[2], m[1], r)
		}
	}
}

// contrast is WCAG 2's contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	lum := func(hex string) float64 {
		var c [3]float64
		for i := range c {
			v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			x := float64(v) / 255
			if x <= 0.03928 {
				c[i] = x / 12.92
			} else {
				c[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// Enter in the field while the previous reply is on its way submits the form
// although « Envoyer » is disabled; the field used to be emptied and nothing
// sent: the citizen's message was lost without a word. It must either be sent
// once the reply is in, or stay in the field.
func TestWidgetMessageTypedWhileAwaitingAReplyIsKept(t *testing.T) {
	var got struct {
		Sent  []string
		Input string
	}
	runWidget(t, "enter-while-busy", &got)
	if !slices.Contains(got.Sent, "et le samedi ?") && got.Input != "et le samedi ?" {
		t.Errorf("« et le samedi ? » typed during the first reply: neither sent (%q) nor left in the field (%q)", got.Sent, got.Input)
	}
}

// The log is a live region (role=log, aria-live=polite, aria-relevant=
// additions): a screen reader reads what is added to it. A second answer, the
// first not rated, used to redraw the whole log, its rating buttons gone:
// every message was removed and added again, and read again.
func TestWidgetAnswerDoesNotRedrawTheLiveLog(t *testing.T) {
	var got struct{ Before, Kept, After, OldFeedback, NewFeedback int }
	runWidget(t, "live-log", &got)
	if got.OldFeedback != 0 || got.NewFeedback != 1 {
		t.Errorf("« Oui » buttons: %d under the first answer (want 0: they would rate the second), %d under the second (want 1)", got.OldFeedback, got.NewFeedback)
	}
	if got.Kept != got.Before {
		t.Errorf("after the second answer, %d of the %d messages already in the live log were replaced by new nodes (read again)", got.Before-got.Kept, got.Before)
	}
	if got.After != got.Before+2 {
		t.Errorf("after the second question and its answer, the log holds %d messages, want %d", got.After, got.Before+2)
	}
}

// The audience (particulier, entreprise, association) is sent when a
// conversation starts. A citizen who asked first and answered « vous êtes :
// Une entreprise » afterwards used to be thanked while the audience was never
// sent: every later answer was the one for no audience. The next question
// must start a conversation for that audience.
func TestWidgetAudienceChosenAfterAQuestionIsUsed(t *testing.T) {
	var got struct {
		Enabled   bool
		Audiences []*string
		Ops       []string
		Shown     string
	}
	runWidget(t, "audience-late", &got)
	for _, a := range got.Audiences {
		if a != nil && *a == "ENTREPRISE" {
			if want := []string{"startConversation", "sendMessage", "startConversation", "sendMessage"}; !slices.Equal(got.Ops, want) {
				t.Errorf("operations %v, want %v", got.Ops, want)
			}
			if !strings.Contains(got.Shown, "nouvelle conversation") {
				t.Errorf("a new conversation began without a word to the citizen: %q", got.Shown)
			}
			return
		}
	}
	t.Errorf("audience buttons enabled after the first question: %v; « Une entreprise » clicked, then asked again: operations %v, audiences sent %v (ENTREPRISE never)",
		got.Enabled, got.Ops, got.Audiences)
}

// On a phone the reply to a message can be lost after the server logged it.
// « Réessayer » used to send it as a new message: logged and counted twice.
// The retry must carry the message's id (the server answers it once), and the
// next message a new one.
func TestWidgetRetrySendsTheSameMessageID(t *testing.T) {
	var got struct {
		Retried  bool
		Messages []struct{ Text, ID string }
		Stored   string
	}
	runWidget(t, "retry", &got)
	if !got.Retried || len(got.Messages) != 3 {
		t.Fatalf("« Réessayer » shown: %v; messages sent %+v, want the question twice and the next once", got.Retried, got.Messages)
	}
	first, retry, next := got.Messages[0], got.Messages[1], got.Messages[2]
	if first.ID == "" || !ValidMessageID(first.ID) || retry.Text != first.Text || retry.ID != first.ID {
		t.Errorf("the retry of %+v was sent as %+v: want the same text and a valid id, the same", first, retry)
	}
	if next.ID == "" || next.ID == first.ID {
		t.Errorf("the next message %+v has the retried one's id %q", next, first.ID)
	}
	if first.ID != "" && strings.Contains(got.Stored, first.ID) {
		t.Errorf("the message id stays in the page's storage: %s", got.Stored)
	}
}

// « Réessayer » pressed while another message's reply is on its way used to
// vanish with nothing sent: the message was lost. It must stay, and send the
// message once pressed again.
func TestWidgetRetryWhileBusyIsNotLost(t *testing.T) {
	var got struct {
		KeptWhileBusy bool
		Sent          []string
	}
	runWidget(t, "retry-while-busy", &got)
	if !got.KeptWhileBusy {
		t.Errorf("« Réessayer » pressed during another reply disappeared")
	}
	if want := []string{"horaires de la piscine", "et le samedi ?", "horaires de la piscine"}; !slices.Equal(got.Sent, want) {
		t.Errorf("sent %q, want %q", got.Sent, want)
	}
}
