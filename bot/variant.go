package bot

import "github.com/parvis-civic/parvis/kb"

// Variant returns an engine like e (same configuration, language and embedder)
// over other entries: what the bot would answer with a change to the knowledge
// base, for the experts to try before they publish it. The phrasings e has
// embedded already are reused. e is left as it is.
func (e *Engine) Variant(entries []kb.Entry, version string) (*Engine, error) {
	v := &Engine{cfg: e.cfg, lang: e.lang, emb: e.emb}
	v.cur.Store(e.cur.Load()) // the embeddings of unchanged phrasings carry over
	return v, v.Swap(entries, version)
}
