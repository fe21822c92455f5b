package redact

import "strings"

// Separators inside numbers: spaces (no-break and thin ones too, as word
// processors and phones insert them), dots, dashes and, for phones, slashes.
const (
	sp   = `[ \x{a0}\x{2009}\x{202f}]`
	nsep = `(?:` + sp + `{1,2}|` + sp + `?[.\-]` + sp + `?)`
	gsep = `(?:` + sp + `{1,3}|` + sp + `?[.\-/]` + sp + `?)`
)

var (
	phoneLabel = label(`tel|tél|portable|mobile|gsm|fixe|joign|joindre|appel|contact`,
		`tel|telephone|portable|mobile|gsm|fixe|joignable|joindre|rappeler|appeler|rappelez|appelez|contacter|contactez`)
	cardLabel    = label(`carte|cb|visa|mastercard|amex`, `carte bancaire|carte bleue|cb|carte de credit|numero de carte|visa|mastercard|amex`)
	taxLabel     = label(`fiscal|spi|nif`, `fiscal|fiscale|spi|nif`)
	idLabel      = label(`passeport|cni|identit|séjour|sejour|permis|conduire`, `passeport|cni|identite|sejour|permis|conduire`)
	benefitLabel = label(`allocataire|caf|msa|adh|client`, `allocataire|caf|msa|adherent|client`)
	plateLabel   = label(`plaque|immat|hicule|voiture|camion|moto|scooter|fourgon|camping`,
		`plaque|immatriculation|immatricule|immatriculee|immatricules|immat|vehicule|voiture|camion|camionnette|`+
			`moto|scooter|fourgon|camping-car`)
	birthLabel = label(`né|nee|ne le|nes le|ne(e)|naissance|ddn`, `ne le|nee le|nes le|nees le|ne e le|naissance|ddn`)
)

var (
	// An e-mail address, with spaces around "@" or the dots of its domain as
	// some type it; a space on one side of the last dot (a phone's keyboard
	// puts one after a dot) only before a usual ending, so that the next
	// sentence (« …@gmail.com. Passeport perdu ») is not taken for one.
	emailAddress = newPattern(`[\p{L}\p{N}._%+\-]+`+sp+`{0,2}@`+sp+`{0,2}[\p{L}\p{N}\-]+(?:(?:\.|`+sp+`\.`+sp+`)[\p{L}\p{N}\-]+)*`+
		`(?:(?:\.|`+sp+`\.`+sp+`)\p{L}{2,}|(?:`+sp+`{1,2}\.|\.`+sp+`{1,2})(?:com|fr|net|org|eu|be|ch|info|io|de|re)\b)`,
		256, localThen("@"), nil).when(func(d *doc) bool { return strings.Contains(d.text, "@") })
	// An e-mail address spelled to dodge robots: "jean point dupont arobase
	// gmail point com", "jean.dupont(at)gmail.com", "jean.dupont at gmail.com"
	// (with " at ", the domain must have a dot).
	emailSpelled = newPattern(`(?i)`+emailLocal+`(?:`+sp+`*(?:\(at\)|\[at\]|\{at\}|<at>|\(a\)|\(arobase\))`+sp+`*|`+sp+`+(?:arobase|arrobase|arobas|arrobas|@robase)`+sp+`+)`+emailDomain+
		`|`+emailLocal+sp+`+at`+sp+`+[\p{L}\p{N}\-]+(?:`+emailDot+`[\p{L}\p{N}\-]+)+`,
		256, localThen(spelledAt...), nil).when(func(d *doc) bool {
		return d.contains("(at)", "[at]", "{at}", "<at>", "(a)", " at ", "arob", "arrob", "@robase")
	})

	// An IBAN of a known country and length. Its key is not required: a
	// mistyped IBAN is still someone's account.
	iban = newPattern(`[A-Za-z]{2}`+sp+`?\d{2}(?:`+nsep+`?[A-Za-z0-9]){10,30}`, 128, lettersThenDigit,
		func(s string, _ bool) bool { return validIBAN(s) }).when(hasDigit)
	// A French RIB: bank, branch, account and key, checked.
	rib = newPattern(`\d{5}`+gsep+`\d{5}`+gsep+`[0-9A-Za-z]{11}`+gsep+`\d{2}`, 64, number('0', '9', 20, 48),
		func(s string, _ bool) bool { return validRIB(s) }).when(hasDigit)

	// A NIR: sex, year, month (or 20-42, 50-99 when unknown), department
	// (2A, 2B in Corsica), commune, order, key.
	nir = newPattern(`[12]`+nsep+`?\d{2}`+nsep+`?(?:0[1-9]|1[0-2]|[23]\d|4[0-2]|[5-9]\d)`+nsep+`?(?:\d{2}|2[ABab])`+nsep+`?\d{3}`+nsep+`?\d{3}(?:`+nsep+`?\d{2})?`,
		64, number('1', '2', 13, 48), func(s string, _ bool) bool { return validNIR(s) }).when(hasDigit)

	// Phones: "+33 6 12 34 56 78", "+33 (0)6…", "0033…", "+32 470 12 34 56", …
	phoneInternational = newPattern(`(?:\+|00)`+sp+`?\d{1,3}`+sp+`?(?:\(0\)`+sp+`?)?\d{1,4}(?:`+gsep+`?\d{1,4}){0,7}`,
		64, international,
		func(s string, _ bool) bool { return validInternationalPhone(s) }).when(hasDigit)
	// Ten digits from 0, in one block or in groups with the same separator
	// throughout (a date followed by a number mixes them).
	phoneNational = newPattern(`0\d{1,3}(?:`+gsep+`\d{2,4}){1,4}|0\d{9}`, 64, number('0', '0', 10, 48),
		func(s string, _ bool) bool {
			d := digits(s)
			return len(d) == 10 && d[1] != '0' && sameSeparators(s)
		}).when(hasDigit)
	// Nine digits without the leading 0, after a phone's label: "tel 6 12 34 56 78".
	phoneWithoutZero = newPattern(`[1-9](?:`+gsep+`\d{2}){4}|[1-9]\d{8}`, 64, number('1', '9', 9, 40),
		func(s string, _ bool) bool { return sameSeparators(s) }).only(phoneLabel).when(hasDigit)

	// A payment card: 13 to 19 digits from 2 to 6 (the networks' first digits)
	// passing Luhn's check, or any such digits after its label (« ma carte
	// bleue 4970 … »): a card number mistyped is still one.
	card = newPattern(`\d(?:`+nsep+`?\d){12,18}`, 96, number('2', '6', 13, 96),
		func(s string, labelled bool) bool { return sameSeparators(s) && (labelled || luhn(digits(s))) }).after(cardLabel).when(hasDigit)

	// A numéro fiscal: 13 digits from 0 to 3, the last three the first ten
	// modulo 511, or any such 13 digits after its label.
	taxNumber = newPattern(`[0-3]\d(?:`+nsep+`?\d){11}`, 64, number('0', '3', 13, 64),
		func(s string, labelled bool) bool {
			return sameSeparators(s) && (labelled || validTaxNumber(digits(s)))
		}).after(taxLabel).when(hasDigit)

	// The number of a passport, identity card, residence permit or driving
	// licence, after its label: they have no common shape.
	idNumber = newPattern(`[A-Za-z0-9]{6,15}|\d{2,4}(?:`+sp+`\d{2,4}){1,5}`, 64, wordWithDigits,
		func(s string, _ bool) bool { return len(digits(s)) >= 2 }).only(idLabel).when(hasDigit)

	// A benefit or customer number after its label (a CAF number has 7 digits).
	benefitNumber = newPattern(`\d{5,8}`, 16, number('0', '9', 5, 8), nil).only(benefitLabel).when(hasDigit)
	// A plate since 2009, "AB-123-CD" (no I, O or U): upper case, or lower case
	// with dashes or without separators, or after a label.
	plate = newPattern(`[A-Za-z]{2}(?:`+sp+`|-)?\d{3}(?:`+sp+`|-)?[A-Za-z]{2}`, 32, lettersThenDigit,
		func(s string, labelled bool) bool {
			return !strings.ContainsAny(s, "IOUiou") &&
				(labelled || s == strings.ToUpper(s) || !strings.ContainsAny(s, " \u00a0\u2009\u202f"))
		}).after(plateLabel).when(hasDigit)
	// A plate before 2009, "1234 AB 75": upper case, or after a label.
	oldPlate = newPattern(`\d{1,4}(?:`+sp+`|-)?[A-Za-z]{2,3}(?:`+sp+`|-)?(?:\d{2}|2[ABab]|97\d)`, 32, digitsThenLetters,
		func(s string, labelled bool) bool { return labelled || s == strings.ToUpper(s) }).after(plateLabel).when(hasDigit)

	// A date after "né le", "date de naissance", "DDN".
	birthDate = newPattern(`(?i)(?:0?[1-9]|[12]\d|3[01])`+sp+`*[/.\-]`+sp+`*(?:0?[1-9]|1[0-2])`+sp+`*[/.\-]`+sp+`*(?:\d{4}|\d{2})`+
		`|(?:0?[1-9]|[12]\d|3[01])(?:er)?`+sp+`+`+month+`(?:`+sp+`+\d{4})?`+
		`|\d{8}|\d{4}-\d{2}-\d{2}`,
		64, number('0', '9', 1, 1), nil).only(birthLabel).when(hasDigit)
)

const (
	emailLocal  = `[\p{L}\p{N}._%+\-]+(?:` + sp + `+(?:point|dot|tiret|underscore)` + sp + `+[\p{L}\p{N}._%+\-]+)*`
	emailDot    = `(?:\.|` + sp + `\.` + sp + `|` + sp + `*(?:\(dot\)|\[dot\])` + sp + `*|` + sp + `+(?:point|dot)` + sp + `+)`
	emailDomain = `[\p{L}\p{N}\-]+(?:` + emailDot + `[\p{L}\p{N}\-]+)*`
	month       = `(?:janvier|janv\.?|jan\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|ao[uû]t|septembre|sept?\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?)`
)

func hasDigit(d *doc) bool { return strings.ContainsAny(d.text, "0123456789") }

// findLongNumbers finds the words with nine digits in a row left by the
// finders before it: no amount, date or quantity is written so; a reference, a
// mistyped number is. It takes the whole word ("ref123456789"), however long.
func findLongNumbers(d *doc, emit func(start, end int)) {
	if !hasNineDigits(d.text) {
		return
	}
	for _, i := range d.starts() {
		if end := skipWord(d.text, i); hasNineDigits(d.text[i:end]) {
			emit(i, end)
		}
	}
}

func hasNineDigits(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run == 9 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// digits returns the ASCII digits of s.
func digits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// alnum returns the ASCII letters, in upper case, and digits of s.
func alnum(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b = append(b, c)
		case c >= 'a' && c <= 'z':
			b = append(b, c-'a'+'A')
		}
	}
	return string(b)
}

// sameSeparators tells whether the groups of a number are separated the same
// way throughout: all by spaces, all by dots, all by dashes or all by slashes.
func sameSeparators(s string) bool {
	var first byte
	for i := 0; i < len(s); {
		if c := s[i]; c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' {
			i++
			continue
		}
		kind := byte(' ')
		for i < len(s) && !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
			if s[i] == '.' || s[i] == '-' || s[i] == '/' {
				kind = s[i]
			}
			i++
		}
		if first == 0 {
			first = kind
		} else if kind != first {
			return false
		}
	}
	return true
}

// ibanLengths are the IBAN lengths of the countries whose accounts French
// citizens mention: Europe and the Maghreb.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DZ": 26,
	"EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
	"IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MA": 28, "MC": 27, "MT": 31, "NL": 18, "NO": 15,
	"PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24,
}

// validIBAN tells whether s has the length of its country's IBANs.
func validIBAN(s string) bool {
	c := alnum(s)
	if len(c) < 15 {
		return false
	}
	n, ok := ibanLengths[c[:2]]
	return ok && len(c) == n && c[2] >= '0' && c[2] <= '9' && c[3] >= '0' && c[3] <= '9'
}

// validRIB checks a French RIB's key: 97 minus (89 × bank + 15 × branch +
// 3 × account) modulo 97, the account's letters counting as digits.
func validRIB(s string) bool {
	c := alnum(s)
	if len(c) != 23 {
		return false
	}
	const letters = "12345678912345678923456789" // A..Z
	rem := 0
	for _, w := range []struct{ from, to, weight int }{{0, 5, 89}, {5, 10, 15}, {10, 21, 3}} {
		n := 0
		for _, ch := range c[w.from:w.to] {
			d := int(ch - '0')
			if ch >= 'A' {
				d = int(letters[ch-'A'] - '0')
			}
			n = (n*10 + d) % 97
		}
		rem = (rem + w.weight*n) % 97
	}
	key := int(c[21]-'0')*10 + int(c[22]-'0')
	return c[21] <= '9' && c[22] <= '9' && key == 97-rem
}

// validNIR accepts a NIR whose key is right or, written in groups as people
// copy it from their card, one without key or with a mistyped key; its
// department must exist.
func validNIR(s string) bool {
	c := alnum(s)
	if len(c) != 13 && len(c) != 15 {
		return false
	}
	dept := c[5:7]
	if !(dept == "2A" || dept == "2B" || dept >= "01" && dept <= "95" || dept >= "97" && dept <= "99") {
		return false
	}
	if len(c) == 15 && nirKey(c[:13]) == int(c[13]-'0')*10+int(c[14]-'0') {
		return true
	}
	return len(c) < len(s) // grouped
}

// nirKey is 97 minus the first 13 digits modulo 97, Corsica's 2A and 2B
// counting as 19 and 18.
func nirKey(body string) int {
	body = strings.NewReplacer("2A", "19", "2B", "18").Replace(body)
	rem := 0
	for i := 0; i < len(body); i++ {
		rem = (rem*10 + int(body[i]-'0')) % 97
	}
	return 97 - rem
}

// validTaxNumber checks a numéro fiscal's key: its last three digits are the
// first ten modulo 511.
func validTaxNumber(d string) bool {
	if len(d) != 13 {
		return false
	}
	n, key := 0, 0
	for i := 0; i < 10; i++ {
		n = (n*10 + int(d[i]-'0')) % 511
	}
	for i := 10; i < 13; i++ {
		key = key*10 + int(d[i]-'0')
	}
	return n == key
}

// phoneCodes are the country codes accepted after "00" (after "+", any is).
var phoneCodes = []string{"33", "32", "41", "352", "377", "34", "39", "44", "49", "351", "212", "213", "216",
	"262", "269", "590", "594", "596", "687", "689"}

// validInternationalPhone accepts a French number of nine digits after 33 (a
// leading 0 kept by habit allowed), or any other of 8 to 15 digits.
func validInternationalPhone(s string) bool {
	d := digits(strings.Replace(s, "(0)", "", 1))
	if s[0] != '+' {
		if len(d) < 2 {
			return false
		}
		d = d[2:] // 00
		known := false
		for _, code := range phoneCodes {
			known = known || strings.HasPrefix(d, code)
		}
		if !known {
			return false
		}
	}
	if n, ok := strings.CutPrefix(d, "33"); ok {
		if len(n) == 10 && n[0] == '0' {
			n = n[1:]
		}
		return len(n) == 9 && n[0] != '0'
	}
	return len(d) >= 8 && len(d) <= 15
}

// luhn checks a payment card number's digits.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		v := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}
