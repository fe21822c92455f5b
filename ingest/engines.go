package ingest

import (
	"sync"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// Engines holds one understanding engine per tenant, each over the entries
// that answer its citizens (kb.ForTenant): the commune's own first, then its
// intercommunalité's and those of every tenant, then the national ones. Engines
// are built at a tenant's first conversation and rebuilt on every change of the
// knowledge base. It is safe for concurrent use.
type Engines struct {
	cfg     bot.Config
	lang    *bot.Language
	tenants *tenant.Registry

	mu       sync.Mutex
	entries  []kb.Entry
	version  string
	byTenant map[string]*tenantEngine
}

type tenantEngine struct {
	engine *bot.Engine
	parent string // the intercommunalité it was built with
}

// NewEngines returns engines over no entries yet; [Engines.Swap] gives them.
func NewEngines(cfg bot.Config, lang *bot.Language, tenants *tenant.Registry) *Engines {
	return &Engines{cfg: cfg, lang: lang, tenants: tenants, byTenant: map[string]*tenantEngine{}}
}

// Swap takes a new version of the published entries and re-indexes the
// engines built so far.
func (e *Engines) Swap(entries []kb.Entry, version string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.entries, e.version = entries, version
	for id, te := range e.byTenant {
		te.engine.Swap(kb.ForTenant(entries, id, te.parent), version)
	}
}

// For returns the engine of a tenant's citizens.
func (e *Engines) For(tenantID string) *bot.Engine {
	parent := ""
	if t, ok := e.tenants.Get(tenantID); ok {
		parent = t.Parent
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if te, ok := e.byTenant[tenantID]; ok && te.parent == parent {
		return te.engine
	}
	engine, err := bot.New(e.cfg, kb.ForTenant(e.entries, tenantID, parent), e.version, e.lang)
	if err != nil {
		panic("ingest: engine configuration checked at start: " + err.Error())
	}
	e.byTenant[tenantID] = &tenantEngine{engine: engine, parent: parent}
	return engine
}
