// Package mining finds what citizens ask that the town does not answer yet. It
// takes every signal of unmet demand from the projections, each with its reasons
// (see [Signals]: unanswered, not helpful, choices not taken, unsure or toss-up
// answers, rephrased, a person asked for, another audience's entry, abandoned),
// groups the questions by meaning, labels each group with a real question, flags
// possible demandes and noise, and writes the groups back to ClickHouse, where the
// GraphQL API reads one line per need: volume, citizens, growth, audiences,
// reasons, examples.
//
// A question is compared by its key: its content words (package french: folded,
// shorthand expanded, stopwords and greetings dropped, synonyms brought to one
// word), typos corrected against the corpus's frequent words, stemmed. The same
// French handling as the bot's, so that both see the same words. Its vector adds
// the stems related to its own (terms.go) and the subjects it is about
// (french.Concepts), so that paraphrases sharing no word still meet.
//
// The [Grouper] is incremental (a new question joins the closest group in well
// under a millisecond) and regroups everything on a schedule: groups grow from
// the most asked questions, then groups that overlap in meaning merge, then a
// question left alone joins the nearest group of its subject; a group keeps its
// id when it is the same group.
package mining

import (
	"crypto/sha1"
	"encoding/base32"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/parvis-civic/parvis/french"
	"github.com/parvis-civic/parvis/ingest/redact"
)

// DefaultThreshold is the cosine similarity from which a question joins a group.
var DefaultThreshold = 0.35

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
	return &Grouper{threshold: threshold, feat: newFeaturizer(domainTerms()), groups: map[string]*group{},
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
	v := g.feat.vector(key, needOf(g.vocab, text))
	best, score := g.closest(v)
	if best == nil || !best.accepts(score, g.threshold) {
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

// Flags tells whether a question asks the town to act on a problem, and whether
// it is about nothing the town deals with: the flags of the group it starts,
// until the next regrouping weighs all of the group's questions.
func (g *Grouper) Flags(text string) (demande, noise bool) {
	g.mu.Lock()
	key := g.vocab.key(text)
	g.mu.Unlock()
	return french.RequestToAct(text), key != "" && !onTopic(text, key)
}

// maxCandidates bounds the groups compared with a question under each of its
// four strongest features; a group this similar ends the search.
const (
	maxCandidates = 10
	sureEnough    = 0.9
)

func (g *Grouper) closest(v vector) (*group, float64) {
	// Candidate groups share one of the question's strongest words.
	seen := map[*group]bool{}
	var best *group
	bestScore := 0.0
	for _, f := range v.strongest(4) {
		scanned := 0
		for _, gr := range g.postings[f] {
			if seen[gr] {
				continue
			}
			seen[gr] = true
			if s := gr.cosine(v); s > bestScore {
				best, bestScore = gr, s
				if s >= sureEnough {
					return best, bestScore
				}
			}
			if scanned++; scanned >= maxCandidates {
				break
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

// cosineWithout is the cosine of v, a unit vector, with the group's centroid
// less n copies of v: how close a member is to the rest of its group.
func (gr *group) cosineWithout(v vector, n int) float64 {
	var dot float64
	for i, f := range v.idx {
		dot += gr.centroid[f] * float64(v.val[i])
	}
	k := float64(n)
	sq := gr.norm*gr.norm - 2*k*dot + k*k
	if sq <= 1e-9 {
		return 0 // v alone
	}
	return (dot - k) / math.Sqrt(sq)
}

// add puts n copies of v into the group and indexes the group under its
// strongest words.
func (g *Grouper) add(gr *group, v vector, n int) {
	sq := gr.norm * gr.norm
	for i, f := range v.idx {
		old := gr.centroid[f]
		x := old + float64(v.val[i])*float64(n)
		gr.centroid[f] = x
		sq += x*x - old*old
	}
	gr.size += n
	gr.norm = math.Sqrt(max(sq, 0))
	for _, f := range v.strongest(4) {
		if !gr.indexed[f] && len(gr.indexed) < indexedFeatures {
			gr.indexed[f] = true
			g.postings[f] = append(g.postings[f], gr)
		}
	}
}

// indexedFeatures bounds the features under which a group is found.
const indexedFeatures = 16

// strongest returns the vector's n strongest features.
func (v vector) strongest(n int) []int32 {
	order := make([]int, len(v.idx))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		if v.val[order[a]] != v.val[order[b]] {
			return v.val[order[a]] > v.val[order[b]]
		}
		return v.idx[order[a]] < v.idx[order[b]]
	})
	out := make([]int32, min(n, len(order)))
	for i := range out {
		out[i] = v.idx[order[i]]
	}
	return out
}

// Item is a question to regroup: its text, and the group it had, if any.
type Item struct {
	Text  string
	Group string
}

// Result is the outcome of a regrouping.
type Result struct {
	Groups []Group  // largest first, noise last
	Of     []string // group id of each item, "" for items without content
}

// Group is a group of questions after a regrouping.
type Group struct {
	ID      string
	Label   string // the most typical real question
	Size    int
	Demande bool // most of its questions ask the town to act on a problem (see need.go)
	Noise   bool // most of its questions are about nothing the town deals with
}

// Regroup groups all items from scratch, then keeps each group's previous id when
// most of a previous group's items are in it, and makes the result the state for
// later [Grouper.Assign] calls.
func (g *Grouper) Regroup(items []Item) Result {
	// Identical questions are grouped once.
	type uniq struct {
		key   string
		items []int // its questions, by index in items
		count int
	}
	vocab, keys := keysOf(items)
	byKey := map[string]*uniq{}
	var uniqs []*uniq
	for i := range items {
		k := keys[i]
		if k == "" {
			continue
		}
		u := byKey[k]
		if u == nil {
			u = &uniq{key: k}
			byKey[k] = u
			uniqs = append(uniqs, u)
		}
		u.items = append(u.items, i)
		u.count++
	}
	// Frequent questions seed the groups. The order is the questions' own, not
	// the order they were read in: the same questions make the same groups
	// whatever order the projections return them in.
	slices.SortFunc(uniqs, func(a, b *uniq) int {
		if a.count != b.count {
			return b.count - a.count
		}
		return strings.Compare(a.key, b.key)
	})
	traffic := newCooc()
	for _, u := range uniqs {
		traffic.add(strings.Fields(u.key))
	}
	feat := newFeaturizer(newTermModel(traffic))
	for _, u := range uniqs {
		feat.observe(u.key)
	}
	fresh := &Grouper{threshold: g.threshold, feat: feat, groups: map[string]*group{},
		byKey: map[string]string{}, postings: map[int32][]*group{}}
	// Every feature a vector may hold has its id now: the vectors are then
	// computed on every core, the featurizer only read.
	stems := map[string]bool{}
	for _, u := range uniqs {
		for _, s := range strings.Fields(u.key) {
			stems[s] = true
		}
	}
	feat.prepare(stems)
	// Each question's text (the one most of its askers wrote), its flags, and
	// its vector, on every core.
	texts := make([]string, len(uniqs))
	asks, civics := make([]bool, len(uniqs)), make([]bool, len(uniqs))
	vecs := make([]vector, len(uniqs))
	parallel(len(uniqs), func(i int) {
		texts[i] = mostFrequent(items, uniqs[i].items)
		asks[i], civics[i] = french.RequestToAct(texts[i]), onTopic(texts[i], uniqs[i].key)
		vecs[i] = feat.vector(uniqs[i].key, needOf(vocab, texts[i]))
	})
	var seq int
	tmp := make([]*group, len(uniqs))
	for i, u := range uniqs {
		best, score := fresh.closest(vecs[i])
		if best == nil || !best.accepts(score, g.threshold) {
			seq++
			best = &group{id: string(rune(seq)), centroid: map[int32]float64{}, indexed: map[int32]bool{}}
			fresh.groups[best.id] = best
		}
		fresh.add(best, vecs[i], u.count)
		tmp[i] = best
	}
	// One refinement pass: each question not settled in its group moves to its
	// closest group now that the groups are whole. Its own group is measured
	// without it: a question is always close to a group it makes half of.
	moved := make([]*group, len(uniqs))
	parallel(len(uniqs), func(i int) {
		own := tmp[i].cosineWithout(vecs[i], uniqs[i].count)
		if own >= settled {
			return
		}
		if best, score := fresh.closest(vecs[i]); best != nil && best != tmp[i] && best.accepts(score, g.threshold) && score > own+1e-9 {
			moved[i] = best
		}
	})
	for i, m := range moved {
		if m != nil {
			tmp[i] = m
		}
	}
	// Groups whose questions overlap in meaning are merged.
	counts := make([]int, len(uniqs))
	for i, u := range uniqs {
		counts[i] = u.count
	}
	subjects := map[int32]bool{}
	for name, id := range feat.index {
		if strings.HasPrefix(name, "@") {
			subjects[id] = true
		}
	}
	into := merge(tmp, vecs, counts, subjects)
	for i := range tmp {
		tmp[i] = into(tmp[i])
	}
	members := map[*group][]int{}
	for i, gr := range tmp {
		members[gr] = append(members[gr], i)
	}
	attachSmall(members, tmp, vecs, counts, subjects)

	// Stable ids: a new group takes the id of the previous group most of whose
	// items it holds.
	prevSize := map[string]int{}
	for _, it := range items {
		if it.Group != "" {
			prevSize[it.Group]++
		}
	}
	type built struct {
		gr               *group
		uniqs            []int
		size             int
		label            string
		medKey           string
		demandes, civics int
		demande, noise   bool
	}
	var all []*built
	for gr, us := range members {
		b := &built{gr: gr, uniqs: us}
		// The label: of the questions closest to the group's centroid, the most
		// readable, most asked first.
		bestSim := -1.0
		for _, ui := range us {
			u := uniqs[ui]
			b.size += u.count
			text := texts[ui]
			if asks[ui] {
				b.demandes += u.count
			}
			if civics[ui] {
				b.civics += u.count
			}
			sim := gr.cosine(vecs[ui])*readability(text, u.key) + 1e-6*float64(u.count)
			if sim > bestSim {
				bestSim, b.medKey, b.label = sim, u.key, text
			}
		}
		b.demande, b.noise = 2*b.demandes >= b.size, 2*b.civics < b.size
		all = append(all, b)
	}
	// Largest first; groups about nothing the town deals with last.
	sort.Slice(all, func(a, b int) bool {
		if all[a].noise != all[b].noise {
			return all[b].noise
		}
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
		res.Groups = append(res.Groups, Group{ID: id, Label: b.label, Size: b.size, Demande: b.demande, Noise: b.noise})
	}
	return res
}

// A question left alone after the merges joins the group of attachMin questions
// or more it is closest to, when they share a subject (see [french.Concepts]) and
// it is attachThreshold close to it: below the threshold to join a group, a
// paraphrase that shares the group's subject but few of its words (the sixth of
// eight questions of a need, which then holds 70 % of them) is still nearer to it
// than to nothing. Chosen on the tuning sets (0.2 to 0.25 alike; 0.1 lets
// strangers in, 0.3 attaches too few). The questions of a group of attachFrom
// or fewer do the same, each on its own: two paraphrases that only meet each
// other are still nearer to their need's group (tuning sets: purity and ARI up
// on two of five, nothing down).
var (
	attachThreshold = 0.25
	attachMin       = 3
	attachFrom      = 2
)

// attachSmall moves the questions of groups of attachFrom or fewer (members:
// the questions of each group, by index) to the group they are closest to, as
// said above, updating members and of. Candidate groups share one of the question's
// features among their strongest, as merge finds them.
func attachSmall(members map[*group][]int, of []*group, vecs []vector, counts []int, subjects map[int32]bool) {
	type target struct {
		gr     *group
		first  int // its first question: the targets' order, whatever the map's
		sketch vector
		norm   float64
	}
	var targets []target
	for gr, us := range members {
		if gr.size >= attachMin { // merge made its centroid and size from us
			targets = append(targets, target{gr, slices.Min(us), gr.sketch(), gr.norm})
		}
	}
	slices.SortFunc(targets, func(a, b target) int { return a.first - b.first })
	post := map[int32][]int{}
	for t := range targets {
		for _, f := range targets[t].sketch.strongest(mergeFeatures) {
			post[f] = append(post[f], t)
		}
	}
	var alone []int
	for _, us := range members {
		if len(us) <= attachFrom && !slices.ContainsFunc(us, func(q int) bool { return counts[q] > 1 }) {
			alone = append(alone, us...)
		}
	}
	slices.Sort(alone) // the same moves whatever the map's order
	to := make([]int, len(alone))
	parallel(len(alone), func(i int) {
		v := vecs[alone[i]]
		to[i] = -1
		best := 0.0
		seen := map[int]bool{}
		for _, f := range v.idx {
			if len(post[f]) > maxPosting {
				continue
			}
			for _, t := range post[f] {
				if seen[t] {
					continue
				}
				seen[t] = true
				s := dot(v, targets[t].sketch) / targets[t].norm
				// The closest wins, the first on a tie.
				if s >= attachThreshold && (to[i] < 0 || s > best || s == best && t < to[i]) &&
					shareSubject(v.idx, targets[t].sketch.idx, subjects) {
					to[i], best = t, s
				}
			}
		}
	})
	touched := map[*group]bool{}
	for i, q := range alone {
		if to[i] < 0 {
			continue
		}
		gr, from := targets[to[i]].gr, of[q]
		// The question leaves its group; a pair's other question stays in it.
		if rest := slices.DeleteFunc(members[from], func(m int) bool { return m == q }); len(rest) > 0 {
			members[from] = rest
			for j, f := range vecs[q].idx {
				if from.centroid[f] -= float64(vecs[q].val[j]) * float64(counts[q]); from.centroid[f] <= 1e-6 { // float32 sums: what is left of it
					delete(from.centroid, f)
				}
			}
			from.size -= counts[q]
			touched[from] = true
		} else {
			delete(members, from)
			delete(touched, from)
		}
		of[q] = gr
		members[gr] = append(members[gr], q)
		for j, f := range vecs[q].idx {
			gr.centroid[f] += float64(vecs[q].val[j]) * float64(counts[q])
		}
		gr.size += counts[q]
		touched[gr] = true
	}
	for gr := range touched {
		gr.renorm()
	}
}

// settled is the similarity to its group from which a question stays there
// without looking further.
const settled = 0.6

// Merging: groups whose centroids are this similar are one group, if they are
// about the same subject (see [french.Concepts]); groups about no common subject
// must share more of their words.
var (
	mergeThreshold      = 0.30
	wordsMergeThreshold = 0.5
	mergeRounds         = 4
	mergeFeatures       = 6   // groups sharing minShared of their strongest features are compared
	minShared           = 2   //
	maxPosting          = 300 // features shared by more groups are too common to find candidates by
)

// merge joins groups whose questions overlap in meaning: the groups' centroids
// (from their members as they are now) are compared, the most similar pairs
// first, each group joining at most one other a round, until no pair is similar
// enough. It returns the group each group ended in.
func merge(of []*group, vecs []vector, counts []int, subjects map[int32]bool) func(*group) *group {
	type node struct {
		gr     *group
		parent int
	}
	index := map[*group]int{}
	var nodes []*node
	for i, gr := range of {
		n, ok := index[gr]
		if !ok {
			n = len(nodes)
			index[gr] = n
			nodes = append(nodes, &node{gr: &group{id: gr.id, centroid: map[int32]float64{}, indexed: map[int32]bool{}}, parent: n})
		}
		c := nodes[n].gr
		for j, f := range vecs[i].idx {
			c.centroid[f] += float64(vecs[i].val[j]) * float64(counts[i])
		}
		c.size += counts[i]
	}
	for _, n := range nodes {
		n.gr.renorm()
	}
	tops := make([][]int32, len(nodes))
	sketches := make([]vector, len(nodes))
	changed := make([]bool, len(nodes)) // merged into in the last round: its pairs are scored again
	for a := range changed {
		changed[a] = true
	}
	type pair struct {
		a, b int
		s    float64
	}
	var pending []pair // similar enough, not merged last round because a group of the pair merged with another
	for round := range mergeRounds {
		parallel(len(nodes), func(a int) {
			if changed[a] && nodes[a].parent == a {
				tops[a], sketches[a] = nodes[a].gr.top(mergeFeatures), nodes[a].gr.sketch()
			}
		})
		post := map[int32][]int{}
		for a, n := range nodes {
			if n.parent != a {
				continue
			}
			for _, f := range tops[a] {
				post[f] = append(post[f], a)
			}
		}
		// Pairs are scored on every core, each worker taking every n-th group;
		// after the first round, only the pairs of a group that changed.
		workers := runtime.GOMAXPROCS(0)
		found := make([][]pair, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				hits := map[int]int{}
				for a := w; a < len(nodes); a += workers {
					if !changed[a] || nodes[a].parent != a {
						continue
					}
					// Candidates share two of a's strongest features, or a subject.
					clear(hits)
					for _, f := range tops[a] {
						if len(post[f]) > maxPosting {
							continue
						}
						n := 1
						if subjects[f] {
							n = minShared
						}
						for _, b := range post[f] {
							if b == a || changed[b] && b < a || round == 0 && b < a {
								continue
							}
							hits[b] += n
						}
					}
					for b, n := range hits {
						if n < minShared {
							continue
						}
						ga, gb := nodes[a].gr, nodes[b].gr
						s := dot(sketches[a], sketches[b]) / (ga.norm * gb.norm)
						if ga.accepts(s, mergeThreshold) && gb.accepts(s, mergeThreshold) &&
							(s >= wordsMergeThreshold || shareSubject(tops[a], tops[b], subjects)) {
							found[w] = append(found[w], pair{min(a, b), max(a, b), s})
						}
					}
				}
			})
		}
		wg.Wait()
		pairs := pending[:0:0]
		for _, p := range pending {
			if !changed[p.a] && !changed[p.b] && nodes[p.a].parent == p.a && nodes[p.b].parent == p.b {
				pairs = append(pairs, p)
			}
		}
		for _, f := range found {
			pairs = append(pairs, f...)
		}
		if len(pairs) == 0 {
			break
		}
		sort.Slice(pairs, func(i, j int) bool {
			if pairs[i].s != pairs[j].s {
				return pairs[i].s > pairs[j].s
			}
			return pairs[i].a < pairs[j].a || pairs[i].a == pairs[j].a && pairs[i].b < pairs[j].b
		})
		clear(changed)
		used := map[int]bool{}
		pending = nil
		for _, p := range pairs {
			if used[p.a] || used[p.b] {
				pending = append(pending, p)
				continue
			}
			used[p.a], used[p.b] = true, true
			a, b := nodes[p.a].gr, nodes[p.b].gr
			for f, x := range b.centroid {
				a.centroid[f] += x
			}
			a.size += b.size
			a.renorm()
			nodes[p.b].parent = p.a
			changed[p.a] = true
			tops[p.b], sketches[p.b] = nil, vector{}
		}
	}
	parallel(len(nodes), func(a int) {
		if nodes[a].parent == a {
			for _, f := range nodes[a].gr.top(indexedFeatures) {
				nodes[a].gr.indexed[f] = true
			}
		}
	})
	root := func(n int) int {
		for nodes[n].parent != n {
			nodes[n].parent = nodes[nodes[n].parent].parent
			n = nodes[n].parent
		}
		return n
	}
	return func(gr *group) *group { return nodes[root(index[gr])].gr }
}

// A group of a few questions or more is as close-knit as its questions are to
// each other (see [group.tightness]): a question, or another group, joins it only
// when it is nearly as close to it as its own questions are. Questions of one
// fiche asked a thousand times make a tight group that a question merely on the
// same subject does not join; a need phrased freely by a few people makes a loose
// one that its other phrasings do.
var (
	tightFrom  = 8    // questions of a group from which its tightness counts
	tightShare = 0.75 // share of the group's tightness a newcomer must reach
)

// accepts reports whether a question, or a group, at similarity s joins gr.
func (gr *group) accepts(s, threshold float64) bool {
	if s < threshold {
		return false
	}
	return gr.size < tightFrom || s >= tightShare*gr.tightness()
}

// tightness is the similarity to the group's centroid of a question as close to
// its questions as they are to each other: the mean similarity of two of its
// questions, estimated from the length of their mean vector m (n|m|² = 1 +
// (n-1)·mean similarity for unit vectors), divided by |m|.
func (gr *group) tightness() float64 {
	n := float64(gr.size)
	if n < 2 {
		return 0
	}
	m := gr.norm / n
	rho := max(0, (n*m*m-1)/(n-1))
	return rho / m
}

// shareSubject reports whether two groups' strongest features hold a subject in
// common.
func shareSubject(a, b []int32, subjects map[int32]bool) bool {
	for _, f := range a {
		if subjects[f] && slices.Contains(b, f) {
			return true
		}
	}
	return false
}

func (gr *group) renorm() {
	var sq float64
	for _, x := range gr.centroid {
		sq += x * x
	}
	gr.norm = math.Sqrt(sq)
}

// top returns the group's n strongest features.
func (gr *group) top(n int) []int32 {
	fs := make([]int32, 0, len(gr.centroid))
	for f := range gr.centroid {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool {
		if gr.centroid[fs[i]] != gr.centroid[fs[j]] {
			return gr.centroid[fs[i]] > gr.centroid[fs[j]]
		}
		return fs[i] < fs[j]
	})
	return fs[:min(n, len(fs))]
}

// sketchFeatures are the features of a group's centroid kept to compare it with
// other groups: the strongest carry nearly all of its similarity.
const sketchFeatures = 32

// sketch is the group's centroid cut to its strongest features, sorted by
// feature.
func (gr *group) sketch() vector {
	var v vector
	v.idx = gr.top(sketchFeatures)
	slices.Sort(v.idx)
	for _, f := range v.idx {
		v.val = append(v.val, float32(gr.centroid[f]))
	}
	return v
}

// dot is the dot product of two vectors sorted by feature.
func dot(a, b vector) float64 {
	var d float64
	for i, j := 0, 0; i < len(a.idx) && j < len(b.idx); {
		switch {
		case a.idx[i] < b.idx[j]:
			i++
		case a.idx[i] > b.idx[j]:
			j++
		default:
			d += float64(a.val[i]) * float64(b.val[j])
			i++
			j++
		}
	}
	return d
}

// similarity is the cosine of two groups' centroids.
func (gr *group) similarity(o *group) float64 {
	if gr.norm == 0 || o.norm == 0 {
		return 0
	}
	a, b := gr.centroid, o.centroid
	if len(b) < len(a) {
		a, b = b, a
	}
	var dot float64
	for f, x := range a {
		dot += x * b[f]
	}
	return dot / (gr.norm * o.norm)
}

// parallel runs f(0..n-1) on every core.
func parallel(n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				f(i)
			}
		})
	}
	wg.Wait()
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
				words[j] = contentWords(texts[j])
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
	// Each distinct word is corrected and stemmed once.
	distinctWords := slices.Collect(maps.Keys(counts))
	stemmed := make([]string, len(distinctWords))
	parallel(len(distinctWords), func(i int) {
		word := distinctWords[i]
		if c, ok := vocab.sp.Correct(word); ok && counts[word] < minFrequent {
			word = c
		}
		stemmed[i] = french.Stem(word)
	})
	stemOf := make(map[string]string, len(distinctWords))
	for i, w := range distinctWords {
		stemOf[w] = stemmed[i]
	}
	keyOf := make([]string, len(texts))
	parallel(len(texts), func(j int) {
		ws := make([]string, len(words[j]))
		for k, word := range words[j] {
			ws[k] = stemOf[word]
		}
		keyOf[j] = strings.Join(ws, " ")
	})
	keys := make([]string, len(items))
	for i, j := range idx {
		keys[i] = keyOf[j]
	}
	return vocab, keys
}

// mostFrequent returns the text most of the questions (indices in items) are
// written in. The texts are counted here rather than kept beside each key while
// regrouping: a million small maps would double the regrouping's memory.
func mostFrequent(items []Item, questions []int) string {
	if len(questions) == 1 {
		return items[questions[0]].Text
	}
	texts := map[string]int{}
	for _, q := range questions {
		texts[items[q].Text]++
	}
	best, n := "", -1
	for t, c := range texts {
		if redact.HasPlaceholder(t) {
			c -= math.MaxInt32 // held personal data: the label of last resort
		}
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
