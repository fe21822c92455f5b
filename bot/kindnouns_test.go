package bot

import "testing"

// A kind of card, permit or deed that the town never names is not the one it
// answers for; one it names, or a street's name after « rue », is.
func TestKindNouns(t *testing.T) {
	e := demo(t)
	for _, c := range []struct {
		text string
		not  string // the entry that must not answer; "" when want must
		want string
	}{
		{"j'ai perdu ma carte vitale, je fais la déclaration de perte chez vous ?", "perte_vol_papiers", ""},
		{"j'ai perdu ma carte d'identité, je fais la déclaration de perte chez vous ?", "", "perte_vol_papiers"},
		{"ya un trou de ouf rue victor hugo jai failli tomber en scoot, on signale ou", "", "voirie_signalement"},
		{"gros trou rue pasteur devant la boulangerie, jai eclate un pneu dedans", "", "voirie_signalement"},
	} {
		d := e.Decide(c.text, "")
		got := ""
		if d.Entry != nil {
			got = d.Entry.ID
		}
		if c.not != "" && got == c.not {
			t.Errorf("%q answered with %s (confidence %.2f)", c.text, got, d.Confidence)
		}
		if c.want != "" && got != c.want {
			t.Errorf("%q: got %q (confidence %.2f), want %s", c.text, got, d.Confidence, c.want)
		}
	}
	ix := e.Index()
	if ix.kinds["cart"] == nil || ix.kinds["rue"] != nil {
		t.Errorf("kind nouns: carte %v, rue %v; want carte a kind noun, rue not", ix.kinds["cart"], ix.kinds["rue"])
	}
}
