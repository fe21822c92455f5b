package demandes

import (
	"context"
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

// Answer answers a chat message that gives a tracking code of the deployment
// (any commune's prefix, any spelling). ok is false for any other message,
// which the bot then decides on (see [Desk.AskCode] for one that asks without
// a code). logged is the reply as the conversation's log keeps it: without the
// agents' message, which travels sealed (see [Desk.Describe]). tenantID is the conversation's: a code of a commune that
// this assistant does not serve (outside the conversation's territory) is not
// looked up; the citizen is told which commune's assistant to ask, and nothing
// of the demande, not even whether it exists.
func (d *Desk) Answer(ctx context.Context, tenantID, text string) (reply, logged string, ok bool) {
	example := d.example(tenantID)
	typed, prefix, found := d.cfg.Codes.FindAmong(text, d.knownPrefix)
	if !found {
		return "", "", false
	}
	say := func(reply string) (string, string, bool) { return reply, reply, true }
	if other, ok := d.elsewhere(tenantID, prefix); ok {
		return say(fmt.Sprintf("Le code « %s » est celui d'une demande déposée auprès de %s : je ne peux pas vous en donner des nouvelles ici. "+
			"Posez votre question à l'assistant de %s, sur son site, avec ce même code.", strings.TrimSpace(typed), other, other))
	}
	dm, err := d.TrackFrom(ctx, typed)
	switch {
	case errors.Is(err, ErrTooManyGuesses):
		return say("Trop de codes de suivi erronés ont été donnés depuis votre connexion : réessayez dans quelques minutes, " +
			"avec le code du message reçu au dépôt de la demande.")
	case errors.Is(err, ErrCodeFormat), errors.Is(err, ErrCodeCheck):
		return say(fmt.Sprintf("Je ne reconnais pas le code de suivi « %s » : un caractère a dû être mal recopié. "+
			"Vérifiez-le sur le message reçu au dépôt de la demande ; il a la forme %s.",
			strings.TrimSpace(typed), example))
	case err != nil:
		return say(fmt.Sprintf("Aucune demande ne porte le code « %s ». Vérifiez-le sur le message reçu au dépôt de la demande.", strings.TrimSpace(typed)))
	}
	if d.cfg.Tenants != nil && !d.cfg.Tenants.Scope(tenantID).Has(dm.Tenant) {
		// A code of the fallback prefix filed elsewhere (a tenant without its
		// own prefix): unknown here, as the API says to an agent outside it.
		return say(fmt.Sprintf("Aucune demande ne porte le code « %s » auprès de cet assistant. Vérifiez-le sur le message reçu au dépôt de la demande.", strings.TrimSpace(typed)))
	}
	return d.describe(dm, true), d.describe(dm, false), true
}

// AskCode answers a message that asks where the citizen's demande stands
// without giving its code (« où en est ma demande ? »): it asks for the code.
// The chat asks only when the knowledge base has no answer of its own: « comment
// suivre une demande de permis de construire ? » is the town's to answer.
func (d *Desk) AskCode(tenantID, text string) (string, bool) {
	if !asksForStatus(text) {
		return "", false
	}
	return fmt.Sprintf("Pour vous dire où en est votre demande, donnez-moi son code de suivi, reçu quand vous l'avez déposée "+
		"(de la forme %s).", d.example(tenantID)), true
}

func (d *Desk) example(tenantID string) string {
	return fmt.Sprintf("%s-%d-000123-7KQF", d.prefixOf(tenantID), d.cfg.Now().In(paris).Year())
}

// elsewhere returns the name of the tenant whose prefix a code has, when that
// tenant is outside the territory of the conversation's tenant (a commune's
// assistant sees its own codes; an intercommunalité's, its members' too).
func (d *Desk) elsewhere(tenantID, prefix string) (string, bool) {
	if d.cfg.Tenants == nil {
		return "", false
	}
	t, ok := d.cfg.Tenants.ByPrefix(prefix)
	if !ok || d.cfg.Tenants.Scope(tenantID).Has(t.ID) {
		return "", false
	}
	return t.Name, true
}

// Describe tells a citizen where a demande stands: status, date, the agents'
// last public message. Nothing personal.
func (d *Desk) Describe(dm Demande) string { return d.describe(dm, true) }

// describe is [Desk.Describe], with the agents' message or only its mention:
// the conversation's log keeps the reply without it, as the message travels
// sealed with the demande's key on parvis.demandes (an agent may write « Mme
// Martin, notre agent passe mardi »), and an erasure must reach every copy.
func (d *Desk) describe(dm Demande, message bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Votre demande %s (%s), déposée le %s, est %s", dm.Code, d.kindLabel(dm.Kind), Date(dm.FiledAt), StatusLabel(dm.Status))
	if dm.UpdatedAt.After(dm.FiledAt) {
		fmt.Fprintf(&b, " depuis le %s", Date(dm.UpdatedAt))
	}
	b.WriteString(".")
	switch {
	case dm.Message != "" && message:
		fmt.Fprintf(&b, " Message du service : « %s »", dm.Message)
	case dm.Message != "":
		b.WriteString(" Message du service : [MESSAGE_DU_SERVICE]")
	}
	// A platform that has the citizen finish the demande (Démarches
	// Simplifiées: a prefilled dossier to complete and submit) gave its link:
	// until the demande moves, the citizen needs it. The link opens the
	// prefilled personal part: the log keeps only its mention.
	if dm.Status == connector.Recue && dm.Delivery.Delivered && dm.Delivery.URL != "" && citizenFinishes[dm.Delivery.Connector] {
		link := dm.Delivery.URL
		if !message {
			link = "[LIEN_DU_DOSSIER]"
		}
		fmt.Fprintf(&b, " Pour la compléter et la déposer sur le site de la mairie, ouvrez ce lien : %s", link)
	}
	if dm.Open() {
		if k, ok := d.cfg.Kinds.Get(dm.Kind); ok {
			fmt.Fprintf(&b, " Délai de traitement annoncé : %s (au plus tard le %s).", k.Delay, Date(dm.Due))
		}
	}
	return b.String()
}

// citizenFinishes names the connectors whose platform has the citizen finish
// the demande at the link it gives (see [connector.Remote]): a form filed by
// a service account elsewhere (Publik) is no page of the citizen's.
var citizenFinishes = map[string]bool{"dsimplifiees": true}

// asksForStatus reports whether a message asks where the citizen's own
// demande stands: « ma demande », « mon dossier », « mon signalement », not
// « une demande de permis » (« comment suivre une demande de permis ? » asks
// about the town's procedure).
func asksForStatus(text string) bool {
	f := " " + strings.Join(french.Words(text), " ") + " "
	subject := false
	for _, own := range []string{" ma ", " mon ", " notre ", " nos ", " mes "} {
		for _, what := range []string{"demande ", "demandes ", "signalement ", "signalements ", "dossier ", "dossiers "} {
			subject = subject || strings.Contains(f, own+what)
		}
	}
	subject = subject || strings.Contains(f, " code de suivi ") || strings.Contains(f, " numero de suivi ")
	asks := strings.Contains(f, " ou en est ") || strings.Contains(f, " ou en sont ") || strings.Contains(f, " suivre ") ||
		strings.Contains(f, " suivi ") || strings.Contains(f, " avancement ") || strings.Contains(f, " des nouvelles ") ||
		strings.Contains(f, " etat de ma ") || strings.Contains(f, " statut ")
	return subject && asks
}
