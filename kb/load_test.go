package kb

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestLoadReportsEveryProblemWithLine(t *testing.T) {
	_, err := LoadFile("testdata/bad.yaml")
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("LoadFile = %v, want Problems", err)
	}
	want := []string{
		"testdata/bad.yaml:6: id: identifiant « a » en double (déjà ligne 3)",
		"testdata/bad.yaml:11: answer: réponse vide",
		"testdata/bad.yaml:15: audiences: public « touristes » inconnu",
		"testdata/bad.yaml:19: champ « alternative » inconnu : vérifiez son orthographe",
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("error lacks %q:\n%s", w, got)
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name, file, data string
		wantIDs          []string
		wantErr          string
	}{
		{"csv", "faq.csv", "id,question,answer,alternatives,audience,url\nq1,Q ?,R.,a|b,entreprise,https://x.fr/a\n", []string{"q1"}, ""},
		{"csv missing column", "faq.csv", "id,question\nq1,Q ?\n", nil, "faq.csv:1: answer: colonne obligatoire manquante"},
		{"csv bad quote", "faq.csv", "id,question,answer\nq1,\"Q ?,R.\n", nil, "faq.csv:2: CSV illisible : un champ ouvert par un guillemet"},
		{"jsonl", "kb.jsonl", `{"id":"j1","question":"Q ?","answer":"R."}` + "\n\n" + `{"id":"j2","question":"Q2 ?","answer":"R2."}`, []string{"j1", "j2"}, ""},
		{"jsonl bad line", "kb.jsonl", `{"id":"j1","question":"Q ?","answer":"R."}` + "\n" + `{"id":`, nil, "kb.jsonl:2: JSON illisible : "},
		{"jsonl unknown field", "kb.jsonl", `{"id":"j1","question":"Q ?","answer":"R.","anwser":"x"}`, nil, "champ « anwser » inconnu"},
		{"yaml list", "kb.yaml", "- id: y1\n  question: Q ?\n  answer: R.\n", []string{"y1"}, ""},
		{"yaml syntax", "kb.yaml", "- id: y1\n  question: [oops\n", nil, "kb.yaml:1: YAML illisible : "},
		{"bad link", "kb.yaml", "- id: y1\n  question: Q ?\n  answer: R.\n  links: [{label: x, url: 'javascript:alert(1)'}]\n", nil, "links"},
		{"unknown format", "kb.txt", "hello", nil, "format inconnu : le nom du fichier doit finir par .yaml, .csv ou .jsonl"},
		{"not utf8", "kb.csv", "id,question,answer\nq,\xff,r\n", nil, "texte illisible : le fichier n'est pas en UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := Parse(tt.file, []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse = %v, want error with %q", err, tt.wantErr)
				}
				if es != nil {
					t.Errorf("a bad file loaded %d entries", len(es))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.wantIDs, ",") {
				t.Errorf("ids = %v, want %v", ids, tt.wantIDs)
			}
		})
	}
}

func TestCSVFields(t *testing.T) {
	es, err := LoadFile("testdata/faq.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Theme != "Enfance" || es[0].Kind != KindAnswer {
		t.Errorf("entries = %+v", es)
	}
}

// TestAudienceLabels loads a FAQ as towns export it: plural labels with capitals,
// "Professionnels" for businesses, "Tous" for everyone.
func TestAudienceLabels(t *testing.T) {
	es, err := LoadFile("testdata/faq_audiences.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"cantine": "particulier", "terrasse": "entreprise", "marche": "entreprise", "salle": "association",
		"horaires": "particulier,entreprise,association", "taxe": "entreprise,association", "dechets": "",
	}
	for _, e := range es {
		var got []string
		for _, a := range e.Audiences {
			got = append(got, string(a))
		}
		if g := strings.Join(got, ","); g != want[e.ID] {
			t.Errorf("%s: audiences %q, want %q", e.ID, g, want[e.ID])
		}
	}
	for _, s := range []string{"particulier", "Particuliers", "PROFESSIONNEL", "Entreprises", "associations", " Associations "} {
		if _, err := ParseAudience(s); err != nil {
			t.Errorf("ParseAudience(%q): %v", s, err)
		}
	}
	for _, s := range []string{"Tous", "tous", "Tout public"} {
		if as, err := ParseAudiences(s); err != nil || len(as) != len(Audiences) {
			t.Errorf("ParseAudiences(%q) = %v, %v; want every audience", s, as, err)
		}
	}
	if _, err := ParseAudience("touristes"); err == nil {
		t.Error("ParseAudience(touristes) accepted")
	}
}

func TestDemoCoversTheCatalogue(t *testing.T) {
	es := Demo()
	if len(es) < 53 {
		t.Fatalf("demo has %d entries", len(es))
	}
	kinds := map[string]bool{}
	for _, k := range DemandeKinds(es) {
		kinds[k] = true
	}
	for _, k := range []string{"voirie", "encombrants", "salle_association"} {
		if !kinds[k] {
			t.Errorf("demo KB does not declare the demande kind %q", k)
		}
	}
	for _, e := range es {
		if e.Source == "" || len(e.Alternatives) < 5 {
			t.Errorf("entry %s: source %q, %d alternatives", e.ID, e.Source, len(e.Alternatives))
		}
	}
}

func TestServicePublicCreditsDILA(t *testing.T) {
	es := ServicePublic()
	if len(es) != 535 {
		t.Fatalf("%d fiches, want 535", len(es))
	}
	for _, e := range es[:20] {
		if e.Source != SourceServicePublic || !e.National || !strings.Contains(e.Answer, "DILA") ||
			len(e.Links) != 1 || !strings.HasPrefix(e.Links[0].URL, "https://www.service-public.fr/particuliers/vosdroits/F") {
			t.Errorf("fiche %s not credited and linked: %+v", e.ID, e)
		}
		if len(e.Answer) > 800 {
			t.Errorf("fiche %s answer not summarized: %d bytes", e.ID, len(e.Answer))
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("kb.yaml", []byte("- id: a\n  question: q\n  answer: r\n"))
	f.Add("kb.csv", []byte("id,question,answer\na,q,r\n"))
	f.Add("kb.jsonl", []byte(`{"id":"a","question":"q","answer":"r"}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		es, err := Parse(name, data)
		if err != nil {
			var probs Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("error is not a list of problems: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range es {
			if e.ID == "" || strings.TrimSpace(e.Answer) == "" || seen[e.ID] {
				t.Fatalf("accepted an invalid entry: %+v", e)
			}
			seen[e.ID] = true
		}
	})
}

// TestNegativesInFiles: an entry's negatives load from YAML and JSONL.
func TestNegativesInFiles(t *testing.T) {
	for name, data := range map[string]string{
		"kb.yaml":  "entries:\n  - id: piscine\n    question: Horaires de la piscine ?\n    answer: De 9 h à 19 h.\n    negatives: [horaires de la piscine le dimanche]\n",
		"kb.jsonl": `{"id": "piscine", "question": "Horaires de la piscine ?", "answer": "De 9 h à 19 h.", "negatives": ["horaires de la piscine le dimanche"]}` + "\n",
	} {
		es, err := Parse(name, []byte(data))
		if err != nil || len(es) != 1 || len(es[0].Negatives) != 1 || es[0].Negatives[0] != "horaires de la piscine le dimanche" {
			t.Errorf("%s: %+v %v", name, es, err)
		}
	}
}

// TestTenantsOfAFile: every format names an entry's tenant (CSV with a
// tenant column, like YAML and JSONL); where the deployment's tenants are
// known, an undeclared one is a problem at its line and field; where they are
// not, the file loads as it is.
func TestTenantsOfAFile(t *testing.T) {
	declared := func(id string) bool { return id == "montclar" || id == "cc-val-de-leze" }
	tests := []struct {
		name, data string
		want       []string // tenants of the entries
		problem    string   // with declared
	}{
		{"a.csv", "id,question,answer,tenant\na,Q1,R1,montclar\nb,Q2,R2,\nc,Q3,R3,atlantide\n",
			[]string{"montclar", "", "atlantide"}, "a.csv:4: tenant: collectivité « atlantide » non déclarée"},
		{"b.yaml", "tenant: cc-val-de-leze\nentries:\n  - id: a\n    question: Q1\n    answer: R1\n  - id: b\n    question: Q2\n    answer: R2\n    tenant: atlantide\n",
			[]string{"cc-val-de-leze", "atlantide"}, "b.yaml:9: tenant: collectivité « atlantide » non déclarée"},
		{"c.jsonl", `{"id":"a","question":"Q1","answer":"R1","tenant":"montclar"}` + "\n" + `{"id":"b","question":"Q2","answer":"R2","tenant":"atlantide"}` + "\n",
			[]string{"montclar", "atlantide"}, "c.jsonl:2: tenant: collectivité « atlantide » non déclarée"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := Parse(tt.name, []byte(tt.data))
			if err != nil {
				t.Fatalf("without the tenants known: %v", err)
			}
			var got []string
			for _, e := range entries {
				got = append(got, e.Tenant)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("tenants %q, want %q", got, tt.want)
			}
			_, err = ParseFor(tt.name, []byte(tt.data), declared)
			var probs Problems
			if !errors.As(err, &probs) || len(probs) != 1 || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("with the tenants known: %v, want one problem %q", err, tt.problem)
			}
		})
	}
}

// TestFilesMeetTheEditorsLimits: an entry a file or a spreadsheet brings is
// held to what an expert's edit is held to (lengths, alternatives, the
// answer's links), each problem named by its line or cell.
func TestFilesMeetTheEditorsLimits(t *testing.T) {
	yaml := "- id: long\n  question: Question ?\n  answer: \"" + strings.Repeat("a", MaxAnswerRunes+1) + "\"\n" +
		"- id: lien\n  question: Autre ?\n  answer: \"[cliquez](javascript:alert(1))\"\n" +
		"- id: q\n  question: \"" + strings.Repeat("q", MaxQuestionRunes+1) + "\"\n  answer: Oui.\n"
	_, err := Parse("base.yaml", []byte(yaml))
	for _, want := range []string{"base.yaml:3: answer: réponse trop longue", "base.yaml:6: answer:", "base.yaml:8: question: question trop longue"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("base.yaml: %v\nwant %q", err, want)
		}
	}
	alts := make([]string, MaxAlternatives+1)
	for i := range alts {
		alts[i] = fmt.Sprintf("formulation %d", i)
	}
	_, errs := SheetEntries([][]string{{"id", "question", "autres formulations", "réponse"}, {"x", "Question ?", strings.Join(alts, " | "), "Réponse."}})
	if errs == nil || !strings.Contains(errs.Error(), "trop d'autres formulations") {
		t.Errorf("a sheet row of %d alternatives: %v", len(alts), errs)
	}
}
