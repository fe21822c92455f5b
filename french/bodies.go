package french

import (
	"strings"
	"sync"
)

// bodyWords name the administrations and companies that are not a town hall,
// folded as [Words] gives them: a question addressed to one of them (« mon
// dossier à la CAF », « le centre des impôts ouvre quand ? ») is theirs to
// answer, unless the town's own answer speaks of them.
var bodyWords = `caf|cpam|ameli|securite sociale|assurance maladie|france travail|pole emploi|urssaf|msa|carsat|
	centre des impots|finances publiques|tresor public|prefecture|sous prefecture|ants|apec|cnav|agirc arrco|
	auto ecole|conservatoire|edf|engie|enedis|grdf|sncf`

// bodyNames are the other names of bodies, which an answer may use instead
// (« caisse d'allocations familiales » for the CAF, « Pôle emploi » for France
// Travail), folded; an acronym's long form is another name too (see
// [SpelledOut]).
var bodyNames = map[string][]string{
	"france travail":     {"pole emploi"},
	"pole emploi":        {"france travail"},
	"centre des impots":  {"finances publiques", "impots"},
	"finances publiques": {"centre des impots", "impots"},
	"tresor public":      {"finances publiques"},
}

// BodyNames returns the folded names a body of [Bodies] goes by.
func BodyNames(body string) []string {
	names := append([]string{body}, bodyNames[body]...)
	if long, ok := SpelledOut(body); ok {
		names = append(names, long)
	}
	return names
}

var bodies = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, x := range strings.Split(bodyWords, "|") {
		m[strings.Join(strings.Fields(x), " ")] = true
	}
	return m
})

// Bodies returns the bodies other than a town hall that folded words name,
// longest expression first.
func Bodies(words []string) []string {
	var out []string
	eachExpression(words, maxBodyWords, bodies(), func(x string, _ bool) { out = append(out, x) })
	return out
}

// maxBodyWords is the most words a body's name holds.
const maxBodyWords = 3
