package kb

import (
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetOf makes a spreadsheet of rows in a format, the way an expert's
// spreadsheet program would: xlsx through excelize, ods and csv by hand.
func sheetOf(t *testing.T, format string, rows [][]string) []byte {
	t.Helper()
	switch format {
	case "xlsx":
		f := excelize.NewFile()
		for i, r := range rows {
			for j, c := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				f.SetCellStr("Sheet1", cell, c)
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	case "ods":
		b, err := writeODS(rows)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(`"` + strings.ReplaceAll(c, `"`, `""`) + `"`)
		}
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

var goodRows = [][]string{
	{"Identifiant", "Question", "Autres formulations", "Réponse", "Public", "Service", "Liens", "Statut", "À relire le"},
	{"verre", "Où jeter le verre ?", "bouteilles | bocaux", "Dans les bornes vertes.\n\n- pas de vaisselle\n- pas de miroirs", "Tous", "Déchets",
		"Carte des bornes | https://montclar.fr/verre", "", "01/09/2027"},
	{"acte", "Acte de naissance ?", "", "En ligne ou en mairie, au 04 75 00 00 00.", "PARTICULIERS", "État civil", "", "brouillon", ""},
	{"vieux", "Ancienne question", "", "Ancienne réponse.", "", "", "", "Retirée", ""},
}

// TestSheetImportDryRun reads the same sheet as xlsx, ods and csv, with
// audiences and statuses as towns write them, and plans the import against
// the current knowledge base: added, changed, retired, unchanged.
func TestSheetImportDryRun(t *testing.T) {
	current := []Entry{
		{ID: "acte", Question: "Acte de naissance ?", Answer: "En mairie.", Status: Published},
		{ID: "vieux", Question: "Ancienne question", Answer: "Ancienne réponse.", Status: Published},
	}
	for _, format := range []string{"xlsx", "ods", "csv"} {
		t.Run(format, func(t *testing.T) {
			rows, err := ReadSheet("base."+format, sheetOf(t, format, goodRows))
			if err != nil {
				t.Fatal(err)
			}
			entries, errs := SheetEntries(rows)
			if errs != nil {
				t.Fatal(errs)
			}
			v := entries[0]
			if v.ID != "verre" || !slices.Equal(v.Alternatives, []string{"bouteilles", "bocaux"}) || len(v.Audiences) != 3 ||
				v.Service != "Déchets" || len(v.Links) != 1 || v.Links[0].Label != "Carte des bornes" || v.Status != Published ||
				v.ReviewBy != "2027-09-01" || !strings.Contains(v.Answer, "\n- pas de miroirs") {
				t.Errorf("verre = %+v", v)
			}
			if a := entries[1]; !slices.Equal(a.Audiences, []Audience{Particulier}) || a.Status != Draft {
				t.Errorf("acte = %+v", a)
			}
			p := PlanImport(current, entries)
			if !slices.Equal(p.Added, []string{"verre"}) || !slices.Equal(p.Changed, []string{"acte"}) || !slices.Equal(p.Retired, []string{"vieux"}) {
				t.Errorf("plan = %+v", p)
			}
		})
	}
}

// TestSheetErrorsName their cells: a duplicate id, a link that is not http(s),
// an answer over the limit, an unknown audience, a missing column, a file that
// is not a spreadsheet; and then no entry at all.
func TestSheetErrorsNameTheirCells(t *testing.T) {
	rows := [][]string{
		{"id", "question", "réponse", "public", "liens"},
		{"verre", "Où jeter le verre ?", "Bornes vertes.", "Tous", ""},
		{"verre", "Encore le verre ?", "Bornes.", "", ""},
		{"piles", "Piles ?", "En [mairie](javascript:alert(1)).", "", "Voir | javascript:alert(1)"},
		{"long", "Long ?", strings.Repeat("a", MaxAnswerRunes+1), "Martiens", ""},
	}
	for _, format := range []string{"xlsx", "ods", "csv"} {
		t.Run(format, func(t *testing.T) {
			sheet, err := ReadSheet("base."+format, sheetOf(t, format, rows))
			if err != nil {
				t.Fatal(err)
			}
			entries, errs := SheetEntries(sheet)
			if entries != nil {
				t.Errorf("entries imported in spite of errors: %v", entries)
			}
			var cells []string
			for _, e := range errs {
				cells = append(cells, e.Cell())
			}
			want := []string{"A3", "C4", "E4", "C5", "D5"}
			if !slices.Equal(cells, want) {
				t.Errorf("errors in %v, want %v:\n%v", cells, want, errs)
			}
			if !strings.Contains(errs[0].Msg, "en double (déjà ligne 2)") || !strings.Contains(errs[2].Msg, "http(s)") ||
				!strings.Contains(errs[3].Msg, "trop longue") || !strings.Contains(errs[4].Msg, "Martiens") {
				t.Errorf("messages: %v", errs)
			}
		})
	}
	if _, errs := SheetEntries([][]string{{"id", "question"}}); len(errs) != 1 || errs[0].Cell() != "ligne 1" || !strings.Contains(errs[0].Msg, "réponse") {
		t.Errorf("a missing column: %v", errs)
	}
	for _, name := range []string{"x.xlsx", "x.ods", "x.doc"} {
		if _, err := ReadSheet(name, []byte("pas un classeur")); err == nil {
			t.Errorf("%s: a file that is not a spreadsheet is read", name)
		}
	}
}

// TestSheetRoundTrip: what is exported imports back unchanged, in every format,
// a cell that starts like a formula too (the CSV export defuses it).
func TestSheetRoundTrip(t *testing.T) {
	rows, _ := ReadSheet("b.csv", sheetOf(t, "csv", goodRows))
	entries, errs := SheetEntries(rows)
	if errs != nil {
		t.Fatal(errs)
	}
	entries[1].Answer = "=SOMME(A1:A2) n'est pas une formule"
	entries[2].Answer = "- d'abord le formulaire\n- puis le dépôt"
	for _, format := range []string{"xlsx", "ods", "csv"} {
		data, err := WriteSheet(format, entries)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadSheet("export."+format, data)
		if err != nil {
			t.Fatal(err)
		}
		again, errs := SheetEntries(back)
		if errs != nil {
			t.Fatalf("%s: %v", format, errs)
		}
		if p := PlanImport(entries, again); len(p.Unchanged) != len(entries) {
			t.Errorf("%s: round trip changed %+v", format, p)
		}
	}
}

// TestSheetRowNumbers: blank rows keep the numbering a spreadsheet shows, so
// that an error's cell is where the expert looks: blank lines and multi-line
// cells in CSV, repeated empty rows in ODS (and the million empty rows to the
// sheet's edge that LibreOffice writes are not read).
func TestSheetRowNumbers(t *testing.T) {
	csvData := "id;question;réponse\nverre;Verre ?;\"Bornes\nvertes.\"\n\n\nverre;Encore ?;Oui.\n"
	rows, err := ReadSheet("b.csv", []byte(csvData))
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := SheetEntries(rows); len(errs) != 1 || errs[0].Cell() != "A5" {
		t.Errorf("csv: %v, want the duplicate at A5", errs)
	}
	cell := func(v string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
	}
	row := func(vs ...string) string { return "<table:table-row>" + strings.Join(vs, "") + "</table:table-row>" }
	content := `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="` + nsTable +
		`" xmlns:text="` + nsText + `"><office:body><office:spreadsheet><table:table>` +
		row(cell("id"), cell("question"), `<table:table-cell table:number-columns-repeated="3"/>`, cell("réponse")) +
		row(cell("verre"), cell("Verre ?"), `<table:table-cell table:number-columns-repeated="3"/>`, cell("Bornes.")) +
		`<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		row(cell("verre"), cell("Encore ?"), `<table:table-cell table:number-columns-repeated="3"/>`, cell("Oui.")) +
		`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`</table:table></office:spreadsheet></office:body></office:document-content>`
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("content.xml")
	w.Write([]byte(content))
	z.Close()
	rows, err = ReadSheet("b.ods", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Errorf("ods: %d rows, want 5", len(rows))
	}
	if _, errs := SheetEntries(rows); len(errs) != 1 || errs[0].Cell() != "A5" {
		t.Errorf("ods: %v, want the duplicate at A5", errs)
	}
}

// TestSheetCSVSyntaxErrors: a CSV the reader cannot split says, in French,
// which row and what to mend, not the reader's English and a byte offset taken
// for a column.
func TestSheetCSVSyntaxErrors(t *testing.T) {
	for _, c := range []struct{ name, data, cell, says string }{
		{"unclosed quote", "id,question,réponse\nverre,Verre ?,Bornes.\n\"piles,Piles ?,En mairie.\n", "ligne 3", "n'est pas refermé"},
		{"bare quote", "id;question;réponse\n\nverre;Le \"verre\" ?;Bornes.\n", "ligne 3", "doublez ce guillemet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSheet("b.csv", []byte(c.data))
			var errs SheetErrors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("got %v, want one located error", err)
			}
			if errs[0].Cell() != c.cell || !strings.Contains(errs[0].Msg, c.says) || strings.Contains(errs[0].Msg, "quote") {
				t.Errorf("got « %v », want %s and « %s » in French", errs[0], c.cell, c.says)
			}
		})
	}
}

// TestSheetColumnTypoIsAnError: a column one letter off a known name
// (« Pubic ») would drop every cell of it without a word; it is named with
// its cell and the name it resembles, while a working column of the town's
// (« Commentaire interne ») is still ignored.
func TestSheetColumnTypoIsAnError(t *testing.T) {
	rows := [][]string{
		{"Identifiant", "Question", "Réponse", "Pubic", "Commentaire interne"},
		{"verre", "Où jeter le verre ?", "Bornes vertes.", "Associations", "à revoir"},
	}
	entries, errs := SheetEntries(rows)
	if entries != nil || len(errs) != 1 || errs[0].Cell() != "D1" || !strings.Contains(errs[0].Msg, "« Pubic » inconnue : est-ce « public »") {
		t.Fatalf("a column named « Pubic »: entries %v, errors %v", entries, errs)
	}
	if _, errs := SheetEntries([][]string{{"id", "question", "Répnse"}, {"a", "b", "c"}}); len(errs) != 2 || !strings.Contains(errs[0].Msg, "est-ce « réponse »") {
		t.Errorf("a column named « Répnse »: %v", errs)
	}
	rows[0][3] = "Public concerné"
	entries, errs = SheetEntries(rows)
	if errs != nil || len(entries) != 1 || len(entries[0].Audiences) != 1 || entries[0].Audiences[0] != Association {
		t.Errorf("« Public concerné », as towns name it: entries %v, errors %v", entries, errs)
	}
}

// TestPlanImportIgnoresSpacesAroundCells: an entry whose stored question ends
// with a space (as imported from service-public.fr), exported then imported
// back as it is, is unchanged, not « modifiée ».
func TestPlanImportIgnoresSpacesAroundCells(t *testing.T) {
	current := []Entry{{ID: "spf-F1537", Question: "Que faire en cas de chèque sans provision ? ", Answer: " Saisir un huissier.\n",
		Alternatives: []string{"chèque en bois "}, Links: []Link{{Label: "Fiche ", URL: "https://www.service-public.fr/F1537"}}, Status: Published}}
	data, err := WriteSheet("csv", current)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet("base.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	again, errs := SheetEntries(rows)
	if errs != nil {
		t.Fatal(errs)
	}
	if p := PlanImport(current, again); len(p.Unchanged) != 1 || len(p.Changed) != 0 {
		t.Errorf("an exported base imported back: %+v", p)
	}
	again[0].Answer = "Saisir un commissaire de justice."
	if p := PlanImport(current, again); len(p.Changed) != 1 {
		t.Errorf("a changed answer: %+v", p)
	}
}

// TestLatin1CSVIsRefused: a CSV saved in Latin-1 (older spreadsheets) is
// refused with what to do, not imported with broken accents.
func TestLatin1CSVIsRefused(t *testing.T) {
	_, err := ReadSheet("base.csv", []byte("id,question,r\xe9ponse\nmairie,O\xf9 est la mairie ?,Place du march\xe9.\n"))
	if !errors.Is(err, ErrSheetFormat) || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("a Latin-1 CSV: %v, want ErrSheetFormat saying UTF-8", err)
	}
}

// TestXLSXMergedCells: a service and a public written once in cells merged
// over two rows are both rows' (not « every public » for the second).
func TestXLSXMergedCells(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(sheetOf(t, "xlsx", [][]string{{"id", "question", "réponse", "service", "public"},
		{"a", "Question A ?", "Réponse A.", "État civil", "Particuliers"},
		{"b", "Question B ?", "Réponse B.", "", ""}})))
	if err != nil {
		t.Fatal(err)
	}
	f.MergeCell("Sheet1", "D2", "D3")
	f.MergeCell("Sheet1", "E2", "E3")
	f.SetCellStr("Sheet1", "F1", "thème")
	f.SetCellStr("Sheet1", "F2", "Famille")
	f.MergeCell("Sheet1", "F1", "G1") // a title over an empty column names one column
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet("base.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	entries, errs := SheetEntries(rows)
	if errs != nil || len(entries) != 2 || entries[1].Service != "État civil" || len(entries[1].Audiences) != 1 || entries[1].Audiences[0] != Particulier ||
		entries[0].Theme != "Famille" {
		t.Errorf("row 3 under merged D2:D3 and E2:E3: %+v, %v; want the merged service and public", entries, errs)
	}
}

// odsContent zips an ODS content.xml whose first table holds rows.
func odsContent(t *testing.T, rows ...string) []byte {
	t.Helper()
	content := `<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:table="` + nsTable + `" xmlns:text="` + nsText + `">` +
		`<office:body><office:spreadsheet><table:table>` + strings.Join(rows, "") + `</table:table></office:spreadsheet></office:body></office:document-content>`
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("content.xml")
	w.Write([]byte(content))
	z.Close()
	return b.Bytes()
}

func odsCell(v string) string {
	return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
}

// TestODSCommentsStayOut: a comment an expert leaves on a cell in LibreOffice
// (« à vérifier avec le service ») is kept in the cell but is not its text:
// it must not become part of the answer citizens read.
func TestODSCommentsStayOut(t *testing.T) {
	data := odsContent(t,
		"<table:table-row>"+odsCell("id")+odsCell("question")+odsCell("réponse")+"</table:table-row>",
		"<table:table-row>"+odsCell("verre")+odsCell("Où jeter le verre ?")+
			`<table:table-cell office:value-type="string"><office:annotation><dc:creator>Jeanne</dc:creator><dc:date>2026-03-02T10:00:00</dc:date>`+
			`<text:p>À vérifier avec le service déchets</text:p></office:annotation><text:p>Dans les bornes vertes.</text:p></table:table-cell>`+
			"</table:table-row>")
	rows, err := ReadSheet("base.ods", data)
	if err != nil {
		t.Fatal(err)
	}
	entries, errs := SheetEntries(rows)
	if errs != nil || len(entries) != 1 || entries[0].Answer != "Dans les bornes vertes." {
		t.Errorf("answer of a commented cell: %+v, %v; want « Dans les bornes vertes. » alone", entries, errs)
	}
}

// TestODSMergedCells: a service written once beside several rows, its cell
// merged down over them in LibreOffice, is every one of those rows' service, as
// in an .xlsx sheet.
func TestODSMergedCells(t *testing.T) {
	data := odsContent(t,
		"<table:table-row>"+odsCell("id")+odsCell("question")+odsCell("réponse")+odsCell("service")+"</table:table-row>",
		"<table:table-row>"+odsCell("acte")+odsCell("Acte de naissance ?")+odsCell("En mairie.")+
			`<table:table-cell office:value-type="string" table:number-rows-spanned="2"><text:p>État civil</text:p></table:table-cell></table:table-row>`,
		"<table:table-row>"+odsCell("mariage")+odsCell("Se marier ?")+odsCell("Dossier en mairie.")+"<table:covered-table-cell/></table:table-row>",
		"<table:table-row>"+odsCell("verre")+odsCell("Verre ?")+odsCell("Bornes vertes.")+"<table:table-cell/></table:table-row>")
	rows, err := ReadSheet("base.ods", data)
	if err != nil {
		t.Fatal(err)
	}
	entries, errs := SheetEntries(rows)
	if errs != nil || len(entries) != 3 {
		t.Fatalf("%+v, %v", entries, errs)
	}
	for i, want := range []string{"État civil", "État civil", ""} {
		if entries[i].Service != want {
			t.Errorf("row %d: service %q, want %q", i+2, entries[i].Service, want)
		}
	}
}

// TestXLSXReviewDateTypedAsADate: a review date typed « 31/12/2026 » in a
// French Excel is stored as a date (a day number shown in the short date
// format); it is read as that day, not as « 12-31-26 ».
func TestXLSXReviewDateTypedAsADate(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(sheetOf(t, "xlsx", [][]string{{"id", "question", "réponse", "à relire le"},
		{"verre", "Où jeter le verre ?", "Dans les bornes vertes.", ""}})))
	if err != nil {
		t.Fatal(err)
	}
	short, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // the short date of the system's language
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue("Sheet1", "D2", 46387) // 2026-12-31
	f.SetCellStyle("Sheet1", "D2", "D2", short)
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadSheet("base.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	entries, errs := SheetEntries(rows)
	if errs != nil || len(entries) != 1 || entries[0].ReviewBy != "2026-12-31" {
		t.Errorf("review date typed as a date: %+v, %v; want 2026-12-31", entries, errs)
	}
}

// TestSheetAudiencesAsTownsWriteThem: « Tous publics » is everyone, and
// « Particuliers / Entreprises » two audiences, as in towns' spreadsheets.
func TestSheetAudiencesAsTownsWriteThem(t *testing.T) {
	rows := [][]string{{"id", "question", "réponse", "public"},
		{"a", "Question A ?", "Réponse A.", "Tous publics"},
		{"b", "Question B ?", "Réponse B.", "Particuliers / Entreprises"},
		{"c", "Question C ?", "Réponse C.", "tous les publics"}}
	entries, errs := SheetEntries(rows)
	if errs != nil {
		t.Fatal(errs)
	}
	for i, want := range [][]Audience{Audiences, {Particulier, Entreprise}, Audiences} {
		if !slices.Equal(entries[i].Audiences, want) {
			t.Errorf("row %d: %v, want %v", i+2, entries[i].Audiences, want)
		}
	}
}

// TestSheetLinksSeparatedByBars: a links cell reads « libellé | adresse » and
// links separated by « | » on one line, as the studio's help says, without
// taking an address for the label of the next.
func TestSheetLinksSeparatedByBars(t *testing.T) {
	tests := []struct {
		cell string
		want []Link
	}{
		{"Carte | https://montclar.fr/verre", []Link{{"Carte", "https://montclar.fr/verre"}}},
		{"https://a.fr | https://b.fr", []Link{{"En savoir plus", "https://a.fr"}, {"En savoir plus", "https://b.fr"}}},
		{"Carte | https://a.fr | Horaires | https://b.fr", []Link{{"Carte", "https://a.fr"}, {"Horaires", "https://b.fr"}}},
		{"Accueil | tel:0475000000\nhttps://c.fr", []Link{{"Accueil", "tel:0475000000"}, {"En savoir plus", "https://c.fr"}}},
	}
	for _, tt := range tests {
		entries, errs := SheetEntries([][]string{{"id", "question", "réponse", "liens"}, {"verre", "Verre ?", "Bornes.", tt.cell}})
		if errs != nil {
			t.Errorf("%q: %v", tt.cell, errs)
			continue
		}
		if !slices.Equal(entries[0].Links, tt.want) {
			t.Errorf("%q: links %v, want %v", tt.cell, entries[0].Links, tt.want)
		}
	}
}

// TestSheetColumnWithANote: a column named with a note in brackets, as the
// studio's own form labels them (« Autres formulations (une par ligne) »,
// « Public (Particuliers, Entreprises…) »), is that column, not a working
// column silently ignored.
func TestSheetColumnWithANote(t *testing.T) {
	entries, errs := SheetEntries([][]string{
		{"Identifiant", "Question", "Autres formulations (une par ligne)", "Réponse", "Public (Particuliers, Entreprises, Associations, Tous)", "Commentaire (interne)"},
		{"verre", "Où jeter le verre ?", "bouteilles\nbocaux", "Bornes vertes.", "Particuliers", "à revoir"},
	})
	if errs != nil || len(entries) != 1 || !slices.Equal(entries[0].Alternatives, []string{"bouteilles", "bocaux"}) ||
		!slices.Equal(entries[0].Audiences, []Audience{Particulier}) {
		t.Errorf("%+v, %v: want the alternatives and the public of the columns with a note", entries, errs)
	}
}
