package deploy

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/integration/parvistest"
)

func TestMain(m *testing.M) { parvistest.Main(m, "../cmd/parvis") }

// service is what the tests read of a compose service.
type service struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	Command     []string          `yaml:"command"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Restart     string            `yaml:"restart"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
}

type compose struct {
	Include  []string           `yaml:"include"`
	Services map[string]service `yaml:"services"`
	Volumes  map[string]any     `yaml:"volumes"`
}

func readCompose(t *testing.T, path string) compose {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

func isParvis(s service) bool { return s.Build != nil }

// TestComposeIsIncluded: `docker compose up` at the root runs this file.
func TestComposeIsIncluded(t *testing.T) {
	root := readCompose(t, "../docker-compose.yml")
	if !slices.Contains(root.Include, "deploy/docker-compose.yml") || len(root.Services) > 0 {
		t.Errorf("../docker-compose.yml includes %v and defines %d services, want deploy/docker-compose.yml alone", root.Include, len(root.Services))
	}
}

// TestComposeImages: every image has a pinned tag, never latest.
func TestComposeImages(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	for name, s := range c.Services {
		if isParvis(s) {
			continue // built from this repository
		}
		repo, tag, ok := strings.Cut(s.Image, ":")
		if !ok || tag == "" || tag == "latest" || strings.Contains(repo, "@") && tag == "" {
			t.Errorf("%s: image %q: pin a version tag", name, s.Image)
		}
	}
}

// TestComposeCreatesEveryTopic: the broker creates no topic by itself, so the
// init step creates every topic Parvis uses.
func TestComposeCreatesEveryTopic(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	if v := c.Services["kafka"].Environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]; v != "false" {
		t.Errorf("kafka: KAFKA_AUTO_CREATE_TOPICS_ENABLE=%q, want \"false\": a topic made by accident has one partition", v)
	}
	script := strings.Join(c.Services["kafka-topics"].Command, "\n")
	for _, topic := range events.Topics {
		if !regexp.MustCompile(`(?m)--create .*--topic ` + regexp.QuoteMeta(topic) + `\b|for t in [^;]*\b` + regexp.QuoteMeta(topic) + `\b`).MatchString(script) {
			t.Errorf("kafka-topics does not create %s", topic)
		}
	}
}

// dataDirs are where each image keeps what must outlive its container.
var dataDirs = map[string][]string{
	"apache/kafka":                 {"KAFKA_LOG_DIRS"},
	"clickhouse/clickhouse-server": {"/var/lib/clickhouse"},
	"prom/prometheus":              {"/prometheus"},
	"grafana/grafana":              {"/var/lib/grafana"},
	"nginx":                        {}, // configuration only
}

// TestComposeVolumes: every data directory is a named volume, declared, and
// no two parvis processes share one (each has its own outbox).
func TestComposeVolumes(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	owner := map[string]string{} // named volume → the parvis process mounting it at its data dir
	for name, s := range c.Services {
		mounts := map[string]string{}
		for _, v := range s.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) < 2 {
				t.Errorf("%s: volume %q: want SOURCE:TARGET", name, v)
				continue
			}
			mounts[parts[1]] = parts[0]
			if !strings.HasPrefix(parts[0], ".") && !strings.HasPrefix(parts[0], "/") {
				if _, ok := c.Volumes[parts[0]]; !ok {
					t.Errorf("%s: volume %q is not declared under volumes:", name, parts[0])
				}
			}
		}
		var dirs []string
		if isParvis(s) {
			dirs = []string{s.Environment["PARVIS_DATA"]}
		} else if s.Restart != "" { // long-running
			repo, _, _ := strings.Cut(s.Image, ":")
			want, ok := dataDirs[repo]
			if !ok {
				t.Errorf("%s: image %s: say in dataDirs where it keeps its data", name, repo)
			}
			for _, d := range want {
				if strings.HasPrefix(d, "/") {
					dirs = append(dirs, d)
				} else {
					dirs = append(dirs, s.Environment[d])
				}
			}
		}
		for _, d := range dirs {
			src, ok := mounts[d]
			if d == "" || !ok || strings.HasPrefix(src, ".") {
				t.Errorf("%s: its data directory %q is not on a named volume", name, d)
				continue
			}
			if isParvis(s) {
				if other, taken := owner[src]; taken {
					t.Errorf("%s and %s share the data volume %s: each parvis process needs its own (outbox)", name, other, src)
				}
				owner[src] = name
			}
		}
	}
}

// TestComposeHealthChecks: every long-running service says when it is healthy.
func TestComposeHealthChecks(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	for name, s := range c.Services {
		if s.Restart == "" {
			continue // a one-shot step (kafka-topics)
		}
		if s.Healthcheck == nil || len(s.Healthcheck.Test) == 0 {
			t.Errorf("%s: no health check", name)
			continue
		}
		if isParvis(s) && !slices.Contains(s.Healthcheck.Test, "--ready") {
			t.Errorf("%s: health check %v: ask /readyz (parvis health --ready)", name, s.Healthcheck.Test)
		}
	}
}

// TestComposeSecretsHaveNoDefault: a secret comes from the operator's
// environment, and compose refuses to start without it.
func TestComposeSecretsHaveNoDefault(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	secret := regexp.MustCompile(`TOKEN|SECRET|PASSWORD`)
	required := regexp.MustCompile(`^\$\{[A-Z_]+:\?[^}]+\}$`)
	for name, s := range c.Services {
		for k, v := range s.Environment {
			if secret.MatchString(k) && !required.MatchString(v) {
				t.Errorf("%s: %s=%q: want ${VAR:?what to set}", name, k, v)
			}
		}
		if dsn := s.Environment["PARVIS_CLICKHOUSE"]; dsn != "" && !strings.Contains(dsn, "${CLICKHOUSE_PASSWORD:?") {
			t.Errorf("%s: PARVIS_CLICKHOUSE %q: the password must come from ${CLICKHOUSE_PASSWORD:?...}", name, dsn)
		}
	}
}

// helpOf returns the flags (--name) and PARVIS_* variables that `parvis CMD -h` lists.
func helpOf(t *testing.T, cmd string) (flags, vars map[string]bool) {
	t.Helper()
	out, err := exec.Command(parvistest.Binary(), cmd, "-h").Output()
	if err != nil {
		t.Fatalf("parvis %s -h: %v", cmd, err)
	}
	flags, vars = map[string]bool{}, map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  --([a-z0-9-]+)`).FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	for _, m := range regexp.MustCompile(`PARVIS_[A-Z_]+`).FindAllString(string(out), -1) {
		vars[m] = true
	}
	if len(flags) == 0 {
		t.Fatalf("parvis %s -h lists no flag:\n%s", cmd, out)
	}
	return flags, vars
}

// TestComposeFlagsExist: every flag and PARVIS_* variable given to a parvis
// process is one that `parvis serve -h` (or `parvis health -h`) lists.
func TestComposeFlagsExist(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	serveFlags, serveVars := helpOf(t, "serve")
	healthFlags, _ := helpOf(t, "health")
	checkFlags := func(where string, args []string, known map[string]bool) {
		for _, a := range args {
			if f, ok := strings.CutPrefix(a, "--"); ok {
				f, _, _ = strings.Cut(f, "=")
				if !known[f] {
					t.Errorf("%s: --%s is not a flag of parvis", where, f)
				}
			}
		}
	}
	n := 0
	for name, s := range c.Services {
		if !isParvis(s) {
			continue
		}
		n++
		if len(s.Command) == 0 || s.Command[0] != "serve" {
			t.Errorf("%s: command %v: want serve ...", name, s.Command)
			continue
		}
		checkFlags(name, s.Command[1:], serveFlags)
		if s.Healthcheck != nil {
			test := s.Healthcheck.Test
			if i := slices.Index(test, "health"); i < 0 {
				t.Errorf("%s: health check %v: want /parvis health", name, test)
			} else {
				checkFlags(name+" health check", test[i+1:], healthFlags)
			}
		}
		for k := range s.Environment {
			if strings.HasPrefix(k, "PARVIS_") && !serveVars[k] {
				t.Errorf("%s: %s is not read by parvis serve", name, k)
			}
		}
		if r := s.Command[slices.Index(s.Command, "--role")+1]; !slices.Contains([]string{"api", "projector", "miner"}, r) {
			t.Errorf("%s: --role %s: one role per process", name, r)
		}
	}
	if n < 4 {
		t.Errorf("%d parvis services, want two api processes, a projector and a miner", n)
	}
}

// TestPrometheusScrapesEveryProcess: every parvis service is a target, on the
// port of its PARVIS_METRICS_ADDR.
func TestPrometheusScrapesEveryProcess(t *testing.T) {
	c := readCompose(t, "docker-compose.yml")
	b, err := os.ReadFile("prometheus/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ScrapeConfigs []struct {
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, tg := range st.Targets {
				targets[tg] = true
			}
		}
	}
	for name, s := range c.Services {
		if !isParvis(s) {
			continue
		}
		_, port, ok := strings.Cut(s.Environment["PARVIS_METRICS_ADDR"], ":")
		if !ok {
			t.Errorf("%s: no PARVIS_METRICS_ADDR: /metrics would be on the public address", name)
			continue
		}
		if !targets[name+":"+port] {
			t.Errorf("%s: Prometheus does not scrape %s:%s", name, name, port)
		}
	}
}

// TestPromtool: promtool accepts the configuration and the alert rules.
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("SKIP: promtool is not installed (apt-get install prometheus); .ci/run installs it")
	}
	for _, args := range [][]string{
		{"check", "config", "prometheus/prometheus.yml"},
		{"check", "rules", "prometheus/alerts.yml"},
	} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// queries returns every PromQL expression of the alert rules and of the
// Grafana dashboards, by where it comes from.
func queries(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	b, err := os.ReadFile("prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &rules); err != nil {
		t.Fatal(err)
	}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			out["alert "+r.Alert] = r.Expr
		}
	}
	files, _ := os.ReadDir("grafana/dashboards")
	for _, f := range files {
		b, err := os.ReadFile("grafana/dashboards/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Panels []struct {
				Title   string `json:"title"`
				Targets []struct {
					RefID string `json:"refId"`
					Expr  string `json:"expr"`
				} `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		for _, p := range d.Panels {
			for _, tg := range p.Targets {
				// Grafana's own variable, which Prometheus never sees.
				out[fmt.Sprintf("%s %q %s", f.Name(), p.Title, tg.RefID)] = strings.ReplaceAll(tg.Expr, "$__rate_interval", "1m")
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("%d queries found, the alert rules or the dashboards were not read", len(out))
	}
	return out
}

// TestQueriesNameExposedSeries: every series an alert or a dashboard panel
// reads is one that a running parvis exposes once it has had some traffic (a
// misspelt or renamed metric would make a panel empty and an alert silent).
func TestQueriesNameExposedSeries(t *testing.T) {
	exprs := queries(t)
	s := parvistest.Start(t, t.TempDir())
	id := s.StartConversation()
	for _, q := range []string{"horaires de la mairie", "mon mail est jean.dupont@example.org, passeport perdu"} {
		if _, errs := s.Send(id, q); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	s.WaitMessages(2, 30*time.Second)
	exposed := scrape(t, "http://"+s.Addr+"/metrics")
	exposed["up"] = true // written by Prometheus for every target

	p := parser.NewParser(parser.Options{})
	names := 0
	for where, expr := range exprs {
		e, err := p.ParseExpr(expr)
		if err != nil {
			t.Errorf("%s: %q: %v", where, expr, err)
			continue
		}
		parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
			if vs, ok := n.(*parser.VectorSelector); ok {
				names++
				if !exposed[vs.Name] {
					t.Errorf("%s: %s is not a series parvis exposes", where, vs.Name)
				}
			}
			return nil
		})
	}
	if names < len(exprs) {
		t.Errorf("%d series names in %d queries", names, len(exprs))
	}
}

// scrape returns the names of the series of a /metrics page.
func scrape(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	names := map[string]bool{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	var ours []string
	for n := range names {
		if strings.HasPrefix(n, "parvis_") {
			ours = append(ours, n)
		}
	}
	sort.Strings(ours)
	t.Logf("%d parvis series exposed", len(ours))
	return names
}
