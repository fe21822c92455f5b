package graphql

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
)

// Trying a draft before it is published: an engine is built on demand from the
// published entries with the draft applied, and kept per draft version (the
// entry's last change and the published knowledge base's version), so that a
// phrasing typed after another reuses it.

// trialCache holds the engines of the drafts tried last. Its zero value is
// ready; it is safe for concurrent use.
type trialCache struct {
	mu      sync.Mutex
	engines map[string]*bot.Engine
	order   []string // oldest first
}

// trialCacheSize bounds the engines kept: each is a whole index.
const trialCacheSize = 4

// draftEngine returns the engine of the published knowledge base with the
// entry's newest version published, the engine as it is, and that version.
// Both are those of the draft's tenant, whose citizens it would answer (the
// caller's, for a draft of every tenant): the entries of other territories
// take no part, and show in no trial.
func (r *Resolver) draftEngine(ctx context.Context, id string) (draftEngine, published *bot.Engine, draft kb.Entry, err error) {
	draft, ok := r.KB.State.Entry(id)
	if !ok {
		return nil, nil, draft, kbError(kb.ErrNoEntry)
	}
	if err := r.readsEntry(ctx, draft); err != nil {
		return nil, nil, draft, err
	}
	view := draft.Tenant
	if view == "" {
		view = callerTenant(ctx)
	}
	published = r.engineFor(view)
	last, _ := r.KB.State.LastChange(id)
	all, version := r.KB.State.Published()
	key := id + "@" + last.EventID + "@" + version + "@" + view
	c := &r.trials
	c.mu.Lock()
	defer c.mu.Unlock() // one build at a time: two experts trying the same draft share it
	if e, ok := c.engines[key]; ok {
		return e, published, draft, nil
	}
	entries := make([]kb.Entry, 0, len(all)+1)
	for _, e := range all {
		if e.ID != id {
			entries = append(entries, e)
		}
	}
	if draft.Status != kb.Retired {
		d := draft
		d.Status = kb.Published
		entries = append(entries, d)
	}
	if view != "" {
		// The draft among them: it takes the layer it would answer from.
		t, _ := r.Registry.Get(view)
		entries = kb.ForTenant(entries, view, t.Parent)
	}
	e, err := r.Engine.Variant(entries, "essai:"+key)
	if err != nil {
		return nil, nil, draft, err
	}
	if c.engines == nil {
		c.engines = map[string]*bot.Engine{}
	}
	c.engines[key] = e
	c.order = append(c.order, key)
	if len(c.order) > trialCacheSize {
		delete(c.engines, c.order[0])
		c.order = c.order[1:]
	}
	return e, published, draft, nil
}

// tryReply is a decision as the bot would reply, without any event: trying is
// not a conversation.
func tryReply(ctx context.Context, engine *bot.Engine, text string, audience kb.Audience) *model.BotReply {
	d := engine.Decide(text, audience)
	return toReply(ctx, ingest.Reply{Text: ingest.Compose(engine, d, audience), Decision: d})
}

// collisionWindow is how far back kbCollisions reads citizens' questions.
const collisionWindow = 90 * 24 * time.Hour

// collisions lists what would change entry with the draft published.
func (r *Resolver) collisions(ctx context.Context, id string) ([]*model.Collision, error) {
	draftEngine, published, draft, err := r.draftEngine(ctx, id)
	if err != nil {
		return nil, err
	}
	var questions []string
	if r.Queries != nil {
		scope, err := r.scope(ctx, nil)
		if err != nil {
			return nil, err
		}
		if questions, err = r.Queries.QuestionsWeighing(ctx, scope, id, time.Now().Add(-collisionWindow), time.Now(), 300); err != nil {
			return nil, err
		}
	}
	answering := func(d bot.Decision) *kb.Entry {
		if d.Outcome == bot.Answered || d.Outcome == bot.Smalltalk || d.Outcome == bot.Handoff {
			return d.Entry
		}
		return nil
	}
	idOf := func(e *kb.Entry) string {
		if e == nil {
			return ""
		}
		return e.ID
	}
	out := []*model.Collision{}
	check := func(text, origin string) {
		before, after := answering(published.Decide(text, "")), answering(draftEngine.Decide(text, ""))
		// A phrasing of the draft collides when it does not reach the draft; a
		// citizen's question when it moves to or away from the draft.
		moved := idOf(after) != id
		if origin == "CITIZEN" {
			moved = (idOf(before) == id) != (idOf(after) == id)
		}
		if !moved {
			return
		}
		c := &model.Collision{Text: text, Origin: origin}
		if before != nil {
			c.Published = toEntry(ctx, before)
		}
		if after != nil {
			c.Draft = toEntry(ctx, after)
		}
		out = append(out, c)
	}
	if draft.Status != kb.Retired {
		for _, p := range draft.Phrasings() {
			check(p, "PHRASING")
		}
	}
	for _, q := range questions {
		check(q, "CITIZEN")
	}
	return out, nil
}

// checkPhrasing refuses an empty or overlong phrasing to try.
func checkPhrasing(text string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(text)); {
	case n == 0:
		return badInput("Tapez une formulation à essayer.")
	case n > 2000:
		return badInput("La formulation est trop longue : 2000 caractères au plus.")
	}
	return nil
}
