package french

import snowball "github.com/kljensen/snowball/french"

// Stem reduces a folded word to its Snowball French stem. Words of three letters
// or fewer are left as they are.
func Stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	return snowball.Stem(w, true)
}
