// Package semantictest writes tiny sentence-embedding models for tests: a
// word-level tokenizer.json and a model.onnx whose only operation looks up each
// token's vector (Gather), giving token vectors that the backend mean-pools, as
// it does a sentence-transformers export. Words given the same vector are
// synonyms to the model.
package semantictest

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// Unknown is the token of words outside the vocabulary. Its vector is zero
// unless vectors give it one: a zero vector adds nothing to a sentence's
// meaning, another one dilutes it as the words a model does not weigh do.
const Unknown = "[UNK]"

// WriteModel writes model.onnx and tokenizer.json into dir for a vocabulary of
// words (lower case, ASCII, no spaces), each with its vector; every vector has
// the same length.
func WriteModel(t testing.TB, dir string, vectors map[string][]float32) {
	t.Helper()
	words := make([]string, 0, len(vectors))
	for w := range vectors {
		if w != Unknown {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	words = append([]string{Unknown}, words...)
	dim := len(vectors[words[1]])
	table := make([]float32, 0, len(words)*dim)
	vocab := map[string]int{}
	for i, w := range words {
		vocab[w] = i
		v, ok := vectors[w]
		if !ok {
			v = make([]float32, dim)
		}
		if len(v) != dim {
			t.Fatalf("semantictest: vector of %q has %d floats, want %d", w, len(v), dim)
		}
		table = append(table, v...)
	}
	tok, err := json.Marshal(map[string]any{
		"version":        "1.0",
		"truncation":     nil,
		"padding":        nil,
		"added_tokens":   []any{},
		"normalizer":     map[string]any{"type": "Lowercase"},
		"pre_tokenizer":  map[string]any{"type": "Whitespace"},
		"post_processor": nil,
		"decoder":        nil,
		"model":          map[string]any{"type": "WordLevel", "vocab": vocab, "unk_token": Unknown},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), tok, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "model.onnx"), onnxModel(len(words), dim, table), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Field numbers and enums of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto).
const (
	modelIRVersion = 1
	modelProducer  = 2
	modelGraph     = 7
	modelOpset     = 8

	opsetVersion = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName = 1
	attrInt  = 3
	attrType = 20

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	valueName = 1
	valueType = 2

	typeTensor       = 1
	tensorElemType   = 1
	tensorShape      = 2
	shapeDim         = 1
	dimValue         = 1
	dimParam         = 2
	attributeTypeInt = 2
	elemFloat        = 1
	elemInt64        = 7
)

// onnxModel encodes the graph last_hidden_state = Gather(embeddings,
// input_ids, axis 0), with input_ids [batch, sequence] int64 and the output
// [batch, sequence, dim] float.
func onnxModel(vocab, dim int, table []float32) []byte {
	raw := make([]byte, 4*len(table))
	for i, x := range table {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	var emb []byte
	emb = appendVarint(emb, tensorDims, uint64(vocab))
	emb = appendVarint(emb, tensorDims, uint64(dim))
	emb = appendVarint(emb, tensorDataType, elemFloat)
	emb = appendString(emb, tensorName, "embeddings")
	emb = appendBytes(emb, tensorRawData, raw)

	var attr []byte
	attr = appendString(attr, attrName, "axis")
	attr = appendVarint(attr, attrInt, 0)
	attr = appendVarint(attr, attrType, attributeTypeInt)
	var node []byte
	node = appendString(node, nodeInput, "embeddings")
	node = appendString(node, nodeInput, "input_ids")
	node = appendString(node, nodeOutput, "last_hidden_state")
	node = appendString(node, nodeName, "lookup")
	node = appendString(node, nodeOpType, "Gather")
	node = appendBytes(node, nodeAttribute, attr)

	var graph []byte
	graph = appendBytes(graph, graphNode, node)
	graph = appendString(graph, graphName, "tiny")
	graph = appendBytes(graph, graphInitializer, emb)
	graph = appendBytes(graph, graphInput, valueInfo("input_ids", elemInt64, "batch", "sequence"))
	graph = appendBytes(graph, graphOutput, valueInfo("last_hidden_state", elemFloat, "batch", "sequence", dim))

	var opset []byte
	opset = appendVarint(opset, opsetVersion, 13)
	var m []byte
	m = appendVarint(m, modelIRVersion, 8)
	m = appendString(m, modelProducer, "semantictest")
	m = appendBytes(m, modelGraph, graph)
	m = appendBytes(m, modelOpset, opset)
	return m
}

// valueInfo encodes a typed input or output; a dimension is a name (dynamic) or
// a size.
func valueInfo(name string, elem uint64, dims ...any) []byte {
	var shape []byte
	for _, d := range dims {
		var dm []byte
		switch d := d.(type) {
		case string:
			dm = appendString(dm, dimParam, d)
		case int:
			dm = appendVarint(dm, dimValue, uint64(d))
		}
		shape = appendBytes(shape, shapeDim, dm)
	}
	var tt []byte
	tt = appendVarint(tt, tensorElemType, elem)
	tt = appendBytes(tt, tensorShape, shape)
	var typ []byte
	typ = appendBytes(typ, typeTensor, tt)
	var v []byte
	v = appendString(v, valueName, name)
	v = appendBytes(v, valueType, typ)
	return v
}

func appendVarint(b []byte, field protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, field, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendBytes(b []byte, field protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, field, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func appendString(b []byte, field protowire.Number, v string) []byte {
	return appendBytes(b, field, []byte(v))
}
