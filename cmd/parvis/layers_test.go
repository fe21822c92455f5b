package main

import (
	"os/exec"
	"strings"
	"testing"
)

// layers is the architecture of the README, top first: a package imports only
// packages of lower layers. Test helpers (<pkg>test), generated code and
// end-to-end tests stand outside the picture.
var layers = [][]string{
	{"cmd/parvis"},
	{"graphql", "dashboards", "demotown"},
	{"ingest", "mining", "campaigns", "opendata", "loadgen"},
	{"bot", "auth", "projections", "eventlog", "demandes", "linkcheck"},
	{"french", "web", "semantic"},
	{"ingest/redact", "kb", "tenant", "demandes/platform"},
	{"demandes/publik", "demandes/dsimplifiees"},
	{"events", "demandes/connector"},
}

func TestImportsGoDownTheLayers(t *testing.T) {
	const module = "github.com/parvis-civic/parvis/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "../../...").Output()
	if err != nil {
		t.Skipf("SKIP: go list: %v", err)
	}
	layer := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			layer[p] = i
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, imports, _ := strings.Cut(line, ":")
		pkg := strings.TrimPrefix(path, module)
		from, ok := layer[pkg]
		if !ok {
			if !strings.HasSuffix(pkg, "test") && !strings.HasPrefix(pkg, "graphql/") && pkg != "bench" && pkg != "integration" && pkg != "deploy" {
				t.Errorf("%s is in no layer: place it in the README's picture and here", pkg)
			}
			continue
		}
		for _, imp := range strings.Fields(imports) {
			dep, ours := strings.CutPrefix(imp, module)
			if !ours || strings.HasPrefix(dep, "graphql/") {
				continue
			}
			if to, ok := layer[dep]; !ok || to <= from {
				t.Errorf("%s imports %s: imports go down the layers only", pkg, dep)
			}
		}
	}
}
