package tenant

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// file is the YAML form of `parvis serve --tenants FILE`:
//
//	tenants:
//	  - id: cc-val-de-leze
//	    name: Communauté de communes du Val de Lèze
//	    insee: "200099999"
//	    prefix: VDL
//	  - id: montclar
//	    name: Ville de Montclar
//	    parent: cc-val-de-leze
//	    origins: [https://www.montclar.fr]
//	    prefix: MTC
//	    contact:
//	      phone: 05 61 00 00 00
//	      hours: du lundi au vendredi, de 8 h 30 à 17 h
//	      email: accueil@montclar.fr
//	      url: https://www.montclar.fr/contact
type file struct {
	Tenants []yaml.Node `yaml:"tenants"`
}

// Load reads a tenants file; every problem is reported with the file, the line
// and the field.
func Load(path string) ([]Tenant, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tenant: %w", err)
	}
	return Parse(path, b)
}

// Parse reads the tenants of a YAML document named name (for its errors).
func Parse(name string, b []byte) ([]Tenant, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("tenant: %s: %w", name, err)
	}
	if len(f.Tenants) == 0 {
		return nil, fmt.Errorf("tenant : %s : aucune collectivité (attendu : une liste sous tenants:)", name)
	}
	var out []Tenant
	var errs []error
	seen := map[string]int{}
	for _, n := range f.Tenants {
		var t Tenant
		if err := n.Decode(&t); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %v", name, n.Line, err))
			continue
		}
		t = t.normal()
		if err := t.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %s", name, n.Line, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")))
			continue
		}
		if line, dup := seen[t.ID]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: id %q : déclaré deux fois (la première à la ligne %d)", name, n.Line, t.ID, line))
			continue
		}
		seen[t.ID] = n.Line
		out = append(out, t)
	}
	// Parents and prefixes are checked within the file, so that a wrong file
	// stops the start instead of half of it being declared.
	prefixes := map[string]string{}
	for _, t := range out {
		if t.Parent != "" {
			if _, ok := seen[t.Parent]; !ok {
				errs = append(errs, fmt.Errorf("%s:%d: parent %q : aucune collectivité du fichier ne porte cet identifiant", name, seen[t.ID], t.Parent))
			}
		}
		if other, ok := prefixes[t.Prefix]; ok {
			errs = append(errs, fmt.Errorf("%s:%d: prefix %q : déjà le préfixe de %q", name, seen[t.ID], t.Prefix, other))
		}
		prefixes[t.Prefix] = t.ID
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("tenant : %d problème(s) :\n%w", len(errs), err)
	}
	return out, nil
}

//go:embed demo.yaml
var demoYAML []byte

// Demo returns the demo's tenants: the towns of Montclar and Saint-Aubin-sur-Lèze
// and their communauté de communes.
func Demo() []Tenant {
	ts, err := Parse("demo.yaml", demoYAML)
	if err != nil {
		panic(err) // embedded and tested
	}
	return ts
}
