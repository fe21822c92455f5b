package graphql

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

var errOutOfScope = &userError{CodeForbidden, "Ce territoire n'est pas dans votre périmètre : votre accès est limité à votre commune ou à votre intercommunalité."}

// errPlatformOnly refuses to an administrator of one territory what acts on the
// whole platform.
var errPlatformOnly = &userError{CodeForbidden, "Réservé aux administrateurs de la plateforme : votre accès est limité à un territoire."}

// scope returns the tenants the caller may see, narrowed to one tenant and its
// members when narrow names one: the one way resolvers get the tenant.Scope
// that every read of the projections takes. Naming a tenant outside the
// caller's territory is FORBIDDEN.
func (r *Resolver) scope(ctx context.Context, narrow *string) (tenant.Scope, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return tenant.Scope{}, errUnauthenticated
	}
	own := r.Registry.Scope(p.Tenant)
	if narrow == nil || *narrow == "" {
		return own, nil
	}
	if _, ok := r.Registry.Get(*narrow); !ok && *narrow != r.Tenant {
		// A misspelt territory would read as one where nothing happened.
		return tenant.Scope{}, badInput(fmt.Sprintf("Aucun territoire ne porte l'identifiant « %s » : vérifiez-le dans la liste des territoires (tenants).", *narrow))
	}
	n := r.Registry.Scope(*narrow)
	if !own.Covers(n) {
		return tenant.Scope{}, errOutOfScope
	}
	return n, nil
}

// platformOnly refuses callers scoped to a territory.
func platformOnly(ctx context.Context) error {
	if p, ok := auth.PrincipalFrom(ctx); !ok || p.Tenant != "" {
		return errPlatformOnly
	}
	return nil
}

// grantable returns the scope of a token or account the caller creates: the
// tenant asked for, which must be declared and within the caller's own
// territory; the caller's own by default. "*" asks for the whole platform.
func (r *Resolver) grantable(ctx context.Context, asked *string) (string, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok {
		return "", errUnauthenticated
	}
	if asked == nil || strings.TrimSpace(*asked) == "" {
		return p.Tenant, nil
	}
	id := strings.TrimSpace(*asked)
	if id == tenant.Platform {
		if p.Tenant != "" {
			return "", errOutOfScope
		}
		return "", nil
	}
	if !r.Registry.Scope(p.Tenant).Covers(r.Registry.Scope(id)) {
		return "", errOutOfScope
	}
	if _, ok := r.Registry.Get(id); !ok {
		return "", badInput(fmt.Sprintf("Aucune collectivité ne porte l'identifiant « %s » : déclarez-la d'abord (createTenant).", id))
	}
	return id, nil
}

// errOutOfServices refuses a grant of services the caller is not in charge of.
var errOutOfServices = &userError{CodeForbidden, "Vous ne pouvez donner que les services de la base dont vous avez la charge : votre accès est limité à certains services."}

// grantableServices returns the services of a token or account the caller
// creates: those asked, which must be among the caller's own when it is
// limited to some; the caller's own by default, so that a grant never sees
// more of the knowledge base than its grantor.
func grantableServices(ctx context.Context, asked []string) ([]string, error) {
	svc, err := cleanServices(asked)
	if err != nil {
		return nil, err
	}
	own := auth.ServicesFrom(ctx)
	if len(own) == 0 {
		return svc, nil
	}
	if len(svc) == 0 {
		return slices.Clone(own), nil
	}
	for _, s := range svc {
		if !kb.InScope(own, s) {
			return nil, errOutOfServices
		}
	}
	return svc, nil
}

// visible reports whether the caller's territory holds what is scoped to
// tenantID (a token, an account): "" is the platform's, seen by the platform's
// administrators only.
func (r *Resolver) visible(ctx context.Context, tenantID string) bool {
	s, err := r.scope(ctx, nil)
	if err != nil {
		return false
	}
	return s.All() || (tenantID != "" && s.Has(tenantID))
}

// reads reports whether the caller reads the entries of tenantID: those of
// its territory, and its intercommunalité's, which answer its citizens too.
func (r *Resolver) reads(ctx context.Context, tenantID string) bool {
	if r.visible(ctx, tenantID) {
		return true
	}
	p, ok := auth.PrincipalFrom(ctx)
	if !ok || p.Tenant == "" {
		return false
	}
	t, ok := r.Registry.Get(p.Tenant)
	return ok && t.Parent != "" && t.Parent == tenantID
}

// readsEntry refuses an entry the caller may not read: one of another
// territory as if it did not exist (its id says nothing to a neighbour), one
// of another service as out of the caller's services.
func (r *Resolver) readsEntry(ctx context.Context, e kb.Entry) error {
	switch {
	case e.Tenant != "" && !r.reads(ctx, e.Tenant):
		return kbError(kb.ErrNoEntry)
	case !r.KB.Allowed(ctx, e):
		return kbError(kb.ErrOutOfScope)
	}
	return nil
}

// readable reports whether the caller reads a published entry: staff as the
// knowledge base's writer allows; citizens read every published answer (what
// the town's site already shows).
func (r *Resolver) readable(ctx context.Context, e *kb.Entry) bool {
	if _, staff := auth.PrincipalFrom(ctx); !staff {
		return true
	}
	return r.KB == nil || r.KB.Allowed(ctx, *e)
}

// callerTenant returns the tenant the caller is bound to ("": the platform's).
func callerTenant(ctx context.Context) string {
	p, _ := auth.PrincipalFrom(ctx)
	return p.Tenant
}

// engineFor returns the engine that answers the citizens of a tenant: its
// entries, its intercommunalité's and every tenant's; every published entry's
// for the platform ("").
func (r *Resolver) engineFor(tenantID string) *bot.Engine {
	if tenantID == "" || r.Engines == nil {
		return r.Engine
	}
	return r.Engines.For(tenantID)
}

// seesCampaign says whether the caller may read a test campaign: one of its
// territory or below.
func (r *Resolver) seesCampaign(ctx context.Context) func(id string) bool {
	return func(id string) bool {
		c, ok := r.CampaignState.Get(id)
		return ok && r.visible(ctx, c.Tenant)
	}
}

// draftedFor makes an entry drafted by a caller of a territory that
// territory's, with its name as the source: it answers that territory's
// citizens only. A platform's draft is every tenant's.
func (r *Resolver) draftedFor(ctx context.Context, e *kb.Entry) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok || p.Tenant == "" {
		return
	}
	e.Tenant = p.Tenant
	if t, ok := r.Registry.Get(p.Tenant); ok {
		e.Source = t.Name
	}
}

// tenantInput reads a tenant from the API's input.
func tenantInput(in model.TenantInput) tenant.Tenant {
	t := tenant.Tenant{ID: in.ID, Name: in.Name, INSEE: deref(in.InseeCode), Parent: deref(in.Parent),
		Colour: deref(in.Colour), Origins: in.AllowedOrigins, Prefix: in.TrackingPrefix}
	if in.Population != nil {
		t.Population = *in.Population
	}
	if c := in.Contact; c != nil {
		t.Contact = tenant.Contact{Phone: deref(c.Phone), Hours: deref(c.Hours), Email: deref(c.Email), URL: deref(c.URL)}
	}
	return t
}

func (r *Resolver) toTenant(t tenant.Tenant) *model.Tenant {
	out := &model.Tenant{ID: t.ID, Name: t.Name, InseeCode: optional(t.INSEE), Parent: optional(t.Parent),
		Colour: optional(t.Colour), AllowedOrigins: t.Origins, TrackingPrefix: t.Prefix, Members: r.Registry.Members(t.ID)}
	if out.AllowedOrigins == nil {
		out.AllowedOrigins = []string{}
	}
	if out.Members == nil {
		out.Members = []string{}
	}
	if t.Population > 0 {
		out.Population = &t.Population
	}
	if c := t.Contact; !c.IsZero() {
		out.Contact = &model.TenantContact{Phone: optional(c.Phone), Hours: optional(c.Hours), Email: optional(c.Email), URL: optional(c.URL)}
	}
	return out
}

// tenantError turns a refused declaration into a message for the administrator.
func tenantError(err error) error {
	switch {
	case errors.Is(err, tenant.ErrExists):
		return badInput("Cette collectivité est déjà déclarée : modifiez-la avec updateTenant.")
	case errors.Is(err, tenant.ErrUnknown):
		return badInput("Aucune collectivité ne porte cet identifiant : déclarez-la avec createTenant.")
	case errors.Is(err, tenant.ErrInvalid):
		return badInput("Collectivité refusée : " + strings.TrimPrefix(err.Error(), tenant.ErrInvalid.Error()+": ") + ".")
	}
	return err
}

// chatStartError turns a refused start into a message for the site's visitor
// (and its webmaster).
func chatStartError(err error) error {
	switch {
	case errors.Is(err, ingest.ErrUnknownTenant):
		return badInput("Cette collectivité n'est pas servie par cet assistant : vérifiez l'attribut data-tenant du widget.")
	case errors.Is(err, ingest.ErrCampaignElsewhere):
		return badInput("Ce lien de test est celui d'une campagne d'une autre collectivité : ouvrez-le sur le site indiqué dans votre invitation.")
	case errors.Is(err, ingest.ErrOriginNotAllowed):
		return &userError{CodeForbidden, "Ce site n'est pas autorisé à intégrer l'assistant de cette collectivité : l'administrateur doit l'ajouter à ses sites autorisés."}
	}
	return err
}
