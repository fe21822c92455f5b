package french

import (
	_ "embed"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// An administration's FAQ is full of acronyms (« RSA », « MDPH », « PLUi »)
// that its own text defines once, « revenu de solidarité active (RSA) », where
// citizens say the words, or only some of them (« le revenu de solidarité »,
// « mon dossier handicap »), or the acronym where the question spells it out.

// acronymInParens is an acronym in parentheses: two to eight capitals or
// digits, the first a capital, maybe one lower-case letter (« PLUi »).
var acronymInParens = regexp.MustCompile(`\(\s*(\p{Lu}[\p{Lu}\d]{1,7}\p{Ll}?)\s*\)`)

// wordsInParens is a parenthesised text after an acronym.
var wordsInParens = regexp.MustCompile(`\b(\p{Lu}[\p{Lu}\d]{1,7}\p{Ll}?)\s*\(([^()]{5,120})\)`)

// Acronyms returns the acronyms that text defines, « long form (ACR) » or
// « ACR (long form) », as acronym as written → folded long form. A long form is
// kept when its words' initials spell the acronym in order, small words
// skipped (« maison départementale des personnes handicapées » for MDPH).
func Acronyms(text string) map[string]string {
	out := map[string]string{}
	for _, m := range acronymInParens.FindAllStringSubmatchIndex(text, -1) {
		acr := text[m[2]:m[3]]
		before := strings.Fields(fold(text[max(0, m[0]-200):m[0]], " "))
		if long, ok := spelled(acr, before, true); ok {
			out[acr] = long
		}
	}
	for _, m := range wordsInParens.FindAllStringSubmatch(text, -1) {
		if long, ok := spelled(m[1], strings.Fields(fold(m[2], " ")), false); ok {
			out[m[1]] = long
		}
	}
	return out
}

// spelled returns the words whose initials spell acr: the last words of
// words when they end before the acronym (before), else the first words.
func spelled(acr string, words []string, before bool) (string, bool) {
	var letters []byte
	for _, r := range Fold(acr) {
		if r >= 'a' && r <= 'z' {
			letters = append(letters, byte(r))
		}
	}
	if len(letters) < 2 {
		return "", false
	}
	// A few more words than letters in all; the small words inside the long
	// form spell nothing (« allocation aux adultes handicapés » for AAH).
	limit := min(len(words), 2*len(letters)+3)
	if before {
		words = words[len(words)-limit:]
		li := len(letters) - 1
		for i := len(words) - 1; i >= 0; i-- {
			w := words[i]
			if stopwords[w] && li < len(letters)-1 {
				continue // a small word inside the long form, not after it
			}
			if w[0] != letters[li] {
				return "", false
			}
			if li--; li < 0 {
				return strings.Join(words[i:], " "), true
			}
		}
		return "", false
	}
	words = words[:limit]
	li := 0
	for i, w := range words {
		if stopwords[w] && li > 0 {
			continue // a small word inside the long form, not before it
		}
		if w[0] != letters[li] {
			return "", false
		}
		if li++; li == len(letters) {
			return strings.Join(words[:i+1], " "), true
		}
	}
	return "", false
}

//go:embed acronyms.txt
var acronymList string

// knownAcronyms maps each acronym of acronyms.txt, as written, to its folded
// long form.
var knownAcronyms = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(acronymList, "\n") {
		acr, long, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		m[strings.TrimSpace(acr)] = strings.TrimSpace(Fold(long))
	}
	return m
})

// Tokens returns the words of text as written, case and accents kept: the
// runs of letters and digits.
func Tokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// KnownAcronyms returns the acronyms of French public administrations that
// text writes as they are written (« RSA », « PLUi », « DGFiP »; not « rsa »
// nor « Ame »), each with its folded long form.
func KnownAcronyms(text string) map[string]string {
	var out map[string]string
	for _, tok := range Tokens(text) {
		if long, ok := knownAcronyms()[tok]; ok {
			if out == nil {
				out = map[string]string{}
			}
			out[tok] = long
		}
	}
	return out
}

// SpelledOut returns the folded long form of a folded word that is one of the
// administrations' usual acronyms (« apl », « ccas »), as citizens type them,
// in any case; never for a French word (« cap », « ame » for « âme »).
func SpelledOut(w string) (string, bool) {
	long, ok := foldedAcronyms()[w]
	return long, ok
}

// foldedAcronyms is [knownAcronyms] keyed by the folded acronym, without the
// acronyms that are French words.
var foldedAcronyms = sync.OnceValue(func() map[string]string {
	words := map[string]bool{}
	for _, w := range ThesaurusWordList() {
		words[w] = true
	}
	m := map[string]string{}
	for acr, long := range knownAcronyms() {
		if f := Fold(acr); !words[f] {
			m[f] = long
		}
	}
	return m
})
