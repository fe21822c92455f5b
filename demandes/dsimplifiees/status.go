package dsimplifiees

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
)

// States are DS's dossier states with their Parvis status and the label DS
// shows.
var States = map[string]struct {
	Status connector.Status
	Label  string
}{
	"en_construction": {connector.Recue, "En construction"},
	"en_instruction":  {connector.EnCours, "En instruction"},
	"accepte":         {connector.Traitee, "Accepté"},
	"refuse":          {connector.Rejetee, "Refusé"},
	"sans_suite":      {connector.Rejetee, "Classé sans suite"},
}

const dossierQuery = `query dossier($number: Int!) { dossier(number: $number) { state dateDerniereModification motivation } }`

// Status reads a dossier's state through DS's GraphQL API. A prefilled
// dossier that the citizen has not filed yet is unknown to that API: it is
// RECUE, labelled so.
func (c *Connector) Status(ctx context.Context, r connector.Remote) (connector.RemoteStatus, error) {
	n, err := strconv.Atoi(r.ID)
	if err != nil || n <= 0 {
		return connector.RemoteStatus{}, fmt.Errorf("dsimplifiees: remote id %q: want a dossier number", r.ID)
	}
	body, _ := json.Marshal(map[string]any{
		"query":         dossierQuery,
		"operationName": "dossier",
		"variables":     map[string]any{"number": n},
	})
	code, raw, err := c.call(ctx, "/api/v2/graphql", body, http.Header{"Authorization": {"Bearer " + c.cfg.Token}})
	if err != nil {
		return connector.RemoteStatus{}, err
	}
	if code >= 400 {
		return connector.RemoteStatus{}, connector.Refused(code, fmt.Errorf("dsimplifiees: dossier %d: refused (%d): %s", n, code, restMessage(raw, code)))
	}
	var ans struct {
		Data struct {
			Dossier *struct {
				State      string  `json:"state"`
				Modified   string  `json:"dateDerniereModification"`
				Motivation *string `json:"motivation"`
			} `json:"dossier"`
		} `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return connector.RemoteStatus{}, fmt.Errorf("dsimplifiees: dossier %d: unexpected answer: %w", n, err)
	}
	if len(ans.Errors) > 0 {
		if ans.Errors[0].Extensions.Code == "not_found" {
			return connector.RemoteStatus{Status: connector.Recue, Label: "Pas encore déposé"}, nil
		}
		var msgs []string
		for _, e := range ans.Errors {
			msgs = append(msgs, e.Message)
		}
		err := fmt.Errorf("dsimplifiees: dossier %d: %s", n, strings.Join(msgs, " ; "))
		// DS's GraphQL answers 200 even when it timed out or failed inside.
		switch ans.Errors[0].Extensions.Code {
		case "timeout", "internal_server_error":
			return connector.RemoteStatus{}, &connector.TemporaryError{Err: err}
		}
		return connector.RemoteStatus{}, err
	}
	d := ans.Data.Dossier
	if d == nil {
		return connector.RemoteStatus{}, fmt.Errorf("dsimplifiees: dossier %d: the answer has no dossier", n)
	}
	st, ok := States[d.State]
	if !ok {
		return connector.RemoteStatus{}, fmt.Errorf("dsimplifiees: dossier %d: unknown state %q", n, d.State)
	}
	out := connector.RemoteStatus{Status: st.Status, Label: st.Label}
	if t, err := time.Parse(time.RFC3339, d.Modified); err == nil {
		out.At = t
	}
	if d.Motivation != nil {
		out.Message = strings.TrimSpace(*d.Motivation)
	}
	return out, nil
}
