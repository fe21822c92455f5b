// Package mining finds what citizens ask that the town does not answer yet. It
// takes the signals of unmet demand from the projections (unanswered and clarified
// questions, low confidence, "not helpful" feedback, a rephrasing right after an
// answer, abandonment after an answer), groups similar questions whatever their
// spelling, labels each group with its most typical real question, and writes the
// groups back to ClickHouse, where the GraphQL API reads their volume, growth and
// examples.
//
// A question is compared by its key: its content words (package french: folded,
// shorthand expanded, stopwords and greetings dropped, synonyms brought to one
// word), typos corrected against the corpus's frequent words, stemmed. The same
// French handling as the bot's, so that both see the same words.
//
// The [Grouper] is incremental (a new question joins the closest group in well
// under a millisecond) and regroups everything on a schedule, keeping a group's
// id when it is the same group.
package mining

import (
	"crypto/sha1"
	"encoding/base32"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
)

// DefaultThreshold is the cosine similarity from which a question joins a group.
const DefaultThreshold = 0.45

// Grouper groups questions. It is safe for concurrent use.
type Grouper struct {
	mu        sync.Mutex
	threshold float64
	feat      *featurizer
	vocab     *vocabulary       // from the last regrouping
	groups    map[string]*group // id → group
	byKey     map[string]string // normalised question → group id
	postings  map[int32][]*group
}

type group struct {
	id       string
	centroid map[int32]float64 // sum of member vectors
	norm     float64
	size     int
	indexed  map[int32]bool // features under which the group is in postings
}

// NewGrouper returns an empty grouper.
func NewGrouper(threshold float64) *Grouper {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	return &Grouper{threshold: threshold, feat: newFeaturizer(), groups: map[string]*group{},
		byKey: map[string]string{}, postings: map[int32][]*group{}}
}

// Key returns the normalised form of a question, without typo correction:
// questions with the same key are the same question.
func Key(text string) string {
	return (*vocabulary)(nil).key(text)
}

// Assign puts a question into the closest group, or a new one, and returns the
// group's id. An empty key (nothing but stopwords) returns "".
func (g *Grouper) Assign(text string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	key := g.vocab.key(text)
	if key == "" {
		return ""
	}
	if id, ok := g.byKey[key]; ok {
		if gr := g.groups[id]; gr != nil {
			gr.size++
		}
		return id
	}
	g.feat.observe(key)
	v := g.feat.vector(key)
	best, score := g.closest(v)
	if best == nil || score < g.threshold {
		best = &group{id: groupID(key), centroid: map[int32]float64{}, indexed: map[int32]bool{}}
		for g.groups[best.id] != nil {
			best.id = groupID(best.id + "'")
		}
		g.groups[best.id] = best
	}
	g.add(best, v, 1)
	g.byKey[key] = best.id
	return best.id
}

// maxCandidates bounds the groups compared with a question, taken from the
// postings of its rarest words.
const maxCandidates = 100

func (g *Grouper) closest(v vector) (*group, float64) {
	// Candidate groups share one of the question's strongest words.
	order := make([]int, len(v.idx))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return v.val[order[a]] > v.val[order[b]] })
	seen := map[*group]bool{}
	var best *group
	bestScore := 0.0
	scanned := 0
	for _, i := range order[:min(4, len(order))] {
		for _, gr := range g.postings[v.idx[i]] {
			if seen[gr] {
				continue
			}
			seen[gr] = true
			if s := gr.cosine(v); s > bestScore {
				best, bestScore = gr, s
			}
			if scanned++; scanned >= maxCandidates {
				return best, bestScore
			}
		}
	}
	return best, bestScore
}

func (gr *group) cosine(v vector) float64 {
	if gr.norm == 0 {
		return 0
	}
	var dot float64
	for i, f := range v.idx {
		dot += gr.centroid[f] * float64(v.val[i])
	}
	return dot / gr.norm
}

// add puts n copies of v into the group and indexes the group under its
// strongest words.
func (g *Grouper) add(gr *group, v vector, n int) {
	for i, f := range v.idx {
		gr.centroid[f] += float64(v.val[i]) * float64(n)
	}
	gr.size += n
	var sq float64
	for _, x := range gr.centroid {
		sq += x * x
	}
	gr.norm = math.Sqrt(sq)
	for _, f := range v.idx {
		if !gr.indexed[f] && len(gr.indexed) < 12 {
			gr.indexed[f] = true
			g.postings[f] = append(g.postings[f], gr)
		}
	}
}

// Item is a question to regroup: its text, and the group it had, if any.
type Item struct {
	Text  string
	Group string
}

// Result is the outcome of a regrouping.
type Result struct {
	Groups []Group  // largest first
	Of     []string // group id of each item, "" for items without content
}

// Group is a group of questions after a regrouping.
type Group struct {
	ID    string
	Label string // the most typical real question
	Size  int
}

// Regroup groups all items from scratch, then keeps each group's previous id when
// most of a previous group's items are in it, and makes the result the state for
// later [Grouper.Assign] calls.
func (g *Grouper) Regroup(items []Item) Result {
	// Identical questions are grouped once.
	type uniq struct {
		key   string
		texts map[string]int
		items []int
		count int
	}
	vocab, keys := keysOf(items)
	byKey := map[string]*uniq{}
	var uniqs []*uniq
	feat := newFeaturizer()
	for i, it := range items {
		k := keys[i]
		if k == "" {
			continue
		}
		u := byKey[k]
		if u == nil {
			u = &uniq{key: k, texts: map[string]int{}}
			byKey[k] = u
			uniqs = append(uniqs, u)
			feat.observe(k)
		}
		u.texts[it.Text]++
		u.items = append(u.items, i)
		u.count++
	}
	// Frequent questions seed the groups.
	sort.SliceStable(uniqs, func(a, b int) bool { return uniqs[a].count > uniqs[b].count })
	fresh := &Grouper{threshold: g.threshold, feat: feat, groups: map[string]*group{},
		byKey: map[string]string{}, postings: map[int32][]*group{}}
	vecs := make([]vector, len(uniqs))
	var seq int
	tmp := make([]*group, len(uniqs))
	for i, u := range uniqs {
		vecs[i] = feat.vector(u.key)
		best, score := fresh.closest(vecs[i])
		if best == nil || score < g.threshold {
			seq++
			best = &group{id: string(rune(seq)), centroid: map[int32]float64{}, indexed: map[int32]bool{}}
			fresh.groups[best.id] = best
		}
		fresh.add(best, vecs[i], u.count)
		tmp[i] = best
	}
	// One refinement pass: each question moves to its closest group now that
	// the groups are whole.
	for i := range uniqs {
		if best, score := fresh.closest(vecs[i]); best != nil && best != tmp[i] && score >= g.threshold && score > tmp[i].cosine(vecs[i])+1e-9 {
			tmp[i] = best
		}
	}
	members := map[*group][]int{}
	for i, gr := range tmp {
		members[gr] = append(members[gr], i)
	}

	// Stable ids: a new group takes the id of the previous group most of whose
	// items it holds.
	prevSize := map[string]int{}
	for _, it := range items {
		if it.Group != "" {
			prevSize[it.Group]++
		}
	}
	type built struct {
		gr     *group
		uniqs  []int
		size   int
		label  string
		medKey string
	}
	var all []*built
	for gr, us := range members {
		b := &built{gr: gr, uniqs: us}
		// Medoid: the question closest to the group's centroid, most asked first.
		bestSim := -1.0
		for _, ui := range us {
			b.size += uniqs[ui].count
			sim := gr.cosine(vecs[ui]) + 1e-6*float64(uniqs[ui].count)
			if sim > bestSim {
				bestSim, b.medKey = sim, uniqs[ui].key
				b.label = mostFrequent(uniqs[ui].texts)
			}
		}
		all = append(all, b)
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].size != all[b].size {
			return all[a].size > all[b].size
		}
		return all[a].medKey < all[b].medKey
	})
	taken := map[string]bool{}
	res := Result{Of: make([]string, len(items))}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.feat, g.vocab, g.groups, g.byKey, g.postings = feat, vocab, map[string]*group{}, map[string]string{}, map[int32][]*group{}
	for _, b := range all {
		votes := map[string]int{}
		for _, ui := range b.uniqs {
			for _, i := range uniqs[ui].items {
				if prev := items[i].Group; prev != "" {
					votes[prev]++
				}
			}
		}
		id := ""
		for prev, n := range votes {
			if !taken[prev] && 2*n > prevSize[prev] && (id == "" || n > votes[id] || n == votes[id] && prev < id) {
				id = prev
			}
		}
		if id == "" {
			id = groupID(b.medKey)
			for taken[id] {
				id = groupID(id + "'")
			}
		}
		taken[id] = true
		b.gr.id = id
		g.groups[id] = b.gr
		for f := range b.gr.indexed {
			g.postings[f] = append(g.postings[f], b.gr)
		}
		for _, ui := range b.uniqs {
			g.byKey[uniqs[ui].key] = id
			for _, i := range uniqs[ui].items {
				res.Of[i] = id
			}
		}
		res.Groups = append(res.Groups, Group{ID: id, Label: b.label, Size: b.size})
	}
	return res
}

// keysOf normalises every item: each distinct text once, on every core; the
// words are counted to build the corpus's vocabulary, which then corrects typos.
func keysOf(items []Item) (*vocabulary, []string) {
	distinct := map[string]int{}
	var texts []string
	idx := make([]int, len(items))
	for i, it := range items {
		j, ok := distinct[it.Text]
		if !ok {
			j = len(texts)
			distinct[it.Text] = j
			texts = append(texts, it.Text)
		}
		idx[i] = j
	}
	words := make([][]string, len(texts))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(texts); j += workers {
				words[j] = french.ContentWords(texts[j])
			}
		})
	}
	wg.Wait()
	counts := map[string]int{}
	for _, j := range idx {
		for _, w := range words[j] {
			counts[w]++
		}
	}
	vocab := newVocabulary(counts)
	keyOf := make([]string, len(texts))
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(texts); j += workers {
				ws := make([]string, len(words[j]))
				for k, word := range words[j] {
					if c, ok := vocab.sp.Correct(word); ok && counts[word] < minFrequent {
						word = c
					}
					ws[k] = french.Stem(word)
				}
				keyOf[j] = strings.Join(ws, " ")
			}
		})
	}
	wg.Wait()
	keys := make([]string, len(items))
	for i, j := range idx {
		keys[i] = keyOf[j]
	}
	return vocab, keys
}

func mostFrequent(texts map[string]int) string {
	best, n := "", -1
	for t, c := range texts {
		if c > n || c == n && t < best {
			best, n = t, c
		}
	}
	return best
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// groupID derives a short, stable id from a question's key.
func groupID(key string) string {
	sum := sha1.Sum([]byte(key))
	return "g" + idEncoding.EncodeToString(sum[:6])
}

// Len returns the number of groups.
func (g *Grouper) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.groups)
}
