package demandes

import "testing"

// Overseas France's numbers are French numbers; an e-mail address whose local
// part starts, ends or doubles a dot is no address.
func TestContactsOverseasNumbersAndDottedAddresses(t *testing.T) {
	for _, ok := range []string{"+262 692 12 34 56", "+590 690 12 34 56", "+33 6 12 34 56 78", "+689 87 12 34 56", "+687 75 12 34", "prenom.nom@exemple.fr"} {
		if _, msg := parseContact(ok); msg != "" {
			t.Errorf("%q refused: %s", ok, msg)
		}
	}
	for _, bad := range []string{".@exemple.fr", "a..b@exemple.fr", ".a@exemple.fr", "a.@exemple.fr"} {
		if _, msg := parseContact(bad); msg == "" {
			t.Errorf("%q taken as an e-mail address", bad)
		}
	}
}
