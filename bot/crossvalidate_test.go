package bot

import (
	"slices"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

// TestCrossValidateTellsProgress: each fold is told once, in order, and the
// figures are those of CrossValidate.
func TestCrossValidateTellsProgress(t *testing.T) {
	lang := NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	var told []int
	r, err := CrossValidateWith(DefaultConfig(), kb.Demo(), lang, 3, func(done, folds int) {
		if folds != 3 {
			t.Errorf("folds %d, want 3", folds)
		}
		told = append(told, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(told, []int{1, 2, 3}) {
		t.Errorf("progress told %v, want 1, 2, 3", told)
	}
	plain, err := CrossValidate(DefaultConfig(), kb.Demo(), lang, 3)
	if err != nil || plain.Cases != r.Cases || plain.Top1 != r.Top1 {
		t.Errorf("with progress %d cases top-1 %v, without %d cases top-1 %v (%v)", r.Cases, r.Top1, plain.Cases, plain.Top1, err)
	}
}
