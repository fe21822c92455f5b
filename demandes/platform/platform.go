// Package platform reads the file that connects a town's service platform to
// Parvis (Publik or Démarches Simplifiées) and builds its connector. One file,
// one platform: which one, where it is, which environment variables hold its
// secrets, and for each kind of demande where it goes (a w.c.s. form or a DS
// démarche) and which field takes each of the demande's fields. Every problem
// is reported with its line, all at once, when Parvis starts: a kind left
// unmapped fails there, not at its first demande.
package platform

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/demandes/dsimplifiees"
	"github.com/parvis-civic/parvis/demandes/publik"
)

// Platforms are the values of the file's "platform".
const (
	Publik       = "publik"
	DSimplifiees = "dsimplifiees"
)

// file is the configuration file's format.
type file struct {
	Platform string        `yaml:"platform"`
	BaseURL  string        `yaml:"base_url"`
	Timeout  time.Duration `yaml:"timeout"`

	// Publik
	Orig         string            `yaml:"orig"`
	KeyEnv       string            `yaml:"key_env"`
	Channel      string            `yaml:"channel"`
	Timezone     string            `yaml:"timezone"`
	MessageField string            `yaml:"message_field"`
	Statuses     map[string]string `yaml:"statuses"`
	Callbacks    []callback        `yaml:"callbacks"`

	// Démarches Simplifiées
	TokenEnv string `yaml:"token_env"`

	Kinds map[string]kind `yaml:"kinds"`
}

type callback struct {
	Orig   string `yaml:"orig"`
	KeyEnv string `yaml:"key_env"`
}

type kind struct {
	Form     string           `yaml:"form"`     // Publik: the form's slug
	Demarche int              `yaml:"demarche"` // DS: the démarche's number
	Fields   fields           `yaml:"fields"`
	Extra    map[string]extra `yaml:"extra"`
}

// fields name, for each field of a demande, the platform's field: a w.c.s.
// varname or a DS champ's stable id.
type fields struct {
	TrackingCode string `yaml:"tracking_code"`
	FiledAt      string `yaml:"filed_at"`
	Description  string `yaml:"description"`
	Address      string `yaml:"address"`
	Point        string `yaml:"point"`
	Photo        string `yaml:"photo"`
	Email        string `yaml:"email"`
	Phone        string `yaml:"phone"`
	Consent      string `yaml:"consent"`
}

// extra is the platform's field for an extra field of a kind: its name alone
// ("nombre_objets") or {field: date_collecte, date: true}.
type extra struct {
	Field string
	Date  bool
}

func (e *extra) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&e.Field)
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: an extra field is a field name or {field: NAME, date: true}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "field":
			err = v.Decode(&e.Field)
		case "date":
			err = v.Decode(&e.Date)
		default:
			err = fmt.Errorf("line %d: field %s not found (field, date)", k.Line, k.Value)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Load reads the configuration file at path, takes the secrets from the
// environment variables it names, and returns the platform's connector: a
// *publik.Connector or a *dsimplifiees.Connector. Each of kinds must be
// mapped in the file.
func Load(path string, kinds ...string) (connector.Connector, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("platform: %w", err)
	}
	return Parse(path, data, os.Getenv, kinds...)
}

// Parse is [Load] on the file's content, named name in errors, with getenv
// for the environment.
func Parse(name string, data []byte, getenv func(string) string, kinds ...string) (connector.Connector, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("platform: %s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("platform: %s: empty file", name)
	}
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, decodeError(name, err)
	}
	c := check{name: name, root: root.Content[0]}
	var conn connector.Connector
	switch f.Platform {
	case Publik:
		conn = c.publik(f, getenv)
	case DSimplifiees:
		conn = c.dsimplifiees(f, getenv)
	case "":
		c.fail([]string{}, "platform is required: publik or dsimplifiees")
	default:
		c.fail([]string{"platform"}, "platform %q: want publik or dsimplifiees", f.Platform)
	}
	for _, k := range kinds {
		if _, ok := f.Kinds[k]; !ok {
			c.fail([]string{"kinds"}, "kind %s is offered to citizens but mapped to no %s: add it under kinds", k, target(f.Platform))
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return conn, nil
}

// yamlLine is how the YAML decoder locates a problem: "line 12: ...".
var yamlLine = regexp.MustCompile(`line (\d+): `)

// decodeError turns the YAML decoder's errors into one line each, located as
// the other problems are ("file:12: ..."), without Go's type names.
func decodeError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var out []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if m := yamlLine.FindStringSubmatchIndex(l); m != nil && m[0] == 0 {
			l = name + ":" + l[m[2]:m[3]] + ": " + l[m[1]:]
		} else {
			l = name + ": " + l
		}
		if i := strings.Index(l, " in type platform."); i >= 0 {
			l = l[:i] + " in the mapping"
		}
		out = append(out, l)
	}
	return errors.New("platform: " + strings.Join(out, "\nplatform: "))
}

func target(platform string) string {
	if platform == DSimplifiees {
		return "démarche"
	}
	return "form"
}

// check gathers the file's problems with their lines.
type check struct {
	name     string
	root     *yaml.Node
	problems []string
}

func (c *check) fail(path []string, format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf("%s:%d: %s", c.name, lineOf(c.root, path), fmt.Sprintf(format, args...)))
}

func (c *check) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	sort.SliceStable(c.problems, func(i, j int) bool { return lineNumber(c.problems[i]) < lineNumber(c.problems[j]) })
	return errors.New("platform: " + strings.Join(c.problems, "\nplatform: "))
}

func lineNumber(problem string) int {
	var n int
	if i := strings.Index(problem, ":"); i >= 0 {
		fmt.Sscanf(problem[i+1:], "%d", &n)
	}
	return n
}

// lineOf is the line of the deepest key of path found in the document.
func lineOf(n *yaml.Node, path []string) int {
	line := n.Line
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			break
		}
	}
	return line
}

func (c *check) common(f file) {
	u, err := url.Parse(f.BaseURL)
	switch {
	case f.BaseURL == "":
		c.fail(nil, "base_url is required")
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		c.fail([]string{"base_url"}, "base_url %q: want https://host", f.BaseURL)
	case u.Scheme == "http" && !loopback(u.Hostname()):
		c.fail([]string{"base_url"}, "base_url %q: https is required beyond this machine", f.BaseURL)
	}
	if f.Timeout < 0 || f.Timeout > 2*time.Minute {
		c.fail([]string{"timeout"}, "timeout %s: want at most 2m (10s when absent)", f.Timeout)
	}
	if len(f.Kinds) == 0 {
		c.fail(nil, "kinds is required: the kinds of demande and where each goes")
	}
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// secret is the value of the environment variable named at path.
func (c *check) secret(path []string, env string, getenv func(string) string) string {
	if env == "" {
		c.fail(path[:len(path)-1], "%s is required: the name of the environment variable that holds the secret", path[len(path)-1])
		return ""
	}
	v := strings.TrimSpace(getenv(env))
	if v == "" {
		c.fail(path, "the environment variable %s is empty or unset", env)
	}
	return v
}

// notFor reports the keys of the other platform.
func (c *check) notFor(platform string, keys map[string]bool) {
	for k, set := range keys {
		if set {
			c.fail([]string{k}, "%s does not apply to %s", k, platform)
		}
	}
}

func (c *check) publik(f file, getenv func(string) string) connector.Connector {
	c.common(f)
	c.notFor("publik", map[string]bool{"token_env": f.TokenEnv != ""})
	cfg := publik.Config{
		BaseURL:      f.BaseURL,
		Orig:         f.Orig,
		Timeout:      f.Timeout,
		Channel:      f.Channel,
		MessageField: f.MessageField,
		Statuses:     map[string]connector.Status{},
		Callers:      map[string]string{},
		Kinds:        map[string]publik.Form{},
	}
	if f.Orig == "" {
		c.fail(nil, "orig is required: the name w.c.s. knows Parvis by (its api-secrets entry)")
	}
	cfg.Key = c.secret([]string{"key_env"}, f.KeyEnv, getenv)
	if f.Timezone != "" {
		loc, err := time.LoadLocation(f.Timezone)
		if err != nil {
			c.fail([]string{"timezone"}, "timezone %q: %v", f.Timezone, err)
		}
		cfg.Location = loc
	}
	for k, v := range f.Statuses {
		s := connector.Status(strings.ToUpper(strings.TrimSpace(v)))
		switch s {
		case connector.Recue, connector.EnCours, connector.Traitee, connector.Rejetee:
			cfg.Statuses[k] = s
		default:
			c.fail([]string{"statuses", k}, "status %q: %q is not RECUE, EN_COURS, TRAITEE or REJETEE", k, v)
		}
	}
	for i, cb := range f.Callbacks {
		if cb.Orig == "" {
			c.fail([]string{"callbacks"}, "callbacks[%d]: orig is required (the w.c.s. host name)", i)
		}
		cfg.Callers[cb.Orig] = c.secret([]string{"callbacks", "key_env"}, cb.KeyEnv, getenv)
	}
	for name, k := range f.Kinds {
		at := []string{"kinds", name}
		if k.Form == "" {
			c.fail(at, "kind %s: form is required (the form's slug in w.c.s.)", name)
		}
		if k.Demarche != 0 {
			c.fail(append(at, "demarche"), "kind %s: demarche does not apply to publik", name)
		}
		if k.Fields.Description == "" {
			c.fail(append(at, "fields"), "kind %s: fields.description is required (the varname of the description)", name)
		}
		form := publik.Form{
			Slug: k.Form, TrackingCode: k.Fields.TrackingCode, FiledAt: k.Fields.FiledAt,
			Description: k.Fields.Description, Address: k.Fields.Address, Point: k.Fields.Point,
			Photo: k.Fields.Photo, Email: k.Fields.Email, Phone: k.Fields.Phone, Consent: k.Fields.Consent,
			Extra: map[string]publik.Field{},
		}
		for field, e := range k.Extra {
			if e.Field == "" {
				c.fail(append(at, "extra", field), "kind %s: extra field %s names no varname", name, field)
			}
			form.Extra[field] = publik.Field{Varname: e.Field, Date: e.Date}
		}
		cfg.Kinds[name] = form
	}
	if len(c.problems) > 0 {
		return nil
	}
	conn, err := publik.New(cfg)
	if err != nil {
		c.fail(nil, "%v", err)
		return nil
	}
	return conn
}

func (c *check) dsimplifiees(f file, getenv func(string) string) connector.Connector {
	c.common(f)
	c.notFor("dsimplifiees", map[string]bool{
		"orig": f.Orig != "", "key_env": f.KeyEnv != "", "channel": f.Channel != "", "timezone": f.Timezone != "",
		"message_field": f.MessageField != "", "statuses": len(f.Statuses) > 0, "callbacks": len(f.Callbacks) > 0,
	})
	cfg := dsimplifiees.Config{BaseURL: f.BaseURL, Timeout: f.Timeout, Kinds: map[string]dsimplifiees.Demarche{}}
	cfg.Token = c.secret([]string{"token_env"}, f.TokenEnv, getenv)
	for name, k := range f.Kinds {
		at := []string{"kinds", name}
		if k.Demarche <= 0 {
			c.fail(at, "kind %s: demarche is required (the démarche's number)", name)
		}
		if k.Form != "" {
			c.fail(append(at, "form"), "kind %s: form does not apply to dsimplifiees", name)
		}
		if k.Fields.Description == "" {
			c.fail(append(at, "fields"), "kind %s: fields.description is required (the champ's stable id)", name)
		}
		if k.Fields.Photo != "" {
			c.fail(append(at, "fields", "photo"), "kind %s: Démarches Simplifiées cannot prefill a file: the citizen adds the photo on the dossier", name)
		}
		d := dsimplifiees.Demarche{
			ID: k.Demarche, TrackingCode: k.Fields.TrackingCode, FiledAt: k.Fields.FiledAt,
			Description: k.Fields.Description, Address: k.Fields.Address, Point: k.Fields.Point,
			Email: k.Fields.Email, Phone: k.Fields.Phone, Consent: k.Fields.Consent,
			Extra: map[string]dsimplifiees.Champ{},
		}
		for field, e := range k.Extra {
			if e.Field == "" {
				c.fail(append(at, "extra", field), "kind %s: extra field %s names no champ", name, field)
			}
			d.Extra[field] = dsimplifiees.Champ{ID: e.Field, Date: e.Date}
		}
		cfg.Kinds[name] = d
	}
	if len(c.problems) > 0 {
		return nil
	}
	conn, err := dsimplifiees.New(cfg)
	if err != nil {
		c.fail(nil, "%v", err)
		return nil
	}
	return conn
}
