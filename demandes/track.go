package demandes

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/french"
)

// StatusLabel is a status in the citizen's words.
func StatusLabel(s connector.Status) string {
	switch s {
	case connector.Recue:
		return "reçue, en attente de traitement"
	case connector.EnCours:
		return "en cours de traitement"
	case connector.Traitee:
		return "traitée"
	case connector.Rejetee:
		return "close sans suite"
	}
	return string(s)
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// Date writes a day the French way, in Paris time.
func Date(t time.Time) string { return t.In(paris).Format("02/01/2006") }

// Answer answers a chat message that asks where a demande stands: one with a
// tracking code of the town (any spelling), or one that asks without giving it.
// ok is false for any other message, which the bot then decides on.
func (d *Desk) Answer(text string) (reply string, ok bool) {
	typed, found := d.cfg.Codes.Find(text)
	if !found {
		if asksForStatus(text) {
			return fmt.Sprintf("Pour vous dire où en est votre demande, donnez-moi son code de suivi, reçu quand vous l'avez déposée "+
				"(de la forme %s-%d-000123-7KQF).", d.cfg.Codes.Prefix, d.cfg.Now().Year()), true
		}
		return "", false
	}
	dm, err := d.Track(typed)
	switch {
	case errors.Is(err, ErrCodeFormat), errors.Is(err, ErrCodeCheck):
		return fmt.Sprintf("Je ne reconnais pas le code de suivi « %s » : un caractère a dû être mal recopié. "+
			"Vérifiez-le sur le message reçu au dépôt de la demande ; il a la forme %s-%d-000123-7KQF.",
			strings.TrimSpace(typed), d.cfg.Codes.Prefix, d.cfg.Now().Year()), true
	case err != nil:
		return fmt.Sprintf("Aucune demande ne porte le code « %s ». Vérifiez-le sur le message reçu au dépôt de la demande.", strings.TrimSpace(typed)), true
	}
	return d.Describe(dm), true
}

// Describe tells a citizen where a demande stands: status, date, the agents'
// last public message. Nothing personal.
func (d *Desk) Describe(dm Demande) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Votre demande %s (%s), déposée le %s, est %s", dm.Code, d.kindLabel(dm.Kind), Date(dm.FiledAt), StatusLabel(dm.Status))
	if dm.UpdatedAt.After(dm.FiledAt) {
		fmt.Fprintf(&b, " depuis le %s", Date(dm.UpdatedAt))
	}
	b.WriteString(".")
	if dm.Message != "" {
		fmt.Fprintf(&b, " Message du service : « %s »", dm.Message)
	}
	if dm.Open() {
		if k, ok := d.cfg.Kinds.Get(dm.Kind); ok {
			fmt.Fprintf(&b, " Délai de traitement annoncé : %s (au plus tard le %s).", k.Delay, Date(dm.Due))
		}
	}
	return b.String()
}

// asksForStatus reports whether a message asks where a demande stands.
func asksForStatus(text string) bool {
	f := " " + strings.Join(french.Words(text), " ") + " "
	subject := strings.Contains(f, " demande ") || strings.Contains(f, " signalement ") || strings.Contains(f, " dossier ") ||
		strings.Contains(f, " code de suivi ") || strings.Contains(f, " numero de suivi ")
	asks := strings.Contains(f, " ou en est ") || strings.Contains(f, " ou en sont ") || strings.Contains(f, " suivre ") ||
		strings.Contains(f, " suivi ") || strings.Contains(f, " avancement ") || strings.Contains(f, " des nouvelles ") ||
		strings.Contains(f, " etat de ma ") || strings.Contains(f, " statut ")
	return subject && asks
}
