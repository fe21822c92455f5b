package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/semantic/semantictest"
	"github.com/parvis-civic/parvis/tenant"
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

// TestEvalForTuners covers what people who tune a knowledge base use: -h with
// every flag and its default, cross-validation, the report of every failure.
func TestEvalForTuners(t *testing.T) {
	code, out := capture(t, "eval", "-h")
	if code != 0 {
		t.Errorf("eval -h: exit %d, want 0", code)
	}
	flags := []string{"--kb SRC", "--cases FILE", "--cv K", "--json", "--report FILE", "--semantic-model DIR"}
	for _, flag := range flags {
		if !strings.Contains(out, flag) {
			t.Errorf("eval -h does not describe %s:\n%s", flag, out)
		}
	}
	if n := strings.Count(out, "(default "); n != len(flags) {
		t.Errorf("eval -h gives %d defaults, want %d:\n%s", n, len(flags), out)
	}

	code, out = capture(t, "eval", "--kb", "demo", "--cv", "5", "--json")
	var cv map[string]float64
	if err := json.Unmarshal([]byte(out), &cv); code != 0 || err != nil {
		t.Fatalf("eval --cv: exit %d, %v\n%s", code, err, out)
	}
	if cv["cases"] < 500 || cv["top1"] < 0.75 {
		t.Errorf("cross-validation figures %v", cv)
	}

	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	code, out = capture(t, "eval", "--kb", "demo", "--cases", "../../bot/testdata/holdout.jsonl", "--cv", "3", "--json", "--report", report)
	var both struct {
		Cases float64
		CV    map[string]float64
	}
	if err := json.Unmarshal([]byte(out), &both); code != 0 || err != nil || both.Cases != 104 || both.CV["cases"] < 500 {
		t.Fatalf("eval --cases --cv: exit %d, %v, %+v", code, err, both)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var details struct {
		Failures []struct {
			Text, Expected, Got string
			Candidates          []struct{ ID string }
		}
		Confusions []struct{ Count int }
		Entries    []struct{ ID string }
	}
	if err := json.Unmarshal(data, &details); err != nil {
		t.Fatal(err)
	}
	if len(details.Failures) == 0 || len(details.Confusions) == 0 || len(details.Entries) < 40 {
		t.Errorf("report: %d failures, %d confusions, %d entries", len(details.Failures), len(details.Confusions), len(details.Entries))
	}
	for _, f := range details.Failures {
		if f.Text == "" || f.Expected == "" || f.Got == "" {
			t.Errorf("incomplete failure %+v", f)
		}
	}
	text := filepath.Join(dir, "report.txt")
	if code, _ := capture(t, "eval", "--kb", "demo", "--cases", "../../bot/testdata/holdout.jsonl", "--report", text); code != 0 {
		t.Fatalf("text report: exit %d", code)
	}
	if data, _ := os.ReadFile(text); !strings.Contains(string(data), "Rappel par entrée") {
		t.Errorf("text report:\n%s", data)
	}
}

// The base the demo serves is measured as it is served: the town's entries
// and the national fiches, Saint-Aubin's left out.
func TestEvalDemoServed(t *testing.T) {
	code, out := capture(t, "eval", "--kb", "demo-served", "--cases", "../../bot/testdata/dev.jsonl", "--json")
	var r map[string]float64
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil {
		t.Fatalf("eval --kb demo-served: exit %d, %v\n%s", code, err, out)
	}
	_, demo := capture(t, "eval", "--kb", "demo", "--cases", "../../bot/testdata/dev.jsonl", "--json")
	var d map[string]float64
	json.Unmarshal([]byte(demo), &d)
	if r["cases"] != d["cases"] || r["none_recall"] >= d["none_recall"] {
		t.Errorf("demo-served %v against demo %v: the national fiches should answer some out-of-scope questions", r, d)
	}
	entries := kb.DemoServed()
	national, saintAubin := 0, 0
	for _, e := range entries {
		if e.National {
			national++
		}
		if e.Tenant == "saint-aubin-sur-leze" {
			saintAubin++
		}
	}
	if national < 500 || saintAubin > 0 || len(entries) <= len(kb.Demo()) {
		t.Errorf("demo-served: %d entries, %d national, %d of Saint-Aubin", len(entries), national, saintAubin)
	}
	// The demo's town and its intercommunalité, as the demo's tenants file says.
	for _, tn := range tenant.Demo() {
		if tn.ID == kb.DemoTown && tn.Parent != kb.DemoTownParent {
			t.Errorf("the demo's tenants put %s in %s, kb.DemoTownParent says %s", tn.ID, tn.Parent, kb.DemoTownParent)
		}
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
		{"eval", "--kb", "service-public", "--cv", "5"}, // no alternatives
		{"eval", "--kb", "demo", "--cv", "1"},
		{"eval", "--kb", "demo", "--cases", "../../bot/testdata/dev.jsonl", "--report", filepath.Join(dir, "no", "such", "dir.json")},
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
		{[]string{"--role", "api"}, "ClickHouse embarqué ne se partage pas"},
		{[]string{"--role", "api,cook", "--clickhouse", "clickhouse://h:9000/db", "--kafka", "k:9092"}, `--role : valeur inconnue "cook" ; valeurs acceptées : api, projector, miner`},
		{[]string{"--clickhouse", "mysql://x"}, "--clickhouse"},
		{[]string{"--kafka", "nowhere", "--clickhouse", "clickhouse://h:9000/db", "--role", "api"}, `--kafka : "nowhere" n'est pas une adresse HÔTE:PORT`},
		{[]string{"--kafka", "k1:9092,", "--clickhouse", "clickhouse://h:9000/db", "--role", "api"}, `--kafka : "" n'est pas une adresse HÔTE:PORT`},
		{[]string{"--max-message", "0"}, "--max-message"},
		{[]string{"--trusted-proxies", "10.0.0.0/8,proxy.ville.fr"}, "--trusted-proxies"},
		{[]string{"--metrics-addr", "nowhere"}, "--metrics-addr"},
		{[]string{"--oidc-issuer", "https://sso.ville.fr/realms/agents", "--oidc-client-id", "parvis"}, "--oidc-redirect-url : obligatoire avec --oidc-issuer"},
		{[]string{"--oidc-issuer", "https://sso.ville.fr/realms/agents", "--oidc-client-id", "parvis", "--oidc-redirect-url", "https://parvis.ville.fr"}, "--oidc-redirect-url"},
		{[]string{"--session-max-age", "0s"}, "--session-max-age"},
		{[]string{"--retention-days", "-1"}, "--retention-days"},
		{[]string{"--retention-days", "un an"}, "--retention-days"},
		{[]string{"--demo-history", "trois mois"}, "--demo-history"},
		{[]string{"--demo-history", "-1"}, "--demo-history"},
		{[]string{"--demo-history", "400"}, "--demo-history"},
		{[]string{"--demo-history", "90", "--retention-days", "30"}, "plus que les 30 que garde --retention-days"},
		{[]string{"--max-message", "beaucoup"}, `--max-message : valeur invalide "beaucoup" ; attendu : un nombre entier`},
		{[]string{"--session-max-age", "un jour"}, "--session-max-age : valeur invalide \"un jour\" ; attendu : une durée"},
		{[]string{"--kb-helpful-threshold", "moitié"}, "--kb-helpful-threshold : valeur invalide"},
		{[]string{"--nope"}, "--nope : option inconnue"},
		{[]string{"--token-rate-limit", "-600"}, "--token-rate-limit : -600 ; attendu : 0 (sans limite) ou plus"},
		{[]string{"--shutdown-timeout", "-10s"}, "--shutdown-timeout : -10s ; attendu : 0s ou plus"},
		{[]string{"--addr"}, "--addr : valeur manquante"},
		{[]string{"--addr", "127.0.0.1:99999"}, "--addr"},
		{[]string{"--broker-listen", "127.0.0.1:-1"}, "--broker-listen"},
		{[]string{"--metrics-addr", "127.0.0.1:70000"}, "--metrics-addr"},
		{[]string{"--kafka", "k1:0", "--clickhouse", "clickhouse://h:9000/db", "--role", "api"}, "--kafka"},
		{[]string{"--clickhouse", "clickhouse://", "--kafka", "k:9092", "--role", "api"}, "--clickhouse"},
		{[]string{"--clickhouse", "clickhouse://h:port/db", "--kafka", "k:9092", "--role", "api"}, "--clickhouse"},
		{[]string{"--kb-helpful-threshold", "NaN"}, "--kb-helpful-threshold"},
	}
	for _, tt := range tests {
		_, err := parseServe(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseServe(%v) = %v, want an error about %s", tt.args, err, tt.want)
		}
	}
	t.Setenv("PARVIS_ADMIN_TOKEN", "change-me")
	if _, err := parseServe(nil); err == nil || !strings.Contains(err.Error(), "PARVIS_ADMIN_TOKEN") {
		t.Errorf("a 9-character admin token: %v", err)
	}
	t.Setenv("PARVIS_ADMIN_TOKEN", strings.Repeat("k", 32))
	if c, err := parseServe([]string{"--demo"}); err != nil || c.Addr != "127.0.0.1:8080" || !c.has("projector") || c.RetentionDays != 365 || c.DemoHistory != 90 {
		t.Errorf("defaults: %+v %v", c, err)
	}
	for _, args := range [][]string{{"--addr", ":8080"}, {"--kafka", "k1:9092", "--clickhouse", "clickhouse://ch/parvis", "--role", "api"}} {
		if _, err := parseServe(args); err != nil {
			t.Errorf("parseServe(%v): %v", args, err)
		}
	}
	signIn := []string{"--oidc-issuer", "https://sso.ville.fr/realms/agents", "--oidc-client-id", "parvis", "--oidc-redirect-url", "https://parvis.ville.fr/auth/oidc/callback"}
	if c, err := parseServe(signIn); err != nil || c.SessionMaxAge != auth.DefaultSessionMaxAge {
		t.Errorf("sign-in with the identity provider: %v, session max age %s", err, c.SessionMaxAge)
	}
}

// TestBrokerCommand runs `parvis broker` until its context ends: any Kafka
// client reaches it meanwhile.
func TestBrokerCommand(t *testing.T) {
	if code, _ := capture(t, "broker", "--listen", "nowhere"); code != 2 {
		t.Errorf("a bad --listen: exit %d, want 2", code)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- run(ctx, []string{"broker", "--data", t.TempDir(), "--listen", addr}) }()
	deadline := time.Now().Add(20 * time.Second)
	for eventlog.Ping(ctx, []string{addr}) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the broker does not answer")
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after the context ended, want 0", code)
	}
}

// TestHelp: every command prints its flags, with their variables and defaults,
// and exits 0.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"serve", "-h"}, {"kb", "-h"}, {"kb", "import", "-h"}, {"replay", "--help"}, {"broker", "-h"}, {"loadgen", "-h"}} {
		code, out := capture(t, args...)
		if code != 0 || !strings.Contains(out, "Usage: parvis "+args[0]) || !strings.Contains(out, "(default") {
			t.Errorf("parvis %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
	}
	if _, out := capture(t, "serve", "-h"); !strings.Contains(out, "[PARVIS_ADDR]") || !strings.Contains(out, "PARVIS_ADMIN_TOKEN") {
		t.Errorf("serve -h does not name the variables:\n%s", out)
	}
	if _, out := capture(t, "loadgen", "-h"); !strings.Contains(out, "--chat-rate-limit 0") {
		t.Errorf("loadgen -h does not say to lift the server's rate limit:\n%s", out)
	}
	// The usage names every role --role accepts (it left out miner).
	if _, out := capture(t, "-h"); !strings.Contains(out, "[--role "+strings.Join(knownRoles, ",")+"]") {
		t.Errorf("parvis -h does not name every role of serve (%v):\n%s", knownRoles, out)
	}
	if code, _ := capture(t, "loadgen", "--url", "nowhere"); code != 2 {
		t.Errorf("loadgen with a bad --url: exit %d, want 2", code)
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

// TestSemanticModel: --semantic-model (or its variable) loads a model for eval
// and is listed by -h; a directory without the model's files is a usage error
// naming the flag and the file.
func TestSemanticModel(t *testing.T) {
	for _, cmd := range []string{"serve", "eval"} {
		if _, out := capture(t, cmd, "-h"); !strings.Contains(out, "--semantic-model DIR") || !strings.Contains(out, "[PARVIS_SEMANTIC_MODEL]") {
			t.Errorf("%s -h does not describe --semantic-model:\n%s", cmd, out)
		}
	}
	empty := t.TempDir()
	if _, err := parseServe([]string{"--semantic-model", empty}); err == nil || !strings.Contains(err.Error(), "--semantic-model") || !strings.Contains(err.Error(), "model.onnx") {
		t.Errorf("serve --semantic-model with an empty directory: %v", err)
	}
	if code, _ := capture(t, "eval", "--kb", "demo", "--cases", "../../bot/testdata/dev.jsonl", "--semantic-model", empty); code != 2 {
		t.Errorf("eval --semantic-model with an empty directory: exit %d, want 2", code)
	}

	dir := t.TempDir()
	semantictest.WriteModel(t, dir, map[string][]float32{"piscine": {1, 0}, "swimming": {1, 0}, "mairie": {0, 1}})
	t.Setenv("PARVIS_SEMANTIC_MODEL", dir)
	code, out := capture(t, "eval", "--kb", "demo", "--cases", "../../bot/testdata/dev.jsonl", "--json")
	if code != 0 {
		t.Fatalf("eval with a model: exit %d", code)
	}
	var r map[string]float64
	if err := json.Unmarshal([]byte(out), &r); err != nil || r["cases"] != 255 {
		t.Errorf("eval with a model: %v\n%s", err, out)
	}
	if c, err := parseServe(nil); err != nil || c.SemanticModel != dir {
		t.Errorf("PARVIS_SEMANTIC_MODEL: %q, %v", c.SemanticModel, err)
	}
}

// TestReplayAndLogCommandsCheckTheirInput: `parvis replay` refuses a stray
// argument, --kafka without --clickhouse and a DSN of no ClickHouse, naming
// what is wrong; a command that reaches the log says in French, naming
// --kafka, that no broker answers.
func TestReplayAndLogCommandsCheckTheirInput(t *testing.T) {
	t.Setenv("PARVIS_ADMIN_TOKEN", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--kafka", "k1:9092", "--clickhouse", "clickhouse://h/db", "extra"}, `argument en trop : "extra"`},
		{[]string{"--kafka", "k1:9092"}, "--kafka et --clickhouse vont ensemble"},
		{[]string{"--kafka", "127.0.0.1:1", "--clickhouse", "mysql://x"}, "--clickhouse"},
	} {
		if err := replayCmd(context.Background(), tt.args); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parvis replay %v: %v; want a usage error saying %s", tt.args, err, tt.want)
		}
	}
	// PARVIS_KAFKA alone (a serve on Kafka, its ClickHouse embedded): the
	// replay goes through that serve, which needs its token.
	t.Setenv("PARVIS_KAFKA", "k1:9092")
	if err := replayCmd(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "PARVIS_ADMIN_TOKEN") {
		t.Errorf("parvis replay with PARVIS_KAFKA alone: %v; want it to go through the serve", err)
	}
	for _, dsn := range []string{"clickhouse://ch1:9000,ch2:9000/parvis", "clickhouse://ch/parvis"} {
		if err := checkDSN(dsn); err != nil {
			t.Errorf("checkDSN(%q): %v", dsn, err)
		}
	}
	err := tokenCmd(context.Background(), []string{"create", "--role", "ADMIN", "--name", "x", "--kafka", "127.0.0.1:1"})
	if err == nil || !strings.Contains(err.Error(), "--kafka : aucun broker Kafka ne répond") {
		t.Errorf("token create with no broker: %v", err)
	}
}
