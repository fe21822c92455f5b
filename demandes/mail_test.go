package demandes

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/demandes/connector"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// smtpServer is the least SMTP server that takes one message at a time; each
// message's recipients and data come out of the channel.
func smtpServer(t *testing.T) (string, <-chan string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	out := make(chan string, 10)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				reply := func(s string) { c.Write([]byte(s + "\r\n")) }
				reply("220 test")
				var got strings.Builder
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					cmd := strings.ToUpper(strings.TrimSpace(line))
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						reply("250 test")
					case strings.HasPrefix(cmd, "RCPT TO:"):
						got.WriteString(strings.TrimSpace(line) + "\n")
						reply("250 ok")
					case strings.HasPrefix(cmd, "DATA"):
						reply("354 go on")
						for {
							l, err := r.ReadString('\n')
							if err != nil || l == ".\r\n" {
								break
							}
							got.WriteString(l)
						}
						reply("250 queued")
						out <- got.String()
						got.Reset()
					case strings.HasPrefix(cmd, "QUIT"):
						reply("221 bye")
						return
					default:
						reply("250 ok")
					}
				}
			}()
		}
	}()
	return l.Addr().String(), out
}

// TestCitizenIsMailedOnChange: a citizen who left an e-mail address and agreed
// is told each change; one who left a phone number is not mailed.
func TestCitizenIsMailedOnChange(t *testing.T) {
	addr, mails := smtpServer(t)
	desk, _, _ := newDesk(t, t.TempDir())
	mailer := NewMailer(addr, "Mairie de Montclar <ne-pas-repondre@montclar.fr>")
	mailer.Attach(desk)
	desk.cfg.Notify = mailer
	ctx := context.Background()
	dm, err := desk.File(ctx, Form{ConversationID: events.NewID(time.Now()), Kind: "eclairage", Description: "Le lampadaire clignote toute la nuit",
		Address: "rue Haute", Contact: "lea@exemple.fr", Consent: yes()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, connector.EnCours, "Un électricien passe jeudi.", "", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-mails:
		for _, want := range []string{"<lea@exemple.fr>", dm.Code, "en cours de traitement", "Un électricien passe jeudi."} {
			if !strings.Contains(m, want) {
				t.Errorf("no %q in the mail:\n%s", want, m)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no mail")
	}
	byPhone, err := desk.File(ctx, Form{Kind: "eclairage", Description: "Lampadaire éteint au coin", Address: "rue Basse", Contact: "0612345678", Consent: yes()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), byPhone.Code, connector.Traitee, "Réparé.", "", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	// A note only, no status change and no public message: nobody is mailed.
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, "", "", "attendre la pièce", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-mails:
		t.Errorf("unexpected mail:\n%s", m)
	default:
	}
}

func TestRetentionErasesClosedDemandes(t *testing.T) {
	desk, _, _ := newDesk(t, t.TempDir())
	ctx := context.Background()
	now := time.Now()
	desk.cfg.Now = func() time.Time { return now }
	closed, _ := desk.File(ctx, Form{Kind: "voirie", Description: "Trou rue du Moulin", Address: "rue du Moulin", Contact: "a@exemple.fr"})
	open, _ := desk.File(ctx, Form{Kind: "voirie", Description: "Trou rue du Four", Address: "rue du Four", Contact: "b@exemple.fr"})
	if _, err := desk.Update(ctx, tenant.Everything(), closed.Code, connector.Traitee, "Rebouché.", "", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(400 * 24 * time.Hour)
	n, err := desk.EraseExpired(ctx, 365*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v", n, err)
	}
	if _, err := desk.Personal(closed.Code); err != ErrErased {
		t.Errorf("closed demande: %v", err)
	}
	if p, err := desk.Personal(open.Code); err != nil || p.Email != "b@exemple.fr" {
		t.Errorf("open demande: %+v %v", p, err)
	}
}

// TestRefusedMailLeavesNoAddressInTheLog: a relay that refuses a recipient
// quotes the address in its answer (« 550 5.1.1 <lea@exemple.fr>: Recipient
// address rejected »); the warning about it names the demande, not the citizen.
func TestRefusedMailLeavesNoAddressInTheLog(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				reply := func(s string) { c.Write([]byte(s + "\r\n")) }
				reply("220 test")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
					case strings.HasPrefix(cmd, "RCPT TO:"):
						to := strings.TrimSpace(strings.TrimSpace(line)[len("RCPT TO:"):])
						reply("550 5.1.1 " + to + ": Recipient address rejected: User unknown in local recipient table")
					case strings.HasPrefix(cmd, "QUIT"):
						reply("221 bye")
						return
					default:
						reply("250 ok")
					}
				}
			}()
		}
	}()
	desk, _, _ := newDesk(t, t.TempDir())
	var logged bytes.Buffer
	desk.cfg.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	mailer := NewMailer(l.Addr().String(), "Mairie de Montclar <ne-pas-repondre@montclar.fr>")
	mailer.Attach(desk)
	desk.cfg.Notify = mailer
	ctx := context.Background()
	dm, err := desk.File(ctx, Form{ConversationID: events.NewID(time.Now()), Kind: "eclairage", Description: "Le lampadaire clignote toute la nuit",
		Address: "rue Haute", Contact: "lea.martin@exemple.fr", Consent: yes()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.Update(ctx, tenant.Everything(), dm.Code, connector.EnCours, "Un électricien passe jeudi.", "", nil, "agent"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), dm.Code) {
		t.Fatalf("the refused mail was not logged:\n%s", logged.String())
	}
	if strings.Contains(logged.String(), "lea.martin") {
		t.Errorf("the citizen's address is in the log:\n%s", logged.String())
	}
}
