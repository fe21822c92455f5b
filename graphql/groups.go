package graphql

import (
	"context"
	"fmt"
	"strings"
)

// groupQuestions returns the questions of a group of unanswered questions in
// the caller's territory, most asked first, and refuses a group it does not
// hold: an entry drafted « from » a group that does not exist would mark
// nothing covered, and the workbench would never show its effect.
func (r *Resolver) groupQuestions(ctx context.Context, id string) ([]string, error) {
	scope, err := r.scope(ctx, nil)
	if err != nil {
		return nil, err
	}
	qs, err := r.Queries.ClusterQuestions(ctx, scope, id, 20)
	if err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, badInput(fmt.Sprintf("Groupe « %s » inconnu : choisissez un groupe de questions sans réponse dans l'atelier (champ clusterId).", id))
	}
	return qs, nil
}

// checkDemandeKind refuses an entry that names a kind of demande the desk does
// not know: the assistant would offer another kind, guessed from the question,
// and the expert's mistake would go unseen.
func (r *Resolver) checkDemandeKind(kind string) error {
	if kind == "" || r.Desk == nil {
		return nil
	}
	if _, ok := r.Desk.Kinds().Get(kind); ok {
		return nil
	}
	return badInput(fmt.Sprintf("Entrée invalide : type de demande « %s » inconnu. Types possibles : %s.", kind, strings.Join(r.Desk.Kinds().IDs(), ", ")))
}
