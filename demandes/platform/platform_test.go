package platform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/demandes/dsimplifiees"
	"github.com/parvis-civic/parvis/demandes/publik"
)

var offered = []string{"voirie", "encombrants", "salle_association"}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadExamples(t *testing.T) {
	t.Setenv("PARVIS_PUBLIK_KEY", "cle-partagee")
	t.Setenv("PARVIS_PUBLIK_CALLBACK_KEY", "cle-de-rappel")
	t.Setenv("PARVIS_DS_TOKEN", "jeton")
	c, err := Load(filepath.Join("testdata", "publik.yaml"), offered...)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*publik.Connector); !ok || c.Name() != "publik" {
		t.Errorf("publik.yaml gave %T", c)
	}
	c, err = Load(filepath.Join("testdata", "dsimplifiees.yaml"), offered...)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*dsimplifiees.Connector); !ok || c.Name() != "dsimplifiees" {
		t.Errorf("dsimplifiees.yaml gave %T", c)
	}
}

func TestProblemsAreLocated(t *testing.T) {
	publikFile, _ := os.ReadFile(filepath.Join("testdata", "publik.yaml"))
	dsFile, _ := os.ReadFile(filepath.Join("testdata", "dsimplifiees.yaml"))
	keys := env(map[string]string{"PARVIS_PUBLIK_KEY": "k", "PARVIS_PUBLIK_CALLBACK_KEY": "k", "PARVIS_DS_TOKEN": "t"})
	edit := func(src []byte, old, new string) []byte {
		if !strings.Contains(string(src), old) {
			t.Fatalf("example has no %q", old)
		}
		return []byte(strings.Replace(string(src), old, new, 1))
	}
	tests := []struct {
		name   string
		data   []byte
		getenv func(string) string
		kinds  []string
		want   []string // each a line of the error
	}{
		{"unmapped kind", publikFile, keys, append(offered, "stationnement"),
			[]string{"f.yaml:15: kind stationnement is offered to citizens but mapped to no form"}},
		{"unset key", publikFile, env(map[string]string{"PARVIS_PUBLIK_CALLBACK_KEY": "k"}), offered,
			[]string{"f.yaml:6: the environment variable PARVIS_PUBLIK_KEY is empty or unset"}},
		{"misspelt field", edit(publikFile, "      photo: photo", "      photos: photo"), keys, offered,
			[]string{"f.yaml:24: field photos not found in the mapping"}},
		{"unknown status", edit(publikFile, "Clôturé: TRAITEE", "Clôturé: FINI"), keys, offered,
			[]string{`f.yaml:11: status "Clôturé": "FINI" is not RECUE, EN_COURS, TRAITEE or REJETEE`}},
		{"no form", edit(publikFile, "    form: collecte-encombrants\n", ""), keys, offered,
			[]string{"f.yaml:28: kind encombrants: form is required"}},
		{"no description", edit(publikFile, "      description: objet\n", ""), keys, offered,
			[]string{"f.yaml:41: kind salle_association: fields.description is required"}},
		{"plain http", edit(publikFile, "https://demarches", "http://demarches"), keys, offered,
			[]string{"f.yaml:3: base_url \"http://demarches.montclar.fr\": https is required"}},
		{"unknown platform", edit(publikFile, "platform: publik", "platform: mesdemarches"), keys, offered,
			[]string{`f.yaml:2: platform "mesdemarches": want publik or dsimplifiees`}},
		{"token for publik", edit(publikFile, "orig: parvis", "token_env: X\norig: parvis"), keys, offered,
			[]string{"f.yaml:5: token_env does not apply to publik"}},
		{"photo on DS", edit(dsFile, "      email: Q2hhbXAtMTAwNg==", "      photo: Q2hhbXAtOTk=\n      email: Q2hhbXAtMTAwNg=="), keys, offered,
			[]string{"f.yaml:15: kind voirie: Démarches Simplifiées cannot prefill a file"}},
		{"no démarche", edit(dsFile, "    demarche: 104219\n", ""), keys, offered,
			[]string{"f.yaml:26: kind salle_association: demarche is required"}},
		{"no token", edit(dsFile, "token_env: PARVIS_DS_TOKEN", ""), keys, offered,
			[]string{"f.yaml:2: token_env is required"}},
		{"bad extra", edit(dsFile, "{field: Q2hhbXAtMjAwNA==, date: true}", "{champ: Q2hhbXAtMjAwNA==}"), keys, offered,
			[]string{"f.yaml:25: field champ not found (field, date)"}},
		{"two problems", edit(edit(dsFile, "    demarche: 104219\n", ""), "    demarche: 104217\n", ""), keys, offered,
			[]string{"f.yaml:7: kind voirie: demarche is required", "f.yaml:25: kind salle_association: demarche is required"}},
	}
	for _, tt := range tests {
		_, err := Parse("f.yaml", tt.data, tt.getenv, tt.kinds...)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("%s: %d problems, want %d:\n%v", tt.name, len(lines), len(tt.want), err)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("%s:\n got %s\nwant %s", tt.name, lines[i], w)
			}
		}
	}
}

// The examples of the README's « Raccorder Publik ou Démarches Simplifiées »
// load as they are.
func TestReadmeExamplesLoad(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Skipf("SKIP: no README: %v", err)
	}
	_, section, ok := strings.Cut(string(readme), "### Raccorder Publik ou Démarches Simplifiées")
	if !ok {
		t.Fatal("README has no section « Raccorder Publik ou Démarches Simplifiées »")
	}
	section, _, _ = strings.Cut(section, "\n### ")
	keys := env(map[string]string{"PARVIS_PUBLIK_KEY": "k", "PARVIS_PUBLIK_CALLBACK_KEY": "k", "PARVIS_DS_TOKEN": "t"})
	found := 0
	for _, block := range strings.Split(section, "```yaml\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		if _, err := Parse("README.md", []byte(block), keys); err != nil {
			t.Errorf("README example:\n%s\n%v", block, err)
		}
		found++
	}
	if found != 2 {
		t.Errorf("%d YAML examples in the README section, want 2 (Publik, Démarches Simplifiées)", found)
	}
}
