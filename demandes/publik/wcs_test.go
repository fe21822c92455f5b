package publik

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
)

// fakeWcs is a w.c.s. as its API behaves for Parvis: it checks the signature
// as wcs/api_utils.py does (written here apart from the package's own code),
// checks the submitted data against the form's fields and their types,
// stores forms and answers their status with the workflow's.
type fakeWcs struct {
	t      *testing.T
	srv    *httptest.Server
	keys   map[string]string // orig → key
	fields map[string]string // varname → type: string, date, file, map, bool

	mu     sync.Mutex
	now    time.Time
	nonces map[string]bool
	forms  map[string]*wcsForm
	fail   *wcsFailure
	hang   chan struct{}
	calls  []string // raw URLs received
}

type wcsForm struct {
	data   map[string]any
	status map[string]any
	real   map[string]any
	fields map[string]any
	update string
}

type wcsFailure struct {
	code int
	msg  string
}

const wcsKey = "cle-partagee-montclar-2026"

func newFakeWcs(t *testing.T) *fakeWcs {
	w := &fakeWcs{
		t:    t,
		keys: map[string]string{"parvis.montclar.fr": wcsKey},
		fields: map[string]string{
			"reference": "string", "date_demande": "date", "description": "string", "adresse": "string",
			"localisation": "map", "photo": "file", "courriel": "string", "telephone": "string",
			"accord_contact": "bool", "date_constat": "date", "danger": "string",
		},
		nonces: map[string]bool{},
		forms:  map[string]*wcsForm{},
		hang:   make(chan struct{}),
	}
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(func() { close(w.hang); w.srv.Close() })
	return w
}

func (w *fakeWcs) answer(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	json.NewEncoder(rw).Encode(v)
}

func (w *fakeWcs) refuse(rw http.ResponseWriter, code int, desc string) {
	w.answer(rw, code, map[string]any{"err": 1, "err_class": "Access Forbidden", "err_desc": desc})
}

// checkSignature is is_url_signed of wcs/api_utils.py.
func (w *fakeWcs) checkSignature(r *http.Request) string {
	raw := r.URL.RawQuery
	form, _ := url.ParseQuery(raw)
	if len(form["signature"]) != 1 {
		return "Unsigned API call."
	}
	if len(form["orig"]) != 1 {
		return "Missing/multiple orig field."
	}
	key, ok := w.keys[form.Get("orig")]
	if !ok {
		return "Invalid orig."
	}
	if form.Get("algo") != "sha256" {
		return "Invalid algo."
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(raw[:strings.Index(raw, "&signature=")]))
	if form.Get("signature") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		return "Invalid signature."
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", form.Get("timestamp"))
	if err != nil {
		return "Invalid timestamp field."
	}
	now := w.now
	if now.IsZero() {
		now = time.Now()
	}
	if d := now.Sub(ts); d > 30*time.Second || d < -30*time.Second {
		return fmt.Sprintf("timestamp is more than 30 seconds in the past or future: %s", d)
	}
	if n := form.Get("nonce"); n != "" {
		if w.nonces[n] {
			return "Nonce already used."
		}
		w.nonces[n] = true
	}
	return ""
}

var (
	submitPath = regexp.MustCompile(`^/api/formdefs/([a-z0-9-]+)/submit$`)
	formPath   = regexp.MustCompile(`^/api/forms/([a-z0-9-]+)/([0-9]+)/$`)
	listPath   = regexp.MustCompile(`^/api/forms/([a-z0-9-]+)/list$`)
	isoDate    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func (w *fakeWcs) serve(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	w.calls = append(w.calls, r.URL.String())
	fail, hang := w.fail, w.hang
	w.fail = nil
	hanging := false
	if fail != nil && fail.code == 0 {
		hanging, fail = true, nil
	}
	w.mu.Unlock()
	if hanging {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
		return
	}
	if fail != nil {
		w.refuse(rw, fail.code, fail.msg)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if msg := w.checkSignature(r); msg != "" {
		w.refuse(rw, http.StatusForbidden, msg)
		return
	}
	if m := submitPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodPost {
		w.submit(rw, r, m[1])
		return
	}
	if m := listPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
		// The forms whose fields hold what every filter-<varname> asks.
		items := []map[string]any{}
		for key, f := range w.forms {
			slug, id, _ := strings.Cut(key, "/")
			match := slug == m[1]
			for name, vs := range r.URL.Query() {
				if v, ok := strings.CutPrefix(name, "filter-"); ok {
					match = match && fmt.Sprint(f.data[v]) == vs[0]
				}
			}
			if match {
				items = append(items, map[string]any{"id": id, "url": "https://demarches.example/" + key + "/", "fields": f.data})
			}
		}
		w.answer(rw, http.StatusOK, map[string]any{"err": 0, "data": items})
		return
	}
	if m := formPath.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
		f, ok := w.forms[m[1]+"/"+m[2]]
		if !ok {
			w.refuse(rw, http.StatusNotFound, "Page non trouvée.")
			return
		}
		w.answer(rw, http.StatusOK, map[string]any{
			"id": m[2], "display_id": "12-" + m[2], "last_update_time": f.update,
			"workflow": map[string]any{"status": f.status, "real_status": f.real, "fields": f.fields},
		})
		return
	}
	w.refuse(rw, http.StatusNotFound, "Page non trouvée.")
}

func (w *fakeWcs) submit(rw http.ResponseWriter, r *http.Request, slug string) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		w.refuse(rw, http.StatusBadRequest, "Expected JSON but missing appropriate content-type.")
		return
	}
	var in struct {
		Data    map[string]json.RawMessage `json:"data"`
		Context map[string]any             `json:"context"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Data == nil {
		w.refuse(rw, http.StatusBadRequest, "Invalid payload.")
		return
	}
	if in.Context["channel"] != "web" {
		w.refuse(rw, http.StatusBadRequest, "Invalid channel.")
		return
	}
	data := map[string]any{}
	for name, raw := range in.Data {
		typ, ok := w.fields[name]
		if !ok {
			w.refuse(rw, http.StatusBadRequest, "Champ inconnu : "+name)
			return
		}
		var v any
		json.Unmarshal(raw, &v)
		if msg := checkType(typ, v); msg != "" {
			w.refuse(rw, http.StatusBadRequest, name+" : "+msg)
			return
		}
		data[name] = v
	}
	id := strconv.Itoa(len(w.forms) + 1)
	w.forms[slug+"/"+id] = &wcsForm{
		data:   data,
		status: map[string]any{"id": "just_submitted", "name": "Nouveau", "endpoint": false},
		real:   map[string]any{"id": "just_submitted", "name": "Nouveau", "endpoint": false, "latest_arrival_datetime": "2026-11-29T06:02:01"},
		update: "2026-11-29T06:02:01",
	}
	w.answer(rw, http.StatusOK, map[string]any{"err": 0, "data": map[string]any{
		"id":             id,
		"url":            w.srv.URL + "/" + slug + "/" + id + "/",
		"backoffice_url": w.srv.URL + "/backoffice/management/" + slug + "/" + id + "/",
		"api_url":        w.srv.URL + "/api/forms/" + slug + "/" + id + "/",
	}})
}

// checkType is what w.c.s.'s fields accept from JSON (from_json_value).
func checkType(typ string, v any) string {
	switch typ {
	case "string":
		if _, ok := v.(string); !ok {
			return "texte attendu"
		}
	case "bool":
		if _, ok := v.(bool); !ok {
			return "booléen attendu"
		}
	case "date":
		if s, ok := v.(string); !ok || !isoDate.MatchString(s) {
			return "date AAAA-MM-JJ attendue"
		}
	case "map":
		m, ok := v.(map[string]any)
		_, lat := m["lat"].(float64)
		_, lon := m["lon"].(float64)
		if !ok || !lat || !lon || len(m) != 2 {
			return "point {lat, lon} attendu"
		}
	case "file":
		m, ok := v.(map[string]any)
		name, _ := m["filename"].(string)
		ct, _ := m["content_type"].(string)
		content, _ := m["content"].(string)
		if _, err := base64.StdEncoding.DecodeString(content); !ok || name == "" || ct == "" || content == "" || err != nil {
			return "fichier {filename, content_type, content en base64} attendu"
		}
	}
	return ""
}

// fakeWcs as a connectortest.Platform.

func (w *fakeWcs) config() Config {
	return Config{
		BaseURL: w.srv.URL, Orig: "parvis.montclar.fr", Key: wcsKey, Timeout: time.Second,
		MessageField: "message_usager",
		Kinds: map[string]Form{"voirie": {
			Slug: "signalement-voirie", TrackingCode: "reference", FiledAt: "date_demande",
			Description: "description", Address: "adresse", Point: "localisation", Photo: "photo",
			Email: "courriel", Phone: "telephone", Consent: "accord_contact",
			Extra: map[string]Field{"date_constat": {Varname: "date_constat", Date: true}, "danger": {Varname: "danger"}},
		}},
	}
}

func (w *fakeWcs) Connector(t *testing.T) connector.Connector {
	c, err := New(w.config())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *fakeWcs) form(t *testing.T, r connector.Remote) *wcsForm {
	t.Helper()
	f, ok := w.forms[r.ID]
	if !ok {
		t.Fatalf("w.c.s. has no form %s", r.ID)
	}
	return f
}

func (w *fakeWcs) Received(t *testing.T, r connector.Remote) (string, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := w.form(t, r)
	desc, _ := f.data["description"].(string)
	code, _ := f.data["reference"].(string)
	return desc, code
}

// wcsStatuses are statuses of a town's workflow, one per Parvis status, named
// as towns name them.
var wcsStatuses = map[connector.Status]map[string]any{
	connector.Recue:   {"id": "1", "name": "Nouveau", "endpoint": false},
	connector.EnCours: {"id": "2", "name": "En cours", "endpoint": false},
	connector.Traitee: {"id": "3", "name": "Terminé", "endpoint": true},
	connector.Rejetee: {"id": "4", "name": "Rejeté", "endpoint": true},
}

func (w *fakeWcs) Move(t *testing.T, r connector.Remote, s connector.Status, message string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := w.form(t, r)
	f.status, f.real = wcsStatuses[s], wcsStatuses[s]
	f.fields = map[string]any{"message_usager": message}
}

func (w *fakeWcs) Fail(code int, message string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fail = &wcsFailure{code: code, msg: message}
}

func (w *fakeWcs) Hang() { w.Fail(0, "") }

func (w *fakeWcs) Close() { w.srv.Close() }
