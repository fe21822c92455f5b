package graphql

import (
	"context"
	"fmt"
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
