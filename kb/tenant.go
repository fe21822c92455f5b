package kb

// ForTenant returns the entries that answer a tenant's citizens, in order, each
// with its [Entry.Layer]: the tenant's own entries first, then its
// intercommunalité's (parent, "" for none) and those of every tenant, then the
// national ones. Entries of other tenants are left out.
func ForTenant(entries []Entry, tenant, parent string) []Entry {
	var out []Entry
	for _, e := range entries {
		switch {
		case e.Tenant == tenant && tenant != "":
			e.Layer = 0
		case e.Tenant == "" || (parent != "" && e.Tenant == parent):
			e.Layer = 1
		default:
			continue
		}
		if e.National {
			e.Layer = 2
		}
		out = append(out, e)
	}
	return out
}

// Provenance says who stands behind an entry, for the margins that only
// entries of one provenance make doubtful (the bot's confidence, mining's close
// calls): the tenants' own entries are one (a commune's and its
// intercommunalité's answer for the same local services), the others go by
// their source (the town's own file, service-public.fr).
func Provenance(tenant, source string) string {
	if tenant != "" {
		return "\x00tenants"
	}
	return source
}
