package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestLoadKBFileSpreadsheet: `kb import` reads an .ods sheet, and reports a bad
// one by its cells, importing nothing.
func TestLoadKBFileSpreadsheet(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, entries []kb.Entry) string {
		data, err := kb.WriteSheet(strings.TrimPrefix(filepath.Ext(name), "."), entries)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("base.ods", []kb.Entry{{ID: "verre", Question: "Verre ?", Answer: "Bornes vertes."}})
	if es, err := loadKBFile(good, nil); err != nil || len(es) != 1 || es[0].ID != "verre" {
		t.Fatalf("good sheet: %v %v", es, err)
	}
	bad := write("bad.xlsx", []kb.Entry{{ID: "verre", Question: "Verre ?", Answer: "Bornes."}, {ID: "verre", Question: "Encore ?", Answer: "Oui."}})
	_, err := loadKBFile(bad, nil)
	if err == nil || !strings.Contains(err.Error(), "A3 : identifiant « verre » en double") || !strings.Contains(err.Error(), "rien n'est importé") {
		t.Errorf("bad sheet: %v", err)
	}
}
