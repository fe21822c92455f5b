package miningtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
)

// Labelled is a citizen message of a test set with what it is about: a need the
// town does not cover (its topic), "noise", or "covered:<entry id>".
type Labelled struct {
	Text  string `json:"text"`
	Topic string `json:"topic"`
}

// Need reports whether the message is about a need the town does not cover.
func (l Labelled) Need() bool { return l.Topic != "noise" && !strings.HasPrefix(l.Topic, "covered:") }

// ReadLabelled reads a JSONL test set.
func ReadLabelled(path string) ([]Labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.Text == "" || l.Topic == "" {
			return nil, fmt.Errorf("%s:%d: want {\"text\": ..., \"topic\": ...}: %v", path, n, err)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// Split divides a set by topic, so that no need is in both parts: the needs in
// alphabetical order go alternately to the tuning part (even places) and the
// held-out part (odd places); noise and covered questions alternate the same way
// in file order. The tuning part is what thresholds may be chosen on; the held-out
// part only measures.
func Split(set []Labelled) (tune, heldOut []Labelled) {
	var needs []string
	for _, l := range set {
		if l.Need() && !slices.Contains(needs, l.Topic) {
			needs = append(needs, l.Topic)
		}
	}
	sort.Strings(needs)
	other := 0
	for _, l := range set {
		even := false
		if l.Need() {
			even = slices.Index(needs, l.Topic)%2 == 0
		} else {
			even = other%2 == 0
			other++
		}
		if even {
			tune = append(tune, l)
		} else {
			heldOut = append(heldOut, l)
		}
	}
	return tune, heldOut
}

// Ranked is a grouping as analysts see it: the group of each message ("" when the
// message was not found to show unmet demand, or has no content), and the groups
// in the order of the list, first first.
type Ranked struct {
	Of    []string
	Order []string
}

// Report measures a grouping of a labelled set.
type Report struct {
	Needs     int            // needs in the set
	Recovered int            // needs recovered: one group holds ≥ 70 % of their messages and is ≥ 80 % of them
	Rank      map[string]int // each recovered need's group's place in the list, from 1
	Missed    map[string]string
	Signalled float64 // share of the needs' messages found to show unmet demand
	Purity    float64 // of the grouped messages, the share in their group's main topic (noise and covered count each as their own topic)
	ARI       float64 // adjusted Rand index of the grouped messages against the topics (same convention)
	Groups    int
	TopNoise  int // noise or covered messages in the groups that hold a recovered need
}

// Recovery and purity thresholds of a recovered need.
const (
	MinRecall = 0.7
	MinPurity = 0.8
)

// Score measures r against the set.
func Score(set []Labelled, r Ranked) Report {
	rep := Report{Rank: map[string]int{}, Missed: map[string]string{}}
	place := map[string]int{}
	for i, id := range r.Order {
		place[id] = i + 1
	}
	total := map[string]int{}
	inGroup := map[string]map[string]int{} // group → topic → n
	groupSize := map[string]int{}
	var grouped []string
	var truth []int
	topicID := map[string]int{}
	signalled, needMsgs := 0, 0
	for i, l := range set {
		topic := l.Topic
		if !l.Need() {
			topic = fmt.Sprintf("%s#%d", l.Topic, i) // each its own
		} else {
			total[l.Topic]++
			needMsgs++
		}
		g := r.Of[i]
		if g == "" {
			continue
		}
		if l.Need() {
			signalled++
		}
		if inGroup[g] == nil {
			inGroup[g] = map[string]int{}
		}
		inGroup[g][topic]++
		groupSize[g]++
		if _, ok := topicID[topic]; !ok {
			topicID[topic] = len(topicID)
		}
		grouped = append(grouped, g)
		truth = append(truth, topicID[topic])
	}
	rep.Needs, rep.Groups = len(total), len(groupSize)
	if needMsgs > 0 {
		rep.Signalled = float64(signalled) / float64(needMsgs)
	}
	for topic, n := range total {
		best, bestN := "", 0
		for g, c := range inGroup {
			if c[topic] > bestN || c[topic] == bestN && bestN > 0 && g < best {
				best, bestN = g, c[topic]
			}
		}
		recall := float64(bestN) / float64(n)
		purity := 0.0
		if bestN > 0 {
			purity = float64(bestN) / float64(groupSize[best])
		}
		if recall >= MinRecall && purity >= MinPurity {
			rep.Recovered++
			rep.Rank[topic] = place[best]
			for t, c := range inGroup[best] {
				if t != topic && !strings.Contains(t, "#") {
					continue
				}
				if t != topic {
					rep.TopNoise += c
				}
			}
		} else {
			rep.Missed[topic] = fmt.Sprintf("%d/%d in one group of %d", bestN, n, groupSize[best])
		}
	}
	if len(grouped) > 0 {
		rep.Purity = Purity(grouped, truth)
		rep.ARI = AdjustedRand(grouped, truth)
	}
	return rep
}

// String is the report on one line, then the needs missed.
func (r Report) String() string {
	var ranks []string
	for t, p := range r.Rank {
		ranks = append(ranks, fmt.Sprintf("%s #%d", t, p))
	}
	sort.Strings(ranks)
	var missed []string
	for t, why := range r.Missed {
		missed = append(missed, t+" ("+why+")")
	}
	sort.Strings(missed)
	return fmt.Sprintf("%d/%d needs recovered, signalled %.2f, purity %.3f, ARI %.3f, %d groups\n  ranks: %s\n  missed: %s",
		r.Recovered, r.Needs, r.Signalled, r.Purity, r.ARI, r.Groups, strings.Join(ranks, ", "), strings.Join(missed, ", "))
}

// MaxRank is the worst place of a recovered need's group (0 when none).
func (r Report) MaxRank() int {
	m := 0
	for _, p := range r.Rank {
		m = max(m, p)
	}
	return m
}
