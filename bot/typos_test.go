package bot

import (
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestTyposOfPhrasings: a misspelling in a phrasing (as citizens write them, and
// as campaigns and suggestions bring them in) is read as the word it misspells,
// so that the speller never corrects to the typo; and the phrasing still
// answers a citizen who makes the same typo.
func TestTyposOfPhrasings(t *testing.T) {
	entries := []kb.Entry{
		{ID: "passeport", Question: "Comment faire un passeport ?", Answer: "Prenez rendez-vous pour votre passeport.",
			Alternatives: []string{"renouveler mon passeport", "passeport expiré", "délai pour un passeport", "paseport perdu vite"}},
		{ID: "piscine", Question: "Quels sont les horaires de la piscine ?", Answer: "La piscine ouvre à 9 h.",
			Alternatives: []string{"piscine ouverte le dimanche ?", "horaires du bassin"}},
	}
	lang := NewLanguage(kb.FrenchWords(), nil)
	ix := NewIndex(entries, lang)
	if got := ix.typos["paseport"]; got != "passeport" {
		t.Errorf("typos[paseport] = %q, want passeport (typos: %v)", got, ix.typos)
	}
	if a := ix.analyze("pasport"); a.describe() != "passeport" {
		t.Errorf("analyze(pasport) = %q (corrections %v), want passeport", a.describe(), a.corrected)
	}
	for _, text := range []string{"paseport perdu", "pasport perdu"} {
		if cs := ix.search(ix.analyze(text), "", 1); len(cs) == 0 || cs[0].Entry.ID != "passeport" {
			t.Errorf("%q: %v, want passeport first", text, cs)
		}
	}
	for _, w := range []string{"piscine", "horaires", "dimanche"} {
		if c, ok := ix.typos[w]; ok {
			t.Errorf("the French word %q taken for a typo of %q", w, c)
		}
	}
}

// TestBackgroundKeptBesideManyPhrasings: an entry whose many phrasings hold,
// together, the words of a question it does not answer does not take that
// question out of the background.
func TestBackgroundKeptBesideManyPhrasings(t *testing.T) {
	entries := []kb.Entry{{ID: "passeport", Question: "Comment faire un passeport ?", Answer: "Prenez rendez-vous.",
		Alternatives: []string{"combien coûte le passeport ?", "où acheter le timbre fiscal", "passeport expiré", "délai pour un passeport"}}}
	ix := NewIndex(entries, NewLanguage(kb.FrenchWords(), []string{"Combien coûte un timbre ?"}))
	if cs := ix.search(ix.analyze("combien coûte un timbre ?"), "", 1); len(cs) == 0 || cs[0].Background < 0.9 {
		t.Errorf("« combien coûte un timbre ? »: %+v, want it close to the background question", cs)
	}
}

// TestTypoIsNoWordOfTheBase: a word that is not French is no typo when an
// answer uses it (the name of the médiathèque is not « collecte »), nor when the
// word it would read as is another entry's (« mediatek » is the médiathèque's,
// not the ombudsman's « mediateur », the closest frequent word of a large base).
func TestTypoIsNoWordOfTheBase(t *testing.T) {
	entries := []kb.Entry{
		{ID: "mediatheque", Question: "Quels sont les horaires de la médiathèque ?",
			Answer:       "La médiathèque Colette ouvre le samedi.",
			Alternatives: []string{"mediatek ouvert samedi", "la médiathèque Colette ferme quand", "horaires médiathèque"}},
		{ID: "collecte", Question: "Quand passe la collecte des ordures ?", Answer: "La collecte passe le lundi.",
			Alternatives: []string{"jour de collecte", "collecte des encombrants", "collecte du verre"}},
		{ID: "mediateur", Question: "Comment saisir le médiateur ?", Answer: "Écrivez au médiateur.",
			Alternatives: []string{"médiateur de la consommation", "médiateur des impôts", "recours au médiateur"}},
	}
	ix := NewIndex(entries, NewLanguage(kb.FrenchWords(), nil))
	for _, w := range []string{"colette", "mediatek"} {
		if c, ok := ix.typos[w]; ok {
			t.Errorf("%q taken for a typo of %q", w, c)
		}
	}
	for _, text := range []string{"mediatek ouvert samedi", "la mediatek colette"} {
		if cs := ix.search(ix.analyze(text), "", 1); len(cs) == 0 || cs[0].Entry.ID != "mediatheque" {
			t.Errorf("%q (%s): %v, want mediatheque first", text, ix.analyze(text).describe(), cs)
		}
	}
}
