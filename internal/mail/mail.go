// Package mail sends the platform's email (invitations, password resets,
// notifications) through SMTP, or writes it to the log when no SMTP server
// is configured, so links still reach an operator on a laptop.
package mail

import (
	"context"
	"fmt"
	"log/slog"

	gomail "github.com/wneessen/go-mail"
)

// Message is one plain-text email.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes messages to the log instead of sending them.
type LogSender struct{ Logger *slog.Logger }

// Send logs the message, body included (it carries the link to follow).
func (l LogSender) Send(_ context.Context, m Message) error {
	l.Logger.Info("email (no SMTP configured, not sent)", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// SMTP sends through an SMTP server with STARTTLS when offered.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
}

// Send delivers one message.
func (s SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("smtp from %q: %w", s.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("smtp to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTLSPolicy(gomail.TLSOpportunistic)}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}
