package kb

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAnswer(t *testing.T) {
	link := func(text, url string) Segment { return Segment{Text: text, URL: url} }
	text := func(s string) Segment { return Segment{Text: s} }
	tests := []struct {
		name, in string
		want     []Block
	}{
		{"paragraphs and lines", "Bonjour.\nLa mairie ouvre à 9 h.\n\nÀ bientôt.",
			[]Block{{Paragraph, [][]Segment{{text("Bonjour.")}, {text("La mairie ouvre à 9 h.")}}}, {Paragraph, [][]Segment{{text("À bientôt.")}}}}},
		{"a list after a line", "Apportez :\n- une photo\n* un justificatif",
			[]Block{{Paragraph, [][]Segment{{text("Apportez :")}}}, {Bullets, [][]Segment{{text("une photo")}, {text("un justificatif")}}}}},
		{"numbered", "1. Remplir\n2) Envoyer", []Block{{Numbered, [][]Segment{{text("Remplir")}, {text("Envoyer")}}}}},
		{"links and phone", "Voir [le formulaire](https://montclar.fr/f) ou https://service-public.fr/x. Appelez le 04 75 00 00 00.",
			[]Block{{Paragraph, [][]Segment{{text("Voir "), link("le formulaire", "https://montclar.fr/f"), text(" ou "),
				link("https://service-public.fr/x", "https://service-public.fr/x"), text(". Appelez le "), link("04 75 00 00 00", "tel:0475000000"), text(".")}}}}},
		{"unsafe link stays text", "[clic](javascript:alert(1)) <b>gras</b>",
			[]Block{{Paragraph, [][]Segment{{text("[clic](javascript:alert(1)) <b>gras</b>")}}}}},
		{"international phone", "+33 4 75 00 00 00", []Block{{Paragraph, [][]Segment{{link("+33 4 75 00 00 00", "tel:+33475000000")}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseAnswer(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAnswer(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
	if err := CheckAnswer("[ici](data:text/html,x)"); err == nil {
		t.Error("a data: link is accepted")
	}
	if err := CheckAnswer("[ici](https://montclar.fr) et [là](tel:0475000000)"); err != nil {
		t.Error(err)
	}
	if got := PlainAnswer("Voir [ici](https://a.fr).\n- un\n- deux"); got != "Voir ici (https://a.fr).\n\n• un\n• deux" {
		t.Errorf("plain: %q", got)
	}
}

// FuzzAnswerFormat: any text parses; every link it makes is http(s) or tel:;
// a link's text comes from the answer; nothing but list markers and blank
// space is lost.
func FuzzAnswerFormat(f *testing.F) {
	for _, s := range []string{"Bonjour.\n\n- a\n- b", "[x](https://a.fr) 04 75 00 00 00", "[x](javascript:1)", "1. a\n2) b\n\nc",
		"https://a.fr/(x) +33 1 23 45 67 89", "<script>alert(1)</script>", "[a](tel:+33-1)", "\r\n\r\n* \u2022 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		blocks := ParseAnswer(in)
		n := 0
		for _, b := range blocks {
			if len(b.Lines) == 0 {
				t.Fatalf("an empty block from %q", in)
			}
			for _, l := range b.Lines {
				for _, s := range l {
					if s.URL != "" && !SafeURL(s.URL) {
						t.Fatalf("unsafe link %q from %q", s.URL, in)
					}
					if !strings.Contains(in, s.Text) {
						t.Fatalf("segment %q not in %q", s.Text, in)
					}
					n += len(strings.Join(strings.Fields(s.Text), ""))
				}
			}
		}
		if n > len(in) {
			t.Fatalf("more text out (%d) than in (%d)", n, len(in))
		}
		_ = PlainAnswer(in)
		_ = CheckAnswer(in)
	})
}
