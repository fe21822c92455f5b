package mining

import (
	"fmt"
	"os"
	"testing"

	"github.com/parvis-civic/parvis/mining/miningtest"
)

// TestWithoutSubjects measures the dev set with the subjects of everyday life
// turned off: how the grouping does on needs the subject list does not know,
// from words, the thesaurus and co-occurrences alone (MINING_ABLATION=1).
func TestWithoutSubjects(t *testing.T) {
	if os.Getenv("MINING_ABLATION") == "" {
		t.Skip("MINING_ABLATION is not set")
	}
	set, err := miningtest.ReadLabelled("testdata/mining-dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	tune, held := miningtest.Split(set)
	e := demoEngine(t)
	saved := conceptWeight
	defer func() { conceptWeight = saved }()
	conceptWeight = 0
	for _, p := range []struct {
		name string
		set  []miningtest.Labelled
	}{{"tune", tune}, {"held-out", held}} {
		r, _ := mine(e, p.set)
		fmt.Printf("without subjects, %s: %s\n", p.name, miningtest.Score(p.set, r))
	}
}
