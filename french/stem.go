package french

import (
	"strings"
	"sync"
	"sync/atomic"

	snowball "github.com/kljensen/snowball/french"
)

// Stem reduces a folded word to its Snowball French stem. Words of three letters
// or fewer are left as they are.
func Stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	if len(w) > stemCachedLen {
		return stem(w)
	}
	if s, ok := stems.Load(w); ok {
		return s.(string)
	}
	s := stem(w)
	if stemCount.Add(1) > stemCacheSize {
		stems.Clear() // a flood of made-up words empties it rather than grow it
		stemCount.Store(0)
	}
	stems.Store(w, s)
	return s
}

// stems caches [Stem]: a message's words are stemmed several times over (each
// view of it, the search of the built-in conversation entries, the speller's
// candidates, mining), and Snowball's suffix rules took a tenth of a chat
// request's time. Citizens' vocabulary stays well within stemCacheSize words.
var (
	stems     sync.Map // folded word → stem
	stemCount atomic.Int64
)

const stemCacheSize = 1 << 16

// stemCachedLen is the longest word cached, in bytes: the size bound counts
// words, and a message of made-up words thousands of letters long would
// otherwise hold megabytes each. French words are far shorter
// (« anticonstitutionnellement », 25).
const stemCachedLen = 40

// stem is Snowball's stem, except where Snowball takes a noun for a form of a
// verb in -ir: its rule for those verbs cuts « -i », « -is », « -it », « -ie »
// after any consonant, so « tennis » met « tenir », « voirie » « voir »,
// « mairie » « maire », while « petit » and « crédit » no longer met their
// plurals. The cut stands when the verb it supposes exists (« choisis »,
// « finit », « remplie »: choisir, finir, remplir; « écris »: écrire);
// otherwise the word keeps its letters, less a plural's « s » or « x », so that
// its singular and plural still meet.
func stem(w string) string {
	s := snowball.Stem(w, true)
	if !strings.HasPrefix(w, s) || len(s) == len(w) {
		return s
	}
	base, cut := s, w[len(s):]
	if len(cut) >= 2 && cut[0] == s[len(s)-1] && cut[1] == 'i' {
		base, cut = w[:len(s)+1], cut[1:] // Snowball also undoubled « tenn- »
	}
	switch cut {
	case "i", "is", "it", "ie", "ies":
	default:
		return s // another suffix, or a verb's other forms (« -issant », « -irent »)
	}
	if knownWord(base+"ir") || knownWord(base+"ire") {
		return s
	}
	return strings.TrimRight(w, "sx")
}

// knownWord reports whether w is a word of the thesaurus (see
// [ThesaurusWordList]), which lists verbs by their infinitive.
func knownWord(w string) bool { return thesaurusWordSet()[w] }

var thesaurusWordSet = sync.OnceValue(func() map[string]bool {
	set := make(map[string]bool, len(ThesaurusWordList()))
	for _, w := range ThesaurusWordList() {
		set[w] = true
	}
	return set
})
