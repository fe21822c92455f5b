package graphql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/mining"
)

// Error codes in extensions.code.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeRateLimited     = "RATE_LIMITED"
	CodeInternal        = "INTERNAL"
)

// userError is an error whose message is meant for the caller, in French.
type userError struct {
	code, msg string
}

func (e *userError) Error() string { return e.msg }

var (
	errUnauthenticated = &userError{CodeUnauthenticated, "Authentification requise : fournissez un jeton (Authorization: Bearer …)."}
	errForbidden       = &userError{CodeForbidden, "Votre rôle ne permet pas d'accéder à cette information."}
	errRateLimited     = &userError{CodeRateLimited, "Trop de demandes depuis votre adresse : patientez quelques secondes avant de réessayer."}
)

func badInput(msg string) error { return &userError{CodeBadUserInput, msg} }

// checkPeriod refuses an empty or reversed period, the argument of every
// dashboard field, and one outside the years the projections date (their
// dates stop short of 1970 and 2106: a period beyond would read as empty).
func checkPeriod(from, to time.Time) error {
	switch {
	case !to.After(from):
		return badInput("La période est vide : « to » doit être après « from ».")
	case from.Before(firstDay) || to.After(lastDay):
		return badInput("La période doit tenir entre le 1er janvier 2000 et le 1er janvier 2100.")
	}
	return nil
}

// The first and last instants a period may take.
var (
	firstDay = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// chatError turns an ingest error into a message for the citizen.
func chatError(err error) error {
	var tooLong *ingest.TooLongError
	switch {
	case errors.Is(err, ingest.ErrEmpty):
		return badInput("Votre message est vide.")
	case errors.As(err, &tooLong):
		return badInput(fmt.Sprintf("Votre message est trop long (%d caractères, %d au maximum) : merci de le raccourcir.", tooLong.Runes, tooLong.Max))
	case errors.Is(err, ingest.ErrInvalidText):
		return badInput("Votre message contient des caractères illisibles.")
	case errors.Is(err, ingest.ErrRateLimited):
		return &userError{CodeRateLimited, "Vous envoyez des messages trop vite : patientez quelques secondes avant de réessayer."}
	case errors.Is(err, ingest.ErrNothingToRate):
		// Also before any answer: nothing was rated then, so the message
		// says both cases.
		return badInput("Aucune réponse à évaluer : l'avis porte sur une réponse de l'assistant, et chaque réponse n'en reçoit qu'un.")
	case errors.Is(err, ingest.ErrNotAChoice):
		return badInput("Ce choix ne fait pas partie des propositions en cours : posez votre question.")
	case errors.Is(err, ingest.ErrMessageReused):
		return badInput("messageId : cet identifiant a déjà servi pour un autre message ; donnez-en un nouveau à chaque message.")
	case errors.Is(err, ingest.ErrUnknownConversation):
		return badInput("Cette conversation n'existe pas ou a expiré : commencez-en une nouvelle.")
	}
	return err
}

// presentError gives every error an extensions.code and hides internal
// details, counting the errors by code.
func presentError(log *slog.Logger, french validationFrench) graphql.ErrorPresenterFunc {
	present := codeError(log, french)
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := present(ctx, err)
		code, _ := gerr.Extensions["code"].(string)
		if code == "" {
			code = "OTHER"
		}
		errorsByCode.WithLabelValues(code).Inc()
		return gerr
	}
}

// codeError is presentError without the count.
func codeError(log *slog.Logger, french validationFrench) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var ue *userError
		if errors.As(err, &ue) {
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = ue.msg
			gerr.Extensions = map[string]any{"code": ue.code}
			return gerr
		}
		var ie *model.InputError
		if errors.As(err, &ie) {
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = ie.Msg
			gerr.Extensions = map[string]any{"code": CodeBadUserInput}
			return gerr
		}
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) && gerr.Extensions != nil && gerr.Extensions["code"] != nil {
			// Validation, parse and cost errors from gqlgen: bad input from the caller.
			switch c, _ := gerr.Extensions["code"].(string); c {
			case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
				gerr.Message = french.say(gerr.Message)
				gerr.Extensions["code"] = CodeBadUserInput
			case "COMPLEXITY_LIMIT_EXCEEDED": // extension.FixedComplexityLimit
				gerr.Message = "Requête trop coûteuse : demandez moins d'informations à la fois."
				gerr.Extensions["code"] = CodeBadUserInput
			}
			return gerr
		}
		if errors.As(err, &gerr) && gerr.Rule != "" {
			gerr.Message = french.say(gerr.Message)
			gerr.Extensions = map[string]any{"code": CodeBadUserInput}
			return gerr
		}
		if strings.HasSuffix(err.Error(), "introspection disabled") {
			// A tool reading the schema of a server that does not give it: a
			// refusal, not a failure of the server.
			gerr := graphql.DefaultErrorPresenter(ctx, err)
			gerr.Message = "Lecture du schéma (introspection) désactivée sur ce serveur : l'option --graphql-introspection l'active ; les champs sont décrits dans la documentation de l'API."
			gerr.Extensions = map[string]any{"code": CodeForbidden}
			return gerr
		}
		log.Error("graphql: internal error", slog.Any("error", err), slog.Any("path", graphql.GetPath(ctx)))
		gerr = graphql.DefaultErrorPresenter(ctx, errors.New("Erreur interne : réessayez dans un instant."))
		gerr.Extensions = map[string]any{"code": CodeInternal}
		return gerr
	}
}

func recoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.Error("graphql: panic in a resolver", slog.Any("panic", p), slog.Any("path", graphql.GetPath(ctx)))
		return errors.New("internal error")
	}
}

// kbError explains a refused knowledge base change.
func suggestionError(err error) error {
	if errors.Is(err, mining.ErrNoSuggestion) {
		return badInput("Cette suggestion n'existe pas ou a déjà été traitée.")
	}
	return kbError(err)
}

func kbError(err error) error {
	switch {
	case errors.Is(err, kb.ErrNoEntry):
		return badInput("Cette entrée n'existe pas.")
	case errors.Is(err, kb.ErrOutOfTerritory):
		return errOutOfScope
	case errors.Is(err, kb.ErrOutOfScope):
		return &userError{CodeForbidden, "Cette entrée relève d'un service dont vous n'avez pas la charge : votre compte est limité à certains services."}
	case errors.Is(err, kb.ErrSameAuthor):
		return &userError{CodeForbidden, "Double validation : l'auteur d'un brouillon ne peut pas le valider lui-même ; demandez à un autre expert."}
	case errors.Is(err, kb.ErrWrongStatus):
		return badInput("Cette entrée n'est pas à la bonne étape : un brouillon se valide, une entrée validée se publie, une entrée retirée se restaure.")
	case errors.Is(err, kb.ErrInvalidEntry):
		return badInput("Entrée invalide : " + strings.TrimPrefix(err.Error(), kb.ErrInvalidEntry.Error()+": ") + ".")
	}
	return err
}
