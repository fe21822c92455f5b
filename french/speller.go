package french

import (
	"slices"
	"strings"
)

// Speller corrects words against a vocabulary (the knowledge base's own, or the
// frequent words of a corpus) with the symmetric-delete method: every vocabulary
// word is indexed under the strings made by deleting up to two of its letters, so
// a misspelt word finds its candidates by looking up its own deletions, without
// scanning the vocabulary. Candidates are ranked by optimal string alignment
// distance, then by frequency. A word with no close spelling is then looked up
// by its sound (« mediatek » → « mediatheque », see [Phonetic]) and as the start
// of one word (« procu » → « procuration »), as citizens write on a phone.
type Speller struct {
	freq    map[string]int      // vocabulary word → occurrences
	deletes map[string][]string // deletion variant → vocabulary words
	sounds  map[string][]string // phonetic key → vocabulary words
	sorted  []string            // vocabulary, sorted, for prefixes
	known   *Lexicon            // correct words outside the vocabulary, never corrected
}

const maxEdit = 2

// minCorrect is the shortest word that gets corrected: shorter words have too many
// neighbours at one edit ("stop" and "trop") to guess right.
const minCorrect = 5

// NewSpeller indexes a vocabulary (folded word → frequency); words of the lexicon
// known, which may be nil, are never corrected. The Speller keeps freq, which the
// caller must not change afterwards. It is safe for concurrent use.
func NewSpeller(freq map[string]int, known *Lexicon) *Speller {
	s := &Speller{freq: freq, deletes: map[string][]string{}, sounds: map[string][]string{}, known: known}
	for w := range freq {
		if len(w) < 4 {
			continue
		}
		for _, d := range deletions(w, maxEdit) {
			s.deletes[d] = append(s.deletes[d], w)
		}
		k := Phonetic(w)
		s.sounds[k] = append(s.sounds[k], w)
		s.sorted = append(s.sorted, w)
	}
	slices.Sort(s.sorted)
	return s
}

// minSound is the shortest word looked up by its sound; a word's start must be
// [minCorrect] letters long.
const minSound = 4

// Correct returns the vocabulary word closest to w, or w itself when w is known,
// too short to correct safely, or has no close vocabulary word.
func (s *Speller) Correct(w string) (string, bool) {
	if _, ok := s.freq[w]; ok || len(w) < minSound || s.known.Known(w) || isNumber(w) {
		return w, false
	}
	if len(w) < minCorrect {
		return s.bySound(w)
	}
	limit := 1
	if len(w) >= 7 {
		limit = 2
	}
	best, bestDist, bestFreq := "", limit+1, 0
	seen := map[string]bool{}
	for _, d := range deletions(w, limit) {
		for _, cand := range s.deletes[d] {
			if seen[cand] {
				continue
			}
			seen[cand] = true
			dist := osaDistance(w, cand, limit)
			if dist > limit {
				continue
			}
			// Ties go to the first in alphabetical order: candidates come in
			// the order of the vocabulary's map, which changes from run to run.
			if f := s.freq[cand]; dist < bestDist || dist == bestDist && (f > bestFreq || f == bestFreq && cand < best) {
				best, bestDist, bestFreq = cand, dist, f
			}
		}
	}
	if best == "" {
		return s.bySound(w)
	}
	return best, true
}

// bySound returns the most frequent vocabulary word that sounds like w, else the
// one word of the vocabulary that starts with w and goes on for three letters
// or more (a word cut short; several stems are a guess too far).
func (s *Speller) bySound(w string) (string, bool) {
	best, bestFreq := "", 0
	for _, cand := range s.sounds[Phonetic(w)] {
		if f := s.freq[cand]; f > bestFreq || f == bestFreq && cand < best {
			best, bestFreq = cand, f
		}
	}
	if best != "" {
		return best, true
	}
	if len(w) < minCorrect {
		return w, false
	}
	i, _ := slices.BinarySearch(s.sorted, w)
	stem := ""
	for ; i < len(s.sorted) && strings.HasPrefix(s.sorted[i], w); i++ {
		st := Stem(s.sorted[i])
		if stem != "" && st != stem {
			return w, false
		}
		if stem == "" || s.freq[s.sorted[i]] > s.freq[best] {
			best = s.sorted[i]
		}
		stem = st
	}
	if best == "" || len(best) < len(w)+3 {
		return w, false
	}
	return best, true
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// deletions returns w and every string made by deleting up to n bytes of it.
// Words are folded to ASCII letters and digits, so bytes are characters.
func deletions(w string, n int) []string {
	out := []string{w}
	frontier := []string{w}
	seen := map[string]bool{w: true}
	for range n {
		var next []string
		for _, s := range frontier {
			for i := 0; i < len(s); i++ {
				d := s[:i] + s[i+1:]
				if !seen[d] {
					seen[d] = true
					next = append(next, d)
				}
			}
		}
		out = append(out, next...)
		frontier = next
	}
	return out
}

// osaDistance is the optimal string alignment distance (Levenshtein plus
// transpositions of adjacent letters), cut off above limit.
func osaDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
