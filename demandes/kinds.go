package demandes

import (
	"strings"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/kb"
)

// Generic is the kind offered when no other fits, when the town declares it.
const Generic = "autre"

// Kinds is the town's catalogue of demande kinds, in its order.
type Kinds struct {
	list []kb.DemandeKind
	byID map[string]int
}

// NewKinds returns a catalogue.
func NewKinds(list []kb.DemandeKind) *Kinds {
	k := &Kinds{list: list, byID: map[string]int{}}
	for i, d := range list {
		k.byID[d.ID] = i
	}
	return k
}

// Get returns a kind by its id.
func (k *Kinds) Get(id string) (kb.DemandeKind, bool) {
	i, ok := k.byID[id]
	if !ok {
		return kb.DemandeKind{}, false
	}
	return k.list[i], true
}

// All returns every kind, in the catalogue's order.
func (k *Kinds) All() []kb.DemandeKind { return k.list }

// IDs returns the kinds' ids.
func (k *Kinds) IDs() []string {
	ids := make([]string, len(k.list))
	for i, d := range k.list {
		ids[i] = d.ID
	}
	return ids
}

// Closest returns the kind whose words a message uses most, among those the
// audience may file; with none, the generic kind when declared and generic is
// true. ok is false when nothing fits.
func (k *Kinds) Closest(text string, audience kb.Audience, generic bool) (kb.DemandeKind, bool) {
	words := french.Words(text)
	joined := " " + strings.Join(words, " ") + " "
	best, bestScore := -1, 0
	for i, d := range k.list {
		if !d.AllowedFor(audience) {
			continue
		}
		score := 0
		for _, w := range d.Words {
			if strings.Contains(joined, " "+w+" ") {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best >= 0 {
		return k.list[best], true
	}
	if generic {
		if g, ok := k.Get(Generic); ok && g.AllowedFor(audience) {
			return g, true
		}
	}
	return kb.DemandeKind{}, false
}
