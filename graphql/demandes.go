package graphql

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/graphql/model"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
)

var errNoDesk = &userError{CodeBadUserInput, "Les demandes ne sont pas ouvertes sur ce service."}

// demandeError turns an error of the desk into a message for the caller.
func demandeError(err error) error {
	var inv demandes.InvalidError
	switch {
	case errors.As(err, &inv):
		return badInput(inv.Error())
	case errors.Is(err, demandes.ErrTooManyGuesses):
		return &userError{CodeRateLimited, "Trop de codes de suivi erronés ont été donnés depuis votre connexion : réessayez dans quelques minutes."}
	case errors.Is(err, demandes.ErrCodeFormat), errors.Is(err, demandes.ErrCodeCheck):
		return badInput("Ce code de suivi n'est pas valide : un caractère a dû être mal recopié (il a la forme MTC-2026-000123-7KQF).")
	case errors.Is(err, demandes.ErrUnknown):
		return badInput("Aucune demande ne porte ce code de suivi.")
	case errors.Is(err, demandes.ErrBadStatus):
		return badInput("Statut inconnu : RECUE, EN_COURS, TRAITEE ou REJETEE.")
	case errors.Is(err, demandes.ErrTooLong):
		return badInput(fmt.Sprintf("Le message ou la note est trop long : %d caractères au plus.", demandes.MaxMessage))
	case errors.Is(err, demandes.ErrErased):
		return badInput("Les données personnelles de cette demande sont effacées : changez son statut sans message ni note.")
	case errors.Is(err, ingest.ErrNoDemandes):
		return errNoDesk
	case errors.Is(err, ingest.ErrCampaignDemande):
		return badInput("Vous testez l'assistant : aucune demande n'est déposée pendant un test.")
	}
	return chatError(err)
}

func (r *Resolver) toDemande(d demandes.Demande) *model.Demande {
	out := &model.Demande{TrackingCode: d.Code, Kind: d.Kind, KindLabel: d.Kind, Status: model.DemandeStatus(d.Status),
		StatusLabel: demandes.StatusLabel(d.Status), FiledAt: d.FiledAt, UpdatedAt: d.UpdatedAt, Due: d.Due,
		Late: d.Late(time.Now()), Message: optional(d.Message)}
	if k, ok := r.Desk.Kinds().Get(d.Kind); ok {
		out.KindLabel, out.ProcessingTime = k.Label, k.Delay
	}
	return out
}

func toDemandeKind(k *kb.DemandeKind) *model.DemandeKind {
	if k == nil {
		return nil
	}
	out := &model.DemandeKind{ID: k.ID, Label: k.Label, Prompt: optional(k.Prompt), ProcessingTime: k.Delay,
		Location: fieldRule(k.Location), Photo: k.Photo, Contact: fieldRule(k.Contact), Audiences: []model.Audience{}}
	for _, a := range k.Audiences {
		out.Audiences = append(out.Audiences, model.Audience(strings.ToUpper(string(a))))
	}
	return out
}

func fieldRule(r kb.FieldRule) model.FieldRule {
	switch r {
	case kb.Required:
		return model.FieldRuleRequired
	case kb.Never:
		return model.FieldRuleNone
	}
	return model.FieldRuleOptional
}

// toCase opens a demande's personal part for the service desk; the photo only
// with photo (one demande at a time: a list of them would weigh megabytes).
func (r *Resolver) toCase(d demandes.Demande, photo bool) (*model.DemandeCase, error) {
	out := &model.DemandeCase{Demande: r.toDemande(d), Tenant: optional(d.Tenant), ConversationID: d.ConversationID, RedactedDescription: d.Description,
		Place: optional(d.Place), Consent: d.Consent, Erased: d.Erased, Assignee: optional(d.Assignee), Note: optional(d.Note),
		History: []*model.DemandeChange{}}
	if d.Audience != "" {
		a := model.Audience(strings.ToUpper(d.Audience))
		out.Audience = &a
	}
	p, err := r.Desk.Personal(d.Code)
	switch {
	case errors.Is(err, demandes.ErrErased):
		out.Erased = true
	case err != nil:
		return nil, err
	default:
		out.Description, out.Address, out.Email, out.Phone = optional(p.Description), optional(p.Address), optional(p.Email), optional(p.Phone)
		if p.Point != nil {
			out.Point = &model.Point{Lat: p.Point.Lat, Lon: p.Point.Lon}
		}
		if p.Photo != nil && photo {
			url := "data:" + p.Photo.ContentType + ";base64," + base64.StdEncoding.EncodeToString(p.Photo.Content)
			out.Photo = &url
		}
	}
	for _, c := range d.History {
		out.History = append(out.History, &model.DemandeChange{At: c.At, Type: c.Type, Status: model.DemandeStatus(c.Status),
			Message: optional(c.Message), Note: optional(c.Note), Assignee: optional(c.Assignee), By: optional(c.By)})
	}
	if dl := d.Delivery; dl.Connector != "" {
		out.Delivery = &model.DemandeDelivery{Connector: dl.Connector, Delivered: dl.Delivered, RemoteID: optional(dl.RemoteID),
			URL: optional(dl.URL), Attempts: dl.Attempts, Dead: dl.Dead, Error: optional(dl.Error)}
		if !dl.NextAt.IsZero() {
			out.Delivery.NextAt = &dl.NextAt
		}
	}
	return out, nil
}

// toForm reads fileDemande's arguments.
func toForm(conversationID, kind, description string, contact, address *string, point *model.PointInput, photo *model.PhotoInput, consent *bool) (demandes.Form, error) {
	f := demandes.Form{ConversationID: conversationID, Kind: kind, Description: description, Consent: consent,
		Short: consent == nil && address == nil && point == nil && photo == nil}
	if contact != nil {
		f.Contact = *contact
	}
	if address != nil {
		f.Address = *address
	}
	if point != nil {
		f.Point = &connector.Point{Lat: point.Lat, Lon: point.Lon}
	}
	if photo != nil {
		if len(photo.Base64) > base64.StdEncoding.EncodedLen(demandes.MaxPhoto)+64 {
			return f, badInput(fmt.Sprintf("La photo est trop lourde : %d Ko au plus.", demandes.MaxPhoto>>10))
		}
		b64 := photo.Base64
		if _, after, ok := strings.Cut(b64, ";base64,"); ok && strings.HasPrefix(b64, "data:") {
			b64 = after // a data: URL as a browser's FileReader gives it
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return f, badInput("La photo n'est pas lisible (base64 attendu).")
		}
		f.Photo = &connector.File{Name: photo.Name, Content: raw}
	}
	return f, nil
}

// toFigures sums the projections' figures by kind and status.
func (r *Resolver) toFigures(figs []projections.DemandeFigure) *model.DemandeFigures {
	out := &model.DemandeFigures{ByKind: []*model.DemandeKindFigure{}}
	var seconds float64
	for _, f := range figs {
		kf := &model.DemandeKindFigure{Kind: f.Kind, Label: f.Kind, Status: model.DemandeStatus(f.Status), Count: int(f.Count),
			Closed: int(f.Closed), ClosedInTime: int(f.InTime)}
		if k, ok := r.Desk.Kinds().Get(f.Kind); ok {
			kf.Label, kf.AnnouncedDays = k.Label, k.Days()
		}
		if f.Closed > 0 {
			days := f.ClosedSeconds / float64(f.Closed) / 86400
			kf.AverageDays = &days
		}
		out.ByKind = append(out.ByKind, kf)
		out.Filed += int(f.Count)
		out.Closed += int(f.Closed)
		out.ClosedInTime += int(f.InTime)
		seconds += f.ClosedSeconds
	}
	if out.Closed > 0 {
		rate := float64(out.ClosedInTime) / float64(out.Closed)
		days := seconds / float64(out.Closed) / 86400
		out.InTimeRate, out.AverageDays = &rate, &days
	}
	return out
}

// exportDemande is a demande filed from a conversation, as a citizen's access
// request gets it: with its personal part while its key lives.
type exportDemande struct {
	TrackingCode string             `json:"tracking_code"`
	Kind         string             `json:"kind"`
	Status       string             `json:"status"`
	FiledAt      time.Time          `json:"filed_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
	Message      string             `json:"message,omitempty"`
	Personal     *demandes.Personal `json:"personal,omitempty"`
	Erased       bool               `json:"personal_erased,omitempty"`
}

// exportDemandes lists the demandes filed from a conversation.
func (r *Resolver) exportDemandes(conversationID string) ([]exportDemande, error) {
	if r.Desk == nil {
		return nil, nil
	}
	var out []exportDemande
	// A citizen's access request: the conversation is the citizen's own, so
	// its demandes are, whatever the commune.
	list, err := r.Desk.List(tenant.Everything(), demandes.Filter{Conversation: conversationID})
	if err != nil {
		return nil, err
	}
	for _, d := range list {
		e := exportDemande{TrackingCode: d.Code, Kind: d.Kind, Status: string(d.Status), FiledAt: d.FiledAt, UpdatedAt: d.UpdatedAt, Message: d.Message}
		p, err := r.Desk.Personal(d.Code)
		switch {
		case errors.Is(err, demandes.ErrErased):
			e.Erased = true
		case err != nil:
			return nil, err
		default:
			e.Personal = &p
		}
		out = append(out, e)
	}
	return out, nil
}
