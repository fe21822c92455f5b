package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/parvis-civic/parvis/auth"
)

// startDemoAccounts gives the demo one account per role, with new passwords
// at every start (--demo only: a real deployment never has them).
func (s *server) startDemoAccounts(ctx context.Context) error {
	if !s.cfg.Demo {
		return nil
	}
	var err error
	s.demoAccounts, s.demoSkipped, err = s.accounts.SeedDemo(ctx)
	if err != nil {
		return err
	}
	s.log.Info("demo accounts ready", slog.Int("accounts", len(s.demoAccounts)), slog.Any("skipped", s.demoSkipped))
	return nil
}

// roleNames are the roles as the dashboards name them.
var roleNames = map[auth.Role]string{auth.Admin: "administrateur", auth.Analyst: "analyste (communication)",
	auth.Expert: "expert métier", auth.Elected: "élu", auth.Agent: "agent (guichet des demandes)"}

// printDemoAccounts prints the demo accounts and their passwords, in a block a
// visitor finds in the output of make demo.
func printDemoAccounts(w io.Writer, base string, accounts []auth.DemoAccount, skipped []string) {
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(w, "\n%s\n Démonstration : comptes des tableaux de bord (%s/dashboards/)\n", rule, base)
	fmt.Fprintf(w, " Mots de passe tirés à ce démarrage ; ceux d'avant ne servent plus.\n\n")
	fmt.Fprintf(w, "   %-11s  %-17s  %s\n", "identifiant", "mot de passe", "rôle")
	for _, a := range accounts {
		fmt.Fprintf(w, "   %-11s  %-17s  %s\n", a.Login, a.Password, roleNames[a.Role])
	}
	for _, login := range skipped {
		fmt.Fprintf(w, "   %-11s  (compte créé par quelqu'un d'autre ou désactivé : inchangé)\n", login)
	}
	fmt.Fprintf(w, "\n Site de la ville avec l'assistant : %s/\n%s\n\n", base, rule)
}
