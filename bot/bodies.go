package bot

import (
	"slices"
	"strings"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// addressedElsewhere reports a message that names another administration or a
// company (« le centre des impôts ouvre quand ? », « ma demande d'aide au
// logement à la CAF », see [french.Bodies]) when the town's entry that would
// answer it never speaks of that body, by any of its names (« caisse
// d'allocations familiales », see [french.BodyNames]): the question is
// theirs, and the entry shares only its other words. It is not answered at
// once: it is offered as a choice, or left unanswered for mining to see. A
// national fiche covers the national bodies' procedures, whatever names its
// summary uses.
func addressedElsewhere(text string, e *kb.Entry) bool {
	if e.National {
		return false
	}
	bs := french.Bodies(french.Words(text))
	if len(bs) == 0 {
		return false
	}
	own := " " + strings.Join(french.Words(strings.Join(append(e.Phrasings(), e.Answer, e.Reference), " ")), " ") + " "
	for _, b := range bs {
		if !slices.ContainsFunc(french.BodyNames(b), func(n string) bool { return strings.Contains(own, " "+n+" ") }) {
			return true
		}
	}
	return false
}
