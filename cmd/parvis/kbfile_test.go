package main

import (
	"errors"
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

// TestLoadKBFileSheetCSV: `kb import` reads a .csv as a spreadsheet saves it
// (French columns, semicolons) and as `kb export --format csv` writes it, with
// its problems by cell; the knowledge base's own CSV (id, question, answer,
// commas) still loads as before.
func TestLoadKBFileSheetCSV(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	town := write("faq.csv", []byte("Identifiant;Question;Réponse;Public\ncomposteur;Comment obtenir un composteur ?;La ville le prête.;Particuliers\n"))
	if es, err := loadKBFile(town, nil); err != nil || len(es) != 1 || es[0].ID != "composteur" || len(es[0].Audiences) != 1 {
		t.Errorf("a town's CSV: %v %v", es, err)
	}
	exported, err := kb.WriteSheet("csv", []kb.Entry{{ID: "verre", Question: "Verre ?", Answer: "Bornes vertes.", Status: kb.Published}})
	if err != nil {
		t.Fatal(err)
	}
	if es, err := loadKBFile(write("export.csv", exported), nil); err != nil || len(es) != 1 || es[0].ID != "verre" {
		t.Errorf("kb export's CSV: %v %v", es, err)
	}
	bad := write("bad.csv", []byte("id;question;réponse\nverre;Verre ?;\n"))
	if _, err := loadKBFile(bad, nil); err == nil || !strings.Contains(err.Error(), "C2 : réponse vide") {
		t.Errorf("a bad town's CSV: %v", err)
	}
	own := write("kb.csv", []byte("id,question,answer\nverre,Verre ?,Bornes vertes.\n"))
	if es, err := loadKBFile(own, nil); err != nil || len(es) != 1 || es[0].Answer != "Bornes vertes." {
		t.Errorf("the KB's own CSV: %v %v", es, err)
	}
}

// TestKBImportArgumentsInFrench: an option written after the files, or a file
// that is not there, is told in French with what to do, before any broker.
func TestKBImportArgumentsInFrench(t *testing.T) {
	dir := t.TempDir()
	faq := filepath.Join(dir, "faq.csv")
	if err := os.WriteFile(faq, []byte("id,question,answer\nhoraires,Horaires de la mairie ?,De 9 h à 12 h.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"import", faq, "--kafka", "127.0.0.1:1"}, "--kafka : les options se placent avant les fichiers"},
		{[]string{"import", filepath.Join(dir, "absent.csv")}, "absent.csv : fichier introuvable"},
	}
	for _, tt := range tests {
		err := kbCmd(t.Context(), tt.args)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("kb %v: %v, want a usage error with %q", tt.args, err, tt.want)
		}
	}
}
