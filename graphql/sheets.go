package graphql

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/kb"
)

// importSheet reads a spreadsheet sent as base64 and plans or applies it.
func (r *Resolver) importSheet(ctx context.Context, file, filename string, dryRun bool) (*model.KbImport, error) {
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(file))
	if err != nil {
		return nil, badInput("Le fichier doit être envoyé encodé en base64.")
	}
	out := &model.KbImport{DryRun: dryRun, Added: []string{}, Changed: []string{}, Retired: []string{}, Errors: []*model.KbImportError{}}
	rows, err := kb.ReadSheet(filename, data)
	var cells kb.SheetErrors
	switch {
	case errors.As(err, &cells):
	case err != nil:
		return nil, badInput("Fichier illisible : " + strings.TrimPrefix(err.Error(), kb.ErrSheetFormat.Error()+": ") + ".")
	default:
		var entries []kb.Entry
		var kinds []string
		if r.Desk != nil {
			kinds = r.Desk.Kinds().IDs()
		}
		if entries, cells = kb.SheetEntriesFor(rows, kinds); cells == nil {
			r.importedFor(ctx, entries)
			plan, err := r.KB.Import(ctx, entries, principalName(ctx), dryRun)
			if row := (*kb.RowError)(nil); errors.As(err, &row) && errors.Is(err, kb.ErrSameAuthor) {
				return nil, &userError{CodeForbidden, fmt.Sprintf("Rien n'a été importé : avec la double validation, un import ne valide ni ne publie, et la ligne de l'entrée « %s » le ferait ; mettez son statut à « brouillon » : un autre expert la validera.", row.ID)}
			} else if row != nil {
				return nil, &userError{CodeForbidden, fmt.Sprintf("Rien n'a été importé : la ligne de l'entrée « %s » la modifierait, et elle relève d'un autre territoire ou d'un service dont vous n'avez pas la charge.", row.ID)}
			}
			if err != nil {
				return nil, kbError(err)
			}
			out.Added, out.Changed, out.Retired, out.Unchanged = nonNil(plan.Added), nonNil(plan.Changed), nonNil(plan.Retired), len(plan.Unchanged)
		}
	}
	for _, c := range cells {
		out.Errors = append(out.Errors, &model.KbImportError{Cell: c.Cell(), Row: c.Row, Column: optional(c.Column), Message: c.Msg})
	}
	if len(cells) > 0 {
		out.DryRun = true // nothing was imported
	}
	return out, nil
}

// importedFor makes the new entries of a territory's expert that territory's,
// as a draft of theirs would be (the sheet's source stays when it gives one):
// a spreadsheet says nothing of territories, so its rows are the importer's.
// The writer refuses the import when a row changes an entry of another
// territory, or of every territory.
func (r *Resolver) importedFor(ctx context.Context, entries []kb.Entry) {
	for i := range entries {
		e := &entries[i]
		if _, ok := r.KB.State.Entry(e.ID); ok {
			continue
		}
		source := e.Source
		r.draftedFor(ctx, e)
		if source != "" {
			e.Source = source
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// exportSheet writes the entries the caller reads (its territory's and every
// territory's, in its services) as a spreadsheet, base64.
func (r *Resolver) exportSheet(ctx context.Context, format string) (string, error) {
	var entries []kb.Entry
	for _, e := range r.KB.State.Entries() {
		if r.KB.Allowed(ctx, e) {
			entries = append(entries, e)
		}
	}
	data, err := kb.WriteSheet(strings.ToLower(format), entries)
	if errors.Is(err, kb.ErrSheetFormat) {
		return "", badInput("Format inconnu : xlsx, ods ou csv.")
	} else if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(data), nil
}
