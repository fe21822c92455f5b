package events

import "time"

// TopicDemandes carries the demandes citizens file and every change to them,
// on one partition so that every follower applies them in order. Contact
// details never travel here in clear: they are sealed with a key of their own
// that the demandes package keeps apart (crypto-shredding).
const TopicDemandes = "parvis.demandes"

// Demande event types.
const (
	TypeDemandeFiled          = "demande.filed"
	TypeDemandeStatusChanged  = "demande.status_changed"
	TypeDemandeDelivered      = "demande.delivered"
	TypeDemandeDeliveryFailed = "demande.delivery_failed"
	TypeDemandeContactErased  = "demande.contact_erased"
)

// DemandeFiled is a demande a citizen filed. What identifies or locates the
// citizen (contact, full address, point, photo, the description as written) is
// in Sealed only, encrypted with the demande's own key; Description is the
// redacted text and Place the street at most.
type DemandeFiled struct {
	TrackingCode string    `json:"tracking_code"`
	Number       int64     `json:"number"`
	Kind         string    `json:"kind"`
	Audience     string    `json:"audience,omitempty"`
	Description  string    `json:"description"`     // redacted
	Place        string    `json:"place,omitempty"` // a street without its number, or a point to about 100 m
	HasContact   bool      `json:"has_contact,omitempty"`
	Consent      bool      `json:"consent,omitempty"`
	HasPhoto     bool      `json:"has_photo,omitempty"`
	Due          time.Time `json:"due"` // when the announced processing time runs out
	Sealed       string    `json:"sealed,omitempty"`
}

// DemandeStatusChanged is an agent's change to a demande: its status, the
// public message the citizen reads with the tracking code, an internal note,
// who it is assigned to.
type DemandeStatusChanged struct {
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
	Message      string `json:"message,omitempty"` // in clear: events written before Sealed
	Note         string `json:"note,omitempty"`    // in clear: events written before Sealed
	Assignee     string `json:"assignee,omitempty"`
	By           string `json:"by"`
	// Sealed holds the message and the note encrypted with the demande's key,
	// as its personal part: what agents write about a citizen goes with it.
	Sealed string `json:"sealed,omitempty"`
}

// DemandeDelivered records that a service platform took the demande.
type DemandeDelivered struct {
	TrackingCode string `json:"tracking_code"`
	Connector    string `json:"connector"`
	RemoteID     string `json:"remote_id"`
	URL          string `json:"url,omitempty"`
	Attempts     int    `json:"attempts"`
}

// DemandeDeliveryFailed records a failed delivery: retried from NextAt, or
// given up (Dead) when the platform refused it or kept failing too long.
type DemandeDeliveryFailed struct {
	TrackingCode string    `json:"tracking_code"`
	Connector    string    `json:"connector"`
	Attempt      int       `json:"attempt"`
	Error        string    `json:"error"`
	NextAt       time.Time `json:"next_at,omitzero"`
	Dead         bool      `json:"dead,omitempty"`
}

// DemandeContactErased records that a demande's key was destroyed: its sealed
// part can no longer be read, on the log or anywhere it was copied.
type DemandeContactErased struct {
	TrackingCode string `json:"tracking_code"`
	Reason       string `json:"reason"` // "retention", "request", "conversation"
	By           string `json:"by,omitempty"`
}

func (DemandeFiled) EventType() string          { return TypeDemandeFiled }
func (DemandeStatusChanged) EventType() string  { return TypeDemandeStatusChanged }
func (DemandeDelivered) EventType() string      { return TypeDemandeDelivered }
func (DemandeDeliveryFailed) EventType() string { return TypeDemandeDeliveryFailed }
func (DemandeContactErased) EventType() string  { return TypeDemandeContactErased }

// Public implements [Secretive]: analytics keep no sealed part, not even as
// ciphertext.
func (d DemandeFiled) Public() Payload { d.Sealed = ""; return d }

// Public implements [Secretive]: what an agent wrote about a citizen (sealed,
// or in clear in events of before) is kept out of analytics.
func (d DemandeStatusChanged) Public() Payload { d.Message, d.Note, d.Sealed = "", "", ""; return d }
