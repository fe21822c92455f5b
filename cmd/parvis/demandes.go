package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/demandes"
	"github.com/parvis-civic/parvis/demandes/platform"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
)

// demandesConfig configures the demandes citizens file from the chat.
type demandesConfig struct {
	Prefix        string // of tracking codes
	Secret        string // PARVIS_DEMANDE_SECRET; empty: one kept in the data directory
	KindsFile     string // the kinds of demande; empty: the demo town's
	RetentionDays int    // days a closed demande keeps its personal part
	SMTPAddr      string
	SMTPFrom      string
	Platform      string // the file connecting the town's service platform; empty: Parvis's own desk
}

func (d *demandesConfig) flags(fs *flag.FlagSet) {
	fs.StringVar(&d.Prefix, "demande-prefix", env("PARVIS_DEMANDE_PREFIX", "MTC"), "prefix of the tracking codes of demandes filed with no declared tenant (a declared tenant has its own), 2 to 6 letters [PARVIS_DEMANDE_PREFIX]")
	fs.StringVar(&d.KindsFile, "demande-kinds", env("PARVIS_DEMANDE_KINDS", ""), "YAML file with the demande_kinds citizens may file (empty: the demo town's) [PARVIS_DEMANDE_KINDS]")
	fs.IntVar(&d.RetentionDays, "demande-retention-days", 365, "days a closed demande keeps its contact details before they are erased [PARVIS_DEMANDE_RETENTION_DAYS]")
	fs.StringVar(&d.SMTPAddr, "smtp-addr", env("PARVIS_SMTP_ADDR", ""), "SMTP relay HOST:PORT to e-mail citizens the changes of their demande (empty: no e-mail) [PARVIS_SMTP_ADDR]")
	fs.StringVar(&d.Platform, "demande-platform", env("PARVIS_DEMANDE_PLATFORM", ""), "YAML file connecting the service platform the demandes are delivered to (empty: Parvis's own service desk only) [PARVIS_DEMANDE_PLATFORM]")
	fs.StringVar(&d.SMTPFrom, "smtp-from", env("PARVIS_SMTP_FROM", ""), "sender of those e-mails, e.g. \"Mairie <ne-pas-repondre@ville.fr>\" [PARVIS_SMTP_FROM]")
}

var prefixFlag = regexp.MustCompile(`^[A-Za-z]{2,6}$`)

func (d demandesConfig) validate() []error {
	var errs []error
	if !prefixFlag.MatchString(d.Prefix) {
		errs = append(errs, fmt.Errorf("--demande-prefix : %q ; attendu : 2 à 6 lettres, comme MTC", d.Prefix))
	}
	if n := len(d.Secret); n > 0 && n < 32 {
		errs = append(errs, fmt.Errorf("PARVIS_DEMANDE_SECRET : %d caractères ; attendu : 32 au moins (par exemple openssl rand -base64 32)", n))
	}
	if d.RetentionDays < 1 {
		errs = append(errs, fmt.Errorf("--demande-retention-days : %d ; attendu : 1 ou plus", d.RetentionDays))
	}
	if d.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(d.SMTPAddr); err != nil {
			errs = append(errs, fmt.Errorf("--smtp-addr : %q n'est pas une adresse HÔTE:PORT", d.SMTPAddr))
		}
		if !strings.Contains(d.SMTPFrom, "@") {
			errs = append(errs, errors.New("--smtp-from : obligatoire avec --smtp-addr, une adresse comme \"Mairie <ne-pas-repondre@ville.fr>\""))
		}
	}
	return errs
}

// secret returns the tracking codes' secret: PARVIS_DEMANDE_SECRET, or one
// drawn at first start and kept in the data directory. Several api processes
// must share it: give them PARVIS_DEMANDE_SECRET.
func (d demandesConfig) secret(dir string) ([]byte, error) {
	if d.Secret != "" {
		return []byte(d.Secret), nil
	}
	path := filepath.Join(dir, "secret")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	b := []byte(base64.StdEncoding.EncodeToString(raw))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("keep the tracking codes' secret: %w", err)
	}
	return b, nil
}

// startDemandes follows parvis.demandes into the service desk and waits until
// the log has been read once, so that numbers go on where they stopped (api
// role: the desk holds the demandes' keys in the data directory).
func (s *server) startDemandes(ctx context.Context) error {
	if !s.cfg.has("api") {
		return nil
	}
	cfg := s.cfg.Demandes
	dir := filepath.Join(s.cfg.Data, "demandes")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	secret, err := cfg.secret(dir)
	if err != nil {
		return err
	}
	codes, err := demandes.NewCodes(cfg.Prefix, secret)
	if err != nil {
		return err
	}
	kinds := kb.DemoKinds()
	if cfg.KindsFile != "" {
		data, err := os.ReadFile(cfg.KindsFile)
		if err != nil {
			return fmt.Errorf("--demande-kinds: %w", err)
		}
		if kinds, err = kb.ParseKinds(cfg.KindsFile, data); err != nil {
			return err
		}
	}
	keys, err := demandes.OpenKeyStore(filepath.Join(dir, "keys"))
	if err != nil {
		return err
	}
	dc := demandes.Config{Tenant: s.cfg.Tenant, Tenants: s.tenants, Codes: codes, Kinds: demandes.NewKinds(kinds), Keys: keys, Logger: s.log}
	var mailer *demandes.Mailer
	if cfg.SMTPAddr != "" {
		mailer = demandes.NewMailer(cfg.SMTPAddr, cfg.SMTPFrom)
		dc.Notify = mailer
	}
	s.deskConfig = dc
	s.desk = demandes.NewDesk(dc, s.pub)
	if mailer != nil {
		mailer.Attach(s.desk)
	}
	if err := s.follow(ctx, "demandes follower", events.TopicDemandes, s.desk.Apply, nil); err != nil {
		return err
	}
	if cfg.Platform != "" {
		ids := make([]string, len(kinds))
		for i, k := range kinds {
			ids[i] = k.ID
		}
		conn, err := platform.Load(cfg.Platform, ids...)
		if err != nil {
			return fmt.Errorf("--demande-platform: %w", err)
		}
		dl := &demandes.Deliverer{Desk: s.desk, Conn: conn}
		s.goRun("demandes delivery", func() error { return leadDelivery(ctx, s.brokers, dl, s.log) })
	}
	keep := time.Duration(cfg.RetentionDays) * 24 * time.Hour
	s.goRun("demandes retention", func() error { return s.desk.RunRetention(ctx, keep) })
	s.log.Info("demandes", slog.String("prefix", codes.Prefix), slog.Int("kinds", len(kinds)), slog.Bool("email", mailer != nil))
	return nil
}

// deliveryGroup is the consumer group through which the api processes elect
// the one that delivers demandes to the platform and polls their statuses.
const deliveryGroup = "parvis-demandes-delivery"

// leadDelivery runs dl in one api process at a time: each runs a desk, but two
// Deliverers would both send a fresh demande (the platform would get it twice)
// and both record each status change read back.
func leadDelivery(ctx context.Context, brokers []string, dl *demandes.Deliverer, log *slog.Logger) error {
	return eventlog.Lead(ctx, brokers, deliveryGroup, events.TopicDemandes, dl.Run, log)
}
