// Package semantic runs a sentence-embedding model in pure Go, for the
// understanding engine's optional semantic retrieval (see bot.Embedder).
//
// A model directory holds model.onnx and tokenizer.json as exported by
// sentence-transformers or optimum. [Open] checks both files, loads them into a
// hugot session on its Go backend (GoMLX's simplego: no cgo, no shared library)
// and embeds a probe sentence, so that a model that cannot run fails at start-up
// rather than on a citizen's message. Nothing is fetched: the model is read from
// the directory only. [Model.Embed] tokenises a batch of texts, runs the graph and
// mean-pools the token vectors when the model outputs token vectors rather than
// sentence vectors.
package semantic

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/knights-analytics/hugot"
	"github.com/knights-analytics/hugot/options"
	"github.com/knights-analytics/hugot/pipelines"
)

// The files of a model directory.
const (
	ModelFile     = "model.onnx"
	TokenizerFile = "tokenizer.json"
)

// ErrModel reports a model directory that cannot be used; the error names the
// file at fault.
var ErrModel = errors.New("semantic: bad model directory")

// Model is a sentence-embedding model loaded from a directory. Its methods are
// safe for concurrent use: batches run one at a time, since the Go backend's
// compiled graphs are not documented as safe to run concurrently, and a long
// call is cut into batches so that a message's call waits for one batch at
// most, not for a whole knowledge base.
type Model struct {
	mu      sync.Mutex
	session *hugot.Session
	pipe    *pipelines.FeatureExtractionPipeline
	dim     int
}

// Shape buckets bound the graphs compiled for the Go backend: one per pair of
// batch and sequence bucket, instead of one per distinct input shape, which a
// long-running server would accumulate without end. A batch is cut to the
// largest bucket.
var (
	batchBuckets    = []int{1, 8, 32}
	sequenceBuckets = []int{16, 64, 256, 512}
)

// Check reports, without loading anything, a directory that is not one or
// lacks one of the model's files, naming it; for configuration checks.
func Check(dir string) error {
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("%w: %v", ErrModel, err)
	} else if !fi.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrModel, dir)
	}
	for _, f := range []string{ModelFile, TokenizerFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("%w: %v", ErrModel, err)
		} else if fi.IsDir() {
			return fmt.Errorf("%w: %s is a directory", ErrModel, filepath.Join(dir, f))
		}
	}
	return nil
}

// Open loads the model of dir. A missing or unreadable file, or a model the Go
// backend cannot run, is an error wrapping [ErrModel] that names the file.
func Open(dir string) (*Model, error) {
	if err := Check(dir); err != nil {
		return nil, err
	}
	modelPath, tokPath := filepath.Join(dir, ModelFile), filepath.Join(dir, TokenizerFile)
	// The Go tokenizer stops the process on some inputs it cannot read: check
	// that the file is JSON at least, and the tokenizer loads, before use.
	tok, err := os.ReadFile(tokPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrModel, tokPath, err)
	}
	if !json.Valid(tok) {
		return nil, fmt.Errorf("%w: %s: not JSON", ErrModel, tokPath)
	}
	m := &Model{}
	if err := m.load(dir, modelPath, tokPath); err != nil {
		if m.session != nil {
			m.session.Destroy()
		}
		return nil, err
	}
	return m, nil
}

func (m *Model) load(dir, modelPath, tokPath string) (err error) {
	defer func() {
		// GoMLX reports a graph it cannot build by panicking.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: %v", ErrModel, modelPath, r)
		}
	}()
	m.session, err = hugot.NewGoSession(options.WithGoMLXBatchBuckets(batchBuckets), options.WithGoMLXSequenceBuckets(sequenceBuckets))
	if err != nil {
		return fmt.Errorf("semantic: start the Go backend: %w", err)
	}
	m.pipe, err = hugot.NewPipeline(m.session, hugot.FeatureExtractionConfig{
		ModelPath: dir, Name: "embed", OnnxFilename: ModelFile,
	})
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrModel, modelPath, err)
	}
	if m.pipe.Model.Tokenizer == nil || m.pipe.Model.Tokenizer.GoTokenizer == nil {
		return fmt.Errorf("%w: %s: no tokenizer", ErrModel, tokPath)
	}
	probe, err := m.embed([]string{"bonjour"})
	if errors.Is(err, errTokenize) {
		return fmt.Errorf("%w: %s: %v", ErrModel, tokPath, err)
	} else if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrModel, modelPath, err)
	}
	if len(probe) != 1 || len(probe[0]) == 0 {
		return fmt.Errorf("%w: %s: the model gives no vector", ErrModel, modelPath)
	}
	m.dim = len(probe[0])
	return nil
}

// Dim is the length of the vectors.
func (m *Model) Dim() int { return m.dim }

// Embed returns one vector per text, in order. Texts are embedded in batches of
// the largest batch bucket.
func (m *Model) Embed(texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	step := batchBuckets[len(batchBuckets)-1]
	for i := 0; i < len(texts); i += step {
		m.mu.Lock()
		vs, err := m.embed(texts[i:min(i+step, len(texts))])
		m.mu.Unlock()
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// errTokenize reports a text the tokenizer cannot encode.
var errTokenize = errors.New("semantic: tokenize")

func (m *Model) embed(texts []string) (vs [][]float32, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("semantic: embed %d texts: %v", len(texts), r)
		}
	}()
	// The pipeline stops the process (log.Fatal) on a text its Go tokenizer
	// cannot encode, as one with a word outside a vocabulary that has no
	// unknown token: each text is encoded here first, so that it is an error.
	tk := m.pipe.Model.Tokenizer.GoTokenizer.Tokenizer
	for _, t := range texts {
		if _, err := tk.EncodeSingle(t, true); err != nil {
			return nil, fmt.Errorf("%w %q: %v", errTokenize, t, err)
		}
	}
	res, err := m.pipe.RunPipeline(texts)
	if err != nil {
		return nil, fmt.Errorf("semantic: embed %d texts: %w", len(texts), err)
	}
	if len(res.Embeddings) != len(texts) {
		return nil, fmt.Errorf("semantic: embed %d texts: got %d vectors", len(texts), len(res.Embeddings))
	}
	return res.Embeddings, nil
}

// Close releases the model.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.session.Destroy()
}
