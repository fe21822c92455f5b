package french

import (
	"regexp"
	"strings"
	"unicode"
)

// A citizen who writes to the town hall as one writes a letter opens and closes
// it with formulas: « Veuillez agréer, Madame, Monsieur, mes salutations
// distinguées », « En vous remerciant par avance de votre réponse », « Bien
// respectueusement, Odette Vernier ». They say nothing of the need, yet their
// words mean something elsewhere: « salutations » reads as a greeting, « avance »
// as an advance payment, « attente » as a waiting list, and a signature as words
// no entry explains. [WithoutLetterFormulas] drops them.

// formulaCues are the words of which one at least is in a letter formula.
var formulaCues = setOf(`agreer salutations sentiments respectueusement cordialement remerciant remerciements
	anticipes anticipees avance attente considerations hommages respects amities`)

// formulaWords are the words a letter formula is made of, beside stopwords and
// courtesy words; a clause of other words is not a formula.
var formulaWords = setOf(`prie prions veuillez vouloir agreer recevoir croire accepter agreez recevez croyez
	madame monsieur mesdames messieurs maire adjoint adjointe expression assurance sinceres sincere respectueuses
	respectueux respectueusement distinguees distingues distinguee distingue meilleures meilleurs meilleur meilleure
	cordiales cordial cordiale cordialement sentiments salutations salutation considerations consideration haute
	respects hommages devoues devoue devouee devouees remerciant remercions remerciements vifs anticipes anticipe
	anticipees anticipee avance attente lire reponse retour aide attention comprehension bienveillance diligence
	amities amitie entiere entier votre vos`)

// formulaBreak cuts a letter into the clauses a formula may fill: a formula is
// punctuated off the request it closes.
var formulaBreak = regexp.MustCompile(`[.?!;:,\n]+`)

// WithoutLetterFormulas returns text without the clauses that are letter
// formulas and the signature that follows the last of them (a clause of one to
// four capitalised words ending the text). A text that is nothing but formulas
// (« Cordialement ») is returned whole: it is a courtesy, for the engine to read.
func WithoutLetterFormulas(text string) string {
	if !hasFormulaCue(text) {
		return text
	}
	parts := Spans(text, formulaBreak)
	drop := make([]bool, len(parts))
	last := -1
	for i, p := range parts {
		if isFormula(Words(text[p[0]:p[1]])) {
			drop[i], last = true, i
		}
	}
	if last < 0 {
		return text
	}
	// A signature: what follows the last formula, if it is only a name.
	if last+1 < len(parts) && isSignature(parts[last+1:], text) {
		for i := last + 1; i < len(parts); i++ {
			drop[i] = true
		}
	}
	var b strings.Builder
	kept := false
	for i, p := range parts {
		if drop[i] {
			b.WriteString(" ")
			continue
		}
		b.WriteString(text[p[0]:p[1]])
		if i+1 < len(parts) {
			b.WriteString(text[p[1]:parts[i+1][0]]) // the punctuation that follows
		}
		kept = kept || len(Words(text[p[0]:p[1]])) > 0
	}
	if !kept {
		return text
	}
	return b.String()
}

// hasFormulaCue reports whether text may hold a formula, cheaply: most messages
// do not, and are returned as they are.
func hasFormulaCue(text string) bool {
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) >= 6 && formulaCues[Fold(w)] {
			return true
		}
	}
	return false
}

// isFormula reports a clause whose words include a formula cue and are all
// formula, function or courtesy words. « avance » and « attente » are cues only
// as « par avance », « d'avance » and « dans l'attente »: « ça avance ? » asks
// after a request, « en attente » says where it is.
func isFormula(words []string) bool {
	cue := false
	for i, w := range words {
		switch {
		case w == "avance" && (i == 0 || words[i-1] != "par" && words[i-1] != "d"),
			w == "attente" && (i < 2 || words[i-1] != "l" || words[i-2] != "dans"):
			return false
		case formulaCues[w]:
			cue = true
		case formulaWords[w], stopwords[w], courtesy[w], courtesyFill[w]:
		default:
			return false
		}
	}
	return cue
}

// isSignature reports clauses that, together, are one to four capitalised words:
// a name signing the letter.
func isSignature(parts [][2]int, text string) bool {
	n := 0
	for _, p := range parts {
		for _, w := range strings.Fields(text[p[0]:p[1]]) {
			r := []rune(w)
			if !unicode.IsUpper(r[0]) {
				return false
			}
			n++
		}
	}
	return n >= 1 && n <= 4
}

// Spans returns the byte spans of text between the matches of re.
func Spans(text string, re *regexp.Regexp) [][2]int {
	var spans [][2]int
	start := 0
	for _, m := range re.FindAllStringIndex(text, -1) {
		spans = append(spans, [2]int{start, m[0]})
		start = m[1]
	}
	return append(spans, [2]int{start, len(text)})
}
