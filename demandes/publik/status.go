package publik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"unicode"

	"github.com/parvis-civic/parvis/demandes/connector"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// DefaultStatuses are the names of the statuses of w.c.s.'s default workflows
// and of those towns commonly write, with their Parvis status. Names are
// compared without case or accents.
var DefaultStatuses = map[string]connector.Status{
	"Nouveau":                connector.Recue,
	"Reçu":                   connector.Recue,
	"Brouillon":              connector.Recue,
	"En attente":             connector.Recue,
	"En cours":               connector.EnCours,
	"En cours de traitement": connector.EnCours,
	"Pris en charge":         connector.EnCours,
	"En instruction":         connector.EnCours,
	"Terminé":                connector.Traitee,
	"Traité":                 connector.Traitee,
	"Accepté":                connector.Traitee,
	"Validé":                 connector.Traitee,
	"Clos":                   connector.Traitee,
	"Rejeté":                 connector.Rejetee,
	"Refusé":                 connector.Rejetee,
	"Annulé":                 connector.Rejetee,
	"Sans suite":             connector.Rejetee,
}

// DefaultStatusIDs are the ids of the statuses of w.c.s.'s default workflow,
// whatever language names them.
var DefaultStatusIDs = map[string]connector.Status{
	"just_submitted": connector.Recue,
	"new":            connector.Recue,
	"accepted":       connector.EnCours, // accepted for processing: "finished" follows
	"finished":       connector.Traitee,
	"rejected":       connector.Rejetee,
}

// ErrUnmappedStatus is returned by Status for an end status of the workflow
// (done or refused: Parvis cannot tell) that the configuration does not map.
var ErrUnmappedStatus = errors.New("publik: workflow end status mapped to no Parvis status")

func knownStatus(s connector.Status) bool {
	switch s {
	case connector.Recue, connector.EnCours, connector.Traitee, connector.Rejetee:
		return true
	}
	return false
}

type wfStatus struct {
	ID       json.RawMessage `json:"id"`
	Name     string          `json:"name"`
	Endpoint *bool           `json:"endpoint"` // absent in older w.c.s.
	Latest   string          `json:"latest_arrival_datetime"`
}

// Status reads a form's status: GET {base}/api/forms/<slug>/<id>/. The
// workflow's real status is looked up in the configured statuses by id, then
// by name, then by the name of the status shown to the citizen, then in the
// ids of w.c.s.'s default workflow, then in the default names (a final name on
// a status that is no end of the workflow is EN_COURS); a status still unknown
// is EN_COURS while the workflow goes on, and an [ErrUnmappedStatus] at its
// end.
func (c *Connector) Status(ctx context.Context, r connector.Remote) (connector.RemoteStatus, error) {
	slug, id, ok := strings.Cut(r.ID, "/")
	if !ok || slug == "" || id == "" {
		return connector.RemoteStatus{}, fmt.Errorf("publik: remote id %q: want <form slug>/<id>", r.ID)
	}
	var ans struct {
		LastUpdate string `json:"last_update_time"`
		Workflow   struct {
			Status     *wfStatus      `json:"status"`
			RealStatus *wfStatus      `json:"real_status"`
			Fields     map[string]any `json:"fields"`
		} `json:"workflow"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/forms/"+url.PathEscape(slug)+"/"+url.PathEscape(id)+"/", nil, &ans); err != nil {
		return connector.RemoteStatus{}, err
	}
	rs := ans.Workflow.RealStatus
	if rs == nil {
		rs = ans.Workflow.Status
	}
	if rs == nil {
		return connector.RemoteStatus{}, fmt.Errorf("publik: form %s: the answer has no workflow status", r.ID)
	}
	st, ok := c.mapStatus(rs, ans.Workflow.Status)
	if !ok {
		if rs.Endpoint != nil && *rs.Endpoint {
			return connector.RemoteStatus{}, fmt.Errorf("%w: « %s » (id %s): add it under statuses", ErrUnmappedStatus, rs.Name, jsonID(rs.ID))
		}
		st = connector.EnCours
	}
	out := connector.RemoteStatus{Status: st, Label: rs.Name}
	at := rs.Latest
	if at == "" {
		at = ans.LastUpdate
	}
	out.At = c.parseTime(at)
	if c.cfg.MessageField != "" {
		if m, ok := ans.Workflow.Fields[c.cfg.MessageField].(string); ok {
			out.Message = strings.TrimSpace(m)
		}
	}
	return out, nil
}

func (c *Connector) mapStatus(rs, shown *wfStatus) (connector.Status, bool) {
	names := []string{rs.Name}
	if shown != nil {
		names = append(names, shown.Name)
	}
	if s, ok := byName(c.cfg.Statuses, jsonID(rs.ID), names); ok {
		return s, true
	}
	if s, ok := DefaultStatusIDs[jsonID(rs.ID)]; ok {
		return s, true
	}
	s, ok := byName(DefaultStatuses, "", names)
	if ok && (s == connector.Traitee || s == connector.Rejetee) && rs.Endpoint != nil && !*rs.Endpoint {
		// A name that sounds final (« Accepté ») on a status the workflow
		// goes on from: the demande is still being dealt with.
		return connector.EnCours, true
	}
	return s, ok
}

// byName looks a status up in table by id, then by each of names.
func byName(table map[string]connector.Status, id string, names []string) (connector.Status, bool) {
	if s, ok := table[id]; ok && id != "" {
		return s, true
	}
	for _, n := range names {
		for k, s := range table {
			if fold(k) == fold(n) {
				return s, true
			}
		}
	}
	return "", false
}

// fold compares status names as people write them: « Terminé », « termine »,
// « TERMINÉ » are one.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(strings.Join(strings.Fields(out), " "))
}

// timeLayouts are the ways w.c.s. writes a date and time: local, without a
// zone, in its JSON exports; with one in some versions.
var timeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", time.RFC3339}

func (c *Connector) parseTime(s string) time.Time {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, c.cfg.Location); err == nil {
			return t
		}
	}
	return time.Time{}
}
