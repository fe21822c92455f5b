// Package dsimplifiees delivers demandes to Démarches Simplifiées, the State's
// platform: a demande prefills a dossier of the town's démarche (public API,
// no token), the citizen finishes and files it there (with FranceConnect when
// the démarche asks for it), and its state is read through DS's GraphQL API
// with the town's token. What goes where (démarche, champs) comes from the
// town's configuration, read by package demandes/platform.
package dsimplifiees

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris without the system's zoneinfo

	"github.com/parvis-civic/parvis/demandes/connector"
)

// Config is how to reach Démarches Simplifiées and what the démarches look like.
type Config struct {
	BaseURL string        // https://www.demarches-simplifiees.fr, or another instance
	Token   string        // the GraphQL API token, for Status
	Timeout time.Duration // per request; 10 s when zero
	Kinds   map[string]Demarche
}

// Demarche is where a kind of demande goes: a démarche and the champ that
// each field prefills, by its stable id ("champ_" added when missing). An
// empty champ leaves the field out; files cannot be prefilled (the citizen
// adds them on DS).
type Demarche struct {
	ID           int // the démarche's number
	TrackingCode string
	FiledAt      string // a date champ
	Description  string
	Address      string
	Point        string // a text champ: "lat, lon"
	Email        string
	Phone        string
	Consent      string           // a checkbox or yes/no champ
	Extra        map[string]Champ // by the kind's field name
}

// Champ is a champ that an extra field of the kind prefills.
type Champ struct {
	ID   string
	Date bool // the value is a date, sent as YYYY-MM-DD
}

// Connector prefills dossiers and reads their state. It is safe for
// concurrent use.
type Connector struct {
	cfg    Config
	base   *url.URL
	client *http.Client
}

// New checks cfg and returns a Connector.
func New(cfg Config) (*Connector, error) {
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("dsimplifiees: base URL %q: want http(s)://host", cfg.BaseURL)
	}
	if cfg.Token == "" {
		return nil, errors.New("dsimplifiees: the API token is required to read dossiers' states")
	}
	if len(cfg.Kinds) == 0 {
		return nil, errors.New("dsimplifiees: no kind of demande mapped to a démarche")
	}
	for kind, d := range cfg.Kinds {
		if d.ID <= 0 || d.Description == "" {
			return nil, fmt.Errorf("dsimplifiees: kind %s: a démarche number and the description's champ are required", kind)
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	return &Connector{cfg: cfg, base: base, client: &http.Client{Timeout: cfg.Timeout}}, nil
}

// Name is "dsimplifiees".
func (c *Connector) Name() string { return "dsimplifiees" }

// Submit prefills a dossier: POST {base}/api/public/v1/demarches/<id>/dossiers.
// The Remote's URL is the dossier's prefill link, where the citizen finishes it.
func (c *Connector) Submit(ctx context.Context, s connector.Submission) (connector.Remote, error) {
	d, ok := c.cfg.Kinds[s.Kind]
	if !ok {
		return connector.Remote{}, fmt.Errorf("dsimplifiees: kind %q is mapped to no démarche", s.Kind)
	}
	champs, err := prefill(d, s)
	if err != nil {
		return connector.Remote{}, err
	}
	body, err := json.Marshal(champs)
	if err != nil {
		return connector.Remote{}, fmt.Errorf("dsimplifiees: encode the prefill: %w", err)
	}
	var ans struct {
		URL    string          `json:"dossier_url"`
		ID     string          `json:"dossier_id"`
		Number json.RawMessage `json:"dossier_number"`
	}
	path := "/api/public/v1/demarches/" + strconv.Itoa(d.ID) + "/dossiers"
	code, raw, err := c.call(ctx, path, body, nil)
	if err != nil {
		return connector.Remote{}, err
	}
	if code >= 400 {
		return connector.Remote{}, connector.Refused(code, fmt.Errorf("dsimplifiees: prefill of démarche %d refused (%d): %s", d.ID, code, restMessage(raw, code)))
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return connector.Remote{}, fmt.Errorf("dsimplifiees: prefill: unexpected answer: %w", err)
	}
	n, err := strconv.Atoi(strings.Trim(string(ans.Number), `"`))
	if err != nil || n <= 0 || ans.URL == "" {
		return connector.Remote{}, fmt.Errorf("dsimplifiees: prefill: the answer lacks dossier_number or dossier_url")
	}
	// The number, not the GraphQL id, is what dossier(number:) and the
	// instructeurs know.
	return connector.Remote{ID: strconv.Itoa(n), URL: ans.URL}, nil
}

// paris is where a demande's filing date is read: a demande filed at
// 00:30 in Montclar is of that day, not of the day before in UTC.
var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return l
}()

// champKey is the prefill key of a champ, whether the configuration gives it
// as DS's documentation shows ("champ_Q2hhbXAtMTI=") or as the bare stable id.
func champKey(id string) string {
	if strings.HasPrefix(id, "champ_") {
		return id
	}
	return "champ_" + id
}

func prefill(d Demarche, s connector.Submission) (map[string]any, error) {
	out := map[string]any{}
	set := func(champ string, v any) {
		if champ != "" {
			out[champKey(champ)] = v
		}
	}
	set(d.TrackingCode, s.TrackingCode)
	if !s.FiledAt.IsZero() {
		set(d.FiledAt, s.FiledAt.In(paris).Format(time.DateOnly))
	}
	set(d.Description, s.Description)
	if s.Address != "" {
		set(d.Address, s.Address)
	}
	if s.Point != nil {
		set(d.Point, strconv.FormatFloat(s.Point.Lat, 'f', -1, 64)+", "+strconv.FormatFloat(s.Point.Lon, 'f', -1, 64))
	}
	if s.Email != "" {
		set(d.Email, s.Email)
	}
	if s.Phone != "" {
		set(d.Phone, s.Phone)
	}
	// DS reads checkboxes and yes/no champs from "true" and "false".
	set(d.Consent, strconv.FormatBool(s.Consent))
	for name, v := range s.Extra {
		champ, ok := d.Extra[name]
		if !ok || v == "" {
			continue
		}
		if champ.Date {
			day, err := connector.ParseDate(v)
			if err != nil {
				return nil, fmt.Errorf("dsimplifiees: field %s: %w", name, err)
			}
			set(champ.ID, day)
			continue
		}
		set(champ.ID, v)
	}
	return out, nil
}

// restMessage is DS's own message in a refusal of its REST API, which writes
// {"error": "..."} or {"errors": ["..."]}.
func restMessage(raw []byte, code int) string {
	var e struct {
		Error  string            `json:"error"`
		Errors []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(raw, &e) == nil {
		if e.Error != "" {
			return e.Error
		}
		var msgs []string
		for _, m := range e.Errors {
			var s string
			if json.Unmarshal(m, &s) == nil {
				msgs = append(msgs, s)
				continue
			}
			var o struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(m, &o) == nil && o.Message != "" {
				msgs = append(msgs, o.Message)
			}
		}
		if len(msgs) > 0 {
			return strings.Join(msgs, " ; ")
		}
	}
	return http.StatusText(code)
}

// call POSTs a JSON body; header, when given, adds request headers.
func (c *Connector) call(ctx context.Context, path string, body []byte, header http.Header) (int, []byte, error) {
	u := *c.base
	u.Path += path
	req, err := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("dsimplifiees: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	code, raw, err := connector.Call(ctx, c.client, req, c.cfg.Timeout)
	if err != nil {
		return code, raw, fmt.Errorf("dsimplifiees: %w", err)
	}
	return code, raw, nil
}
