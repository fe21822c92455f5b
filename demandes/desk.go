// Package demandes files and follows the requests citizens make from the chat
// (a pothole, a bulky-waste pickup, a room for an association): tracking codes
// that cannot be guessed, the checks of what a citizen sends, the personal part
// sealed with a key of its own (crypto-shredding), the agents' service desk,
// the chat's answer to « où en est ma demande ? », delivery to a town's service
// platform through a connector, and the figures of the service.
//
// Data flows through the log: [Desk.File] and the agents' changes are events
// on parvis.demandes; every process follows the topic into its [Desk] with
// [Desk.Apply], so the desk's state is the log's. Contact details travel only
// sealed; their keys stay in the [KeyStore].
package demandes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/ingest/redact"
	"github.com/parvis-civic/parvis/tenant"
	"github.com/parvis-civic/parvis/web"
)

// Errors callers turn into messages.
var (
	ErrUnknown   = errors.New("demandes: no demande has this tracking code")
	ErrBadStatus = errors.New("demandes: unknown status")
	ErrTooLong   = errors.New("demandes: message too long")
	// ErrNoScope is a read or a change of the desk without a tenant scope:
	// the zero [tenant.Scope] is refused, as by the projections.
	ErrNoScope = errors.New("demandes: no tenant scope")
)

// Tenants is what the desk needs of the declared tenants ([tenant.Registry]):
// their prefixes and who sees whom.
type Tenants interface {
	Get(id string) (tenant.Tenant, bool)
	ByPrefix(prefix string) (tenant.Tenant, bool)
	Scope(of string) tenant.Scope
}

// MaxMessage bounds an agent's public message and internal note.
const MaxMessage = 2000

// Publisher appends events to the log; it returns once they are durable.
type Publisher interface {
	Publish(ctx context.Context, evs ...events.Envelope) error
}

// Notifier tells a citizen who left an e-mail address that their demande
// changed; nil: nobody is told.
type Notifier interface {
	Notify(ctx context.Context, to string, d Demande) error
}

// Config configures a [Desk].
type Config struct {
	Tenant  string  // the tenant of what is filed with no tenant of its own
	Tenants Tenants // nil: no tenant declared, every code has the fallback prefix
	Codes   *Codes  // its Prefix is the fallback
	Kinds   *Kinds
	Keys    *KeyStore
	Notify  Notifier
	Logger  *slog.Logger
	Now     func() time.Time // the clock; time.Now when nil
}

// Desk holds every demande as the log says it is, and files and changes them
// as events. It is safe for concurrent use.
type Desk struct {
	cfg Config
	pub Publisher

	fileMu sync.Mutex // one number at a time

	mu      sync.RWMutex
	byCode  map[string]*Demande
	last    map[string]int64 // the highest number of each prefix and year: "MTC-2026"
	applied map[string]bool

	guesses *web.Limiter // codes with a wrong check part, by client address
}

// Codes whose check part is wrong are bounded by client address: 20 at once,
// then one a minute. Numbers follow each other, so a guess need only find the
// check part (one chance in a million): unbounded but for the chat's own limit
// (120 messages a minute), an address would hit a neighbour's demande about
// every six days; bounded, about once in two years.
const (
	guessesPerMinute = 1
	guessesAtOnce    = 20
)

// ErrTooManyGuesses refuses a tracking code from an address that has given
// too many wrong ones lately.
var ErrTooManyGuesses = errors.New("demandes: too many wrong tracking codes from this address")

// Change is one step of a demande's history.
type Change struct {
	At       time.Time
	Type     string // the event's type
	Status   connector.Status
	Message  string
	Note     string
	Assignee string
	By       string
}

// Delivery is where a demande stands with the town's service platform.
type Delivery struct {
	Connector string
	RemoteID  string
	URL       string
	Attempts  int
	NextAt    time.Time
	Error     string
	Delivered bool
	Dead      bool
}

// Demande is a demande as the desk holds it: nothing in clear that identifies
// the citizen (see [Desk.Personal]).
type Demande struct {
	Code           string
	Tenant         string // the tenant of the conversation it was filed from
	Number         int64
	Kind           string
	Audience       string
	ConversationID string
	Status         connector.Status
	FiledAt        time.Time
	UpdatedAt      time.Time
	Due            time.Time
	ClosedAt       time.Time // when it became TRAITEE or REJETEE
	Description    string    // redacted
	Place          string
	HasContact     bool
	Consent        bool
	HasPhoto       bool
	Sealed         string
	Message        string // the last public message
	Note           string // the last internal note
	Assignee       string
	Erased         bool // its personal part is gone
	History        []Change
	Delivery       Delivery
}

// Late reports whether the demande is still open past its announced time.
func (d Demande) Late(now time.Time) bool {
	return d.Open() && now.After(d.Due)
}

// Open reports whether the demande is neither done nor refused.
func (d Demande) Open() bool { return d.Status == connector.Recue || d.Status == connector.EnCours }

// NewDesk returns an empty desk.
func NewDesk(cfg Config, pub Publisher) *Desk {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Desk{cfg: cfg, pub: pub, byCode: map[string]*Demande{}, last: map[string]int64{}, applied: map[string]bool{},
		guesses: web.NewBurstLimiter(guessesPerMinute, guessesAtOnce)}
}

// Kinds returns the catalogue.
func (d *Desk) Kinds() *Kinds { return d.cfg.Kinds }

// Codes returns the tracking codes' maker.
func (d *Desk) Codes() *Codes { return d.cfg.Codes }

// File checks a form, seals its personal part, logs the demande and returns
// it with its tracking code. A form with problems is an [InvalidError].
func (d *Desk) File(ctx context.Context, f Form) (Demande, error) {
	c, err := validate(f, d.cfg.Kinds)
	if err != nil {
		return Demande{}, err
	}
	redacted, _ := redact.Redact(c.description)
	tenantID := f.Tenant
	if tenantID == "" {
		tenantID = d.cfg.Tenant
	}
	prefix := d.prefixOf(tenantID)
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	now := d.cfg.Now().UTC().Truncate(time.Second)
	// The year of the code is the citizen's: a demande filed at 00:30 on
	// New Year's Day in Paris is of the new year, as its filing date says.
	year := now.In(paris).Year()
	d.mu.RLock()
	number := d.last[series(prefix, year)] + 1
	d.mu.RUnlock()
	// The next number, unless another process sharing the key store just took
	// it (its event may not have reached this desk yet).
	var (
		code string
		key  []byte
	)
	for tries := 0; ; tries++ {
		code = d.cfg.Codes.MakeIn(prefix, year, number).String()
		key, err = d.cfg.Keys.New(code)
		if !errors.Is(err, ErrTaken) || tries == 1000 {
			break
		}
		number++
	}
	if err != nil {
		return Demande{}, err
	}
	p := Personal{Description: c.description, Address: c.address, Point: c.point,
		Email: c.contact.Email, Phone: c.contact.Phone, Photo: c.photo}
	sealed, err := seal(key, code, p)
	if err != nil {
		return Demande{}, err
	}
	ev, err := events.New(tenantID, f.ConversationID, now, events.DemandeFiled{
		TrackingCode: code, Number: number, Kind: c.kind.ID, Audience: string(f.Audience),
		Description: redacted, Place: streetLevel(c.address, c.point),
		HasContact: c.contact != (contact{}), Consent: c.consent && c.contact != (contact{}), HasPhoto: c.photo != nil,
		Due: c.kind.Due(now), Sealed: sealed,
	})
	if err != nil {
		return Demande{}, err
	}
	if err := d.pub.Publish(ctx, ev); err != nil {
		// The broker may have taken the event all the same (a failure after
		// it acknowledged, an outbox that could not store it): the number is
		// spent either way, and never given to another demande, whose code
		// would then answer for this one after a replay.
		d.mu.Lock()
		if s := series(prefix, year); d.last[s] < number {
			d.last[s] = number
		}
		d.mu.Unlock()
		// Its personal part goes: the citizen is told nothing was filed.
		if eerr := d.cfg.Keys.Erase(code); eerr != nil {
			d.cfg.Logger.Warn("demandes: erase the key of a demande not filed", slog.Any("error", eerr))
		}
		return Demande{}, err
	}
	d.applyEvent(ev)
	filed.WithLabelValues(c.kind.ID).Inc()
	return d.Get(code)
}

// Update records an agent's change: status, public message, internal note,
// assignee (nil: unchanged), to a demande of the scope (ErrUnknown for one
// outside it). The citizen who left an e-mail address and agreed to be
// contacted is told when a notifier is set.
func (d *Desk) Update(ctx context.Context, scope tenant.Scope, code string, status connector.Status, message, note string, assignee *string, by string) (Demande, error) {
	cur, err := d.Case(scope, code)
	if err != nil {
		return Demande{}, err
	}
	switch status {
	case "":
		status = cur.Status
	case connector.Recue, connector.EnCours, connector.Traitee, connector.Rejetee:
	default:
		return Demande{}, ErrBadStatus
	}
	message, note = clean(message), clean(note)
	if utf8.RuneCountInString(message) > MaxMessage || utf8.RuneCountInString(note) > MaxMessage {
		return Demande{}, ErrTooLong
	}
	sealed, err := d.sealWords(cur.Code, Words{Message: message, Note: note})
	if err != nil {
		return Demande{}, err
	}
	p := events.DemandeStatusChanged{TrackingCode: cur.Code, Status: string(status), Sealed: sealed, Assignee: cur.Assignee, By: by}
	if assignee != nil {
		p.Assignee = clean(*assignee)
	}
	ev, err := events.New(cur.Tenant, cur.ConversationID, d.cfg.Now(), p)
	if err != nil {
		return Demande{}, err
	}
	if err := d.pub.Publish(ctx, ev); err != nil {
		return Demande{}, err
	}
	d.applyEvent(ev)
	updated, _ := d.Get(cur.Code)
	if d.cfg.Notify != nil && updated.Consent && (status != cur.Status || message != "") {
		d.notify(ctx, updated)
	}
	return updated, nil
}

// notify e-mails the citizen, when they left an address; a failure is logged,
// the change stands. The relay's answer quotes the address it refuses, so the
// log gets the error as the desk keeps a platform's: redacted.
func (d *Desk) notify(ctx context.Context, dm Demande) {
	p, err := d.Personal(dm.Code)
	if err != nil || p.Email == "" {
		return
	}
	if err := d.cfg.Notify.Notify(ctx, p.Email, dm); err != nil {
		d.cfg.Logger.Warn("demandes: e-mail to the citizen", slog.String("code", dm.Code), slog.String("error", errorText(err)))
	}
}

// EraseContact destroys the key of a demande of the scope, so that its personal
// part can be read nowhere any more, and logs it.
func (d *Desk) EraseContact(ctx context.Context, scope tenant.Scope, code, reason, by string) (Demande, error) {
	cur, err := d.Case(scope, code)
	if err != nil {
		return Demande{}, err
	}
	if err := d.cfg.Keys.Erase(cur.Code); err != nil {
		return Demande{}, err
	}
	if cur.Erased {
		return cur, nil
	}
	ev, err := events.New(cur.Tenant, cur.ConversationID, d.cfg.Now(), events.DemandeContactErased{TrackingCode: cur.Code, Reason: reason, By: by})
	if err != nil {
		return Demande{}, err
	}
	if err := d.pub.Publish(ctx, ev); err != nil {
		return Demande{}, err
	}
	d.applyEvent(ev)
	return d.Get(cur.Code)
}

// EraseConversation erases the personal part of every demande filed from a
// conversation, when the citizen asks for the conversation to be erased.
func (d *Desk) EraseConversation(ctx context.Context, conversationID, by string) error {
	d.mu.RLock()
	var codes []string
	for _, dm := range d.byCode {
		if dm.ConversationID == conversationID {
			codes = append(codes, dm.Code)
		}
	}
	d.mu.RUnlock()
	for _, c := range codes {
		if _, err := d.EraseContact(ctx, tenant.Everything(), c, "conversation", by); err != nil {
			return err
		}
	}
	return nil
}

// Personal opens a demande's sealed part: for the agents and the delivery
// path, never for a topic or a table. ErrErased once its key is gone.
func (d *Desk) Personal(code string) (Personal, error) {
	cur, err := d.Track(code)
	if err != nil {
		return Personal{}, err
	}
	if cur.Sealed == "" {
		return Personal{}, ErrErased
	}
	key, err := d.cfg.Keys.Get(cur.Code)
	if err != nil {
		return Personal{}, err
	}
	var p Personal
	return p, open(key, cur.Code, cur.Sealed, &p)
}

// sealWords seals an agent's message and note on a demande with its key; a
// demande whose key is gone takes neither (ErrErased).
func (d *Desk) sealWords(code string, w Words) (string, error) {
	if w == (Words{}) {
		return "", nil
	}
	key, err := d.cfg.Keys.Get(code)
	if err != nil {
		return "", err
	}
	return seal(key, code, w)
}

// openWords returns what an agent wrote on a demande: sealed, while its key is
// there; in clear, from events written before they were sealed.
func (d *Desk) openWords(p *events.DemandeStatusChanged) Words {
	if p.Sealed == "" {
		return Words{Message: p.Message, Note: p.Note}
	}
	var w Words
	if key, err := d.cfg.Keys.Get(p.TrackingCode); err == nil {
		if err := open(key, p.TrackingCode, p.Sealed, &w); err != nil {
			d.cfg.Logger.Warn("demandes: an agent's words do not open", slog.String("code", p.TrackingCode), slog.Any("error", err))
		}
	}
	return w
}

// Track reads a tracking code as a citizen typed it and returns its demande:
// ErrCodeFormat or ErrCodeCheck when it does not read (or its prefix is none
// of the deployment's), ErrUnknown when no demande has it. The code is what
// proves the citizen's right to see where the demande stands; the agents' reads
// go through [Desk.Case], which takes their scope.
func (d *Desk) Track(typed string) (Demande, error) {
	c, err := d.cfg.Codes.Parse(typed)
	if err != nil {
		return Demande{}, err
	}
	if !d.knownPrefix(c.Prefix) {
		return Demande{}, ErrCodeFormat
	}
	return d.Get(c.String())
}

// TrackFrom is [Desk.Track] for a citizen: an address that gave too many
// codes with a wrong check part lately is refused ([ErrTooManyGuesses])
// before any look-up, and a wrong check part counts against it.
func (d *Desk) TrackFrom(ctx context.Context, typed string) (Demande, error) {
	addr := web.ClientAddr(ctx)
	if d.guesses.Exhausted(addr) {
		return Demande{}, ErrTooManyGuesses
	}
	dm, err := d.Track(typed)
	if errors.Is(err, ErrCodeCheck) {
		d.guesses.Allow(addr)
	}
	return dm, err
}

// Case returns a demande of the scope by its tracking code however typed:
// ErrUnknown for a demande outside the scope, as for none, so that an agent
// learns nothing of another territory's demandes; ErrNoScope for the zero
// scope.
func (d *Desk) Case(scope tenant.Scope, typed string) (Demande, error) {
	if !scope.Valid() {
		return Demande{}, ErrNoScope
	}
	dm, err := d.Track(typed)
	if err != nil {
		return Demande{}, err
	}
	if !scope.Has(dm.Tenant) {
		return Demande{}, ErrUnknown
	}
	return dm, nil
}

// prefixOf returns the prefix of a tenant's codes: its declared prefix, or the
// fallback when it declares none or no tenant is declared.
func (d *Desk) prefixOf(tenantID string) string {
	if d.cfg.Tenants != nil && tenantID != "" {
		if t, ok := d.cfg.Tenants.Get(tenantID); ok && t.Prefix != "" {
			return t.Prefix
		}
	}
	return d.cfg.Codes.Prefix
}

// knownPrefix reports whether a prefix is one of the deployment's: the
// fallback, a declared tenant's, or one the desk holds demandes of (a tenant
// that changed its prefix keeps its old codes).
func (d *Desk) knownPrefix(p string) bool {
	if p == d.cfg.Codes.Prefix {
		return true
	}
	if d.cfg.Tenants != nil {
		if _, ok := d.cfg.Tenants.ByPrefix(p); ok {
			return true
		}
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	for s := range d.last {
		if strings.HasPrefix(s, p+"-") {
			return true
		}
	}
	return false
}

// series is the key of a numbering: one per prefix and year.
func series(prefix string, year int) string { return fmt.Sprintf("%s-%04d", prefix, year) }

// Get returns a copy of a demande by its exact code.
func (d *Desk) Get(code string) (Demande, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	dm, ok := d.byCode[code]
	if !ok {
		return Demande{}, ErrUnknown
	}
	return dm.copy(), nil
}

func (dm *Demande) copy() Demande {
	c := *dm
	c.History = slices.Clone(dm.History)
	return c
}

// Filter selects demandes for the service desk.
type Filter struct {
	Kind         string
	Status       connector.Status
	Late         bool
	Assignee     string
	Conversation string // filed from this conversation
}

// List returns the demandes of the scope that pass the filter, the latest
// filed first; ErrNoScope for the zero scope.
func (d *Desk) List(scope tenant.Scope, f Filter) ([]Demande, error) {
	if !scope.Valid() {
		return nil, ErrNoScope
	}
	now := d.cfg.Now()
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []Demande
	for _, dm := range d.byCode {
		if !scope.Has(dm.Tenant) || (f.Kind != "" && dm.Kind != f.Kind) || (f.Status != "" && dm.Status != f.Status) ||
			(f.Late && !dm.Late(now)) || (f.Assignee != "" && dm.Assignee != f.Assignee) ||
			(f.Conversation != "" && dm.ConversationID != f.Conversation) {
			continue
		}
		out = append(out, dm.copy())
	}
	// The latest filed first; the code breaks ties between communes.
	slices.SortFunc(out, func(a, b Demande) int {
		if c := b.FiledAt.Compare(a.FiledAt); c != 0 {
			return c
		}
		return strings.Compare(b.Code, a.Code)
	})
	return out, nil
}

// Apply applies an event of parvis.demandes (the follower's callback); an event
// already applied is skipped.
func (d *Desk) Apply(env events.Envelope, p events.Payload) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.apply(env, p)
}

func (d *Desk) applyEvent(ev events.Envelope) {
	_, p, err := events.Decode(mustMarshal(ev))
	if err != nil {
		d.cfg.Logger.Error("demandes: apply own event", slog.Any("error", err))
		return
	}
	d.Apply(ev, p)
}

func mustMarshal(ev events.Envelope) []byte {
	b, _ := ev.Marshal()
	return b
}

func (d *Desk) apply(env events.Envelope, p events.Payload) {
	if d.applied[env.ID] {
		return
	}
	d.applied[env.ID] = true
	switch p := p.(type) {
	case *events.DemandeFiled:
		if _, ok := d.byCode[p.TrackingCode]; ok {
			d.cfg.Logger.Error("demandes: a second demande with a tracking code already given, left out", slog.String("code", p.TrackingCode), slog.String("event", env.ID))
			return
		}
		dm := &Demande{Code: p.TrackingCode, Tenant: env.Tenant, Number: p.Number, Kind: p.Kind, Audience: p.Audience,
			ConversationID: env.ConversationID, Status: connector.Recue, FiledAt: env.At, UpdatedAt: env.At, Due: p.Due,
			Description: p.Description, Place: p.Place, HasContact: p.HasContact, Consent: p.Consent, HasPhoto: p.HasPhoto,
			Sealed: p.Sealed}
		dm.History = append(dm.History, Change{At: env.At, Type: env.Type, Status: connector.Recue})
		d.byCode[p.TrackingCode] = dm
		if c, err := d.cfg.Codes.read(p.TrackingCode); err == nil {
			if s := series(c.Prefix, c.Year); p.Number > d.last[s] {
				d.last[s] = p.Number
			}
		}
	case *events.DemandeStatusChanged:
		dm, ok := d.byCode[p.TrackingCode]
		if !ok {
			return
		}
		st := connector.Status(p.Status)
		if st != dm.Status && (st == connector.Traitee || st == connector.Rejetee) {
			dm.ClosedAt = env.At
		} else if st == connector.Recue || st == connector.EnCours {
			dm.ClosedAt = time.Time{}
		}
		dm.Status, dm.UpdatedAt, dm.Assignee = st, env.At, p.Assignee
		w := d.openWords(p)
		if w.Message != "" {
			dm.Message = w.Message
		}
		if w.Note != "" {
			dm.Note = w.Note
		}
		dm.History = append(dm.History, Change{At: env.At, Type: env.Type, Status: st, Message: w.Message, Note: w.Note, Assignee: p.Assignee, By: p.By})
	case *events.DemandeDelivered:
		if dm, ok := d.byCode[p.TrackingCode]; ok {
			dm.Delivery = Delivery{Connector: p.Connector, RemoteID: p.RemoteID, URL: p.URL, Attempts: p.Attempts, Delivered: true}
			dm.History = append(dm.History, Change{At: env.At, Type: env.Type, Status: dm.Status, By: p.Connector})
		}
	case *events.DemandeDeliveryFailed:
		if dm, ok := d.byCode[p.TrackingCode]; ok {
			dm.Delivery.Connector, dm.Delivery.Attempts, dm.Delivery.Error = p.Connector, p.Attempt, p.Error
			dm.Delivery.NextAt, dm.Delivery.Dead = p.NextAt, p.Dead
			if p.Dead {
				dm.History = append(dm.History, Change{At: env.At, Type: env.Type, Status: dm.Status, Note: p.Error, By: p.Connector})
			}
		}
	case *events.DemandeContactErased:
		if dm, ok := d.byCode[p.TrackingCode]; ok {
			// With its key go the citizen's own words (the description, even
			// redacted) and what agents wrote about the citizen; its kind,
			// street, status and dates stay, as the figures count them.
			dm.Erased, dm.Sealed, dm.HasContact = true, "", false
			dm.Description, dm.Message, dm.Note = "", "", ""
			for i := range dm.History {
				dm.History[i].Message, dm.History[i].Note = "", ""
			}
			dm.History = append(dm.History, Change{At: env.At, Type: env.Type, Status: dm.Status, Note: p.Reason, By: p.By})
		}
	}
}

// streetLevel keeps where a demande is to the street at most: of the address,
// the comma-separated part that names a street, from its street word on (so
// without its house number, nor a building, a flat or a floor before it); or
// the point to about 100 m. An address that names no street keeps nothing:
// « Résidence les Pins bât B appt 12 » says more of a person than of a place.
func streetLevel(address string, p *connector.Point) string {
	if address != "" {
		for _, part := range strings.Split(address, ",") {
			if m := streetWord.FindStringSubmatchIndex(part); m != nil {
				street, _ := redact.Redact(strings.TrimSpace(part[m[2]:]))
				return street
			}
		}
		return ""
	}
	if p != nil {
		return fmt.Sprintf("%.3f,%.3f", p.Lat, p.Lon)
	}
	return ""
}

// streetWord finds a French street type as a whole word (Go's \b knows ASCII
// letters only: « allée » would not end at one).
var streetWord = regexp.MustCompile(`(?i)(?:^|[^\p{L}])((?:rue|ruelle|avenue|boulevard|bd|chemin|allée|allee|impasse|place|route|quai|square|cours|voie|lotissement|lieu-dit|lieudit|sentier|passage|faubourg|esplanade|promenade|rond-point|hameau)(?:$|[^\p{L}]))`)

// kindLabel returns a kind's label, or its id.
func (d *Desk) kindLabel(id string) string {
	if k, ok := d.cfg.Kinds.Get(id); ok {
		return k.Label
	}
	return id
}
