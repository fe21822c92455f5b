package demandes

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/kb"
)

// keptPhone is a phone number as kept: ten digits from 0, or overseas
// France's in international form.
var keptPhone = regexp.MustCompile(`^(?:0[1-9][0-9]{8}|\+(?:262|269|590|594|596)[1-9][0-9]{8}|\+(?:508|681|687)[0-9]{6}|\+689[0-9]{8})$`)

// FuzzValidate: a demande's form as any client may send it. Validation never
// panics; an accepted form keeps a description of the allowed length without
// control characters and a contact that is one well-formed e-mail address or
// French number; a refused one says, field by known field, what to change.
func FuzzValidate(f *testing.F) {
	f.Add("voirie", "particulier", "Un trou énorme au rond-point de la gare", "12 rue des Lilas", "jean.dupont@exemple.fr", true, false, 43.6, 1.4, []byte(nil))
	f.Add("encombrants", "", "frigo", "", "06 12 34 56 78", false, true, 0.0, 0.0, []byte("\xff\xd8\xff\xe0"))
	f.Add("salle_association", "association", "réunion\u00a0du bureau", "\x00\x1b", "+33612345678", true, false, 95.0, 200.0, []byte("GIF89a"))
	f.Add("voirie", "particulier", "Un trou devant la case", "5 rue Y", "+262 692 12 34 56", true, false, -21.1, 55.5, []byte(nil))
	f.Add("nope", "entreprise", "   ", "", "a@b", true, true, -1.0, -1.0, []byte{})
	kinds := NewKinds(kb.DemoKinds())
	fields := []string{"description", "kind", "address", "point", "photo", "contact", "consent"}
	f.Fuzz(func(t *testing.T, kind, audience, description, address, typed string, consent, short bool, lat, lon float64, photo []byte) {
		form := Form{Kind: kind, Audience: kb.Audience(audience), Description: description, Address: address,
			Contact: typed, Consent: &consent, Short: short, Point: &connector.Point{Lat: lat, Lon: lon}}
		if photo != nil {
			form.Photo = &connector.File{Name: "photo", Content: photo}
		}
		c, err := validate(form, kinds)
		if err != nil {
			var bad InvalidError
			if !errors.As(err, &bad) || len(bad) == 0 {
				t.Fatalf("refused without saying what: %v", err)
			}
			for _, b := range bad {
				if !slices.Contains(fields, b.Field) || b.Msg == "" {
					t.Errorf("a problem %+v names no field of the form or says nothing", b)
				}
			}
			return
		}
		if n := utf8.RuneCountInString(c.description); n < MinDescription || n > MaxDescription {
			t.Errorf("accepted a description of %d characters", n)
		}
		if strings.ContainsFunc(c.description+c.address, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Errorf("accepted control characters: %q %q", c.description, c.address)
		}
		switch {
		case c.contact.Email != "" && c.contact.Phone != "":
			t.Errorf("a contact both e-mail and phone: %+v", c.contact)
		case c.contact.Email != "" && !emailRe.MatchString(c.contact.Email):
			t.Errorf("accepted the e-mail address %q", c.contact.Email)
		case c.contact.Email != "" && (strings.Contains(c.contact.Email, "..") || strings.HasPrefix(c.contact.Email, ".") || strings.Contains(c.contact.Email, ".@")):
			t.Errorf("accepted the e-mail address %q", c.contact.Email)
		case c.contact.Phone != "" && !keptPhone.MatchString(c.contact.Phone):
			t.Errorf("accepted the phone number %q", c.contact.Phone)
		case strings.TrimSpace(typed) != "" && c.contact == (contact{}):
			t.Errorf("accepted the contact %q and kept nothing of it", typed)
		}
	})
}
