package demotown

import (
	"context"
	"fmt"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/ingest"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/tenant"
)

// talk is a conversation under way: who, what they came for, how far along.
type talk struct {
	visit
	id       string
	rephrase int  // rephrasings left
	more     bool // a second question may follow
}

// open starts a visit's conversation and schedules its first message.
func (p *player) open(ctx context.Context, v visit) error {
	c, err := p.chat.Start(ctx, ingest.Start{Tenant: v.tenant, Audience: v.audience, Channel: "widget"})
	if err != nil {
		return err
	}
	p.sum.Conversations++
	t := &talk{visit: v, id: c.ID, rephrase: 1, more: v.code == "" && v.offtopic == ""}
	if v.code == "" && p.r.Float64() < 0.18 {
		p.then(func(ctx context.Context) error { return p.say(ctx, t, pick(p.r, greetings), p.ask) })
		return nil
	}
	p.ask(ctx, t, ingest.Reply{})
	return nil
}

// then schedules the citizen's next move after the time it takes to read and type.
func (p *player) then(do func(context.Context) error) {
	gap := time.Duration(15+p.r.ExpFloat64()*45) * time.Second
	p.at(p.now.Add(gap), do)
}

// say sends a message and lets react decide what the citizen does next.
func (p *player) say(ctx context.Context, t *talk, text string, react func(context.Context, *talk, ingest.Reply)) error {
	reply, err := p.chat.Send(ctx, t.id, text)
	if err != nil {
		return fmt.Errorf("send %q: %w", text, err)
	}
	p.sum.Messages++
	react(ctx, t, reply)
	return nil
}

// ask types what the citizen came for.
func (p *player) ask(_ context.Context, t *talk, _ ingest.Reply) {
	var text string
	switch {
	case t.code != "":
		text = fmt.Sprintf(pick(p.r, tracking), t.code)
	case t.offtopic != "":
		text = speak(p.r, t.offtopic)
	default:
		text = speak(p.r, pick(p.r, p.phrasings(t)))
	}
	p.then(func(ctx context.Context) error { return p.say(ctx, t, text, p.react) })
}

// phrasings returns the ways of asking what the citizen came for.
func (p *player) phrasings(t *talk) []string {
	if t.need != nil {
		return t.need.Phrasings
	}
	return t.entry.Phrasings()
}

// wanted is the entry that answers what the citizen came for, if any.
func (t *talk) wanted() string {
	switch {
	case t.entry != nil:
		return t.entry.ID
	case t.need != nil && t.need.Entry != nil:
		return t.need.Entry.ID
	}
	return ""
}

// react is what a citizen does with the bot's reply to their question:
// file the demande it proposes, rate the answer, take one of the choices,
// say it again otherwise, ask for a person, ask something else, thank, leave.
func (p *player) react(ctx context.Context, t *talk, reply ingest.Reply) {
	d := reply.Decision
	if reply.Tracking || t.offtopic != "" {
		return
	}
	if reply.Demande != nil {
		_, described := reports[reply.Demande.ID]
		want := 0.04
		if t.entry != nil && t.entry.Demande == reply.Demande.ID {
			want = 0.5 // they came to report it
		}
		if described && p.r.Float64() < want {
			kind := reply.Demande.ID
			p.then(func(ctx context.Context) error { return p.file(ctx, t, kind) })
			return
		}
	}
	switch d.Outcome {
	case bot.Answered:
		right := d.Entry != nil && d.Entry.ID == t.wanted()
		helped, rate := 0.85, 0.3
		if !right {
			helped, rate = 0.3, 0.45
		}
		if p.r.Float64() < rate {
			helpful := p.r.Float64() < helped
			p.then(func(ctx context.Context) error {
				comment := ""
				if !helpful && p.r.Float64() < 0.3 {
					comment = pick(p.r, notHelped)
				}
				if err := p.chat.Feedback(ctx, t.id, helpful, comment); err != nil {
					return err
				}
				p.sum.Feedback++
				if !helpful && t.rephrase > 0 {
					p.again(t)
				} else {
					p.next(t)
				}
				return nil
			})
			return
		}
		p.next(t)
	case bot.Clarify:
		choice := ""
		for _, e := range d.Choices {
			if e.ID == t.wanted() {
				choice = e.ID
			}
		}
		if choice == "" && len(d.Choices) > 0 && p.r.Float64() < 0.35 {
			choice = d.Choices[0].ID
		}
		if choice != "" && p.r.Float64() < 0.8 {
			p.then(func(ctx context.Context) error {
				if _, err := p.chat.Choose(ctx, t.id, choice); err != nil {
					return err
				}
				p.sum.Messages++
				p.sum.Choices++
				p.next(t)
				return nil
			})
			return
		}
		p.again(t)
	case bot.Unanswered:
		switch x := p.r.Float64(); {
		case x < 0.35 && t.rephrase > 0:
			p.again(t)
		case x < 0.45:
			p.then(func(ctx context.Context) error {
				return p.say(ctx, t, pick(p.r, handoffs), leave)
			})
		}
	default:
		p.next(t)
	}
}

// again says the same need in other words, once.
func (p *player) again(t *talk) {
	if t.rephrase == 0 || t.code != "" || t.offtopic != "" {
		return
	}
	t.rephrase--
	options := p.phrasings(t)
	text := speak(p.r, pick(p.r, options))
	p.then(func(ctx context.Context) error { return p.say(ctx, t, text, p.react) })
}

// next asks a second question now and then, or thanks, or leaves.
func (p *player) next(t *talk) {
	switch x := p.r.Float64(); {
	case t.more && x < 0.15:
		t.more, t.rephrase = false, 1
		t.need = nil
		t.entry = p.second(t)
		text := speak(p.r, pick(p.r, t.entry.Phrasings()))
		p.then(func(ctx context.Context) error { return p.say(ctx, t, text, p.react) })
	case x < 0.4:
		p.then(func(ctx context.Context) error {
			return p.say(ctx, t, pick(p.r, thanks), leave)
		})
	}
}

// second draws the second question of a conversation.
func (p *player) second(t *talk) *kb.Entry {
	ten, _ := p.cfg.Tenants.Get(t.tenant)
	return pickEntry(p.r, p.asked, ten, t.audience, p.now.In(paris).Month())
}

// leave is a citizen who reads the reply and goes: the idle sweep ends the
// conversation half an hour later.
func leave(context.Context, *talk, ingest.Reply) {}

// file files the demande the reply proposed, and schedules what the town's
// agents do with it and whether the citizen comes back to ask where it stands.
func (p *player) file(ctx context.Context, t *talk, kind string) error {
	yes := true
	f := demandes.Form{ConversationID: t.id, Kind: kind, Description: pick(p.r, reports[kind]), Consent: &yes,
		// A domain that cannot exist (RFC 2606): with e-mail configured, an
		// agent's change to a made-up demande mails nobody.
		Contact: fmt.Sprintf("habitant%d@demo.invalid", p.r.IntN(10000))}
	if kind != "salle_association" {
		f.Address = fmt.Sprintf("%d %s", 1+p.r.IntN(80), pick(p.r, streets))
	}
	dm, err := p.chat.File(ctx, f)
	if err != nil {
		return fmt.Errorf("file a demande %s: %w", kind, err)
	}
	p.sum.Demandes++
	// Most are taken up within three days and settled within two weeks; the
	// latest are still open.
	if p.r.Float64() < 0.92 {
		up := p.now.Add(time.Duration(2+p.r.IntN(70)) * time.Hour)
		p.at(up, func(ctx context.Context) error { return p.move(ctx, dm.Code, connector.EnCours, pick(p.r, takenUp)) })
		closed := up.Add(time.Duration(24+p.r.IntN(10*24)) * time.Hour)
		status, msg := connector.Traitee, pick(p.r, done)
		if p.r.Float64() < 0.1 {
			status, msg = connector.Rejetee, pick(p.r, rejected)
		}
		p.at(closed, func(ctx context.Context) error { return p.move(ctx, dm.Code, status, msg) })
	}
	if p.r.Float64() < 0.2 {
		back := p.now.Add(time.Duration(24+p.r.IntN(6*24)) * time.Hour)
		p.at(back, func(ctx context.Context) error {
			return p.open(ctx, visit{at: back, tenant: t.tenant, audience: t.audience, code: dm.Code})
		})
	}
	return nil
}

// move records an agent's change of a demande's status.
func (p *player) move(ctx context.Context, code string, status connector.Status, message string) error {
	if _, err := p.desk.Update(ctx, tenant.Everything(), code, status, message, "", nil, "agent"); err != nil {
		return fmt.Errorf("move demande %s to %s: %w", code, status, err)
	}
	p.sum.Changes++
	return nil
}

func pick[T any](r interface{ IntN(int) int }, xs []T) T { return xs[r.IntN(len(xs))] }
