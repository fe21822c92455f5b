package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
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
