package bot

import (
	"flag"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/parvis-civic/parvis/kb"
)

var calibrate = flag.Bool("calibrate", false, "fit the confidence model on the dev set and print it")

// TestCalibrate fits the logistic confidence model on the dev set: a case is
// positive when the best candidate is the expected entry. Run it with
// `go test ./bot -run TestCalibrate -calibrate` and copy the printed weights into
// engine.go.
func TestCalibrate(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -calibrate to fit the confidence model")
	}
	e := demoEngine(t)
	f, err := os.Open("testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	var xs [][]float64
	var ys []float64
	ix := e.Index()
	for _, c := range cases {
		a := ix.analyze(c.Text)
		cs := ix.search(a, "", 5)
		if len(cs) == 0 {
			continue
		}
		xs = append(xs, confidenceInputs(a, cs))
		y := 0.0
		if cs[0].Entry.ID == c.Expected {
			y = 1
		}
		ys = append(ys, y)
	}
	w := fitLogistic(xs, ys, 0.01, 20000)
	fmt.Printf("var calibration = %#v\n", w)
}

// fitLogistic fits weights (intercept first) by gradient descent with L2
// regularisation lambda.
func fitLogistic(xs [][]float64, ys []float64, lambda float64, iters int) []float64 {
	d := len(xs[0]) + 1
	w := make([]float64, d)
	grad := make([]float64, d)
	lr := 0.5
	for range iters {
		clear(grad)
		for i, x := range xs {
			z := w[0]
			for j, v := range x {
				z += w[j+1] * v
			}
			p := 1 / (1 + math.Exp(-z))
			g := p - ys[i]
			grad[0] += g
			for j, v := range x {
				grad[j+1] += g * v
			}
		}
		for j := range w {
			reg := 0.0
			if j > 0 {
				reg = lambda * w[j]
			}
			w[j] -= lr * (grad[j]/float64(len(xs)) + reg)
		}
	}
	return w
}

func demoEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(DefaultConfig(), kb.Demo(), "test", Lexicon(kb.FrenchWords()))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestThresholds prints the figures of the dev set for a range of thresholds.
func TestThresholds(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -calibrate to print figures per threshold")
	}
	f, err := os.Open("testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []float64{0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85} {
		for _, ct := range []float64{0.3, 0.4, 0.5} {
			if ct > at {
				continue
			}
			cfg := DefaultConfig()
			cfg.AnswerThreshold, cfg.ClarifyThreshold = at, ct
			e, err := New(cfg, kb.Demo(), "t", Lexicon(kb.FrenchWords()))
			if err != nil {
				t.Fatal(err)
			}
			r := Evaluate(e, cases)
			fmt.Printf("answer %.2f clarify %.2f: correct %.3f resolved %.3f accuracy %.3f none P %.3f R %.3f\n",
				at, ct, r.AnsweredCorrect, r.Resolved, r.AnsweredAccuracy, r.NonePrecision, r.NoneRecall)
		}
	}
}
