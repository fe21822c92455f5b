package kb

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
)

//go:embed demo/montclar.yaml
var montclarYAML []byte

//go:embed demo/spf_qr_questions.csv
var servicePublicCSV []byte

//go:embed demo/spf_fiches_theme_tree.csv
var servicePublicTreeCSV []byte

// Source names shown with each answer.
const (
	SourceServicePublic = "DILA, service-public.fr"
)

// Demo returns the demo town's own entries (Ville de Montclar), one for every
// intent of its catalogue.
func Demo() []Entry {
	entries, err := Parse("montclar.yaml", montclarYAML)
	if err != nil {
		panic("kb: the embedded demo knowledge base is invalid: " + err.Error())
	}
	return entries
}

//go:embed demo/saint-aubin.yaml
var saintAubinYAML []byte

// DemoTerritory returns the entries of the demo's other commune,
// Saint-Aubin-sur-Lèze: `serve --demo` publishes them with [Demo]'s, which
// hold Montclar's and their communauté de communes'. They are kept apart from
// [Demo], the one-entry-per-intent base that `parvis eval --kb demo` measures.
func DemoTerritory() []Entry {
	entries, err := Parse("saint-aubin.yaml", saintAubinYAML)
	if err != nil {
		panic("kb: the embedded demo knowledge base is invalid: " + err.Error())
	}
	return entries
}

// DemoBase returns the entries `serve --demo` publishes: the demo territory's
// ([Demo], [DemoTerritory]) and the national fiches ([ServicePublic]) without
// their full texts, which do not rank where a town's entries stand beside them
// ([Entry.Reference]) and would cost every process 40 MB.
func DemoBase() []Entry {
	national := ServicePublic()
	for i := range national {
		national[i].Reference = ""
	}
	return append(append(Demo(), DemoTerritory()...), national...)
}

// The demo's widget is Montclar's (`serve --tenant`'s default), a commune of
// the communauté de communes du Val de Lèze (tenant/demo.yaml).
const (
	DemoTown       = "montclar"
	DemoTownParent = "cc-val-de-leze"
)

// DemoServed returns the entries `serve --demo` answers the demo's widget
// from: [DemoBase] as Montclar's engine reads it ([ForTenant]).
func DemoServed() []Entry { return ForTenant(DemoBase(), DemoTown, DemoTownParent) }

// DemandeKinds returns the kinds of request that the entries offer, in order of
// first appearance.
func DemandeKinds(entries []Entry) []string {
	var kinds []string
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Demande != "" && !seen[e.Demande] {
			seen[e.Demande] = true
			kinds = append(kinds, e.Demande)
		}
	}
	return kinds
}

// ServicePublic returns the service-public.fr question fiches (DILA, Licence
// Ouverte 2.0) as national entries, each answer a summary of the fiche crediting
// DILA and linking to it.
func ServicePublic() []Entry {
	entries, err := parseServicePublic(bytes.NewReader(servicePublicCSV))
	if err != nil {
		panic("kb: the embedded service-public.fr data is invalid: " + err.Error())
	}
	return entries
}

func parseServicePublic(r io.Reader) ([]Entry, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var out []Entry
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		id := rec[col["fiche_id"]]
		out = append(out, Entry{
			ID:        "spf-" + id,
			Question:  rec[col["question"]],
			Answer:    summarize(rec[col["answer_text"]], 600) + "\n\nSource : DILA, service-public.fr.",
			Reference: strings.Join(strings.Fields(rec[col["answer_text"]]), " "),
			Theme:     rec[col["theme"]],
			Service:   rec[col["dossier"]],
			Source:    SourceServicePublic,
			National:  true,
			Kind:      KindAnswer,
			Links: []Link{{Label: "Fiche service-public.fr",
				URL: fmt.Sprintf("https://www.service-public.fr/particuliers/vosdroits/%s", id)}},
		})
	}
}

// summarize keeps the first whole sentences of text, up to about n bytes.
func summarize(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexAny(text[:n], ".!?")
	if cut < n/3 {
		cut = strings.LastIndex(text[:n], " ")
		return text[:cut] + "…"
	}
	return text[:cut+1]
}

var (
	lexiconOnce sync.Once
	lexicon     map[string]bool
)

// FrenchWords returns the lowercase words of the service-public.fr fiches and of
// their 2,897 titles: a lexicon of correct administrative French (edited text,
// Licence Ouverte) that spelling correction must not "correct" into a word of the
// knowledge base.
func FrenchWords() map[string]bool {
	lexiconOnce.Do(func() {
		counts := map[string]int{}
		text := strings.ToLower(string(servicePublicCSV) + string(servicePublicTreeCSV))
		for _, w := range strings.FieldsFunc(text, func(r rune) bool {
			return !unicode.IsLetter(r)
		}) {
			counts[w]++
		}
		lexicon = map[string]bool{}
		for w, c := range counts {
			if c >= 1 && len(w) > 1 {
				lexicon[w] = true
			}
		}
	})
	return lexicon
}

// BackgroundQuestions returns the service-public.fr questions and fiche titles:
// the administrative questions of the whole country, against which the engine
// tells what the knowledge base does not cover.
func BackgroundQuestions() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, e := range ServicePublic() {
		add(e.Question)
	}
	for _, t := range ServicePublicTitles() {
		add(t)
	}
	return out
}

// ServicePublicTitles returns the titles of the 2,897 service-public.fr fiches
// of the theme tree.
func ServicePublicTitles() []string {
	var out []string
	for _, f := range ServicePublicTree() {
		out = append(out, f.Title)
	}
	return out
}

// Fiche is a service-public.fr fiche's place in the theme tree.
type Fiche struct {
	ID, Title, Theme, Dossier string
}

// ServicePublicTree returns the fiches of the theme tree (2,902 rows).
func ServicePublicTree() []Fiche {
	r := csv.NewReader(bytes.NewReader(servicePublicTreeCSV))
	recs, err := r.ReadAll()
	if err != nil {
		panic("kb: the embedded service-public.fr theme tree is invalid: " + err.Error())
	}
	out := make([]Fiche, 0, len(recs))
	for _, rec := range recs[1:] {
		out = append(out, Fiche{ID: rec[0], Title: rec[1], Theme: rec[3], Dossier: rec[5]})
	}
	return out
}
