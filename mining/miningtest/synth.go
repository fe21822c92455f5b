// Package miningtest makes synthetic citizen traffic with a known truth, for the
// mining tests and benchmarks, and measures groupings against it. Production code
// never imports it.
package miningtest

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/parvis-civic/parvis/kb"
)

var (
	openers = []string{"", "", "bonjour ", "bjr ", "svp ", "salut, ", "Bonjour, une question : ", "excusez moi, "}
	frames  = []string{"%s", "%s ?", "comment faire pour %s", "je voudrais des infos sur %s", "%s c'est quoi",
		"question sur %s", "j'ai besoin d'aide pour %s", "renseignement %s", "où se renseigner : %s"}
	closers = []string{"", "", "", " merci", " svp", " merci d'avance", " ?"}
)

// Question is a synthetic question and the topic it belongs to.
type Question struct {
	Text  string
	Topic int
}

// Rephrase writes a question as a citizen might: a frame, no accents or no
// capitals sometimes, a typo sometimes.
func Rephrase(rng *rand.Rand, subject string) string {
	subject = strings.TrimRight(strings.TrimSpace(subject), " ?")
	if rng.IntN(2) == 0 {
		subject = strings.ToLower(subject)
	}
	frame := frames[rng.IntN(len(frames))]
	text := openers[rng.IntN(len(openers))] + strings.Replace(frame, "%s", subject, 1) + closers[rng.IntN(len(closers))]
	if rng.IntN(2) == 0 {
		text = stripAccents(text)
	}
	if rng.IntN(3) == 0 {
		text = typo(rng, text)
	}
	return text
}

func stripAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func typo(rng *rand.Rand, s string) string {
	words := strings.Fields(s)
	for tries := 0; tries < 5 && len(words) > 0; tries++ {
		i := rng.IntN(len(words))
		w := []rune(words[i])
		if len(w) < 6 {
			continue
		}
		j := 1 + rng.IntN(len(w)-3)
		switch rng.IntN(3) {
		case 0:
			w[j], w[j+1] = w[j+1], w[j]
		case 1:
			w = append(w[:j], w[j+1:]...)
		default:
			w = append(w[:j+1], w[j:]...)
		}
		words[i] = string(w)
		break
	}
	return strings.Join(words, " ")
}

// Titles returns n questions over the service-public.fr fiche titles: each
// title is a topic, asked again and again in different words.
func Titles(seed uint64, n, topics int) []Question {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	tree := kb.ServicePublicTree()
	topics = min(topics, len(tree))
	perm := rng.Perm(len(tree))[:topics]
	out := make([]Question, n)
	for i := range out {
		t := rng.IntN(topics)
		out[i] = Question{Text: Rephrase(rng, tree[perm[t]].Title), Topic: t}
	}
	return out
}

// Dossiers returns n questions whose topic is the fiche's dossier (224 of them):
// the titles of one dossier are different questions on one subject.
func Dossiers(seed uint64, n int) []Question {
	rng := rand.New(rand.NewPCG(seed, seed+7))
	tree := kb.ServicePublicTree()
	ids := map[string]int{}
	out := make([]Question, n)
	for i := range out {
		f := tree[rng.IntN(len(tree))]
		t, ok := ids[f.Dossier]
		if !ok {
			t = len(ids)
			ids[f.Dossier] = t
		}
		out[i] = Question{Text: Rephrase(rng, f.Title), Topic: t}
	}
	return out
}

// Purity is the share of questions that belong to their group's main topic.
func Purity(groups []string, topics []int) float64 {
	counts := map[string]map[int]int{}
	for i, g := range groups {
		if counts[g] == nil {
			counts[g] = map[int]int{}
		}
		counts[g][topics[i]]++
	}
	var sum int
	for _, c := range counts {
		best := 0
		for _, n := range c {
			best = max(best, n)
		}
		sum += best
	}
	return float64(sum) / float64(len(groups))
}

// AdjustedRand is the adjusted Rand index of a grouping against the truth: 1 for
// the same partition, about 0 for a random one.
func AdjustedRand(groups []string, topics []int) float64 {
	pair := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	cells := map[string]map[int]int{}
	rows := map[string]int{}
	cols := map[int]int{}
	for i, g := range groups {
		if cells[g] == nil {
			cells[g] = map[int]int{}
		}
		cells[g][topics[i]]++
		rows[g]++
		cols[topics[i]]++
	}
	var index, a, b float64
	for _, c := range cells {
		for _, n := range c {
			index += pair(n)
		}
	}
	for _, n := range rows {
		a += pair(n)
	}
	for _, n := range cols {
		b += pair(n)
	}
	expected := a * b / pair(len(groups))
	maxIndex := (a + b) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}
