package demandes

import (
	"context"
	"fmt"
	"mime"
	"net/smtp"
	"strings"
	"time"
)

// Mailer e-mails citizens the changes of their demande through an SMTP relay
// of the town (no authentication: a relay on the town's network, as Publik and
// most town software use). Off unless configured.
type Mailer struct {
	Addr string // host:port of the relay
	From string // the sender, « Mairie de Montclar <ne-pas-repondre@montclar.fr> »
	desk *Desk
}

// NewMailer returns a [Notifier] through the SMTP relay at addr; it describes
// the demande with the desk's words.
func NewMailer(addr, from string) *Mailer { return &Mailer{Addr: addr, From: from} }

// Attach gives the mailer the desk whose demandes it describes.
func (m *Mailer) Attach(d *Desk) { m.desk = d }

// Notify implements [Notifier].
func (m *Mailer) Notify(ctx context.Context, to string, d Demande) error {
	if strings.ContainsAny(to, "\r\n") || strings.ContainsAny(m.From, "\r\n") {
		return fmt.Errorf("demandes: mail: bad address")
	}
	body := m.desk.Describe(d) + "\r\n\r\nVous pouvez aussi demander à l'assistant du site : « où en est ma demande " + d.Code + " ? ».\r\n" +
		"Ce message est envoyé parce que vous avez accepté d'être contacté(e) au sujet de cette demande.\r\n"
	msg := "From: " + m.From + "\r\n" +
		"To: " + to + "\r\n" +
		"Subject: " + mime.QEncoding.Encode("utf-8", "Votre demande "+d.Code+" : "+StatusLabel(d.Status)) + "\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + body
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(m.Addr, nil, address(m.From), []string{to}, []byte(msg)) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("demandes: mail to the citizen: %w", err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// address returns the bare address of « Name <address> ».
func address(from string) string {
	if i, j := strings.LastIndex(from, "<"), strings.LastIndex(from, ">"); i >= 0 && j > i {
		return from[i+1 : j]
	}
	return strings.TrimSpace(from)
}
