package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/events"
)

// ReplayReport says what a replay did.
type ReplayReport struct {
	Events   int           // events projected
	Invalid  int           // events skipped because they do not decode
	Erased   int           // events skipped because their conversation is erased
	Duration time.Duration // wall time
}

const replaySuffix = "_replay"

// Replay rebuilds every projection from the beginning of the log: it creates
// fresh tables, projects every event up to the end of each partition into them,
// but those of erased conversations (the audit topic is read first, and p's set
// of erasures used when p is given), and swaps them in place of the live tables,
// each table atomically where the database can (see swapIn). When a live
// projector p runs in this process, it is held between batches for the
// duration (its next batch goes into the new tables; any overlap is
// deduplicated by event id). p may be nil. Projectors of other processes go on
// projecting into the tables swapped out: once the new tables are in place,
// the replay reads again what the log took since it read each partition's end,
// into them, so that what those projectors committed meanwhile is not lost.
// progress, when not nil, is told the report so far after each batch.
func Replay(ctx context.Context, s Store, brokers []string, p *Projector, log *slog.Logger, progress func(ReplayReport)) (ReplayReport, error) {
	start := time.Now()
	if log == nil {
		log = slog.Default()
	}
	if p != nil {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	var rep ReplayReport
	brokers, err := answeringFirst(ctx, brokers)
	if err != nil {
		return rep, err
	}
	if err := CreateFresh(ctx, s, replaySuffix); err != nil {
		return rep, err
	}
	// The audit log first: its erasures are known before any conversation is
	// read, and their events are skipped.
	erased := NewErasures()
	if p != nil && p.cfg.Erased != nil {
		erased = p.cfg.Erased
	}
	// read marks where each partition was read up to; the catch-up after the
	// swap starts there.
	read := map[string]map[int]int64{}
	var caught span
	replay := func(topic, suffix string, rep *ReplayReport, progress func(ReplayReport)) error {
		parts, err := partitions(ctx, brokers, topic)
		if err != nil {
			return err
		}
		if read[topic] == nil {
			read[topic] = map[int]int64{}
		}
		for _, part := range parts {
			end, err := replayPartition(ctx, s, brokers, topic, part, read[topic][part.ID], suffix, erased, rep, progress, &caught)
			if err != nil {
				return err
			}
			read[topic][part.ID] = end
		}
		return nil
	}
	if err := replay(events.TopicAudit, replaySuffix, &rep, progress); err != nil {
		return rep, err
	}
	_, known, _ := erased.Since(0)
	for _, topic := range []string{events.TopicConversations, events.TopicKB, events.TopicDemandes} {
		if err := replay(topic, replaySuffix, &rep, progress); err != nil {
			return rep, err
		}
	}
	// The audit log again: a conversation erased while the others were read,
	// already in the fresh tables, is deleted from them before they are
	// swapped in (a projector running meanwhile deletes it from the old ones
	// only). Its events are counted once.
	if err := replay(events.TopicAudit, replaySuffix, &ReplayReport{}, nil); err != nil {
		return rep, err
	}
	if late, next, _ := erased.Since(known); len(late) > 0 {
		known = next
		tables, err := submitDeletions(ctx, s, late, replaySuffix, erasedTables)
		if err == nil {
			err = waitMutations(ctx, s, tables)
		}
		if err != nil {
			return rep, err
		}
	}
	if err := RollUpAll(ctx, s, replaySuffix); err != nil {
		return rep, err
	}
	if err := swapIn(ctx, s, replaySuffix); err != nil {
		return rep, err
	}
	// The catch-up: what the log took since each partition was read, which a
	// projector of another process may have put in the tables swapped out
	// and committed, goes into the new ones, the audit log first.
	caught = span{}
	for _, topic := range []string{events.TopicAudit, events.TopicConversations, events.TopicKB, events.TopicDemandes} {
		if err := replay(topic, "", &rep, progress); err != nil {
			return rep, err
		}
	}
	if late, _, _ := erased.Since(known); len(late) > 0 {
		if err := eraseCaughtUp(ctx, s, late); err != nil {
			return rep, err
		}
	}
	if !caught.from.IsZero() {
		// A decision's hour follows its conversation's start (an hour's slack
		// for the clocks of other processes, as the projector allows).
		if err := rollUpRange(ctx, s, caught.from.Truncate(time.Hour).Add(-time.Hour), caught.to.Truncate(time.Hour).Add(time.Hour), ""); err != nil {
			return rep, err
		}
	}
	rep.Duration = time.Since(start)
	log.Info("replay done", slog.Int("events", rep.Events), slog.Int("invalid", rep.Invalid), slog.Int("erased", rep.Erased),
		slog.Duration("took", rep.Duration))
	return rep, nil
}

func partitions(ctx context.Context, brokers []string, topic string) ([]kafka.Partition, error) {
	conn, err := anyBroker(brokers, func(addr string) (*kafka.Conn, error) { return kafka.DialContext(ctx, "tcp", addr) })
	if err != nil {
		return nil, fmt.Errorf("projections: replay: %w", err)
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(topic)
	if err != nil {
		return nil, fmt.Errorf("projections: replay: partitions of %s: %w", topic, err)
	}
	return parts, nil
}

// anyBroker returns what dial gives for the first of brokers that answers: a
// cluster is still read when some of its brokers are down.
func anyBroker[T any](brokers []string, dial func(addr string) (T, error)) (T, error) {
	var zero T
	if len(brokers) == 0 {
		return zero, errors.New("no broker given")
	}
	var errs []error
	for _, addr := range brokers {
		v, err := dial(addr)
		if err == nil {
			return v, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", addr, err))
	}
	return zero, fmt.Errorf("no broker answered: %w", errors.Join(errs...))
}

// answeringFirst returns brokers with the first that answers in front: a
// broker that is down then costs one dial for the whole replay, not one per
// partition (a silent one waits for the dialer's timeout each time).
func answeringFirst(ctx context.Context, brokers []string) ([]string, error) {
	live, err := anyBroker(brokers, func(addr string) (string, error) {
		conn, err := kafka.DialContext(ctx, "tcp", addr)
		if err != nil {
			return "", err
		}
		conn.Close()
		return addr, nil
	})
	if err != nil {
		return nil, fmt.Errorf("projections: replay: %w", err)
	}
	out := []string{live}
	for _, b := range brokers {
		if b != live {
			out = append(out, b)
		}
	}
	return out, nil
}

// span is the times of the events a catch-up projected.
type span struct{ from, to time.Time }

func (sp *span) add(t time.Time) {
	if sp.from.IsZero() || t.Before(sp.from) {
		sp.from = t
	}
	if t.After(sp.to) {
		sp.to = t
	}
}

// replayPartition projects a partition from offset from (or its first, if
// later) to its end into the tables named with suffix, and returns that end.
// The times of the events projected are added to sp.
func replayPartition(ctx context.Context, s Store, brokers []string, topic string, part kafka.Partition, from int64, suffix string,
	erased *Erasures, rep *ReplayReport, progress func(ReplayReport), sp *span) (int64, error) {
	leader, err := anyBroker(brokers, func(addr string) (*kafka.Conn, error) { return kafka.DialLeader(ctx, "tcp", addr, topic, part.ID) })
	if err != nil {
		return from, fmt.Errorf("projections: replay: leader of %s/%d: %w", topic, part.ID, err)
	}
	first, last, err := leader.ReadOffsets()
	leader.Close()
	if err != nil {
		return from, fmt.Errorf("projections: replay: offsets of %s/%d: %w", topic, part.ID, err)
	}
	first = max(first, from)
	if last <= first {
		return max(last, from), nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: topic, Partition: part.ID, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return from, err
	}
	b := Batch{}
	flush := func() error {
		if err := b.Insert(ctx, s, suffix); err != nil {
			return fmt.Errorf("projections: replay: %w", err)
		}
		clear(b)
		if progress != nil {
			progress(*rep)
		}
		return nil
	}
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return from, fmt.Errorf("projections: replay: read %s/%d: %w", topic, part.ID, err)
		}
		env, payload, err := events.Decode(m.Value)
		switch {
		case err != nil:
			rep.Invalid++
		case erased.Has(env.ConversationID):
			rep.Erased++
		default:
			erased.Apply(env, payload)
			b.Project(env, payload)
			sp.add(env.At)
			rep.Events++
		}
		if b.Len() >= 5000 {
			if err := flush(); err != nil {
				return from, err
			}
		}
		if m.Offset >= last-1 {
			return last, flush()
		}
	}
}

// swapIn puts the tables named with suffix in place of the live ones. Where the
// database can (chDB, the Atomic databases of current servers), EXCHANGE TABLES
// swaps each table in one step: a query never finds it missing. Where it cannot
// (Ordinary databases, ClickHouse before 20.5: EXCHANGE is refused), a two-name
// RENAME does the same at the price of a moment where a query may fail on a
// missing table.
func swapIn(ctx context.Context, s Store, suffix string) error {
	exchange := true
	for _, t := range Tables {
		if exchange {
			if err := s.Exec(ctx, fmt.Sprintf("EXCHANGE TABLES %s AND %s%s", t, t, suffix)); err == nil {
				if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+t+suffix); err != nil {
					return err
				}
				continue
			}
			exchange = false
		}
		if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+t+"_old"); err != nil {
			return err
		}
		if err := s.Exec(ctx, fmt.Sprintf("RENAME TABLE %s TO %s_old, %s%s TO %s", t, t, t, suffix, t)); err != nil {
			return fmt.Errorf("projections: swap %s: %w", t, err)
		}
		if err := s.Exec(ctx, "DROP TABLE IF EXISTS "+t+"_old"); err != nil {
			return err
		}
	}
	return nil
}

// eraseCaughtUp erases from the live tables the conversations erased while a
// replay caught up, as the projector does (see [Projector.erase]).
func eraseCaughtUp(ctx context.Context, s Store, ids []string) error {
	_, err := eraseRows(ctx, s, ids, &sync.Mutex{}) // no projector of this process runs into these rows now
	return err
}
