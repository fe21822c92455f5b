package main

import (
	"fmt"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/semantic"
)

// semanticUsage is the help of --semantic-model, the same for every command.
const semanticUsage = "sentence-embedding model `DIR` holding model.onnx and tokenizer.json (sentence-transformers/optimum export), " +
	"read at start-up, nothing fetched; empty: off, the engine reads words alone [PARVIS_SEMANTIC_MODEL]"

// openSemantic loads the model of --semantic-model for the engine: no options
// when dir is empty. The returned function releases the model.
func openSemantic(dir string) ([]bot.Option, func(), error) {
	if dir == "" {
		return nil, func() {}, nil
	}
	m, err := semantic.Open(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("--semantic-model: %w", err)
	}
	return []bot.Option{bot.WithEmbedder(m)}, func() { m.Close() }, nil
}
