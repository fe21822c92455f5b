package platform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: the file connecting a service platform, as an operator may
// write it. Parsing never panics, and a file it refuses is named in the error,
// with the line of each problem it can locate.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"publik.yaml", "dsimplifiees.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("platform: publik\nbase_url: http://[::1\nkinds: {voirie: {form: ''}}\n"))
	f.Add([]byte("platform: autre\n"))
	f.Add([]byte("- [\n"))
	getenv := env(map[string]string{"PARVIS_PUBLIK_KEY": "cle-partagee", "PARVIS_PUBLIK_CALLBACK_KEY": "cle-de-rappel", "PARVIS_DS_TOKEN": "jeton"})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse("plateforme.yaml", b, getenv, offered...)
		switch {
		case err != nil && !strings.Contains(err.Error(), "plateforme.yaml"):
			t.Errorf("the error does not name the file: %v", err)
		case err == nil && (c == nil || c.Name() == ""):
			t.Errorf("took the file and made no connector: %T", c)
		}
	})
}
