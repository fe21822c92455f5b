package eventlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// KBState is the knowledge base as the log says it is: every entry in its latest
// state. It is safe for concurrent use.
type KBState struct {
	mu      sync.Mutex
	entries map[string]kb.Entry
	last    map[string]string // entry → id of its last applied event
	order   []string
	version string // id of the last applied event
}

// NewKBState returns an empty state.
func NewKBState() *KBState {
	return &KBState{entries: map[string]kb.Entry{}, last: map[string]string{}}
}

// Apply applies one kb.* event. An event older than the last one applied to the
// same entry is ignored: a writer applies its own events at once, and reading the
// log back must not undo them.
func (s *KBState) Apply(env events.Envelope, p *events.KBEntryChanged) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if last, ok := s.last[p.Entry.ID]; ok && env.ID <= last {
		return
	}
	s.last[p.Entry.ID] = env.ID
	e := p.Entry
	switch env.Type {
	case events.TypeKBEntryDrafted:
		e.Status = kb.Draft
	case events.TypeKBEntryValidated:
		e.Status = kb.Validated
	case events.TypeKBEntryPublished:
		e.Status = kb.Published
	case events.TypeKBEntryRetired:
		e.Status = kb.Retired
	}
	if _, ok := s.entries[e.ID]; !ok {
		s.order = append(s.order, e.ID)
	}
	s.entries[e.ID] = e
	if env.ID > s.version {
		s.version = env.ID
	}
}

// Published returns the published entries in order of first appearance, and the
// version of the state.
func (s *KBState) Published() ([]kb.Entry, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []kb.Entry
	for _, id := range s.order {
		if e := s.entries[id]; e.Status == kb.Published {
			out = append(out, e)
		}
	}
	return out, s.version
}

// Len returns the number of entries in any state.
func (s *KBState) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// FollowKB reads the knowledge base topic from its beginning into state and keeps
// following it; see [Follow] for onChange.
func FollowKB(ctx context.Context, brokers []string, state *KBState, onChange func(), log *slog.Logger) error {
	return Follow(ctx, brokers, events.TopicKB, func(env events.Envelope, p events.Payload) {
		if kbe, ok := p.(*events.KBEntryChanged); ok {
			state.Apply(env, kbe)
		}
	}, onChange, log)
}

// Follow reads a single-partition topic (the knowledge base, the audit log) from
// its beginning, applying each valid event, and keeps following it. onChange is
// called once the topic has been read up to its end as it was at start (ready),
// then after each batch of changes.
func Follow(ctx context.Context, brokers []string, topic string, apply func(events.Envelope, events.Payload), onChange func(), log *slog.Logger) error {
	end, err := topicEnd(ctx, brokers, topic)
	if err != nil {
		return err
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: 0,
		MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(kafka.FirstOffset); err != nil {
		return err
	}
	caughtUp := end == 0
	if caughtUp {
		onChange()
	}
	dirty := false
	for {
		fctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
		m, err := r.ReadMessage(fctx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				log.Warn("eventlog: read "+topic, slog.Any("error", err))
				time.Sleep(time.Second)
			}
			if dirty && caughtUp {
				onChange()
				dirty = false
			}
			continue
		}
		env, p, err := events.Decode(m.Value)
		if err == nil {
			apply(env, p)
			dirty = true
		} else {
			log.Warn("eventlog: invalid event skipped", slog.String("topic", topic), slog.Int64("offset", m.Offset), slog.Any("error", err))
		}
		if !caughtUp && m.Offset >= end-1 {
			caughtUp = true
		}
		if caughtUp && dirty && r.Lag() == 0 {
			onChange()
			dirty = false
		}
	}
}

// topicEnd returns the end offset of partition 0 of topic.
func topicEnd(ctx context.Context, brokers []string, topic string) (int64, error) {
	var lastErr error
	for attempt := 0; attempt < 30; attempt++ {
		conn, err := kafka.DialLeader(ctx, "tcp", brokers[0], topic, 0)
		if err == nil {
			_, last, err := conn.ReadOffsets()
			conn.Close()
			if err == nil {
				return last, nil
			}
			lastErr = err
		} else {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return 0, fmt.Errorf("eventlog: end of %s: %w", topic, lastErr)
}

// lifecycle maps an entry's status to the event that puts it there.
var lifecycle = map[kb.Status]string{
	kb.Draft: events.TypeKBEntryDrafted, kb.Validated: events.TypeKBEntryValidated,
	kb.Published: events.TypeKBEntryPublished, kb.Retired: events.TypeKBEntryRetired,
}

// PublishEntries appends entries to the log, the way an import or the demo
// start-up loads a knowledge base: each as the kb.entry.* event of its status
// (published when the file gives none; retired takes an entry out of the bot).
func PublishEntries(ctx context.Context, pub *Publisher, tenant string, entries []kb.Entry, by string) error {
	now := time.Now()
	evs := make([]events.Envelope, 0, len(entries))
	for _, e := range entries {
		if e.Status == "" {
			e.Status = kb.Published
		}
		ev, err := events.New(tenant, "", now, events.KBEntryChanged{Type: lifecycle[e.Status], Entry: e, By: by})
		if err != nil {
			return err
		}
		evs = append(evs, ev)
	}
	for len(evs) > 0 {
		n := min(len(evs), 200)
		if err := pub.Publish(ctx, evs[:n]...); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}
