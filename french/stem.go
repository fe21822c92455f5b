package french

import (
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
		return snowball.Stem(w, true)
	}
	if s, ok := stems.Load(w); ok {
		return s.(string)
	}
	s := snowball.Stem(w, true)
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
