package bot

import (
	"strings"
	"testing"
)

// TestReadCasesSaysWhatAndWhereInFrench: the cases file of a campaign run
// against another base names each bad line and says what is wrong, in French,
// like the rest of `parvis eval`'s output.
func TestReadCasesSaysWhatAndWhereInFrench(t *testing.T) {
	known := func(id string) bool { return id == "cantine" }
	_, err := ReadCases(strings.NewReader(`{"text": "cantine", "expected": "cantine"}
{"text": "branchages", "expected": "pt_branchages"}
{"expected": "cantine"}
{"text": "x"}
pas du JSON`), known)
	if err == nil {
		t.Fatal("bad cases accepted")
	}
	for _, want := range []string{"4 cas illisible(s)", "ligne 2 : l'entrée attendue « pt_branchages » n'est pas dans la base évaluée (--kb)",
		"ligne 3 : champ « text » manquant", "ligne 4 : champ « expected » manquant", "ligne 5 : JSON illisible"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q missing from:\n%v", want, err)
		}
	}
	if _, err := ReadCases(strings.NewReader("\n"), known); err == nil || !strings.Contains(err.Error(), "aucun cas") {
		t.Errorf("an empty file: %v", err)
	}
}
