// Package connector is what a town's service platform (Publik's w.c.s.,
// Démarches Simplifiées) must offer for Parvis to deliver demandes to it and
// follow them there: submit one, read its status. Parvis works without one too:
// its own service desk is the default.
package connector

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Status is where a demande stands, in Parvis's words.
type Status string

const (
	Recue   Status = "RECUE"    // filed, not yet taken up
	EnCours Status = "EN_COURS" // an agent works on it
	Traitee Status = "TRAITEE"  // done
	Rejetee Status = "REJETEE"  // refused, or closed without follow-up
)

// Point is a place on a map (WGS 84).
type Point struct {
	Lat, Lon float64
}

// File is an attached file, a photo of the problem for instance.
type File struct {
	Name        string
	ContentType string
	Content     []byte
}

// Submission is a demande as delivered to a platform: the citizen's answers in
// clear, which only the delivery path ever holds (never a topic or a table).
type Submission struct {
	TrackingCode string // e.g. MTC-2026-000123-K
	Tenant       string
	Kind         string // the demande's kind, e.g. "voirie"
	FiledAt      time.Time
	Description  string
	Address      string
	Point        *Point
	Photo        *File
	Email        string
	Phone        string
	Consent      bool              // the citizen agreed to be contacted
	Extra        map[string]string // other fields of the kind, by name
}

// Remote is a demande as the platform knows it.
type Remote struct {
	ID  string // the platform's id
	URL string // where the citizen (or an agent) follows it there
}

// Finder is a connector that finds a demande the platform already holds, by
// its tracking code. A submission whose answer was lost (the platform created
// the form, then the answer timed out; or the delivery's event failed to reach
// the log) is found again before it is sent again, instead of being filed
// twice. found is false when the platform holds none.
type Finder interface {
	Find(ctx context.Context, s Submission) (r Remote, found bool, err error)
}

// RemoteStatus is a demande's status on the platform.
type RemoteStatus struct {
	Status  Status
	Label   string    // the platform's own name for it, shown to agents
	At      time.Time // when it took that status, when the platform says
	Message string    // the last public message to the citizen, if any
}

// Connector delivers demandes to one platform and reads their status. Errors
// that may pass (the platform down, a timeout, a 5xx) must be told apart from
// refusals (a 4xx: the submission itself is wrong) with [Temporary], so that
// the delivery path retries the first and reports the second. [Refused] makes
// a platform's refusal, temporary when the fault is likely Parvis's setup.
type Connector interface {
	Name() string
	Submit(ctx context.Context, s Submission) (Remote, error)
	Status(ctx context.Context, r Remote) (RemoteStatus, error)
}

// TemporaryError marks a failure worth retrying.
type TemporaryError struct{ Err error }

func (e *TemporaryError) Error() string { return e.Err.Error() }
func (e *TemporaryError) Unwrap() error { return e.Err }

// Refused returns err, a platform's refusal of a request with the HTTP status
// code, as a [TemporaryError] when the demande itself is not at fault: 401 and
// 403 (a key rotated, a clock skewed, a signature refused), 404 (a form or
// démarche misnamed or not yet published), 408 and 429. These are fixed on
// Parvis's or the platform's side, and the demande must then go through
// rather than be dead-lettered at its first attempt.
func Refused(code int, err error) error {
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusRequestTimeout, http.StatusTooManyRequests:
		return &TemporaryError{Err: err}
	}
	return err
}

// Temporary reports whether err is worth retrying.
func Temporary(err error) bool {
	var t *TemporaryError
	return errors.As(err, &t)
}
