// Package tenant holds the tenants of a deployment: the communes and the
// intercommunalité (EPCI) they belong to, each with its name, INSEE code,
// population, colour, the sites allowed to embed its widget, the prefix of
// its tracking codes and how its citizens reach a person.
//
// Tenants are declared as events on the audit topic ([events.TenantDeclared]):
// an administrator's createTenant or updateTenant, a file given to
// `parvis serve --tenants`, or the demo's. Every process follows the topic into
// a [Registry]. The registry also turns what a principal is scoped to into the
// [Scope] of tenants it may see: a commune sees itself, an intercommunalité
// itself and its member communes, the platform everything. Every read of the
// projections takes a Scope, and refuses the zero one.
package tenant

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/parvis-civic/parvis/events"
)

// Tenant is a commune or an intercommunalité.
type Tenant struct {
	ID         string   `yaml:"id"`         // slug: montclar
	Name       string   `yaml:"name"`       // Ville de Montclar
	INSEE      string   `yaml:"insee"`      // a commune's INSEE code (5), an EPCI's SIREN (9)
	Parent     string   `yaml:"parent"`     // the intercommunalité of a commune; empty for an EPCI or a lone commune
	Population int      `yaml:"population"` // inhabitants
	Colour     string   `yaml:"colour"`     // #rrggbb, for its pages
	Origins    []string `yaml:"origins"`    // sites allowed to embed its widget (https://www.ville.fr)
	Prefix     string   `yaml:"prefix"`     // three capital letters starting its tracking codes: MTC
	Contact    Contact  `yaml:"contact"`    // how its citizens reach a person
}

// Contact is how a tenant's citizens reach a person at its front desk: the
// assistant gives it to whoever asks for a person and with every reply it
// cannot answer, unless the knowledge base has its own entry for that.
type Contact struct {
	Phone string `yaml:"phone"` // 05 61 00 00 00
	Email string `yaml:"email"` // accueil@ville.fr
	URL   string `yaml:"url"`   // the contact form: https://www.ville.fr/contact
	Hours string `yaml:"hours"` // du lundi au vendredi, de 8 h 30 à 17 h
}

// IsZero reports a tenant that gave no contact.
func (c Contact) IsZero() bool { return c == Contact{} }

// Sentence is the contact as the assistant says it, for the tenant named name.
func (c Contact) Sentence(name string) string {
	var ways []string
	if c.Phone != "" {
		phone := "par téléphone au " + c.Phone
		if c.Hours != "" {
			phone += " (" + c.Hours + ")"
		}
		ways = append(ways, phone)
	}
	if c.Email != "" {
		ways = append(ways, "par courriel à "+c.Email)
	}
	if c.URL != "" {
		ways = append(ways, "par son formulaire de contact : "+c.URL)
	}
	if len(ways) == 0 {
		return ""
	}
	if len(ways) > 1 {
		ways[len(ways)-2] += " ou " + ways[len(ways)-1]
		ways = ways[:len(ways)-1]
	}
	return "Contactez l'accueil (" + name + ") : " + strings.Join(ways, ", ") + "."
}

// ErrInvalid is a tenant that cannot be declared; the error says which field
// is wrong and why.
var ErrInvalid = errors.New("tenant: invalid")

var (
	slug   = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)
	insee  = regexp.MustCompile(`^(?:[0-9]{2}|2A|2B)[0-9]{3}$|^[0-9]{9}$`)
	colour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	prefix = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Validate checks a tenant on its own; [Registry.Check] checks it against the
// others (parent, prefix).
func (t Tenant) Validate() error {
	var errs []string
	if !slug.MatchString(t.ID) {
		errs = append(errs, fmt.Sprintf("id %q : lettres minuscules, chiffres et tirets, de 1 à 64 (comme saint-aubin-sur-leze)", t.ID))
	}
	if n := len([]rune(strings.TrimSpace(t.Name))); n == 0 || n > 120 {
		errs = append(errs, "name : de 1 à 120 caractères")
	}
	if t.INSEE != "" && !insee.MatchString(t.INSEE) {
		errs = append(errs, fmt.Sprintf("insee %q : le code INSEE d'une commune (5 caractères : 31360, 2A004) ou le SIREN d'une intercommunalité (9 chiffres)", t.INSEE))
	}
	if t.Parent != "" && (t.Parent == t.ID || !slug.MatchString(t.Parent)) {
		errs = append(errs, fmt.Sprintf("parent %q : l'identifiant d'une autre collectivité, son intercommunalité", t.Parent))
	}
	if t.Population < 0 || t.Population > 100_000_000 {
		errs = append(errs, fmt.Sprintf("population %d : 0 ou plus", t.Population))
	}
	if t.Colour != "" && !colour.MatchString(t.Colour) {
		errs = append(errs, fmt.Sprintf("colour %q : #rrggbb", t.Colour))
	}
	for _, o := range t.Origins {
		if !validOrigin(o) {
			errs = append(errs, fmt.Sprintf("origins : %q n'est pas l'origine d'un site comme https://www.ville.fr (schéma et hôte, sans chemin)", o))
		}
	}
	errs = append(errs, t.Contact.problems()...)
	if !prefix.MatchString(t.Prefix) {
		errs = append(errs, fmt.Sprintf("prefix %q : trois lettres majuscules (comme MTC)", t.Prefix))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

var (
	// A national or short number, or an international one, « (0) » included
	// as many towns print it: +33 (0)5 61 00 00 00.
	phone = regexp.MustCompile(`^(?:\+[0-9]{1,3} ?(?:\(0\) ?)?)?[0-9][0-9 .-]{2,18}[0-9]$`)
	email = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// problems says what is wrong with a contact, field by field.
func (c Contact) problems() []string {
	var errs []string
	if c.Phone != "" && !phone.MatchString(c.Phone) {
		errs = append(errs, fmt.Sprintf("contact.phone %q : un numéro tel qu'on le compose (05 61 00 00 00, 3939, +33 5 61 00 00 00)", c.Phone))
	}
	if c.Email != "" && (len(c.Email) > 254 || !email.MatchString(c.Email)) {
		errs = append(errs, fmt.Sprintf("contact.email %q : une adresse comme accueil@ville.fr", c.Email))
	}
	if c.URL != "" {
		if u, err := url.Parse(c.URL); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(c.URL) > 500 ||
			strings.ContainsFunc(c.URL, unicode.IsSpace) {
			errs = append(errs, fmt.Sprintf("contact.url %q : la page de son formulaire de contact, https://… (500 caractères au plus)", c.URL))
		}
	}
	if n := len([]rune(c.Hours)); n > 120 {
		errs = append(errs, fmt.Sprintf("contact.hours : %d caractères, 120 au plus", n))
	}
	if strings.ContainsFunc(c.Hours, unicode.IsControl) {
		errs = append(errs, "contact.hours : une seule ligne, sans caractère de contrôle")
	}
	if c.Hours != "" && c.Phone == "" {
		errs = append(errs, "contact.hours : les horaires d'une ligne téléphonique : donnez aussi contact.phone")
	}
	return errs
}

func validOrigin(o string) bool {
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.Path == "" &&
		u.RawQuery == "" && u.User == nil && u.Fragment == ""
}

// AllowsOrigin reports whether a browser page of origin may start a
// conversation with this tenant's widget.
func (t Tenant) AllowsOrigin(origin string) bool {
	origin = strings.TrimRight(origin, "/")
	for _, o := range t.Origins {
		if strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			return true
		}
	}
	return false
}

// normal trims what a person typed around the values.
func (t Tenant) normal() Tenant {
	t.ID, t.Name, t.Parent = strings.TrimSpace(t.ID), strings.TrimSpace(t.Name), strings.TrimSpace(t.Parent)
	t.INSEE, t.Colour, t.Prefix = strings.TrimSpace(t.INSEE), strings.TrimSpace(t.Colour), strings.TrimSpace(t.Prefix)
	c := &t.Contact
	c.Phone, c.Email, c.URL, c.Hours = strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email), strings.TrimSpace(c.URL), strings.TrimSpace(c.Hours)
	// A number copied from a web page has no-break spaces between its pairs
	// of digits: the same number, which the check would refuse.
	c.Phone = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, c.Phone)
	origins := make([]string, 0, len(t.Origins))
	for _, o := range t.Origins {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			origins = append(origins, o)
		}
	}
	t.Origins = origins
	return t
}

// Wire returns the tenant as it travels on the log.
func (t Tenant) Wire() events.Tenant {
	w := events.Tenant{ID: t.ID, Name: t.Name, INSEE: t.INSEE, Parent: t.Parent, Population: t.Population,
		Colour: t.Colour, Origins: t.Origins, Prefix: t.Prefix}
	if !t.Contact.IsZero() {
		w.Contact = &events.Contact{Phone: t.Contact.Phone, Email: t.Contact.Email, URL: t.Contact.URL, Hours: t.Contact.Hours}
	}
	return w
}

// FromWire returns the tenant of a [events.TenantDeclared].
func FromWire(w events.Tenant) Tenant {
	t := Tenant{ID: w.ID, Name: w.Name, INSEE: w.INSEE, Parent: w.Parent, Population: w.Population,
		Colour: w.Colour, Origins: w.Origins, Prefix: w.Prefix}
	if w.Contact != nil {
		t.Contact = Contact{Phone: w.Contact.Phone, Email: w.Contact.Email, URL: w.Contact.URL, Hours: w.Contact.Hours}
	}
	return t
}

func (t Tenant) equal(o Tenant) bool {
	return t.ID == o.ID && t.Name == o.Name && t.INSEE == o.INSEE && t.Parent == o.Parent &&
		t.Population == o.Population && t.Colour == o.Colour && t.Prefix == o.Prefix && t.Contact == o.Contact &&
		strings.Join(t.Origins, " ") == strings.Join(o.Origins, " ")
}
