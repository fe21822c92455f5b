package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A token is a word of a text, for the finders that read words: addresses and
// names. A word is a run of letters, marks and digits, hyphens inside it
// included ("Saint-Jacques", "lieu-dit"); an apostrophe ends it ("l'", "Église").
type token struct {
	start, end int
	fold       string // lower case, without accents
	upper      bool   // starts with an upper-case letter
	digit      bool   // starts with a digit
	sep        string // the text between the previous token (or the start) and this one
	wall       bool   // a placeholder stands between the previous token and this one
	initial    bool   // one capital letter and a dot: "J. Dupont"
}

func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/6+1)
	last, wall := 0, false
	for i := 0; i < len(text); {
		r, size := decodeRune(text, i)
		if r == '[' {
			if n := placeholderLen(text[i:]); n > 0 {
				i += n
				wall = true
				continue
			}
		}
		if !isWord(r) {
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size = decodeRune(text, i)
			if isWord(r) {
				i += size
				continue
			}
			// A hyphen joins two words into one.
			if r == '-' && i+1 < len(text) {
				if next, _ := decodeRune(text, i+1); isWord(next) {
					i++
					continue
				}
			}
			break
		}
		first, size := decodeRune(text, start)
		toks = append(toks, token{start: start, end: i, fold: fold(text[start:i]),
			upper: unicode.IsUpper(first), digit: '0' <= first && first <= '9', sep: text[last:start], wall: wall,
			initial: unicode.IsUpper(first) && i == start+size && i < len(text) && text[i] == '.'})
		last, wall = i, false
	}
	return toks
}

// placeholderLen returns the length of the placeholder that s starts with, or 0.
func placeholderLen(s string) int {
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ']' && i > 1:
			return i + 1
		case c != '_' && (c < 'A' || c > 'Z'):
			return 0
		}
	}
	return 0
}

// fold returns s in lower case without accents: "Église" → "eglise".
func fold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s // most words: nothing to do
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r = unicode.ToLower(r); r {
		case 'à', 'â', 'ä', 'á', 'ã':
			b.WriteByte('a')
		case 'é', 'è', 'ê', 'ë':
			b.WriteByte('e')
		case 'î', 'ï', 'í', 'ì':
			b.WriteByte('i')
		case 'ô', 'ö', 'ó', 'ò', 'õ':
			b.WriteByte('o')
		case 'ù', 'û', 'ü', 'ú':
			b.WriteByte('u')
		case 'ç':
			b.WriteByte('c')
		case 'ÿ':
			b.WriteByte('y')
		case 'ñ':
			b.WriteByte('n')
		case 'œ':
			b.WriteString("oe")
		case 'æ':
			b.WriteString("ae")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Kinds of separators between two tokens.

// blank tells whether sep is only spaces (and not empty between two words).
func blank(sep string) bool {
	if sep == "" {
		return false
	}
	for _, r := range sep {
		if !unicode.IsSpace(r) && r != '\u202f' {
			return false
		}
	}
	return true
}

// elided tells whether sep is an apostrophe after an elided word, "l'Église".
func elided(sep string) bool {
	s := strings.TrimRight(sep, " ")
	return s == "'" || s == "’" || s == "ʼ"
}

// punct tells whether sep is one mark among marks, with spaces around: ", ",
// " : ", ". ".
func punct(sep string, marks string) bool {
	s := strings.TrimSpace(sep)
	return len(s) == 1 && strings.Contains(marks, s)
}

// Street addresses. An address with a house number is always personal data
// ("nid de poule devant le 8 rue de la Gare" points at a home); without one, it
// is when the citizen says it is theirs ("j'habite rue des Lilas", "mon adresse :
// rue des Lilas"), not when they ask about a public place ("la piscine rue Jean
// Jaurès est ouverte ?"); a lieu-dit always is, since few households live there.

type streetType struct {
	dot       bool // an abbreviation written with its dot: "r.", "ch."
	ambiguous bool // also a common word: "2 cours de danse", "1 place de parking"
	always    bool // personal data even without a number: a lieu-dit
}

var streetTypes = map[string]streetType{
	"rue": {}, "r": {dot: true}, "avenue": {}, "av": {}, "ave": {}, "boulevard": {}, "bd": {}, "bld": {}, "bvd": {},
	"blvd": {}, "place": {ambiguous: true}, "pl": {}, "chemin": {}, "chem": {}, "ch": {dot: true}, "impasse": {},
	"imp": {}, "allee": {}, "all": {dot: true}, "route": {ambiguous: true}, "rte": {}, "quai": {},
	"cours": {ambiguous: true}, "square": {ambiguous: true}, "sq": {}, "sentier": {ambiguous: true},
	"passage": {ambiguous: true}, "residence": {ambiguous: true}, "res": {dot: true}, "lotissement": {},
	"lot": {dot: true}, "faubourg": {}, "fg": {}, "rond-point": {}, "voie": {ambiguous: true},
	"hameau": {ambiguous: true}, "cite": {ambiguous: true}, "villa": {ambiguous: true}, "esplanade": {},
	"promenade": {ambiguous: true}, "traverse": {ambiguous: true}, "montee": {ambiguous: true}, "ruelle": {},
	"venelle": {}, "clos": {ambiguous: true}, "domaine": {ambiguous: true}, "chaussee": {ambiguous: true},
	"lieu-dit": {always: true}, "lieudit": {always: true},
}

// notStreetNames are words that, after an ambiguous street type, make it a
// common word: "2 places de parking", "3 cours de natation".
var notStreetNames = setOf(`parking stationnement garage libre libres disponible disponibles assise assises
	handicape handicapes pmr gratuite gratuites payante natation danse yoga musique sport dessin theatre cuisine
	anglais francais maths soutien rattrapage cinema concert spectacle principale secondaire alternee habituelle
	fiscale universitaire senior seniors bus velo pietonne`)

// homeVerbs say that what follows is where the citizen lives.
var homeVerbs = setOf(`habite habites habitons habitez habitent habitais habitait habitions jhabite vis vivons vivez
	vit reside residons residez residant demeure demeurons demeurant domicilie domiciliee domicilies domiciliees`)

// homeFillers may stand between a home verb and the street: "j'habite
// actuellement au lieu-dit…", "je vis dans la résidence…".
var homeFillers = setOf(`au aux a dans la le l les sur en du de des actuellement toujours maintenant desormais bien`)

func findAddresses(d *doc, emit func(start, end int)) {
	toks := d.tokens()
	for i := 0; i < len(toks); i++ {
		st, ok := streetTypes[toks[i].fold]
		typeEnd := i
		if !ok && toks[i].fold == "lieu" && i+1 < len(toks) && toks[i+1].fold == "dit" && blank(toks[i+1].sep) {
			st, ok, typeEnd = streetType{always: true}, true, i+1
		}
		if !ok && (toks[i].fold == "grande" || toks[i].fold == "grand") && i+1 < len(toks) && toks[i+1].fold == "rue" &&
			(blank(toks[i+1].sep) || elided(toks[i+1].sep)) && !toks[i+1].wall && !named(toks, i+2) {
			// « 12 Grande Rue », « Grand'Rue »: a village's main street is
			// named by its type alone.
			mainStreet(toks, i, emit)
			i++
			continue
		}
		if !ok || typeEnd+1 >= len(toks) {
			continue
		}
		// After the type, a space; after an abbreviation, its dot.
		next := toks[typeEnd+1]
		if next.wall || !(blank(next.sep) && !st.dot || punct(next.sep, ".") && (st.dot || toks[i].end-toks[i].start <= 3)) {
			continue
		}
		first, last := streetName(toks, typeEnd+1)
		if last < 0 || st.ambiguous && notStreetNames[toks[first].fold] {
			continue
		}
		start, numbered := toks[i].start, false
		if h := houseNumber(toks, i); h >= 0 {
			start, numbered = toks[h].start, true
		}
		if n := trailingNumber(toks, last+1); n >= 0 {
			last, numbered = n, true
		}
		if numbered || st.always || homeCue(toks, i) {
			emit(start, toks[last].end)
			redacted(toks, last)
			i = last
		}
	}
}

// named reports a street's name from toks[k] (« Grande Rue de la
// Croix-Rousse »): the street is then read as any « rue ».
func named(toks []token, k int) bool {
	if k >= len(toks) || toks[k].wall || !blank(toks[k].sep) {
		return false
	}
	_, last := streetName(toks, k)
	return last >= 0
}

// mainStreet emits the main street at toks[i] (« Grande Rue », two words)
// with its house number, or when the citizen says they live there.
func mainStreet(toks []token, i int, emit func(start, end int)) {
	start, last, numbered := toks[i].start, i+1, false
	if h := houseNumber(toks, i); h >= 0 {
		start, numbered = toks[h].start, true
	}
	if n := trailingNumber(toks, last+1); n >= 0 {
		last, numbered = n, true
	}
	if numbered || homeCue(toks, i) {
		emit(start, toks[last].end)
		redacted(toks, last)
	}
}

// streetName reads a street's name from toks[k]: capitalised words ("des
// Lilas", "du Maréchal de Lattre de Tassigny") or, typed in lower case, up to
// three words that are not function words ("du general de gaulle"). It returns
// its first and last words, or -1.
func streetName(toks []token, k int) (first, last int) {
	first, last = -1, -1
	words, lower := 0, false
	article := true // "le", "la", "les", "l'" may follow the type or "de"
	for j := k; j < len(toks) && j < k+12; j++ {
		t := toks[j]
		if j > k && (t.wall || !blank(t.sep) && !elided(t.sep)) {
			return
		}
		switch f := t.fold; {
		case f == "de" || f == "d" || f == "du" || f == "des" || f == "aux":
			article = f == "de" || f == "d"
			continue
		case f == "le" || f == "la" || f == "les" || f == "l":
			if !article {
				return
			}
			article = false
			continue
		case t.digit:
			// "rue du 8 Mai 1945", "place du 11 Novembre".
			if j+1 >= len(toks) || !months[toks[j+1].fold] || !blank(toks[j+1].sep) || !isDayNumber(f) {
				return
			}
			j++
			if j+1 < len(toks) && blank(toks[j+1].sep) && len(toks[j+1].fold) == 4 && toks[j+1].digit {
				j++
			}
		case stopWords[f]:
			return
		case t.upper:
			if lower {
				return
			}
		default:
			if words > 0 && !lower || words == 3 {
				return
			}
			// Typed in lower case, a word follows another only in a person's
			// name ("rue jean jaures", "du general leclerc"); else it starts
			// the sentence again: "rue de la gare vite".
			if last == j-1 && !firstName(toks[last].fold) && !nameHeads[toks[last].fold] {
				return
			}
			lower = true
		}
		if first < 0 {
			first = j
		}
		words, last, article = words+1, j, false
		if words == 5 {
			return
		}
	}
	return
}

// houseNumber returns the index of the house number before the street type at
// toks[i] ("12 rue", "3 bis, avenue", "12 de la rue"), or -1.
func houseNumber(toks []token, i int) int {
	j := i - 1
	for n := 0; n < 2 && j >= 0 && (blank(toks[j+1].sep) || elided(toks[j+1].sep)) && !toks[j+1].wall; n++ {
		if f := toks[j].fold; f != "de" && f != "la" && f != "du" && f != "l" {
			break
		}
		j--
	}
	if j < 0 || toks[j+1].wall || !blank(toks[j+1].sep) && !punct(toks[j+1].sep, ",") {
		return -1
	}
	if f := toks[j].fold; (f == "bis" || f == "ter" || f == "quater") && j > 0 && blank(toks[j].sep) && isHouseNumber(toks[j-1].fold) {
		return j - 1
	}
	if isHouseNumber(toks[j].fold) {
		return j
	}
	return -1
}

// trailingNumber returns the index of a house number written after the street's
// name at toks[k] ("rue des Lilas n°12", "numéro 12", "devant le 12"), or -1.
func trailingNumber(toks []token, k int) int {
	if k+1 >= len(toks) || toks[k].wall || toks[k+1].wall || !blank(toks[k].sep) && !punct(toks[k].sep, ",") {
		return -1
	}
	if toks[k].fold == "devant" && blank(toks[k+1].sep) {
		// « rue Pasteur devant le 12 »: the house is named all the same.
		if f := toks[k+1].fold; (f == "le" || f == "du") && k+2 < len(toks) && blank(toks[k+2].sep) && !toks[k+2].wall {
			k++
		}
		if isHouseNumber(toks[k+1].fold) {
			return k + 1
		}
		return -1
	}
	n := toks[k+1]
	switch toks[k].fold {
	case "n":
		if strings.TrimSpace(n.sep) != "°" {
			return -1
		}
	case "no", "numero", "num":
		if !blank(n.sep) {
			return -1
		}
	default:
		return -1
	}
	if !isHouseNumber(n.fold) {
		return -1
	}
	if k+2 < len(toks) && blank(toks[k+2].sep) && (toks[k+2].fold == "bis" || toks[k+2].fold == "ter") {
		return k + 2
	}
	return k + 1
}

// homeCue tells whether the citizen says that the street at toks[i] is where
// they live: "j'habite (au) …", "je réside dans la …", "mon adresse : …",
// "chez moi, …".
func homeCue(toks []token, i int) bool {
	j := i - 1
	for n := 0; n < 3 && j >= 0 && homeFillers[toks[j].fold] && blank(toks[j+1].sep) && !toks[j+1].wall; n++ {
		j--
	}
	if j < 0 || toks[j+1].wall {
		return false
	}
	sep, f := toks[j+1].sep, toks[j].fold
	switch {
	case homeVerbs[f]:
		return blank(sep)
	case f == "adresse" || f == "domicile":
		return punct(sep, ":") || blank(sep) && j > 0 && (toks[j-1].fold == "mon" || toks[j-1].fold == "ma" ||
			toks[j-1].fold == "notre" || toks[j-1].fold == "nouvelle" || toks[j-1].fold == "ancienne")
	case f == "est" && j > 1 && toks[j-1].fold == "adresse":
		return blank(sep)
	case f == "moi" && j > 0 && toks[j-1].fold == "chez":
		return blank(sep) || punct(sep, ",")
	}
	return false
}

func isHouseNumber(f string) bool {
	// A range of numbers, « 12-14 rue Pasteur », is one house.
	if a, b, ok := strings.Cut(f, "-"); ok {
		return isHouseNumber(a) && isHouseNumber(b)
	}
	n := 0
	for n < len(f) && n < 5 && f[n] >= '0' && f[n] <= '9' {
		n++
	}
	if n == 0 || n > 4 {
		return false
	}
	switch f[n:] {
	case "", "bis", "ter", "quater", "a", "b", "c", "d":
		return true
	}
	return false
}

func isDayNumber(f string) bool {
	return len(f) <= 2 && f[0] >= '0' && f[0] <= '9' && (len(f) == 1 || f[1] >= '0' && f[1] <= '9') && f != "0" && f != "00"
}

// nameHeads come before a person's name in a street's name.
var nameHeads = setOf(`general marechal colonel commandant capitaine lieutenant docteur professeur president abbe
	pere saint sainte st ste cardinal amiral`)

var months = setOf(`janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre`)

// Names. A name is personal data where the citizen gives it: after "je
// m'appelle", "mon nom est", "nom :", "je soussigné", in a signature after
// "Cordialement"; after a title (Mme, M., Monsieur, Dr) wherever it stands; after
// "mon fils", "ma voisine"; and a known first name with the capitalised words
// after it, unless a place's name holds it ("rue Victor Hugo", "collège Jean
// Moulin"). The title stays in the span: "je suis [NOM]".

// A cue says how the words after it may be a name.
type cue int

const (
	noCue      cue = iota
	capitals       // capitalised words only: "nom Girard", "mon fils Lucas"
	anyCase        // lower case too: "je m'appelle jean dupont"
	closing        // a signature: lower case too
	closingCap     // a signature after "merci": capitalised words only
)

func findNames(d *doc, emit func(start, end int)) {
	toks := d.tokens()
	for i := 0; i < len(toks); i++ {
		start, last := i, -1
		if title(toks, i) > i {
			last = titledName(toks, i)
		} else if c := nameCue(toks, i); c != noCue {
			last = nameWords(toks, i, c)
		} else if knownFirstName(toks, i) {
			last = nameWords(toks, i, capitals)
		}
		if last >= 0 {
			emit(toks[start].start, toks[last].end)
			redacted(toks, last)
			i = last
		}
	}
}

// titledName returns the last token of a name after a title at toks[i], or -1.
func titledName(toks []token, i int) int {
	n := title(toks, i)
	if n == i {
		return -1
	}
	c := capitals
	if strongBefore(toks, i) {
		c = anyCase
	}
	return nameWords(toks, n, c)
}

// title returns the index of the token after a title at toks[i], or i.
func title(toks []token, i int) int {
	t := toks[i]
	abbrev := false
	switch t.fold {
	case "monsieur", "madame", "mademoiselle", "docteur":
	case "mme", "mmes", "mlle", "melle", "mr", "dr", "pr":
		abbrev = true
	case "m", "me":
		if !t.upper || t.fold == "me" && t.end-t.start != 2 {
			return i
		}
		abbrev = true
	default:
		return i
	}
	if i+1 >= len(toks) || toks[i+1].wall || !blank(toks[i+1].sep) && !(abbrev && punct(toks[i+1].sep, ".")) {
		return i
	}
	return i + 1
}

// strongBefore tells whether the citizen introduces themself before a title at
// toks[i]: "je suis madame rousseau", "c'est Mme X", "je m'appelle M. X".
func strongBefore(toks []token, i int) bool {
	if i == 0 || !blank(toks[i].sep) || toks[i].wall {
		return false
	}
	switch p := toks[i-1].fold; {
	case p == "suis" || p == "jsuis":
		return true
	case p == "est" && back(toks, i, 1) == "c":
		return true
	}
	return nameCue(toks, i) == anyCase
}

// back returns the word n+1 tokens before toks[i], folded, or "" if a
// placeholder stands between.
func back(toks []token, i, n int) string {
	for j := i; j > i-1-n; j-- {
		if j <= 0 || toks[j].wall {
			return ""
		}
	}
	return toks[i-1-n].fold
}

// redacted marks the token after toks[last], the end of a span just found, as
// behind a placeholder: what follows is then judged as it will be on the
// redacted text, where the span is a placeholder.
func redacted(toks []token, last int) {
	if last+1 < len(toks) {
		toks[last+1].wall = true
	}
}

// kin are the people whose name a citizen gives after "mon", "ma": "mon fils
// Lucas".
var kin = setOf(`fils fille mari femme epoux epouse pere mere frere soeur enfant bebe conjoint conjointe compagnon
	compagne voisin voisine petit-fils petite-fille grand-pere grand-mere beau-pere belle-mere neveu niece
	cousin cousine oncle tante`)

// nameCue tells how the words from toks[i] may be a name, from what stands before.
func nameCue(toks []token, i int) cue {
	if i == 0 || toks[i].wall {
		return noCue
	}
	sep := toks[i].sep
	before := func(n int) string { return back(toks, i, n) }
	plain, colon := blank(sep), punct(sep, ":=")
	switch p := before(0); {
	case !plain && !colon && !punct(sep, ",."):
		return noCue
	case p == "appelle" || p == "apelle":
		// "je m'appelle", "il s'appelle", not "j'appelle la mairie".
		if b := before(1); plain && (b == "m" || b == "s" || b == "jm" || b == "t") {
			return anyCase
		}
	case p == "mappelle" || p == "jmappelle" || p == "sappelle" || p == "mapelle" || p == "jmapelle":
		if plain {
			return anyCase
		}
	case p == "nomme" || p == "prenomme":
		if plain && before(1) == "me" {
			return anyCase
		}
	case p == "nom" || p == "prenom" || p == "prenoms" || nameOf(before, 0) > 0:
		if colon {
			return anyCase
		}
		if plain {
			return capitals
		}
	case p == "nee" || p == "ne" && before(1) == "suis":
		// « Marie Dupont, née Martin », « je suis née Martin ».
		if plain {
			if before(1) == "suis" {
				return anyCase
			}
			return capitals
		}
	case p == "est" && (nameOf(before, 1) > 0 || before(1) == "c" && nameOf(before, 2) > 0):
		if plain {
			return anyCase
		}
	case p == "est" && (before(1) == "nom" || before(1) == "prenom" ||
		before(1) == "c" && (before(2) == "nom" || before(2) == "prenom" || before(2) == "moi")):
		if plain {
			return anyCase
		}
	case p == "soussigne" || p == "soussignee":
		if plain {
			return anyCase
		}
	case p == "signe" || p == "signee" || p == "demander" || p == "demandez" || p == "de" && before(1) == "part":
		if plain || colon {
			return capitals
		}
	case kin[p] && (before(1) == "mon" || before(1) == "ma" || before(1) == "notre"):
		if plain {
			return capitals
		}
	case p == "cordialement" || p == "cdlt" || p == "cdt" || p == "cordialemen" || p == "amicalement" ||
		p == "salutations" || p == "distinguees" || p == "respectueuses" || p == "vous" && before(1) == "a" && before(2) == "bien":
		return closing
	case p == "merci" || p == "remercie" || p == "avance" && before(1) == "d":
		return closingCap
	}
	return noCue
}

// nameOf returns how many words from before(n) back name a kind of family
// name: « nom de famille », « nom de jeune fille », « nom de naissance »,
// « nom d'usage », « nom d'épouse », « nom marital »; 0 if none.
func nameOf(before func(int) string, n int) int {
	switch before(n) {
	case "famille", "naissance":
		if before(n+1) == "de" && before(n+2) == "nom" {
			return 3
		}
	case "fille":
		if before(n+1) == "jeune" && before(n+2) == "de" && before(n+3) == "nom" {
			return 4
		}
	case "usage", "epouse":
		if before(n+1) == "d" && before(n+2) == "nom" {
			return 3
		}
	case "marital":
		if before(n+1) == "nom" {
			return 2
		}
	}
	return 0
}

// nameWords reads a name from toks[k] as c allows, and returns its last token,
// or -1.
func nameWords(toks []token, k int, c cue) int {
	// No bound on capitalised words: a name followed by another would be
	// found again on the redacted text ("[NOM] Marie").
	last, lower := -1, 0
	// After « je m'appelle », a capitalised word that is also a common word is
	// a surname all the same: « Paul Dimanche », « Marie Bon ».
	surname := func(t token) bool { return c == anyCase && t.upper && !titles[t.fold] }
	for j := k; j < len(toks); j++ {
		t := toks[j]
		if j > k && (t.wall || !blank(t.sep) && !elided(t.sep) && !(toks[j-1].initial && punct(t.sep, "."))) {
			break
		}
		if t.digit || !t.initial && !surname(t) && (stopWords[t.fold] || nameStops[t.fold] || titles[t.fold]) {
			break
		}
		switch {
		case particles[t.fold] && !surname(t):
			// "Jean de La Fontaine", "M. Le Pen", never "Monsieur le Maire";
			// "Bruno Le Maire" after « je m'appelle ».
			if n := j + 1; n >= len(toks) || !toks[n].upper || !blank(toks[n].sep) && !elided(toks[n].sep) ||
				!surname(toks[n]) && (stopWords[toks[n].fold] || nameStops[toks[n].fold] || titles[toks[n].fold]) {
				return last
			}
			continue
		case t.upper:
		case c == anyCase || c == closing:
			if lower++; lower > 3 {
				return last
			}
		default:
			return last
		}
		last = j
	}
	return last
}

var (
	titles    = setOf(`monsieur madame mademoiselle mme mmes mlle melle mr dr docteur`)
	particles = setOf(`de du d des le la van von di del della dos das ben el`)
)

// knownFirstName tells whether toks[i] is a first name that is not part of a
// place's name ("rue Victor Hugo", "collège Jean Moulin", "Saint-Pierre") nor
// after an article ("la Marie" is the town hall misspelt).
func knownFirstName(toks []token, i int) bool {
	t := toks[i]
	if !t.upper || !firstName(t.fold) {
		return false
	}
	if i == 0 || toks[i].wall {
		return true
	}
	if toks[i-1].upper && blank(t.sep) && !stopWords[toks[i-1].fold] {
		return false // within a longer proper noun, "Victor Hugo", not after "Bonjour"
	}
	p := toks[i-1].fold
	_, street := streetTypes[p]
	return !street && !places[p] && !articles[p]
}

// firstName tells whether f is a first name, a compound one too ("jean-pierre").
func firstName(f string) bool {
	for part := range strings.SplitSeq(f, "-") {
		if !firstNames[part] {
			return false
		}
	}
	return true
}

var (
	articles = setOf(`la le les l un une des du`)
	places   = setOf(`ecole college lycee stade salle gymnase centre espace parc jardin pont mediatheque bibliotheque
		hopital clinique maison foyer creche piscine theatre cinema musee eglise chapelle institut fondation
		association club saint sainte st ste prix groupe ehpad quartier halle halles marche camping hotel
		restaurant cafe pharmacie cabinet boulevard avenue rue place allee impasse chemin quai square residence
		lotissement cite promenade esplanade complexe dojo boulodrome skatepark`)
)

// firstNames are frequent first names in France (INSEE), without those that are
// also common words or places (Rose, Marine, Noël, France).
var firstNames = setOf(`jean pierre michel andre philippe rene louis alain jacques bernard marcel daniel roger robert
	paul claude christian henri georges nicolas francois patrick gerard christophe joseph julien maurice laurent
	frederic eric david stephane pascal sebastien alexandre thierry olivier thomas antoine raymond guy lucien
	vincent marc didier bruno yves maxime serge romain kevin guillaume fabrice jerome franck hugo lucas theo leo
	gabriel arthur raphael jules adam mael nathan ethan noah tom enzo mathis baptiste clement florian quentin
	benjamin anthony jeremy jeremie mickael cedric sylvain ludovic arnaud benoit mathieu matthieu yann gilles
	samuel simon adrien alexis dylan axel valentin victor emile gaston albert fernand roland jean-claude
	mohamed mohammed ahmed karim mehdi yassine rachid said ali youssef omar hamza bilal sofiane nabil farid
	amine ibrahim moussa mamadou
	marie jeanne francoise monique catherine nathalie isabelle jacqueline anne sylvie martine madeleine nicole
	suzanne helene christine marguerite denise louise christiane valerie sophie sandrine stephanie celine
	veronique chantal brigitte aurelie julie camille laura emma lea chloe manon ines jade alice lina anna mila
	julia lucie sarah clara juliette lena zoe eva charlotte mathilde pauline marion elodie emilie audrey caroline
	claire laurence florence agnes josiane colette yvette odette genevieve danielle michele annie patricia
	corinne karine virginie severine delphine melanie laetitia elise margaux oceane justine lola nina fatima
	aicha khadija samira nadia leila yasmine sonia amina myriam noemie lisa maeva elsa agathe heloise
	simone germaine yvonne paulette ginette gisele lucienne mireille josette evelyne beatrice sabine estelle
	emmanuelle vanessa jessica cindy morgane lou romane louna`)

// stopWords end a street's or a person's name typed in lower case, and are
// never a name: function words, frequent verbs, the labels of personal data,
// courtesy.
var stopWords = setOf(`je j tu il elle on nous vous ils elles me m te t se s y en ne n pas plus que qu qui quoi
	dont ou et mais donc or ni car si a au aux avec sans pour par sur sous dans chez vers entre depuis pendant
	avant apres devant derriere pres contre selon comme quand comment pourquoi combien quel quelle quels quelles
	est sont etait etaient suis es sommes etes ont ai as avons avez fait faut peut peux pouvez pourriez
	voudrais voulais veux veut voulons doit dois devons va vais vont allez sera serait c ca ce cet cette ces
	mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs un une tout tous toute toutes rien
	merci bonjour bonsoir salut svp stp cordialement cdlt cdt bonne bon journee soiree avance beaucoup
	nom prenom tel telephone portable mail email courriel adresse ne nee naissance date numero iban rib
	aussi encore deja toujours jamais tres bien mal oui non ici la-bas lundi mardi mercredi jeudi vendredi
	samedi dimanche hier demain aujourd aujourdhui matin soir midi depuis habite habitons vis reside
	salutations distinguees respectueuses sinceres meilleures amicalement habitant habitante administre
	administree citoyen citoyenne riverain riveraine`)

// nameStops are never a person's name, though they may be a street's: "place de
// la Mairie".
var nameStops = setOf(`maire adjoint adjointe mairie ville commune accueil service services president presidente
	directeur directrice secretaire responsable conseiller conseillere agent agents police gendarmerie pompiers`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// prevRune returns the offset of the rune that ends at i.
func prevRune(s string, i int) int {
	_, size := utf8.DecodeLastRuneInString(s[:i])
	return i - size
}
