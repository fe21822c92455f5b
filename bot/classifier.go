package bot

import (
	"math/rand/v2"
	"slices"
)

// perceptron is an averaged multiclass perceptron over stems and pairs of adjacent
// stems, trained on the entries' phrasings. Where retrieval weighs a word by how
// rare it is, the classifier learns which words tell one entry from its neighbours
// ("16 ans" for the recensement, "vole" for lost papers).
type perceptron struct {
	features map[string]int32
	weights  [][]classWeight // feature → (class, averaged weight)
	classes  int
	// typical is the median score of a training phrasing for its own entry: scores
	// are reported relative to it, so that a message with only weak evidence gets
	// low scores everywhere instead of a best class at 1.
	typical float64
}

type classWeight struct {
	class int32
	w     float64
}

const perceptronEpochs = 8

func features(terms []string) []string {
	fs := make([]string, 0, 2*len(terms))
	fs = append(fs, terms...)
	for i := 1; i < len(terms); i++ {
		fs = append(fs, terms[i-1]+"_"+terms[i])
	}
	return fs
}

func trainPerceptron(ix *Index) *perceptron {
	p := &perceptron{features: map[string]int32{}, classes: len(ix.entries)}
	type example struct {
		fs    []int32
		class int32
	}
	examples := make([]example, 0, len(ix.phrasings))
	for _, ph := range ix.phrasings {
		var ex example
		ex.class = ph.entry
		for _, f := range features(ph.terms) {
			id, ok := p.features[f]
			if !ok {
				id = int32(len(p.features))
				p.features[f] = id
			}
			ex.fs = append(ex.fs, id)
		}
		examples = append(examples, ex)
	}
	nf := len(p.features)
	// Dense per-feature maps while training; the averaged weights are then
	// compacted into short slices.
	w := make([]map[int32]float64, nf)
	acc := make([]map[int32]float64, nf) // Σ of step·update, for averaging
	for i := range w {
		w[i] = map[int32]float64{}
		acc[i] = map[int32]float64{}
	}
	scores := make([]float64, p.classes)
	touched := make([]int32, 0, 64)
	rng := rand.New(rand.NewPCG(1, 2)) // deterministic: the same KB gives the same model
	step := 1.0
	for range perceptronEpochs {
		rng.Shuffle(len(examples), func(i, j int) { examples[i], examples[j] = examples[j], examples[i] })
		for _, ex := range examples {
			touched = touched[:0]
			for _, f := range ex.fs {
				for c, v := range w[f] {
					if scores[c] == 0 {
						touched = append(touched, c)
					}
					scores[c] += v
				}
			}
			pred, best := int32(-1), 0.0
			for _, c := range touched {
				if pred < 0 || scores[c] > best || scores[c] == best && c < pred {
					pred, best = c, scores[c]
				}
			}
			for _, c := range touched {
				scores[c] = 0
			}
			if pred == ex.class {
				step++
				continue
			}
			for _, f := range ex.fs {
				w[f][ex.class]++
				acc[f][ex.class] += step
				if pred >= 0 {
					w[f][pred]--
					acc[f][pred] -= step
				}
			}
			step++
		}
	}
	p.weights = make([][]classWeight, nf)
	for f := range w {
		for c, v := range w[f] {
			avg := v - acc[f][c]/step
			if avg != 0 {
				p.weights[f] = append(p.weights[f], classWeight{c, avg})
			}
		}
	}
	own := make([]float64, 0, len(examples))
	for _, ex := range examples {
		var s float64
		for _, f := range ex.fs {
			for _, cw := range p.weights[f] {
				if cw.class == ex.class {
					s += cw.w
				}
			}
		}
		own = append(own, s)
	}
	slices.Sort(own)
	p.typical = 1
	if len(own) > 0 && own[len(own)/2] > 0 {
		p.typical = own[len(own)/2]
	}
	return p
}

// scores adds to out, per class, its score; [perceptron.relative] makes one
// relative to the typical score of a training phrasing for its own entry.
func (p *perceptron) scores(a analyzed, out *sparse) {
	for _, f := range features(a.terms) {
		id, ok := p.features[f]
		if !ok {
			continue
		}
		for _, cw := range p.weights[id] {
			if cw.w != 0 {
				out.add(cw.class, cw.w)
			}
		}
	}
}

// relative returns a class's score relative to the typical score of a training
// phrasing for its own entry, clamped to [0, 1].
func (p *perceptron) relative(score float64) float64 { return min(1, max(0, score/p.typical)) }
