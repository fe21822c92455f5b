package demandes

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/kb"
)

// Bounds of what a citizen sends with a demande.
const (
	MinDescription = 10
	MaxDescription = 2000
	MaxAddress     = 200
	// MaxPhoto keeps a demande's event well under the log's 1 MiB message,
	// once sealed and encoded; the widget shrinks photos to fit.
	MaxPhoto = 256 << 10 // bytes, once decoded
)

// Form is a demande as the citizen fills it in.
type Form struct {
	ConversationID string
	Tenant         string // the conversation's: its prefix starts the code
	Kind           string
	Audience       kb.Audience
	Description    string
	Address        string
	Point          *connector.Point
	Photo          *connector.File
	Contact        string // an e-mail address or a phone number, as typed
	// Consent is the citizen's answer to « J'accepte d'être contacté… »; nil
	// when the client did not ask (the short form of fileDemande): giving a
	// contact then is the consent, for this demande only.
	Consent *bool
	// Short is true for a client of the contract's short form (conversation,
	// kind, description, contact): it asks no place, so a kind's required place
	// is left for the agent to ask, and the description may say it.
	Short bool
}

// Invalid is one answer of the form that cannot be taken, with a message for
// the citizen.
type Invalid struct {
	Field string // description, kind, address, point, photo, contact, consent
	Msg   string // in French
}

// InvalidError lists every answer of a form that cannot be taken.
type InvalidError []Invalid

func (e InvalidError) Error() string {
	msgs := make([]string, len(e))
	for i, v := range e {
		msgs[i] = v.Msg
	}
	return strings.Join(msgs, " ")
}

var (
	emailRe = regexp.MustCompile(`^[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$`)
	phoneRe = regexp.MustCompile(`^(?:0|\+33|0033)[1-9][0-9]{8}$`)
	// Overseas France has its own country codes: La Réunion, Mayotte, the
	// Antilles and Guyane with 9 digits after them, Saint-Pierre-et-Miquelon,
	// Wallis-et-Futuna and Nouvelle-Calédonie with 6, Polynésie with 8. Such a
	// number is kept in international form.
	overseasRe = regexp.MustCompile(`^(?:\+|00)((?:262|269|590|594|596)[1-9][0-9]{8}|(?:508|681|687)[0-9]{6}|689[0-9]{8})$`)
	phoneCh    = strings.NewReplacer(" ", "", ".", "", "-", "", "(0)", "", "\u00a0", "", "\u202f", "")
)

// contact is a checked contact: one of the two.
type contact struct{ Email, Phone string }

// parseContact reads an e-mail address or a French phone number, overseas
// included. A local part that starts or ends with a dot or holds two in a row
// is refused: no mail server delivers it.
func parseContact(s string) (contact, string) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		local := s[:strings.LastIndex(s, "@")]
		if len(s) > 254 || !emailRe.MatchString(s) ||
			strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
			return contact{}, "L'adresse électronique n'est pas valide : vérifiez-la (par exemple prenom.nom@exemple.fr)."
		}
		return contact{Email: s}, ""
	}
	p := phoneCh.Replace(s)
	if m := overseasRe.FindStringSubmatch(p); m != nil {
		return contact{Phone: "+" + m[1]}, ""
	}
	if !phoneRe.MatchString(p) {
		return contact{}, "Le numéro de téléphone n'est pas valide : donnez un numéro français à 10 chiffres (06 12 34 56 78) ou une adresse électronique."
	}
	if strings.HasPrefix(p, "+33") {
		p = "0" + p[3:]
	} else if strings.HasPrefix(p, "0033") {
		p = "0" + p[4:]
	}
	return contact{Phone: p}, ""
}

// clean normalises a citizen's text: NFC, no control characters, trimmed.
func clean(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, ""))
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// checked is a form that passed validation.
type checked struct {
	kind        kb.DemandeKind
	description string
	address     string
	point       *connector.Point
	photo       *connector.File
	contact     contact
	consent     bool
}

// validate checks a form against its kind; every problem is reported at once.
func validate(f Form, kinds *Kinds) (checked, error) {
	var errs InvalidError
	bad := func(field, msg string) { errs = append(errs, Invalid{field, msg}) }
	c := checked{description: clean(f.Description), address: clean(f.Address), point: f.Point, photo: f.Photo}
	k, ok := kinds.Get(f.Kind)
	switch {
	case !ok:
		bad("kind", fmt.Sprintf("Ce type de demande (« %s ») n'existe pas ici. Types possibles : %s.", f.Kind, strings.Join(kinds.IDs(), ", ")))
	case !k.AllowedFor(f.Audience):
		bad("kind", fmt.Sprintf("La demande « %s » n'est pas ouverte à votre public.", k.Label))
	}
	c.kind = k
	switch n := utf8.RuneCountInString(c.description); {
	case n < MinDescription:
		bad("description", fmt.Sprintf("La description est trop courte : décrivez la demande en %d caractères au moins.", MinDescription))
	case n > MaxDescription:
		bad("description", fmt.Sprintf("La description est trop longue : %d caractères, %d au plus.", n, MaxDescription))
	}
	if p := c.point; p != nil && (p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 || (p.Lat == 0 && p.Lon == 0)) {
		bad("point", "Le point sur la carte n'est pas valide (latitude entre -90 et 90, longitude entre -180 et 180).")
	}
	if n := utf8.RuneCountInString(c.address); n > MaxAddress {
		bad("address", fmt.Sprintf("L'adresse est trop longue : %d caractères, %d au plus.", n, MaxAddress))
	}
	if ok && k.Location == kb.Required && c.address == "" && c.point == nil && !f.Short {
		bad("address", "Indiquez où se trouve le problème : une adresse, un lieu ou un point sur la carte.")
	}
	if ok && !k.Location.Asked() {
		c.address, c.point = "", nil
	}
	if p := c.photo; p != nil {
		switch {
		case ok && !k.Photo:
			bad("photo", "Ce type de demande ne prend pas de photo.")
		case len(p.Content) == 0:
			bad("photo", "La photo est vide.")
		case len(p.Content) > MaxPhoto:
			bad("photo", fmt.Sprintf("La photo est trop lourde : %d Ko, %d Ko au plus.", len(p.Content)>>10, MaxPhoto>>10))
		default:
			switch ct := http.DetectContentType(p.Content); ct {
			case "image/jpeg", "image/png", "image/webp", "image/gif":
				p.ContentType = ct
			default:
				bad("photo", "La photo doit être une image JPEG, PNG, WebP ou GIF.")
			}
		}
	}
	if f.Contact = strings.TrimSpace(f.Contact); f.Contact != "" {
		ct, msg := parseContact(f.Contact)
		if msg != "" {
			bad("contact", msg)
		}
		c.contact = ct
		if f.Consent != nil && !*f.Consent {
			bad("consent", "Pour laisser vos coordonnées, cochez « J'accepte d'être contacté(e) au sujet de cette demande », ou effacez-les.")
		}
		c.consent = true
	} else if ok && k.Contact == kb.Required {
		bad("contact", "Cette demande a besoin d'un moyen de vous joindre : une adresse électronique ou un numéro de téléphone.")
	}
	if len(errs) > 0 {
		return checked{}, errs
	}
	return c, nil
}
