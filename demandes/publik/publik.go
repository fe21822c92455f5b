// Package publik delivers demandes to a town's Publik, through the web-service
// API of its forms engine, w.c.s.: a demande becomes a form (« demande »)
// submitted with a signed call, its status is read back from the form's
// workflow, and the calls a w.c.s. workflow makes to Parvis are checked by a
// [Verifier]. What goes where (form slug, field varnames, status names) comes
// from the town's configuration, read by package demandes/platform.
package publik

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // w.c.s. writes local times without a zone: Europe/Paris must be known without the system's zoneinfo

	"github.com/parvis-civic/parvis/demandes/connector"
)

// Config is how to reach a w.c.s. and what its forms look like.
type Config struct {
	BaseURL string        // e.g. https://demarches.montclar.fr
	Orig    string        // Parvis's name for w.c.s., e.g. parvis.montclar.fr
	Key     string        // the key shared with w.c.s. for Orig
	Timeout time.Duration // per request; 10 s when zero
	Channel string        // the submission channel; "web" when empty
	// Location is the time zone of w.c.s.'s dates; Europe/Paris when nil.
	Location *time.Location
	// Statuses maps a workflow status, by id (e.g. "wf-new", "3") or by name
	// (e.g. « Pris en charge »), to a Parvis status; it is consulted before
	// the default names (see [DefaultStatuses]).
	Statuses map[string]connector.Status
	// MessageField is the varname of a back-office field of the workflow that
	// holds the public message to the citizen; none when empty.
	MessageField string
	// Callers are the origins whose signed calls [Connector.Verifier]
	// accepts, with their key: orig → key. When empty, the w.c.s. of BaseURL
	// (its host name as orig) with Key.
	Callers map[string]string
	Kinds   map[string]Form // by Parvis kind
}

// Form is where a kind of demande goes: a form and the varname of each field.
// An empty varname leaves the field out.
type Form struct {
	Slug         string
	TrackingCode string // the Parvis tracking code
	FiledAt      string // a date field: YYYY-MM-DD
	Description  string
	Address      string
	Point        string // a map field: {"lat", "lon"}
	Photo        string // a file field
	Email        string
	Phone        string
	Consent      string           // a checkbox
	Extra        map[string]Field // by the kind's field name
}

// Field is a form field that an extra field of the kind fills.
type Field struct {
	Varname string
	Date    bool // the value is a date, sent as YYYY-MM-DD
}

// Connector submits demandes to one w.c.s. It is safe for concurrent use.
type Connector struct {
	cfg      Config
	base     *url.URL
	client   *http.Client
	now      func() time.Time
	nonce    func() string
	verifier *Verifier
}

// New checks cfg and returns a Connector.
func New(cfg Config) (*Connector, error) {
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("publik: base URL %q: want http(s)://host", cfg.BaseURL)
	}
	if cfg.Orig == "" || cfg.Key == "" {
		return nil, errors.New("publik: orig and key are required to sign calls")
	}
	if len(cfg.Kinds) == 0 {
		return nil, errors.New("publik: no kind of demande mapped to a form")
	}
	for kind, f := range cfg.Kinds {
		if f.Slug == "" || f.Description == "" {
			return nil, fmt.Errorf("publik: kind %s: a form slug and the description's varname are required", kind)
		}
	}
	for k, s := range cfg.Statuses {
		if !knownStatus(s) {
			return nil, fmt.Errorf("publik: status %q: %q is not a Parvis status (RECUE, EN_COURS, TRAITEE, REJETEE)", k, s)
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Channel == "" {
		cfg.Channel = "web"
	}
	if cfg.Location == nil {
		cfg.Location, _ = time.LoadLocation("Europe/Paris")
	}
	callers := cfg.Callers
	if len(callers) == 0 {
		callers = map[string]string{base.Hostname(): cfg.Key}
	}
	return &Connector{
		cfg:      cfg,
		base:     base,
		client:   &http.Client{Timeout: cfg.Timeout},
		now:      time.Now,
		nonce:    newNonce,
		verifier: NewVerifier(callers),
	}, nil
}

// Verifier checks the signed calls that this w.c.s.'s workflows send to
// Parvis (see [Config.Callers]).
func (c *Connector) Verifier() *Verifier { return c.verifier }

// Name is "publik".
func (c *Connector) Name() string { return "publik" }

// Submit files s as a new form: POST {base}/api/formdefs/<slug>/submit.
func (c *Connector) Submit(ctx context.Context, s connector.Submission) (connector.Remote, error) {
	form, ok := c.cfg.Kinds[s.Kind]
	if !ok {
		return connector.Remote{}, fmt.Errorf("publik: kind %q is mapped to no form", s.Kind)
	}
	data, err := c.formData(form, s)
	if err != nil {
		return connector.Remote{}, err
	}
	body, err := json.Marshal(map[string]any{
		"data":    data,
		"context": map[string]any{"channel": c.cfg.Channel},
	})
	if err != nil {
		return connector.Remote{}, fmt.Errorf("publik: encode the submission: %w", err)
	}
	var ans struct {
		Data struct {
			ID     json.RawMessage `json:"id"`
			URL    string          `json:"url"`
			APIURL string          `json:"api_url"`
		} `json:"data"`
	}
	if err := c.call(ctx, http.MethodPost, "/api/formdefs/"+url.PathEscape(form.Slug)+"/submit", body, &ans); err != nil {
		return connector.Remote{}, err
	}
	id := jsonID(ans.Data.ID)
	if id == "" {
		return connector.Remote{}, errors.New("publik: submit: the answer carries no form id")
	}
	// The id alone does not find a form: Status needs the slug too.
	return connector.Remote{ID: form.Slug + "/" + id, URL: ans.Data.URL}, nil
}

// Find looks for the form filed with s's tracking code: GET
// {base}/api/forms/<slug>/list?filter-<varname>=<code>&full=on. A form without a
// tracking-code field cannot be found: it is not looked for.
func (c *Connector) Find(ctx context.Context, s connector.Submission) (connector.Remote, bool, error) {
	form, ok := c.cfg.Kinds[s.Kind]
	if !ok || form.TrackingCode == "" {
		return connector.Remote{}, false, nil
	}
	q := url.Values{"filter-" + form.TrackingCode: {s.TrackingCode}, "full": {"on"}}
	var raw json.RawMessage
	if err := c.callQuery(ctx, http.MethodGet, "/api/forms/"+url.PathEscape(form.Slug)+"/list", q, nil, &raw); err != nil {
		return connector.Remote{}, false, err
	}
	// w.c.s. answers a bare list, or {"err": 0, "data": [...]} in recent versions.
	type item struct {
		ID     json.RawMessage `json:"id"`
		URL    string          `json:"url"`
		Fields map[string]any  `json:"fields"`
	}
	var items []item
	if json.Unmarshal(raw, &items) != nil {
		var wrapped struct {
			Data []item `json:"data"`
		}
		if err := json.Unmarshal(raw, &wrapped); err != nil {
			return connector.Remote{}, false, &connector.TemporaryError{Err: fmt.Errorf("publik: list: %w", err)}
		}
		items = wrapped.Data
	}
	// A w.c.s. that does not filter on that field lists every form: only one
	// whose field holds the code is the demande's.
	for _, it := range items {
		if id := jsonID(it.ID); id != "" && fmt.Sprint(it.Fields[form.TrackingCode]) == s.TrackingCode {
			return connector.Remote{ID: form.Slug + "/" + id, URL: it.URL}, true, nil
		}
	}
	return connector.Remote{}, false, nil
}

// jsonID reads an id that w.c.s. writes as a string ("12") or, in older
// versions, as a number.
func jsonID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// formData is the form's "data": Submission fields under their varnames.
func (c *Connector) formData(f Form, s connector.Submission) (map[string]any, error) {
	d := map[string]any{}
	set := func(varname string, v any) {
		if varname != "" {
			d[varname] = v
		}
	}
	set(f.TrackingCode, s.TrackingCode)
	if !s.FiledAt.IsZero() {
		set(f.FiledAt, s.FiledAt.In(c.cfg.Location).Format(time.DateOnly))
	}
	set(f.Description, s.Description)
	if s.Address != "" {
		set(f.Address, s.Address)
	}
	if s.Point != nil {
		set(f.Point, map[string]float64{"lat": s.Point.Lat, "lon": s.Point.Lon})
	}
	if s.Photo != nil {
		set(f.Photo, map[string]string{
			"filename":     s.Photo.Name,
			"content_type": s.Photo.ContentType,
			"content":      base64.StdEncoding.EncodeToString(s.Photo.Content),
		})
	}
	if s.Email != "" {
		set(f.Email, s.Email)
	}
	if s.Phone != "" {
		set(f.Phone, s.Phone)
	}
	set(f.Consent, s.Consent)
	for name, v := range s.Extra {
		field, ok := f.Extra[name]
		if !ok || v == "" {
			continue
		}
		if field.Date {
			day, err := connector.ParseDate(v)
			if err != nil {
				return nil, fmt.Errorf("publik: field %s: %w", name, err)
			}
			set(field.Varname, day)
			continue
		}
		set(field.Varname, v)
	}
	return d, nil
}

// call sends a signed request and decodes w.c.s.'s answer into out; an answer
// with "err" ≠ 0 or a 4xx is a refusal carrying w.c.s.'s own "err_desc".
func (c *Connector) call(ctx context.Context, method, path string, body []byte, out any) error {
	return c.callQuery(ctx, method, path, nil, body, out)
}

// callQuery is [Connector.call] with query parameters, signed with the rest.
func (c *Connector) callQuery(ctx context.Context, method, path string, query url.Values, body []byte, out any) error {
	u := *c.base
	u.Path += path
	u.RawQuery = signQuery(query.Encode(), c.cfg.Orig, []byte(c.cfg.Key), c.now(), c.nonce())
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("publik: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	code, ans, err := connector.Call(ctx, c.client, req, c.cfg.Timeout)
	if err != nil {
		return fmt.Errorf("publik: %w", err)
	}
	var e struct {
		Err     json.RawMessage `json:"err"`
		ErrDesc string          `json:"err_desc"`
	}
	jsonErr := json.Unmarshal(ans, &e)
	failed := len(e.Err) > 0 && string(e.Err) != "0" && string(e.Err) != "false" && string(e.Err) != "null"
	switch {
	case code >= 400 || failed:
		msg := e.ErrDesc
		if msg == "" {
			msg = strings.TrimSpace(string(ans))
			if len(msg) > 200 || jsonErr != nil {
				msg = http.StatusText(code)
			}
		}
		return connector.Refused(code, fmt.Errorf("publik: %s %s refused (%d): %s", method, path, code, msg))
	case jsonErr != nil:
		return fmt.Errorf("publik: %s %s: the answer is not JSON: %w", method, path, jsonErr)
	}
	if err := json.Unmarshal(ans, out); err != nil {
		return fmt.Errorf("publik: %s %s: unexpected answer: %w", method, path, err)
	}
	return nil
}
