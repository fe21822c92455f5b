package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthCmd asks a running serve whether it is alive (/healthz) or ready
// (/readyz): the health check of a container image that has no shell and no
// curl. Exit 0 when it is, 1 with the reason otherwise.
func healthCmd(ctx context.Context, args []string) error {
	fs := newFlags("health", "parvis health [--addr HOST:PORT] [--ready]\n\n"+
		"Exit 0 when the serve at --addr is alive (/healthz), or ready with --ready (/readyz: broker and ClickHouse answer, knowledge base read).")
	addr := fs.String("addr", env("PARVIS_ADDR", "127.0.0.1:8080"), "HTTP address of the serve [PARVIS_ADDR]")
	ready := fs.Bool("ready", false, "ask /readyz instead of /healthz")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return fmt.Errorf("%w: --addr %q: want HOST:PORT", errUsage, *addr)
	}
	path := "/healthz"
	if *ready {
		path = "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+*addr+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}
