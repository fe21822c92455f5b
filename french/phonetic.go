package french

import "strings"

// Phonetic returns a key that French words written the way they sound share
// with their correct spelling: « mediatek » and « médiathèque », « papié » and
// « papier », « poubele » and « poubelle », « boulo » and « boulot ». w is a
// folded word (see [Fold]). The rules are a small subset of French spelling, in
// the spirit of the Phonex and Soundex-FR keys: letter groups that sound alike
// become one, doubled letters one letter, and the silent endings go.
func Phonetic(w string) string {
	s := w
	for _, r := range phoneticGroups {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch c {
		case 'c':
			if next == 'e' || next == 'i' || next == 'y' {
				c = 's'
			} else {
				c = 'k'
			}
		case 'g':
			if next == 'e' || next == 'i' || next == 'y' {
				c = 'j'
			}
		case 'h':
			continue
		case 'y':
			c = 'i'
		case 'z':
			c = 's'
		case 'w':
			c = 'v'
		}
		if b.Len() > 0 && b.String()[b.Len()-1] == c {
			continue
		}
		b.WriteByte(c)
	}
	s = b.String()
	// Silent endings: « -er », « -ez », « -et » sound « é »; a final e, s, t, d, x
	// or p is not heard.
	for _, end := range []string{"er", "ez", "et"} {
		if len(s) > len(end)+2 && strings.HasSuffix(s, end) {
			s = s[:len(s)-len(end)] + "e"
			break
		}
	}
	for len(s) > 3 && strings.ContainsRune("estdxp", rune(s[len(s)-1])) {
		if s[len(s)-1] == 'e' && len(s) > 1 && strings.HasSuffix(s, "ie") {
			s = s[:len(s)-1]
			continue
		}
		s = s[:len(s)-1]
	}
	return s
}

// phoneticGroups are letter groups (« ch » becomes S, a letter no folded word
// holds, so that it is not taken for a silent final x) written differently for one sound, longest
// first so that « eau » goes before « au ».
var phoneticGroups = [][2]string{
	{"eaux", "o"}, {"eau", "o"}, {"aux", "o"}, {"au", "o"},
	{"ph", "f"}, {"th", "t"}, {"sch", "S"}, {"ch", "S"}, {"sh", "S"},
	{"qu", "k"}, {"q", "k"}, {"ck", "k"}, {"gu", "g"},
	{"ain", "in"}, {"ein", "in"}, {"aim", "in"}, {"ym", "in"}, {"im", "in"},
	{"ai", "e"}, {"ei", "e"}, {"oi", "wa"}, {"oy", "wa"},
	{"em", "an"}, {"en", "an"}, {"am", "an"},
	{"ss", "s"}, {"tion", "sion"},
}
