package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/campaigns"
)

// A clean stop logs no ERROR (three « follower stopped error=context
// canceled » lines came with every SIGTERM); a loop that fails still does.
func TestGoRunLogsFailuresNotTheStop(t *testing.T) {
	var buf bytes.Buffer
	s := &server{log: slog.New(slog.NewTextHandler(&buf, nil))}
	s.goRun("knowledge base follower", func() error { return fmt.Errorf("read parvis.kb: %w", context.Canceled) })
	s.wg.Wait()
	if buf.Len() != 0 {
		t.Errorf("a stop asked for is logged: %s", buf.String())
	}
	s.goRun("projector", func() error { return errors.New("projections: insert: code 60") })
	s.wg.Wait()
	if !strings.Contains(buf.String(), "level=ERROR") || !strings.Contains(buf.String(), "projector stopped") {
		t.Errorf("a failing loop is not logged as an error: %q", buf.String())
	}
}

// An HTTP address already taken (another serve still running) is said at once,
// in French and naming --addr, before anything is started or logged as serving.
func TestServeAddressInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	broker := free.Addr().String()
	free.Close()
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = serve(ctx, []string{"--data", data, "--addr", busy.Addr().String(), "--broker-listen", broker, "--regroup-every", "1h"})
	if err == nil || !strings.Contains(err.Error(), "--addr "+busy.Addr().String()+" : adresse déjà utilisée") {
		t.Fatalf("serve on a busy address: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "clickhouse")); err == nil {
		t.Errorf("ClickHouse was opened before the address was found taken")
	}
	err = serve(ctx, []string{"--data", data, "--addr", broker, "--broker-listen", busy.Addr().String()})
	if err == nil || !strings.Contains(err.Error(), "--broker-listen "+busy.Addr().String()+" : adresse déjà utilisée") {
		t.Fatalf("serve with a busy broker address: %v", err)
	}
}

// A test campaign's invite URL opens a page with the widget, on a town's
// deployment (no --demo, no --campaign-url) as on the demo.
func TestInviteURLOpensAPage(t *testing.T) {
	for _, demo := range []bool{true, false} {
		s := &server{cfg: config{Addr: "127.0.0.1:8080", Demo: demo}, mux: http.NewServeMux()}
		s.mountSites()
		u, err := url.Parse(campaigns.InviteURL(s.cfg.InviteBase(), "jeton"))
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		s.mux.ServeHTTP(rec, httptest.NewRequest("GET", u.RequestURI(), nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `src="/widget.js"`) {
			t.Errorf("demo %v: invite URL %s: %d, no widget", demo, u, rec.Code)
		}
	}
}
