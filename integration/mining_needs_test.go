package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/integration/parvistest"
	"github.com/parvis-civic/parvis/mining/miningtest"
)

// TestMiningNeedsEndToEnd sends needs written by people who never saw the code
// (mining/testdata: the dev set, and the third and fifth writers' sets), mixed
// with noise and covered questions, through sendMessage on `serve --demo`, one
// conversation each, with a "Non" on every other answer given to a need; then
// reads unansweredClusters as the workbench does and measures the needs
// recovered and their rank.
func TestMiningNeedsEndToEnd(t *testing.T) {
	t.Parallel() // each set waits for the miner on its own server
	sets, _ := filepath.Glob("../mining/testdata/mining-*.jsonl")
	for _, path := range sets {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "mining-"), ".jsonl")
		if name == "w2" || name == "w7" || name == "w9" {
			// The second writer's needs are nearly the fourth writer's, a tuning
			// set; the seventh's and ninth's are measured by mining's own tests
			// only, whose signal path gives the same groups: this keeps the test
			// to three servers.
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			set, err := miningtest.ReadLabelled(path)
			if err != nil {
				t.Fatal(err)
			}
			rep := needsEndToEnd(t, set)
			t.Logf("%s end to end: %s", name, rep)
			if min := map[string]int{"dev": 9}[name]; rep.Recovered < min {
				t.Errorf("%d needs recovered, want at least %d", rep.Recovered, min)
			}
			if rep.MaxRank() > 12 {
				t.Errorf("a recovered need's group is ranked %d, want within 12", rep.MaxRank())
			}
		})
	}
}

func needsEndToEnd(t *testing.T, set []miningtest.Labelled) miningtest.Report {
	s := parvistest.Start(t, t.TempDir())
	convs := map[string]int{} // conversation → message
	answered := 0
	for i, l := range set {
		conv := s.StartConversation()
		convs[conv] = i
		r, errs := s.Send(conv, l.Text)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if r.Outcome == "ANSWERED" && l.Need() {
			if answered%2 == 0 {
				if errs := s.GQL("", `mutation($c: ID!) { giveFeedback(conversationId: $c, helpful: false) }`, map[string]any{"c": conv}, nil); len(errs) > 0 {
					t.Fatal(errs)
				}
			}
			answered++
		}
	}
	sent := time.Now()

	// The miner assigns new signals within seconds and regroups everything 30 s
	// after the first ones: wait for that, then for the groups to settle.
	var cs []cluster
	var last string
	stableSince := time.Now()
	for deadline := sent.Add(120 * time.Second); ; time.Sleep(2 * time.Second) {
		cs = clustersLimit(t, s, 200)
		var sig []string
		for _, c := range cs {
			sig = append(sig, fmt.Sprintf("%s:%d", c.ID, c.Size))
		}
		if now := strings.Join(sig, " "); now != last {
			last, stableSince = now, time.Now()
		}
		if time.Since(sent) > 40*time.Second && time.Since(stableSince) >= 6*time.Second {
			break
		}
		if time.Now().After(deadline) {
			t.Logf("groups still moving after 120 s")
			break
		}
	}
	from := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	r := miningtest.Ranked{Of: make([]string, len(set))}
	for _, c := range cs {
		r.Order = append(r.Order, c.ID)
		var d struct {
			UnansweredCluster struct {
				Questions []struct{ ConversationID string }
			}
		}
		if errs := s.GQL(parvistest.AdminToken, `query($id: ID!, $f: Time!, $t: Time!) { unansweredCluster(id: $id, from: $f, to: $t) { questions { conversationId } } }`,
			map[string]any{"id": c.ID, "f": from, "t": to}, &d); len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, q := range d.UnansweredCluster.Questions {
			if i, ok := convs[q.ConversationID]; ok {
				r.Of[i] = c.ID
			}
		}
	}
	// The groups themselves only on request: some sets are never tuned on, and
	// their individual failures are not to be read.
	for i, c := range cs {
		if i < 15 && os.Getenv("MINING_VERBOSE") != "" {
			var topics []string
			for j, g := range r.Of {
				if g == c.ID {
					topics = append(topics, set[j].Topic)
				}
			}
			slices.Sort(topics)
			t.Logf("#%d (%d) %q %v", i+1, c.Size, c.Label, topics)
		}
	}
	return miningtest.Score(set, r)
}

func clustersLimit(t *testing.T, s *parvistest.Server, limit int) []cluster {
	t.Helper()
	var out struct{ UnansweredClusters []cluster }
	from := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	to := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if errs := s.GQL(parvistest.AdminToken, `query($f: Time!, $t: Time!, $n: Int) { unansweredClusters(from: $f, to: $t, limit: $n) { id label size examples covered } }`,
		map[string]any{"f": from, "t": to, "n": limit}, &out); len(errs) > 0 {
		t.Fatalf("unansweredClusters: %v", errs)
	}
	return out.UnansweredClusters
}
