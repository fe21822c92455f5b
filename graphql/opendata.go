package graphql

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/opendata"
	"github.com/parvis-civic/parvis/web"
)

// openDataRoles may read a territory's open data, as @auth says of openData.
var openDataRoles = []auth.Role{auth.Admin, auth.Analyst, auth.Elected}

// openData returns the CSV of a tenant's month, and the name its file takes:
// the one path of the openData query and of the GET endpoint.
func (r *Resolver) openData(ctx context.Context, tenantID, month string) (csv, filename string, err error) {
	tenantID = strings.TrimSpace(tenantID)
	scope, err := r.scope(ctx, &tenantID)
	if err != nil {
		return "", "", err
	}
	t, ok := r.Registry.Get(tenantID)
	if !ok {
		return "", "", badInput("Aucune collectivité ne porte l'identifiant « " + tenantID + " ».")
	}
	from, to, last, err := opendata.Month(strings.TrimSpace(month), time.Now())
	if err != nil {
		return "", "", badInput("Le mois doit s'écrire AAAA-MM (par exemple 2026-03), et être commencé : « " + month + " » ne convient pas.")
	}
	rows, err := opendata.Builder{Queries: r.Queries, Extra: r.OpenDataExtra}.Rows(ctx, scope, from, to)
	if err != nil {
		return "", "", err
	}
	var b bytes.Buffer
	if err := opendata.WriteCSV(&b, rows, last, t.INSEE); err != nil {
		return "", "", err
	}
	return b.String(), "parvis-" + t.ID + "-" + from.Format("2006-01") + ".csv", nil
}

// NewOpenDataHandler serves GET /opendata/{tenant}/{file}, file being
// YYYY-MM.csv: the openData CSV as a file to download, authenticated like the
// API (a bearer token, or a dashboards' session with its CSRF header).
// Refusals are French text with the status of their GraphQL code.
func NewOpenDataHandler(r *Resolver, authn auth.Authenticator) http.Handler {
	return authn.Middleware(web.WithOrigin(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		csv, name, err := r.openDataFile(req)
		if err != nil {
			var ue *userError
			if !errors.As(err, &ue) {
				r.Logger.Error("open data", "error", err)
				ue = &userError{CodeInternal, "Le fichier n'a pas pu être préparé : réessayez dans un instant."}
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(map[string]int{CodeUnauthenticated: http.StatusUnauthorized, CodeForbidden: http.StatusForbidden,
				CodeBadUserInput: http.StatusBadRequest, CodeInternal: http.StatusInternalServerError}[ue.code])
			w.Write([]byte(ue.msg + "\n"))
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Cache-Control", "no-store")
		w.Write([]byte(csv))
	})))
}

func (r *Resolver) openDataFile(req *http.Request) (string, string, error) {
	p, ok := auth.PrincipalFrom(req.Context())
	if !ok {
		return "", "", errUnauthenticated
	}
	allowed := false
	for _, role := range openDataRoles {
		allowed = allowed || p.Role == role
	}
	if !allowed {
		return "", "", errForbidden
	}
	month, ok := strings.CutSuffix(req.PathValue("file"), ".csv")
	if !ok {
		return "", "", badInput("Le fichier se nomme AAAA-MM.csv (par exemple 2026-03.csv).")
	}
	return r.openData(req.Context(), req.PathValue("tenant"), month)
}
