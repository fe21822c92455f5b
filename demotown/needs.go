package demotown

import (
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/parvis-civic/parvis/kb"
)

//go:embed needs.yaml
var needsYAML []byte

// need is something the territory's citizens ask that the demo knowledge base
// does not answer: how often, how that changes, and the entry that the town
// writes for it, if it does.
type need struct {
	ID        string   `yaml:"id"`
	PerDay    float64  `yaml:"per_day"` // conversations a day over the territory, at its start
	Growth    float64  `yaml:"growth"`  // the daily rate at the end over the rate at its start
	From      float64  `yaml:"from"`    // the share of the history gone before anybody asks
	Phrasings []string `yaml:"phrasings"`
	// DraftAt is the share of the history gone when an analyst drafts Entry;
	// an expert validates it a day later and publishes it the day after.
	DraftAt float64   `yaml:"draft_at"`
	Entry   *kb.Entry `yaml:"entry"`
}

// rate returns the conversations a day about the need when the share x of the
// history is gone: nothing before From, then a straight line from PerDay to
// PerDay × Growth.
func (n *need) rate(x float64) float64 {
	if x < n.From {
		return 0
	}
	g := n.Growth
	if g == 0 {
		g = 1
	}
	return n.PerDay * (1 + (g-1)*(x-n.From)/(1-n.From))
}

// script is what the demo's citizens ask beyond the knowledge base.
type script struct {
	Needs    []*need  `yaml:"needs"`
	Offtopic []string `yaml:"offtopic"`
}

// loadScript reads needs.yaml.
func loadScript() (script, error) {
	var s script
	if err := yaml.Unmarshal(needsYAML, &s); err != nil {
		return s, fmt.Errorf("demotown: needs.yaml: %w", err)
	}
	for i, n := range s.Needs {
		switch {
		case n.ID == "" || len(n.Phrasings) == 0 || n.PerDay <= 0:
			return s, fmt.Errorf("demotown: needs.yaml: need %d: want an id, phrasings and a per_day above 0", i+1)
		case n.From < 0 || n.From >= 1 || n.DraftAt < 0 || n.DraftAt >= 1:
			return s, fmt.Errorf("demotown: needs.yaml: need %s: from and draft_at are shares of the history, in [0, 1)", n.ID)
		case (n.Entry == nil) != (n.DraftAt == 0):
			return s, fmt.Errorf("demotown: needs.yaml: need %s: an entry goes with its draft_at", n.ID)
		}
	}
	return s, nil
}
