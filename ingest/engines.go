package ingest

import (
	"slices"
	"sync"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// Engines holds one understanding engine per tenant, each over the entries
// that answer its citizens (kb.ForTenant): the commune's own first, then its
// intercommunalité's and those of every tenant, then the national ones. The
// engines of the declared tenants are built with every change of the knowledge
// base; another tenant's at its first conversation. It is safe for concurrent
// use. Each engine holds its own index (about 20 MB and one second to build for
// the demo's 592 entries).
type Engines struct {
	cfg     bot.Config
	lang    *bot.Language
	opts    []bot.Option // e.g. the sentence-embedding model, shared by every engine
	tenants *tenant.Registry

	mu       sync.Mutex
	entries  []kb.Entry
	version  string
	byTenant map[string]*tenantEngine
}

type tenantEngine struct {
	engine *bot.Engine
	parent string // the intercommunalité it was built with
	desk   desk   // and the front desk its hand-off gives (compared, not written, on each message)
}

// desk is a front desk and whose it is, as the hand-off says it.
type desk struct {
	name    string
	contact tenant.Contact
}

// deskOf returns the front desk of a tenant's citizens: its own, else its
// intercommunalité's (a commune that declared none), else none.
func (e *Engines) deskOf(t tenant.Tenant) desk {
	if !t.Contact.IsZero() {
		return desk{t.Name, t.Contact}
	}
	if p, ok := e.tenants.Get(t.Parent); t.Parent != "" && ok && !p.Contact.IsZero() {
		return desk{p.Name, p.Contact}
	}
	return desk{}
}

// NewEngines returns engines over no entries yet; [Engines.Swap] gives them.
func NewEngines(cfg bot.Config, lang *bot.Language, tenants *tenant.Registry, opts ...bot.Option) *Engines {
	return &Engines{cfg: cfg, lang: lang, opts: opts, tenants: tenants, byTenant: map[string]*tenantEngine{}}
}

// Swap takes a new version of the published entries and re-indexes the
// engines of the declared tenants and of those met since start. Indexing runs
// outside the lock: conversations go on being decided meanwhile, each on the
// version its engine holds. Engines are indexed in parallel. Calls of Swap must not overlap (the knowledge base
// follower makes them one after the other).
func (e *Engines) Swap(entries []kb.Entry, version string) {
	e.mu.Lock()
	e.entries, e.version = entries, version
	built := make(map[string]*tenantEngine, len(e.byTenant))
	for id, te := range e.byTenant {
		built[id] = te
	}
	e.mu.Unlock()
	// One index at a time per core: a start-up with several tenants waits for
	// the slowest, not for their sum.
	var wg sync.WaitGroup
	for id, te := range built {
		wg.Go(func() { te.engine.Swap(kb.ForTenant(entries, id, te.parent), version) })
	}
	for _, t := range e.tenants.List(tenant.Everything()) {
		wg.Go(func() { e.For(t.ID) }) // built now rather than at the first citizen's message
	}
	wg.Wait()
}

// For returns the engine of a tenant's citizens, building it the first time.
func (e *Engines) For(tenantID string) *bot.Engine {
	var t tenant.Tenant
	if got, ok := e.tenants.Get(tenantID); ok {
		t = got
	}
	parent := t.Parent
	e.mu.Lock()
	te, ok := e.byTenant[tenantID]
	entries, version := e.entries, e.version
	e.mu.Unlock()
	d := e.deskOf(t)
	if ok && te.parent == parent && te.desk == d {
		return te.engine
	}
	opts := e.opts
	if contact := d.contact.Sentence(d.name); contact != "" {
		opts = append(slices.Clip(opts), bot.WithContact(contact))
	}
	engine, err := bot.New(e.cfg, kb.ForTenant(entries, tenantID, parent), version, e.lang, opts...)
	if err != nil {
		panic("ingest: engine configuration checked at start: " + err.Error())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if te, ok := e.byTenant[tenantID]; ok && te.parent == parent && te.desk == d {
		return te.engine // built by another call meanwhile
	}
	if e.version != version {
		// The knowledge base changed while this one was built.
		engine.Swap(kb.ForTenant(e.entries, tenantID, parent), e.version)
	}
	e.byTenant[tenantID] = &tenantEngine{engine: engine, parent: parent, desk: d}
	return engine
}
