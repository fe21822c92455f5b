package bot

import (
	"math"
	"os"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// A FAQ as exported (a question and an answer each): the citizen's words meet
// in one sentence of the right entry's answer, while another entry's question
// shares one of them. Read by its sentences, the answer ranks its entry first;
// scattered in the whole answer, those words do not.
func TestAnswerSentencesRankFAQEntries(t *testing.T) {
	e, err := New(DefaultConfig(), visitsFAQ(), "test", NewLanguage(kb.FrenchWords(), nil))
	if err != nil {
		t.Fatal(err)
	}
	d := e.Decide("on voudrait faire le tour du vieux Vallières avec un guide", "")
	if len(d.Candidates) == 0 || d.Candidates[0].Entry.ID != "visites" {
		t.Fatalf("candidates %q, want visites first (its answer says « un guide … le vieux Vallières »)", candidateIDs(d.Candidates))
	}
	if d.Candidates[0].Passage == 0 {
		t.Errorf("visites ranked first without its answer's sentences: %+v", d.Candidates[0])
	}
}

// In a base that mixes them, only the entries with nothing but a question and
// an answer are read by their answers' sentences: not those with alternatives,
// nor those with a reference text behind.
func TestAnswerSentencesOnlyForEntriesWithNothingElse(t *testing.T) {
	base := []kb.Entry{
		{ID: "plain", Kind: kb.KindAnswer, Question: "Quels sont les horaires de la piscine ?",
			Answer: "La piscine municipale ouvre le dimanche matin de 9 h à 13 h. Le bassin nordique reste fermé en hiver."},
		{ID: "alternatives", Kind: kb.KindAnswer, Question: "Où trouver un maître-nageur ?",
			Alternatives: []string{"cours de natation", "apprendre à nager"},
			Answer:       "Les maîtres-nageurs de la piscine municipale donnent des cours le dimanche matin."},
		{ID: "reference", Kind: kb.KindAnswer, Question: "Peut-on réserver une ligne d'eau ?",
			Answer:    "Les clubs réservent les lignes d'eau de la piscine municipale le dimanche matin.",
			Reference: "Les associations sportives réservent les lignes d'eau auprès du service des sports."},
	}
	e, err := New(DefaultConfig(), base, "test", NewLanguage(kb.FrenchWords(), nil))
	if err != nil {
		t.Fatal(err)
	}
	d := e.Decide("piscine municipale le dimanche matin", "")
	seen := map[string]bool{}
	for _, c := range d.Candidates {
		seen[c.Entry.ID] = true
		if got, want := c.Passage > 0, c.Entry.ID == "plain"; got != want {
			t.Errorf("%s: passage score %v, want one only for the entry with nothing but its answer", c.Entry.ID, c.Passage)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("candidates %q, want the three entries", candidateIDs(d.Candidates))
	}
}

// The confidence model reads the combined score as it was fitted on it:
// without the answer's sentence.
func TestConfidenceReadsTheScoreWithoutTheSentence(t *testing.T) {
	e, err := New(DefaultConfig(), visitsFAQ(), "test", NewLanguage(kb.FrenchWords(), nil))
	if err != nil {
		t.Fatal(err)
	}
	ix := e.Index()
	a := ix.analyze("on voudrait faire le tour du vieux Vallières avec un guide")
	cs := ix.search(a, "", 5)
	if len(cs) == 0 || cs[0].Passage == 0 {
		t.Fatalf("candidates %q, want the first read by its answer's sentence", candidateIDs(cs))
	}
	if got, want := cs[0].fitted, cs[0].Score-passageWeight*cs[0].Passage; math.Abs(got-want) > 1e-12 {
		t.Errorf("score without the sentence %v, want %v (score %v, passage %v)", got, want, cs[0].Score, cs[0].Passage)
	}
	if got := confidenceInputs(a, cs)[0]; got != cs[0].fitted {
		t.Errorf("the confidence reads %v, want the score without the sentence %v", got, cs[0].fitted)
	}
}

// TestAnswerSentencesHelpFreshFAQs decides the fresh FAQs that tuning may use
// (w52; the service-public.fr base without its reference texts, asked
// spf_tune and w10's paraphrases) with and without the answers' sentences, and
// prints both: with them, more questions find their entry first, over the three
// sets together (not on each: spf_tune's top1 is lower with them).
func TestAnswerSentencesHelpFreshFAQs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four indexes")
	}
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	w52, err := kb.LoadFile("testdata/w52/faq.csv")
	if err != nil {
		t.Fatal(err)
	}
	var plain []kb.Entry
	for _, e := range kb.ServicePublic() {
		e.Reference = ""
		plain = append(plain, e)
	}
	sets := []struct {
		name    string
		entries []kb.Entry
		cases   []string
	}{
		{"w52", w52, []string{"testdata/w52/paraphrases.jsonl"}},
		{"service-public.fr without references", plain, []string{"testdata/spf_tune.jsonl", "testdata/w10/spf_paraphrases_w10.jsonl"}},
	}
	var with, without int
	for _, set := range sets {
		e, err := New(DefaultConfig(), set.entries, "test", lang)
		if err != nil {
			t.Fatal(err)
		}
		// The same engine on an index built without the answers' sentences.
		bare, err := New(DefaultConfig(), set.entries, "test", lang)
		if err != nil {
			t.Fatal(err)
		}
		ix := NewIndex(set.entries, lang)
		ix.passages = nil
		ix.conversation = bare.conversationFor(ix)
		bare.cur.Store(&snapshot{ix: ix, version: "test"})
		for _, file := range set.cases {
			cases := readCases(t, file, e.Index())
			on, off := Evaluate(e, cases), Evaluate(bare, cases)
			t.Logf("%s, %s: top1 %.3f → %.3f, top3 %.3f → %.3f, answered right %.3f → %.3f, accuracy %.3f → %.3f, none recall %.3f → %.3f",
				set.name, file, off.Top1, on.Top1, off.Top3, on.Top3, off.AnsweredCorrect, on.AnsweredCorrect,
				off.AnsweredAccuracy, on.AnsweredAccuracy, off.NoneRecall, on.NoneRecall)
			with += firstRight(on)
			without += firstRight(off)
		}
	}
	if with <= without {
		t.Errorf("questions whose entry comes first: %d with the answers' sentences, %d without; want more with", with, without)
	}
}

func readCases(t *testing.T, file string, ix *Index) []Case {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f, func(id string) bool { _, ok := ix.Entry(id); return ok })
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

func firstRight(r Report) int {
	n := 0
	for _, res := range r.Results {
		if res.rank() == 1 {
			n++
		}
	}
	return n
}

// visitsFAQ is a FAQ of four entries as exported: a question and an answer each.
func visitsFAQ() []kb.Entry {
	return []kb.Entry{
		{ID: "visites", Kind: kb.KindAnswer, Question: "L'office de tourisme propose-t-il des visites guidées ?",
			Answer: "Oui, toute l'année. Le tarif est de 7 € par adulte et de 4 € pour les 6-17 ans, gratuit pour les moins de 6 ans. " +
				"Les groupes peuvent réserver une visite sur mesure à partir de 120 €. " +
				"Un guide conférencier fait découvrir le vieux Vallières, ses remparts et ses moulins, les mardis et jeudis à 10 h."},
		{ID: "remparts", Kind: kb.KindAnswer, Question: "Les remparts de Vallières sont-ils ouverts au public ?",
			Answer: "Le chemin de ronde est ouvert d'avril à octobre. L'accès est libre et gratuit."},
		{ID: "moulins", Kind: kb.KindAnswer, Question: "Peut-on visiter les moulins de la Brenne ?",
			Answer: "Le moulin de Chaumes ouvre ses portes lors des Journées du patrimoine. Le reste de l'année, il se visite sur rendez-vous."},
		{ID: "velo", Kind: kb.KindAnswer, Question: "Où louer un vélo pour faire le tour du lac ?",
			Answer: "Des vélos sont loués à la base nautique de mai à septembre. Comptez 12 € la demi-journée."},
	}
}

func candidateIDs(cs []Candidate) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.Entry.ID)
	}
	return ids
}
