package kb

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong in a KB file, located by file, line and field.
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ": %s", p.Field)
	}
	fmt.Fprintf(&b, ": %s", p.Msg)
	return b.String()
}

// Problems is the error of a file that was refused: every problem found, in order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("kb : %d problème(s) :\n  %s", len(ps), strings.Join(lines, "\n  "))
}

// Limits of what one file may hold, so that a bad file cannot exhaust memory.
const (
	MaxFileSize    = 64 << 20
	maxFieldLength = 200000
)

// LoadFile reads a KB file, choosing the format by its extension (.yaml, .yml,
// .csv, .jsonl, .json). A file with any problem loads nothing: the error is a
// [Problems] listing them all.
func LoadFile(path string) ([]Entry, error) { return LoadFileFor(path, nil) }

// LoadFileFor is [LoadFile] where the deployment's tenants are known: an entry
// whose tenant is not one of them (declared reports which are) is a problem,
// located at its line. A nil declared checks no tenant.
func LoadFileFor(path string, declared func(id string) bool) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("kb: read %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, Problems{{File: path, Msg: fmt.Sprintf("fichier de plus de %d Mio", MaxFileSize>>20)}}
	}
	return ParseFor(path, data, declared)
}

// Parse parses data in the format named by the extension of name.
func Parse(name string, data []byte) ([]Entry, error) { return ParseFor(name, data, nil) }

// ParseFor is [Parse] where the deployment's tenants are known (see
// [LoadFileFor]).
func ParseFor(name string, data []byte, declared func(id string) bool) ([]Entry, error) {
	if !utf8.Valid(data) {
		return nil, Problems{{File: name, Msg: "texte illisible : le fichier n'est pas en UTF-8 (enregistrez-le en « UTF-8 » depuis le tableur ou l'éditeur)"}}
	}
	var (
		entries []Entry
		lines   []fieldLines
		probs   Problems
	)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		entries, lines, probs = parseYAML(name, data)
	case ".csv":
		entries, lines, probs = parseCSV(name, data)
	case ".jsonl", ".json", ".ndjson":
		entries, lines, probs = parseJSONL(name, data)
	default:
		return nil, Problems{{File: name, Msg: "format inconnu : le nom du fichier doit finir par .yaml, .csv ou .jsonl"}}
	}
	probs = append(probs, validate(name, entries, lines, declared)...)
	if len(probs) > 0 {
		return nil, probs
	}
	return entries, nil
}

// fieldLines maps a field name to its line in the file; "" is the entry's line.
type fieldLines map[string]int

func (fl fieldLines) at(field string) int {
	if n, ok := fl[field]; ok {
		return n
	}
	return fl[""]
}

type yamlFile struct {
	Source  string      `yaml:"source"`
	Tenant  string      `yaml:"tenant"` // of every entry that names none
	Entries []yaml.Node `yaml:"entries"`
}

func parseYAML(name string, data []byte) ([]Entry, []fieldLines, Problems) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, Problems{yamlProblem(name, err)}
	}
	if len(root.Content) == 0 {
		return nil, nil, Problems{{File: name, Msg: "fichier vide"}}
	}
	doc := root.Content[0]
	var (
		source, tenant string
		nodes          []*yaml.Node
	)
	switch doc.Kind {
	case yaml.SequenceNode:
		nodes = doc.Content
	case yaml.MappingNode:
		var f yamlFile
		if err := doc.Decode(&f); err != nil {
			return nil, nil, Problems{yamlProblem(name, err)}
		}
		source, tenant = f.Source, f.Tenant
		for i := range f.Entries {
			nodes = append(nodes, &f.Entries[i])
		}
	default:
		return nil, nil, Problems{{File: name, Line: doc.Line, Msg: "il faut une liste d'entrées, ou une clé « entries » qui la porte"}}
	}
	var (
		entries []Entry
		lines   []fieldLines
		probs   Problems
	)
	for _, n := range nodes {
		fl := fieldLines{"": n.Line}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				fl[n.Content[i].Value] = n.Content[i].Line
			}
		}
		var e Entry
		if err := strictYAML(n, &e); err != nil {
			probs = append(probs, yamlProblem(name, err))
			continue
		}
		if e.Source == "" {
			e.Source = source
		}
		if e.Tenant == "" {
			e.Tenant = tenant
		}
		entries = append(entries, e)
		lines = append(lines, fl)
	}
	return entries, lines, probs
}

// strictYAML decodes one entry and refuses unknown keys, so that a misspelt field
// ("alternative") is reported instead of silently ignored.
func strictYAML(n *yaml.Node, e *Entry) error { return strictDecode(n, e) }

// strictDecode decodes a node into v, refusing unknown keys, with the node's
// own line numbers in errors.
func strictDecode(n *yaml.Node, v any) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(n); err != nil {
		return err
	}
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	err := dec.Decode(v)
	var te *yaml.TypeError
	if errors.As(err, &te) {
		// Line numbers of the re-encoded node are relative to it: shift them.
		for i, m := range te.Errors {
			te.Errors[i] = shiftYAMLLine(m, n.Line-1)
		}
	}
	return err
}

func shiftYAMLLine(msg string, by int) string {
	var line int
	var rest string
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			rest = msg[i+1:]
		}
		return fmt.Sprintf("line %d:%s", line+by, rest)
	}
	return msg
}

func yamlProblem(name string, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	} else if _, e := fmt.Sscanf(msg, "unmarshal errors:\n  line %d:", &line); e == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, "line"):])
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	return Problem{File: name, Line: line, Msg: yamlMessage(msg)}
}

// yamlMessage says in French what the YAML decoder found: an unknown key by
// its name (not by the Go type it was decoded into), a syntax error as such.
func yamlMessage(msg string) string {
	var field string
	if _, err := fmt.Sscanf(msg, "field %s not found in type", &field); err == nil {
		return fmt.Sprintf("champ « %s » inconnu : vérifiez son orthographe", field)
	}
	return "YAML illisible : " + msg
}

// jsonProblem says in French what is wrong with a JSONL line.
func jsonProblem(err error) string {
	var field string
	if _, e := fmt.Sscanf(err.Error(), "json: unknown field %q", &field); e == nil {
		return fmt.Sprintf("champ « %s » inconnu : vérifiez son orthographe", field)
	}
	return "JSON illisible : " + strings.TrimPrefix(err.Error(), "json: ")
}

// csvColumns are the columns a CSV file may have; others are ignored, since
// spreadsheets often carry working columns of their own.
var csvColumns = map[string]bool{"id": true, "question": true, "answer": true, "alternatives": true,
	"theme": true, "audience": true, "audiences": true, "url": true, "source": true, "service": true, "tenant": true,
	"review_by": true, "demande": true}

func parseCSV(name string, data []byte) ([]Entry, []fieldLines, Problems) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, nil, Problems{{File: name, Line: 1, Msg: "pas de ligne d'en-tête : la première ligne doit nommer les colonnes (id, question, answer…)"}}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if csvColumns[h] {
			col[h] = i
		}
	}
	var probs Problems
	for _, req := range []string{"id", "question", "answer"} {
		if _, ok := col[req]; !ok {
			probs = append(probs, Problem{File: name, Line: 1, Field: req, Msg: "colonne obligatoire manquante (il faut id, question et answer)"})
		}
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	var (
		entries []Entry
		lines   []fieldLines
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				probs = append(probs, Problem{File: name, Line: pe.StartLine, Msg: "CSV illisible : " + csvProblem(pe.Err)})
			} else {
				probs = append(probs, Problem{File: name, Msg: err.Error()})
			}
			break
		}
		line, _ := r.FieldPos(0)
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		e := Entry{ID: get("id"), Question: get("question"), Answer: get("answer"),
			Theme: get("theme"), Source: get("source"), Service: get("service"), Tenant: get("tenant"), ReviewBy: get("review_by"),
			Demande: get("demande")}
		for _, a := range strings.Split(get("alternatives"), "|") {
			if a = strings.TrimSpace(a); a != "" {
				e.Alternatives = append(e.Alternatives, a)
			}
		}
		fl := fieldLines{"": line}
		aud := get("audience") + "," + get("audiences")
		for _, a := range strings.FieldsFunc(aud, func(r rune) bool { return strings.ContainsRune(",|;/", r) }) {
			if a = strings.TrimSpace(a); a != "" {
				e.Audiences = append(e.Audiences, Audience(a))
			}
		}
		if u := get("url"); u != "" {
			e.Links = []Link{{Label: "En savoir plus", URL: u}}
		}
		entries = append(entries, e)
		lines = append(lines, fl)
	}
	return entries, lines, probs
}

func parseJSONL(name string, data []byte) ([]Entry, []fieldLines, Problems) {
	var (
		entries []Entry
		lines   []fieldLines
		probs   Problems
	)
	for i, raw := range bytes.Split(data, []byte("\n")) {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var e Entry
		if err := dec.Decode(&e); err != nil {
			probs = append(probs, Problem{File: name, Line: i + 1, Msg: jsonProblem(err)})
			continue
		}
		entries = append(entries, e)
		lines = append(lines, fieldLines{"": i + 1})
	}
	return entries, lines, probs
}

// validate checks what every format must satisfy; declared, when not nil,
// says which tenants an entry may name.
func validate(name string, entries []Entry, lines []fieldLines, declared func(id string) bool) Problems {
	var probs Problems
	seen := map[string]int{}
	for i := range entries {
		e := &entries[i]
		fl := lines[i]
		bad := func(field, msg string) {
			probs = append(probs, Problem{File: name, Line: fl.at(field), Field: field, Msg: msg})
		}
		e.ID = strings.TrimSpace(e.ID)
		switch {
		case e.ID == "":
			bad("id", "identifiant vide")
		case len(e.ID) > 128 || strings.ContainsAny(e.ID, " \t\n\r"):
			bad("id", fmt.Sprintf("identifiant « %s » : 128 caractères au plus, sans espace", e.ID))
		default:
			if prev, ok := seen[e.ID]; ok {
				bad("id", fmt.Sprintf("identifiant « %s » en double (déjà ligne %d)", e.ID, prev))
			} else {
				seen[e.ID] = fl.at("id")
			}
		}
		if strings.TrimSpace(e.Question) == "" {
			bad("question", "question vide")
		} else if n := utf8.RuneCountInString(e.Question); n > MaxQuestionRunes {
			bad("question", fmt.Sprintf("question trop longue (%d caractères, %d au plus)", n, MaxQuestionRunes))
		}
		if n := len(e.Alternatives); n > MaxAlternatives {
			bad("alternatives", fmt.Sprintf("trop d'autres formulations (%d, %d au plus)", n, MaxAlternatives))
		}
		if e.Tenant = strings.TrimSpace(e.Tenant); e.Tenant != "" && declared != nil && !declared(e.Tenant) {
			bad("tenant", fmt.Sprintf("collectivité « %s » non déclarée sur ce déploiement (déclarez d'abord la commune ou l'intercommunalité, ou laissez la colonne vide pour une entrée de toutes les collectivités)", e.Tenant))
		}
		if strings.TrimSpace(e.Answer) == "" {
			bad("answer", "réponse vide")
		} else if n := utf8.RuneCountInString(e.Answer); n > MaxAnswerRunes {
			bad("answer", fmt.Sprintf("réponse trop longue (%d caractères, %d au plus)", n, MaxAnswerRunes))
		} else if err := CheckAnswer(e.Answer); err != nil {
			bad("answer", err.Error())
		}
		for _, s := range append(e.Phrasings(), e.Answer) {
			if len(s) > maxFieldLength {
				bad("", fmt.Sprintf("texte de plus de %d caractères", maxFieldLength))
				break
			}
		}
		var audiences []Audience
		for _, a := range e.Audiences {
			ps, err := ParseAudiences(string(a))
			if err != nil {
				bad("audiences", err.Error())
				continue
			}
			for _, p := range ps {
				if !slices.Contains(audiences, p) {
					audiences = append(audiences, p)
				}
			}
		}
		e.Audiences = audiences
		for a := range e.AudienceAnswers {
			if _, err := ParseAudience(string(a)); err != nil {
				bad("audience_answers", err.Error())
			}
		}
		switch e.Kind {
		case "":
			e.Kind = KindAnswer
		case KindAnswer, KindSmalltalk, KindHandoff:
		default:
			bad("kind", fmt.Sprintf("genre « %s » inconnu (attendu : answer, smalltalk ou handoff)", e.Kind))
		}
		switch e.Status {
		case "", Draft, Validated, Published, Retired:
		default:
			bad("status", fmt.Sprintf("statut « %s » inconnu (attendu : draft, validated, published ou retired)", e.Status))
		}
		if e.ReviewBy != "" {
			if _, err := ParseReviewDate(e.ReviewBy); err != nil {
				bad("review_by", err.Error())
			}
		}
		for _, l := range e.Links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				bad("links", fmt.Sprintf("lien « %s » : pas une adresse http(s)", l.URL))
			}
		}
	}
	return probs
}
