package mining

import (
	"strings"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/ingest/redact"
)

// A group is one line for the communications team: a label, counts, and two
// flags computed here, from its questions' words.
//
//   - Demande: most of its questions ask the town to act on a problem on the spot
//     (« il y a un trou énorme au rond-point », « le lampadaire est en panne »):
//     a possible demande for the services, not a gap in the knowledge base.
//   - Noise: most of its questions are about nothing the town deals with (the
//     weather, a joke, a football score): no subject of everyday life (see
//     [french.Concepts]) and a word of those things. Such groups are listed last.

// onTopic reports whether a question (its text and key) may be about something
// the town deals with (see [french.OffTopic]): only the others are noise.
func onTopic(text, key string) bool {
	return !french.OffTopic(text, strings.Fields(key))
}

// readability weighs a question as a group's label: a question of one or two
// words, or a long story, says less at a glance than one sentence, and one
// that held personal data (« mon numéro est [TELEPHONE] ») is shown on every
// dashboard only when its group has no other.
func readability(text, key string) float64 {
	n := utf8.RuneCountInString(text)
	r := 1.0
	if n > labelLength {
		r = float64(labelLength) / float64(n)
	}
	if len(strings.Fields(key)) < 3 {
		r *= 0.85
	}
	if redact.HasPlaceholder(text) {
		r *= 0.1
	}
	return r
}

// labelLength is the length from which a label reads less well.
const labelLength = 110
