package bot

import (
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestConversationWithoutEntriesOfItsOwn: a knowledge base imported as a plain
// FAQ (the service-public.fr questions, no greeting, no way to a person) greets,
// thanks and hands over with the built-in entries, and its questions, even
// those that begin with a greeting or speak of an agent or a test, still go to
// its own entries; a base with conversation entries of its own keeps them, and
// gets the built-in ones it lacks.
func TestConversationWithoutEntriesOfItsOwn(t *testing.T) {
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	faq, err := New(DefaultConfig(), kb.ServicePublic(), "v1", lang)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text    string
		outcome Outcome
		entry   string
	}{
		{"bonjour", Smalltalk, "conversation_salutation"},
		{"bjr", Smalltalk, "conversation_salutation"},
		{"merci bcp", Smalltalk, "conversation_remerciement"},
		// Words that go with a greeting or a thanks draw no entry that uses them.
		{"bsr tt le monde", Smalltalk, "conversation_salutation"},
		{"merci pour tou c tré clair", Smalltalk, "conversation_remerciement"},
		{"merci bien, c'est bien aimable à vous", Smalltalk, "conversation_remerciement"},
		{"au revoir", Smalltalk, "conversation_au_revoir"},
		{"test", Smalltalk, "conversation_essai"},
		{"ok", Smalltalk, "conversation_accord"},
		{"👍", Smalltalk, "conversation_accord"},
		{"oui svp", Smalltalk, "conversation_accord"},
		{"non", Smalltalk, "conversation_refus"},
		{"Non, pas besoin !", Smalltalk, "conversation_refus"},
		{"un humain svp", Handoff, "conversation_agent"},
		{"Bonjour, je voudrais parler à une vraie personne svp", Handoff, "conversation_agent"},
		{"tu es un robot ?", Smalltalk, "conversation_identite"},
		{"T'es un bot ?!", Smalltalk, "conversation_identite"},
		{"vous êtes humain ?", Smalltalk, "conversation_identite"},
		{"t'es nul", Smalltalk, "conversation_agacement"},
		{"Pfff...", Smalltalk, "conversation_agacement"},
		{"ça sert à rien !!", Smalltalk, "conversation_agacement"},
		{"tu comprends rien", Smalltalk, "conversation_agacement"},
	}
	for _, tt := range tests {
		d := faq.Decide(tt.text, kb.Particulier)
		if d.Outcome != tt.outcome || d.Entry == nil || d.Entry.ID != tt.entry {
			t.Errorf("%q: %s %v, want %s %s", tt.text, d.Outcome, d.Entry, tt.outcome, tt.entry)
		}
	}
	for _, text := range []string{
		"Bonjour, je postule à un poste d'agent d'accueil à la mairie, pouvez-vous m'aider pour ma lettre de motivation ?",
		"merci de me dire comment refaire ma carte grise après un déménagement",
		"test de dépistage gratuit pour mon fils, c'est remboursé ?",
		// « robot » alone is no question about the bot.
		"robot tondeuse bruit voisin le dimanche",
		"robot aspirateur",
		// Annoyance that names a need is a question.
		"je comprends rien à la taxe foncière",
		"la carte grise c'est n'importe quoi, comment on la refait",
	} {
		if d := faq.Decide(text, kb.Particulier); d.Outcome == Smalltalk || d.Outcome == Handoff {
			t.Errorf("%q taken for conversation: %s %s", text, d.Outcome, d.Entry.ID)
		}
	}
	if h, ok := faq.Handoff(); !ok || h.ID != "conversation_agent" {
		t.Errorf("handoff of a base without one: %v %v", h, ok)
	}

	own := demo(t)
	if d := own.Decide("un humain svp", kb.Particulier); d.Entry == nil || d.Entry.ID != "parler_agent" {
		t.Errorf("a base with its own handoff: %s %v", d.Outcome, d.Entry)
	}
	if d := own.Decide("bonjour", kb.Particulier); d.Entry == nil || d.Entry.ID != "salutation" {
		t.Errorf("a base with its own greeting: %s %v", d.Outcome, d.Entry)
	}
	if d := own.Decide("au revoir", kb.Particulier); d.Entry == nil || d.Entry.ID != "conversation_au_revoir" {
		t.Errorf("a base without a goodbye of its own: %s %v", d.Outcome, d.Entry)
	}
	for _, e := range own.Index().conversation.ix.entries {
		if e.ID == "conversation_salutation" || e.ID == "conversation_remerciement" || e.ID == "conversation_agent" {
			t.Errorf("a base with its own %s got the built-in one", e.ID)
		}
	}
}

// TestEvaluationExpectsConversation: an evaluation of a base without
// conversation entries of its own may expect the built-in ones its decisions
// name (« bonjour » greets with conversation_salutation), as `parvis eval` reads
// its cases; an id that nothing answers with is still refused.
func TestEvaluationExpectsConversation(t *testing.T) {
	faq, err := New(DefaultConfig(), kb.ServicePublic(), "v1", NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		t.Fatal(err)
	}
	known := func(id string) bool { _, ok := faq.Index().Entry(id); return ok }
	cases, err := ReadCases(strings.NewReader(`{"text": "bonjour", "expected": "conversation_salutation"}
{"text": "un humain svp", "expected": "conversation_agent"}`), known)
	if err != nil {
		t.Fatal(err)
	}
	if r := Evaluate(faq, cases); r.AnsweredCorrect != 1 || r.Top1 != 1 {
		t.Errorf("built-in entries expected: answered correct %v, top1 %v, want 1 and 1", r.AnsweredCorrect, r.Top1)
	}
	if _, err := ReadCases(strings.NewReader(`{"text": "bonjour", "expected": "conversation_inconnue"}`), known); err == nil {
		t.Error("an unknown entry id was accepted")
	}
	// The demo town has its own hand-off: the built-in one is no entry of its index.
	if _, ok := demo(t).Index().Entry("conversation_agent"); ok {
		t.Error("a base with its own hand-off knows the built-in one")
	}
}

// TestConversationOfAnImportedSheet: a town's FAQ imported from a sheet, whose
// rows cannot say their kind, keeps its own « Bonjour » and its own way to a
// person (with the town's phone number): they are written for the built-in
// entries' very questions, and answer them; a row that merely shares a word
// with one (« Test de la sirène ») leaves « test » to the built-in.
func TestConversationOfAnImportedSheet(t *testing.T) {
	own := []kb.Entry{
		{ID: "contact", Question: "Je veux parler à une personne", Alternatives: []string{"un humain svp", "parler à un agent"},
			Answer: "Appelez l'accueil au 04 75 00 00 00.", Audiences: []kb.Audience{kb.Particulier}, Service: "Accueil"},
		{ID: "bienvenue", Question: "Bonjour", Alternatives: []string{"salut"}, Answer: "Bonjour, bienvenue à Saint-Xavier !",
			Audiences: []kb.Audience{kb.Particulier}, Service: "Accueil"},
		{ID: "sirene", Question: "Test de la sirène le premier mercredi du mois", Answer: "Chaque premier mercredi à midi.",
			Audiences: []kb.Audience{kb.Particulier}, Service: "Sécurité"},
	}
	e, err := New(DefaultConfig(), append(own, kb.ServicePublic()...), "v1", NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{"un humain svp": "contact", "je veux parler à une personne": "contact",
		"bonjour": "bienvenue", "test": "conversation_essai", "merci": "conversation_remerciement"} {
		if d := e.Decide(text, kb.Particulier); d.Entry == nil || d.Entry.ID != want {
			t.Errorf("%q: %s %v, want %s", text, d.Outcome, d.Entry, want)
		}
	}
	// The reply to a message nothing answers offers the town's own row, with
	// its phone number.
	if h, ok := e.Handoff(); !ok || h.ID != "contact" {
		t.Errorf("hand-off of a sheet with its own contact row: %v %v", h, ok)
	}
}

// TestConsent: a plain yes or no, however typed, is told apart from a message
// that says more.
func TestConsent(t *testing.T) {
	tests := []struct {
		text    string
		yes, no bool
	}{
		{"oui", true, false},
		{"Oui !", true, false},
		{"OUI SVP", true, false},
		{"oui s'il vous plait", true, false},
		{"ok d'accord", true, false},
		{"ouais", true, false},
		{"non", false, true},
		{"Non merci.", false, true},
		{"nan pas besoin", false, true},
		{"oui oui", true, false},
		{"oui d'accord merci", true, false},
		{"non non", false, true},
		{"oui non", false, false},
		{"non oui", false, false},
		{"oui c'est pour mon fils", false, false},
		{"non c'est pour mon fils", false, false},
		{"oui merci beaucoup", true, false},
		{"ok merci", false, false},
		{"d'accord, merci !", false, false},
		{"non merci", false, true},
		{"ok stp", true, false},
		{"pas besoin", false, true},
		{"oui mais je veux aussi savoir les horaires", false, false},
		{"non je voulais la carte grise", false, false},
		{"merci", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if yes, no := Consent(tt.text); yes != tt.yes || no != tt.no {
			t.Errorf("Consent(%q) = %v, %v; want %v, %v", tt.text, yes, no, tt.yes, tt.no)
		}
	}
}
