package demandes

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/web"
)

// from returns a request context whose client address is addr, as the
// server's middleware records it.
func from(t *testing.T, addr string) context.Context {
	t.Helper()
	var ctx context.Context
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = addr + ":4242"
	web.WithClientAddr(nil, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { ctx = r.Context() })).ServeHTTP(httptest.NewRecorder(), r)
	return ctx
}

// TestCodeGuessesAreBounded: an address that gave too many codes with a wrong
// check part is refused before any look-up, even for a right code (which a
// guess would be), on the chat as on the API; another address is not.
func TestCodeGuessesAreBounded(t *testing.T) {
	desk, _, _ := newDesk(t, t.TempDir())
	dm := filePothole(t, desk, "")
	wrong := dm.Code[:len(dm.Code)-4] + "ZZZZ"
	if wrong == dm.Code {
		wrong = dm.Code[:len(dm.Code)-4] + "YYYY"
	}
	guesser, citizen := from(t, "203.0.113.7"), from(t, "198.51.100.9")
	for i := range guessesAtOnce {
		if _, err := desk.TrackFrom(guesser, wrong); !errors.Is(err, ErrCodeCheck) {
			t.Fatalf("wrong code %d: %v, want ErrCodeCheck", i+1, err)
		}
	}
	if _, err := desk.TrackFrom(guesser, dm.Code); !errors.Is(err, ErrTooManyGuesses) {
		t.Errorf("the right code after %d wrong ones: %v, want ErrTooManyGuesses", guessesAtOnce, err)
	}
	if reply, _, ok := desk.Answer(guesser, "", "où en est "+dm.Code); !ok || !strings.Contains(reply, "Trop de codes") || strings.Contains(reply, "reçue") {
		t.Errorf("the chat, after the guesses: %q", reply)
	}
	if got, err := desk.TrackFrom(citizen, dm.Code); err != nil || got.Code != dm.Code {
		t.Errorf("another address: %v", err)
	}
}
