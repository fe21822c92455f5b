package mining

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
)

var (
	signalsFound = promauto.NewCounterVec(prometheus.CounterOpts{
		Namespace: "parvis", Subsystem: "mining", Name: "signals_total",
		Help: "Questions found to show unmet demand, by reason.",
	}, []string{"reason"})
	regroupDuration = promauto.NewHistogram(prometheus.HistogramOpts{
		Namespace: "parvis", Subsystem: "mining", Name: "regroup_duration_seconds",
		Help:    "Time to regroup every unanswered question.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
	})
	groupsGauge = promauto.NewGauge(prometheus.GaugeOpts{
		Namespace: "parvis", Subsystem: "mining", Name: "groups",
		Help: "Groups of unanswered questions.",
	})
)

// Config configures the [Miner].
type Config struct {
	Every        time.Duration // how often new questions are read; default 2 s
	RegroupEvery time.Duration // how often everything is regrouped; default 10 min
	Threshold    float64       // similarity to join a group; default DefaultThreshold
	// Erased is the set of erased conversations: their questions are left out,
	// and deleted from the mining tables as they join it. Nil: none.
	Erased *projections.Erasures
	Logger *slog.Logger
}

// Miner reads the projections, finds the signals of unmet demand, groups the
// questions and writes the groups back. New questions join groups within
// seconds; everything is regrouped on a schedule and after a replay.
type Miner struct {
	cfg     Config
	q       *projections.Queries
	grouper *Grouper

	mu          sync.Mutex // one pass at a time
	assigned    map[string]bool
	written     map[string]string // the last pass's window: utterance → reasons written
	since       time.Time
	lastWide    time.Time // when a pass last looked back overlapWindow
	fresh       int       // questions assigned since the last regrouping
	lastRegroup time.Time // when
}

// While the traffic is small, regrouping is cheap and ties typos together sooner
// than the schedule would: a regrouping follows new questions after this delay.
const (
	eagerRegroupAfter = 30 * time.Second
	eagerRegroupUpTo  = 100_000 // questions
)

// How far back a pass looks again. Every pass looks back nearOverlap: the
// projector's lag, and a feedback or a choice given soon after the answer. Once
// every wideEvery, a pass looks back overlapWindow, so that events projected
// late (an outbox delivered after an outage) and later feedback are not missed.
// Reading the whole overlapWindow at every pass made each pass cost the last
// quarter hour's traffic, every 2 s: under load the miner took more CPU than
// the chat it reads.
const (
	overlapWindow = 15 * time.Minute
	nearOverlap   = time.Minute
	wideEvery     = time.Minute
)

// A pass reads every turn of its window again, so under heavy traffic it grows
// with the traffic: after a pass the miner rests passDuty times as long as it
// took before the next, so that passes take a fifth of a core at most and the
// chat keeps the rest. At 2,000 messages a second on 2 cores a pass every 2 s
// took a fifth of the process's CPU; a quiet town's passes take milliseconds
// and still come every Every.
const passDuty = 4

// maxRest bounds the rest: one slow pass (a rebuild after a replay holding the
// miner's lock) must not leave new questions out of the groups for long.
const maxRest = 30 * time.Second

// restUntil returns when the pass after one started at started and lasting
// took may begin.
func restUntil(started time.Time, took time.Duration) time.Time {
	return started.Add(took + min(passDuty*took, maxRest))
}

// NewMiner returns a miner over the query layer.
func NewMiner(cfg Config, q *projections.Queries) *Miner {
	if cfg.Every <= 0 {
		cfg.Every = 2 * time.Second
	}
	if cfg.RegroupEvery <= 0 {
		cfg.RegroupEvery = 10 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Miner{cfg: cfg, q: q, grouper: NewGrouper(cfg.Threshold), assigned: map[string]bool{}}
}

// Run mines until ctx is done: a full rebuild first, then passes and regroupings,
// and erasures as they come.
func (m *Miner) Run(ctx context.Context) error {
	// Erasures: those made before the start first, then each as it comes; a
	// failure is retried a little later.
	var n int
	var changed <-chan struct{}
	var retry <-chan time.Time
	eraseNew := func() {
		ids, next, ch := m.cfg.Erased.Since(n)
		changed, retry = ch, nil
		if err := m.Erase(ctx, ids); err != nil {
			if ctx.Err() == nil {
				m.cfg.Logger.Warn("mining: erase, retrying", slog.Any("error", err))
				retry = time.After(10 * time.Second)
			}
			return
		}
		n = next
	}
	eraseNew()
	if err := m.Rebuild(ctx); err != nil && ctx.Err() == nil {
		m.cfg.Logger.Warn("mining: first rebuild", slog.Any("error", err))
	}
	tick := time.NewTicker(m.cfg.Every)
	defer tick.Stop()
	var rested time.Time // no pass before then
	regroup := time.NewTicker(m.cfg.RegroupEvery)
	defer regroup.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
			eraseNew()
		case <-retry:
			eraseNew()
		case <-tick.C:
			if time.Now().Before(rested) {
				continue
			}
			started := time.Now()
			if err := m.Pass(ctx); err != nil && ctx.Err() == nil {
				m.cfg.Logger.Warn("mining: pass", slog.Any("error", err))
			}
			rested = restUntil(started, time.Since(started))
			if m.eager() {
				if err := m.Regroup(ctx); err != nil && ctx.Err() == nil {
					m.cfg.Logger.Warn("mining: regroup", slog.Any("error", err))
				}
			}
		case <-regroup.C:
			if err := m.Regroup(ctx); err != nil && ctx.Err() == nil {
				m.cfg.Logger.Warn("mining: regroup", slog.Any("error", err))
			}
		}
	}
}

// Pass reads the questions since the last pass, finds their signals and puts the
// new ones into groups.
func (m *Miner) Pass(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if time.Since(m.lastWide) >= wideEvery {
		return m.pass(ctx, m.since.Add(-overlapWindow))
	}
	return m.pass(ctx, m.since.Add(-nearOverlap))
}

// pass reads the questions since since; a pass that looks back overlapWindow or
// more is a wide one.
func (m *Miner) pass(ctx context.Context, since time.Time) error {
	started := time.Now()
	wide := since.IsZero() || !since.After(m.since.Add(-overlapWindow))
	turns, fb, ends, err := m.q.MiningInput(ctx, tenant.Everything(), since)
	if err != nil {
		return err
	}
	if !since.IsZero() && len(ends) > 0 {
		if turns, fb, err = m.withEndedConversations(ctx, turns, fb, ends); err != nil {
			return err
		}
	}
	turns = slices.DeleteFunc(turns, func(t projections.Turn) bool { return m.cfg.Erased.Has(t.ConversationID) })
	entries, err := m.q.EntryFacts(ctx)
	if err != nil {
		return err
	}
	signals := Signals(turns, fb, ends, entries)
	// Each pass reads the whole window again; only signals that are new or
	// whose reasons grew (a "not helpful" comes after the answer) are written.
	window := make(map[string]string, len(signals))
	var changed []projections.Signal
	for _, s := range signals {
		reasons := strings.Join(s.Reasons, ",")
		window[s.UtteranceID] = reasons
		if m.written[s.UtteranceID] != reasons {
			changed = append(changed, s)
		}
	}
	// A signal that no longer holds (the citizen took one of the choices after
	// all) is written again without reasons, which takes it out of the groups.
	for _, t := range turns {
		if r, ok := m.written[t.UtteranceID]; ok && r != "" {
			if _, still := window[t.UtteranceID]; !still {
				changed = append(changed, projections.Signal{Turn: t})
				window[t.UtteranceID] = ""
			}
		}
	}
	for i := range changed {
		changed[i].Theme = entries[changed[i].TopCandidate].Theme
	}
	var assigns []projections.Assignment
	var labels []projections.ClusterLabel
	for _, s := range changed {
		if m.assigned[s.UtteranceID] || len(s.Reasons) == 0 {
			continue
		}
		for _, r := range s.Reasons {
			signalsFound.WithLabelValues(r).Inc()
		}
		before := m.grouper.Len()
		id := m.grouper.Assign(s.Text)
		if id == "" {
			continue
		}
		m.assigned[s.UtteranceID] = true
		m.fresh++
		assigns = append(assigns, projections.Assignment{UtteranceID: s.UtteranceID, ClusterID: id, At: s.At})
		if m.grouper.Len() > before {
			demande, noise := m.grouper.Flags(s.Text)
			labels = append(labels, projections.ClusterLabel{ID: id, Label: s.Text, Size: 1, Demande: demande, Noise: noise})
		}
	}
	if len(changed) > 0 {
		if err := m.q.WriteMining(ctx, changed, assigns, labels); err != nil {
			return err
		}
	}
	if wide || m.written == nil {
		m.written = window
		m.lastWide = started
	} else {
		// A narrow window holds the latest of what the last wide one held:
		// the older signals stay known until the next wide pass reads them.
		maps.Copy(m.written, window)
	}
	m.since = started
	groupsGauge.Set(float64(m.grouper.Len()))
	return nil
}

// withEndedConversations puts in turns and fb every turn and feedback of the
// conversations that ends closes, whatever their time. The chat ends a
// conversation after 30 minutes idle, and a pass reads the last 15 minutes at
// most: without this no pass saw a last answer with its end, and « abandon »
// was only found when the miner restarted (a rebuild reads everything). The
// whole conversation is read, not its last turn only, so that its signals are
// those a rebuild finds (the question before a request for a person, a
// helpful feedback given before the window).
func (m *Miner) withEndedConversations(ctx context.Context, turns []projections.Turn, fb []projections.Feedback,
	ends []projections.Ending) ([]projections.Turn, []projections.Feedback, error) {
	ended := make(map[string]bool, len(ends))
	var ids []string
	for _, e := range ends {
		if !ended[e.ConversationID] && !m.cfg.Erased.Has(e.ConversationID) {
			ids = append(ids, e.ConversationID)
		}
		ended[e.ConversationID] = true
	}
	if len(ids) == 0 {
		return turns, fb, nil
	}
	all, allFb, err := m.q.ConversationsInput(ctx, tenant.Everything(), ids)
	if err != nil {
		return nil, nil, err
	}
	turns = slices.DeleteFunc(turns, func(t projections.Turn) bool { return ended[t.ConversationID] })
	fb = slices.DeleteFunc(fb, func(f projections.Feedback) bool { return ended[f.ConversationID] })
	turns = append(turns, all...)
	fb = append(fb, allFb...)
	// Signals reads turns grouped by conversation, in order.
	slices.SortStableFunc(turns, func(a, b projections.Turn) int {
		if c := strings.Compare(a.ConversationID, b.ConversationID); c != 0 {
			return c
		}
		return strings.Compare(a.UtteranceID, b.UtteranceID)
	})
	return turns, fb, nil
}

// eager reports whether new questions call for an early regrouping.
func (m *Miner) eager() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fresh > 0 && time.Since(m.lastRegroup) >= eagerRegroupAfter && len(m.assigned) <= eagerRegroupUpTo
}

// Regroup groups every signalled question from scratch, keeping group ids.
func (m *Miner) Regroup(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.regroup(ctx)
}

func (m *Miner) regroup(ctx context.Context) error {
	start := time.Now()
	qs, err := m.q.MinedQuestions(ctx)
	if err != nil {
		return err
	}
	qs = slices.DeleteFunc(qs, func(q projections.MinedQuestion) bool { return m.cfg.Erased.Has(q.ConversationID) })
	items := make([]Item, len(qs))
	for i, q := range qs {
		items[i] = Item{Text: q.Text, Group: q.ClusterID}
	}
	res := m.grouper.Regroup(items)
	var assigns []projections.Assignment
	m.assigned = map[string]bool{}
	for i, q := range qs {
		if res.Of[i] == "" {
			continue
		}
		m.assigned[q.UtteranceID] = true
		if res.Of[i] != q.ClusterID {
			assigns = append(assigns, projections.Assignment{UtteranceID: q.UtteranceID, ClusterID: res.Of[i], At: q.At})
		}
	}
	labels := make([]projections.ClusterLabel, len(res.Groups))
	ids := make([]string, len(res.Groups))
	for i, g := range res.Groups {
		labels[i] = projections.ClusterLabel{ID: g.ID, Label: g.Label, Size: g.Size, Demande: g.Demande, Noise: g.Noise}
		ids[i] = g.ID
	}
	if err := m.q.WriteMining(ctx, nil, assigns, labels); err != nil {
		return err
	}
	// Groups that no question holds any more (erased, expired, merged) go with
	// their labels, which are citizens' questions.
	if err := m.q.DropClusters(ctx, ids); err != nil {
		return err
	}
	m.fresh, m.lastRegroup = 0, time.Now()
	regroupDuration.Observe(time.Since(start).Seconds())
	groupsGauge.Set(float64(len(res.Groups)))
	m.cfg.Logger.Info("mining: regrouped", slog.Int("questions", len(qs)), slog.Int("groups", len(res.Groups)),
		slog.Int("moved", len(assigns)), slog.Duration("took", time.Since(start)))
	return nil
}

// Erase deletes what the mining tables hold of the conversations, and regroups
// without their questions so that no group is labelled with one of them.
func (m *Miner) Erase(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	found, err := m.q.EraseMining(ctx, ids)
	if err != nil || !found {
		return err
	}
	return m.regroup(ctx)
}

// Rebuild finds the signals of the whole history again and regroups: after a
// replay, or at start.
func (m *Miner) Rebuild(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.assigned, m.written = map[string]bool{}, nil
	if err := m.regroup(ctx); err != nil { // restore the groups and their ids first
		return fmt.Errorf("mining: %w", err)
	}
	// Every signal written before is checked again: rewritten if it still holds,
	// retracted if not.
	m.written = make(map[string]string, len(m.assigned))
	for id := range m.assigned {
		m.written[id] = "?"
	}
	if err := m.pass(ctx, time.Time{}); err != nil {
		return fmt.Errorf("mining: %w", err)
	}
	return nil
}
