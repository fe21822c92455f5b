package kb

import (
	_ "embed"
	"slices"
	"sync"
)

//go:embed conversation.yaml
var conversationYAML []byte

var conversation = sync.OnceValue(func() []Entry {
	entries, err := Parse("conversation.yaml", conversationYAML)
	if err != nil {
		panic("kb: the embedded conversation entries are invalid: " + err.Error())
	}
	return entries
})

// Conversation returns the built-in conversation entries (greetings and
// thanks, asking for a person) of the kinds that entries lack. A knowledge base
// imported as a plain FAQ then greets, thanks and hands over, rather than
// answering « un humain svp » with whatever fiche shares a word with it; one
// that has entries of a kind speaks for itself.
func Conversation(entries []Entry) []Entry {
	var out []Entry
	for _, k := range []Kind{KindSmalltalk, KindHandoff} {
		if slices.ContainsFunc(entries, func(e Entry) bool { return e.Kind == k }) {
			continue
		}
		for _, e := range conversation() {
			if e.Kind == k {
				out = append(out, e)
			}
		}
	}
	return out
}
