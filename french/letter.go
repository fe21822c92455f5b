package french

import (
	"regexp"
	"slices"
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

// closingCues are the cues of a formula that closes a letter, after which a
// signature may follow; « merci d'avance » is followed by anything.
var closingCues = setOf(`agreer salutations sentiments respectueusement cordialement considerations hommages
	respects amities`)

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
// formulas, the addressee or a formula's verb that commas cut off beside them
// (« Madame, Monsieur » inside « Veuillez agréer, Madame, Monsieur, mes
// salutations »), and the signature that
// follows a closing formula (one to four words written as a name, ending the
// text). A text that is nothing but formulas is reduced to its greetings and
// thanks (« Merci d'avance ! » to « merci »), or returned whole when it holds
// none (« Salutations ! »): a courtesy, for the engine to read.
func WithoutLetterFormulas(text string) string {
	if !hasFormulaCue(text) {
		return text
	}
	parts := Spans(text, formulaBreak)
	words := make([][]string, len(parts))
	drop := make([]bool, len(parts))
	last, closing := -1, false
	for i, p := range parts {
		words[i] = Words(text[p[0]:p[1]])
		if isFormula(words[i]) {
			drop[i], last = true, i
			closing = slices.ContainsFunc(words[i], func(w string) bool { return closingCues[w] })
		}
	}
	if last < 0 {
		return text
	}
	// The addressee or a formula's verb cut off by commas, next to a formula.
	for changed := true; changed; {
		changed = false
		for i := range parts {
			if !drop[i] && onlyFrame(words[i]) &&
				(i > 0 && drop[i-1] || i+1 < len(parts) && drop[i+1]) {
				drop[i], changed = true, true
			}
		}
	}
	if closing && last+1 < len(parts) && isSignature(text, parts[last+1:]) {
		for i := last + 1; i < len(parts); i++ {
			drop[i] = true
		}
	}
	var b strings.Builder
	var courtesyWords []string
	kept := false
	for i, p := range parts {
		if drop[i] {
			for _, w := range words[i] {
				if courtesy[w] {
					courtesyWords = append(courtesyWords, w)
				}
			}
			b.WriteString(" ")
			continue
		}
		b.WriteString(text[p[0]:p[1]])
		if i+1 < len(parts) {
			b.WriteString(text[p[1]:parts[i+1][0]]) // the punctuation that follows
		}
		kept = kept || len(words[i]) > 0
	}
	switch {
	case kept:
		return b.String()
	case len(courtesyWords) > 0:
		return strings.Join(courtesyWords, " ")
	}
	return text
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
// formula, function or courtesy words.
func isFormula(words []string) bool {
	cue, ok := formulaClause(words)
	return cue && ok
}

// frameWords name whom a letter is addressed to (« Madame, Monsieur »,
// « Monsieur le Maire ») and the verbs that open a formula (« Veuillez
// recevoir »).
var frameWords = setOf(`madame monsieur mesdames messieurs maire adjoint adjointe veuillez recevoir recevez
	agreer agreez croire croyez prie prions`)

// onlyFrame reports a clause of the addressee or a formula's verb and nothing
// else: the piece of a formula that commas cut off (« Veuillez recevoir,
// Monsieur le Maire, … »). A clause of other formula words (« j'ai besoin d'une
// aide ») asks something.
func onlyFrame(words []string) bool {
	named := false
	for _, w := range words {
		switch {
		case frameWords[w]:
			named = true
		case !stopwords[w]:
			return false
		}
	}
	return named
}

// formulaClause reports whether a clause holds a formula cue, and whether its
// words could all be a formula's. « avance » is one only as « par avance »,
// « d'avance » (« ça avance ? » asks after a request), and « attente » only as
// the clause's « dans l'attente » (« je suis dans l'attente de votre réponse »
// says where a request is; « en attente » too).
func formulaClause(words []string) (cue, ok bool) {
	for i, w := range words {
		switch {
		case w == "avance" && (i == 0 || words[i-1] != "par" && words[i-1] != "d"),
			w == "attente" && (i != 2 || words[0] != "dans" || words[1] != "l"):
			return false, false
		case formulaCues[w]:
			cue = true
		case !isFormulaWord(w):
			return false, false
		}
	}
	return cue, true
}

func isFormulaWord(w string) bool {
	return formulaWords[w] || stopwords[w] || courtesy[w] || courtesyFill[w]
}

// isSignature reports clauses that, together, are one to four words written as
// a name (« Odette Vernier », « J.-P. Martin »): a capital, then lower case. A
// word in capitals (« URGENT », « CANTINE SCOLAIRE ») is a subject, and a clause
// that asks (« Passeport ? ») a question.
func isSignature(text string, parts [][2]int) bool {
	if strings.Contains(text[parts[0][0]:], "?") {
		return false
	}
	n := 0
	for _, p := range parts {
		for _, w := range strings.Fields(text[p[0]:p[1]]) {
			r := []rune(w)
			if !unicode.IsUpper(r[0]) || len(r) > 1 && strings.ToUpper(w) == w && unicode.IsLetter(r[1]) {
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
