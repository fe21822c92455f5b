package semantic_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/semantic"
	"github.com/parvis-civic/parvis/semantic/semantictest"
)

// tinyVectors is a vocabulary of three meanings in four dimensions: the words of
// a meaning share its vector.
var tinyVectors = map[string][]float32{
	"mairie": {1, 0, 0, 0}, "hotel": {1, 0, 0, 0},
	"poubelle": {0, 1, 0, 0}, "dechets": {0, 1, 0, 0}, "ordures": {0, 1, 0, 0},
	"piscine": {0, 0, 1, 0}, "baignade": {0, 0, 1, 0},
	"horaires": {0, 0, 0, 1},
}

func openTiny(t *testing.T) *semantic.Model {
	t.Helper()
	dir := t.TempDir()
	semantictest.WriteModel(t, dir, tinyVectors)
	m, err := semantic.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestEmbedShapeAndDeterminism(t *testing.T) {
	m := openTiny(t)
	if m.Dim() != 4 {
		t.Fatalf("Dim() = %d, want 4", m.Dim())
	}
	texts := []string{"mairie", "Poubelle ordures", "horaires piscine", "inconnu"}
	first, err := m.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(first), len(texts))
	}
	for i, v := range first {
		if len(v) != 4 {
			t.Errorf("vector %d has %d floats, want 4", i, len(v))
		}
	}
	// Mean pooling: one word gives its vector, two of a meaning give it too,
	// two meanings give their mean; an unknown word gives nothing.
	want := [][]float32{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0.5, 0.5}, {0, 0, 0, 0}}
	for i := range want {
		if !near(first[i], want[i]) {
			t.Errorf("Embed(%q) = %v, want %v", texts[i], first[i], want[i])
		}
	}
	// The same texts alone and in another batch give the same vectors.
	for i, text := range texts {
		again, err := m.Embed([]string{text})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again[0], first[i]) {
			t.Errorf("Embed(%q) alone = %v, in a batch %v", text, again[0], first[i])
		}
	}
	// A batch larger than the largest bucket is cut and comes back whole, in order.
	many := make([]string, 70)
	for i := range many {
		many[i] = texts[i%len(texts)]
	}
	vs, err := m.Embed(many)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(many) {
		t.Fatalf("%d vectors for %d texts", len(vs), len(many))
	}
	for i, v := range vs {
		if !near(v, want[i%len(texts)]) {
			t.Errorf("text %d of 70: %v, want %v", i, v, want[i%len(texts)])
		}
	}
}

func near(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

func TestOpenRejectsBadDirectories(t *testing.T) {
	good := t.TempDir()
	semantictest.WriteModel(t, good, tinyVectors)
	onnx, err := os.ReadFile(filepath.Join(good, semantic.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := os.ReadFile(filepath.Join(good, semantic.TokenizerFile))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files map[string][]byte
		file  string // the file the error must name
	}{
		{"no model", map[string][]byte{semantic.TokenizerFile: tok}, semantic.ModelFile},
		{"no tokenizer", map[string][]byte{semantic.ModelFile: onnx}, semantic.TokenizerFile},
		{"tokenizer not JSON", map[string][]byte{semantic.ModelFile: onnx, semantic.TokenizerFile: []byte("{")}, semantic.TokenizerFile},
		{"model not ONNX", map[string][]byte{semantic.ModelFile: []byte("not a model"), semantic.TokenizerFile: tok}, semantic.ModelFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, b := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := semantic.Open(dir)
			if !errors.Is(err, semantic.ErrModel) || !strings.Contains(err.Error(), tt.file) {
				t.Errorf("Open: %v, want an ErrModel naming %s", err, tt.file)
			}
		})
	}
	// A vocabulary without its unknown token cannot encode "bonjour", which
	// Open embeds to check the model: an error, not the end of the process.
	var cfg map[string]any
	if err := json.Unmarshal(tok, &cfg); err != nil {
		t.Fatal(err)
	}
	delete(cfg["model"].(map[string]any)["vocab"].(map[string]any), semantictest.Unknown)
	noUnknown, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, semantic.ModelFile), onnx, 0o644)
	os.WriteFile(filepath.Join(dir, semantic.TokenizerFile), noUnknown, 0o644)
	if _, err := semantic.Open(dir); !errors.Is(err, semantic.ErrModel) || !strings.Contains(err.Error(), semantic.TokenizerFile) {
		t.Errorf("Open with a tokenizer that cannot encode: %v, want an ErrModel naming %s", err, semantic.TokenizerFile)
	}
	if _, err := semantic.Open(filepath.Join(good, "absent")); !errors.Is(err, semantic.ErrModel) {
		t.Errorf("Open(absent directory): %v, want ErrModel", err)
	}
}
