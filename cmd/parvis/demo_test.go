package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/demandes"
)

// TestDemoAccountsOnlyWithDemo: without --demo no account is made (the
// accounts are not even looked at) and nothing is printed.
func TestDemoAccountsOnlyWithDemo(t *testing.T) {
	s := &server{cfg: config{Demo: false}}
	if err := s.startDemoAccounts(t.Context()); err != nil || s.demoAccounts != nil {
		t.Errorf("without --demo: %v %v", s.demoAccounts, err)
	}
}

// TestPrintDemoAccounts: the block names each account, its password and
// role in French, and the logins left alone.
func TestPrintDemoAccounts(t *testing.T) {
	var b strings.Builder
	printDemoAccounts(&b, "http://127.0.0.1:8080", []auth.DemoAccount{{Login: "elu", Password: "abcde-fghjk-mnpqr", Role: auth.Elected}}, []string{"agent"})
	out := b.String()
	for _, want := range []string{"http://127.0.0.1:8080/dashboards/", "elu          abcde-fghjk-mnpqr  élu", "agent", "inchangé", "ceux d'avant ne servent plus"} {
		if !strings.Contains(out, want) {
			t.Errorf("the block lacks %q:\n%s", want, out)
		}
	}
}

// TestNoDemoHistoryToAPlatform: with a service platform connected, the demo
// writes no history: its deliverer would send the history's made-up demandes
// (with their made-up people) to the town's real platform.
func TestNoDemoHistoryToAPlatform(t *testing.T) {
	var logged strings.Builder
	s := &server{cfg: config{Demo: true, DemoHistory: 90, Demandes: demandesConfig{Platform: "plateforme.yaml"}},
		desk: &demandes.Desk{}, log: slog.New(slog.NewTextHandler(&logged, nil))}
	if err := s.startHistory(t.Context()); err != nil {
		t.Fatalf("startHistory: %v", err)
	}
	if !strings.Contains(logged.String(), "--demande-platform") {
		t.Errorf("the log does not say why no history was written:\n%s", logged.String())
	}
}

// TestFirstAccountHint: a deployment nobody can sign in to (no administrator
// account, no PARVIS_ADMIN_TOKEN, no identity provider) tells its operator, at
// start, the command that creates the first account, with the broker to give.
func TestFirstAccountHint(t *testing.T) {
	admin := auth.Account{Login: "dgs", Role: auth.Admin}
	tests := []struct {
		name     string
		cfg      config
		accounts []auth.Account
		want     bool
	}{
		{"first start", config{Roles: []string{"api"}}, nil, true},
		{"an analyst only", config{Roles: []string{"api"}}, []auth.Account{{Login: "c.martin", Role: auth.Analyst}}, true},
		{"a disabled administrator", config{Roles: []string{"api"}}, []auth.Account{{Login: "dgs", Role: auth.Admin, Disabled: true}}, true},
		{"an administrator", config{Roles: []string{"api"}}, []auth.Account{admin}, false},
		{"the bootstrap token", config{Roles: []string{"api"}, AdminToken: strings.Repeat("k", 32)}, nil, false},
		{"the demo", config{Roles: []string{"api"}, Demo: true}, nil, false},
		{"no api role", config{Roles: []string{"projector"}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			printFirstAccount(&b, tt.cfg, "http://127.0.0.1:18480", []string{"127.0.0.1:19492"}, tt.accounts)
			if got := b.Len() > 0; got != tt.want {
				t.Fatalf("printed %v, want %v:\n%s", got, tt.want, b.String())
			}
			for _, want := range []string{"parvis account create --login", "--role ADMIN --kafka 127.0.0.1:19492", "http://127.0.0.1:18480/dashboards/"} {
				if tt.want && !strings.Contains(b.String(), want) {
					t.Errorf("the block lacks %q:\n%s", want, b.String())
				}
			}
		})
	}
}
