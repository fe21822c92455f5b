package kb

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sheetColumns maps the folded names a header may use to the fields of an
// entry; the first name of each field is the one exports write.
var sheetColumns = [][]string{
	{"id", "identifiant"},
	{"question"},
	{"alternatives", "autres formulations", "formulations"},
	{"reponse", "answer"},
	{"public", "audience", "audiences", "publics", "public concerne", "publics concernes"},
	{"service"},
	{"theme", "thematique"},
	{"source"},
	{"liens", "links", "lien", "url", "lien utile", "liens utiles"},
	{"demande", "type de demande"},
	{"statut", "status", "etat"},
	{"a relire le", "review_by", "relecture"},
}

// columnKey folds a header as sheetColumns names it. A note in brackets after
// the name is the expert's, not part of it: « Public (Particuliers,
// Entreprises…) » is the public column.
func columnKey(h string) string {
	h = foldLabel(h)
	if at := strings.IndexByte(h, '('); at > 0 && strings.HasSuffix(h, ")") {
		h = strings.TrimSpace(h[:at])
	}
	return h
}

// sheetColumn reports whether a folded header names a column of a spreadsheet.
func sheetColumn(h string) bool {
	for _, names := range sheetColumns {
		if slices.Contains(names, h) {
			return true
		}
	}
	return false
}

// sheetStatus reads a status as experts write it.
var sheetStatus = map[string]Status{
	"": Published, "publiee": Published, "publie": Published, "published": Published, "en ligne": Published,
	"brouillon": Draft, "draft": Draft, "validee": Validated, "valide": Validated, "validated": Validated,
	"retiree": Retired, "retire": Retired, "retired": Retired,
}

// SheetEntries reads entries from a spreadsheet's rows (the first names the
// columns: id, question, réponse required; alternatives and liens one a line or
// separated by « | »; a link is « libellé | https://… » or an address alone).
// Every problem is returned with its cell, and then no entry.
func SheetEntries(rows [][]string) ([]Entry, SheetErrors) { return SheetEntriesFor(rows, nil) }

// SheetEntriesFor is [SheetEntries] where a row may name only the kinds of
// demande listed (nil: any): a misspelt kind is an error of its cell, not an
// entry whose citizens are offered another kind.
func SheetEntriesFor(rows [][]string, kinds []string) ([]Entry, SheetErrors) {
	if len(rows) == 0 {
		return nil, SheetErrors{{Row: 1, Msg: "le fichier est vide : la première ligne doit nommer les colonnes (id, question, réponse…)"}}
	}
	col := map[string]int{}
	var errs SheetErrors
	for i, h := range rows[0] {
		h = columnKey(h)
		known := false
		for _, names := range sheetColumns {
			for _, n := range names {
				if h == n {
					col[names[0]] = i
					known = true
				}
			}
		}
		// A column no name matches is a working column of the town's and is
		// ignored; one a letter or two from a known name is a typo, and
		// ignoring it would silently drop every cell of it (« Pubic »: no
		// entry would keep its audiences).
		if near := nearColumn(h); !known && near != "" {
			errs = append(errs, CellError{Row: 1, Column: columnName(i), Msg: fmt.Sprintf(
				"colonne « %s » inconnue : est-ce « %s » ? Corrigez son nom (une colonne qui ne ressemble à aucune colonne connue est ignorée)",
				strings.TrimSpace(rows[0][i]), near)})
		}
	}
	for _, req := range []string{"id", "question", "reponse"} {
		if _, ok := col[req]; !ok {
			errs = append(errs, CellError{Row: 1, Msg: fmt.Sprintf("colonne « %s » manquante (il faut au moins id, question et réponse)", strings.ReplaceAll(req, "reponse", "réponse"))})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var unsaid []string
	for _, names := range sheetColumns {
		if _, ok := col[names[0]]; !ok {
			unsaid = append(unsaid, names[0])
		}
	}
	seen := map[string]int{}
	var out []Entry
	for r, rec := range rows[1:] {
		row := r + 2
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := func(k, msg string) {
			c := ""
			if i, ok := col[k]; ok {
				c = columnName(i)
			}
			errs = append(errs, CellError{Row: row, Column: c, Msg: msg})
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // an empty row between blocks
		}
		e := Entry{ID: get("id"), Question: get("question"), Answer: get("reponse"), Service: get("service"), Theme: get("theme"),
			Source: get("source"), Demande: get("demande"), ReviewBy: get("a relire le"), Kind: KindAnswer, Unsaid: unsaid}
		switch {
		case e.ID == "":
			bad("id", "identifiant vide")
		case !validID(e.ID):
			bad("id", fmt.Sprintf("identifiant « %s » invalide : lettres sans accents, chiffres, « _ » ou « - », 100 caractères au plus", e.ID))
		case seen[e.ID] > 0:
			bad("id", fmt.Sprintf("identifiant « %s » en double (déjà ligne %d)", e.ID, seen[e.ID]))
		default:
			seen[e.ID] = row
		}
		if e.Question == "" {
			bad("question", "question vide")
		} else if utf8.RuneCountInString(e.Question) > MaxQuestionRunes {
			bad("question", fmt.Sprintf("question trop longue (%d caractères, %d au plus)", utf8.RuneCountInString(e.Question), MaxQuestionRunes))
		}
		if e.Answer == "" {
			bad("reponse", "réponse vide")
		} else if n := utf8.RuneCountInString(e.Answer); n > MaxAnswerRunes {
			bad("reponse", fmt.Sprintf("réponse trop longue (%d caractères, %d au plus)", n, MaxAnswerRunes))
		} else if err := CheckAnswer(e.Answer); err != nil {
			bad("reponse", err.Error())
		}
		if e.Demande != "" && kinds != nil && !slices.Contains(kinds, e.Demande) {
			bad("demande", fmt.Sprintf("type de demande « %s » inconnu (types possibles : %s)", e.Demande, strings.Join(kinds, ", ")))
		}
		for _, a := range splitCell(get("alternatives")) {
			e.Alternatives = append(e.Alternatives, a)
		}
		if n := len(e.Alternatives); n > MaxAlternatives {
			bad("alternatives", fmt.Sprintf("trop d'autres formulations (%d, %d au plus)", n, MaxAlternatives))
		}
		for _, label := range strings.FieldsFunc(get("public"), func(r rune) bool { return strings.ContainsRune(",|;/\n", r) }) {
			as, err := ParseAudiences(strings.TrimSpace(label))
			if err != nil {
				bad("public", fmt.Sprintf("public « %s » inconnu (Particuliers, Entreprises ou Professionnels, Associations, Tous)", strings.TrimSpace(label)))
				continue
			}
			for _, a := range as {
				if !containsAudience(e.Audiences, a) {
					e.Audiences = append(e.Audiences, a)
				}
			}
		}
		for _, l := range cellLinks(get("liens")) {
			if !SafeURL(l.URL) {
				bad("liens", fmt.Sprintf("lien « %s » refusé : seules les adresses http(s):// et tel: sont permises", l.URL))
				continue
			}
			e.Links = append(e.Links, l)
		}
		st, ok := sheetStatus[foldLabel(get("statut"))]
		if !ok {
			bad("statut", fmt.Sprintf("statut « %s » inconnu (publiée, brouillon, validée ou retirée)", get("statut")))
		}
		e.Status = st
		if e.ReviewBy != "" {
			if t, err := ParseReviewDate(e.ReviewBy); err != nil {
				bad("a relire le", fmt.Sprintf("date « %s » illisible (AAAA-MM-JJ ou JJ/MM/AAAA)", e.ReviewBy))
			} else {
				e.ReviewBy = t.Format("2006-01-02")
			}
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// columnLabel writes a folded column name as the header would.
var columnLabel = map[string]string{"reponse": "réponse", "theme": "thème", "thematique": "thématique",
	"a relire le": "à relire le", "etat": "état", "public concerne": "public concerné", "publics concernes": "publics concernés"}

// nearColumn is the known column name a folded header is a typo of (one
// letter off for short names, two for longer ones), or "".
func nearColumn(h string) string {
	if h == "" {
		return ""
	}
	for _, names := range sheetColumns {
		for _, n := range names {
			limit := 2
			if utf8.RuneCountInString(n) <= 4 {
				limit = 1
			}
			if d := editDistance(h, n); d > 0 && d <= limit {
				if l, ok := columnLabel[n]; ok {
					return l
				}
				return n
			}
		}
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func containsAudience(as []Audience, a Audience) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// cellLinks reads a links cell: one link a line, or several separated by
// « | », each « libellé | adresse » or an address alone. Text before an
// address is its label; text after the last address is an address that is not
// one (« Voir | javascript:… »), for the caller to refuse.
func cellLinks(cell string) []Link {
	var out []Link
	for _, line := range strings.Split(cell, "\n") {
		var label []string
		for _, part := range strings.Split(line, "|") {
			switch part = strings.TrimSpace(part); {
			case part == "":
			case SafeURL(part) || strings.Contains(part, "://"):
				out = append(out, Link{Label: cmp.Or(strings.Join(label, " | "), "En savoir plus"), URL: part})
				label = nil
			default:
				label = append(label, part)
			}
		}
		if n := len(label); n > 0 {
			out = append(out, Link{Label: cmp.Or(strings.Join(label[:n-1], " | "), "En savoir plus"), URL: label[n-1]})
		}
	}
	return out
}

// splitCell reads a list written one a line or separated by « | ».
func splitCell(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '\n' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func validID(id string) bool {
	if len(id) > 100 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// ImportPlan is what importing entries would do to a knowledge base.
type ImportPlan struct {
	Added, Changed, Retired, Unchanged []string // entry ids
}

// PlanImport compares imported entries with the current ones (newest
// versions): new ids are added, a retired status retires, a different content
// changes.
func PlanImport(current []Entry, imported []Entry) ImportPlan {
	by := map[string]Entry{}
	for _, e := range current {
		by[e.ID] = e
	}
	var p ImportPlan
	for _, e := range imported {
		cur, ok := by[e.ID]
		if ok {
			e = unsheeted(cur, e)
		}
		switch {
		case !ok && e.Status == Retired:
			p.Unchanged = append(p.Unchanged, e.ID) // nothing to retire
		case !ok:
			p.Added = append(p.Added, e.ID)
		case e.Status == Retired && cur.Status != Retired:
			p.Retired = append(p.Retired, e.ID)
		case sameContent(cur, e):
			p.Unchanged = append(p.Unchanged, e.ID)
		default:
			p.Changed = append(p.Changed, e.ID)
		}
	}
	return p
}

// sameContent compares what a spreadsheet carries of two entries. Cells are
// read trimmed, so spaces around a field are no change: an exported base
// imported back as it is changes nothing.
func sameContent(a, b Entry) bool {
	norm := func(e Entry) Entry {
		alts := []string{}
		for _, x := range e.Alternatives {
			alts = append(alts, strings.TrimSpace(x))
		}
		links := []Link{}
		for _, l := range e.Links {
			links = append(links, Link{Label: strings.TrimSpace(l.Label), URL: strings.TrimSpace(l.URL)})
		}
		t := strings.TrimSpace
		return Entry{ID: t(e.ID), Question: t(e.Question), Alternatives: alts, Answer: t(e.Answer),
			Audiences: append([]Audience{}, e.Audiences...), Service: t(e.Service), Theme: t(e.Theme), Source: t(e.Source),
			Links: links, Demande: t(e.Demande), Status: e.Status, ReviewBy: t(e.ReviewBy)}
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// unsheeted gives e, read from a spreadsheet, what a spreadsheet does not carry
// of the entry's current version cur: an import that changes a cell keeps the
// full text behind the answer, the negatives experts accepted, the answers per
// audience, the national mark, the group it was drafted from, its territory and
// its kind, and what e's sheet has no column for (e.Unsaid).
func unsheeted(cur, e Entry) Entry {
	e.Negatives, e.Reference, e.AudienceAnswers = cur.Negatives, cur.Reference, cur.AudienceAnswers
	e.National, e.Cluster, e.Tenant = cur.National, cur.Cluster, cur.Tenant
	if e.Kind == KindAnswer && cur.Kind != "" {
		e.Kind = cur.Kind
	}
	for _, c := range e.Unsaid {
		switch c {
		case "alternatives":
			e.Alternatives = cur.Alternatives
		case "public":
			e.Audiences = cur.Audiences
		case "service":
			e.Service = cur.Service
		case "theme":
			e.Theme = cur.Theme
		case "source":
			e.Source = cur.Source
		case "liens":
			e.Links = cur.Links
		case "demande":
			e.Demande = cur.Demande
		case "statut":
			e.Status = cmp.Or(cur.Status, Published)
		case "a relire le":
			e.ReviewBy = cur.ReviewBy
		}
	}
	e.Unsaid = nil
	return e
}

// sheetStatusLabel is how exports write a status.
var sheetStatusLabel = map[Status]string{Published: "publiée", Draft: "brouillon", Validated: "validée", Retired: "retirée", "": "publiée"}

var audienceLabel = map[Audience]string{Particulier: "Particuliers", Entreprise: "Entreprises", Association: "Associations"}

// sheetRows are entries as the rows of a spreadsheet, header first.
func sheetRows(entries []Entry) [][]string {
	rows := [][]string{{"id", "question", "autres formulations", "réponse", "public", "service", "thème", "source", "liens", "demande", "statut", "à relire le"}}
	for _, e := range entries {
		var aud, links []string
		for _, a := range e.Audiences {
			aud = append(aud, audienceLabel[a])
		}
		for _, l := range e.Links {
			links = append(links, l.Label+" | "+l.URL)
		}
		rows = append(rows, []string{e.ID, e.Question, strings.Join(e.Alternatives, "\n"), e.Answer, strings.Join(aud, ", "),
			e.Service, e.Theme, e.Source, strings.Join(links, "\n"), e.Demande, sheetStatusLabel[e.Status], e.ReviewBy})
	}
	return rows
}

// WriteSheet writes entries as a spreadsheet that [ReadSheet] and
// [SheetEntries] read back: format is xlsx, ods or csv.
func WriteSheet(format string, entries []Entry) ([]byte, error) {
	rows := sheetRows(entries)
	switch format {
	case "csv":
		var b bytes.Buffer
		b.WriteString("\ufeff") // so that Excel reads UTF-8
		w := csv.NewWriter(&b)
		w.Comma = ';'
		for _, r := range rows {
			for i, c := range r {
				r[i] = defuse(c)
			}
		}
		if err := w.WriteAll(rows); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		sheet := f.GetSheetName(0)
		for i, r := range rows {
			for j, c := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellStr(sheet, cell, c); err != nil {
					return nil, err
				}
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	case "ods":
		return writeODS(rows)
	}
	return nil, fmt.Errorf("%w: format %q inconnu (xlsx, ods ou csv)", ErrSheetFormat, format)
}

// defuse keeps a spreadsheet from running a cell as a formula.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeODS(rows [][]string) ([]byte, error) {
	var content bytes.Buffer
	content.WriteString(xml.Header + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:table="` + nsTable + `" xmlns:text="` + nsText + `" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Entrées">`)
	for _, r := range rows {
		content.WriteString("<table:table-row>")
		for _, c := range r {
			content.WriteString(`<table:table-cell office:value-type="string">`)
			for _, p := range strings.Split(c, "\n") {
				content.WriteString("<text:p>")
				if err := xml.EscapeText(&content, []byte(p)); err != nil {
					return nil, err
				}
				content.WriteString("</text:p>")
			}
			content.WriteString("</table:table-cell>")
		}
		content.WriteString("</table:table-row>")
	}
	content.WriteString("</table:table></office:spreadsheet></office:body></office:document-content>")
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	// The mimetype comes first, stored uncompressed, as the format requires.
	w, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		return nil, err
	}
	io := []struct{ name, body string }{
		{"META-INF/manifest.xml", xml.Header + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">` +
			`<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>` +
			`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
		{"content.xml", content.String()},
	}
	if _, err := w.Write([]byte("application/vnd.oasis.opendocument.spreadsheet")); err != nil {
		return nil, err
	}
	for _, f := range io {
		w, err := z.Create(f.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// RowError is an imported row the caller may not apply.
type RowError struct {
	ID  string // the row's entry
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("%v (entry %s)", e.Err, e.ID) }
func (e *RowError) Unwrap() error { return e.Err }

// Import applies imported entries, each as the event of its status, by one
// author: those the plan adds, changes or retires; nothing when any of those
// is outside the caller's territory or services (a [RowError]). With dryRun,
// it only plans.
func (w *Writer) Import(ctx context.Context, entries []Entry, by string, dryRun bool) (ImportPlan, error) {
	current := w.State.Entries()
	byID := map[string]Entry{}
	for _, e := range current {
		byID[e.ID] = e
	}
	plan := PlanImport(current, entries)
	apply := map[string]bool{}
	for _, ids := range [][]string{plan.Added, plan.Changed, plan.Retired} {
		for _, id := range ids {
			apply[id] = true
		}
	}
	// The rows that change something are checked, and so is every row of an
	// entry the caller does not read: « unchanged » would tell its content.
	// An exported base holds entries the caller reads but may not change
	// (every territory's, its intercommunalité's), imported back unchanged.
	for _, e := range entries {
		if !apply[e.ID] {
			if cur, ok := byID[e.ID]; ok && !w.Allowed(ctx, cur) {
				return ImportPlan{}, &RowError{ID: e.ID, Err: cmp.Or(w.allow(ctx, cur), ErrOutOfTerritory)}
			}
			continue
		}
		check, next := []Entry{e}, e
		if cur, ok := byID[e.ID]; ok {
			next = unsheeted(cur, e)
			check = []Entry{cur, next} // as it is, and as the import makes it
		}
		if err := w.allow(ctx, check...); err != nil {
			return ImportPlan{}, &RowError{ID: e.ID, Err: err}
		}
		if w.FourEyes && (next.Status == Validated || next.Status == Published) {
			// The importer would be author and validator at once.
			return ImportPlan{}, &RowError{ID: e.ID, Err: ErrSameAuthor}
		}
	}
	if dryRun {
		return plan, nil
	}
	for _, e := range SheetChanges(current, entries) {
		if err := w.emit(ctx, lifecycle[e.Status], e, by); err != nil {
			return plan, err
		}
	}
	return plan, nil
}

// SheetChanges returns the entries read from a spreadsheet that change the
// current ones (newest versions): those [PlanImport] adds, changes or retires,
// each changed one keeping what a spreadsheet does not carry (see unsheeted).
// Rows that change nothing are left out: published again, an entry's review
// date would start over.
func SheetChanges(current, imported []Entry) []Entry {
	byID := map[string]Entry{}
	for _, e := range current {
		byID[e.ID] = e
	}
	plan := PlanImport(current, imported)
	apply := map[string]bool{}
	for _, ids := range [][]string{plan.Added, plan.Changed, plan.Retired} {
		for _, id := range ids {
			apply[id] = true
		}
	}
	var out []Entry
	for _, e := range imported {
		if !apply[e.ID] {
			continue
		}
		if cur, ok := byID[e.ID]; ok {
			e = unsheeted(cur, e)
		}
		out = append(out, e)
	}
	return out
}
