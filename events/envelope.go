// Package events holds the event types of the log, their envelope, their codec and
// their topics. Every citizen utterance and every bot decision is an event; the
// knowledge base travels as events too. Producers build an [Envelope] with [New];
// consumers decode with [Decode], which is strict: an unknown type or version, or a
// malformed event, is an error that the consumer sends to the dead-letter topic.
package events

import (
	"crypto/rand"
	"fmt"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/segmentio/encoding/json"
)

// Topics of the log. Events are keyed by conversation id (KB events by entry id),
// so that one conversation stays in order on one partition.
const (
	TopicConversations = "parvis.conversations"
	TopicKB            = "parvis.kb"
	TopicDeadLetter    = "parvis.deadletter"
	TopicAudit         = "parvis.audit" // administrators' actions: tokens, accounts, replays, erasures
)

// Topics lists every topic, for creating them.
var Topics = []string{TopicConversations, TopicKB, TopicAudit, TopicDeadLetter, TopicDemandes}

// Envelope is what every event on the log looks like.
type Envelope struct {
	ID             string          `json:"id"`
	Type           string          `json:"type"`
	V              int             `json:"v"`
	At             time.Time       `json:"at"`
	ConversationID string          `json:"conversation_id"`
	Tenant         string          `json:"tenant"`
	Payload        json.RawMessage `json:"payload"`
}

var (
	entropyMu sync.Mutex
	entropy   = ulid.Monotonic(rand.Reader, 0)
)

// NewID returns a unique id that sorts by creation time (a ULID).
func NewID(at time.Time) string {
	entropyMu.Lock()
	defer entropyMu.Unlock()
	return ulid.MustNew(ulid.Timestamp(at), entropy).String()
}

// IDFloor returns the smallest id [NewID] gives at t: ids sort as their times
// do, so every id made from t on is at least it (a key range for a table
// ordered by event id).
func IDFloor(t time.Time) string {
	var id ulid.ULID
	_ = id.SetTime(ulid.Timestamp(t)) // fails only past the year 10889
	return id.String()
}

// ValidID reports whether s is an id made by [NewID]: what a client sends as a
// conversation id is checked before anything is looked up or kept under it.
func ValidID(s string) bool {
	_, err := ulid.ParseStrict(s)
	return err == nil
}

// New wraps a payload in an envelope with a fresh id, its type and schema version.
func New(tenant, conversationID string, at time.Time, p Payload) (Envelope, error) {
	reg, ok := registry[p.EventType()]
	if !ok {
		return Envelope{}, fmt.Errorf("events: unknown type %q", p.EventType())
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return Envelope{}, fmt.Errorf("events: encode %s: %w", p.EventType(), err)
	}
	at = at.UTC().Truncate(time.Millisecond)
	return Envelope{
		ID: NewID(at), Type: p.EventType(), V: reg.version, At: at,
		ConversationID: conversationID, Tenant: tenant, Payload: raw,
	}, nil
}

// Topic returns the topic an event belongs on; an unknown type belongs with the
// conversations.
func (e Envelope) Topic() string {
	if reg, ok := registry[e.Type]; ok {
		return reg.topic
	}
	return TopicConversations
}

// Key returns the partitioning key of the event: the conversation id, and one key
// for the whole knowledge base so that its lifecycle events stay in order.
func (e Envelope) Key() []byte {
	switch e.Topic() {
	case TopicKB:
		return []byte("kb")
	case TopicAudit:
		return []byte("audit")
	}
	return []byte(e.ConversationID)
}

// Marshal encodes the envelope as JSON, byte for byte as encoding/json would.
// The payload is copied as it is: only [New] sets it, from json.Marshal, and
// [Decode] from an event it has checked, so checking it again (what
// encoding/json does to a RawMessage) would only halve the chat path's
// encoding speed.
func (e Envelope) Marshal() ([]byte, error) {
	return json.Append(make([]byte, 0, 256+len(e.Payload)), e, json.EscapeHTML|json.TrustRawMessage)
}
