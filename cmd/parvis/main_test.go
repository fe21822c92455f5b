package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// capture runs the command and returns its exit code and standard output.
func capture(t *testing.T, args ...string) (int, string) {
	t.Helper()
	r, w, _ := os.Pipe()
	old := os.Stdout
	os.Stdout = w
	code := run(context.Background(), args)
	w.Close()
	os.Stdout = old
	out, _ := io.ReadAll(r)
	return code, string(out)
}

func TestEvalJSON(t *testing.T) {
	code, out := capture(t, "eval", "--kb", "demo", "--cases", "../../bot/testdata/dev.jsonl", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r map[string]float64
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"cases", "top1", "top3", "answered_correct", "resolved", "answered_accuracy", "none_precision", "none_recall", "p50_ms", "p99_ms"} {
		if _, ok := r[k]; !ok {
			t.Errorf("missing %q in %s", k, out)
		}
	}
	if r["cases"] != 255 || r["top1"] < 0.9 {
		t.Errorf("figures %v", r)
	}
}

func TestEvalBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "cases.jsonl")
	os.WriteFile(bad, []byte("{\"text\": \"x\", \"expected\": \"nope\"}\n{oops\n"), 0o644)
	badKB := filepath.Join(dir, "kb.csv")
	os.WriteFile(badKB, []byte("id,question\n"), 0o644)
	tests := [][]string{
		{"eval"},
		{"eval", "--kb", "demo"},
		{"eval", "--kb", "demo", "--cases", filepath.Join(dir, "missing.jsonl")},
		{"eval", "--kb", "demo", "--cases", bad},
		{"eval", "--kb", badKB, "--cases", bad},
		{"eval", "--kb", "demo", "--kb", "demo", "--cases", bad},
		{"eval", "--bogus"},
	}
	for _, args := range tests {
		if code, _ := capture(t, args...); code != 2 {
			t.Errorf("parvis %s: exit %d, want 2", strings.Join(args, " "), code)
		}
	}
}

func TestServeConfigValidation(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "nowhere"}, "--addr"},
		{[]string{"--role", "api"}, "embedded ClickHouse cannot be shared"},
		{[]string{"--role", "api,cook", "--clickhouse", "clickhouse://h:9000/db", "--kafka", "k:9092"}, "unknown role"},
		{[]string{"--clickhouse", "mysql://x"}, "--clickhouse"},
		{[]string{"--max-message", "0"}, "--max-message"},
		{[]string{"--retention-days", "-1"}, "--retention-days"},
		{[]string{"--retention-days", "un an"}, "--retention-days"},
	}
	for _, tt := range tests {
		_, err := parseServe(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseServe(%v) = %v, want an error about %s", tt.args, err, tt.want)
		}
	}
	if c, err := parseServe([]string{"--demo"}); err != nil || c.Addr != "127.0.0.1:8080" || !c.has("projector") || c.RetentionDays != 365 {
		t.Errorf("defaults: %+v %v", c, err)
	}
}

func TestServeRetentionDays(t *testing.T) {
	t.Setenv("PARVIS_RETENTION_DAYS", "90")
	if c, err := parseServe(nil); err != nil || c.RetentionDays != 90 {
		t.Errorf("PARVIS_RETENTION_DAYS=90: %d %v", c.RetentionDays, err)
	}
	if c, err := parseServe([]string{"--retention-days", "0"}); err != nil || c.RetentionDays != 0 {
		t.Errorf("--retention-days 0 (for ever) wins over the variable: %d %v", c.RetentionDays, err)
	}
}
