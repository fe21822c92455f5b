package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/events"
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

// TestKBImportSheetKeepsWhatItDoesNotCarry: `kb import` of a spreadsheet
// exported and edited changes what its cells say and keeps the rest of each
// entry, as the studio's import does: its commune, the wrong answers experts
// accepted, its kind (a greeting stays a greeting); a row left as it was is
// not published again (its review date would start over).
func TestKBImportSheetKeepsWhatItDoesNotCarry(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	addr, pub := eventlogtest.Start(t)
	w := &kb.Writer{Log: pub, State: kb.NewState()}
	for _, e := range []kb.Entry{
		{ID: "verre", Question: "Où jeter le verre ?", Answer: "Dans les bornes vertes.", Negatives: []string{"verre de l'amitié"},
			Tenant: "montclar", Service: "Déchets", Status: kb.Published},
		{ID: "bonjour", Question: "Bonjour", Answer: "Bonjour ! Posez votre question.", Kind: kb.KindSmalltalk, Tenant: "montclar", Status: kb.Published},
	} {
		if _, err := w.Import(ctx, []kb.Entry{e}, "alice", false); err != nil {
			t.Fatal(err)
		}
	}
	before := w.State.Entries()
	edited := slices.Clone(before)
	edited[0].Answer = "Dans les bornes vertes, de 7 h à 22 h."
	data, err := kb.WriteSheet("xlsx", edited)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "base.xlsx")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := kbCmd(ctx, []string{"import", "--kafka", addr, file}); err != nil {
		t.Fatal(err)
	}
	state := kb.NewState()
	if err := (logClient{brokers: []string{addr}}).read(ctx, events.TopicKB, state.Apply); err != nil {
		t.Fatal(err)
	}
	verre, _ := state.Entry("verre")
	if verre.Answer != edited[0].Answer || verre.Tenant != "montclar" || !slices.Equal(verre.Negatives, before[0].Negatives) {
		t.Errorf("changed row: %+v; want the new answer, its commune and its negatives", verre)
	}
	bonjour, _ := state.Entry("bonjour")
	if bonjour.Kind != kb.KindSmalltalk || bonjour.Tenant != "montclar" {
		t.Errorf("unchanged row: %+v; want a greeting of montclar still", bonjour)
	}
	if h := state.History("bonjour"); len(h) != 1 {
		t.Errorf("unchanged row published again: %d changes, want 1", len(h))
	}
}

// TestLoadKBFileCSVWithSheetColumns: a comma-separated .csv whose header mixes
// the English « answer » with columns only a spreadsheet has (« public »,
// « statut ») is read as a spreadsheet: no column is dropped.
func TestLoadKBFileCSVWithSheetColumns(t *testing.T) {
	p := filepath.Join(t.TempDir(), "faq.csv")
	if err := os.WriteFile(p, []byte("id,question,answer,public,statut\nverre,Où jeter le verre ?,Bornes vertes.,Professionnels,brouillon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	es, err := loadKBFile(p, nil)
	if err != nil || len(es) != 1 || !slices.Equal(es[0].Audiences, []kb.Audience{kb.Entreprise}) || es[0].Status != kb.Draft {
		t.Errorf("%+v %v: want the public and the status of the row", es, err)
	}
}
