package kb

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Spreadsheets, as experts keep their answers: .xlsx (excelize), .ods (its
// content.xml read with encoding/xml: no pure-Go ODS reader is kept up to date)
// and .csv (comma or semicolon). The first row names the columns, in French or
// in English; every problem names its cell (« C12 »), and a file with any
// problem imports nothing. The messages are for the experts, in French.

// MaxSheetBytes bounds a spreadsheet file.
const MaxSheetBytes = 20 << 20

// maxSheetRows bounds the rows read, so that a sheet whose last row is repeated
// a million times (ODS does that) stays small.
const maxSheetRows = 20000

// CellError is a problem of a spreadsheet, located by its cell (A1 notation,
// « C12 »), or by its row only when Column is empty.
type CellError struct {
	Row    int    // 1-based, the header is row 1
	Column string // letters, "" for the whole row
	Msg    string // in French, for the expert
}

// Cell returns the cell's name, « C12 », or « ligne 12 ».
func (e CellError) Cell() string {
	if e.Column == "" {
		return fmt.Sprintf("ligne %d", e.Row)
	}
	return fmt.Sprintf("%s%d", e.Column, e.Row)
}

func (e CellError) Error() string { return e.Cell() + " : " + e.Msg }

// SheetErrors is every problem of a spreadsheet.
type SheetErrors []CellError

func (s SheetErrors) Error() string {
	msgs := make([]string, len(s))
	for i, e := range s {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// ErrSheetFormat is a file that is not a spreadsheet of a known kind.
var ErrSheetFormat = errors.New("kb: unreadable spreadsheet")

// ReadSheet returns the rows of a spreadsheet's first sheet, by the file's
// extension: .xlsx, .ods or .csv.
func ReadSheet(name string, data []byte) ([][]string, error) {
	if len(data) > MaxSheetBytes {
		return nil, fmt.Errorf("%w: fichier de plus de %d Mo", ErrSheetFormat, MaxSheetBytes>>20)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return readXLSX(data)
	case ".ods":
		return readODS(data)
	case ".csv":
		return readCSV(data)
	}
	return nil, fmt.Errorf("%w: extension %q inconnue (.xlsx, .ods ou .csv)", ErrSheetFormat, filepath.Ext(name))
}

// KBCSV reports whether a .csv file is in the knowledge base's own CSV
// format (comma-separated, with id, question and answer columns, as LoadFile
// reads it) rather than a spreadsheet as experts save it (« réponse »,
// semicolons, as ReadSheet reads it, and as the studio's CSV export writes it).
// A header that names a column only spreadsheets have (« public »,
// « statut », « liens ») is a spreadsheet's: LoadFile would drop that column.
func KBCSV(data []byte) bool {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return false
	}
	has := map[string]bool{}
	for _, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !csvColumns[h] && sheetColumn(columnKey(h)) {
			return false
		}
		has[h] = true
	}
	return has["id"] && has["question"] && has["answer"]
}

func readXLSX(data []byte) ([][]string, error) {
	// A date typed in a cell (« 31/12/2026 ») is a day number shown in the
	// short date of the system's language, which the file does not say:
	// excelize would write it month first (« 12-31-26 »).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{ShortDatePattern: "dd/mm/yyyy"})
	if err != nil {
		return nil, fmt.Errorf("%w: ce n'est pas un classeur .xlsx lisible (%v)", ErrSheetFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: le classeur n'a aucune feuille", ErrSheetFormat)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: feuille %q illisible (%v)", ErrSheetFormat, sheets[0], err)
	}
	if len(rows) > maxSheetRows {
		return nil, fmt.Errorf("%w: plus de %d lignes", ErrSheetFormat, maxSheetRows)
	}
	// A merged cell (a service written once beside several rows) holds its
	// value on its first row only: every row it spans has it, in its first
	// column (a title merged across columns names one column).
	merged, err := f.GetMergeCells(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: feuille %q illisible (%v)", ErrSheetFormat, sheets[0], err)
	}
	for _, m := range merged {
		c, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r2 > len(rows) {
			continue
		}
		for r := r1; r <= r2; r++ {
			for len(rows[r-1]) < c {
				rows[r-1] = append(rows[r-1], "")
			}
			rows[r-1][c-1] = m.GetCellValue()
		}
	}
	return rows, nil
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		// Latin-1 or Windows-1252, as older spreadsheets save CSV: its
		// accented letters would be stored broken.
		return nil, fmt.Errorf("%w: le fichier CSV n'est pas en UTF-8 (ses lettres accentuées seraient abîmées) : enregistrez-le en « CSV UTF-8 »", ErrSheetFormat)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';' // as French spreadsheets save CSV
	}
	r.FieldsPerRecord = -1
	var rows [][]string
	lastLine := 0 // where the previous record ended: blank lines between records are empty rows, as a spreadsheet shows them
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// The row as the spreadsheet numbers it (blank lines count, a
				// quoted line break does not); the reader's column is a byte
				// offset, not a cell, so the whole row is named.
				row := len(rows) + 1
				if len(rows) > 0 {
					row += max(pe.StartLine-lastLine-1, 0)
				}
				return nil, SheetErrors{{Row: row, Msg: "CSV illisible : " + csvProblem(pe.Err)}}
			}
			return nil, fmt.Errorf("%w: %v", ErrSheetFormat, err)
		}
		if line, _ := r.FieldPos(0); line-lastLine > 1 && len(rows) > 0 {
			for range min(line-lastLine-1, maxSheetRows) {
				rows = append(rows, nil)
			}
		}
		endLine, _ := r.FieldPos(len(rec) - 1)
		lastLine = endLine + strings.Count(rec[len(rec)-1], "\n")
		if len(rows) >= maxSheetRows {
			return nil, fmt.Errorf("%w: plus de %d lignes", ErrSheetFormat, maxSheetRows)
		}
		for i, c := range rec {
			rec[i] = undefuse(c)
		}
		rows = append(rows, rec)
	}
}

// undefuse undoes what the CSV export does to a cell a spreadsheet would run
// as a formula (see defuse): an answer that starts with « - » comes back as it
// was.
func undefuse(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// csvProblem says in French what is wrong with a CSV line, and how to mend it.
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "un champ ouvert par un guillemet « \" » n'est pas refermé, ou un guillemet suit le guillemet fermant ; dans un champ entre guillemets, un guillemet s'écrit deux fois (\"\")"
	case errors.Is(err, csv.ErrBareQuote):
		return "guillemet « \" » au milieu d'un champ qui n'est pas entre guillemets : mettez le champ entre guillemets et doublez ce guillemet (\"\")"
	}
	return "ligne mal formée"
}

// readODS reads the first table of an OpenDocument spreadsheet's content.xml.
func readODS(data []byte) ([][]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: ce n'est pas un classeur .ods lisible (%v)", ErrSheetFormat, err)
	}
	var content *zip.File
	for _, f := range zr.File {
		if f.Name == "content.xml" {
			content = f
		}
	}
	if content == nil {
		return nil, fmt.Errorf("%w: le classeur .ods n'a pas de content.xml", ErrSheetFormat)
	}
	rc, err := content.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSheetFormat, err)
	}
	defer rc.Close()
	rows, err := parseODSContent(io.LimitReader(rc, 100<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: content.xml illisible (%v)", ErrSheetFormat, err)
	}
	return rows, nil
}

const (
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
)

// mergedCell is the value of a cell merged down over rows, and how many of
// those rows are still to come.
type mergedCell struct {
	value string
	rows  int
}

func parseODSContent(r io.Reader) ([][]string, error) {
	d := xml.NewDecoder(r)
	var (
		rows               [][]string
		pendingEmpty       int // empty rows not yet kept: kept only when a row with content follows
		row                []string
		cell               strings.Builder
		inCell, paragraphs int
		rowRepeat, cellRep int
		tables             int
		comment            int // inside a cell's comment (office:annotation): not the cell's text
		rowSpan            int
		// A cell merged down over several rows (a service written once beside
		// them) is every one of those rows' value in its column, as in .xlsx:
		// by column, its value and the rows still to come.
		merged = map[int]mergedCell{}
	)
	attr := func(se xml.StartElement, name string) int {
		for _, a := range se.Attr {
			if a.Name.Space == nsTable && a.Name.Local == name {
				var n int
				if _, err := fmt.Sscan(a.Value, &n); err == nil && n > 0 {
					return n
				}
			}
		}
		return 1
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return trimRows(rows), nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == nsTable && t.Name.Local == "table":
				tables++
			case tables != 1:
			case t.Name.Space == nsTable && t.Name.Local == "table-row":
				row, rowRepeat = nil, attr(t, "number-rows-repeated")
			case t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell"):
				inCell, paragraphs, cellRep, rowSpan = 1, 0, attr(t, "number-columns-repeated"), attr(t, "number-rows-spanned")
				cell.Reset()
			case inCell > 0 && t.Name.Space == nsOffice && t.Name.Local == "annotation":
				comment++
			case comment > 0:
			case inCell > 0 && t.Name.Space == nsText && t.Name.Local == "p":
				if paragraphs > 0 {
					cell.WriteByte('\n')
				}
				paragraphs++
			case inCell > 0 && t.Name.Space == nsText && t.Name.Local == "s":
				n := 1
				for _, a := range t.Attr {
					if a.Name.Local == "c" {
						fmt.Sscan(a.Value, &n)
					}
				}
				cell.WriteString(strings.Repeat(" ", min(max(n, 1), 100)))
			case inCell > 0 && t.Name.Space == nsText && t.Name.Local == "tab":
				cell.WriteByte('\t')
			case inCell > 0 && t.Name.Space == nsText && t.Name.Local == "line-break":
				cell.WriteByte('\n')
			}
		case xml.CharData:
			if inCell > 0 && paragraphs > 0 && tables == 1 && comment == 0 {
				cell.Write(t)
			}
		case xml.EndElement:
			switch {
			case tables != 1:
			case t.Name.Space == nsOffice && t.Name.Local == "annotation":
				comment = max(comment-1, 0)
			case t.Name.Space == nsTable && (t.Name.Local == "table-cell" || t.Name.Local == "covered-table-cell"):
				inCell, comment = 0, 0
				v := cell.String()
				if m := merged[len(row)]; t.Name.Local == "covered-table-cell" && m.rows > 0 {
					// Its first column only: the columns it spans beside are
					// covered cells repeated after it, and stay empty.
					merged[len(row)] = mergedCell{m.value, m.rows - 1}
					row = append(row, m.value)
					cellRep--
				} else if rowSpan > 1 && v != "" {
					merged[len(row)] = mergedCell{v, rowSpan - 1}
				}
				if v == "" {
					cellRep = min(cellRep, 1024) // empty cells repeated to the sheet's edge
				} else {
					cellRep = min(cellRep, 100)
				}
				for range cellRep {
					row = append(row, v)
				}
			case t.Name.Space == nsTable && t.Name.Local == "table-row":
				row = trimRow(row)
				if len(row) == 0 {
					// Empty rows count for the numbering of those after them, but
					// the sheet's last ones are repeated to its edge: keep them
					// only when a row with content follows.
					pendingEmpty = min(pendingEmpty+rowRepeat, 2*maxSheetRows)
					break
				}
				if len(rows)+pendingEmpty+rowRepeat > maxSheetRows {
					return nil, fmt.Errorf("more than %d rows", maxSheetRows)
				}
				for range pendingEmpty {
					rows = append(rows, nil)
				}
				pendingEmpty = 0
				for range rowRepeat {
					rows = append(rows, row)
				}
			case t.Name.Space == nsTable && t.Name.Local == "table":
				tables++ // only the first table is read
			}
		}
	}
}

func trimRow(row []string) []string {
	for len(row) > 0 && row[len(row)-1] == "" {
		row = row[:len(row)-1]
	}
	return row
}

func trimRows(rows [][]string) [][]string {
	for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
		rows = rows[:len(rows)-1]
	}
	return rows
}

// columnName is a 0-based column's letters: 0 → A, 26 → AA.
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
